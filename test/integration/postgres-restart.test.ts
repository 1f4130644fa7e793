// PostgreSQL itself restarts while batches are in flight: two `localforce serve --database` processes on a fresh
// database, 20 batches of 10,000 Account rows queued (slowed with --chunk-delay so they are still running), then
// PostgreSQL is stopped. During the outage every Bulk request answers 503 with a Salesforce-style error document
// (not a 500, not a hang) and both processes stay up. PostgreSQL starts again; the batches cut off mid-way resume
// after their last committed chunk: every batch ends Completed with exactly 10,000 result rows and — checked by
// SQL — exactly one record per input row; new jobs and batches work through both processes.
//
// This restarts the machine's PostgreSQL (pg_ctlcluster; LOCALFORCE_TEST_PG_CLUSTER, default: the cluster on the admin URL's port) and always
// starts it again, waiting for pg_isready. Skip rules as test/integration/postgres-cluster.test.ts (PostgreSQL
// unreachable, or cannot be restarted from here: skipped with the reason unless LOCALFORCE_REQUIRE_POSTGRES=1; when
// the suite runs in tiers, only in the PostgreSQL tier).
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { pgAdminUrl, spawnServer, TEST_TOKEN, type SpawnedServer } from '../helpers/server.js';
import { BulkClient, batchList, numberedAccountsCsv, xmlText, NS, type BatchListRow } from '../helpers/bulk.js';
import { databaseUrl, dropDatabase, pgAdmin, postgresOnlyTestUnavailable } from '../helpers/postgres.js';

const ADMIN_URL = pgAdminUrl();
/** The Debian cluster (version, name) to stop and start: LOCALFORCE_TEST_PG_CLUSTER, else the one on the admin URL's port. */
function clusterToRestart(): string[] {
  if (process.env.LOCALFORCE_TEST_PG_CLUSTER) return process.env.LOCALFORCE_TEST_PG_CLUSTER.split(/\s+/);
  const port = new URL(ADMIN_URL).port || '5432';
  try {
    for (const line of execFileSync('pg_lsclusters', ['--no-header'], { stdio: 'pipe' }).toString().split('\n')) {
      const [version, name, clusterPort] = line.trim().split(/\s+/);
      if (clusterPort === port) return [version, name];
    }
  } catch {
    /* no pg_lsclusters: restartUnavailable() says so */
  }
  return ['15', 'main'];
}
const CLUSTER = clusterToRestart();
const BATCHES = 20;
const ROWS = 10_000;

const pgctl = (action: 'start' | 'stop') =>
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', ...CLUSTER, action], { stdio: 'pipe', timeout: 60_000 });

function pgReady(): boolean {
  const { hostname, port } = new URL(ADMIN_URL);
  try {
    execFileSync('pg_isready', ['-h', hostname || '127.0.0.1', '-p', port || '5432'], {
      stdio: 'pipe',
      timeout: 10_000,
    });
    return true;
  } catch {
    return false;
  }
}

/** Starts PostgreSQL if it is down, and waits until pg_isready says it accepts connections. */
async function ensurePostgresUp(): Promise<void> {
  if (pgReady()) return;
  try {
    pgctl('start');
  } catch {
    /* already starting: wait for it below */
  }
  for (const deadline = Date.now() + 60_000; !pgReady(); ) {
    if (Date.now() > deadline) throw new Error('PostgreSQL did not come back within 60 s');
    await sleep(200);
  }
}

