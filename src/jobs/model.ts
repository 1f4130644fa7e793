// The Bulk API 1.0 domain: jobs, batches, their states and transitions (Bulk API Developer Guide, "JobInfo",
// "BatchInfo", "Interpret Batch State").

export type Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete' | 'query' | 'queryAll';
export const OPERATIONS: readonly Operation[] = [
  'insert',
  'update',
  'upsert',
  'delete',
  'hardDelete',
  'query',
  'queryAll',
];
export type JobState = 'Open' | 'Closed' | 'Aborted' | 'Failed';
export type BatchState = 'Queued' | 'InProgress' | 'Completed' | 'Failed' | 'NotProcessed';
export type ConcurrencyMode = 'Parallel' | 'Serial';
/**
 * The Bulk API a job was created through. Bulk 2.0 jobs are split into internal batches and share the tables, claims
 * and engine with Bulk 1.0 ones; this says which API's rules and wire shapes apply to the job.
 */
export type JobApi = 'bulk1' | 'bulk2';
export type ContentType = 'CSV' | 'XML' | 'JSON' | 'ZIP_CSV' | 'ZIP_XML' | 'ZIP_JSON';
export const CONTENT_TYPES: readonly ContentType[] = ['CSV', 'XML', 'JSON', 'ZIP_CSV', 'ZIP_XML', 'ZIP_JSON'];

/** The stored job, without the counters derived from its batches. */
export interface Job {
  id: string;
  api: JobApi;
  orgId: string;
  createdById: string;
  operation: Operation;
  object: string;
  externalIdFieldName: string | null;
  concurrencyMode: ConcurrencyMode;
  contentType: ContentType;
  state: JobState;
  apiVersion: number;
  assignmentRuleId: string | null;
  createdDate: number;
  systemModstamp: number;
  numberRetries: number;
  /** Sforce-Line-Ending: how line breaks in textarea values are stored. */
  lineEnding: 'LF' | 'CRLF' | null;
  /** Sforce-Enable-PKChunking, when the job asked for it. */
  pkChunking: PkChunking | null;
}

export interface PkChunking {
  chunkSize: number;
  parent?: string;
  startRow?: string;
}

/** Sums over the job's batches (Bulk API guide, "JobInfo"): never stored, always derived. */
export interface JobCounters {
  numberBatchesQueued: number;
  numberBatchesInProgress: number;
  numberBatchesCompleted: number;
  numberBatchesFailed: number;
  numberBatchesTotal: number;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  apiActiveProcessingTime: number;
  apexProcessingTime: number;
}

export interface JobInfo extends Job, JobCounters {}

export interface Batch {
  id: string;
  jobId: string;
  state: BatchState;
  stateMessage: string | null;
  createdDate: number;
  systemModstamp: number;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  apiActiveProcessingTime: number;
  apexProcessingTime: number;
}

/** One record's outcome, in input order. `id` is null when the row failed before it had one. */
export interface RecordResult {
  id: string | null;
  success: boolean;
  created: boolean;
  errors: RecordError[];
}

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export function isDml(op: Operation): boolean {
  return op !== 'query' && op !== 'queryAll';
}
