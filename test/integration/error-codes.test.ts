// The error codes and texts clients branch on (docs/compatibility.md, "Error codes"), over real HTTP on the real
// server and database: each pins the status, the code and the exact message a real org sends.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminHeaders, startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { NS, xmlText, type RawResponse } from '../helpers/bulk.js';
import { OrgBulk, passwordLogin, sObjectsXml, type ContentType } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
let bulk: OrgBulk;

before(async () => {
  server = await startTestServer();
  bulk = new OrgBulk(server.url, TEST_TOKEN);
});
after(async () => server.close());

const READ_ONLY_ADVICE =
  'Please check the security settings of this field and verify that it is read/write for your profile or ' +
  'permission set.';

/** The exception code and message of a Bulk 1.0 error, in either format. */
function exception(r: RawResponse): { status: number; code: string | undefined; message: string | undefined } {
  if ((r.headers.get('content-type') ?? '').includes('json')) {
    const doc = JSON.parse(r.body) as { exceptionCode: string; exceptionMessage: string };
    return { status: r.status, code: doc.exceptionCode, message: doc.exceptionMessage };
  }
  return { status: r.status, code: xmlText(r.body, 'exceptionCode'), message: xmlText(r.body, 'exceptionMessage') };
}

const postJson = (client: OrgBulk, path: string, doc: unknown) =>
  client.client.post(path, JSON.stringify(doc), 'application/json');

describe('job creation', () => {
  it('answers a job on an object the org does not have with InvalidJob / Unable to find object', async () => {
    const xml = await bulk.createJobRaw({ operation: 'insert', object: 'Nope__c', contentType: 'CSV' });
    assert.deepEqual(exception(xml), { status: 400, code: 'InvalidJob', message: 'Unable to find object: Nope__c' });
    const json = await postJson(bulk, '/job', { operation: 'query', object: 'EmailStatus', contentType: 'JSON' });
    assert.deepEqual(exception(json), {
      status: 400,
      code: 'InvalidJob',
      message: 'Unable to find object: EmailStatus',
    });
  });

  it('cannot parse an operation in another case (or unknown): InvalidJob / Unable to parse Job', async () => {
    for (const operation of ['Insert', 'INSERT', 'harddelete', 'Query', 'merge']) {
      const xml = await bulk.createJobRaw({ operation, object: 'Account', contentType: 'CSV' });
      assert.deepEqual(exception(xml), { status: 400, code: 'InvalidJob', message: 'Unable to parse Job' }, operation);
      const json = await postJson(bulk, '/job', { operation, object: 'Account', contentType: 'JSON' });
      assert.deepEqual(exception(json), { status: 400, code: 'InvalidJob', message: 'Unable to parse Job' }, operation);
    }
    // The operation is parsed before the object is looked up.
    const both = await bulk.createJobRaw({ operation: 'Insert', object: 'Nope__c' });
    assert.equal(exception(both).message, 'Unable to parse Job');
  });

  it('refuses hardDelete to a user without the permission with FeatureNotEnabled, at job creation', async () => {
    const created = await fetch(`${server.url}/_localforce/orgs/default/users`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ username: 'nohard@localforce.local', password: 'nohard-pass', hardDelete: false }),
    });
    assert.equal(created.status, 201);
    const soft = new OrgBulk(
      server.url,
      (await passwordLogin(server.url, 'nohard@localforce.local', 'nohard-pass')).access_token,
    );
    const message =
      'hardDelete operation requires special user profile permission, please contact your system administrator';
    const expected = { status: 400, code: 'FeatureNotEnabled', message };
    assert.deepEqual(exception(await soft.createJobRaw({ operation: 'hardDelete', object: 'Account' })), expected);
    const json = await postJson(soft, '/job', { operation: 'hardDelete', object: 'Account', contentType: 'JSON' });
    assert.deepEqual(exception(json), expected);
    // The permission holder (the test server's user) creates the same job.
    const ok = await bulk.createJobRaw({ operation: 'hardDelete', object: 'Account', contentType: 'CSV' });
    assert.equal(ok.status, 201, ok.body);
  });
});

describe('job update', () => {
  it('refuses a close that echoes the whole JobInfo, naming CreatedById first, and leaves the job Open', async () => {
    const jobId = await bulk.createJob({ operation: 'insert', object: 'Account' });
    const info = (await bulk.client.get(`/job/${jobId}`)).body;
    // What WSC's updateJob and Workbench send: the JobInfo read back, with the state changed.
    const echoed = info.replace(/<state>Open<\/state>/, '<state>Closed</state>');
    assert.notEqual(echoed, info);
    assert.deepEqual(exception(await bulk.client.post(`/job/${jobId}`, echoed)), {
      status: 400,
      code: 'InvalidJob',
      message: 'CreatedById cannot be specified',
    });
    const jsonJob = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'JSON' });
    const json = JSON.parse((await bulk.client.get(`/job/${jsonJob}`)).body) as Record<string, unknown>;
    assert.equal(json.state, 'Open');
    const jsonEcho = await postJson(bulk, `/job/${jsonJob}`, { ...json, state: 'Closed' });
    assert.deepEqual(exception(jsonEcho), {
      status: 400,
      code: 'InvalidJob',
      message: 'CreatedById cannot be specified',
    });
    // Without the server's fields, the first other field is named, capitalised as the org does.
    const jobRequest = (inner: string) => `<jobInfo xmlns="${NS}">${inner}</jobInfo>`;
    const partial = jobRequest(`<id>${jobId}</id><operation>insert</operation><state>Closed</state>`);
    assert.equal(exception(await bulk.client.post(`/job/${jobId}`, partial)).message, 'Id cannot be specified');
    const late = jobRequest(`<state>Closed</state><numberRetries>0</numberRetries><id>${jobId}</id>`);
    assert.equal(exception(await bulk.client.post(`/job/${jobId}`, late)).message, 'NumberRetries cannot be specified');
    assert.equal(xmlText((await bulk.client.get(`/job/${jobId}`)).body, 'state'), 'Open');
  });
});

