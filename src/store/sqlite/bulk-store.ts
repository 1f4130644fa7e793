// The API side of the Bulk 1.0 store: reads and short writes on the request path, each one synchronous
// better-sqlite3 call (no await inside a transaction, so requests never interleave on the connection).
import type { Batch, Job, JobCounters, JobState, RecordResult } from '../../jobs/model.js';
import type { BulkStore } from '../types.js';
import type { Db } from './database.js';
import { INLINE_MAX, type PayloadFiles } from './payloads.js';
import { purgeEndedJobs } from './purge.js';
import {
  BATCH_COLUMNS,
  type BatchRow,
  type CounterRow,
  type JobRow,
  batchFromRow,
  countersFromRows,
  decodeResults,
  jobFromRow,
  reserveIds,
} from './rows.js';

export class SqliteBulkStore implements BulkStore {
  private readonly stmt;
  /** Writes made on this connection, which SQLite's data_version does not count. */
  private localWrites = 0;
  constructor(
    private readonly db: Db,
    private readonly files: PayloadFiles,
  ) {
    this.stmt = {
      insertJob:
        db.prepare(`INSERT INTO lf_job (id, org_id, created_by_id, operation, object, external_id_field, concurrency_mode,
        content_type, state, api_version, assignment_rule_id, created_date, system_modstamp, number_retries,
        line_ending, pk_chunking, api)
        VALUES (@id, @orgId, @createdById, @operation, @object, @externalIdFieldName, @concurrencyMode, @contentType, @state,
        @apiVersion, @assignmentRuleId, @createdDate, @systemModstamp, @numberRetries, @lineEnding, @pkChunkingJson,
        @api)`),
      getJob: db.prepare('SELECT * FROM lf_job WHERE id = ?'),
      counters:
        db.prepare(`SELECT state, COUNT(*) AS n, SUM(records_processed) AS processed, SUM(records_failed) AS failed,
        SUM(total_time) AS total, SUM(api_active_time) AS api, SUM(apex_time) AS apex FROM lf_batch WHERE job_id = ? AND pk_original <> 1 GROUP BY state`),
      setJobState: db.prepare('UPDATE lf_job SET state = ?, system_modstamp = ? WHERE id = ?'),
      notProcessed: db.prepare(
        `UPDATE lf_batch SET state = 'NotProcessed', system_modstamp = ? WHERE job_id = ? AND state = 'Queued'`,
      ),
      insertBatch:
        db.prepare(`INSERT INTO lf_batch (id, job_id, state, state_message, created_date, system_modstamp, request_content_type)
        SELECT ?, id, ?, ?, ?, ?, ? FROM lf_job WHERE id = ? AND state = 'Open'`),
      insertPayload: db.prepare('INSERT INTO lf_batch_payload (batch_id, body) VALUES (?, ?)'),
      listBatches: db.prepare(`SELECT ${BATCH_COLUMNS} FROM lf_batch WHERE job_id = ? ORDER BY seq`),
      getBatch: db.prepare(`SELECT ${BATCH_COLUMNS} FROM lf_batch WHERE id = ? AND job_id = ?`),
      payload: db.prepare(
        'SELECT p.body, b.request_content_type FROM lf_batch_payload p JOIN lf_batch b ON b.id = p.batch_id WHERE p.batch_id = ?',
      ),
      results: db.prepare('SELECT rows FROM lf_batch_result WHERE batch_id = ? ORDER BY chunk'),
      resultIds: db.prepare('SELECT id FROM lf_query_result WHERE batch_id = ? ORDER BY seq'),
      resultFile: db.prepare('SELECT id FROM lf_query_result WHERE batch_id = ? AND id = ?'),
      resultChunk: db.prepare('SELECT body FROM lf_result_chunk WHERE result_id = ? AND seq = ?'),
      dataVersion: db.prepare('PRAGMA data_version').pluck(true),
      countSince: db.prepare(
        'SELECT COUNT(*) AS n FROM lf_batch b JOIN lf_job j ON j.id = b.job_id WHERE j.org_id = ? AND b.created_date >= ?',
      ),
    };
  }