/** Why this test cannot run here, or undefined: the shared gate, and the cluster must be one this test can restart. */
async function restartUnavailable(): Promise<string | undefined> {
  const reason = await postgresOnlyTestUnavailable();
  if (reason) return reason;
  try {
    execFileSync('pg_lsclusters', [...CLUSTER], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    const why = `cannot restart PostgreSQL from here (pg_lsclusters ${CLUSTER.join(' ')}: ${(err as Error).message.split('\n')[0]})`;
    if (process.env.LOCALFORCE_REQUIRE_POSTGRES === '1') throw new Error(`${why} (LOCALFORCE_REQUIRE_POSTGRES=1)`);
    return why;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const csvFor = (batch: number) => numberedAccountsCsv('R', batch, ROWS);

interface Answer {
  what: string;
  status: number | string;
  ms: number;
  contentType: string | null;
  body: string;
}

/** One request with a bound on its time: a hang shows up as status 'timeout', a refused connection as 'error'. */
async function timed(what: string, url: string, init: RequestInit): Promise<Answer> {
  const t0 = Date.now();
  try {
    const r = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
    return {
      what,
      status: r.status,
      ms: Date.now() - t0,
      contentType: r.headers.get('content-type'),
      body: await r.text(),
    };
  } catch (err) {
    const e = err as Error;
    return {
      what,
      status:
        e.name === 'TimeoutError' ? 'timeout' : `error: ${e.message} ${(e.cause as Error | undefined)?.message ?? ''}`,
      ms: Date.now() - t0,
      contentType: null,
      body: '',
    };
  }
}

describe('PostgreSQL restart with batches in flight', () => {
  // Chunk by chunk (--chunk-delay: one chunk per commit, each batch long in flight), and as batches normally run
  // (25 chunks per transaction through one COPY kept open): the outage cuts into both kinds of commit.
  it(
    'answers 503 during the outage, then resumes every batch exactly once (chunk by chunk)',
    { timeout: 300_000 },
    (t: TestContext) => restartScenario(t, true),
  );
  it(
    'answers 503 during the outage, then resumes every batch exactly once (25 chunks per commit)',
    { timeout: 300_000 },
    (t: TestContext) => restartScenario(t, false),
  );
});

async function restartScenario(t: TestContext, slow: boolean): Promise<void> {
  const skip = await restartUnavailable();
  if (skip) {
    t.diagnostic(`skipped: ${skip}`);
    t.skip(skip);
    return;
  }
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const dbName = `lf_restart_${randomBytes(6).toString('hex')}`;
  const url = databaseUrl(dbName);
  await pgAdmin((c) => c.query(`CREATE DATABASE ${dbName}`));
  const servers: SpawnedServer[] = [];
  try {
    // 20 ms after each 200-record chunk: a 10,000-row batch spends at least a second in flight.
    // A 10 s lease (default 30 s): longer than the outage, so a worker whose commit was cut off takes its own batch
    // back at once; a worker thread that died leaves its batch for 10 s.
    const args = [
      '--database',
      url,
      '--token',
      TEST_TOKEN,
      '--workers',
      '2',
      '--lease',
      '10000',
      ...(slow ? ['--chunk-delay', '20'] : []),
    ];
    const a = await spawnServer(args);
    servers.push(a);
    const b = await spawnServer(args);
    servers.push(b);
    const viaA = new BulkClient(a.url, TEST_TOKEN);
    const viaB = new BulkClient(b.url, TEST_TOKEN);
    const jobId = await viaA.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const batchIds: string[] = [];
    for (let i = 0; i < BATCHES; i++) batchIds.push(await (i % 2 ? viaB : viaA).addBatch(jobId, csvFor(i)));
    t.diagnostic(`${BATCHES} batches queued through A and B at ${elapsed()}`);

    // Stop PostgreSQL while some batches are part-way through.
    let before: BatchListRow[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      before = await batchList(viaB, jobId);
      if (before.some((x) => x.state === 'InProgress' && x.processed > 0 && x.processed < ROWS)) break;
      await sleep(20);
    }
    assert.ok(
      before.some((x) => x.state === 'InProgress' && x.processed > 0 && x.processed < ROWS),
      `no batch part-way: ${JSON.stringify(before)}`,
    );
    const stopAt = Date.now();
    const logMark = servers.map((x) => x.output().length);
    let readyAt = 0;
    const answers: Answer[] = [];
    let rest!: Answer;
    let oauth!: Answer;
    try {
      pgctl('stop');
      t.diagnostic(
        `PostgreSQL stopped at ${elapsed()} (took ${Date.now() - stopAt} ms): ` +
          `${before.filter((x) => x.state === 'Completed').length} Completed, in flight ${before
            .filter((x) => x.state === 'InProgress')
            .map((x) => x.processed)
            .join('/')}`,
      );

      // During the outage: batch list, job, batch status, result, a new batch, a new job, through both processes.
      const headers = { 'X-SFDC-Session': TEST_TOKEN };
      const csvHeaders = { ...headers, 'Content-Type': 'text/csv' };
      const xmlHeaders = { ...headers, 'Content-Type': 'application/xml; charset=UTF-8' };
      const jobXml = `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>`;
      for (const [name, s] of [
        ['A', viaA],
        ['B', viaB],
      ] as const) {
        answers.push(await timed(`${name} GET batch list`, s.url(`/job/${jobId}/batch`), { headers }));
        answers.push(await timed(`${name} GET job`, s.url(`/job/${jobId}`), { headers }));
        answers.push(await timed(`${name} GET batch`, s.url(`/job/${jobId}/batch/${batchIds[0]}`), { headers }));
        answers.push(
          await timed(`${name} GET result`, s.url(`/job/${jobId}/batch/${batchIds[0]}/result`), { headers }),
        );
        answers.push(
          await timed(`${name} POST batch`, s.url(`/job/${jobId}/batch`), {
            method: 'POST',
            headers: csvHeaders,
            body: 'Name\nDuring outage\n',
          }),
        );
        answers.push(
          await timed(`${name} POST job`, s.url('/job'), { method: 'POST', headers: xmlHeaders, body: jobXml }),
        );
      }
      // The other surfaces, in their own error shapes.
      rest = await timed('A GET REST limits', `${a.url}/services/data/v62.0/limits`, {
        headers: { Authorization: `Bearer ${TEST_TOKEN}` },
      });
      oauth = await timed('B POST OAuth token', `${b.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&client_id=x&client_secret=y&username=admin%40localforce.local&password=localforce',
      });
      const health = await timed('A GET /_localforce/health', `${a.url}/_localforce/health`, {});
      await sleep(1000); // the workers keep retrying against a database that is down
      for (const x of answers)
        t.diagnostic(`outage: ${x.what} → ${x.status} in ${x.ms} ms, ${x.contentType}: ${x.body.slice(0, 400)}`);
      t.diagnostic(`outage: ${health.what} → ${health.status} ${health.body.slice(0, 200)}`);
      assert.equal(a.process.exitCode, null, `A is alive during the outage:\n${a.output().slice(-3000)}`);
      assert.equal(b.process.exitCode, null, `B is alive during the outage:\n${b.output().slice(-3000)}`);
    } finally {
      await ensurePostgresUp();
      readyAt = Date.now();
      t.diagnostic(`PostgreSQL ready again at ${elapsed()} (down ${((Date.now() - stopAt) / 1000).toFixed(1)} s)`);
    }
    for (const [i, x] of servers.entries()) {
      const lines = x.output().slice(logMark[i]).split('\n').filter(Boolean);
      t.diagnostic(
        `process ${'AB'[i]} logged ${lines.length} lines during the outage${lines.length ? `; first: ${lines[0].slice(0, 600)}` : ''}`,
      );
    }
    for (const x of [rest, oauth]) {
      assert.equal(x.status, 503, `${x.what}: ${x.status} ${x.body.slice(0, 500)}`);
      assert.match(x.contentType ?? '', /^application\/json/, `${x.what}: ${x.contentType}`);
      assert.match(x.body, /database/i, `${x.what}: ${x.body}`);
    }
    assert.equal(JSON.parse(rest.body)[0]?.errorCode, 'SERVER_UNAVAILABLE', rest.body);
    assert.equal(JSON.parse(oauth.body).error, 'temporarily_unavailable', oauth.body);
    for (const x of answers) {
      assert.equal(x.status, 503, `${x.what}: ${x.status} ${x.body.slice(0, 500)}`);
      assert.match(x.contentType ?? '', /xml/, `${x.what}: content type ${x.contentType}`);
      // A Bulk 1.0 error document: <error xmlns="…dataload"><exceptionCode>…</exceptionCode><exceptionMessage>…</exceptionMessage></error>
      assert.match(x.body, new RegExp(`<error\\s+xmlns="${NS}">`), `${x.what}: ${x.body}`);
      assert.ok(xmlText(x.body, 'exceptionCode'), `${x.what}: an exceptionCode`);
      assert.match(xmlText(x.body, 'exceptionMessage') ?? '', /database/i, `${x.what}: the message says what is wrong`);
      assert.ok(x.ms < 10_000, `${x.what}: answered in ${x.ms} ms`);
    }

    // After the restart: every batch completes, exactly once.
    let final: BatchListRow[] = [];
    for (const deadline = Date.now() + 120_000; ; ) {
      const r = await viaA.get(`/job/${jobId}/batch`);
      if (r.status === 200) {
        final = await batchList(viaA, jobId);
        if (final.every((x) => x.state !== 'Queued' && x.state !== 'InProgress')) break;
      }
      if (Date.now() > deadline)
        assert.fail(
          `not finished after the restart: ${r.status} ${JSON.stringify(final.filter((x) => x.state !== 'Completed'))}`,
        );
      await sleep(250);
    }
    // A worker thread that dies (an error event no code awaited: its stack has no "at async" frame) would be replaced
    // by a new one, a new lease owner, and the batch it held would wait for its lease to expire. Workers report the
    // outage in one "database unavailable" line each and carry on: none may die.
    const restarts = servers.map(
      (x) =>
        x
          .output()
          .split('\n')
          .filter((l) => l.includes('"worker":true') && !l.includes('at async') && !l.includes('database unavailable'))
          .length,
    );
    t.diagnostic(
      `all batches finished at ${elapsed()}, ${((Date.now() - readyAt) / 1000).toFixed(1)} s after PostgreSQL was ready; ` +
        `worker threads died: A ${restarts[0]}, B ${restarts[1]}`,
    );
    assert.deepEqual(restarts, [0, 0], 'no worker thread died');
    assert.equal(a.process.exitCode, null, 'A is alive');
    assert.equal(b.process.exitCode, null, 'B is alive');
    assert.deepEqual(final.map((x) => x.id).sort(), [...batchIds].sort(), 'no batch was added during the outage');
    for (const x of final)
      assert.deepEqual(
        { id: x.id, state: x.state, processed: x.processed, failed: x.failed },
        { id: x.id, state: 'Completed', processed: ROWS, failed: 0 },
      );
    const job = (await viaB.get(`/job/${jobId}`)).body;
    t.diagnostic(`numberRetries ${xmlText(job, 'numberRetries')}`);

    const ids: string[] = [];
    const names: string[] = [];
    for (let i = 0; i < BATCHES; i++) {
      const r = await (i % 2 ? viaB : viaA).get(`/job/${jobId}/batch/${batchIds[i]}/result`);
      assert.equal(r.status, 200);
      const lines = r.body.trimEnd().split('\n');
      assert.equal(lines.length, ROWS + 1, `batch ${i}: ${lines.length - 1} result rows`);
      for (let row = 0; row < ROWS; row++) {
        const [id, success, created] = lines[row + 1].split(',').map((s) => s.replace(/"/g, ''));
        if (success !== 'true' || created !== 'true') assert.fail(`batch ${i} row ${row}: ${lines[row + 1]}`);
        ids.push(id);
        names.push(`R${i}-${row}`);
      }
    }
    assert.equal(new Set(ids).size, BATCHES * ROWS, 'result ids are unique');

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const counts = (
        await db.query(
          `SELECT count(*)::int AS n, count(DISTINCT "Name")::int AS names FROM "Account" WHERE "Name" LIKE 'R%'`,
        )
      ).rows[0];
      assert.deepEqual(counts, { n: BATCHES * ROWS, names: BATCHES * ROWS });
      const stray = (await db.query(`SELECT count(*)::int AS n FROM "Account" WHERE "Name" = 'During outage'`)).rows[0];
      assert.equal(stray.n, 0, 'a batch refused with 503 left no record');
      const matched = (
        await db.query(
          `SELECT count(*)::int AS n FROM unnest($1::text[], $2::text[]) AS r(id, name) JOIN "Account" a ON a."Id" = r.id AND a."Name" = r.name`,
          [ids, names],
        )
      ).rows[0];
      assert.equal(matched.n, BATCHES * ROWS, 'every result id exists and names the record of its input row');
    } finally {
      await db.end();
    }

    // New requests work through both processes.
    for (const [name, s] of [
      ['A', viaA],
      ['B', viaB],
    ] as const) {
      const j = await s.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const batch = await s.addBatch(j, `Name\nAfter restart ${name}\n`);
      const info = await s.waitForBatch(j, batch, 30_000);
      assert.equal(xmlText(info, 'state'), 'Completed', `${name}: ${info}`);
      assert.equal(xmlText(info, 'numberRecordsProcessed'), '1');
    }
    t.diagnostic(`done at ${elapsed()}`);
  } catch (err) {
    for (const [name, s] of servers.map((x, i) => ['AB'[i], x] as const))
      t.diagnostic(`process ${name} output:\n${s.output().slice(-4000)}`);
    throw err;
  } finally {
    await ensurePostgresUp();
    for (const s of servers)
      if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await dropDatabase(dbName);
  }
}
