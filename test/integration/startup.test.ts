// `localforce serve` as a user runs it: the README's example org (docs/examples), started twice on the same data.
// The first start creates the org, loads the seed folder before it answers /_localforce/health, and prints details
// that work as printed (a SOAP login with the username and password, the token on the REST query the README shows).
// The second start keeps the records (the seed is not loaded again), says so, and does not print a --password that
// is not the org's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminHeaders, freshDataLocation, spawnServer, type DataLocation } from '../helpers/server.js';

const EXAMPLES = resolve(fileURLToPath(new URL('../../../docs/examples', import.meta.url)));
const EXAMPLE_ARGS = ['--schema', `${EXAMPLES}/schema.yaml`, '--seed', `${EXAMPLES}/seed`];
const QUERY = '/services/data/v62.0/query?q=SELECT+Ref__c,Warehouse__r.City__c+FROM+Shipment__c';

/** The value printed after `label` in the start-up banner. */
function printed(output: string, label: string): string {
  const m = new RegExp(`^  ${label} +(.+)$`, 'm').exec(output);
  assert.ok(m, `"${label}" is printed:\n${output}`);
  return m[1];
}

async function soapLogin(url: string, username: string, password: string): Promise<{ status: number; body: string }> {
  const body =
    `<?xml version="1.0" encoding="utf-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<env:Body><n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>${username}</n1:username><n1:password>${password}</n1:password></n1:login></env:Body></env:Envelope>`;
  const r = await fetch(`${url}/services/Soap/u/62.0`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml', SOAPAction: 'login' },
    body,
  });
  return { status: r.status, body: await r.text() };
}

