// All of the work-claiming SQL for SQLite, in one place (as pg-boss keeps its claim SQL together).
//
// A batch is runnable when it is Queued, or InProgress with an expired lease (its worker died), or InProgress under
// the claiming worker itself (it failed mid-batch and is free again: the batch resumes at once). A Serial job's
// batch is runnable only while no other batch of the same job holds a live lease. Claiming and every chunk commit
// check the lease owner, so a worker that lost its lease cannot write.
import type { BatchState } from '../../jobs/model.js';
import type { ChunkOutcome, ClaimedBatch, RecordTx, WorkStore } from '../types.js';
import { type Db, inTransaction, quoteIdent } from './database.js';
import {
  BATCH_COLUMNS,
  type BatchRow,
  type JobRow,
  batchFromRow,
  encodeResults,
  jobFromRow,
  reserveIds,
} from './rows.js';
import { SqliteRecordTx } from './record-tx.js';
import type { PayloadFiles } from './payloads.js';
import { DEFAULT_MAX_ATTEMPTS, FAILED_CLAIM_PAUSE_MS, retriesExhaustedMessage } from '../claim-failure.js';

const CLAIM_NEXT = `
UPDATE lf_batch SET
  state = 'InProgress',
  system_modstamp = CASE WHEN state = 'Queued' THEN @now ELSE system_modstamp END,
  lease_owner = @owner, lease_until = @now + @leaseMs, attempts = attempts + 1
WHERE seq = (
  SELECT b.seq FROM lf_batch b JOIN lf_job j ON j.id = b.job_id
  WHERE ((b.state = 'Queued' AND b.created_date <= @now - @delayMs) OR (b.state = 'InProgress' AND (b.lease_until < @now OR b.lease_owner = @owner)))
    AND b.attempts < @maxAttempts
    AND (j.concurrency_mode = 'Parallel' OR NOT EXISTS (
      SELECT 1 FROM lf_batch o
      WHERE o.job_id = b.job_id AND o.state = 'InProgress' AND o.lease_until >= @now AND o.lease_owner IS NOT @owner
        AND o.seq <> b.seq))
  ORDER BY b.seq LIMIT 1)
RETURNING ${BATCH_COLUMNS}`;

// The retry cap, checked before each claim: a batch that would be claimed again after its last allowed attempt fails
// instead, so `attempts` never passes the cap. Same runnable condition as CLAIM_NEXT.
const FAIL_EXHAUSTED = `
UPDATE lf_batch SET state = 'Failed', state_message = @message, system_modstamp = @now, lease_owner = NULL, lease_until = 0
WHERE state IN ('Queued', 'InProgress') AND attempts >= @maxAttempts
  AND ((state = 'Queued' AND created_date <= @now - @delayMs) OR lease_until < @now OR lease_owner = @owner)`;

// A claim that failed before processing (payload missing or unreadable): released for a pause, so the next claims
// go to other batches; at the cap, the batch fails with the reason.
const RELEASE_FAILED_CLAIM = `
UPDATE lf_batch SET lease_owner = NULL, lease_until = @now + @pauseMs,
  state = CASE WHEN attempts >= @maxAttempts THEN 'Failed' ELSE state END,
  state_message = CASE WHEN attempts >= @maxAttempts THEN @message ELSE state_message END,
  system_modstamp = CASE WHEN attempts >= @maxAttempts THEN @now ELSE system_modstamp END
WHERE id = @id AND lease_owner = @owner AND state = 'InProgress'`;

const COMMIT_PROGRESS = `
UPDATE lf_batch SET chunks_done = @chunk + @count, records_processed = records_processed + @processed,
  records_failed = records_failed + @failed, total_time = total_time + @elapsed, api_active_time = api_active_time + @elapsed,
  lease_until = @now + @leaseMs
WHERE id = @id AND lease_owner = @owner AND state = 'InProgress' AND chunks_done = @chunk`;

const FINISH = `
UPDATE lf_batch SET state = @state, state_message = @message, system_modstamp = @now,
  total_time = total_time + @elapsed, api_active_time = api_active_time + @elapsed, lease_owner = NULL, lease_until = 0
WHERE id = @id AND lease_owner = @owner AND state = 'InProgress'`;

const PAGE_ROWS = 2000;

