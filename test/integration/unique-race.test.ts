// Two processes × four workers on one PostgreSQL database race for the same new unique values: 8 parallel batches of
// the same 2,000 new External_Id__c keys. The unique index lets one insert of each key win; the losers' commits run
// again, see the winner's row and answer as one process would: an upsert updates it (every batch succeeds, each key
// created exactly once), an insert gets DUPLICATE_VALUE naming the winner. Exactly one record per key, checked by SQL.
// Without the index (before the fix) the same run gave 2,400–5,600 records.
//
// PostgreSQL only (SQLite has one writer: no two commits can race); runs in the PostgreSQL tier.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { spawnServer, TEST_TOKEN, type SpawnedServer } from '../helpers/server.js';
import { BulkClient, batchList } from '../helpers/bulk.js';
import { databaseUrl, dropDatabase, pgAdmin, postgresOnlyTestUnavailable } from '../helpers/postgres.js';
import { parseCsv } from '../../src/wire/csv.js';

const BATCHES = 8;
const KEYS = 2_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function keysCsv(prefix: string, batch: number): string {
  const lines = ['Name,External_Id__c'];
  for (let k = 0; k < KEYS; k++) lines.push(`${prefix} ${batch}-${k},${prefix}${k}`);
  return `${lines.join('\n')}\n`;
}

/** Runs 8 batches of the same keys, half through each process, and returns each batch's result rows. */
async function race(clients: BulkClient[], operation: string, prefix: string): Promise<string[][][]> {
  const [a] = clients;
  const fields: Record<string, string> = { operation, object: 'Account', contentType: 'CSV' };
  if (operation === 'upsert') fields.externalIdFieldName = 'External_Id__c';
  const jobId = await a.createJob(fields);
  const ids = await Promise.all(
    Array.from({ length: BATCHES }, (_, i) => clients[i % 2].addBatch(jobId, keysCsv(prefix, i))),
  );
  for (const deadline = Date.now() + 120_000; ; ) {
    const list = await batchList(a, jobId);
    if (list.every((x) => x.state === 'Completed' || x.state === 'Failed')) {
      for (const x of list) assert.equal(x.state, 'Completed', `batch ${x.id}: ${JSON.stringify(x)}`);
      break;
    }
    if (Date.now() > deadline) assert.fail(`not finished: ${JSON.stringify(list)}`);
    await sleep(200);
  }
  return Promise.all(
    ids.map(async (id) => {
      const r = await a.get(`/job/${jobId}/batch/${id}/result`);
      assert.equal(r.status, 200);
      return parseCsv(r.body).slice(1);
    }),
  );
}

describe('PostgreSQL: parallel batches of the same new unique keys across two processes', () => {
  it('gives one record per key; upserts all succeed, the losing inserts get DUPLICATE_VALUE', {
    timeout: 300_000,
  }, async (t: TestContext) => {
    const skip = await postgresOnlyTestUnavailable();
    if (skip) {
      t.skip(skip);
      return;
    }
    const dbName = `lf_unique_${randomBytes(6).toString('hex')}`;
    const url = databaseUrl(dbName);
    await pgAdmin((c) => c.query(`CREATE DATABASE ${dbName}`));
    const servers: SpawnedServer[] = [];
    const db = new pg.Client({ connectionString: url });
    try {
      const args = ['--database', url, '--token', TEST_TOKEN, '--workers', '4'];
      for (const s of await Promise.all([0, 1].map(() => spawnServer(args)))) servers.push(s);
      await db.connect();
      const clients = servers.map((s) => new BulkClient(s.url, TEST_TOKEN));
      const count = async (prefix: string) =>
        (
          await db.query<{ n: number; keys: number }>(
            `SELECT count(*)::int AS n, count(DISTINCT lower("External_Id__c"))::int AS keys FROM "Account"
             WHERE "External_Id__c" LIKE $1`,
            [`${prefix}%`],
          )
        ).rows[0];

      // Upsert: every row of every batch succeeds; each key is created by exactly one batch, updated by the others.
      const upserts = await race(clients, 'upsert', 'U');
      const createdPerKey = new Map<string, number>();
      const idPerKey = new Map<string, string>();
      upserts.forEach((rows, b) => {
        assert.equal(rows.length, KEYS);
        rows.forEach(([id, success, created, error], k) => {
          if (success !== 'true') assert.fail(`upsert batch ${b} row ${k}: ${error}`);
          const key = `U${k}`;
          if (created === 'true') createdPerKey.set(key, (createdPerKey.get(key) ?? 0) + 1);
          if ((idPerKey.get(key) ?? id) !== id) assert.fail(`key ${key}: two ids ${idPerKey.get(key)} and ${id}`);
          idPerKey.set(key, id);
        });
      });
      assert.equal(createdPerKey.size, KEYS, 'every key was created');
      assert.ok(
        [...createdPerKey.values()].every((n) => n === 1),
        'each key was created exactly once',
      );
      assert.deepEqual(await count('U'), { n: KEYS, keys: KEYS });

      // Insert: one batch wins each key; the others get DUPLICATE_VALUE naming the winner's record.
      const inserts = await race(clients, 'insert', 'I');
      const winners = new Map<string, string>();
      const losers: { key: string; error: string }[] = [];
      for (const rows of inserts)
        rows.forEach(([id, success, , error], k) => {
          const key = `I${k}`;
          if (success === 'true') {
            assert.ok(!winners.has(key), `key ${key} inserted twice`);
            winners.set(key, id);
          } else losers.push({ key, error });
        });
      assert.equal(winners.size, KEYS, 'every key was inserted once');
      assert.equal(losers.length, KEYS * (BATCHES - 1));
      for (const { key, error } of losers)
        assert.equal(
          error,
          `DUPLICATE_VALUE:duplicate value found: External_Id__c duplicates value on record with id: ${winners.get(key)}:External_Id__c --`,
        );
      assert.deepEqual(await count('I'), { n: KEYS, keys: KEYS });
    } finally {
      await db.end().catch(() => undefined);
      for (const s of servers) await s.close();
      await dropDatabase(dbName);
    }
  });
});
