// Concurrency modes, watched from outside through the batch list: a Serial job runs one batch at a time, in creation
// order, across every worker thread and — on PostgreSQL — across every process on the database; two Serial jobs do
// not wait for each other; a Parallel job's batches run side by side. Batches are slowed on purpose (--chunk-delay)
// so that each one stays InProgress for several polls.
//
// SQLite tier: one process with three worker threads. PostgreSQL tier: three processes with two worker threads each,
// batches uploaded through A, lists polled through B.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  freshDataLocation,
  spawnServer,
  testBackend,
  TEST_TOKEN,
  type DataLocation,
  type SpawnedServer,
} from '../helpers/server.js';
import { BulkClient, batchList, numberedAccountsCsv, type BatchListRow } from '../helpers/bulk.js';

const BATCHES = 6;
const ROWS = 1000; // five 200-record chunks
const CHUNK_DELAY_MS = 60; // so a batch is InProgress for 300 ms or more
const POLL_MS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every list seen while the jobs ran, per job, in the order they were taken. */
async function watch(bulk: BulkClient, jobIds: string[], timeoutMs = 60_000): Promise<Map<string, BatchListRow[][]>> {
  const seen = new Map<string, BatchListRow[][]>(jobIds.map((id) => [id, []]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let open = false;
    for (const id of jobIds) {
      const list = await batchList(bulk, id);
      seen.get(id)!.push(list);
      if (list.length < BATCHES || list.some((b) => b.state === 'Queued' || b.state === 'InProgress')) open = true;
    }
    if (!open) return seen;
    if (Date.now() > deadline) throw new Error('batches still running after 60 s');
    await sleep(POLL_MS);
  }
}

const inProgress = (list: BatchListRow[]) => list.filter((b) => b.state === 'InProgress').length;

describe(`concurrency modes on ${testBackend()}`, () => {
  const processes = testBackend() === 'postgres' ? 3 : 1;
  const workers = testBackend() === 'postgres' ? 2 : 3;
  let location: DataLocation;
  const servers: SpawnedServer[] = [];
  let viaA: BulkClient;
  let viaB: BulkClient;

  before(async () => {
    location = await freshDataLocation();
    const args = [
      ...location.args,
      '--token',
      TEST_TOKEN,
      '--workers',
      String(workers),
      '--chunk-delay',
      String(CHUNK_DELAY_MS),
    ];
    // One after another: the first creates the schema and the default org, the others find them.
    for (let i = 0; i < processes; i++) servers.push(await spawnServer(args));
    viaA = new BulkClient(servers[0].url, TEST_TOKEN);
    viaB = new BulkClient(servers[processes - 1].url, TEST_TOKEN);
  });
  after(async () => {
    for (const s of servers) await s.close();
    await location?.remove();
  });

  async function loadJob(
    concurrencyMode: 'Serial' | 'Parallel',
    prefix: string,
  ): Promise<{ jobId: string; batchIds: string[] }> {
    const jobId = await viaA.createJob({ operation: 'insert', object: 'Account', concurrencyMode, contentType: 'CSV' });
    const batchIds: string[] = [];
    for (let i = 0; i < BATCHES; i++) batchIds.push(await viaA.addBatch(jobId, numberedAccountsCsv(prefix, i, ROWS)));
    return { jobId, batchIds };
  }

  function assertAllCompleted(lists: BatchListRow[][], batchIds: string[]): void {
    const last = lists[lists.length - 1];
    assert.deepEqual(
      last.map((b) => b.id),
      batchIds,
      'the list shows the batches in creation order',
    );
    assert.deepEqual(
      last.map((b) => [b.state, b.processed, b.failed]),
      batchIds.map(() => ['Completed', ROWS, 0]),
    );
  }

  it(`runs a Serial job one batch at a time, in creation order, and two Serial jobs side by side (${processes} process(es) × ${workers} workers)`, {
    timeout: 120_000,
  }, async () => {
    const [first, second] = await Promise.all([loadJob('Serial', 'S'), loadJob('Serial', 'T')]);
    const seen = await watch(viaB, [first.jobId, second.jobId]);
    for (const { jobId, batchIds } of [first, second]) {
      const lists = seen.get(jobId)!;
      assertAllCompleted(lists, batchIds);
      for (const list of lists) {
        assert.ok(
          inProgress(list) <= 1,
          `at most one batch of a Serial job InProgress: ${list.map((b) => b.state).join(' ')}`,
        );
        // In creation order: Completed…, then at most one InProgress, then Queued… — never a later batch ahead of an earlier one.
        const states = list.map((b) => b.state).join(' ');
        assert.match(states, /^(Completed ?)*(InProgress ?)?(Queued ?)*$/, `batches run in creation order: ${states}`);
      }
      // Watched while it ran: each batch seen InProgress (the watch would otherwise prove nothing).
      const seenRunning = new Set(lists.flatMap((l) => l.filter((b) => b.state === 'InProgress').map((b) => b.id)));
      assert.ok(
        seenRunning.size >= BATCHES - 1,
        `most batches were seen InProgress (${seenRunning.size} of ${BATCHES})`,
      );
    }
    // A Serial job does not hold up another: at some poll both jobs had a batch InProgress.
    const a = seen.get(first.jobId)!;
    const b = seen.get(second.jobId)!;
    const both = a.some((list, i) => inProgress(list) === 1 && b[i] !== undefined && inProgress(b[i]) === 1);
    assert.ok(both, 'the two Serial jobs ran at the same time');
  });

  it("runs a Parallel job's batches side by side", { timeout: 120_000 }, async () => {
    const { jobId, batchIds } = await loadJob('Parallel', 'P');
    const lists = (await watch(viaB, [jobId])).get(jobId)!;
    assertAllCompleted(lists, batchIds);
    const most = Math.max(...lists.map(inProgress));
    assert.ok(most >= 2, `several batches of a Parallel job InProgress at once (at most ${most} seen)`);
  });
});
