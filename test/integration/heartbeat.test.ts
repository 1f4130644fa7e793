// Leases and retries. The heartbeat: a batch whose worker is alive keeps its lease however long it goes between commits. Here a
// 1 s lease and a 2.5 s pause after each chunk commit (--chunk-delay), with a second worker thread idle and ready to
// take over any batch whose lease lapses: the batch must complete under its first worker, with no retry counted
// and every record written once. (Leases that do lapse — a killed process — are the restart and cluster tests'.)
// The retry limit: a batch claimed ten times fails with Salesforce's message instead of being claimed again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnServer, startTestServer, testBackend, TEST_TOKEN } from '../helpers/server.js';
import { dbCount, dbRun } from '../helpers/db.js';
import { BulkClient, numberedAccountsCsv, xmlText } from '../helpers/bulk.js';

describe(`lease heartbeat on ${testBackend()}`, () => {
  it("keeps a live worker's lease through pauses longer than the lease", { timeout: 60_000 }, async () => {
    const server = await spawnServer([
      '--token',
      TEST_TOKEN,
      '--workers',
      '2',
      '--lease',
      '1000',
      '--chunk-delay',
      '2500',
    ]);
    try {
      const bulk = new BulkClient(server.url, TEST_TOKEN);
      const jobId = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const batchId = await bulk.addBatch(jobId, numberedAccountsCsv('H', 0, 400)); // two chunks: one pause between commits
      const info = await bulk.waitForBatch(jobId, batchId, 30_000);
      assert.equal(xmlText(info, 'state'), 'Completed', info);
      assert.equal(xmlText(info, 'numberRecordsProcessed'), '400');
      const job = await bulk.get(`/job/${jobId}`);
      assert.equal(xmlText(job.body, 'numberRetries'), '0', 'no other worker took the batch over');
      const results = (await bulk.get(`/job/${jobId}/batch/${batchId}/result`)).body.trim().split('\n');
      assert.equal(results.length, 401);
      assert.equal(
        new Set(results.slice(1).map((line) => line.split(',')[0])).size,
        400,
        'every row has its own record',
      );
    } finally {
      await server.close();
    }
  });

  it('fails a batch claimed ten times with InvalidBatch : Retried more than ten times', {
    timeout: 30_000,
  }, async () => {
    // Batches wait 5 s before a worker may claim them: time to record ten earlier attempts, as if ten workers had
    // died holding it.
    const server = await startTestServer({ processingDelayMs: 5000 });
    try {
      const bulk = new BulkClient(server.url, TEST_TOKEN);
      const jobId = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const batchId = await bulk.addBatch(jobId, 'Name\nNever Inserted\n');
      await dbRun(server, "UPDATE lf_batch SET attempts = 10 WHERE id = ? AND state = 'Queued'", [batchId]);
      assert.equal(
        await dbCount(server, 'SELECT count(*) AS n FROM lf_batch WHERE id = ? AND attempts = 10', [batchId]),
        1,
        'still Queued when the attempts were set',
      );
      const info = await bulk.waitForBatch(jobId, batchId, 20_000);
      assert.equal(xmlText(info, 'state'), 'Failed', info);
      assert.equal(xmlText(info, 'stateMessage'), 'InvalidBatch : Retried more than ten times');
      assert.equal(xmlText(info, 'numberRecordsProcessed'), '0');
      // The cap is checked when the batch would be claimed: it fails without an eleventh claim.
      assert.equal(xmlText((await bulk.get(`/job/${jobId}`)).body, 'numberRetries'), '0', 'no eleventh claim');
      assert.equal(
        await dbCount(server, 'SELECT count(*) AS n FROM lf_batch WHERE id = ? AND attempts = 10', [batchId]),
        1,
      );
      assert.equal(await dbCount(server, `SELECT count(*) AS n FROM "Account" WHERE "Name" = 'Never Inserted'`), 0);
    } finally {
      await server.close();
    }
  });
});
