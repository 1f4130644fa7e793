// Bulk API 1.0 operations as typed calls: no HTTP, no wire formats. api/bulk1 turns requests into these calls
// and their results back into Salesforce's bytes.
import { RequestErrors } from '../errors/domain.js';
import { JobErrors, JobRequestErrors } from './errors.js';
import { normalizeId } from '../wire/ids.js';
import type { Clock } from '../org/clock.js';
import { KEY_PREFIX, type IdGenerator } from '../org/ids.js';
import type { SchemaService } from '../org/schema-service.js';
import type { BulkStore, OrgStore, Session } from '../store/types.js';
import {
  CONTENT_TYPES,
  OPERATIONS,
  isDml,
  type Batch,
  type ConcurrencyMode,
  type ContentType,
  type Job,
  type JobInfo,
  type Operation,
  type PkChunking,
  type RecordResult,
} from './model.js';

/** A JobInfo as a client sent it: every value still text (or a JSON scalar), names as given. */
export type JobRequest = Partial<Record<string, string | number | boolean | null>>;

export interface BulkLimits {
  /** Characters per batch (10,000,000). */
  maxBatchChars: number;
  /** How long a job accepts batches (24 h). */
  batchWindowMs: number;
  /** Batches an org may create in a rolling 24 hours (DailyBulkApiBatches: 15,000). */
  dailyBatches: number;
  /** Batches created before this instant are not counted (`serve --reset-limits`); absent: all are. */
  countBatchesFrom?: number;
}

export interface JobHeaders {
  /** Sforce-Line-Ending. */
  lineEnding?: Job['lineEnding'];
  /** Sforce-Enable-PKChunking, as sent. */
  pkChunking?: string;
}

export const DEFAULT_LIMITS: BulkLimits = {
  maxBatchChars: 10_000_000,
  batchWindowMs: 24 * 3600_000,
  dailyBatches: 15_000,
};

const JOB_FIELDS_ON_CREATE = new Set([
  'operation',
  'object',
  'externalIdFieldName',
  'concurrencyMode',
  'contentType',
  'assignmentRuleId',
  'state',
]);

/**
 * The JobInfo fields only the server sets, in the order the org checks them before any other field: a job update
 * that echoes a whole JobInfo (Salesforce's WSC client, forceworkbench issue 675) is refused with
 * `CreatedById cannot be specified`, although id, operation and object come first in that document.
 */
const SERVER_SET_FIELDS = [
  'createdById',
  'createdDate',
  'systemModstamp',
  'numberBatchesQueued',
  'numberBatchesInProgress',
  'numberBatchesCompleted',
  'numberBatchesFailed',
  'numberBatchesTotal',
  'numberRecordsProcessed',
  'numberRetries',
  'apiVersion',
  'numberRecordsFailed',
  'totalProcessingTime',
  'apiActiveProcessingTime',
  'apexProcessingTime',
  'fastPathEnabled',
];

/** Refuses the first field the request may not set: server-set fields first, then the rest in the order sent. */
function refuseFieldsOutside(req: JobRequest, allowed: ReadonlySet<string>): void {
  const refused =
    SERVER_SET_FIELDS.find((name) => name in req && !allowed.has(name)) ??
    Object.keys(req).find((name) => !allowed.has(name));
  if (refused !== undefined) throw JobRequestErrors.fieldCannotBeSpecified(refused);
}

const JOB_FIELDS_ON_UPDATE: ReadonlySet<string> = new Set(['state']);

export class BulkService {
  constructor(
    private readonly store: BulkStore,
    private readonly ids: IdGenerator,
    private readonly schemas: SchemaService,
    private readonly orgs: OrgStore,
    private readonly clock: Clock,
    private readonly limits: BulkLimits = DEFAULT_LIMITS,
    /** Called after a batch is on disk, to wake the workers. */
    private readonly onBatchQueued: () => void = () => {},
  ) {}

  private async info(job: Job): Promise<JobInfo> {
    return { ...job, ...(await this.store.jobCounters(job.id)) };
  }