async function query(
  url: string,
  token: string,
): Promise<{ totalSize: number; records: { Ref__c: string; Warehouse__r: { City__c: string } }[] }> {
  const r = await fetch(url + QUERY, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  return (await r.json()) as never;
}

describe('start-up of the example org, twice on the same data', () => {
  let location: DataLocation;
  before(async () => {
    location = await freshDataLocation();
  });
  after(async () => {
    await location?.remove();
  });

  it('seeds a new org before it is ready, prints details that work, and keeps the records on the next start', {
    timeout: 60_000,
  }, async () => {
    const first = await spawnServer([...location.args, ...EXAMPLE_ARGS]);
    let out: string;
    try {
      out = first.output();
      // Health answered (spawnServer waited for it), so the seed records are there already: no polling here.
      const health = await fetch(`${first.url}/_localforce/health`);
      assert.equal(health.status, 200);
      assert.match(health.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      assert.equal(printed(out, 'seed'), `loaded from ${EXAMPLES}/seed`);
      assert.match(out, new RegExp(`listening on ${first.url.replace(/[.]/g, '\\.')}`));

      const username = printed(out, 'username');
      const password = printed(out, 'password');
      assert.deepEqual([username, password], ['admin@localforce.local', 'localforce']);
      const login = await soapLogin(first.url, username, password);
      assert.equal(login.status, 200, login.body);
      assert.match(login.body, new RegExp(`<organizationId>${printed(out, 'org id')}</organizationId>`));

      const rows = await query(first.url, printed(out, 'access token'));
      assert.deepEqual(
        rows.records.map((r) => [r.Ref__c, r.Warehouse__r.City__c]),
        [['S-1', 'Lyon']],
      );

      // The control plane seeds one object the same way: the answer is the results CSV; lookups by external id resolve.
      const seeded = await fetch(`${first.url}/_localforce/orgs/default/seed/Shipment__c`, {
        method: 'POST',
        headers: adminHeaders({ 'Content-Type': 'text/csv' }),
        body: 'Ref__c,Warehouse__r.Code__c\nS-2,W2\nS-3,W9\n',
      });
      assert.equal(seeded.status, 200);
      assert.equal(seeded.headers.get('content-type'), 'text/csv');
      const lines = (await seeded.text()).trim().split('\n');
      assert.equal(lines[0], '"Id","Success","Created","Error"');
      assert.match(lines[1], /^"a\w{17}","true","true",""$/);
      assert.equal(
        lines[2],
        '"","false","false","INVALID_FIELD:Foreign key external ID: W9 not found for field Code__c in entity Warehouse__c:--"',
      );
      const after = await query(first.url, printed(out, 'access token'));
      assert.deepEqual(after.records.map((r) => [r.Ref__c, r.Warehouse__r.City__c]).sort(), [
        ['S-1', 'Lyon'],
        ['S-2', 'Osaka'],
      ]);
    } finally {
      await first.close();
    }

    // Same data, another --password: the org keeps its own, and the banner does not pretend otherwise.
    const second = await spawnServer([...location.args, ...EXAMPLE_ARGS, '--password', 'not-the-orgs']);
    try {
      out = second.output();
      assert.equal(printed(out, 'seed'), 'not loaded: the org already existed (seed data goes into a new org only)');
      assert.match(printed(out, 'password'), /^\(not --password/);
      assert.equal(
        (await soapLogin(second.url, 'admin@localforce.local', 'not-the-orgs')).status,
        500,
        'the org kept its password',
      );
      assert.equal((await soapLogin(second.url, 'admin@localforce.local', 'localforce')).status, 200);
      const rows = await query(second.url, printed(out, 'access token'));
      assert.equal(
        rows.totalSize,
        2,
        'the seed was not inserted again (S-1 from the seed, S-2 from the control plane)',
      );
    } finally {
      await second.close();
    }
  });

  it('takes its settings from LOCALFORCE_* variables as from options', { timeout: 30_000 }, async () => {
    const token = '00DLf0000000001!AQfromTheEnvironment';
    const server = await spawnServer([], {
      LOCALFORCE_USERNAME: 'ops@example.test',
      LOCALFORCE_PASSWORD: 'from-env',
      LOCALFORCE_TOKEN: token,
      LOCALFORCE_HOST: '127.0.0.1',
      LOCALFORCE_WORKERS: '2',
    });
    try {
      const out = server.output();
      assert.deepEqual(
        [printed(out, 'username'), printed(out, 'password'), printed(out, 'access token')],
        ['ops@example.test', 'from-env', token],
      );
      assert.equal((await soapLogin(server.url, 'ops@example.test', 'from-env')).status, 200);
      const r = await fetch(`${server.url}/services/data/v62.0/limits`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(r.status, 200, 'the fixed token works');
    } finally {
      await server.close();
    }
    // A flag variable that says no is a no (commander alone would read any value as yes); a value that is neither
    // stops the start with the reason.
    const off = await spawnServer([], { LOCALFORCE_MEMORY: '0' });
    try {
      assert.notEqual(printed(off.output(), 'data'), '(memory: removed on exit)');
    } finally {
      await off.close();
    }
    await assert.rejects(
      spawnServer([], { LOCALFORCE_MEMORY: 'maybe' }),
      /LOCALFORCE_MEMORY must be 1, true, yes, 0, false or no, not "maybe"/,
    );
  });

  it('logs one JSON line per request with tokens masked, and answers userinfo, the identity URL and OAuth errors', {
    timeout: 30_000,
  }, async () => {
    const token = '00DLf0000000001!AQtokenThatMustNotBeLogged';
    const server = await spawnServer(['--token', token, '--log-level', 'info']);
    try {
      const out = () => server.output();
      const orgId = printed(out(), 'org id');
      const info = await fetch(`${server.url}/services/oauth2/userinfo`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(info.status, 200);
      assert.equal(info.headers.get('content-type'), 'application/json;charset=UTF-8');
      const user = (await info.json()) as {
        user_id: string;
        organization_id: string;
        preferred_username: string;
        sub: string;
      };
      assert.deepEqual([user.organization_id, user.preferred_username], [orgId, 'admin@localforce.local']);
      assert.equal(user.sub, `${server.url}/id/${orgId}/${user.user_id}`);
      const identity = await fetch(`${user.sub}?oauth_token=${encodeURIComponent(token)}`);
      assert.equal(identity.status, 200);
      assert.equal(((await identity.json()) as { id: string }).id, user.sub);
      const bad = await fetch(`${server.url}/services/oauth2/userinfo`, {
        headers: { Authorization: 'Bearer 00Dnope!nope' },
      });
      assert.equal(bad.status, 403);
      assert.equal(await bad.text(), '{"error":"Bad_OAuth_Token","error_description":"Session expired or invalid"}');
      const oauth = (form: string) =>
        fetch(`${server.url}/services/oauth2/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form,
        });
      const wrong = await oauth(
        'grant_type=password&client_id=x&client_secret=y&username=admin%40localforce.local&password=wrong',
      );
      assert.equal(wrong.status, 400);
      assert.equal(await wrong.text(), '{"error":"invalid_grant","error_description":"authentication failure"}');
      const grant = await oauth('grant_type=client_credentials&client_id=x&client_secret=y');
      assert.equal(grant.status, 400);
      assert.equal(
        await grant.text(),
        '{"error":"unsupported_grant_type","error_description":"grant type not supported"}',
      );

      const requestLines = () =>
        out()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { msg: string; url?: string; statusCode?: number; method?: string })
          .filter((l) => l.msg === 'request' && l.url !== '/_localforce/health');
      for (const deadline = Date.now() + 5000; requestLines().length < 5 && Date.now() < deadline; )
        await new Promise((r) => setTimeout(r, 50));
      const requests = requestLines();
      assert.deepEqual(
        requests.map((l) => [l.method, l.url, l.statusCode]),
        [
          ['GET', '/services/oauth2/userinfo', 200],
          ['GET', `/id/${orgId}/${user.user_id}?oauth_token=***`, 200],
          ['GET', '/services/oauth2/userinfo', 403],
          ['POST', '/services/oauth2/token', 400],
          ['POST', '/services/oauth2/token', 400],
        ],
      );
      const logged = out()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .join('\n');
      assert.ok(
        !logged.includes(token) && !logged.includes('AQtokenThatMustNotBeLogged'),
        'the token never appears in the log',
      );
    } finally {
      await server.close();
    }
  });
});
