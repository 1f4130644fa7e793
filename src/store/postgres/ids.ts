// Id counters on PostgreSQL: one atomic upsert hands a process a block of ids no other process will get.
import type { Pool } from './database.js';

export async function reserveIds(pool: Pool, prefix: string, count: number): Promise<number> {
  const { rows } = await pool.query<{ next: number }>(
    `INSERT INTO lf_id_counter (prefix, next) VALUES ($1, $2)
     ON CONFLICT (prefix) DO UPDATE SET next = lf_id_counter.next + excluded.next - 1 RETURNING next`,
    [prefix, count + 1],
  );
  return rows[0].next - count;
}
