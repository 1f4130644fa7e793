// The control plane (/_localforce) over real HTTP (issue 12, item 10; docs/security.md): every route but health
// refuses a request without the admin token or with a wrong one (401) and serves the right one; a body is read only
// with its route's Content-Type, so a cross-site form (text/plain, urlencoded, multipart) is refused (415) and does
// nothing; a foreign Host is refused (403) unless --allowed-hosts names it; no CORS header is ever sent; a server
// bound beyond loopback without an explicit admin token does not start; a generated token is printed, written 0600
// and works.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  adminHeaders,
  freshDataLocation,
  spawnServer,
  startTestServer,
  TEST_ADMIN_TOKEN,
  TEST_TOKEN,
  testBackend,
} from '../helpers/server.js';
import { http } from '../helpers/bulk.js';
import { dbCount } from '../helpers/db.js';
import type { RunningServer } from '../../src/server/server.js';
import { startServer } from '../../src/server/server.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** A request with a Host header of the test's choice (fetch does not let a caller set Host). */
function withHost(
  url: string,
  host: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: { ...init.headers, host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Every route but health, with a body its handler accepts. */
const GUARDED = [
  { method: 'GET', path: '/_localforce/orgs' },
  {
    method: 'POST',
    path: '/_localforce/orgs',
    type: 'application/json',
    body: '{"name":"N","username":"n@guard.test","password":"p"}',
  },
  {
    method: 'POST',
    path: '/_localforce/orgs/default/users',
    type: 'application/json',
    body: '{"username":"u@guard.test","password":"p"}',
  },
  { method: 'POST', path: '/_localforce/orgs/default/schema', type: 'application/yaml', body: 'objects: []\n' },
  { method: 'POST', path: '/_localforce/orgs/default/seed/Account', type: 'text/csv', body: 'Name\nSeeded\n' },
  { method: 'POST', path: '/_localforce/sessions/revoke', type: 'application/json', body: '{"token":"nothing"}' },
];

describe(`the control plane's credential, on ${testBackend()}`, () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server?.close());

  for (const route of GUARDED) {
    it(`${route.method} ${route.path}: 401 without a token and with a wrong one, served with the right one`, async () => {
      const send = (authorization?: string) =>
        http(`${server.url}${route.path}`, {
          method: route.method,
          headers: {
            ...(route.type ? { 'Content-Type': route.type } : {}),
            ...(authorization ? { Authorization: authorization } : {}),
          },
          body: route.body,
        });
      for (const authorization of [
        undefined,
        'Bearer wrong-token',
        `Bearer ${TEST_ADMIN_TOKEN}x`,
        `Bearer ${TEST_ADMIN_TOKEN.slice(0, -1)}`,
        `Basic ${TEST_ADMIN_TOKEN}`,
        `Bearer ${TEST_TOKEN}`, // a session of the org is not the admin token
      ]) {
        const refused = await send(authorization);
        assert.equal(refused.status, 401, `${authorization}: ${refused.body}`);
        assert.match(JSON.parse(refused.body).error, /admin token/);
        assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="localforce"');
      }
      const served = await send(`Bearer ${TEST_ADMIN_TOKEN}`);
      assert.ok(served.status === 200 || served.status === 201 || served.status === 204, served.body);
    });
  }

  it('refused requests change nothing: no org is created without the token', async () => {
    const before = await dbCount(server, 'SELECT count(*) AS n FROM lf_org');
    const r = await http(`${server.url}/_localforce/orgs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer nope' },
      body: '{"name":"Evil","username":"evil@guard.test","password":"p"}',
    });
    assert.equal(r.status, 401);
    assert.equal(await dbCount(server, 'SELECT count(*) AS n FROM lf_org'), before);
  });

  it('health needs no token', async () => {
    const r = await http(`${server.url}/_localforce/health`);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).status, 'ok');
  });

  it('refuses a cross-site form POST (text/plain, urlencoded, multipart) with 415, before doing anything', async () => {
    const before = await dbCount(server, 'SELECT count(*) AS n FROM lf_login');
    // What <form enctype="text/plain"> sends: a JSON-looking body a lenient parser would accept. The token is there
    // too, as if the page had it: the Content-Type alone must refuse it.
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ]) {
      const r = await http(`${server.url}/_localforce/orgs/default/users`, {
        method: 'POST',
        headers: adminHeaders(type ? { 'Content-Type': type } : {}),
        body: '{"username":"form@guard.test","password":"chosen","x":"="}',
      });
      assert.equal(r.status, 415, `${type}: ${r.body}`);
      assert.match(JSON.parse(r.body).error, /application\/json/);
    }
    const seed = await http(`${server.url}/_localforce/orgs/default/seed/Account`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'text/plain' }),
      body: 'Name\nFromForm\n',
    });
    assert.equal(seed.status, 415);
    assert.equal(await dbCount(server, 'SELECT count(*) AS n FROM lf_login'), before);
  });

  it('sends no CORS header, to a preflight or to a request with an Origin', async () => {
    const preflight = await http(`${server.url}/_localforce/orgs`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    const plain = await http(`${server.url}/_localforce/orgs`, {
      headers: adminHeaders({ Origin: 'https://evil.example' }),
    });
    assert.equal(plain.status, 200);
    for (const r of [preflight, plain]) {
      for (const name of r.headers.keys()) assert.ok(!name.startsWith('access-control-'), `${name} sent`);
    }
  });

  it('refuses a foreign Host (DNS rebinding) with 403 on every admin route, health included', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${new URL(server.url).port}`,
      'attacker.localhost.evil.example',
    ]) {
      for (const path of ['/_localforce/health', '/_localforce/orgs']) {
        const r = await withHost(`${server.url}${path}`, host, { headers: adminHeaders() });
        assert.equal(r.status, 403, `${host} ${path}: ${r.body}`);
        assert.match(JSON.parse(r.body).error, /Host/);
      }
    }
    for (const host of ['localhost', `localhost:${new URL(server.url).port}`, '127.0.0.1', '[::1]:80']) {
      const r = await withHost(`${server.url}/_localforce/orgs`, host, { headers: adminHeaders() });
      assert.equal(r.status, 200, `${host}: ${r.body}`);
    }
  });

  it('lets the Salesforce surfaces answer any Host: their session token is the defence (docs/security.md)', async () => {
    const r = await withHost(`${server.url}/services/data/v62.0/limits`, 'localforce.internal:8484', {
      headers: { Authorization: `Bearer ${TEST_TOKEN}` },
    });
    assert.equal(r.status, 200, r.body);
  });
});

