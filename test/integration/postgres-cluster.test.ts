// Several processes on one PostgreSQL database: three `localforce serve --database` processes, 50 batches of
// 10,000 Account rows loaded through process A, the batch list polled through process B, process C SIGKILLed while
// its workers hold batches mid-way. The survivors take C's batches over once their leases expire and resume after the
// last committed chunk. In the end every batch is Completed with exactly one result row per input row, and — checked
// by SQL — exactly one record per inserted row, named after its input row, with the id its result row reports.
//
// PostgreSQL only: skipped (with the reason) when PostgreSQL is unreachable, unless LOCALFORCE_REQUIRE_POSTGRES=1;
// when the suite runs in tiers (LOCALFORCE_TEST_BACKEND), it runs in the PostgreSQL tier only.
// Admin URL: LOCALFORCE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres); a fresh database per run.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { spawnServer, TEST_TOKEN, type SpawnedServer } from '../helpers/server.js';
import { BulkClient, batchList, numberedAccountsCsv, xmlText, type BatchListRow } from '../helpers/bulk.js';
import { databaseUrl, dropDatabase, pgAdmin, postgresOnlyTestUnavailable } from '../helpers/postgres.js';

const BATCHES = 50;
const ROWS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const csvFor = (batch: number) => numberedAccountsCsv('C', batch, ROWS);

