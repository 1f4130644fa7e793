// What both stores' claims do with a batch that cannot be run: the retry cap, checked when a batch is claimed (so
// `attempts` never passes it), and the pause after a claim that failed before processing began (its payload missing
// or unreadable), so the next claims go to other batches.
import { BatchFailure, batchStateMessage } from '../jobs/errors.js';

/** Claims allowed before a batch fails (Salesforce retries an upload batch up to 10 times). */
export const DEFAULT_MAX_ATTEMPTS = 10;

/** A batch whose claim failed is not claimed again for this long (at most the lease). */
export const FAILED_CLAIM_PAUSE_MS = 1_000;

const ORDINALS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** `InvalidBatch : Retried more than ten times`, with the last attempt's reason when it failed before processing. */
export function retriesExhaustedMessage(maxAttempts: number, reason?: string): string {
  const times = ORDINALS[maxAttempts] ?? String(maxAttempts);
  const why = reason === undefined ? '' : `; the last attempt could not start: ${reason}`;
  return batchStateMessage(new BatchFailure('InvalidBatch', `Retried more than ${times} times${why}`));
}
