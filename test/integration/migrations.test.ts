// Versioned schema migrations (src/store/migrations.ts) on a database an earlier release wrote: the fixtures under
// test/fixtures/ (see its README) hold a default org and one completed Bulk 1.0 insert job of three Accounts, made
// before lf_schema_version existed. A real server migrates the database and serves the job, its batch, its results
// and its records over real HTTP; a second start applies nothing; on PostgreSQL, servers started together on one
// database apply each step once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { startTestServer, freshDataLocation, testBackend, TEST_TOKEN, type DataLocation } from '../helpers/server.js';
import { BulkClient, xmlText } from '../helpers/bulk.js';
import { parseCsvText, rest } from '../helpers/org.js';
import { dbAll, dbGet, dbRun, type DbTarget } from '../helpers/db.js';
import { postgresOnlyTestUnavailable } from '../helpers/postgres.js';
import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations.js';
import { sessionTokenHash } from '../../src/org/auth.js';

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);
/** What the fixture holds (test/fixtures/README.md). */
const JOB_ID = '750Lf0000000001IAA';
const BATCH_ID = '751Lf0000000001IAA';
const ACCOUNT_IDS = ['001Lf0000000001IAA', '001Lf0000000002IAA', '001Lf0000000003IAA'];
const FIXTURE_SESSION = '00DLf0000000001!AQfixtureToken';