  changeToken(): string {
    return `${this.stmt.dataVersion.get() as number}:${this.localWrites}`;
  }

  async reserveIds(prefix: string, count: number): Promise<number> {
    return reserveIds(this.db, prefix, count);
  }

  async createJob(job: Job): Promise<void> {
    this.localWrites++;
    this.stmt.insertJob.run({ ...job, pkChunkingJson: job.pkChunking ? JSON.stringify(job.pkChunking) : null });
  }

  async getJob(jobId: string): Promise<Job | undefined> {
    const row = this.stmt.getJob.get(jobId) as JobRow | undefined;
    return row && jobFromRow(row);
  }

  async jobCounters(jobId: string): Promise<JobCounters> {
    return countersFromRows(this.stmt.counters.all(jobId) as CounterRow[]);
  }

  async setJobState(jobId: string, state: JobState, now: number): Promise<void> {
    this.localWrites++;
    this.stmt.setJobState.run(state, now, jobId);
  }

  async abortJob(jobId: string, now: number): Promise<void> {
    this.localWrites++;
    this.db.transaction(() => {
      this.stmt.setJobState.run('Aborted', now, jobId);
      this.stmt.notProcessed.run(now, jobId);
    })();
  }

  async addBatch(batch: Batch, payload: Buffer, requestContentType: string): Promise<boolean> {
    const inline = payload.length <= INLINE_MAX;
    if (!inline) await this.files.write(batch.id, payload);
    this.localWrites++;
    const stored = this.db.transaction(() => {
      const { changes } = this.stmt.insertBatch.run(
        batch.id,
        batch.state,
        batch.stateMessage,
        batch.createdDate,
        batch.systemModstamp,
        requestContentType,
        batch.jobId,
      );
      if (changes === 0) return false;
      this.stmt.insertPayload.run(batch.id, inline ? payload : null);
      return true;
    })();
    if (!stored && !inline) await this.files.remove(batch.id);
    return stored;
  }

  async listBatches(jobId: string): Promise<Batch[]> {
    return (this.stmt.listBatches.all(jobId) as BatchRow[]).map(batchFromRow);
  }

  async getBatch(jobId: string, batchId: string): Promise<Batch | undefined> {
    const row = this.stmt.getBatch.get(batchId, jobId) as BatchRow | undefined;
    return row && batchFromRow(row);
  }

  async getBatchPayload(batchId: string): Promise<{ body: Buffer; contentType: string } | undefined> {
    const row = this.stmt.payload.get(batchId) as { body: Buffer | null; request_content_type: string } | undefined;
    return row && { body: row.body ?? (await this.files.read(batchId)), contentType: row.request_content_type };
  }

  async listQueryResults(batchId: string): Promise<string[]> {
    return (this.stmt.resultIds.all(batchId) as { id: string }[]).map((r) => r.id);
  }

  async *readQueryResult(batchId: string, resultId: string): AsyncGenerator<Buffer> {
    if (!this.stmt.resultFile.get(batchId, resultId)) return;
    // One chunk per read, so a large file never sits in memory whole.
    for (let seq = 0; ; seq++) {
      const row = this.stmt.resultChunk.get(resultId, seq) as { body: Buffer } | undefined;
      if (!row) return;
      yield row.body;
      // Each read is synchronous; yielding to the event loop between chunks keeps
      // status polls answered promptly while a large result file streams out.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async hasQueryResult(batchId: string, resultId: string): Promise<boolean> {
    return this.stmt.resultFile.get(batchId, resultId) !== undefined;
  }

  async countBatchesSince(orgId: string, since: number): Promise<number> {
    return (this.stmt.countSince.get(orgId, since) as { n: number }).n;
  }

  async getBatchResults(batchId: string): Promise<RecordResult[]> {
    const out: RecordResult[] = [];
    for (const row of this.stmt.results.iterate(batchId) as Iterable<{ rows: string }>) decodeResults(row.rows, out);
    return out;
  }

  async purgeEndedJobs(endedBefore: number): Promise<number> {
    const purged = await purgeEndedJobs(this.db, this.files, endedBefore);
    if (purged) this.localWrites++;
    return purged;
  }
}
