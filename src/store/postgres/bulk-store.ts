// The API side of the Bulk 1.0 store on PostgreSQL: reads and short writes on the request path. Any process may
// serve any request: nothing here is cached in memory.
import type { Batch, Job, JobCounters, JobState, RecordResult } from '../../jobs/model.js';
import { purgeEndedJobs } from './purge.js';
import type { BulkStore } from '../types.js';
import { type Pool, inTransaction, queryBinary, readBytea } from './database.js';
import {
  BATCH_COLUMNS,
  type BatchRow,
  type CounterRow,
  type JobRow,
  batchFromRow,
  countersFromRows,
  decodeResults,
  jobFromRow,
} from '../rows.js';
import { reserveIds } from './ids.js';

/** The channel a committed batch is announced on, so idle workers in every process wake at once. */
export const BATCH_QUEUED_CHANNEL = 'lf_batch_queued';

export class PostgresBulkStore implements BulkStore {
  private changes = 0;
  constructor(private readonly pool: Pool) {}

  /**
   * Another process may change any job at any time and nothing tells this one cheaply, so every token is new:
   * rendered statuses are never served again from memory on PostgreSQL.
   */
  changeToken(): string {
    return `pg:${++this.changes}`;
  }

  reserveIds(prefix: string, count: number): Promise<number> {
    return reserveIds(this.pool, prefix, count);
  }

  async createJob(job: Job): Promise<void> {
    await this.pool.query(
      `INSERT INTO lf_job (id, org_id, created_by_id, operation, object, external_id_field, concurrency_mode, content_type, state,
        api_version, assignment_rule_id, created_date, system_modstamp, number_retries, line_ending, pk_chunking, api)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        job.id,
        job.orgId,
        job.createdById,
        job.operation,
        job.object,
        job.externalIdFieldName,
        job.concurrencyMode,
        job.contentType,
        job.state,
        job.apiVersion,
        job.assignmentRuleId,
        job.createdDate,
        job.systemModstamp,
        job.numberRetries,
        job.lineEnding,
        job.pkChunking ? JSON.stringify(job.pkChunking) : null,
        job.api,
      ],
    );
  }

  async getJob(jobId: string): Promise<Job | undefined> {
    const { rows } = await this.pool.query<JobRow>('SELECT * FROM lf_job WHERE id = $1', [jobId]);
    return rows[0] && jobFromRow(rows[0]);
  }

  async jobCounters(jobId: string): Promise<JobCounters> {
    const { rows } = await this.pool.query<CounterRow>(
      `SELECT state, COUNT(*) AS n, SUM(records_processed)::bigint AS processed, SUM(records_failed)::bigint AS failed,
        SUM(total_time)::bigint AS total, SUM(api_active_time)::bigint AS api, SUM(apex_time)::bigint AS apex
       FROM lf_batch WHERE job_id = $1 AND pk_original <> 1 GROUP BY state`,
      [jobId],
    );
    return countersFromRows(rows);
  }

  async setJobState(jobId: string, state: JobState, now: number): Promise<void> {
    await this.pool.query('UPDATE lf_job SET state = $1, system_modstamp = $2 WHERE id = $3', [state, now, jobId]);
  }

  async abortJob(jobId: string, now: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      // The job row first: an upload that commits after this sees the job Aborted and stores nothing.
      await c.query(`UPDATE lf_job SET state = 'Aborted', system_modstamp = $1 WHERE id = $2`, [now, jobId]);
      await c.query(
        `UPDATE lf_batch SET state = 'NotProcessed', system_modstamp = $1 WHERE job_id = $2 AND state = 'Queued'`,
        [now, jobId],
      );
    });
  }

  async addBatch(batch: Batch, payload: Buffer, requestContentType: string): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      // FOR SHARE on the job row: a concurrent close or abort waits for this insert, or this insert sees its result.
      const { rowCount } = await c.query(
        `INSERT INTO lf_batch (id, job_id, state, state_message, created_date, system_modstamp, request_content_type)
         SELECT $1, id, $2, $3, $4, $5, $6 FROM (SELECT id FROM lf_job WHERE id = $7 AND state = 'Open' FOR SHARE) j`,
        [
          batch.id,
          batch.state,
          batch.stateMessage,
          batch.createdDate,
          batch.systemModstamp,
          requestContentType,
          batch.jobId,
        ],
      );
      if (rowCount !== 1) return false;
      await c.query('INSERT INTO lf_batch_payload (batch_id, body) VALUES ($1, $2)', [batch.id, payload]);
      await c.query(`SELECT pg_notify('${BATCH_QUEUED_CHANNEL}', '')`); // delivered at commit
      return true;
    });
  }

  async listBatches(jobId: string): Promise<Batch[]> {
    const { rows } = await this.pool.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM lf_batch WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );
    return rows.map(batchFromRow);
  }

  async getBatch(jobId: string, batchId: string): Promise<Batch | undefined> {
    const { rows } = await this.pool.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM lf_batch WHERE id = $1 AND job_id = $2`,
      [batchId, jobId],
    );
    return rows[0] && batchFromRow(rows[0]);
  }

  async getBatchPayload(batchId: string): Promise<{ body: Buffer; contentType: string } | undefined> {
    const rows = await queryBinary<{ body: Buffer; request_content_type: Buffer }>(
      this.pool,
      'SELECT p.body, b.request_content_type FROM lf_batch_payload p JOIN lf_batch b ON b.id = p.batch_id WHERE p.batch_id = $1',
      [batchId],
    );
    return rows[0] && { body: rows[0].body, contentType: rows[0].request_content_type.toString('utf8') };
  }

  async getBatchResults(batchId: string): Promise<RecordResult[]> {
    const { rows } = await this.pool.query<{ rows: string }>(
      'SELECT rows FROM lf_batch_result WHERE batch_id = $1 ORDER BY chunk',
      [batchId],
    );
    const out: RecordResult[] = [];
    for (const row of rows) decodeResults(row.rows, out);
    return out;
  }

  async listQueryResults(batchId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM lf_query_result WHERE batch_id = $1 ORDER BY seq',
      [batchId],
    );
    return rows.map((r) => r.id);
  }

  async hasQueryResult(batchId: string, resultId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM lf_query_result WHERE batch_id = $1 AND id = $2', [
      batchId,
      resultId,
    ]);
    return rowCount === 1;
  }

  async *readQueryResult(batchId: string, resultId: string): AsyncGenerator<Buffer> {
    if (!(await this.hasQueryResult(batchId, resultId))) return;
    // One 1 MB chunk per query, so a large file never sits in memory whole.
    for (let seq = 0; ; seq++) {
      const body = await readBytea(this.pool, 'lf_result_chunk', 'body', { result_id: resultId, seq });
      if (!body) return;
      yield body;
    }
  }

  async countBatchesSince(orgId: string, since: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM lf_batch b JOIN lf_job j ON j.id = b.job_id WHERE j.org_id = $1 AND b.created_date >= $2',
      [orgId, since],
    );
    return rows[0].n;
  }

  async purgeEndedJobs(endedBefore: number): Promise<number> {
    const purged = await purgeEndedJobs(this.pool, endedBefore);
    if (purged) this.changes++;
    return purged;
  }
}
