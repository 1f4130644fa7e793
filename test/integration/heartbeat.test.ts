// The lease heartbeat: a batch whose worker is alive keeps its lease however long it goes between commits. Here a
// 1 s lease and a 2.5 s pause after each chunk commit (--chunk-delay), with a second worker thread idle and ready to
// take over any batch whose lease lapses: the batch must complete under its first worker, with no retry counted
// and every record written once. (Leases that do lapse — a killed process — are the restart and cluster tests'.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnServer, testBackend, TEST_TOKEN } from '../helpers/server.js';
import { BulkClient, numberedAccountsCsv, xmlText } from '../helpers/bulk.js';

describe(`lease heartbeat on ${testBackend()}`, () => {
  it('keeps a live worker\'s lease through pauses longer than the lease', { timeout: 60_000 }, async () => {
    const server = await spawnServer(['--token', TEST_TOKEN, '--workers', '2', '--lease', '1000', '--chunk-delay', '2500']);
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
      assert.equal(new Set(results.slice(1).map((line) => line.split(',')[0])).size, 400, 'every row has its own record');
    } finally {
      await server.close();
    }
  });
});
