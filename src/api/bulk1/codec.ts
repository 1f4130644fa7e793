// Bulk API 1.0 documents from the domain: maps jobs, batches and record results (src/jobs/model.ts) to the
// protocol's wire documents (src/protocol/bulk1/) and renders them; reads job requests through the protocol's parser
// and turns its ProtocolParseError into the Bulk 1.0 error a client expects (InvalidXml, ClientInputError).
import type { Batch, JobInfo } from '../../jobs/model.js';
import type { JobRequest } from '../../jobs/service.js';
import { AsyncErrors, type ApiError } from '../error-catalogue.js';
import { jsonDateTime, toSeconds, xmlDateTime } from '../../wire/dates.js';
import { ProtocolParseError } from '../../protocol/errors.js';
import { CONTENT_TYPE, requestFormat, type WireFormat } from '../../protocol/bulk1/format.js';
import {
  renderBatchInfo as renderBatchInfoDocument,
  renderBatchInfoList as renderBatchInfoListDocument,
  type BatchInfoDocument,
} from '../../protocol/bulk1/batch-info.js';
import { renderError as renderErrorDocument } from '../../protocol/bulk1/error.js';
import {
  parseJobRequest as parseJobRequestDocument,
  renderJobInfo as renderJobInfoDocument,
  type JobInfoDocument,
} from '../../protocol/bulk1/job-info.js';

export { CONTENT_TYPE, requestFormat, type WireFormat };
// Record results are already their wire document (RecordResult and RecordResultDocument have the same shape).
export {
  renderResultListJson,
  renderResultListXml,
  renderResultsCsv,
  renderResultsJson,
  renderResultsXml,
} from '../../protocol/bulk1/results.js';

/** Salesforce's job and batch timestamps: whole seconds, written per format. */
function wireDate(ms: number, format: WireFormat): string {
  return format === 'json' ? jsonDateTime(toSeconds(ms)) : xmlDateTime(toSeconds(ms));
}

function jobInfoDocument(j: JobInfo, format: WireFormat): JobInfoDocument {
  return {
    id: j.id,
    operation: j.operation,
    object: j.object,
    createdById: j.createdById,
    createdDate: wireDate(j.createdDate, format),
    systemModstamp: wireDate(j.systemModstamp, format),
    state: j.state,
    externalIdFieldName: j.externalIdFieldName,
    concurrencyMode: j.concurrencyMode,
    contentType: j.contentType,
    numberBatchesQueued: j.numberBatchesQueued,
    numberBatchesInProgress: j.numberBatchesInProgress,
    numberBatchesCompleted: j.numberBatchesCompleted,
    numberBatchesFailed: j.numberBatchesFailed,
    numberBatchesTotal: j.numberBatchesTotal,
    numberRecordsProcessed: j.numberRecordsProcessed,
    numberRetries: j.numberRetries,
    apiVersion: j.apiVersion,
    assignmentRuleId: j.assignmentRuleId,
    numberRecordsFailed: j.numberRecordsFailed,
    totalProcessingTime: j.totalProcessingTime,
    apiActiveProcessingTime: j.apiActiveProcessingTime,
    apexProcessingTime: j.apexProcessingTime,
    fastPathEnabled: false,
  };
}

function batchInfoDocument(b: Batch, format: WireFormat): BatchInfoDocument {
  return {
    id: b.id,
    jobId: b.jobId,
    state: b.state,
    stateMessage: b.stateMessage,
    createdDate: wireDate(b.createdDate, format),
    systemModstamp: wireDate(b.systemModstamp, format),
    numberRecordsProcessed: b.numberRecordsProcessed,
    numberRecordsFailed: b.numberRecordsFailed,
    totalProcessingTime: b.totalProcessingTime,
    apiActiveProcessingTime: b.apiActiveProcessingTime,
    apexProcessingTime: b.apexProcessingTime,
  };
}

export function renderJobInfo(j: JobInfo, format: WireFormat): string {
  return renderJobInfoDocument(jobInfoDocument(j, format), format);
}

export function renderBatchInfo(b: Batch, format: WireFormat): string {
  return renderBatchInfoDocument(batchInfoDocument(b, format), format);
}

export function renderBatchInfoList(batches: readonly Batch[], format: WireFormat): string {
  return renderBatchInfoListDocument(
    batches.map((b) => batchInfoDocument(b, format)),
    format,
  );
}

export function renderError(err: ApiError, format: WireFormat): string {
  return renderErrorDocument({ exceptionCode: err.code, exceptionMessage: err.message }, format);
}

/** A job create/update body; unreadable XML is InvalidXml, unreadable JSON ClientInputError, as Salesforce answers. */
export function parseJobRequest(body: string, format: WireFormat): JobRequest {
  try {
    return parseJobRequestDocument(body, format);
  } catch (err) {
    if (!(err instanceof ProtocolParseError)) throw err;
    throw format === 'json' ? AsyncErrors.clientInput(err.message) : AsyncErrors.invalidXml(err.message);
  }
}
