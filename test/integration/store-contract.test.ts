// The WorkStore contract (src/store/types.ts), run against the store of the backend under test, opened directly
// (src/store/open.ts) on a fresh database per test: claim order, Serial exclusion, lease loss on a DML batch (the
// stale worker's records, progress, heartbeat and finish are all refused), and resuming after the last committed
// chunk. leases.test.ts covers lease loss for query batches and PK chunking, serial.test.ts Serial jobs through the
// server; these are what the engine relies on from each store, asserted one call at a time.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStores, type Stores } from '../../src/store/open.js';
import type { ClaimedBatch } from '../../src/store/types.js';
import type { Batch, ConcurrencyMode, Job, RecordResult } from '../../src/jobs/model.js';
import { STANDARD_OBJECTS, makeObject, type ObjectDef } from '../../src/org/schema.js';
import { freshDataLocation, testBackend, type DataLocation } from '../helpers/server.js';
import { storedBatch, storedJob } from '../helpers/jobs.js';

const T0 = 1_800_000_000_000;
const LEASE = 30_000;
const ORG = '00DLf0000000001AAA';

let data: DataLocation;
let stores: Stores;
let account: ObjectDef;
let serial = 0;

beforeEach(async () => {
  data = await freshDataLocation();
  const config = data.dbFile
    ? { kind: 'sqlite' as const, file: data.dbFile }
    : { kind: 'postgres' as const, url: data.databaseUrl ?? '' };
  stores = await openStores(config, 'api');
  const shape = STANDARD_OBJECTS.find((o) => o.name === 'Account');
  if (!shape) throw new Error('no Account among the standard objects');
  account = makeObject(shape, 'Account');
  await stores.schema.ensureTables([account]);
});
afterEach(async () => {
  await stores?.close();
  await data?.remove();
});

/** A base62 id of `prefix` (3 characters), unique within the test file. */
const nextId = (prefix: string) => `${prefix}Lf${String(++serial).padStart(10, '0')}AAA`;

async function openJob(concurrencyMode: ConcurrencyMode): Promise<Job> {
  const job = storedJob({ id: nextId('750'), orgId: ORG, concurrencyMode, createdDate: T0 });
  await stores.bulk.createJob(job);
  return job;
}

async function queueBatch(job: Job, createdDate = T0): Promise<Batch> {
  const batch = storedBatch({ id: nextId('751'), jobId: job.id, createdDate });
  assert.equal(await stores.bulk.addBatch(batch, Buffer.from(`Name\n${batch.id}\n`), 'text/csv'), true);
  return batch;
}

/** Commits one chunk that inserts one Account named `name`; resolves whether the store accepted the commit. */
async function commitInsert(
  claim: ClaimedBatch,
  chunk: number,
  name: string,
  now: number,
): Promise<{ ok: boolean; id: string }> {
  const id = nextId('001');
  const result: RecordResult = { id, success: true, created: true, errors: [] };
  const ok = await stores.work.commitChunks(
    claim,
    chunk,
    1,
    LEASE,
    () => now,
    async (tx) => {
      await tx.insert(account, ['Id', 'Name'], [[id, name]]);
      return { results: [result], processed: 1, failed: 0, elapsedMs: 5 };
    },
  );
  return { ok, id };
}

const claimedId = (c: ClaimedBatch | undefined) => c?.batch.id;