describe('record errors', () => {
  it('names every read-only field in one INVALID_FIELD_FOR_INSERT_UPDATE error, in header order', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Account' },
      'Name,SystemModstamp,CreatedDate\nRead Only,2020-01-01T00:00:00Z,2020-01-01T00:00:00Z\n',
    );
    const message = `Unable to create/update fields: SystemModstamp, CreatedDate. ${READ_ONLY_ADVICE}`;
    assert.equal(
      run.body,
      `"Id","Success","Created","Error"\n` +
        `"","false","false","INVALID_FIELD_FOR_INSERT_UPDATE:${message}:SystemModstamp,CreatedDate --"\n`,
    );
    const one = await bulk.run(
      { operation: 'insert', object: 'Account', contentType: 'JSON' },
      JSON.stringify([{ Name: 'Read Only', CreatedDate: '2020-01-01T00:00:00.000Z' }]),
    );
    assert.deepEqual(one.results[0].errors, [
      {
        statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: `Unable to create/update fields: CreatedDate. ${READ_ONLY_ADVICE}`,
        fields: ['CreatedDate'],
      },
    ]);
  });

  describe("a failed update's Id column", () => {
    const missing = '001000000000000AAA';

    async function failedUpdate(client: OrgBulk, contentType: ContentType): Promise<{ id: string; body: string }> {
      const [id] = await client.insertOk('Account', 'Name\nStays\n');
      const rows = [
        { Id: id, CreatedDate: '2020-01-01T00:00:00.000Z' },
        { Id: missing, Name: 'Nobody' },
      ];
      const body =
        contentType === 'CSV'
          ? `Id,CreatedDate,Name\n${id},2020-01-01T00:00:00.000Z,\n${missing},,Nobody\n`
          : contentType === 'XML'
            ? sObjectsXml([
                `<Id>${id}</Id><CreatedDate>2020-01-01T00:00:00.000Z</CreatedDate>`,
                `<Id>${missing}</Id><Name>Nobody</Name>`,
              ])
            : JSON.stringify(rows);
      const run = await client.run({ operation: 'update', object: 'Account', contentType }, body);
      assert.equal(run.state, 'Completed', run.stateMessage);
      return { id, body: run.body };
    }

    const readOnly = `Unable to create/update fields: CreatedDate. ${READ_ONLY_ADVICE}`;

    it('carries the existing record id from API 53.0 (CSV, XML, JSON); an unknown id stays empty', async () => {
      const csv = await failedUpdate(bulk, 'CSV');
      assert.equal(
        csv.body,
        `"Id","Success","Created","Error"\n` +
          `"${csv.id}","false","false","INVALID_FIELD_FOR_INSERT_UPDATE:${readOnly}:CreatedDate --"\n` +
          `"","false","false","INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--"\n`,
      );
      const xml = await failedUpdate(bulk, 'XML');
      const results = [...xml.body.matchAll(/<result>([\s\S]*?)<\/result>/g)].map((m) => m[1]);
      assert.equal(results.length, 2);
      assert.match(results[0], new RegExp(`</errors>\\s*<id>${xml.id}</id>\\s*<success>false</success>`));
      assert.doesNotMatch(results[1], /<id>/);
      const json = await failedUpdate(bulk, 'JSON');
      const doc = JSON.parse(json.body) as { id: string | null; success: boolean }[];
      assert.deepEqual(
        doc.map((r) => [r.id, r.success]),
        [
          [json.id, false],
          [null, false],
        ],
      );
      assert.ok(json.body.includes(`"id":"${json.id}"`), json.body);
    });

    it('leaves it empty before API 53.0', async () => {
      const old = new OrgBulk(server.url, TEST_TOKEN, '52.0');
      const csv = await failedUpdate(old, 'CSV');
      assert.ok(csv.body.split('\n')[1].startsWith('"","false","false","INVALID_FIELD_FOR_INSERT_UPDATE:'), csv.body);
      const json = await failedUpdate(old, 'JSON');
      assert.deepEqual(
        (JSON.parse(json.body) as { id: string | null }[]).map((r) => r.id),
        [null, null],
      );
    });
  });
});
