// The purge on PostgreSQL: ended jobs past their retention, one transaction per job. Payloads live in the database.
import { DELETE_JOB, PURGEABLE_JOBS } from '../purge.js';
import { type Pool, inTransaction } from './database.js';

export async function purgeEndedJobs(pool: Pool, endedBefore: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const { rows } = await pool.query<{ id: string }>(PURGEABLE_JOBS, [endedBefore]);
    for (const { id } of rows) {
      await inTransaction(pool, async (c) => {
        for (const sql of DELETE_JOB) await c.query(sql, [id]);
      });
      purged++;
    }
    if (rows.length < 100) return purged;
  }
}