  /** The job, if it exists in the caller's org. Another org's job is as invisible as a missing one. */
  private async visibleJob(session: Session, jobId: string): Promise<Job> {
    const job = await this.store.getJob(jobId);
    if (!job || job.orgId !== session.orgId) throw JobErrors.unknownJob(jobId);
    return job;
  }

  /** See BulkStore.changeToken: lets the surface serve a rendered status again while nothing changed. */
  changeToken(): string {
    return this.store.changeToken();
  }

  /** The job's content type, for choosing the error format before the caller is authenticated. */
  async jobFormat(jobId: string): Promise<ContentType | undefined> {
    return (await this.store.getJob(jobId))?.contentType;
  }

  async createJob(session: Session, apiVersion: number, req: JobRequest, headers: JobHeaders = {}): Promise<JobInfo> {
    const lineEnding = headers.lineEnding ?? null;
    refuseFieldsOutside(req, JOB_FIELDS_ON_CREATE);
    const opText = req.operation == null ? '' : String(req.operation);
    if (!opText) throw JobErrors.invalidJob('Operation is required');
    // The org's parser knows the enumeration's exact spellings only: `Insert` or `harddelete` do not parse.
    if (!OPERATIONS.includes(opText as Operation)) throw JobRequestErrors.unparsableJob();
    const operation = opText as Operation;
    if (!isDml(operation) && apiVersion < 21) {
      throw JobErrors.invalidJob('Bulk API query is only available in version 21.0 and above');
    }
    const pkChunking = isDml(operation) ? null : parsePkChunking(headers.pkChunking);
    const objectText = req.object == null ? '' : String(req.object);
    if (!objectText) throw JobErrors.invalidJob('Object is required');
    const object = (await this.schemas.forOrg(session.orgId)).object(objectText);
    if (!object) throw JobRequestErrors.unknownObject(objectText);
    if (operation === 'hardDelete' && !(await this.orgs.getLogin(session.userId))?.hardDelete) {
      throw JobRequestErrors.hardDeleteNotPermitted();
    }

    const contentType = (req.contentType == null ? 'XML' : String(req.contentType)) as ContentType;
    if (!CONTENT_TYPES.includes(contentType)) throw JobErrors.invalidJob(`Invalid content type: ${contentType}`);
    if (contentType.startsWith('ZIP_')) {
      const reason = 'Binary attachments (ZIP content types) are not available in this localforce release';
      throw JobErrors.featureNotEnabled(reason);
    }
    if (contentType === 'JSON' && apiVersion < 36) {
      throw JobErrors.invalidJob('JSON content type is not supported before API version 36.0');
    }

    const concurrencyMode = parseConcurrencyMode(req.concurrencyMode);
    if (req.state != null && req.state !== 'Open') {
      throw JobErrors.invalidJobState(`A new job must be Open, not ${String(req.state)}`);
    }

    let externalIdFieldName: string | null = null;
    const extText = req.externalIdFieldName == null ? '' : String(req.externalIdFieldName);
    if (operation === 'upsert') {
      if (!extText) {
        const reason = `External ID was blank for ${object.name}. An External ID must be specified for upsert.`;
        throw JobErrors.invalidJob(reason);
      }
      const f = object.field(extText);
      if (!f || !(f.name === 'Id' || f.externalId || f.idLookup)) {
        const expected = 'does not match an External ID, Salesforce Id, or indexed field';
        throw JobErrors.invalidJob(`Field name provided, ${extText} ${expected} for ${object.name}`);
      }
      externalIdFieldName = f.name;
    } else if (extText) {
      throw JobErrors.invalidJob(`External ID field can only be specified for upsert, not for ${operation}`);
    }

    const now = this.clock.now();
    const job: Job = {
      id: await this.ids.one(KEY_PREFIX.job),
      api: 'bulk1',
      orgId: session.orgId,
      createdById: session.userId,
      operation,
      object: object.name,
      externalIdFieldName,
      concurrencyMode,
      contentType,
      state: 'Open',
      apiVersion,
      assignmentRuleId:
        req.assignmentRuleId == null || req.assignmentRuleId === '' ? null : String(req.assignmentRuleId),
      createdDate: now,
      systemModstamp: now,
      numberRetries: 0,
      lineEnding,
      pkChunking,
    };
    await this.store.createJob(job);
    return this.info(job);
  }

