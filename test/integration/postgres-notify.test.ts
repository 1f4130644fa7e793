// LISTEN/NOTIFY wakes another process's idle worker at once. Two servers on one PostgreSQL database, each with one
// worker thread that polls only every 60 s: B's worker is busy with a slow batch when a second batch is posted through
// B, so only a notification can bring A's idle worker to it before the next poll — the batch completes in seconds.
// (Without notifications it would wait for B's worker, ten seconds on.) PostgreSQL only.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { freshDataLocation, TEST_TOKEN } from '../helpers/server.js';
import { BulkClient, numberedAccountsCsv, xmlText } from '../helpers/bulk.js';
import { postgresOnlyTestUnavailable } from '../helpers/postgres.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("PostgreSQL: a batch queued through one process wakes another process's idle worker", () => {
  it('runs the batch at once on the other process, long before its next poll', {
    timeout: 60_000,
  }, async (t: TestContext) => {
    const skip = await postgresOnlyTestUnavailable();
    if (skip) {
      t.skip(skip);
      return;
    }
    const location = await freshDataLocation('postgres');
    const servers: RunningServer[] = [];
    try {
      // One worker each, a 60 s poll, 2 s after every 200-record chunk.
      const config = {
        ...location.config,
        port: 0,
        token: TEST_TOKEN,
        logLevel: 'silent',
        pollMs: 60_000,
        workers: 1,
        chunkDelayMs: 2000,
      };
      const b = await startServer(config);
      servers.push(b);
      const viaB = new BulkClient(b.url, TEST_TOKEN);
      const job = await viaB.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const slow = await viaB.addBatch(job, numberedAccountsCsv('Slow', 0, 2000)); // ten chunks: twenty seconds
      for (let i = 0; xmlText((await viaB.get(`/job/${job}/batch/${slow}`)).body, 'state') !== 'InProgress'; i++) {
        assert.ok(i < 100, "B's worker took the slow batch");
        await sleep(50);
      }
      const a = await startServer(config);
      servers.push(a);
      // A probe through A: its own worker (woken in-process) runs it, so the worker has started, and once the probe is
      // done it finds nothing else queued and sleeps for 60 s.
      const viaA = new BulkClient(a.url, TEST_TOKEN);
      const probe = await viaA.addBatch(job, numberedAccountsCsv('Probe', 0, 1));
      assert.equal(xmlText(await viaA.waitForBatch(job, probe, 20_000), 'state'), 'Completed');
      await sleep(300);
      assert.equal(xmlText((await viaB.get(`/job/${job}/batch/${slow}`)).body, 'state'), 'InProgress');

      const posted = Date.now();
      const quick = await viaB.addBatch(job, numberedAccountsCsv('Quick', 0, 10));
      const info = await viaB.waitForBatch(job, quick, 20_000);
      const tookMs = Date.now() - posted;
      assert.equal(xmlText(info, 'state'), 'Completed', info);
      assert.ok(tookMs < 6000, `completed ${tookMs} ms after it was posted (the next poll was a minute away)`);
      assert.equal(
        xmlText((await viaB.get(`/job/${job}/batch/${slow}`)).body, 'state'),
        'InProgress',
        "B's worker was still busy: A's worker ran it",
      );
      t.diagnostic(`the batch posted through B completed ${tookMs} ms later on A`);
    } finally {
      for (const s of servers.reverse()) await s.close();
      await location.remove();
    }
  });
});
