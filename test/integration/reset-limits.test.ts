// The daily batch allocation over restarts (`localforce serve`, real processes, real HTTP): batches are stored, so a
// restart keeps counting them against DailyBulkApiBatches (15,000 in a rolling 24 hours); `--reset-limits` (or
// LOCALFORCE_RESET_LIMITS=1) makes the allocation count only the batches created after that start.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDataLocation, spawnServer, TEST_TOKEN } from '../helpers/server.js';
import { OrgBulk, rest } from '../helpers/org.js';

const MAX = 15_000;

async function remaining(url: string): Promise<number> {
  const r = await rest(url, TEST_TOKEN, '/v62.0/limits');
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json().DailyBulkApiBatches.Max, MAX);
  return r.json().DailyBulkApiBatches.Remaining;
}

async function addBatches(url: string, n: number): Promise<void> {
  const bulk = new OrgBulk(url, TEST_TOKEN);
  const jobId = await bulk.createJob({ operation: 'insert', object: 'Account' });
  for (let i = 0; i < n; i++) await bulk.addBatch(jobId, 'CSV', `Name\nCounted ${i}\n`);
}

describe('serve --reset-limits', () => {
  it('a restart keeps counting stored batches; --reset-limits and its variable start the count again', async (t) => {
    const data = await freshDataLocation();
    t.after(() => data.remove());
    const args = [...data.args, '--token', TEST_TOKEN];

    const first = await spawnServer(args);
    try {
      assert.equal(await remaining(first.url), MAX);
      await addBatches(first.url, 2);
      assert.equal(await remaining(first.url), MAX - 2);
    } finally {
      await first.close();
    }

    const plain = await spawnServer(args);
    try {
      assert.equal(await remaining(plain.url), MAX - 2, 'a restart without the flag keeps counting');
    } finally {
      await plain.close();
    }

    const reset = await spawnServer([...args, '--reset-limits']);
    try {
      assert.equal(await remaining(reset.url), MAX, 'only batches created after this start count');
      await addBatches(reset.url, 1);
      assert.equal(await remaining(reset.url), MAX - 1);
    } finally {
      await reset.close();
    }

    const byEnv = await spawnServer(args, { LOCALFORCE_RESET_LIMITS: '1' });
    try {
      assert.equal(await remaining(byEnv.url), MAX);
    } finally {
      await byEnv.close();
    }

    const again = await spawnServer(args, { LOCALFORCE_RESET_LIMITS: '0' });
    try {
      assert.equal(await remaining(again.url), MAX - 3, 'every stored batch of the last 24 hours counts again');
    } finally {
      await again.close();
    }
  });
});
