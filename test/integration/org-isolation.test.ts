// Several orgs in one server: each with its own users, schema, jobs and record tables. A token of one org sees
// nothing of another: InvalidJob on Bulk, NOT_FOUND on REST, never the other org's data (issue 3).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminHeaders, startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { NS, http, xmlText } from '../helpers/bulk.js';
import { OrgBulk, createOrg, passwordLogin, postSchema, rest, type Login } from '../helpers/org.js';
import { dbAll, dbGet, dbTableExists } from '../helpers/db.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
let a: OrgBulk; // the default org
let b: OrgBulk; // a second org
let orgB: Login;
let tableB: (object: string) => string;

before(async () => {
  server = await startTestServer();
  a = new OrgBulk(server.url, TEST_TOKEN);
  orgB = await createOrg(server.url, 'Org B', 'admin@org-b.test', 'b-password');
  b = new OrgBulk(server.url, orgB.token);
  tableB = (object) => `${orgB.orgId}_${object}`;
});
after(async () => server.close());

const tableExists = (name: string) => dbTableExists(server, name);

describe('creating orgs', () => {
  it('answers 201 with the new org, its admin and a Salesforce-shaped token', async () => {
    assert.match(orgB.orgId, /^00D[0-9A-Za-z]{15}$/);
    assert.notEqual(orgB.orgId, server.org.orgId);
    assert.match(orgB.userId, /^005[0-9A-Za-z]{15}$/);
    assert.equal(orgB.username, 'admin@org-b.test');
    assert.ok(orgB.token.startsWith(`${orgB.orgId.slice(0, 15)}!`), orgB.token);
    assert.equal(orgB.instanceUrl, server.url);
    const list = await http(`${server.url}/_localforce/orgs`, { headers: adminHeaders() });
    const orgs = JSON.parse(list.body) as { id: string; name: string; isDefault: boolean }[];
    assert.deepEqual(
      orgs.map((o) => [o.id, o.name, o.isDefault]).sort(),
      [
        [server.org.orgId, 'localforce', true],
        [orgB.orgId, 'Org B', false],
      ].sort(),
    );
  });

  it('refuses a username already in use (409) and a body without a name (400)', async () => {
    const taken = await http(`${server.url}/_localforce/orgs`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ name: 'Dup', username: server.org.username, password: 'x' }),
    });
    assert.equal(taken.status, 409);
    const noName = await http(`${server.url}/_localforce/orgs`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ username: 'n@x.test', password: 'x' }),
    });
    assert.equal(noName.status, 400);
    assert.deepEqual(JSON.parse(noName.body), { error: 'name is required' });
  });

  it("logs the new org's users in to their own org", async () => {
    const login = await passwordLogin(server.url, 'admin@org-b.test', 'b-password');
    assert.ok(login.id.endsWith(`/id/${orgB.orgId}/${orgB.userId}`), login.id);
    assert.ok(login.access_token.startsWith(orgB.orgId.slice(0, 15)));
    const user = await http(`${server.url}/_localforce/orgs/${orgB.orgId}/users`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ username: 'second@org-b.test', password: 'pw2' }),
    });
    assert.equal(user.status, 201);
    assert.equal(JSON.parse(user.body).orgId, orgB.orgId);
    const second = await passwordLogin(server.url, 'second@org-b.test', 'pw2');
    assert.match(second.id, new RegExp(`/id/${orgB.orgId}/005`));
    const map = await rest(server.url, second.access_token, '/v62.0');
    assert.match(map.json().identity, new RegExp(`/id/${orgB.orgId}/`));
    const unknown = await http(`${server.url}/_localforce/orgs/00DLf000000zzzzAAA/users`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ username: 'z@z.test', password: 'z' }),
    });
    assert.equal(unknown.status, 404);
  });
});