/** Writes the fixture of the location's backend into it: the SQLite file copied, or the SQL dump restored. */
async function restoreFixture(location: DataLocation): Promise<void> {
  if (location.dbFile) {
    copyFileSync(new URL('release-v1.sqlite', FIXTURES), location.dbFile);
    return;
  }
  if (!location.databaseUrl) throw new Error('a data location without a database');
  // pg_dump's psql meta-commands (\restrict, \unrestrict) are for psql only; the rest is plain SQL.
  const dump = readFileSync(new URL('release-v1.postgres.sql', FIXTURES), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n');
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  try {
    await client.query(dump);
  } finally {
    await client.end();
  }
}

interface VersionRow {
  version: number;
  applied_at: number;
}
const versionRows = (target: DbTarget) =>
  dbAll<VersionRow>(target, 'SELECT version, applied_at FROM lf_schema_version ORDER BY version');

describe(`a database written before versioned migrations, on ${testBackend()}`, () => {
  let location: DataLocation;
  before(async () => {
    location = await freshDataLocation();
    await restoreFixture(location);
  });
  after(async () => location?.remove());

  it('is migrated to the latest version and serves its job, batch, results and records', async () => {
    assert.notEqual(await dbGet(location, 'SELECT 1 AS present FROM lf_job WHERE id = ?', [JOB_ID]), undefined);
    const server = await startTestServer({ ...location.config });
    try {
      const versions = await versionRows(location);
      assert.deepEqual(
        versions.map((v) => v.version),
        MIGRATIONS.map((s) => s.version),
      );
      assert.equal(versions.at(-1)?.version, LATEST_VERSION);

      const bulk = new BulkClient(server.url, TEST_TOKEN);
      const job = (await bulk.get(`/job/${JOB_ID}`)).body;
      assert.equal(xmlText(job, 'state'), 'Closed');
      assert.equal(xmlText(job, 'object'), 'Account');
      assert.equal(xmlText(job, 'numberBatchesCompleted'), '1');
      assert.equal(xmlText(job, 'numberRecordsProcessed'), '3');
      const batch = (await bulk.get(`/job/${JOB_ID}/batch/${BATCH_ID}`)).body;
      assert.equal(xmlText(batch, 'state'), 'Completed');
      assert.equal(xmlText(batch, 'numberRecordsProcessed'), '3');
      const results = parseCsvText((await bulk.get(`/job/${JOB_ID}/batch/${BATCH_ID}/result`)).body);
      assert.deepEqual(
        results.slice(1).map((r) => r.slice(0, 3)),
        ACCOUNT_IDS.map((id) => [id, 'true', 'true']),
      );

      const soql = 'SELECT Id, Name, NumberOfEmployees FROM Account ORDER BY Id';
      const q = await rest(server.url, TEST_TOKEN, `/v62.0/query?q=${encodeURIComponent(soql)}`);
      assert.equal(q.status, 200, q.body);
      const records = (q.json().records as { Id: string; Name: string; NumberOfEmployees: number }[]).map((r) => [
        r.Id,
        r.Name,
        r.NumberOfEmployees,
      ]);
      const expected = [
        ['Fixture One', 10],
        ['Fixture Two', 20],
        ['Fixture Three', 30],
      ];
      assert.deepEqual(
        records,
        expected.map((values, i) => [ACCOUNT_IDS[i], ...values]),
      );

      // Version 2's column: the old job is a Bulk 1.0 job, and a job created now is stored as one too.
      const created = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const apis = await dbAll<{ id: string; api: string }>(location, 'SELECT id, api FROM lf_job ORDER BY id');
      assert.deepEqual(apis, [
        { id: JOB_ID, api: 'bulk1' },
        { id: created, api: 'bulk1' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('applies nothing when started again', async () => {
    const before = await versionRows(location);
    assert.equal(before.length, MIGRATIONS.length);
    const server = await startTestServer({ ...location.config });
    try {
      assert.deepEqual(await versionRows(location), before);
      const job = (await new BulkClient(server.url, TEST_TOKEN).get(`/job/${JOB_ID}`)).body;
      assert.equal(xmlText(job, 'state'), 'Closed');
    } finally {
      await server.close();
    }
  });
});

describe(`sessions of a database written before tokens were hashed, on ${testBackend()}`, () => {
  it('are hashed in place by the migration and keep working with the token clients hold', async () => {
    const location = await freshDataLocation();
    try {
      await restoreFixture(location);
      const [before] = await dbAll<{ token: string; created_date: number }>(
        location,
        'SELECT token, created_date FROM lf_session',
      );
      assert.equal(before?.token, FIXTURE_SESSION);
      // The fixture's session was made long ago: the clock is put back to a minute after it, inside its timeout.
      const createdAt = Number(before.created_date);
      const server = await startTestServer({ ...location.config }, { clock: { now: () => createdAt + 60_000 } });
      try {
        const tokens = (await dbAll<{ token: string }>(location, 'SELECT token FROM lf_session')).map((r) => r.token);
        assert.ok(tokens.includes(sessionTokenHash(FIXTURE_SESSION)), tokens.join());
        assert.ok(!tokens.includes(FIXTURE_SESSION));
        assert.equal((await rest(server.url, FIXTURE_SESSION, '/v62.0/limits')).status, 200);
      } finally {
        await server.close();
      }
    } finally {
      await location.remove();
    }
  });
});

describe(`a database a newer release migrated, on ${testBackend()}`, () => {
  it('is refused at start, with its version in the message', async () => {
    const location = await freshDataLocation();
    try {
      await (await startTestServer({ ...location.config })).close();
      await dbRun(location, 'INSERT INTO lf_schema_version (version, description, applied_at) VALUES (?, ?, ?)', [
        LATEST_VERSION + 1,
        'from the future',
        Date.now(),
      ]);
      await assert.rejects(startTestServer({ ...location.config }), /schema version \d+, newer than this release's/);
    } finally {
      await location.remove();
    }
  });
});

describe('PostgreSQL: servers starting together on one database', () => {
  it('apply each step once', { timeout: 120_000 }, async (t) => {
    const skip = await postgresOnlyTestUnavailable();
    if (skip) {
      t.skip(skip);
      return;
    }
    const location = await freshDataLocation('postgres');
    try {
      // A database from before versioned migrations: every process finds version 1 unrecorded and step 2 to apply,
      // and a step applied twice fails its process's start (ADD COLUMN of a column that exists).
      await restoreFixture(location);
      // In this process, so their migrations really overlap (a spawned process spends longer starting Node than
      // migrating: processes spawned together would migrate one after another even without the lock).
      const start = () => startTestServer({ ...location.config, workers: 1 });
      const servers = await Promise.allSettled([start(), start(), start()]);
      try {
        for (const s of servers) assert.equal(s.status, 'fulfilled', s.status === 'rejected' ? String(s.reason) : '');
        const rows = await dbAll<{ version: number; n: number }>(
          location,
          'SELECT version, COUNT(*) AS n FROM lf_schema_version GROUP BY version ORDER BY version',
        );
        assert.deepEqual(
          rows,
          MIGRATIONS.map((s) => ({ version: s.version, n: 1 })),
        );
      } finally {
        await Promise.all(servers.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
      }
      const apis = await dbAll<{ api: string }>(location, 'SELECT api FROM lf_job');
      assert.deepEqual(apis, [{ api: 'bulk1' }]);
    } finally {
      await location.remove();
    }
  });
});
