// Secrets at rest and in logs (issue 12, item 11; docs/security.md), over real HTTP on the backend under test:
// session tokens are stored as their SHA-256 only; a session unused for the timeout is refused with the error each
// surface's clients log in again on (Bulk 1.0 InvalidSessionId, REST 401 INVALID_SESSION_ID, identity
// Bad_OAuth_Token), while one in use stays valid past the timeout counted from creation; query-string secrets are
// logged as ***; the SQLite file, its WAL and shared memory and the payload files are mode 0600.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freshDataLocation, spawnServer, startTestServer, TEST_TOKEN, testBackend } from '../helpers/server.js';
import { BulkClient, http, xmlText } from '../helpers/bulk.js';
import { numberedAccountsCsv } from '../helpers/bulk.js';
import { passwordLogin, rest } from '../helpers/org.js';
import { dbAll, dbCount } from '../helpers/db.js';
import type { RunningServer } from '../../src/server/server.js';
import type { Clock } from '../../src/org/clock.js';
import { maskUrl } from '../../src/server/app.js';

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A clock the test moves. */
class MovableClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advanceMinutes(minutes: number): void {
    this.offset += minutes * 60_000;
  }
}

describe(`session tokens at rest, on ${testBackend()}`, () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.close());

  it('are stored as their SHA-256, never as the token, and still work', async () => {
    const login = await passwordLogin(server.url, server.org.username, 'localforce');
    const rows = await dbAll<{ token: string }>(server, 'SELECT token FROM lf_session');
    const stored = rows.map((r) => r.token);
    assert.ok(stored.includes(sha256Hex(TEST_TOKEN)), 'the start-up session is stored hashed');
    assert.ok(stored.includes(sha256Hex(login.access_token)), 'a login is stored hashed');
    for (const token of stored) assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal(await dbCount(server, 'SELECT count(*) AS n FROM lf_session WHERE token = ?', [TEST_TOKEN]), 0);
    assert.equal((await rest(server.url, login.access_token, '/v62.0/limits')).status, 200);
    // The hash itself is not a credential.
    assert.equal((await rest(server.url, sha256Hex(login.access_token), '/v62.0/limits')).status, 401);
  });
});

describe(`a session unused for --session-timeout, on ${testBackend()}`, () => {
  const clock = new MovableClock();
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ sessionTimeoutMinutes: 30 }, { clock });
  });
  after(async () => server?.close());

  const bulkGet = (token: string) => new BulkClient(server.url, token).get('/job/750Lf0000000001IAA');
  const restGet = (token: string) => rest(server.url, token, '/v62.0/limits');
  const userinfo = (token: string) =>
    http(`${server.url}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${token}` } });

  it('stays valid while it is used, past the timeout counted from its creation', async () => {
    const { access_token: token } = await passwordLogin(server.url, server.org.username, 'localforce');
    for (let i = 0; i < 3; i++) {
      clock.advanceMinutes(20);
      assert.equal((await restGet(token)).status, 200, `after ${(i + 1) * 20} minutes`);
    }
  });

  it('is refused on Bulk 1.0 with InvalidSessionId once unused for the timeout', async () => {
    const { access_token: token } = await passwordLogin(server.url, server.org.username, 'localforce');
    assert.equal((await bulkGet(token)).status, 400); // InvalidJob: the session works
    clock.advanceMinutes(31);
    const r = await bulkGet(token);
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.body, 'exceptionCode'), 'InvalidSessionId');
    assert.equal(
      await dbCount(server, 'SELECT count(*) AS n FROM lf_session WHERE token = ?', [sha256Hex(token)]),
      0,
      'an expired session is deleted',
    );
  });

  it('is refused on REST with 401 INVALID_SESSION_ID', async () => {
    const { access_token: token } = await passwordLogin(server.url, server.org.username, 'localforce');
    assert.equal((await restGet(token)).status, 200);
    clock.advanceMinutes(31);
    const r = await restGet(token);
    assert.equal(r.status, 401);
    assert.equal(r.json()[0].errorCode, 'INVALID_SESSION_ID');
  });

  it('is refused on the identity service with Bad_OAuth_Token', async () => {
    const { access_token: token } = await passwordLogin(server.url, server.org.username, 'localforce');
    assert.equal((await userinfo(token)).status, 200);
    clock.advanceMinutes(31);
    const r = await userinfo(token);
    assert.equal(r.status, 403);
    assert.match(r.body, /Bad_OAuth_Token/);
    // A new login works: what jsforce does on these errors.
    const again = await passwordLogin(server.url, server.org.username, 'localforce');
    assert.equal((await userinfo(again.access_token)).status, 200);
  });
});