describe('jobs are private to their org', () => {
  it("answers InvalidJob to another org's token for every job and batch resource", async () => {
    const jobId = await a.createJob({ operation: 'insert', object: 'Account' });
    const batch = await a.runBatch(jobId, 'CSV', 'Name\nPrivate A\n');
    const unknownJob = await b.client.get('/job/750Lf000000zzzzAAA');
    const probes: [string, () => Promise<{ status: number; body: string }>][] = [
      ['GET job', () => b.client.get(`/job/${jobId}`)],
      ['GET batches', () => b.client.get(`/job/${jobId}/batch`)],
      ['GET batch', () => b.client.get(`/job/${jobId}/batch/${batch.batchId}`)],
      ['GET result', () => b.client.get(`/job/${jobId}/batch/${batch.batchId}/result`)],
      ['GET request', () => b.client.get(`/job/${jobId}/batch/${batch.batchId}/request`)],
      ['POST batch', () => b.client.post(`/job/${jobId}/batch`, 'Name\nIntruder\n', 'text/csv')],
      ['POST close', () => b.client.post(`/job/${jobId}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`)],
      ['POST abort', () => b.client.post(`/job/${jobId}`, `<jobInfo xmlns="${NS}"><state>Aborted</state></jobInfo>`)],
    ];
    for (const [name, probe] of probes) {
      const r = await probe();
      assert.equal(r.status, 400, name);
      assert.equal(xmlText(r.body, 'exceptionCode'), 'InvalidJob', `${name}: ${r.body}`);
      assert.equal(
        r.body.split(jobId).join('{{jobId}}'),
        unknownJob.body.split('750Lf000000zzzzAAA').join('{{jobId}}'),
        `${name}: the same answer as for a job that does not exist`,
      );
      assert.ok(!r.body.includes('Private A') && !r.body.includes(batch.results[0].id), name);
    }
    const own = await a.client.get(`/job/${jobId}`);
    assert.equal(xmlText(own.body, 'state'), 'Open', 'the intruder could not close or abort it');
    const list = await a.client.get(`/job/${jobId}/batch`);
    assert.equal((list.body.match(/<batchInfo>/g) ?? []).length, 1, 'the intruder could not add a batch');
  });

  it("hides org B's jobs from org A the same way", async () => {
    const jobId = await b.createJob({ operation: 'insert', object: 'Contact' });
    const r = await a.client.get(`/job/${jobId}`);
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.body, 'exceptionCode'), 'InvalidJob');
  });
});

