// Storage interfaces. jobs/ and engine/ see only these; store/sqlite and store/postgres implement them.
import type { Batch, BatchState, ContentType, Job, JobCounters, JobState, RecordResult } from '../jobs/model.js';
import type { FieldDef, ObjectDef } from '../org/schema.js';
import type { IdCounterStore } from '../org/ids.js';
import type { CustomDefinition } from '../org/schema-file.js';

export interface Session {
  token: string;
  orgId: string;
  userId: string;
}

/** A session as stored: never the token itself, only its SHA-256 in hex (org/auth.ts), so a copy of the database
 * holds no usable session. */
export interface StoredSession {
  tokenHash: string;
  orgId: string;
  userId: string;
}

export interface UserLogin {
  userId: string;
  orgId: string;
  username: string;
  passwordHash: string;
  /** The "Bulk API Hard Delete" permission. */
  hardDelete: boolean;
}

export interface OrgRecord {
  id: string;
  name: string;
  isDefault: boolean;
  schemaVersion: number;
}

export interface NewUser extends UserLogin {
  lastName: string;
  firstName: string;
  email: string;
  profileId: string;
}

/** Orgs, users and sessions. */
export interface OrgStore {
  getOrg(orgId: string): Promise<OrgRecord | undefined>;
  listOrgs(): Promise<OrgRecord[]>;
  createOrg(org: { id: string; name: string; isDefault: boolean }, now: number): Promise<void>;
  /** Inserts the user both as a record of the org's `User` table and as a login. */
  createUser(user: NewUser, userTable: string, now: number): Promise<void>;
  findLogin(username: string): Promise<UserLogin | undefined>;
  getLogin(userId: string): Promise<UserLogin | undefined>;
  /** The org's first user: its admin. */
  findOrgAdmin(orgId: string): Promise<UserLogin | undefined>;
  /** Stores a session under its token's hash (created and last used `now`); an existing one is replaced. */
  saveSession(session: StoredSession, now: number): Promise<void>;
  /** The session stored under a token hash, with when it was last used (its creation when never touched since). */
  findSession(tokenHash: string): Promise<(StoredSession & { lastUsed: number }) | undefined>;
  /** Records a use of the session at `now` (the session timeout counts from the last use). */
  touchSession(tokenHash: string, now: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
}

/** REST query reads: the row count of a compiled query, and the rows of a compiled page (it holds its own LIMIT). */
export interface QueryStore {
  count(sql: string, params: readonly unknown[]): Promise<number>;
  rows(sql: string, params: readonly unknown[]): Promise<unknown[][]>;
}

/** Custom schema definitions per org, and the record tables they need. */
export interface SchemaStore {
  loadDefinitions(orgId: string): Promise<CustomDefinition[]>;
  /** Replaces the org's definitions and bumps its schema version; returns the new version. */
  saveDefinitions(orgId: string, definitions: readonly CustomDefinition[]): Promise<number>;
  /** Creates missing tables and columns; never drops anything. */
  ensureTables(objects: readonly ObjectDef[]): Promise<void>;
  /**
   * Moves non-default orgs' records out of tables named with the prefix of earlier releases (registry.ts
   * `legacyTablePrefix`) into their own tables, in one transaction per table. A table no other org shares is renamed;
   * one that several orgs share (SQLite, org ids differing only in case) gives each org the rows its users created,
   * owned or (User) are, and is dropped once empty. Counters of auto-number fields follow their table. Idempotent.
   */
  adoptLegacyTables(owners: readonly LegacyTableOwner[]): Promise<SharedTableReport[]>;
}

/** A non-default org whose record tables may still carry an earlier release's name. */
export interface LegacyTableOwner {
  orgId: string;
  legacyPrefix: string;
  /** The org's objects, each naming its current table. */
  objects: readonly ObjectDef[];
}

/** A table that several orgs shared, and what became of its rows. */
export interface SharedTableReport {
  table: string;
  orgIds: string[];
  /** Rows moved to each org's own table, by org id. */
  moved: Record<string, number>;
  /** Rows no org's users created or own: left in `table` (kept, never deleted). */
  rowsLeft: number;
}

/** Jobs and batches as the API surfaces see them. */
export interface BulkStore extends IdCounterStore {
  /**
   * Changes whenever any job or batch may have changed, from any connection. Equal tokens mean nothing changed in
   * between, so a response rendered under the token can be served again.
   */
  changeToken(): string;
  createJob(job: Job): Promise<void>;
  getJob(jobId: string): Promise<Job | undefined>;
  jobCounters(jobId: string): Promise<JobCounters>;
  setJobState(jobId: string, state: JobState, now: number): Promise<void>;
  /** Sets the job Aborted and its Queued batches NotProcessed, in one transaction. */
  abortJob(jobId: string, now: number): Promise<void>;
  /**
   * Stores the batch row and its payload in one transaction, only while the job is still Open (checked inside the
   * transaction, so a close or abort that raced the upload wins). Resolves true when the batch is on disk, false
   * when the job was no longer Open and nothing was stored.
   */
  addBatch(batch: Batch, payload: Buffer, requestContentType: string): Promise<boolean>;
  listBatches(jobId: string): Promise<Batch[]>;
  getBatch(jobId: string, batchId: string): Promise<Batch | undefined>;
  getBatchPayload(batchId: string): Promise<{ body: Buffer; contentType: string } | undefined>;
  getBatchResults(batchId: string): Promise<RecordResult[]>;
  /** The result file ids of a query batch, in order. */
  listQueryResults(batchId: string): Promise<string[]>;
  hasQueryResult(batchId: string, resultId: string): Promise<boolean>;
  /** A query result file, chunk by chunk. */
  readQueryResult(batchId: string, resultId: string): AsyncIterable<Buffer>;
  /** Batches created by the org's jobs since `since` (the DailyBulkApiBatches allocation). */
  countBatchesSince(orgId: string, since: number): Promise<number>;
  /**
   * Deletes the jobs that ended (Closed, Aborted, Failed) before `endedBefore` (their last change) and have no batch
   * left to run, with their batches, payloads (rows and files), results and query result files: one transaction per
   * job, so a purge cut short leaves whole jobs. Returns how many jobs went.
   */
  purgeEndedJobs(endedBefore: number): Promise<number>;
}

/** A batch handed to a worker, with what it needs to process or resume it. */
export interface ClaimedBatch {
  job: Job;
  batch: Batch;
  payload: Buffer;
  /** 200-record chunks already committed by an earlier attempt. */
  chunksDone: number;
  /** 1 on the first claim; more after a lease expired (the process died or stalled). */
  attempts: number;
  /** PK chunking: 0 an ordinary batch, 1 the original of a chunked query, 2 one of its chunks. */
  pkRole: 0 | 1 | 2;
  owner: string;
}

export interface ChunkOutcome {
  results: RecordResult[];
  processed: number;
  failed: number;
  elapsedMs: number;
}

/** The queue the engine works from. All claim logic is in the implementation's claims module. */
export interface WorkStore extends IdCounterStore {
  /**
   * Claims the next runnable batch (Queued, or InProgress with an expired lease), honouring Serial jobs. A runnable
   * batch already claimed `maxAttempts` times (default 10) fails instead; a claim whose payload cannot be read counts
   * as an attempt and pauses that batch, and the next runnable one is claimed.
   */
  claimNext(
    owner: string,
    leaseMs: number,
    now: number,
    delayMs?: number,
    maxAttempts?: number,
  ): Promise<ClaimedBatch | undefined>;
  /**
   * How many 200-record chunks one transaction applies. Each chunk is still validated on its own, as Salesforce
   * does (duplicates within a chunk, checks that see the previous chunk's records); only the commit is shared.
   * SQLite: 1. PostgreSQL: several, because a round trip per chunk cost more than the records themselves.
   */
  readonly chunksPerCommit: number;
  /**
   * Runs `apply` for `chunkCount` consecutive chunks starting at `firstChunk` and commits their record changes,
   * result rows and the batch's progress in ONE transaction. Resolves false (and changes nothing) when the lease was
   * lost to another worker.
   */
  commitChunks(
    claim: ClaimedBatch,
    firstChunk: number,
    chunkCount: number,
    leaseMs: number,
    now: () => number,
    apply: (tx: RecordTx) => Promise<ChunkOutcome>,
  ): Promise<boolean>;
  /**
   * The heartbeat: extends the lease of a batch this owner still holds InProgress (never takes one back). Resolves
   * false when it is no longer the owner's, or when the batch row is busy in the owner's own commit (which renews it).
   */
  renewLease(claim: ClaimedBatch, leaseMs: number, now: number): Promise<boolean>;
  /** Ends the batch (Completed or Failed) if the lease is still ours. */
  finishBatch(
    claim: ClaimedBatch,
    state: Extract<BatchState, 'Completed' | 'Failed'>,
    stateMessage: string | null,
    elapsedMs: number,
    now: number,
  ): Promise<void>;
  /** Counts a retry on the job (a batch re-claimed after its lease expired). */
  countRetry(jobId: string): Promise<void>;