describe(`--allowed-hosts, on ${testBackend()}`, () => {
  it('adds names the control plane answers to', async () => {
    const server = await startTestServer({ allowedHosts: 'localforce.internal, Other.Example' });
    try {
      for (const host of ['localforce.internal:8484', 'other.example']) {
        const r = await withHost(`${server.url}/_localforce/orgs`, host, { headers: adminHeaders() });
        assert.equal(r.status, 200, `${host}: ${r.body}`);
      }
      const foreign = await withHost(`${server.url}/_localforce/orgs`, 'evil.example', { headers: adminHeaders() });
      assert.equal(foreign.status, 403);
    } finally {
      await server.close();
    }
  });
});

describe('a server reachable beyond loopback', () => {
  it('does not start without an explicit admin token, and says why', async () => {
    const started = await startServer({ host: '0.0.0.0', port: 0, memory: true, logLevel: 'silent' }).then(
      async (server) => {
        await server.close();
        return undefined;
      },
      (err: Error) => err,
    );
    assert.match(started?.message ?? 'it started', /--host 0\.0\.0\.0 is not a loopback address.*--admin-token/);
    const env = { ...process.env };
    delete env.LOCALFORCE_ADMIN_TOKEN;
    // A server that starts anyway is killed by the timeout: the test fails rather than waits.
    const cli = [CLI, 'serve', '--host', '0.0.0.0', '--port', '0', '--memory'];
    const refused = await promisify(execFile)(process.execPath, cli, { env, timeout: 20_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code?: number; stderr?: string }) => err,
    );
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr ?? '', /--host 0\.0\.0\.0 is not a loopback address.*LOCALFORCE_ADMIN_TOKEN/);
  });

  it('starts with an explicit admin token', async () => {
    const server = await spawnServer(['--host', '0.0.0.0', '--memory']);
    try {
      const port = new URL(server.url).port;
      const r = await http(`http://127.0.0.1:${port}/_localforce/orgs`, { headers: adminHeaders() });
      assert.equal(r.status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('a generated admin token', () => {
  it('is printed in the banner, written 0600 into the data directory, and works', async () => {
    const location = await freshDataLocation('sqlite');
    const server = await spawnServer(location.args, { LOCALFORCE_ADMIN_TOKEN: '' });
    try {
      const printed = /admin token\s+(\S+) \(also in (\S+), mode 0600\)/.exec(server.output());
      assert.ok(printed, server.output());
      const [, token, file] = printed;
      assert.equal(readFileSync(file, 'utf8').trim(), token);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.ok(token.length >= 40, token);
      assert.equal(
        (await http(`${server.url}/_localforce/orgs`, { headers: { Authorization: `Bearer ${token}` } })).status,
        200,
      );
      assert.equal((await http(`${server.url}/_localforce/orgs`, { headers: adminHeaders() })).status, 401);
    } finally {
      await server.close();
      await location.remove();
    }
  });

  it('with --memory or PostgreSQL is printed only', async () => {
    const server = await spawnServer(['--memory'], { LOCALFORCE_ADMIN_TOKEN: '' });
    try {
      const printed = /admin token\s+(\S+)\n/.exec(server.output());
      assert.ok(printed, server.output());
      assert.doesNotMatch(server.output(), /also in/);
      const r = await http(`${server.url}/_localforce/orgs`, { headers: { Authorization: `Bearer ${printed[1]}` } });
      assert.equal(r.status, 200);
    } finally {
      await server.close();
    }
  });

  it('is not printed when given', async () => {
    const server = await spawnServer(['--memory']);
    try {
      assert.match(server.output(), /admin token\s+\(--admin-token\)/);
      assert.ok(!server.output().includes(TEST_ADMIN_TOKEN));
    } finally {
      await server.close();
    }
  });
});
