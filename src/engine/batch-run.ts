// What running a claimed batch needs, shared by the DML processor (processor.ts) and the query runner (query.ts):
// the options both take, and the one place a batch ends Failed.
import type { ClaimedBatch, WorkStore } from '../store/types.js';
import type { IdGenerator } from '../org/ids.js';
import type { SchemaService } from '../org/schema-service.js';
import type { Clock } from '../org/clock.js';
import type { SoqlCompiler } from '../soql/model.js';
import { batchStateMessage, type BatchFailure } from '../jobs/errors.js';

export interface ProcessorOptions {
  work: WorkStore;
  ids: IdGenerator;
  schemas: SchemaService;
  clock: Clock;
  leaseMs: number;
  /** Records per transaction: 200, as Salesforce (API ≥ 21.0). */
  chunkSize: number;
  /** A pause after each committed chunk: makes batches slow on purpose (QA, restart tests). */
  chunkDelayMs: number;
  /** Query result files roll over past this many bytes. */
  maxResultFileBytes: number;
  /** The store's SQL dialect for checked SOQL. */
  compile: SoqlCompiler;
  /** The org's daily batch allocation and what is left of it (PK chunking counts its chunks against it). */
  batchAllowance?: (orgId: string, now: number) => Promise<{ limit: number; remaining: number }>;
}

/** The one place a batch ends Failed: the failure is stored as Bulk 1.0's stateMessage (`InvalidBatch : …`). */
export async function failBatch(
  claim: ClaimedBatch,
  failure: BatchFailure,
  o: ProcessorOptions,
  processingMs: number,
): Promise<void> {
  await o.work.finishBatch(claim, 'Failed', batchStateMessage(failure), processingMs, o.clock.now());
}