describe('records are private to their org', () => {
  let accountA: string;
  let accountB: string;

  before(async () => {
    [accountA] = await a.insertOk('Account', 'Name,External_Id__c\nOnly In A,SHARED-1\n');
    [accountB] = await b.insertOk('Account', 'Name,External_Id__c\nOnly In B,B-ONLY\n');
  });

  it('stores org B records in tables prefixed with its 18-character (case-safe) org id', async () => {
    assert.equal(tableB('Account'), `${orgB.orgId}_Account`);
    assert.equal(orgB.orgId, '00DLf0000000002MAA', 'the second org of a fresh server');
    assert.equal(await tableExists(tableB('Account')), true);
    const rows = {
      inB: await dbAll(server, `SELECT "Id", "Name", "OwnerId" FROM "${tableB('Account')}"`),
      aInDefault: await dbGet(server, 'SELECT count(*) AS n FROM "Account" WHERE "Id" = ?', [accountB]),
      aRowInB: await dbGet(server, `SELECT count(*) AS n FROM "${tableB('Account')}" WHERE "Id" = ?`, [accountA]),
      userB: await dbGet(server, `SELECT "Username" FROM "${tableB('User')}" WHERE "Id" = ?`, [orgB.userId]),
      userBInDefault: await dbGet(server, 'SELECT count(*) AS n FROM "User" WHERE "Id" = ?', [orgB.userId]),
    };
    assert.deepEqual(rows, {
      inB: [{ Id: accountB, Name: 'Only In B', OwnerId: orgB.userId }],
      aInDefault: { n: 0 },
      aRowInB: { n: 0 },
      userB: { Username: 'admin@org-b.test' },
      userBInDefault: { n: 0 },
    });
  });

  it("answers 404 NOT_FOUND to REST reads of another org's records and users", async () => {
    const own = await rest(server.url, TEST_TOKEN, `/v62.0/sobjects/Account/${accountA}`);
    assert.equal(own.status, 200);
    assert.equal(own.json().Name, 'Only In A');
    for (const path of [`/v62.0/sobjects/Account/${accountA}`, `/v62.0/sobjects/User/${server.org.userId}`]) {
      const r = await rest(server.url, orgB.token, path);
      assert.equal(r.status, 404, path);
      assert.deepEqual(r.json(), [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }], path);
    }
    const back = await rest(server.url, TEST_TOKEN, `/v62.0/sobjects/Account/${accountB}`);
    assert.equal(back.status, 404);
  });

  it("cannot update, delete or point at another org's records", async () => {
    const upd = await b.run({ operation: 'update', object: 'Account' }, `Id,Name\n${accountA},Hijacked\n`);
    assert.deepEqual(upd.results[0].errors, [
      { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] },
    ]);
    const del = await b.run({ operation: 'delete', object: 'Account' }, `Id\n${accountA}\n`);
    assert.equal(del.results[0].errors[0].statusCode, 'INVALID_CROSS_REFERENCE_KEY');
    const hard = await b.run({ operation: 'hardDelete', object: 'Account' }, `Id\n${accountA}\n`);
    assert.equal(hard.results[0].errors[0].statusCode, 'INVALID_CROSS_REFERENCE_KEY');
    const child = await b.run(
      { operation: 'insert', object: 'Contact' },
      `LastName,AccountId\nCross Org,${accountA}\n`,
    );
    assert.deepEqual(child.results[0].errors, [
      { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: ['AccountId'] },
    ]);
    const owner = await b.run(
      { operation: 'insert', object: 'Account' },
      `Name,OwnerId\nOwned By A,${server.org.userId}\n`,
    );
    assert.deepEqual(owner.results[0].errors, [
      { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: ['OwnerId'] },
    ]);
    const ownerByName = await b.run(
      { operation: 'insert', object: 'Case' },
      `Subject,User:Owner.Username\nOwned By A,${server.org.username}\n`,
    );
    assert.equal(
      ownerByName.results[0].errors[0].message,
      `Foreign key external ID: ${server.org.username} not found for field Username in entity User`,
    );
    const byExt = await b.run(
      { operation: 'insert', object: 'Contact' },
      'LastName,Account.External_Id__c\nCross Org Ext,SHARED-1\n',
    );
    assert.deepEqual(byExt.results[0].errors, [
      {
        statusCode: 'INVALID_FIELD',
        message: 'Foreign key external ID: SHARED-1 not found for field External_Id__c in entity Account',
        fields: [],
      },
    ]);
    assert.deepEqual(await dbGet(server, 'SELECT "Name", "IsDeleted" FROM "Account" WHERE "Id" = ?', [accountA]), {
      Name: 'Only In A',
      IsDeleted: 0,
    });
  });

  it('matches upsert keys and unique values only inside the org', async () => {
    const up = await b.run(
      { operation: 'upsert', object: 'Account', externalIdFieldName: 'External_Id__c' },
      'External_Id__c,Name\nSHARED-1,Same Key In B\n',
    );
    assert.deepEqual(
      [up.results[0].success, up.results[0].created],
      [true, true],
      JSON.stringify(up.results[0].errors),
    );
    assert.notEqual(up.results[0].id, accountA);
    const again = await b.run(
      { operation: 'upsert', object: 'Account', externalIdFieldName: 'External_Id__c' },
      'External_Id__c,Name\nshared-1,Same Key In B Again\n',
    );
    assert.deepEqual([again.results[0].created, again.results[0].id], [false, up.results[0].id]);
    assert.equal(
      (await dbGet<{ Name: string }>(server, 'SELECT "Name" FROM "Account" WHERE "Id" = ?', [accountA]))!.Name,
      'Only In A',
    );
  });
});

