// Requests that race each other on the real server: an upload against an abort of its job. Whatever the
// interleaving, a batch is either refused (InvalidJobState) or stored while the job was Open — and then the abort
// turns it NotProcessed. A batch must never be stored Queued in a job that is already Aborted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { BulkClient, NS, xmlText } from '../helpers/bulk.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
let bulk: BulkClient;

// Batches wait 60 s before a worker may claim them: every accepted batch is still Queued when the abort lands.
before(async () => {
  server = await startTestServer({ processingDelayMs: 60_000 });
  bulk = new BulkClient(server.url, TEST_TOKEN);
});
after(async () => server.close());

// Above the inline limit (256 KB): the payload is written to its own fsynced file first, a window of several
// milliseconds between the request's check of the job state and the batch's commit.
const bigCsv = `Name\n${Array.from({ length: 20_000 }, (_, i) => `Racing account ${i}`).join('\n')}\n`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an upload racing a state change of its job', () => {
  {
    const target = 'Aborted';
    it('never leaves a Queued batch in an aborted job (12 interleavings)', async () => {
      const outcomes = { stored: 0, refused: 0 };
      for (let k = 0; k < 12; k++) {
        const jobId = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
        const [upload] = await Promise.all([
          bulk.post(`/job/${jobId}/batch`, bigCsv, 'text/csv'),
          sleep(k).then(() => bulk.post(`/job/${jobId}`, `<jobInfo xmlns="${NS}"><state>${target}</state></jobInfo>`)),
        ]);
        if (upload.status === 201) outcomes.stored++;
        else {
          assert.equal(upload.status, 400, upload.body);
          assert.equal(xmlText(upload.body, 'exceptionCode'), 'InvalidJobState');
          outcomes.refused++;
        }
        const list = await bulk.get(`/job/${jobId}/batch`);
        const states = [...list.body.matchAll(/<state>(\w+)<\/state>/g)].map((m) => m[1]);
        assert.equal(states.length, upload.status === 201 ? 1 : 0, list.body);
        // Stored before the abort: the abort made it NotProcessed.
        if (upload.status === 201) assert.equal(states[0], 'NotProcessed');
        const job = await bulk.get(`/job/${jobId}`);
        assert.equal(xmlText(job.body, 'state'), target);
        assert.equal(xmlText(job.body, 'numberBatchesQueued'), '0', job.body);
      }
      assert.equal(outcomes.stored + outcomes.refused, 12);
    });
  }
});
