// Row <-> domain mapping for localforce's own tables: the same columns on every backend (store/sqlite, store/postgres).
import type { Batch, BatchState, ConcurrencyMode, ContentType, Job, JobState, Operation, RecordResult } from '../bulk/model.js';

export interface JobRow {
  id: string; org_id: string; created_by_id: string; operation: string; object: string; external_id_field: string | null;
  concurrency_mode: string; content_type: string; state: string; api_version: number; assignment_rule_id: string | null;
  created_date: number; system_modstamp: number; number_retries: number; line_ending: string | null; pk_chunking: string | null;
}

export interface BatchRow {
  seq: number; id: string; job_id: string; state: string; state_message: string | null; created_date: number;
  system_modstamp: number; records_processed: number; records_failed: number; total_time: number;
  api_active_time: number; apex_time: number; request_content_type: string; chunks_done: number;
  lease_owner: string | null; lease_until: number; attempts: number; pk_original: number;
}

export const BATCH_COLUMNS =
  'seq, id, job_id, state, state_message, created_date, system_modstamp, records_processed, records_failed, total_time, api_active_time, apex_time, request_content_type, chunks_done, lease_owner, lease_until, attempts, pk_original';

export function jobFromRow(r: JobRow): Job {
  return {
    id: r.id,
    orgId: r.org_id,
    createdById: r.created_by_id,
    operation: r.operation as Operation,
    object: r.object,
    externalIdFieldName: r.external_id_field,
    concurrencyMode: r.concurrency_mode as ConcurrencyMode,
    contentType: r.content_type as ContentType,
    state: r.state as JobState,
    apiVersion: r.api_version,
    assignmentRuleId: r.assignment_rule_id,
    createdDate: r.created_date,
    systemModstamp: r.system_modstamp,
    numberRetries: r.number_retries,
    lineEnding: r.line_ending as Job['lineEnding'],
    pkChunking: r.pk_chunking ? JSON.parse(r.pk_chunking) : null,
  };
}

export function batchFromRow(r: BatchRow): Batch {
  return {
    id: r.id,
    jobId: r.job_id,
    state: r.state as BatchState,
    stateMessage: r.state_message,
    createdDate: r.created_date,
    systemModstamp: r.system_modstamp,
    numberRecordsProcessed: r.records_processed,
    numberRecordsFailed: r.records_failed,
    totalProcessingTime: r.total_time,
    apiActiveProcessingTime: r.api_active_time,
    apexProcessingTime: r.apex_time,
  };
}

/**
 * Result rows are stored one row per 200-record chunk, as compact JSON tuples
 * `[id, success, created, [[statusCode, message, [fields]]]]`: one write per chunk instead of 200.
 */
type ResultTuple = [string | null, 0 | 1, 0 | 1, [string, string, string[]][]];

export function encodeResults(results: readonly RecordResult[]): string {
  const tuples: ResultTuple[] = results.map((r) => [r.id, r.success ? 1 : 0, r.created ? 1 : 0, r.errors.map((e) => [e.statusCode, e.message, e.fields])]);
  return JSON.stringify(tuples);
}

export function decodeResults(text: string, into: RecordResult[]): void {
  for (const [id, success, created, errors] of JSON.parse(text) as ResultTuple[]) {
    into.push({ id, success: success === 1, created: created === 1, errors: errors.map(([statusCode, message, fields]) => ({ statusCode, message, fields })) });
  }
}

