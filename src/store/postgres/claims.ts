// All of the work-claiming SQL for PostgreSQL, in one place (as pg-boss keeps its claim SQL together).
//
// Several processes, each with worker threads, claim from one lf_batch table. A claim runs in a short transaction
// that first takes a transaction-level advisory lock, so two claimers never both see "no batch of this Serial job
// running" and each start one; the candidate row is then picked with FOR UPDATE SKIP LOCKED, so a row an API request
// holds (an abort, say) is passed over rather than waited for. A claim sets a lease. A heartbeat renews it on a timer
// while the batch runs (engine/worker.ts), and every chunk commit renews it and checks that it is still the owner's,
// so a worker whose process died stops renewing, a worker that lost its lease stops writing, and once the lease
// expires any worker takes the batch over and resumes after its last committed chunk.
import type { BatchState } from '../../jobs/model.js';
import type { ChunkOutcome, ClaimedBatch, RecordTx, WorkStore } from '../types.js';
import {
  type Client,
  type Pool,
  UNIQUE_VIOLATION,
  checkout,
  inTransaction,
  quoteIdent,
  readBytea,
} from './database.js';
import { BATCH_COLUMNS, type BatchRow, type JobRow, batchFromRow, encodeResults, jobFromRow } from '../rows.js';
import { PostgresRecordTx } from './record-tx.js';
import { DEFAULT_MAX_ATTEMPTS, FAILED_CLAIM_PAUSE_MS, retriesExhaustedMessage } from '../claim-failure.js';
import { reserveIds } from './ids.js';

const CLAIM_LOCK = 7_347_002;
const PAGE_ROWS = 2000;

// $1 owner, $2 now, $3 leaseMs, $4 delayMs, $5 maxAttempts. A batch is runnable when Queued (and past the processing delay), when
// InProgress with an expired lease (its worker died), or InProgress under this very owner (this worker failed
// mid-batch — a lost connection — and is free again, so the batch is abandoned and resumes at once).
const CLAIM_NEXT = `
WITH p AS (SELECT $1::text AS owner, $2::bigint AS now, $3::bigint AS lease_ms, $4::bigint AS delay_ms)
UPDATE lf_batch SET
  state = 'InProgress',
  system_modstamp = CASE WHEN state = 'Queued' THEN p.now ELSE system_modstamp END,
  lease_owner = p.owner, lease_until = p.now + p.lease_ms, attempts = attempts + 1
FROM p
WHERE seq = (
  SELECT b.seq FROM lf_batch b JOIN lf_job j ON j.id = b.job_id
  WHERE ((b.state = 'Queued' AND b.created_date <= p.now - p.delay_ms) OR (b.state = 'InProgress' AND (b.lease_until < p.now OR b.lease_owner = p.owner)))
    AND b.attempts < $5
    AND (j.concurrency_mode = 'Parallel' OR NOT EXISTS (
      SELECT 1 FROM lf_batch o
      WHERE o.job_id = b.job_id AND o.state = 'InProgress' AND o.lease_until >= p.now AND o.lease_owner IS DISTINCT FROM p.owner
        AND o.seq <> b.seq))
  ORDER BY b.seq LIMIT 1
  FOR UPDATE OF b SKIP LOCKED)
RETURNING ${BATCH_COLUMNS}`;

// The retry cap, checked before each claim (same runnable condition): a batch that would be claimed again after its
// last allowed attempt fails instead, so `attempts` never passes the cap. $1 owner, $2 now, $3 delayMs, $4 max, $5 message.
const FAIL_EXHAUSTED = `
UPDATE lf_batch SET state = 'Failed', state_message = $5, system_modstamp = $2, lease_owner = NULL, lease_until = 0
WHERE state IN ('Queued', 'InProgress') AND attempts >= $4
  AND ((state = 'Queued' AND created_date <= $2::bigint - $3::bigint) OR lease_until < $2 OR lease_owner = $1)`;

// A claim that failed before processing (payload missing or unreadable): released for a pause, so the next claims
// go to other batches; at the cap, the batch fails with the reason. $1 id, $2 owner, $3 now, $4 pause, $5 max, $6 message.
const RELEASE_FAILED_CLAIM = `
UPDATE lf_batch SET lease_owner = NULL, lease_until = $3::bigint + $4::bigint,
  state = CASE WHEN attempts >= $5 THEN 'Failed' ELSE state END,
  state_message = CASE WHEN attempts >= $5 THEN $6 ELSE state_message END,
  system_modstamp = CASE WHEN attempts >= $5 THEN $3 ELSE system_modstamp END
WHERE id = $1 AND lease_owner = $2 AND state = 'InProgress'`;