  async getJob(session: Session, jobId: string): Promise<JobInfo> {
    return this.info(await this.visibleJob(session, jobId));
  }

  /**
   * Close or abort (Bulk API Developer Guide, "Step Three: Close a Job", "Step Five: Abort a Job"): Open→Closed,
   * Open/Closed→Aborted, repeating the current state is a no-op (docs/compatibility.md).
   */
  async updateJob(session: Session, jobId: string, req: JobRequest): Promise<JobInfo> {
    const job = await this.visibleJob(session, jobId);
    refuseFieldsOutside(req, JOB_FIELDS_ON_UPDATE);
    const requested = req.state == null ? '' : String(req.state);
    // The public Postman collection closes Bulk 1.0 jobs with Bulk 2.0's UploadComplete.
    const target = requested === 'UploadComplete' ? 'Closed' : requested;
    if (target !== 'Closed' && target !== 'Aborted') {
      throw JobErrors.invalidJobState(`Invalid job state: ${requested || '(none)'}`);
    }
    if (target === job.state) return this.info(job);
    const allowed =
      (job.state === 'Open' && target === 'Closed') ||
      ((job.state === 'Open' || job.state === 'Closed') && target === 'Aborted');
    if (!allowed) throw JobErrors.invalidJobState(`Cannot change the state of a job from ${job.state} to ${target}`);
    const now = this.clock.now();
    if (target === 'Aborted') await this.store.abortJob(job.id, now);
    else await this.store.setJobState(job.id, 'Closed', now);
    return this.info({ ...job, state: target, systemModstamp: now });
  }

  async addBatch(session: Session, jobId: string, body: Buffer, requestContentType: string): Promise<Batch> {
    const job = await this.visibleJob(session, jobId);
    if (job.state !== 'Open') throw JobErrors.invalidJobState(`Job ${job.id} is ${job.state}: no batches can be added`);
    const now = this.clock.now();
    const since = Math.max(now - 24 * 3600_000, this.limits.countBatchesFrom ?? 0);
    if ((await this.store.countBatchesSince(job.orgId, since)) >= this.limits.dailyBatches) {
      throw JobErrors.dailyBatchesExceeded(this.limits.dailyBatches);
    }
    if (now - job.createdDate > this.limits.batchWindowMs) {
      throw JobErrors.invalidJobState(`Job ${job.id} is older than 24 hours: no batches can be added`);
    }
    if (isBlank(body)) throw JobErrors.emptyBatch();
    // Bytes are an upper bound of characters: only count characters when the bytes exceed the limit.
    if (body.length > this.limits.maxBatchChars && body.toString('utf8').length > this.limits.maxBatchChars) {
      throw RequestErrors.payloadTooLarge(this.limits.maxBatchChars);
    }
    const batch: Batch = {
      id: await this.ids.one(KEY_PREFIX.batch),
      jobId: job.id,
      state: 'Queued',
      stateMessage: null,
      createdDate: now,
      systemModstamp: now,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
    };
    // The job was Open when the request began; a close or abort may have committed since.
    if (!(await this.store.addBatch(batch, body, requestContentType))) {
      const current = await this.store.getJob(job.id);
      throw JobErrors.invalidJobState(`Job ${job.id} is ${current?.state ?? 'Closed'}: no batches can be added`);
    }
    this.onBatchQueued();
    return batch;
  }

  async listBatches(session: Session, jobId: string): Promise<{ job: Job; batches: Batch[] }> {
    const job = await this.visibleJob(session, jobId);
    return { job, batches: await this.store.listBatches(job.id) };
  }

  async getBatch(session: Session, jobId: string, batchId: string): Promise<{ job: Job; batch: Batch }> {
    const job = await this.visibleJob(session, jobId);
    const batch = await this.store.getBatch(job.id, batchId);
    if (!batch) throw JobErrors.unknownBatch(batchId);
    return { job, batch };
  }