/** A synchronous row iterator, handed out in pages. */
function* pages<T>(rows: Iterable<T>): Iterable<T[]> {
  let page: T[] = [];
  for (const row of rows) {
    page.push(row);
    if (page.length === PAGE_ROWS) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}

export class SqliteWorkStore implements WorkStore {
  private readonly stmt;
  private readonly recordTx: SqliteRecordTx;
  /**
   * @param reader a second connection for streaming query rows: better-sqlite3 cannot write on a connection while
   *   one of its statements is being iterated, and result chunks are written while the rows stream.
   */
  constructor(
    private readonly db: Db,
    private readonly files: PayloadFiles,
    private readonly reader: () => Db = () => db,
  ) {
    this.recordTx = new SqliteRecordTx(db);
    this.stmt = {
      claim: db.prepare(CLAIM_NEXT),
      failExhausted: db.prepare(FAIL_EXHAUSTED),
      releaseFailedClaim: db.prepare(RELEASE_FAILED_CLAIM),
      job: db.prepare('SELECT * FROM lf_job WHERE id = ?'),
      payload: db.prepare('SELECT body FROM lf_batch_payload WHERE batch_id = ?'),
      insertResults: db.prepare('INSERT OR REPLACE INTO lf_batch_result (batch_id, chunk, rows) VALUES (?, ?, ?)'),
      progress: db.prepare(COMMIT_PROGRESS),
      finish: db.prepare(FINISH),
      retry: db.prepare('UPDATE lf_job SET number_retries = number_retries + 1 WHERE id = ?'),
      chunk: db.prepare('INSERT OR REPLACE INTO lf_result_chunk (result_id, seq, body) VALUES (?, ?, ?)'),
      addResult: db.prepare(
        'INSERT OR REPLACE INTO lf_query_result (id, batch_id, seq, row_count) VALUES (?, ?, ?, ?)',
      ),
      complete: db.prepare(`UPDATE lf_batch SET state = 'Completed', system_modstamp = @now, records_processed = @rows,
        total_time = total_time + @elapsed, api_active_time = api_active_time + @elapsed, lease_owner = NULL, lease_until = 0
        WHERE id = @id AND lease_owner = @owner AND state = 'InProgress'`),
      original:
        db.prepare(`UPDATE lf_batch SET state = 'NotProcessed', pk_original = 1, system_modstamp = @now, lease_owner = NULL, lease_until = 0
        WHERE id = @id AND lease_owner = @owner AND state = 'InProgress'
          AND EXISTS (SELECT 1 FROM lf_job j WHERE j.id = lf_batch.job_id AND j.state <> 'Aborted')`),
      renewLease: db.prepare(
        `UPDATE lf_batch SET lease_until = @now + @leaseMs WHERE id = @id AND lease_owner = @owner AND state = 'InProgress'`,
      ),
      ownsLease: db
        .prepare(`SELECT 1 FROM lf_batch WHERE id = ? AND lease_owner = ? AND state = 'InProgress'`)
        .pluck(true),
      resultIdsOf: db.prepare('SELECT id FROM lf_query_result WHERE batch_id = ?').pluck(true),
      deleteResults: db.prepare('DELETE FROM lf_query_result WHERE batch_id = ?'),
      deleteChunks: db.prepare('DELETE FROM lf_result_chunk WHERE result_id = ?'),
      insertBatch:
        db.prepare(`INSERT INTO lf_batch (id, job_id, state, created_date, system_modstamp, request_content_type, pk_original)
        VALUES (?, ?, 'Queued', ?, ?, ?, 2)`),
      insertPayload: db.prepare('INSERT INTO lf_batch_payload (batch_id, body) VALUES (?, ?)'),
    };
  }

  async reserveIds(prefix: string, count: number): Promise<number> {
    return reserveIds(this.db, prefix, count);
  }

  async claimNext(
    owner: string,
    leaseMs: number,
    now: number,
    delayMs = 0,
    maxAttempts = DEFAULT_MAX_ATTEMPTS,
  ): Promise<ClaimedBatch | undefined> {
    const exhausted = retriesExhaustedMessage(maxAttempts);
    const claimOne = this.db.transaction(() => {
      this.stmt.failExhausted.run({ owner, now, delayMs, maxAttempts, message: exhausted });
      return this.stmt.claim.get({ owner, leaseMs, now, delayMs, maxAttempts }) as BatchRow | undefined;
    });
    // Each claim that fails before processing pauses its batch, so this ends: at the next runnable batch or none.
    for (;;) {
      const row = claimOne.immediate();
      if (!row) return undefined;
      try {
        return this.claimed(row, owner);
      } catch (err) {
        const message = retriesExhaustedMessage(maxAttempts, (err as Error).message);
        const pauseMs = Math.min(leaseMs, FAILED_CLAIM_PAUSE_MS);
        this.stmt.releaseFailedClaim.run({ id: row.id, owner, now, pauseMs, maxAttempts, message });
      }
    }
  }

  /** The claimed batch with its job and payload; throws when they cannot be read. */
  private claimed(row: BatchRow, owner: string): ClaimedBatch {
    const job = jobFromRow(this.stmt.job.get(row.job_id) as JobRow);
    const payload =
      (this.stmt.payload.get(row.id) as { body: Buffer | null } | undefined)?.body ?? this.readFile(row.id);
    return {
      job,
      batch: batchFromRow(row),
      payload,
      chunksDone: row.chunks_done,
      attempts: row.attempts,
      owner,
      pkRole: row.pk_original as 0 | 1 | 2,
    };
  }

  private readFile(batchId: string): Buffer {
    try {
      return this.files.readSync(batchId);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new Error(
        code === 'ENOENT' ? "the batch's data file is missing" : `the batch's data file: ${(err as Error).message}`,
      );
    }
  }

  readonly chunksPerCommit = 1;

  async commitChunks(
    claim: ClaimedBatch,
    chunkIndex: number,
    chunkCount: number,
    leaseMs: number,
    now: () => number,
    apply: (tx: RecordTx) => Promise<ChunkOutcome>,
  ): Promise<boolean> {
    class LeaseLost extends Error {}
    try {
      return await inTransaction(this.db, async () => {
        const outcome = await apply(this.recordTx);
        this.stmt.insertResults.run(claim.batch.id, chunkIndex, encodeResults(outcome.results));
        const changed = this.stmt.progress.run({
          id: claim.batch.id,
          owner: claim.owner,
          chunk: chunkIndex,
          count: chunkCount,
          processed: outcome.processed,
          failed: outcome.failed,
          elapsed: outcome.elapsedMs,
          now: now(),
          leaseMs,
        }).changes;
        if (changed !== 1) throw new LeaseLost();
        return true;
      });
    } catch (err) {
      if (err instanceof LeaseLost) return false;
      throw err;
    }
  }

  async renewLease(claim: ClaimedBatch, leaseMs: number, now: number): Promise<boolean> {
    return this.stmt.renewLease.run({ id: claim.batch.id, owner: claim.owner, now, leaseMs }).changes === 1;
  }

  async finishBatch(
    claim: ClaimedBatch,
    state: Extract<BatchState, 'Completed' | 'Failed'>,
    message: string | null,
    elapsedMs: number,
    now: number,
  ): Promise<void> {
    this.stmt.finish.run({ id: claim.batch.id, owner: claim.owner, state, message, elapsed: elapsedMs, now });
  }

  async *streamRows(sql: string, params: readonly unknown[]): AsyncIterable<unknown[][]> {
    yield* pages(
      this.reader()
        .prepare(sql)
        .raw(true)
        .iterate(...params) as Iterable<unknown[]>,
    );
  }

  async *streamIds(table: string, startAt?: string): AsyncIterable<string[]> {
    const t = quoteIdent(table);
    const stmt =
      startAt === undefined
        ? this.reader().prepare(`SELECT Id FROM ${t} ORDER BY Id`).pluck(true)
        : this.reader().prepare(`SELECT Id FROM ${t} WHERE Id >= ? ORDER BY Id`).pluck(true);
    yield* pages((startAt === undefined ? stmt.iterate() : stmt.iterate(startAt)) as Iterable<string>);
  }

  private owns(claim: ClaimedBatch): boolean {
    return this.stmt.ownsLease.get(claim.batch.id, claim.owner) !== undefined;
  }

  async clearQueryResults(claim: ClaimedBatch): Promise<boolean> {
    return this.db.transaction(() => {
      if (!this.owns(claim)) return false;
      for (const id of this.stmt.resultIdsOf.all(claim.batch.id) as string[]) this.stmt.deleteChunks.run(id);
      this.stmt.deleteResults.run(claim.batch.id);
      return true;
    })();
  }

  async appendResultChunk(
    claim: ClaimedBatch,
    resultId: string,
    seq: number,
    body: Buffer,
    leaseMs: number,
    now: number,
  ): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.stmt.renewLease.run({ id: claim.batch.id, owner: claim.owner, now, leaseMs }).changes !== 1)
        return false;
      this.stmt.chunk.run(resultId, seq, body);
      return true;
    })();
  }

  async addQueryResult(claim: ClaimedBatch, resultId: string, seq: number, rows: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (!this.owns(claim)) return false;
      this.stmt.addResult.run(resultId, claim.batch.id, seq, rows);
      return true;
    })();
  }

  async completeQueryBatch(claim: ClaimedBatch, rows: number, elapsedMs: number, now: number): Promise<boolean> {
    return (
      this.stmt.complete.run({ id: claim.batch.id, owner: claim.owner, rows, elapsed: elapsedMs, now }).changes === 1
    );
  }

  async splitIntoChunks(claim: ClaimedBatch, chunks: { id: string; soql: string }[], now: number): Promise<boolean> {
    return this.db.transaction(() => {
      // The original first: when it is no longer ours (or its job was aborted) no chunk is queued.
      if (this.stmt.original.run({ id: claim.batch.id, owner: claim.owner, now }).changes !== 1) return false;
      for (const c of chunks) {
        this.stmt.insertBatch.run(c.id, claim.job.id, now, now, 'text/csv');
        this.stmt.insertPayload.run(c.id, Buffer.from(c.soql, 'utf8'));
      }
      return true;
    })();
  }

  /** SQLite has one process: at start-up every InProgress batch belongs to a process that is gone. */
  releaseAllLeases(): void {
    this.db.prepare(`UPDATE lf_batch SET lease_until = 0 WHERE state = 'InProgress'`).run();
  }

  async countRetry(jobId: string): Promise<void> {
    this.stmt.retry.run(jobId);
  }
}
