// Unique fields are unique in the database: the record table gets a unique index (case-insensitive, over live
// records), so a duplicate written past the engine's own check — another process racing it — is refused by the
// database. A table that already holds duplicates when the index would be added (written before it existed) is left
// without it: the server says so at start and keeps serving. On the backend under test, over real HTTP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDataLocation, startTestServer, testBackend, TEST_TOKEN } from '../helpers/server.js';
import { dbCount, dbRun } from '../helpers/db.js';
import { BulkClient, xmlText } from '../helpers/bulk.js';
import { parseCsv } from '../../src/wire/csv.js';

const INDEX = 'Account_External_Id__c_uidx';
const indexCount = (target: Parameters<typeof dbCount>[0]) =>
  testBackend() === 'sqlite'
    ? dbCount(target, `SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name = ?`, [INDEX])
    : dbCount(target, 'SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = ?', [INDEX]);

async function insert(bulk: BulkClient, csv: string): Promise<string[][]> {
  const job = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
  const batch = await bulk.addBatch(job, csv);
  const info = await bulk.waitForBatch(job, batch);
  assert.equal(xmlText(info, 'state'), 'Completed', info);
  return parseCsv((await bulk.get(`/job/${job}/batch/${batch}/result`)).body).slice(1);
}

describe(`unique index on a unique External ID, on ${testBackend()}`, () => {
  it('refuses a duplicate in the database; a table with duplicates starts without it', {
    timeout: 60_000,
  }, async () => {
    const data = await freshDataLocation();
    const warnings: string[] = [];
    const warn = console.warn;
    try {
      let server = await startTestServer(data.config);
      try {
        assert.equal(await indexCount(data), 1, 'the unique index exists');
        const [[id]] = await insert(new BulkClient(server.url, TEST_TOKEN), 'Name,External_Id__c\nFirst,KEY-1\n');
        // Past the engine: the database itself refuses the same value in another case, but not a deleted record's.
        const row = (rowId: string, deleted: number) =>
          dbRun(
            data,
            `INSERT INTO "Account" ("Id", "Name", "External_Id__c", "IsDeleted") VALUES (?, 'Dup', 'key-1', ?)`,
            [rowId, deleted],
          );
        await assert.rejects(row('001Lf00000ZZZZ1AAA', 0), /unique|UNIQUE/);
        await row('001Lf00000ZZZZ2AAA', 1);
        // A table holding duplicates from before the index: dropped here and a duplicate written.
        await dbRun(data, `DROP INDEX "${INDEX}"`);
        await row('001Lf00000ZZZZ3AAA', 0);
        assert.ok(id);
      } finally {
        await server.close();
      }
      console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
      server = await startTestServer(data.config);
      console.warn = warn;
      try {
        assert.deepEqual(
          warnings.filter((w) => w.includes('External_Id__c')),
          ['localforce: Account holds duplicate values for External_Id__c; left without its unique index'],
        );
        assert.equal(await indexCount(data), 0);
        // The server serves: a new key inserts, the duplicated one is still refused by the engine's check.
        const results = await insert(
          new BulkClient(server.url, TEST_TOKEN),
          'Name,External_Id__c\nSecond,KEY-2\nThird,KEY-1\n',
        );
        assert.equal(results[0][1], 'true');
        assert.equal(results[1][1], 'false');
        assert.match(results[1][3], /^DUPLICATE_VALUE:/);
      } finally {
        await server.close();
      }
    } finally {
      console.warn = warn;
      await data.remove();
    }
  });
});
