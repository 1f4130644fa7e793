// A batch whose payload is gone (its lf_batch_payload row deleted; on SQLite no payload file either): each claim of
// it fails before processing, counts as an attempt and pauses the batch, so the other batches — of the same job and
// of another org — are claimed and finish meanwhile. At the tenth attempt the batch ends Failed with a stateMessage
// that says why; `attempts` never passes the cap. Before the fix the batch was claimed again at every poll, ahead
// of every other batch, for good.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, testBackend, TEST_TOKEN } from '../helpers/server.js';
import { dbCount, dbGet, dbRun } from '../helpers/db.js';
import { BulkClient, xmlText } from '../helpers/bulk.js';
import { createOrg } from '../helpers/org.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitDone(bulk: BulkClient, jobId: string, batchId: string): Promise<string> {
  return bulk.waitForBatch(jobId, batchId, 60_000);
}

describe(`a batch whose payload is missing, on ${testBackend()}`, () => {
  it('ends Failed after ten attempts while other batches finish', { timeout: 120_000 }, async () => {
    // Batches wait 1.5 s before a worker may claim them: time to delete one's payload.
    const server = await startTestServer({ processingDelayMs: 1500, leaseMs: 5000, workers: 2 });
    try {
      const bulk = new BulkClient(server.url, TEST_TOKEN);
      const other = await createOrg(server.url, 'Other Org', 'admin@claims-other.test', 'other-password');
      const otherBulk = new BulkClient(server.url, other.token);
      const jobId = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const lost = await bulk.addBatch(jobId, 'Name\nLost Payload\n');
      await dbRun(server, 'DELETE FROM lf_batch_payload WHERE batch_id = ?', [lost]);
      const state = await dbGet<{ state: string }>(server, 'SELECT state FROM lf_batch WHERE id = ?', [lost]);
      assert.equal(state?.state, 'Queued', 'the payload was deleted before any claim');

      // Batches added while the bad one is being retried: same job, and another org's job.
      await sleep(2500);
      const sameJob = await bulk.addBatch(jobId, 'Name\nSame Job\n');
      const otherJob = await otherBulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const otherBatch = await otherBulk.addBatch(otherJob, 'Name\nOther Org\n');
      for (const [client, job, batch] of [
        [bulk, jobId, sameJob],
        [otherBulk, otherJob, otherBatch],
      ] as const) {
        const info = await waitDone(client, job, batch);
        assert.equal(xmlText(info, 'state'), 'Completed', info);
      }
      const attemptsMeanwhile = await dbGet<{ attempts: number; state: string }>(
        server,
        'SELECT attempts, state FROM lf_batch WHERE id = ?',
        [lost],
      );
      assert.ok(
        attemptsMeanwhile && attemptsMeanwhile.attempts < 10,
        `the others finished first: ${JSON.stringify(attemptsMeanwhile)}`,
      );

      const info = await waitDone(bulk, jobId, lost);
      assert.equal(xmlText(info, 'state'), 'Failed', info);
      assert.equal(
        xmlText(info, 'stateMessage'),
        "InvalidBatch : Retried more than ten times; the last attempt could not start: the batch's data " +
          (testBackend() === 'sqlite' ? 'file is missing' : 'is missing'),
      );
      assert.equal(
        await dbCount(server, 'SELECT count(*) AS n FROM lf_batch WHERE id = ? AND attempts = 10', [lost]),
        1,
      );
      await sleep(500);
      assert.equal(
        await dbCount(server, 'SELECT count(*) AS n FROM lf_batch WHERE id = ? AND attempts = 10', [lost]),
        1,
      );
    } finally {
      await server.close();
    }
  });
});