describe('PostgreSQL: three processes on one database', () => {
  it('loads 50 × 10,000 rows through A, polls through B, survives C being killed mid-run', {
    timeout: 300_000,
  }, async (t: TestContext) => {
    const skip = await postgresOnlyTestUnavailable();
    if (skip) {
      t.diagnostic(`skipped: ${skip}`);
      t.skip(skip);
      return;
    }
    const started = Date.now();
    const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const dbName = `lf_cluster_${randomBytes(6).toString('hex')}`;
    const url = databaseUrl(dbName);
    await pgAdmin((c) => c.query(`CREATE DATABASE ${dbName}`));
    const servers: SpawnedServer[] = [];
    const db = new pg.Client({ connectionString: url });
    try {
      // All three start at once on the empty database: start-up is serialised (an advisory lock), so one creates the
      // tables and the default org (with the token) and the other two find them.
      // A 5 s lease (default 30 s): C's batches are taken over 5 s after its last commit.
      const args = ['--database', url, '--token', TEST_TOKEN, '--workers', '2', '--lease', '5000'];
      // Each is kept as soon as it is up, so that one failing to start still leaves the others to be stopped below.
      const [a, b, c] = await Promise.all(
        [0, 1, 2].map(async () => {
          const s = await spawnServer(args);
          servers.push(s);
          return s;
        }),
      );
      await db.connect();
      t.diagnostic(
        `three processes ready (A pid ${a.process.pid}, B pid ${b.process.pid}, C pid ${c.process.pid}) at ${elapsed()}`,
      );
      const viaA = new BulkClient(a.url, TEST_TOKEN);
      const viaB = new BulkClient(b.url, TEST_TOKEN);

      const jobId = await viaA.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });

      // B's batch list, polled all along: every answer must be a 200 with the job's batches.
      const polls = { count: 0, errors: [] as string[], sawInProgress: 0, stop: false };
      const poller = (async () => {
        while (!polls.stop) {
          try {
            const list = await batchList(viaB, jobId);
            polls.count++;
            polls.sawInProgress = Math.max(polls.sawInProgress, list.filter((x) => x.state === 'InProgress').length);
          } catch (err) {
            polls.errors.push((err as Error).message);
          }
          await sleep(100);
        }
      })();

      // Upload every batch through A (processing starts at once on all three processes). Meanwhile, kill C as soon
      // as its workers hold batches part-way through (by SQL: the lease owner names the process id) and B's batch list
      // shows batches InProgress: C's leases then expire while the rest is still loading.
      const batchIds: string[] = [];
      const uploaded = (async () => {
        for (let i = 0; i < BATCHES; i++) batchIds.push(await viaA.addBatch(jobId, csvFor(i)));
        t.diagnostic(`${BATCHES} batches uploaded through A at ${elapsed()}`);
      })();
      uploaded.catch(() => undefined); // awaited below
      const cOwner = `${c.process.pid}:%`;
      let held: { id: string; records_processed: number }[] = [];
      let listed: BatchListRow[] = [];
      for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
        held = (
          await db.query(
            `SELECT id, records_processed FROM lf_batch WHERE state = 'InProgress' AND lease_owner LIKE $1`,
            [cOwner],
          )
        ).rows;
        listed = await batchList(viaB, jobId);
        if (
          held.some((h) => h.records_processed > 0 && h.records_processed < ROWS) &&
          listed.some((x) => x.state === 'InProgress')
        )
          break;
        await sleep(20);
      }
      assert.ok(
        held.some((h) => h.records_processed > 0 && h.records_processed < ROWS),
        `C held no batch part-way (held ${JSON.stringify(held)})`,
      );
      c.process.kill('SIGKILL');
      await c.exited;
      const orphaned = (
        await db.query<{ id: string; records_processed: number; attempts: number }>(
          `SELECT id, records_processed, attempts FROM lf_batch WHERE state = 'InProgress' AND lease_owner LIKE $1 ORDER BY seq`,
          [cOwner],
        )
      ).rows;
      const completedAtKill = listed.filter((x) => x.state === 'Completed').length;
      t.diagnostic(
        `C killed at ${elapsed()}: ${listed.length} batches uploaded, ${completedAtKill} Completed, ${listed.filter((x) => x.state === 'InProgress').length} InProgress in B's list; ` +
          `C's batches left InProgress: ${orphaned.map((o) => `${o.id} at ${o.records_processed}`).join(', ') || 'none'}`,
      );
      await uploaded;

      // The survivors finish everything (C's batches once their leases expire).
      let final: BatchListRow[] = [];
      for (const deadline = Date.now() + 240_000; ; ) {
        final = await batchList(viaB, jobId);
        if (final.length === BATCHES && final.every((x) => x.state !== 'Queued' && x.state !== 'InProgress')) break;
        if (Date.now() > deadline)
          assert.fail(`not finished: ${JSON.stringify(final.filter((x) => x.state !== 'Completed'))}`);
        await sleep(250);
      }
      polls.stop = true;
      await poller;
      t.diagnostic(
        `all batches finished at ${elapsed()}; ${polls.count} batch-list polls through B (max ${polls.sawInProgress} InProgress at once), ${polls.errors.length} failed`,
      );
      assert.deepEqual(polls.errors, [], 'every poll through B answered');
      assert.equal(a.process.exitCode, null, 'A is alive');
      assert.equal(b.process.exitCode, null, 'B is alive');

      assert.deepEqual(final.map((x) => x.id).sort(), [...batchIds].sort());
      for (const x of final)
        assert.deepEqual(
          { id: x.id, state: x.state, processed: x.processed, failed: x.failed },
          { id: x.id, state: 'Completed', processed: ROWS, failed: 0 },
        );

      const job = (await viaB.get(`/job/${jobId}`)).body;
      const retries = Number(xmlText(job, 'numberRetries'));
      const attempts = (
        await db.query<{ id: string; attempts: number }>(
          `SELECT id, attempts FROM lf_batch WHERE attempts > 1 ORDER BY seq`,
        )
      ).rows;
      t.diagnostic(
        `numberRetries ${retries}; batches claimed more than once: ${attempts.map((x) => `${x.id} × ${x.attempts}`).join(', ') || 'none'}`,
      );
      // Each batch C left behind was claimed again by a survivor, and that attempt is counted.
      for (const o of orphaned)
        assert.ok(
          attempts.some((x) => x.id === o.id),
          `batch ${o.id} (C's) was claimed again`,
        );
      assert.ok(retries >= orphaned.length, `numberRetries ${retries} ≥ ${orphaned.length} batches taken over from C`);

      // Results, alternately through A and B: one per input row, all successes, ids unique across the job.
      const ids: string[] = [];
      const names: string[] = [];
      const resultFiles = new Map<number, Promise<Awaited<ReturnType<BulkClient['get']>>>>();
      const fetchResult = (i: number) => {
        if (i < BATCHES && !resultFiles.has(i))
          resultFiles.set(i, (i % 2 ? viaB : viaA).get(`/job/${jobId}/batch/${batchIds[i]}/result`));
      };
      for (let i = 0; i < BATCHES; i++) {
        for (let k = i; k < i + 4; k++) fetchResult(k); // a few downloads ahead, from both processes
        const r = await resultFiles.get(i)!;
        resultFiles.delete(i);
        assert.equal(r.status, 200);
        const lines = r.body.trimEnd().split('\n');
        assert.equal(lines[0], '"Id","Success","Created","Error"');
        assert.equal(lines.length, ROWS + 1, `batch ${i}: ${lines.length - 1} result rows`);
        for (let row = 0; row < ROWS; row++) {
          const [id, success, created, error] = lines[row + 1].split(',').map((s) => s.replace(/"/g, ''));
          if (success !== 'true' || created !== 'true' || error !== '')
            assert.fail(`batch ${i} row ${row}: ${lines[row + 1]}`);
          ids.push(id);
          names.push(`C${i}-${row}`);
        }
      }
      assert.equal(new Set(ids).size, BATCHES * ROWS, 'result ids are unique');
      t.diagnostic(`results read at ${elapsed()}`);

      // By SQL: one record per input row, and each result id is the record made from its input row.
      const counts = (
        await db.query(
          `SELECT count(*)::int AS n, count(DISTINCT "Name")::int AS names FROM "Account" WHERE "Name" LIKE 'C%'`,
        )
      ).rows[0];
      assert.deepEqual(counts, { n: BATCHES * ROWS, names: BATCHES * ROWS });
      const twice = (
        await db.query(`SELECT "Name", count(*)::int AS n FROM "Account" GROUP BY "Name" HAVING count(*) > 1 LIMIT 5`)
      ).rows;
      assert.deepEqual(twice, [], 'no Name appears twice');
      const matched = (
        await db.query(
          `SELECT count(*)::int AS n FROM unnest($1::text[], $2::text[]) AS r(id, name) JOIN "Account" a ON a."Id" = r.id AND a."Name" = r.name`,
          [ids, names],
        )
      ).rows[0];
      assert.equal(matched.n, BATCHES * ROWS, 'every result id exists and names the record of its input row');
      t.diagnostic(`checked at ${elapsed()}`);
    } catch (err) {
      for (const [name, s] of servers.map((x, i) => ['ABC'[i], x] as const))
        t.diagnostic(`process ${name} output:\n${s.output().slice(-3000)}`);
      throw err;
    } finally {
      await db.end().catch(() => undefined);
      for (const s of servers)
        if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGKILL');
      await Promise.all(servers.map((s) => s.exited));
      await dropDatabase(dbName);
    }
  });
});
