// A worker thread: claims batches from the store and processes them, off the server's event loop.
// It opens its own database connection; the main thread only wakes it up early (it also polls).
import { parentPort, threadId, workerData, type MessagePort } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { openStores, type Stores } from '../store/open.js';
import type { ClaimedBatch } from '../store/types.js';
import { IdGenerator } from '../org/ids.js';
import { SchemaService } from '../org/schema-service.js';
import { systemClock } from '../org/clock.js';
import { processBatch } from './processor.js';
import { DEFAULT_LIMITS } from '../jobs/service.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import { unknownMessage, type PoolToWorker, type WorkerConfig, type WorkerToPool } from './worker-messages.js';

// The pool passes a WorkerConfig as workerData (worker-pool.ts); this is the one place it is read.
const config = workerData as WorkerConfig;

/** The channel to the pool: this module runs in a worker thread only, where there is one. */
function poolPort(): MessagePort {
  if (!parentPort) throw new Error('worker.ts runs in a worker thread started by WorkerPool');
  return parentPort;
}
const port = poolPort();

function report(message: WorkerToPool): void {
  port.postMessage(message);
}

let wake: (() => void) | undefined;
let stopping = false;
port.on('message', (msg: PoolToWorker) => {
  switch (msg.type) {
    case 'wake':
      wake?.();
      break;
    case 'stop':
      stopping = true;
      wake?.();
      break;
    default:
      report({ type: 'error', message: unknownMessage(msg) });
  }
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      wake = undefined;
      resolve();
    }
    wake = done;
  });
}

/**
 * The stores, once the database can be reached: a worker started while PostgreSQL is down (a restart) waits for it,
 * reporting that once, rather than exiting and being started again every half second.
 */
async function openWhenAvailable(): Promise<Stores | undefined> {
  for (let reported = false; !stopping; ) {
    try {
      return await openStores(config.store, 'worker');
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      const message = `database unavailable at start, retrying: ${(err as Error).message}`;
      if (!reported) report({ type: 'error', message });
      reported = true;
      await sleep(config.pollMs);
    }
  }
  return undefined;
}

const opened = await openWhenAvailable();
if (!opened) {
  report({ type: 'stopped' });
  port.close();
  process.exit(0);
}
const stores = opened;
const owner = `${process.pid}:${threadId}:${randomBytes(4).toString('hex')}`;
const options = {
  work: stores.work,
  ids: new IdGenerator(stores.work, config.pod),
  schemas: new SchemaService(stores.org, stores.schema),
  clock: systemClock,
  leaseMs: config.leaseMs,
  chunkSize: config.chunkSize,
  chunkDelayMs: config.chunkDelayMs,
  maxResultFileBytes: config.maxResultFileBytes,
  compile: stores.compile,
  batchAllowance: async (orgId: string, now: number) => {
    const limit = config.dailyBatches ?? DEFAULT_LIMITS.dailyBatches;
    const used = await stores.bulk.countBatchesSince(orgId, now - 24 * 3600_000);
    return { limit, remaining: Math.max(0, limit - used) };
  },
};

let workSinceMaintenance = true;
/** The failure reported last while the same one repeats (a claim that works clears it), and how many in a row. */
let lastFailure: string | undefined;
let failuresInARow = 0;

/**
 * Reports a failure once while it repeats (the database down, or dropped: not a line at every poll), and returns the
 * pause before the next try: the poll interval, doubled per failure in a row up to 2 s.
 */
function failed(err: unknown): number {
  const down = isStoreUnavailable(err);
  const key = down ? 'unavailable' : (err as Error).message;
  if (key !== lastFailure) {
    const message = down
      ? `database unavailable, retrying: ${(err as Error).message}`
      : ((err as Error).stack ?? String(err));
    report({ type: 'error', message });
  }
  lastFailure = key;
  failuresInARow++;
  return Math.min(2000, config.pollMs * 2 ** failuresInARow);
}

/** Runs a claimed batch while a heartbeat renews its lease. */
async function runClaimed(claim: ClaimedBatch): Promise<void> {
  // The heartbeat: the lease is renewed on a timer while the batch runs, not only at its commits, so a long statement
  // (a big sort, a PK split's id scan) does not let the lease lapse and hand a live batch to another worker. A worker
  // that died stops beating, and its batch is taken over once the lease runs out.
  let beating = false;
  const heartbeat = setInterval(
    () => {
      if (beating) return;
      beating = true;
      stores.work
        .renewLease(claim, config.leaseMs, systemClock.now())
        .catch(() => false)
        .finally(() => (beating = false));
    },
    Math.max(100, Math.floor(config.leaseMs / 3)),
  );
  try {
    await processBatch(claim, options);
  } finally {
    clearInterval(heartbeat);
  }
  report({ type: 'batchDone', jobId: claim.job.id, batchId: claim.batch.id });
}

async function loop(): Promise<void> {
  while (!stopping) {
    let claim: ClaimedBatch | undefined;
    try {
      claim = await stores.work.claimNext(
        owner,
        config.leaseMs,
        systemClock.now(),
        config.processingDelayMs,
        config.maxAttempts,
      );
      lastFailure = undefined;
      failuresInARow = 0;
    } catch (err) {
      await sleep(failed(err));
      continue;
    }
    if (!claim) {
      if (workSinceMaintenance) {
        await stores.idleMaintenance().catch(() => undefined);
        workSinceMaintenance = false;
      }
      await sleep(config.pollMs);
      continue;
    }
    workSinceMaintenance = true;
    try {
      await runClaimed(claim);
    } catch (err) {
      // The batch stays InProgress under this worker, which takes it back at its next claim (counted as a retry):
      // at once, unless the database is down.
      if (isStoreUnavailable(err)) await sleep(failed(err));
      else report({ type: 'error', message: (err as Error).stack ?? String(err) });
    }
  }
  await stores.close();
  report({ type: 'stopped' });
  // Let the thread end: an open port would keep it alive until the pool's terminate timeout.
  port.close();
}

void loop();