// $1 batch, $2 owner, $3 first chunk, $4 chunk count, $5 processed, $6 failed, $7 elapsed, $8 now, $9 leaseMs, $10 results.
// The results row is written only when the progress row matched (the lease is still the owner's).
const COMMIT_PROGRESS = `
WITH progress AS (
  UPDATE lf_batch SET chunks_done = $3::int + $4::int, records_processed = records_processed + $5,
    records_failed = records_failed + $6, total_time = total_time + $7, api_active_time = api_active_time + $7,
    lease_until = $8::bigint + $9::bigint
  WHERE id = $1 AND lease_owner = $2 AND state = 'InProgress' AND chunks_done = $3::int
  RETURNING id)
INSERT INTO lf_batch_result (batch_id, chunk, rows) SELECT id, $3::int, $10 FROM progress
ON CONFLICT (batch_id, chunk) DO UPDATE SET rows = excluded.rows`;

// The heartbeat. SKIP LOCKED: while the owner's own commit holds the row, the heartbeat passes (that commit renews the
// lease) instead of holding a pool connection waiting for it.
const HEARTBEAT = `
UPDATE lf_batch SET lease_until = $3::bigint + $4::bigint
WHERE id = (SELECT id FROM lf_batch WHERE id = $1 AND lease_owner = $2 AND state = 'InProgress' FOR UPDATE SKIP LOCKED)`;

const OWNS = `SELECT 1 FROM lf_batch WHERE id = $1 AND lease_owner = $2 AND state = 'InProgress' FOR UPDATE`;

class LeaseLost extends Error {}

/** How many times one commit is run again after losing a race for a unique value (each loss means a winner committed). */
const RACE_RETRIES = 20;

/** A unique value another transaction committed first, or a deadlock between two such inserts. */
function lostARace(err: unknown): boolean {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return code === UNIQUE_VIOLATION || code === '40P01';
}

export class PostgresWorkStore implements WorkStore {
  constructor(private readonly pool: Pool) {}

  reserveIds(prefix: string, count: number): Promise<number> {
    return reserveIds(this.pool, prefix, count);
  }

