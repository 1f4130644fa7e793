// PK chunking against the daily batch allocation (15,000 batches per 24 hours; each chunk batch counts, Bulk API
// Developer Guide, "PK Chunking"). With 14,990 batches already created today (written by SQL into a filler job), a
// query over 1,000 Accounts with chunkSize=100 would make 10 chunk batches where 8 are left: the original batch fails
// and no chunk batch is made. Before the fix the split went ahead (chunkSize=10 once made 27,002 batches).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, testBackend, TEST_TOKEN } from '../helpers/server.js';
import { dbCount, dbRun } from '../helpers/db.js';
import { BulkClient, batchList, xmlText } from '../helpers/bulk.js';

const FILLER = 14_990;

describe(`PK chunking past the daily batch allocation, on ${testBackend()}`, () => {
  it('fails the original batch and makes no chunk', { timeout: 120_000 }, async () => {
    const server = await startTestServer();
    try {
      const bulk = new BulkClient(server.url, TEST_TOKEN);
      const insert = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const rows = Array.from({ length: 1_000 }, (_, i) => `Quota ${i}`);
      const loaded = await bulk.waitForBatch(insert, await bulk.addBatch(insert, `Name\n${rows.join('\n')}\n`));
      assert.equal(xmlText(loaded, 'state'), 'Completed', loaded);

      const filler = await bulk.createJob({ operation: 'query', object: 'Account', contentType: 'CSV' });
      const now = Date.now();
      await dbRun(
        server,
        `INSERT INTO lf_batch (id, job_id, state, created_date, system_modstamp, request_content_type)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${FILLER})
         SELECT 'fill' || i, '${filler}', 'Completed', ${now}, ${now}, 'text/csv' FROM n`,
      );

      const job = await bulk.createJob(
        { operation: 'query', object: 'Account', contentType: 'CSV' },
        { 'Sforce-Enable-PKChunking': 'chunkSize=100' },
      );
      const original = await bulk.addBatch(job, 'SELECT Id, Name FROM Account', 'text/csv');
      const info = await bulk.waitForBatch(job, original);
      assert.equal(xmlText(info, 'state'), 'Failed', info);
      assert.equal(
        xmlText(info, 'stateMessage'),
        'InvalidBatch : PK chunking would exceed the daily batch allocation: DailyBulkApiBatches Limit exceeded: 15000',
      );
      assert.deepEqual(
        (await batchList(bulk, job)).map((b) => b.id),
        [original],
        'no chunk batch was made',
      );
      assert.equal(await dbCount(server, 'SELECT count(*) AS n FROM lf_batch WHERE job_id = ?', [job]), 1);
    } finally {
      await server.close();
    }
  });
});
