// Durability: kill the server (SIGKILL) while a 10,000-row batch is InProgress, start it again on the same data
// (the SQLite directory, or the PostgreSQL database), and check the batch resumes after its last committed chunk:
// exactly 10,000 result rows and exactly 10,000 records, none applied twice, the retry counted. On PostgreSQL the
// killed process's lease must expire before the new process takes the batch over: the test sets it to 3 s.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDataLocation, spawnServer, TEST_TOKEN, type SpawnedServer } from '../helpers/server.js';
import { BulkClient, xmlText } from '../helpers/bulk.js';
import { dbGet } from '../helpers/db.js';

const running: SpawnedServer[] = [];
after(() => {
  for (const s of running) s.process.kill('SIGKILL');
});

describe('restart', () => {
  it('resumes a batch killed mid-way without losing or doubling a record', async (t) => {
    const data = await freshDataLocation();
    t.after(() => data.remove());
    const args = [...data.args, '--token', TEST_TOKEN, '--lease', '3000', '--chunk-delay', '40'];
    const first = await spawnServer(args);
    running.push(first);
    let bulk = new BulkClient(first.url, TEST_TOKEN);
    const jobId = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
    const rows = Array.from({ length: 10_000 }, (_, i) => `Restart ${i},${i}`);
    const batchId = await bulk.addBatch(jobId, `Name,NumberOfEmployees\n${rows.join('\n')}\n`);

    // Wait until some chunks are committed but not all, then kill the process outright.
    let processed = 0;
    for (let i = 0; i < 400; i++) {
      const info = (await bulk.get(`/job/${jobId}/batch/${batchId}`)).body;
      processed = Number(xmlText(info, 'numberRecordsProcessed'));
      if (xmlText(info, 'state') === 'InProgress' && processed >= 1000) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(processed >= 1000 && processed < 10_000, `killed at ${processed} records`);
    first.process.kill('SIGKILL');
    await first.exited;

    const second = await spawnServer([...data.args, '--token', TEST_TOKEN, '--lease', '3000']);
    running.push(second);
    bulk = new BulkClient(second.url, TEST_TOKEN);
    const info = await bulk.waitForBatch(jobId, batchId, 60_000);
    assert.equal(xmlText(info, 'state'), 'Completed');
    assert.equal(xmlText(info, 'numberRecordsProcessed'), '10000');
    assert.equal(xmlText(info, 'numberRecordsFailed'), '0');
    const job = (await bulk.get(`/job/${jobId}`)).body;
    assert.ok(Number(xmlText(job, 'numberRetries')) >= 1, 'the resumed attempt is counted');

    const results = (await bulk.get(`/job/${jobId}/batch/${batchId}/result`)).body.trimEnd().split('\n');
    assert.equal(results.length, 10_001);
    const ids = results.slice(1).map((l) => l.split(',')[0].replace(/"/g, ''));
    assert.equal(new Set(ids).size, 10_000);

    // lower() … LIKE: SQLite's LIKE ignores ASCII case, PostgreSQL's does not; this matches the same rows on both.
    const counts = await dbGet(
      data,
      `SELECT COUNT(*) AS n, COUNT(DISTINCT "Name") AS names FROM "Account" WHERE lower("Name") LIKE 'restart %'`,
    );
    // Result row i names the record made from input row i.
    const sample = await dbGet(data, 'SELECT "Name" FROM "Account" WHERE "Id" = ?', [ids[7777]]);
    assert.deepEqual(counts, { n: 10_000, names: 10_000 });
    assert.deepEqual(sample, { Name: 'Restart 7777' });
    await second.close();
  });
});
