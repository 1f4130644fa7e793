// Retention (issue 12, item 13): jobs ended more than 7 days ago (--purge-after-days) go at start with their batches,
// payloads, results and result files; payload `.tmp` files left by a failed write go too. Jobs are made through the
// store with old dates (the clock), then a server starts on the same data and purges them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freshDataLocation, startTestServer, testBackend, TEST_TOKEN, type DataLocation } from '../helpers/server.js';
import { http } from '../helpers/bulk.js';
import { dbCount, dbRun } from '../helpers/db.js';
import { storedBatch, storedJob } from '../helpers/jobs.js';
import { openStores } from '../../src/store/open.js';
import type { JobState } from '../../src/jobs/model.js';
import { to18 } from '../../src/wire/ids.js';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();
let location: DataLocation;
let orgId: string;
let userId: string;
const jobs: Record<string, { id: string; batches: string[] }> = {};

/** A job with one large (payload file on SQLite) and one small batch, ended `endedDaysAgo` days ago. */
async function makeJob(
  name: string,
  state: JobState,
  endedDaysAgo: number,
  batchState: 'Completed' | 'Queued' = 'Completed',
): Promise<void> {
  const n = Object.keys(jobs).length;
  const id = to18(`750Lf0000PURGE${n}`);
  const batches = [to18(`751Lf000PURGE${n}0`), to18(`751Lf000PURGE${n}1`)];
  const stores = await openStores(
    location.dbFile ? { kind: 'sqlite', file: location.dbFile } : { kind: 'postgres', url: location.databaseUrl ?? '' },
    'api',
  );
  try {
    const created = now - (endedDaysAgo + 1) * DAY;
    await stores.bulk.createJob(storedJob({ id, createdDate: created, orgId, createdById: userId }));
    const big = Buffer.from(`Name\n${'x'.repeat(400 * 1024)}\n`);
    await stores.bulk.addBatch(
      storedBatch({ id: batches[0], jobId: id, createdDate: created, state: batchState }),
      big,
      'text/csv',
    );
    await stores.bulk.addBatch(
      storedBatch({ id: batches[1], jobId: id, createdDate: created, state: 'Completed' }),
      Buffer.from('Name\nA\n'),
      'text/csv',
    );
    if (state === 'Aborted') await stores.bulk.abortJob(id, now - endedDaysAgo * DAY);
    else await stores.bulk.setJobState(id, state, now - endedDaysAgo * DAY);
  } finally {
    await stores.close();
  }
  for (const b of batches) {
    await dbRun(location, 'INSERT INTO lf_batch_result (batch_id, chunk, rows) VALUES (?, 0, ?)', [b, '[]']);
    await dbRun(location, 'INSERT INTO lf_query_result (id, batch_id, seq, row_count) VALUES (?, ?, 0, 1)', [
      `752${b.slice(3)}`,
      b,
    ]);
    await dbRun(location, 'INSERT INTO lf_result_chunk (result_id, seq, body) VALUES (?, 0, ?)', [
      `752${b.slice(3)}`,
      Buffer.from('"Id"\n'),
    ]);
  }
  jobs[name] = { id, batches };
}

async function rowsOf(job: { id: string; batches: string[] }): Promise<number> {
  const inList = job.batches.map(() => '?').join(', ');
  const queries = [
    ['SELECT count(*) AS n FROM lf_job WHERE id = ?', [job.id]],
    [`SELECT count(*) AS n FROM lf_batch WHERE id IN (${inList})`, job.batches],
    [`SELECT count(*) AS n FROM lf_batch_payload WHERE batch_id IN (${inList})`, job.batches],
    [`SELECT count(*) AS n FROM lf_batch_result WHERE batch_id IN (${inList})`, job.batches],
    [`SELECT count(*) AS n FROM lf_query_result WHERE batch_id IN (${inList})`, job.batches],
    [
      `SELECT count(*) AS n FROM lf_result_chunk WHERE result_id IN (${inList})`,
      job.batches.map((b) => `752${b.slice(3)}`),
    ],
  ] as const;
  let total = 0;
  for (const [sql, params] of queries) total += await dbCount(location, sql, [...params]);
  return total;
}

const payloadDir = () => join(dirname(location.dbFile ?? ''), 'payloads');

before(async () => {
  location = await freshDataLocation();
  const first = await startTestServer(location.config);
  orgId = first.org.orgId;
  userId = first.org.userId;
  await first.close();
  await makeJob('closedLongAgo', 'Closed', 8);
  await makeJob('abortedLongAgo', 'Aborted', 30);
  await makeJob('failedLongAgo', 'Failed', 8);
  await makeJob('closedRecently', 'Closed', 6);
  await makeJob('openLongAgo', 'Open', 30);
  await makeJob('closedWithQueuedBatch', 'Closed', 8, 'Queued');
  if (location.dbFile) writeFileSync(join(payloadDir(), '751Lf0000UNFINISH.bin.tmp'), 'half a payload');
});
after(async () => location?.remove());

describe('purging ended jobs', () => {
  it('deletes jobs ended more than 7 days ago with everything of theirs, at start', async () => {
    const before = await rowsOf(jobs.closedLongAgo);
    assert.equal(before, 11, 'the job, 2 batches, 2 payloads, 2 results, 2 result files and their chunks');
    if (location.dbFile) assert.equal(existsSync(join(payloadDir(), `${jobs.closedLongAgo.batches[0]}.bin`)), true);
    const server = await startTestServer({ ...location.config, pollMs: 60_000 });
    try {
      for (const name of ['closedLongAgo', 'abortedLongAgo', 'failedLongAgo']) {
        assert.equal(await rowsOf(jobs[name]), 0, name);
        const r = await http(`${server.url}/services/async/62.0/job/${jobs[name].id}`, {
          headers: { 'X-SFDC-Session': TEST_TOKEN },
        });
        assert.equal(r.status, 400, `${name}: ${r.body}`);
        assert.match(r.body, /InvalidJob/);
        if (location.dbFile) assert.equal(existsSync(join(payloadDir(), `${jobs[name].batches[0]}.bin`)), false, name);
      }
      for (const name of ['closedRecently', 'openLongAgo', 'closedWithQueuedBatch']) {
        assert.equal(await rowsOf(jobs[name]), 11, name);
        const r = await http(`${server.url}/services/async/62.0/job/${jobs[name].id}`, {
          headers: { 'X-SFDC-Session': TEST_TOKEN },
        });
        assert.equal(r.status, 200, `${name}: ${r.body}`);
      }
    } finally {
      await server.close();
    }
  });

  it('removes payload files a failed write left unfinished (SQLite)', { skip: testBackend() !== 'sqlite' }, () => {
    assert.equal(existsSync(join(payloadDir(), '751Lf0000UNFINISH.bin.tmp')), false);
  });
});
