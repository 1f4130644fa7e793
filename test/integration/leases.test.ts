// The claim store on a real database of the backend under test: a worker whose lease expired and was taken over by
// another worker can no longer write anything for the batch — DML chunks, query result chunks, result listings,
// completion, PK splits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStores, type Stores } from '../../src/store/open.js';
import type { Batch, Job } from '../../src/jobs/model.js';
import { freshDataLocation, type DataLocation } from '../helpers/server.js';
import { storedBatch, storedJob } from '../helpers/jobs.js';

const T0 = 1_800_000_000_000;
const LEASE = 30_000;
let data: DataLocation;
let stores: Stores;

before(async () => {
  data = await freshDataLocation();
  stores = await openStores(
    data.dbFile ? { kind: 'sqlite', file: data.dbFile } : { kind: 'postgres', url: data.databaseUrl! },
    'api',
  );
});
after(async () => {
  await stores?.close();
  await data?.remove();
});

let serial = 0;
async function queuedQueryBatch(): Promise<{ job: Job; batch: Batch }> {
  serial++;
  const id = String(serial).padStart(2, '0');
  const job = storedJob({ id: `750Lf00000000${id}AAA`, operation: 'query', createdDate: T0 });
  const batch = storedBatch({ id: `751Lf00000000${id}AAA`, jobId: job.id, createdDate: T0 });
  await stores.bulk.createJob(job);
  assert.equal(await stores.bulk.addBatch(batch, Buffer.from('SELECT Id FROM Account'), 'text/csv'), true);
  return { job, batch };
}

describe('a lease taken over by another worker', () => {
  it('leaves the first worker unable to write query results; the second owns the batch', async () => {
    const { job, batch } = await queuedQueryBatch();
    const a = await stores.work.claimNext('worker-a', LEASE, T0);
    assert.equal(a?.batch.id, batch.id);
    assert.equal(await stores.work.claimNext('worker-b', LEASE, T0 + 1000), undefined, 'a live lease is not claimable');
    // worker-a renews its lease by writing a chunk, then stalls past the renewed lease.
    assert.equal(
      await stores.work.appendResultChunk(a!, '752Lf0000000001AAA', 0, Buffer.from('"Id"\n'), LEASE, T0 + 20_000),
      true,
    );
    assert.equal(
      await stores.work.claimNext('worker-b', LEASE, T0 + 40_000),
      undefined,
      'the renewed lease still holds',
    );
    const b = await stores.work.claimNext('worker-b', LEASE, T0 + 60_000);
    assert.equal(b?.batch.id, batch.id);
    assert.equal(b?.attempts, 2);

    assert.equal(await stores.work.clearQueryResults(a!), false);
    assert.equal(
      await stores.work.appendResultChunk(a!, '752Lf0000000002AAA', 0, Buffer.from('late'), LEASE, T0 + 61_000),
      false,
    );
    assert.equal(await stores.work.addQueryResult(a!, '752Lf0000000002AAA', 0, 1), false);
    assert.equal(await stores.work.completeQueryBatch(a!, 1, 5, T0 + 61_000), false);
    assert.equal(
      await stores.work.splitIntoChunks(
        a!,
        [{ id: '751Lf0000000099AAA', soql: 'SELECT Id FROM Account' }],
        T0 + 61_000,
      ),
      false,
    );
    assert.deepEqual(
      (await stores.bulk.listBatches(job.id)).map((x) => [x.id, x.state]),
      [[batch.id, 'InProgress']],
    );
    assert.deepEqual(await stores.bulk.listQueryResults(batch.id), []);

    assert.equal(await stores.work.clearQueryResults(b!), true);
    assert.equal(
      await stores.work.appendResultChunk(b!, '752Lf0000000003AAA', 0, Buffer.from('"Id"\n'), LEASE, T0 + 62_000),
      true,
    );
    assert.equal(await stores.work.addQueryResult(b!, '752Lf0000000003AAA', 0, 0), true);
    assert.equal(await stores.work.completeQueryBatch(b!, 0, 5, T0 + 62_000), true);
    assert.deepEqual(await stores.bulk.listQueryResults(batch.id), ['752Lf0000000003AAA']);
    assert.equal((await stores.bulk.getBatch(job.id, batch.id))?.state, 'Completed');
  });

  it('a DML chunk commit from the stale worker changes nothing', async () => {
    await queuedQueryBatch();
    const a = await stores.work.claimNext('worker-a', LEASE, T0);
    const b = await stores.work.claimNext('worker-b', LEASE, T0 + LEASE + 1);
    assert.equal(b?.batch.id, a?.batch.id);
    const committed = await stores.work.commitChunks(
      a!,
      0,
      1,
      LEASE,
      () => T0 + LEASE + 2,
      async () => ({ results: [], processed: 200, failed: 0, elapsedMs: 1 }),
    );
    assert.equal(committed, false);
    assert.equal((await stores.bulk.getBatch(a!.job.id, a!.batch.id))?.numberRecordsProcessed, 0);
  });
});

describe('a worker that abandoned its own batch', () => {
  it('claims it again at once, before its lease expires, and counts the attempt', async () => {
    const { batch } = await queuedQueryBatch();
    const first = await stores.work.claimNext('worker-e', LEASE, T0);
    assert.equal(first?.batch.id, batch.id);
    assert.equal(
      await stores.work.claimNext('worker-f', LEASE, T0 + 1),
      undefined,
      'another worker waits for the lease',
    );
    const again = await stores.work.claimNext('worker-e', LEASE, T0 + 2);
    assert.equal(again?.batch.id, batch.id);
    assert.equal(again?.attempts, 2);
  });
});

describe('PK chunking split', () => {
  it('queues no chunk when the job was aborted while the original ran', async () => {
    const { job, batch } = await queuedQueryBatch();
    const claim = await stores.work.claimNext('worker-a', LEASE, T0);
    assert.equal(claim?.batch.id, batch.id);
    await stores.bulk.abortJob(job.id, T0 + 10);
    assert.equal(
      await stores.work.splitIntoChunks(
        claim!,
        [{ id: '751Lf0000000098AAA', soql: 'SELECT Id FROM Account' }],
        T0 + 20,
      ),
      false,
    );
    assert.deepEqual(
      (await stores.bulk.listBatches(job.id)).map((x) => x.id),
      [batch.id],
    );
  });

  it('queues the chunks and marks the original NotProcessed while it is ours', async () => {
    const { job, batch } = await queuedQueryBatch();
    // Another worker: worker-a would first take back the batch it still holds from the test above (its own).
    const claim = await stores.work.claimNext('worker-d', LEASE, T0);
    assert.equal(claim?.batch.id, batch.id);
    assert.equal(
      await stores.work.splitIntoChunks(
        claim!,
        [{ id: '751Lf0000000097AAA', soql: "SELECT Id FROM Account WHERE Id >= '001000000000000'" }],
        T0 + 20,
      ),
      true,
    );
    assert.deepEqual(
      (await stores.bulk.listBatches(job.id)).map((x) => [x.id, x.state]),
      [
        [batch.id, 'NotProcessed'],
        ['751Lf0000000097AAA', 'Queued'],
      ],
    );
  });
});