describe('each org has its own schema', () => {
  before(async () => {
    const inB = await postSchema(
      server.url,
      {
        objects: [
          { name: 'Widget__c', fields: [{ name: 'Size__c', type: 'int' }] },
          { name: 'Thing__c', fields: [{ name: 'Size__c', type: 'int' }] },
        ],
      },
      orgB.orgId,
    );
    assert.deepEqual(
      inB.objects.filter((o) => o.custom).map((o) => [o.name, o.keyPrefix, o.table]),
      [
        ['Widget__c', 'a00', tableB('Widget__c')],
        ['Thing__c', 'a01', tableB('Thing__c')],
      ],
    );
    const inA = await postSchema(server.url, {
      objects: [
        { name: 'Thing__c', fields: [{ name: 'Color__c', type: 'string', length: 10 }] },
        { name: 'Account', fields: [{ name: 'Tier__c', type: 'int' }] },
      ],
    });
    assert.deepEqual(
      inA.objects.filter((o) => o.custom).map((o) => [o.name, o.keyPrefix, o.table]),
      [['Thing__c', 'a00', 'Thing__c']],
    );
  });

  it('refuses an object declared only in the other org as one it cannot find', async () => {
    const r = await a.createJobRaw({ operation: 'insert', object: 'Widget__c', contentType: 'CSV' });
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.body, 'exceptionCode'), 'InvalidJob');
    assert.equal(xmlText(r.body, 'exceptionMessage'), 'Unable to find object: Widget__c');
    const [id] = await b.insertOk('Widget__c', 'Name,Size__c\nW,3\n');
    assert.match(id, /^a00/);
    assert.deepEqual(
      await dbGet(server, `SELECT "Name", "Size__c" FROM "${tableB('Widget__c')}" WHERE "Id" = ?`, [id]),
      { Name: 'W', Size__c: 3 },
    );
    assert.equal(await tableExists('Widget__c'), false, 'no table for it in the default org');
  });

  it('keeps same-named custom objects and custom fields apart', async () => {
    const colorInB = await b.run({ operation: 'insert', object: 'Thing__c' }, 'Name,Color__c\nT,red\n');
    assert.deepEqual(
      [colorInB.state, colorInB.stateMessage],
      ['Failed', 'InvalidBatch : Field name not found : Color__c'],
    );
    const sizeInA = await a.run({ operation: 'insert', object: 'Thing__c' }, 'Name,Size__c\nT,1\n');
    assert.deepEqual(
      [sizeInA.state, sizeInA.stateMessage],
      ['Failed', 'InvalidBatch : Field name not found : Size__c'],
    );
    const tierInB = await b.run({ operation: 'insert', object: 'Account' }, 'Name,Tier__c\nT,1\n');
    assert.deepEqual(
      [tierInB.state, tierInB.stateMessage],
      ['Failed', 'InvalidBatch : Field name not found : Tier__c'],
    );
    const [thingA] = await a.insertOk('Thing__c', 'Name,Color__c\nT,red\n');
    const [thingB] = await b.insertOk('Thing__c', 'Name,Size__c\nT,1\n');
    assert.match(thingA, /^a00/);
    assert.match(thingB, /^a01/);
  });

  it('describes each org from its own schema', async () => {
    const globalA = (await rest(server.url, TEST_TOKEN, '/v62.0/sobjects'))
      .json()
      .sobjects.map((o: { name: string }) => o.name);
    const globalB = (await rest(server.url, orgB.token, '/v62.0/sobjects'))
      .json()
      .sobjects.map((o: { name: string }) => o.name);
    assert.ok(!globalA.includes('Widget__c') && globalA.includes('Thing__c'));
    assert.ok(globalB.includes('Widget__c') && globalB.includes('Thing__c'));
    assert.equal((await rest(server.url, TEST_TOKEN, '/v62.0/sobjects/Widget__c/describe')).status, 404);
    const thingA = (await rest(server.url, TEST_TOKEN, '/v62.0/sobjects/Thing__c/describe')).json();
    const thingB = (await rest(server.url, orgB.token, '/v62.0/sobjects/Thing__c/describe')).json();
    assert.deepEqual([thingA.keyPrefix, thingB.keyPrefix], ['a00', 'a01']);
    const custom = (d: { fields: { name: string; custom: boolean }[] }) =>
      d.fields.filter((f) => f.custom).map((f) => f.name);
    assert.deepEqual([custom(thingA), custom(thingB)], [['Color__c'], ['Size__c']]);
    const accountB = (await rest(server.url, orgB.token, '/v62.0/sobjects/Account/describe')).json();
    assert.ok(!accountB.fields.some((f: { name: string }) => f.name === 'Tier__c'));
  });

  it('answers 404 to a schema for an org that does not exist', async () => {
    const r = await http(`${server.url}/_localforce/orgs/00DLf000000zzzzAAA/schema`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ objects: [] }),
    });
    assert.equal(r.status, 404);
  });
});

describe('limits are counted per org', () => {
  it('moves DailyBulkApiBatches only for the org that added the batch', async () => {
    const remaining = async (token: string) =>
      (await rest(server.url, token, '/v62.0/limits')).json().DailyBulkApiBatches.Remaining as number;
    const [a0, b0] = [await remaining(TEST_TOKEN), await remaining(orgB.token)];
    await a.run({ operation: 'insert', object: 'Account' }, 'Name\nCounted In A\n');
    assert.deepEqual([await remaining(TEST_TOKEN), await remaining(orgB.token)], [a0 - 1, b0]);
  });
});
