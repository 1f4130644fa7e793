// Job and batch errors: what BulkService refuses (thrown as DomainError, rendered by the surface that called it) and
// how a batch fails once the engine runs it (BatchFailure, stored as the batch's stateMessage).
import { DomainError } from '../errors/domain.js';

/** What BulkService throws. `reason` texts are Salesforce's (or localforce's) words for why the request is wrong. */
export const JobErrors = {
  unknownJob: (jobId: string) => new DomainError({ kind: 'unknownJob', jobId }),
  unknownBatch: (batchId: string) => new DomainError({ kind: 'unknownBatch', batchId }),
  unknownResult: (resultId: string) => new DomainError({ kind: 'unknownResult', resultId }),
  batchNotComplete: (batchId: string, state: string) => new DomainError({ kind: 'batchNotComplete', batchId, state }),
  invalidJob: (reason: string) => new DomainError({ kind: 'invalidJob', reason }),
  invalidJobState: (reason: string) => new DomainError({ kind: 'invalidJobState', reason }),
  dailyBatchesExceeded: (limit: number) =>
    new DomainError({ kind: 'quotaExceeded', quota: 'DailyBulkApiBatches', limit }),
  emptyBatch: () => new DomainError({ kind: 'emptyBatch' }),
  featureNotEnabled: (reason: string) => new DomainError({ kind: 'featureNotEnabled', reason }),
};

/** The code a failed batch reports before its message; every batch-level failure Bulk 1.0 knows is InvalidBatch. */
export type BatchFailureCode = 'InvalidBatch';

/**
 * A batch-level failure: the batch ends Failed, with `code` and `message` told in its stateMessage
 * (batchStateMessage). Thrown by the engine (bad header, unknown object) and made from the payload readers'
 * `invalidBatchContent` errors, the query checker's SoqlError and the retry limit.
 */
export class BatchFailure extends Error {
  constructor(
    readonly code: BatchFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'BatchFailure';
  }

  /** A payload reader's error (wire/records.ts) as the batch's failure; undefined for any other error. */
  static from(err: unknown): BatchFailure | undefined {
    if (err instanceof BatchFailure) return err;
    if (err instanceof DomainError && err.detail.kind === 'invalidBatchContent') {
      return new BatchFailure('InvalidBatch', err.detail.reason);
    }
    return undefined;
  }
}

/** Batch failures whose words are Salesforce's, captured from real orgs (docs/compatibility.md names each source). */
export const BatchFailures = {
  /** A delete or hardDelete batch with a column besides Id (heroku/salesforce-bulk issue 59; hardDelete alike). */
  deleteNotOnlyIds: () => new BatchFailure('InvalidBatch', "The 'delete' batch must contain only ids"),
  /** A query batch whose FROM object is not the job's (simple-salesforce issue 502). */
  queryRootMismatch: (queryObject: string, jobObject: string) =>
    new BatchFailure(
      'InvalidBatch',
      'Failed to process query: INVALID_TYPE_FOR_OPERATION: The root entity of the requested query ' +
        `(${queryObject}) does not match the entity of the requested Bulk API Job (${jobObject}).`,
    ),
};

/** Bulk 1.0's stateMessage for a failed batch: `InvalidBatch : Field name not found : X`. */
export function batchStateMessage(failure: BatchFailure): string {
  return `${failure.code} : ${failure.message}`;
}

/**
 * Job-request refusals whose words are Salesforce's own (docs/compatibility.md, "Error codes"): clients match on
 * them (Data Loader and the sf CLI on hardDelete's FeatureNotEnabled, jsforce users on `Unable to parse Job`).
 */
export const JobRequestErrors = {
  /** The object is not one the org has (simple-salesforce issue 368). */
  unknownObject: (object: string) => new DomainError({ kind: 'unknownObject', object }),
  /** An operation outside the enumeration, including a known one in another case (jsforce issue 167, PR 186). */
  unparsableJob: () => JobErrors.invalidJob('Unable to parse Job'),
  /** hardDelete by a user without the "Bulk API Hard Delete" permission. */
  hardDeleteNotPermitted: () =>
    JobErrors.featureNotEnabled(
      'hardDelete operation requires special user profile permission, please contact your system administrator',
    ),
  /** A JobInfo field the client may not set, named as the org names it (`CreatedById cannot be specified`). */
  fieldCannotBeSpecified: (field: string) =>
    JobErrors.invalidJob(`${field.charAt(0).toUpperCase()}${field.slice(1)} cannot be specified`),
};
