// Which jobs the purge removes, and in what order their rows go: shared by both backends so they purge alike.
// Salesforce keeps Bulk API jobs for 7 days after they close (Bulk API 1.0 guide, "Bulk API Limits"); localforce
// deletes an ended job and everything of it once it has been ended longer than the configured number of days.

/** Ended jobs (Closed, Aborted, Failed) changed last before `$1`, with no batch still to run. */
export const PURGEABLE_JOBS = `SELECT j.id FROM lf_job j
  WHERE j.state IN ('Closed', 'Aborted', 'Failed') AND j.system_modstamp < $1
  AND NOT EXISTS (SELECT 1 FROM lf_batch b WHERE b.job_id = j.id AND b.state IN ('Queued', 'InProgress'))
  ORDER BY j.system_modstamp LIMIT 100`;

const BATCHES = 'SELECT id FROM lf_batch WHERE job_id = $1';

/** One job's rows, children first; each statement takes the job id as `$1`. */
export const DELETE_JOB = [
  `DELETE FROM lf_result_chunk WHERE result_id IN (SELECT id FROM lf_query_result WHERE batch_id IN (${BATCHES}))`,
  `DELETE FROM lf_query_result WHERE batch_id IN (${BATCHES})`,
  `DELETE FROM lf_batch_result WHERE batch_id IN (${BATCHES})`,
  `DELETE FROM lf_batch_payload WHERE batch_id IN (${BATCHES})`,
  'DELETE FROM lf_batch WHERE job_id = $1',
  'DELETE FROM lf_job WHERE id = $1',
];

export const DAY_MS = 24 * 60 * 60 * 1000;