describe('secrets in logged URLs', () => {
  it('maskUrl masks every secret query parameter and nothing else', () => {
    assert.equal(
      maskUrl(
        '/services/oauth2/token?grant_type=password&username=u%40x.test&password=hunter2&client_id=cid' +
          '&client_secret=s3cret&code=c0de&refresh_token=rt&access_token=at&sessionId=sid1&sid=sid2',
      ),
      '/services/oauth2/token?grant_type=password&username=u%40x.test&password=***&client_id=cid' +
        '&client_secret=***&code=***&refresh_token=***&access_token=***&sessionId=***&sid=***',
    );
    assert.equal(maskUrl('/id/00D/005?oauth_token=tok&version=62.0'), '/id/00D/005?oauth_token=***&version=62.0');
    assert.equal(
      maskUrl('/services/data/v62.0/query?q=SELECT+Id+FROM+Account'),
      '/services/data/v62.0/query?q=SELECT+Id+FROM+Account',
    );
  });

  it('a request line for a URL with a password shows *** and never the password', async () => {
    const server = await spawnServer(['--memory', '--log-level', 'info']);
    try {
      const secrets = ['hunter2secret', 'clientS3cretValue', 'refreshTokenValue', 'authCodeValue'];
      const url =
        `${server.url}/services/oauth2/token?grant_type=password&username=admin%40localforce.local` +
        `&password=${secrets[0]}&client_secret=${secrets[1]}&refresh_token=${secrets[2]}&code=${secrets[3]}`;
      await http(url, { method: 'POST' });
      const lines = () =>
        server
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{') && l.includes('oauth2/token'));
      for (const deadline = Date.now() + 5000; lines().length === 0 && Date.now() < deadline; )
        await new Promise((r) => setTimeout(r, 50));
      const [line] = lines();
      assert.ok(line, server.output());
      assert.match(JSON.parse(line).url, /password=\*\*\*&client_secret=\*\*\*&refresh_token=\*\*\*&code=\*\*\*/);
      for (const secret of secrets) assert.ok(!server.output().includes(secret), `${secret} logged`);
    } finally {
      await server.close();
    }
  });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('data files on SQLite', () => {
  it('the database, its WAL and shared memory, and payload files are mode 0600', async () => {
    const location = await freshDataLocation('sqlite');
    const server = await startTestServer({ ...location.config });
    try {
      const dbFile = server.dbFile ?? assert.fail('no SQLite file');
      // A payload over the inline limit (256 KB) goes to its own file.
      const bulk = new BulkClient(server.url, TEST_TOKEN);
      const job = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const batch = await bulk.post(`/job/${job}/batch`, numberedAccountsCsv('PayloadFileMode', 1, 12000), 'text/csv');
      assert.equal(batch.status, 201, batch.body);
      const payloads = join(dirname(dbFile), 'payloads');
      const files = readdirSync(payloads);
      assert.ok(files.length > 0, 'a payload file was written');
      for (const f of files) assert.equal(modeOf(join(payloads, f)), 0o600, f);
      assert.equal(modeOf(payloads), 0o700);
      for (const path of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
        assert.ok(existsSync(path), path);
        assert.equal(modeOf(path), 0o600, path);
      }
    } finally {
      await server.close();
      await location.remove();
    }
  });

  it('a world-readable database of an earlier release is made 0600 at start', async () => {
    const location = await freshDataLocation('sqlite');
    const dbFile = location.dbFile ?? assert.fail('no SQLite file');
    let server = await startTestServer({ ...location.config });
    await server.close();
    for (const path of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) {
      if (!existsSync(path)) writeFileSync(path, '');
      chmodSync(path, 0o644);
    }
    server = await startTestServer({ ...location.config });
    try {
      for (const path of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) assert.equal(modeOf(path), 0o600, path);
    } finally {
      await server.close();
      await location.remove();
    }
  });
});
