// Row <-> domain mapping for localforce's own tables: the same columns on every backend (store/sqlite, store/postgres).
import type {
  Batch,
  BatchState,
  ConcurrencyMode,
  ContentType,
  Job,
  JobApi,
  JobCounters,
  JobState,
  Operation,
  RecordResult,
} from '../jobs/model.js';

export interface JobRow {
  id: string;
  org_id: string;
  created_by_id: string;
  operation: string;
  object: string;
  external_id_field: string | null;
  concurrency_mode: string;
  content_type: string;
  state: string;
  api_version: number;
  assignment_rule_id: string | null;
  created_date: number;
  system_modstamp: number;
  number_retries: number;
  line_ending: string | null;
  pk_chunking: string | null;
  /** Schema version 2 (store/migrations.ts). */
  api: string;
}

export interface BatchRow {
  seq: number;
  id: string;
  job_id: string;
  state: string;
  state_message: string | null;
  created_date: number;
  system_modstamp: number;
  records_processed: number;
  records_failed: number;
  total_time: number;
  api_active_time: number;
  apex_time: number;
  request_content_type: string;
  chunks_done: number;
  lease_owner: string | null;
  lease_until: number;
  attempts: number;
  pk_original: number;
}

export const BATCH_COLUMNS =
  'seq, id, job_id, state, state_message, created_date, system_modstamp, records_processed, records_failed, total_time, api_active_time, apex_time, request_content_type, chunks_done, lease_owner, lease_until, attempts, pk_original';

export function jobFromRow(r: JobRow): Job {
  return {
    id: r.id,
    api: r.api as JobApi,
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
  const tuples: ResultTuple[] = results.map((r) => [
    r.id,
    r.success ? 1 : 0,
    r.created ? 1 : 0,
    r.errors.map((e) => [e.statusCode, e.message, e.fields]),
  ]);
  return JSON.stringify(tuples);
}

export function decodeResults(text: string, into: RecordResult[]): void {
  for (const [id, success, created, errors] of JSON.parse(text) as ResultTuple[]) {
    into.push({
      id,
      success: success === 1,
      created: created === 1,
      errors: errors.map(([statusCode, message, fields]) => ({ statusCode, message, fields })),
    });
  }
}

/** One row per batch state of a job (pk_original <> 1): COUNT(*) and the sums, as both backends select them. */
export interface CounterRow {
  state: string;
  n: number;
  processed: number;
  failed: number;
  total: number;
  api: number;
  apex: number;
}

export function countersFromRows(rows: readonly CounterRow[]): JobCounters {
  const c: JobCounters = {
    numberBatchesQueued: 0,
    numberBatchesInProgress: 0,
    numberBatchesCompleted: 0,
    numberBatchesFailed: 0,
    numberBatchesTotal: 0,
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
  };
  for (const r of rows) {
    if (r.state === 'Queued') c.numberBatchesQueued = r.n;
    else if (r.state === 'InProgress') c.numberBatchesInProgress = r.n;
    else if (r.state === 'Completed') c.numberBatchesCompleted = r.n;
    else if (r.state === 'Failed') c.numberBatchesFailed = r.n;
    c.numberBatchesTotal += r.n;
    c.numberRecordsProcessed += r.processed;
    c.numberRecordsFailed += r.failed;
    c.totalProcessingTime += r.total;
    c.apiActiveProcessingTime += r.api;
    c.apexProcessingTime += r.apex;
  }
  return c;
}