  async getBatchRequest(session: Session, jobId: string, batchId: string): Promise<{ job: Job; body: Buffer }> {
    const { job, batch } = await this.getBatch(session, jobId, batchId);
    const payload = await this.store.getBatchPayload(batch.id);
    if (!payload) throw JobErrors.unknownBatch(batchId);
    return { job, body: payload.body };
  }

  /**
   * DML jobs: one result per input row (a Failed batch that processed rows returns the rows it processed).
   * Query jobs: the ids of the result files.
   */
  async getBatchResults(
    session: Session,
    jobId: string,
    batchId: string,
  ): Promise<{ job: Job; results: RecordResult[] } | { job: Job; resultIds: string[] }> {
    const { job, batch } = await this.getBatch(session, jobId, batchId);
    if (!isDml(job.operation)) {
      if (batch.state !== 'Completed') throw JobErrors.batchNotComplete(batch.id, batch.state);
      return { job, resultIds: await this.store.listQueryResults(batch.id) };
    }
    const ready = batch.state === 'Completed' || (batch.state === 'Failed' && batch.numberRecordsProcessed > 0);
    if (!ready) throw JobErrors.batchNotComplete(batch.id, batch.state);
    return { job, results: await this.store.getBatchResults(batch.id) };
  }

  /** A query result file, streamed chunk by chunk. */
  async getQueryResult(
    session: Session,
    jobId: string,
    batchId: string,
    resultId: string,
  ): Promise<{ job: Job; chunks: AsyncIterable<Buffer> }> {
    const { job, batch } = await this.getBatch(session, jobId, batchId);
    if (isDml(job.operation) || !(await this.store.hasQueryResult(batch.id, resultId))) {
      throw JobErrors.unknownResult(resultId);
    }
    return { job, chunks: this.store.readQueryResult(batch.id, resultId) };
  }
}

/** True when the body holds nothing but white space (checked on bytes: decoding 10 MB would stall the event loop). */
function isBlank(body: Buffer): boolean {
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  }
  return true;
}

/**
 * Sforce-Enable-PKChunking: `TRUE`/`FALSE` (any case), or `chunkSize=N; parent=Obj; startRow=Id`, spaces and a
 * trailing `;` allowed (Bulk API guide, "PK Chunking"; Data Loader and salesforce-bulk send these forms).
 */
export function parsePkChunking(header: string | undefined): PkChunking | null {
  if (header === undefined || header.trim() === '') return null;
  const parts = header
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 1 && /^false$/i.test(parts[0])) return null;
  const out: PkChunking = { chunkSize: 100_000 };
  for (const part of parts) {
    if (/^true$/i.test(part)) continue;
    const m = /^(\w+)\s*=\s*(.*)$/.exec(part);
    if (!m) throw JobErrors.invalidJob(`Invalid Sforce-Enable-PKChunking header: ${header}`);
    const [, key, value] = m;
    if (/^chunkSize$/i.test(key)) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 250_000) {
        throw JobErrors.invalidJob(`Invalid chunkSize ${value}: it must be between 1 and 250000`); // localforce wording
      }
      out.chunkSize = n;
    } else if (/^parent$/i.test(key)) out.parent = value;
    else if (/^startRow$/i.test(key)) {
      // Kept as the 18-character id: it becomes the first chunk's bound in that chunk's SOQL.
      const id = normalizeId(value);
      if (!id) {
        // localforce wording
        throw JobErrors.invalidJob(`Invalid startRow ${value}: it must be a 15- or 18-character record id`);
      }
      out.startRow = id;
    } else throw JobErrors.invalidJob(`Invalid Sforce-Enable-PKChunking option: ${key}`);
  }
  return out;
}

function parseConcurrencyMode(value: string | number | boolean | null | undefined): ConcurrencyMode {
  if (value == null || value === '') return 'Parallel';
  // simple-salesforce sends the enum ordinal as a JSON number.
  if (value === 'Parallel' || value === 0 || value === '0') return 'Parallel';
  if (value === 'Serial' || value === 1 || value === '1') return 'Serial';
  throw JobErrors.invalidJob(`Invalid concurrency mode: ${String(value)}`);
}
