// The words for domain errors (unknown job, payload too large, bad encoding, …). They are Bulk API 1.0's: its
// exceptionCode, message and HTTP status are the bytes Salesforce clients match on. The other surfaces have no words
// of their own for request-body errors and borrow these, so one client sees the same text for the same body whichever
// URL it posted to; Bulk API 2.0 will map the same kinds to its own JSON errors.
import { describe, type DomainErrorDetail } from '../errors/domain.js';
import { AsyncErrors, type ApiError } from './error-catalogue.js';

/**
 * The Bulk 1.0 entry for a domain error. Texts that are Salesforce's own facts about the request (why a JobInfo is
 * invalid) come with the error as `reason`; texts that are only how Bulk 1.0 says it (`Invalid job id: …`,
 * `Failed to read request. Exceeded max size limit of …`) live in the AsyncErrors catalogue.
 */
export function asyncErrorOf(d: DomainErrorDetail): ApiError {
  switch (d.kind) {
    case 'payloadTooLarge':
      return AsyncErrors.tooLarge(d.limit);
    case 'badEncoding':
      return d.problem === 'unsupported'
        ? AsyncErrors.unsupportedEncoding(d.encoding)
        : AsyncErrors.clientInput(`Failed to read request. The ${d.encoding} content is corrupt`);
    case 'unknownJob':
      return AsyncErrors.unknownJob(d.jobId);
    case 'unknownBatch':
      return AsyncErrors.unknownBatch(d.batchId);
    case 'unknownResult':
      return AsyncErrors.unknownResult(d.resultId);
    case 'batchNotComplete':
      return AsyncErrors.batchNotComplete(d.batchId, d.state);
    case 'invalidJob':
      return AsyncErrors.invalidJob(d.reason);
    case 'invalidJobState':
      return AsyncErrors.invalidJobState(d.reason);
    case 'unknownObject':
      return AsyncErrors.unknownObject(d.object);
    case 'quotaExceeded':
      // localforce wording
      return AsyncErrors.exceededQuota(`${d.quota} Limit exceeded: ${d.limit} batches in 24 hours`);
    case 'emptyBatch':
      return AsyncErrors.emptyBatch();
    case 'featureNotEnabled':
      return AsyncErrors.featureNotEnabled(d.reason);
    case 'invalidBatchContent':
      return AsyncErrors.invalidBatch(d.reason);
    // The org's set-up is never changed through Bulk 1.0; should one of these reach it, it is the client's input.
    case 'invalidSchema':
    case 'seedFailed':
    case 'usernameTaken':
      return AsyncErrors.clientInput(describe(d));
  }
}
