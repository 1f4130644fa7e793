// Denial of service from unauthenticated requests (issue 12, items 4–6): small bodies for login, OAuth and admin,
// refused from their Content-Length; Bulk 1.0 batches refused from their headers before a byte is buffered; a body
// trickled slower than the request timeout is cut; unknown usernames cost a hash; lockout after 10 failures. How
// password checks off the event loop keep polls fast under a storm of logins is timing: not asserted (it would flake
// on a shared machine).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { adminHeaders, startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { OrgBulk } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

interface Sent {
  status?: number;
  body?: string;
  error?: string;
  ms: number;
}

/**
 * POSTs a body of `bytes` bytes with a Content-Length, written from one shared 1 MB buffer (the client holds no
 * copy). Resolves on the response or on the connection's error, with the time taken.
 */
function postSized(url: string, headers: Record<string, string>, bytes: number, prefix = ''): Promise<Sent> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(bytes) } });
    const done = (r: Omit<Sent, 'ms'>) => resolve({ ...r, ms: performance.now() - started });
    req.on('response', (r) => {
      let body = '';
      r.on('data', (d) => (body += d));
      r.on('end', () => done({ status: r.statusCode, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code }));
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    req.write(prefix);
    let sent = Buffer.byteLength(prefix);
    const pump = () => {
      while (sent < bytes) {
        const part = Math.min(chunk.length, bytes - sent);
        sent += part;
        if (!req.write(part === chunk.length ? chunk : chunk.subarray(0, part))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** The time a GET takes to be answered, in ms. */
async function timedGet(url: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

const MB = 1024 * 1024;

function soapLoginBody(username: string, password: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<env:Body><n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>${username}</n1:username>` +
    `<n1:password>${password}</n1:password></n1:login></env:Body></env:Envelope>`
  );
}

async function soapLogin(base: string, username: string, password: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}/services/Soap/u/62.0`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml', SOAPAction: 'login' },
    body: soapLoginBody(username, password),
  });
  return { status: res.status, body: await res.text() };
}

async function oauthLogin(base: string, username: string, password: string): Promise<{ status: number; body: string }> {
  const form = new URLSearchParams({ grant_type: 'password', client_id: 'x', client_secret: 'y', username, password });
  const res = await fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return { status: res.status, body: await res.text() };
}

describe('body limits and authentication before the body', () => {
  let server: RunningServer;
  let jobId: string;
  before(async () => {
    server = await startTestServer();
    jobId = await new OrgBulk(server.url, TEST_TOKEN).createJob({ operation: 'insert', object: 'Account' });
  });
  after(async () => server.close());

  it('refuses a 38 MB SOAP login at once while a status poll stays fast', async () => {
    // A login whose username is 38 MB long: read and parsed, it held the event loop for half a minute.
    const prefix = soapLoginBody('u', 'p')
      .replace(/<n1:username>u/, '<n1:username>')
      .split('</n1:username>')[0];
    const login = postSized(`${server.url}/services/Soap/u/62.0`, { 'Content-Type': 'text/xml' }, 38 * MB, prefix);
    const poll = await timedGet(`${server.url}/services/async/62.0/job/${jobId}`, { 'X-SFDC-Session': TEST_TOKEN });
    const r = await login;
    assert.equal(r.status, 500, r.error);
    assert.match(r.body ?? '', /<faultcode>sf:ClientInputError<\/faultcode>|ClientInputError/);
    assert.match(r.body ?? '', /Exceeded max size limit of 1000000/);
    assert.ok(r.ms < 1500, `the login was answered after ${Math.round(r.ms)} ms`);
    assert.equal(poll.status, 200);
    assert.ok(poll.ms < 800, `the poll took ${Math.round(poll.ms)} ms`);
  });

  it('refuses an over-limit OAuth body with an OAuth error', async () => {
    const r = await postSized(
      `${server.url}/services/oauth2/token`,
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      2 * MB,
    );
    assert.equal(r.status, 400, r.error);
    assert.match(r.body ?? '', /"error":"ClientInputError"/);
    assert.match(r.body ?? '', /Exceeded max size limit of 1000000/);
  });

  it('refuses an over-limit admin body with an admin error (without the admin token: 401, body unread)', async () => {
    const anonymous = await postSized(`${server.url}/_localforce/orgs`, { 'Content-Type': 'application/json' }, 2 * MB);
    assert.equal(anonymous.status, 401, anonymous.error);
    const r = await postSized(
      `${server.url}/_localforce/orgs`,
      adminHeaders({ 'Content-Type': 'application/json' }),
      2 * MB,
    );
    assert.equal(r.status, 400, r.error);
    assert.deepEqual(JSON.parse(r.body ?? ''), {
      error: 'Failed to read request. Exceeded max size limit of 1000000',
    });
  });

  it('refuses 10 × 39 MB batches with a garbage token without buffering them', async () => {
    const url = `${server.url}/services/async/62.0/job/${jobId}/batch`;
    const headers = { 'X-SFDC-Session': '00Dgarbage!AQnotAToken', 'Content-Type': 'text/csv' };
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const results = await Promise.all(Array.from({ length: 10 }, () => postSized(url, headers, 39 * MB)));
    clearInterval(sampler);
    for (const r of results) {
      assert.equal(r.status, 400, r.error);
      assert.match(r.body ?? '', /<exceptionCode>InvalidSessionId<\/exceptionCode>/);
    }
    const grew = (peak - rssBefore) / MB;
    assert.ok(grew < 150, `RSS grew by ${Math.round(grew)} MB`);
  });

  it('still reads a valid batch and answers as before', async () => {
    const bulk = new OrgBulk(server.url, TEST_TOKEN);
    const batchId = await bulk.addBatch(jobId, 'CSV', 'Name\nA\n');
    assert.match(batchId, /^751/);
  });
});

describe('the request timeout', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer({ requestTimeoutMs: 1000 });
  });
  after(async () => server.close());

  it('cuts a body that trickles slower than the request timeout', async () => {
    const bulk = new OrgBulk(server.url, TEST_TOKEN);
    const jobId = await bulk.createJob({ operation: 'insert', object: 'Account' });
    const started = performance.now();
    const outcome = await new Promise<string>((resolve) => {
      const req = request(`${server.url}/services/async/62.0/job/${jobId}/batch`, {
        method: 'POST',
        headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'text/csv', 'Content-Length': '1000' },
      });
      req.on('response', (r) => {
        r.resume();
        resolve(`status ${r.statusCode}`);
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code}`));
      req.write('Name\n');
      // One byte every 100 ms: the 1000 bytes would take 100 s.
      const timer = setInterval(() => {
        if (req.destroyed) return clearInterval(timer);
        req.write('a', () => {});
      }, 100);
      req.on('close', () => clearInterval(timer));
    });
    const ms = performance.now() - started;
    assert.ok(ms < 5000, `the trickle was cut only after ${Math.round(ms)} ms`);
    assert.match(outcome, /^(status 408|error (ECONNRESET|EPIPE))$/);
  });
});

describe('password checks', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it('hashes for an unknown username as for a known one', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      let t = performance.now();
      assert.equal((await soapLogin(server.url, 'admin@localforce.local', 'wrong')).status, 500);
      known.push(performance.now() - t);
      t = performance.now();
      assert.equal((await soapLogin(server.url, `nobody${i}@example.com`, 'wrong')).status, 500);
      unknown.push(performance.now() - t);
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    assert.ok(
      median(unknown) > 0.3 * median(known),
      `unknown ${Math.round(median(unknown))} ms, known ${Math.round(median(known))} ms`,
    );
  });
});

describe('lockout', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  it('refuses the 11th login after 10 failures even with the right password', async () => {
    const user = 'admin@localforce.local';
    assert.equal((await soapLogin(server.url, user, 'localforce')).status, 200, 'the right password logs in');
    for (let i = 0; i < 10; i++) assert.equal((await soapLogin(server.url, user, `wrong${i}`)).status, 500);
    const soap = await soapLogin(server.url, user, 'localforce');
    assert.equal(soap.status, 500);
    assert.match(soap.body, /<faultcode>sf:INVALID_LOGIN<\/faultcode>/);
    assert.match(soap.body, /or user locked out/);
    const oauth = await oauthLogin(server.url, user, 'localforce');
    assert.equal(oauth.status, 400);
    assert.match(oauth.body, /"error":"invalid_grant"/);
    assert.match(oauth.body, /authentication failure/);
  });
});