  // ---- query batches ----
  /**
   * Rows of a compiled query as arrays, in pages (a few thousand rows each), streamed from a connection of their own
   * (result writes go on meanwhile). Pages, not single rows: one await per page keeps a million-row extract fast.
   */
  streamRows(sql: string, params: readonly unknown[]): AsyncIterable<unknown[][]>;
  // Every write below checks that the lease is still `claim.owner`'s and resolves false, writing nothing, when it
  // is not: a worker that stalled past its lease stops, and the worker that re-claimed the batch owns its results.
  /** Drops what an earlier, interrupted attempt wrote for this batch. */
  clearQueryResults(claim: ClaimedBatch): Promise<boolean>;
  /** Appends one chunk of a result file (committed at once; the file is listed only when complete) and renews the lease. */
  appendResultChunk(
    claim: ClaimedBatch,
    resultId: string,
    seq: number,
    body: Buffer,
    leaseMs: number,
    now: number,
  ): Promise<boolean>;
  /** Lists a finished result file under its batch. */
  addQueryResult(claim: ClaimedBatch, resultId: string, seq: number, rows: number): Promise<boolean>;
  /** Ends a query batch Completed with its row count. */
  completeQueryBatch(claim: ClaimedBatch, rows: number, elapsedMs: number, now: number): Promise<boolean>;
  /**
   * PK chunking: queues the chunk batches (their payloads are SOQL with an Id range) and marks the original
   * NotProcessed, in one transaction; nothing is queued unless the original is still ours and its job not Aborted.
   */
  splitIntoChunks(claim: ClaimedBatch, chunks: { id: string; soql: string }[], now: number): Promise<boolean>;
  /** Ids of an object's table in order from `startAt`, deleted ones included (PK chunk boundaries), in pages. */
  streamIds(table: string, startAt?: string): AsyncIterable<string[]>;
}

/** Record reads and writes inside one chunk transaction. */
export interface RecordTx {
  getRecord(object: ObjectDef, id: string): Promise<Record<string, unknown> | undefined>;
  /** Existing records among `ids` (18-char), with their deleted flag. */
  findIds(object: ObjectDef, ids: readonly string[]): Promise<Map<string, { isDeleted: boolean }>>;
  /** Records whose `field` equals one of `values` (case-insensitively for text), deleted ones only with `includeDeleted`: value (lower-cased) → ids. */
  findByField(
    object: ObjectDef,
    field: FieldDef,
    values: readonly string[],
    includeDeleted?: boolean,
  ): Promise<Map<string, string[]>>;
  insert(object: ObjectDef, columns: readonly string[], rows: readonly unknown[][]): Promise<void>;
  update(object: ObjectDef, id: string, columns: readonly string[], values: readonly unknown[]): Promise<void>;
  /** Recomputes a derived full name (`Name` = FirstName + LastName on Contact, Lead, User) after an update. */
  refreshFullName(object: ObjectDef, id: string): Promise<void>;
  softDelete(object: ObjectDef, ids: readonly string[], now: string, userId: string): Promise<void>;
  hardDelete(object: ObjectDef, ids: readonly string[]): Promise<void>;
}

export type { ContentType };
