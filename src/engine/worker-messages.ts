// What passes between the worker pool (main thread) and its worker threads, declared once for both sides: the
// options a thread starts with (its workerData) and the messages each way.
import type { StoreConfig } from '../store/open.js';

/** A worker thread's start options: the pool passes them as workerData, which copies them (structured clone). */
export interface WorkerConfig {
  store: StoreConfig;
  pod: string;
  leaseMs: number;
  pollMs: number;
  chunkSize: number;
  maxAttempts: number;
  /** A Queued batch waits this long before it may be claimed (so clients' polling and aborts can be exercised). */
  processingDelayMs: number;
  chunkDelayMs: number;
  maxResultFileBytes: number;
  /** Batches an org may create per 24 hours (PK chunking's chunks count). */
  dailyBatches?: number;
}

/**
 * The pool to a thread. `wake`: a batch was queued, look now rather than at the next poll. `stop`: finish the batch
 * in hand, close the database and end.
 */
export type PoolToWorker = { type: 'wake' } | { type: 'stop' };

/**
 * A thread to the pool. `batchDone`: the thread is through with a batch it claimed. `error`: a line for the server's
 * log (the thread carries on). `stopped`: after a `stop`, the thread has closed its database and is about to end.
 */
export type WorkerToPool =
  | { type: 'batchDone'; jobId: string; batchId: string }
  | { type: 'error'; message: string }
  | { type: 'stopped' };

/**
 * For the `default` of a switch over a message's type: a type added above and not handled fails to compile there.
 * It answers a line for the log rather than throwing, so a stray message cannot bring a thread or the server down.
 */
export function unknownMessage(message: never): string {
  return `unknown worker message: ${JSON.stringify(message)}`;
}
