// Values that the two storage backends could treat differently, through the real server on either backend:
// case-insensitive keys outside ASCII, and U+0000, which PostgreSQL text cannot hold.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { BulkClient, xmlText } from '../helpers/bulk.js';
import { dbAll } from '../helpers/db.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
let bulk: BulkClient;

before(async () => {
  server = await startTestServer();
  bulk = new BulkClient(server.url, TEST_TOKEN);
});
after(async () => server.close());

async function run(fields: Record<string, string>, csv: string): Promise<string[]> {
  const jobId = await bulk.createJob({ contentType: 'CSV', ...fields });
  const batchId = await bulk.addBatch(jobId, csv);
  const info = await bulk.waitForBatch(jobId, batchId);
  assert.equal(xmlText(info, 'state'), 'Completed', info);
  return (await bulk.get(`/job/${jobId}/batch/${batchId}/result`)).body.trimEnd().split('\n').slice(1);
}

describe('values on every backend', () => {
  it('matches external ids case-insensitively in ASCII only, as SQLite NOCASE does: ÉCOLE = École, ÉCOLE ≠ école', async () => {
    const upsert = (key: string) =>
      run(
        { operation: 'upsert', object: 'Account', externalIdFieldName: 'External_Id__c' },
        `Name,External_Id__c\nSchool ${key},${key}\n`,
      );
    const [first] = await upsert('ÉCOLE');
    assert.match(first, /^"001\w{15}","true","true",""$/);
    const [again] = await upsert('École');
    assert.equal(again, first.replace('"true","true"', '"true","false"'), 'the same record, updated');
    const [other] = await upsert('école');
    assert.match(other, /"true","true",""$/, 'É and é differ: a new record');
    const rows = await dbAll<{ Name: string }>(
      server,
      `SELECT "Name" FROM "Account" WHERE "Name" LIKE 'School %' ORDER BY "Name"`,
    );
    assert.deepEqual(
      rows.map((r) => r.Name),
      ['School École', 'School école'],
    );
  });

  it('drops U+0000 from a value and stores the rest of the batch', async () => {
    const results = await run(
      { operation: 'insert', object: 'Account' },
      'Name,Description\nNul One,"x\u0000y"\nNul Two,plain\n',
    );
    assert.equal(results.length, 2);
    assert.ok(
      results.every((r) => r.includes('"true","true"')),
      results.join('\n'),
    );
    const rows = await dbAll<{ Name: string; Description: string }>(
      server,
      `SELECT "Name", "Description" FROM "Account" WHERE "Name" LIKE 'Nul %' ORDER BY "Name"`,
    );
    assert.deepEqual(rows, [
      { Name: 'Nul One', Description: 'xy' },
      { Name: 'Nul Two', Description: 'plain' },
    ]);
  });
});
