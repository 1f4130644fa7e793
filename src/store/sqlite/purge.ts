// The purge on SQLite: ended jobs past their retention, one transaction per job, then their payload files.
import { DELETE_JOB, PURGEABLE_JOBS } from '../purge.js';
import type { Db } from './database.js';
import type { PayloadFiles } from './payloads.js';

/** `$1` (shared SQL) as SQLite's `?`, and how many times the value is bound. */
function positional(sql: string): { sql: string; uses: number } {
  return { sql: sql.replaceAll('$1', '?'), uses: sql.split('$1').length - 1 };
}

export async function purgeEndedJobs(db: Db, files: PayloadFiles, endedBefore: number): Promise<number> {
  const find = positional(PURGEABLE_JOBS);
  const batches = db.prepare('SELECT id FROM lf_batch WHERE job_id = ?').pluck(true);
  const deletes = DELETE_JOB.map(positional).map((d) => ({ stmt: db.prepare(d.sql), uses: d.uses }));
  const purgeOne = db.transaction((jobId: string) => {
    const ids = batches.all(jobId) as string[];
    for (const d of deletes) d.stmt.run(...Array<string>(d.uses).fill(jobId));
    return ids;
  });
  let purged = 0;
  for (;;) {
    const jobs = db.prepare(find.sql).pluck(true).all(endedBefore) as string[];
    for (const jobId of jobs) {
      // Rows first: a file left by a crash in between is only disk, a row without its file would be a broken batch.
      for (const batchId of purgeOne.immediate(jobId)) await files.remove(batchId);
      purged++;
    }
    if (jobs.length < 100) return purged;
  }
}