  async claimNext(
    owner: string,
    leaseMs: number,
    now: number,
    delayMs = 0,
    maxAttempts = DEFAULT_MAX_ATTEMPTS,
  ): Promise<ClaimedBatch | undefined> {
    // Each claim that fails before processing pauses its batch, so this ends: at the next runnable batch or none.
    for (;;) {
      const claimed = await inTransaction(this.pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK]);
        await c.query(FAIL_EXHAUSTED, [owner, now, delayMs, maxAttempts, retriesExhaustedMessage(maxAttempts)]);
        const row = (await c.query<BatchRow>(CLAIM_NEXT, [owner, now, leaseMs, delayMs, maxAttempts])).rows[0];
        return row && { row, job: (await c.query<JobRow>('SELECT * FROM lf_job WHERE id = $1', [row.job_id])).rows[0] };
      });
      if (!claimed) return undefined;
      // The payload after the claim's commit, so other claimers do not wait behind a 10 MB read (see readBytea).
      const payload = await readBytea(this.pool, 'lf_batch_payload', 'body', { batch_id: claimed.row.id });
      const { row } = claimed;
      if (!payload) {
        const message = retriesExhaustedMessage(maxAttempts, "the batch's data is missing");
        const pauseMs = Math.min(leaseMs, FAILED_CLAIM_PAUSE_MS);
        await this.pool.query(RELEASE_FAILED_CLAIM, [row.id, owner, now, pauseMs, maxAttempts, message]);
        continue;
      }
      return {
        job: jobFromRow(claimed.job),
        batch: batchFromRow(row),
        payload,
        chunksDone: row.chunks_done,
        attempts: row.attempts,
        owner,
        pkRole: row.pk_original as 0 | 1 | 2,
      };
    }
  }

  /** 25 chunks (5,000 records) per transaction: see WorkStore.chunksPerCommit. Measured on 10,000-row batches: one
   *  chunk per transaction ran 250 ms of round trips; 25 brings the batch within reach of a raw COPY. */
  readonly chunksPerCommit = 25;

  async commitChunks(
    claim: ClaimedBatch,
    firstChunk: number,
    chunkCount: number,
    leaseMs: number,
    now: () => number,
    apply: (tx: RecordTx) => Promise<ChunkOutcome>,
  ): Promise<boolean> {
    // Another process may insert the same unique value (an upsert's new key) between this commit's look-up and its
    // insert: the unique index refuses the second, which waited for the first to commit. The commit is then run again
    // from the start, and its look-ups now see the winner's row (an upsert updates it, an insert gets DUPLICATE_VALUE):
    // the answer one process would give. Nothing is paid when there is no race.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commitChunksOnce(claim, firstChunk, chunkCount, leaseMs, now, apply);
      } catch (err) {
        if (attempt >= RACE_RETRIES || !lostARace(err)) throw err;
      }
    }
  }

  private async commitChunksOnce(
    claim: ClaimedBatch,
    firstChunk: number,
    chunkCount: number,
    leaseMs: number,
    now: () => number,
    apply: (tx: RecordTx) => Promise<ChunkOutcome>,
  ): Promise<boolean> {
    try {
      return await inTransaction(this.pool, async (c) => {
        // The chunks' records, results and progress commit together, so a commit lost to a PostgreSQL crash is simply
        // redone from the previous one: it need not wait for its WAL flush (the batch's own 201 did).
        await c.query('SET LOCAL synchronous_commit = off');
        const tx = new PostgresRecordTx(c, true);
        let outcome: ChunkOutcome;
        try {
          outcome = await apply(tx);
          await tx.flush();
        } catch (err) {
          await tx.abort(err as Error);
          throw err;
        }
        // Results and progress in one statement: the progress update names the owner, so a lost lease writes nothing.
        const { rowCount } = await c.query(COMMIT_PROGRESS, [
          claim.batch.id,
          claim.owner,
          firstChunk,
          chunkCount,
          outcome.processed,
          outcome.failed,
          outcome.elapsedMs,
          now(),
          leaseMs,
          encodeResults(outcome.results),
        ]);
        if (rowCount !== 1) throw new LeaseLost();
        return true;
      });
    } catch (err) {
      if (err instanceof LeaseLost) return false;
      throw err;
    }
  }

  async renewLease(claim: ClaimedBatch, leaseMs: number, now: number): Promise<boolean> {
    return (await this.pool.query(HEARTBEAT, [claim.batch.id, claim.owner, now, leaseMs])).rowCount === 1;
  }

  async finishBatch(
    claim: ClaimedBatch,
    state: Extract<BatchState, 'Completed' | 'Failed'>,
    message: string | null,
    elapsedMs: number,
    now: number,
  ): Promise<void> {
    await this.pool.query(
      `UPDATE lf_batch SET state = $3, state_message = $4, system_modstamp = $5, total_time = total_time + $6, api_active_time = api_active_time + $6,
        lease_owner = NULL, lease_until = 0
       WHERE id = $1 AND lease_owner = $2 AND state = 'InProgress'`,
      [claim.batch.id, claim.owner, state, message, now, elapsedMs],
    );
  }

  async countRetry(jobId: string): Promise<void> {
    await this.pool.query('UPDATE lf_job SET number_retries = number_retries + 1 WHERE id = $1', [jobId]);
  }

  /** Rows (as arrays) through a server-side cursor on a connection of its own, fetched a page at a time. */
  private async *cursor<T>(sql: string, params: readonly unknown[]): AsyncIterable<T[]> {
    const { client, release } = await checkout(this.pool);
    let state: 'open' | 'done' | 'broken' = 'open';
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE lf_rows NO SCROLL CURSOR FOR ${sql}`, params as unknown[]);
      for (;;) {
        const page = await client.query({ text: `FETCH ${PAGE_ROWS} FROM lf_rows`, rowMode: 'array' });
        if (page.rows.length) yield page.rows as T[];
        if (page.rows.length < PAGE_ROWS) break;
      }
      await client.query('COMMIT');
      state = 'done';
    } catch (err) {
      state = 'broken';
      throw err;
    } finally {
      // 'open' here means the consumer stopped early (return()): end the transaction before handing the client back.
      if (state === 'open')
        await client.query('ROLLBACK').then(
          () => undefined,
          () => (state = 'broken'),
        );
      release(state === 'broken');
    }
  }

  streamRows(sql: string, params: readonly unknown[]): AsyncIterable<unknown[][]> {
    return this.cursor<unknown[]>(sql, params);
  }

  async *streamIds(table: string, startAt?: string): AsyncIterable<string[]> {
    const t = quoteIdent(table);
    const sql =
      startAt === undefined
        ? `SELECT "Id" FROM ${t} ORDER BY "Id"`
        : `SELECT "Id" FROM ${t} WHERE "Id" >= $1 ORDER BY "Id"`;
    for await (const page of this.cursor<[string]>(sql, startAt === undefined ? [] : [startAt]))
      yield page.map((r) => r[0]);
  }

  /** Runs `fn` in a transaction only while the lease is the claim's (the row stays locked until commit). */
  private async whileOwner(claim: ClaimedBatch, fn: (c: Client) => Promise<void>): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      if ((await c.query(OWNS, [claim.batch.id, claim.owner])).rowCount !== 1) return false;
      await fn(c);
      return true;
    });
  }

  clearQueryResults(claim: ClaimedBatch): Promise<boolean> {
    return this.whileOwner(claim, async (c) => {
      await c.query(
        'DELETE FROM lf_result_chunk WHERE result_id IN (SELECT id FROM lf_query_result WHERE batch_id = $1)',
        [claim.batch.id],
      );
      await c.query('DELETE FROM lf_query_result WHERE batch_id = $1', [claim.batch.id]);
    });
  }

  async appendResultChunk(
    claim: ClaimedBatch,
    resultId: string,
    seq: number,
    body: Buffer,
    leaseMs: number,
    now: number,
  ): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      const renewed = await c.query(
        `UPDATE lf_batch SET lease_until = $3::bigint + $4::bigint WHERE id = $1 AND lease_owner = $2 AND state = 'InProgress'`,
        [claim.batch.id, claim.owner, now, leaseMs],
      );
      if (renewed.rowCount !== 1) return false;
      await c.query(
        'INSERT INTO lf_result_chunk (result_id, seq, body) VALUES ($1, $2, $3) ON CONFLICT (result_id, seq) DO UPDATE SET body = excluded.body',
        [resultId, seq, body],
      );
      return true;
    });
  }

  addQueryResult(claim: ClaimedBatch, resultId: string, seq: number, rows: number): Promise<boolean> {
    return this.whileOwner(claim, async (c) => {
      await c.query(
        'INSERT INTO lf_query_result (id, batch_id, seq, row_count) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
        [resultId, claim.batch.id, seq, rows],
      );
    });
  }

  async completeQueryBatch(claim: ClaimedBatch, rows: number, elapsedMs: number, now: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE lf_batch SET state = 'Completed', system_modstamp = $3, records_processed = $4,
        total_time = total_time + $5, api_active_time = api_active_time + $5, lease_owner = NULL, lease_until = 0
       WHERE id = $1 AND lease_owner = $2 AND state = 'InProgress'`,
      [claim.batch.id, claim.owner, now, rows, elapsedMs],
    );
    return rowCount === 1;
  }

  async splitIntoChunks(claim: ClaimedBatch, chunks: { id: string; soql: string }[], now: number): Promise<boolean> {
    return inTransaction(this.pool, async (c) => {
      // The job row FOR SHARE: an abort in progress commits first (and is seen), or waits until the chunks are queued
      // (and then turns them NotProcessed). The original next: when it is no longer ours no chunk is queued.
      await c.query('SELECT 1 FROM lf_job WHERE id = $1 FOR SHARE', [claim.job.id]);
      const { rowCount } = await c.query(
        `UPDATE lf_batch SET state = 'NotProcessed', pk_original = 1, system_modstamp = $3, lease_owner = NULL, lease_until = 0
         WHERE id = $1 AND lease_owner = $2 AND state = 'InProgress'
           AND EXISTS (SELECT 1 FROM lf_job j WHERE j.id = lf_batch.job_id AND j.state <> 'Aborted')`,
        [claim.batch.id, claim.owner, now],
      );
      if (rowCount !== 1) return false;
      for (const chunk of chunks) {
        await c.query(
          `INSERT INTO lf_batch (id, job_id, state, created_date, system_modstamp, request_content_type, pk_original)
          VALUES ($1, $2, 'Queued', $3, $3, 'text/csv', 2)`,
          [chunk.id, claim.job.id, now],
        );
        await c.query('INSERT INTO lf_batch_payload (batch_id, body) VALUES ($1, $2)', [
          chunk.id,
          Buffer.from(chunk.soql, 'utf8'),
        ]);
      }
      return true;
    });
  }
}
