// A server whose PostgreSQL database is dropped under it keeps running quietly: each worker reports the failure once
// (not at every poll), slows its polls down, and no worker thread dies and is restarted in a loop. (A test server left
// behind on a dropped database once took a whole core this way, slowing every later test and benchmark.)
// PostgreSQL only.
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { freshDataLocation, spawnServer, TEST_TOKEN } from '../helpers/server.js';
import { postgresOnlyTestUnavailable } from '../helpers/postgres.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL: the database dropped under a running server', () => {
  it('reports it once per worker and neither crashes nor spins', { timeout: 60_000 }, async (t: TestContext) => {
    const skip = await postgresOnlyTestUnavailable();
    if (skip) {
      t.skip(skip);
      return;
    }
    const location = await freshDataLocation('postgres');
    const server = await spawnServer([...location.args, '--token', TEST_TOKEN, '--workers', '2']);
    try {
      await location.remove(); // DROP DATABASE … WITH (FORCE): every connection of the server is cut
      await sleep(5000); // twenty polls of each worker at the default 250 ms
      const workerLines = server
        .output()
        .split('\n')
        .filter((line) => line.includes('"worker":true'));
      t.diagnostic(`${workerLines.length} worker log lines in 5 s`);
      assert.ok(workerLines.length >= 1, 'the failure is reported');
      // Per worker: the cut connection, then the missing database (two different failures), each once.
      assert.ok(workerLines.length <= 4, `at most two lines per worker, not one per poll:\n${workerLines.join('\n')}`);
      assert.ok(!workerLines.some((line) => line.includes('exited (code')), 'no worker thread died');
      assert.equal(server.process.exitCode, null, 'the server is still running');
    } finally {
      await server.close();
    }
  });
});
