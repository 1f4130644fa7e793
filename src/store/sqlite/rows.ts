// SQLite's id counter, shared by the API-side and worker-side stores.
import type { Db } from './database.js';

export * from '../rows.js';

/** Advances a prefix's id counter atomically. */
export function reserveIds(db: Db, prefix: string, count: number): number {
  const row = db
    .prepare(
      'INSERT INTO lf_id_counter (prefix, next) VALUES (?, ?) ON CONFLICT (prefix) DO UPDATE SET next = next + excluded.next - 1 RETURNING next',
    )
    .get(prefix, count + 1) as { next: number };
  return row.next - count;
}