describe(`WorkStore contract on ${testBackend()}`, () => {
  it('claims in creation order across jobs, honouring the processing delay, and re-claims an expired lease first', async () => {
    const a = await openJob('Parallel');
    const b = await openJob('Parallel');
    const a1 = await queueBatch(a);
    const b1 = await queueBatch(b);
    const a2 = await queueBatch(a);
    const late = await queueBatch(b, T0 + 5_000);
    assert.equal(claimedId(await stores.work.claimNext('w1', LEASE, T0 + 100)), a1.id);
    assert.equal(claimedId(await stores.work.claimNext('w2', LEASE, T0 + 100)), b1.id);
    assert.equal(claimedId(await stores.work.claimNext('w3', LEASE, T0 + 100)), a2.id);
    // Created at T0 + 5 s: not runnable before the delay has passed since then.
    assert.equal(await stores.work.claimNext('w4', LEASE, T0 + 5_500, 1_000), undefined);
    // w1's lease has expired: its batch comes before the later one, and counts a second attempt.
    const retaken = await stores.work.claimNext('w4', LEASE, T0 + LEASE + 200, 1_000);
    assert.equal(claimedId(retaken), a1.id);
    assert.equal(retaken?.attempts, 2);
    assert.equal(retaken?.job.api, 'bulk1');
    // w2's and w3's leases have expired too, then the delayed batch is reached.
    assert.equal(claimedId(await stores.work.claimNext('w5', LEASE, T0 + LEASE + 200, 1_000)), b1.id);
    assert.equal(claimedId(await stores.work.claimNext('w6', LEASE, T0 + LEASE + 200, 1_000)), a2.id);
    assert.equal(claimedId(await stores.work.claimNext('w7', LEASE, T0 + LEASE + 200, 1_000)), late.id);
    assert.equal(await stores.work.claimNext('w8', LEASE, T0 + LEASE + 200, 1_000), undefined);
  });

  it("holds back a Serial job's next batch while another worker holds one of its batches", async () => {
    const serialJob = await openJob('Serial');
    const parallelJob = await openJob('Parallel');
    const s1 = await queueBatch(serialJob);
    const s2 = await queueBatch(serialJob);
    const p1 = await queueBatch(parallelJob);
    const first = await stores.work.claimNext('w1', LEASE, T0 + 100);
    assert.equal(claimedId(first), s1.id);
    assert.equal(claimedId(await stores.work.claimNext('w2', LEASE, T0 + 100)), p1.id, 's2 is passed over');
    assert.equal(await stores.work.claimNext('w3', LEASE, T0 + 100), undefined);
    // w1 stops renewing: its batch, not s2, is taken over once the lease expires (p1's has expired as well,
    // and comes after it).
    const takeover = await stores.work.claimNext('w3', LEASE, T0 + LEASE + 200);
    assert.equal(claimedId(takeover), s1.id);
    assert.equal(claimedId(await stores.work.claimNext('w4', LEASE, T0 + LEASE + 200)), p1.id);
    assert.equal(await stores.work.claimNext('w5', LEASE, T0 + LEASE + 200), undefined, 's2 still waits for s1');
    if (!takeover) throw new Error('no takeover claim');
    await stores.work.finishBatch(takeover, 'Completed', null, 10, T0 + LEASE + 300);
    assert.equal(claimedId(await stores.work.claimNext('w5', LEASE, T0 + LEASE + 400)), s2.id);
  });

  it('refuses everything from a worker that lost its lease on a DML batch: records, progress, heartbeat, finish', async () => {
    const job = await openJob('Parallel');
    const batch = await queueBatch(job);
    const stale = await stores.work.claimNext('stale', LEASE, T0 + 100);
    if (!stale) throw new Error('nothing claimed');
    const kept = await commitInsert(stale, 0, 'Kept', T0 + 1_000);
    assert.equal(kept.ok, true);
    assert.equal(await stores.work.renewLease(stale, LEASE, T0 + 2_000), true);
    // The heartbeat renewed the lease to T0 + 32 s: still not claimable just before.
    assert.equal(await stores.work.claimNext('fresh', LEASE, T0 + LEASE + 1_500), undefined);
    const fresh = await stores.work.claimNext('fresh', LEASE, T0 + LEASE + 2_001);
    assert.equal(claimedId(fresh), batch.id);
    assert.equal(fresh?.chunksDone, 1, 'resumes after the chunk the stale worker committed');
    if (!fresh) throw new Error('no takeover claim');

    const lost = await commitInsert(stale, 1, 'Lost', T0 + LEASE + 2_100);
    assert.equal(lost.ok, false);
    assert.equal(await stores.records.getRecord(account, lost.id), undefined, 'its records rolled back');
    assert.equal(await stores.work.renewLease(stale, LEASE, T0 + LEASE + 2_100), false);
    await stores.work.finishBatch(stale, 'Failed', 'stale', 10, T0 + LEASE + 2_100);
    const during = await stores.bulk.getBatch(job.id, batch.id);
    assert.equal(during?.state, 'InProgress');
    assert.equal(during?.numberRecordsProcessed, 1);

    const mine = await commitInsert(fresh, 1, 'Mine', T0 + LEASE + 2_200);
    assert.equal(mine.ok, true);
    await stores.work.finishBatch(fresh, 'Completed', null, 10, T0 + LEASE + 2_300);
    const done = await stores.bulk.getBatch(job.id, batch.id);
    assert.equal(done?.state, 'Completed');
    assert.equal(done?.numberRecordsProcessed, 2);
    assert.deepEqual(
      (await stores.bulk.getBatchResults(batch.id)).map((r) => r.id),
      [kept.id, mine.id],
    );
    assert.equal((await stores.records.getRecord(account, kept.id))?.Name, 'Kept');
    assert.equal((await stores.records.getRecord(account, mine.id))?.Name, 'Mine');
  });

  it('resumes a batch whose last chunk was committed before its worker died, without applying a chunk twice', async () => {
    const job = await openJob('Parallel');
    const batch = await queueBatch(job);
    const dead = await stores.work.claimNext('dead', LEASE, T0 + 100);
    if (!dead) throw new Error('nothing claimed');
    const c0 = await commitInsert(dead, 0, 'Zero', T0 + 200);
    const c1 = await commitInsert(dead, 1, 'One', T0 + 300);
    assert.deepEqual([c0.ok, c1.ok], [true, true]);
    // The worker died between its last chunk and finishBatch.
    const resumed = await stores.work.claimNext('next', LEASE, T0 + LEASE + 400);
    if (!resumed) throw new Error('the batch was not taken over');
    assert.equal(resumed.batch.id, batch.id);
    assert.equal(resumed.chunksDone, 2);
    assert.equal(resumed.attempts, 2);
    assert.equal(resumed.payload.toString(), `Name\n${batch.id}\n`);
    await stores.work.countRetry(job.id);
    assert.equal((await stores.bulk.getJob(job.id))?.numberRetries, 1);
    // A chunk the progress cursor has passed is refused, even for the lease's owner.
    const again = await commitInsert(resumed, 1, 'Twice', T0 + LEASE + 500);
    assert.equal(again.ok, false);
    assert.equal(await stores.records.getRecord(account, again.id), undefined);
    await stores.work.finishBatch(resumed, 'Completed', null, 10, T0 + LEASE + 600);
    const done = await stores.bulk.getBatch(job.id, batch.id);
    assert.equal(done?.state, 'Completed');
    assert.equal(done?.numberRecordsProcessed, 2);
    assert.deepEqual(
      (await stores.bulk.getBatchResults(batch.id)).map((r) => r.id),
      [c0.id, c1.id],
    );
    assert.equal(await stores.work.claimNext('next', LEASE, T0 + LEASE + 700), undefined);
  });
});
