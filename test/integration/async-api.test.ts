// Bulk API 1.0 over real HTTP against the real server and a real database: formats, status codes, errors,
// processing and record-level results.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { BulkClient, NS, http, jobXml, xmlText } from '../helpers/bulk.js';
import { dbGet, storageClassSql } from '../helpers/db.js';
import { assertGolden, placeholders } from '../helpers/golden.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
let bulk: BulkClient;

before(async () => {
  server = await startTestServer();
  bulk = new BulkClient(server.url, TEST_TOKEN);
});
after(async () => server.close());

const csvJob = (extra: Record<string, string> = {}) =>
  bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV', ...extra });

async function runCsv(jobId: string, csv: string): Promise<{ batchId: string; info: string; results: string }> {
  const batchId = await bulk.addBatch(jobId, csv);
  const info = await bulk.waitForBatch(jobId, batchId);
  const results = (await bulk.get(`/job/${jobId}/batch/${batchId}/result`)).body;
  return { batchId, info, results };
}

describe('job resources', () => {
  it('creates a job: 201, application/xml, the jobInfo layout', async () => {
    const r = await bulk.post('/job', jobXml({ operation: 'insert', object: 'account', contentType: 'CSV' }));
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('content-type'), 'application/xml');
    const id = xmlText(r.body, 'id')!;
    assert.match(id, /^750[0-9A-Za-z]{15}$/);
    assertGolden('jobInfo-open.xml', placeholders(r.body, { jobId: id, userId: server.org.userId }));
  });

  it('answers a JSON create in JSON even for a CSV job, with alphabetical keys and apiVersion as 62.0', async () => {
    const r = await bulk.post(
      '/job',
      JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'CSV', concurrencyMode: 1 }),
      'application/json',
    );
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('content-type'), 'application/json');
    const doc = JSON.parse(r.body) as Record<string, unknown>;
    assert.equal(doc.concurrencyMode, 'Serial');
    assertGolden('jobInfo-open.json', placeholders(r.body, { jobId: doc.id as string, userId: server.org.userId }));
    // A CSV job's own resources answer in XML.
    const get = await bulk.get(`/job/${doc.id}`);
    assert.equal(get.headers.get('content-type'), 'application/xml');
    assert.equal(xmlText(get.body, 'concurrencyMode'), 'Serial');
  });

  it('accepts any element order, no declaration, and blank lines as jsforce sends', async () => {
    const body = `<jobInfo  xmlns="${NS}">\n  <object>Contact</object>\n\n  <contentType>CSV</contentType>\n  <operation>insert</operation>\n</jobInfo>`;
    const r = await bulk.post('/job', body, 'application/xml; charset=utf-8');
    assert.equal(r.status, 201);
    assert.equal(xmlText(r.body, 'object'), 'Contact');
  });

  it('closes, repeats a close as a no-op, aborts a closed job, and refuses other transitions', async () => {
    const id = await csvJob();
    const close = await bulk.post(`/job/${id}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`);
    assert.equal(close.status, 200);
    assert.equal(xmlText(close.body, 'state'), 'Closed');
    assert.equal(
      xmlText((await bulk.post(`/job/${id}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`)).body, 'state'),
      'Closed',
    );
    const reopen = await bulk.post(`/job/${id}`, `<jobInfo xmlns="${NS}"><state>Open</state></jobInfo>`);
    assert.equal(reopen.status, 400);
    assert.equal(xmlText(reopen.body, 'exceptionCode'), 'InvalidJobState');
    const abort = await bulk.post(`/job/${id}`, JSON.stringify({ state: 'Aborted' }), 'application/json');
    assert.equal(abort.status, 200);
    assert.equal(JSON.parse(abort.body).state, 'Aborted');
    const closeAborted = await bulk.post(`/job/${id}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`);
    assert.equal(xmlText(closeAborted.body, 'exceptionCode'), 'InvalidJobState');
    const withObject = await bulk.post(
      `/job/${id}`,
      `<jobInfo xmlns="${NS}"><object>Account</object><state>Aborted</state></jobInfo>`,
    );
    assert.equal(xmlText(withObject.body, 'exceptionCode'), 'InvalidJob');
    assert.equal(xmlText(withObject.body, 'exceptionMessage'), 'Object cannot be specified');
  });

  it("accepts the Postman collection's UploadComplete as Closed", async () => {
    const id = await csvJob();
    const r = await bulk.post(`/job/${id}`, JSON.stringify({ state: 'UploadComplete' }), 'application/json');
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).state, 'Closed');
  });

  it('validates job definitions with Salesforce error codes', async () => {
    const cases: [Record<string, string>, string, string | RegExp][] = [
      [
        { operation: 'upsert', object: 'Contact', contentType: 'CSV' },
        'InvalidJob',
        'External ID was blank for Contact. An External ID must be specified for upsert.',
      ],
      [
        { operation: 'upsert', object: 'Account', externalIdFieldName: 'Name', contentType: 'CSV' },
        'InvalidJob',
        'Field name provided, Name does not match an External ID, Salesforce Id, or indexed field for Account',
      ],
      [{ operation: 'INSERT', object: 'Account' }, 'InvalidJob', 'Unable to parse Job'],
      [{ operation: 'insert', object: 'EmailStatus' }, 'InvalidJob', 'Unable to find object: EmailStatus'],
      [{ operation: 'insert', object: 'Account', contentType: 'csv' }, 'InvalidJob', /csv/],
      [{ operation: 'insert', object: 'Account', concurrencyMode: 'Fast' }, 'InvalidJob', /Fast/],
    ];
    for (const [fields, code, message] of cases) {
      const r = await bulk.post('/job', jobXml(fields));
      assert.equal(r.status, 400, JSON.stringify(fields));
      assert.equal(xmlText(r.body, 'exceptionCode'), code, JSON.stringify(fields));
      if (typeof message === 'string') assert.equal(xmlText(r.body, 'exceptionMessage'), message);
      else assert.match(xmlText(r.body, 'exceptionMessage')!, message);
    }
  });

  it('rejects malformed XML with InvalidXml and malformed JSON with ClientInputError, in the request format', async () => {
    const xml = await bulk.post('/job', '<jobInfo xmlns="x"><operation>insert</operation>');
    assert.equal(xml.status, 400);
    assert.equal(xmlText(xml.body, 'exceptionCode'), 'InvalidXml');
    const json = await bulk.post('/job', '{"operation": insert}', 'application/json');
    assert.equal(json.status, 400);
    assert.equal(json.headers.get('content-type'), 'application/json');
    assert.equal(JSON.parse(json.body).exceptionCode, 'ClientInputError');
    assert.deepEqual(Object.keys(JSON.parse(json.body)), ['exceptionCode', 'exceptionMessage']);
  });

  it('answers unknown jobs, versions, paths and methods with the error document', async () => {
    const unknown = await bulk.get('/job/750000000000000AAA');
    assert.equal(unknown.status, 400);
    assertGolden('error-invalid-job.xml', unknown.body);
    const v = await http(`${server.url}/services/async/20.0/job/750000000000000AAA`, {
      headers: { 'X-SFDC-Session': TEST_TOKEN },
    });
    assert.equal(xmlText(v.body, 'exceptionCode'), 'InvalidVersion');
    const path = await bulk.get('/jobs');
    assert.equal(xmlText(path.body, 'exceptionMessage'), "Failed to parse URL. Was expecting 'job' but found:jobs");
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await http(bulk.url('/job/750000000000000AAA'), { method, headers: { 'X-SFDC-Session': TEST_TOKEN } });
      assert.equal(r.status, 405, method);
    }
    for (const bad of ['/job/%zz/batch', `/job/${'a'.repeat(300)}`]) {
      const r = await bulk.get(bad);
      assert.equal(r.status, 400, bad);
      assert.equal(xmlText(r.body, 'exceptionCode'), 'InvalidUrl', bad);
    }
  });

  it('tolerates doubled and trailing slashes', async () => {
    const id = await csvJob();
    const r = await http(`${server.url}//services/async/62.0/job/${id}/batch/`, {
      headers: { 'X-SFDC-Session': TEST_TOKEN },
    });
    assert.equal(r.status, 200);
    assertGolden('batchInfoList-empty.xml', r.body);
  });

  it('accepts Authorization: Bearer and rejects unknown tokens with InvalidSessionId in the job format', async () => {
    const id = await csvJob();
    const bearer = await http(bulk.url(`/job/${id}`), { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    assert.equal(bearer.status, 200);
    const bad = await http(bulk.url(`/job/${id}`), { headers: { 'x-sfdc-session': 'nope' } });
    assert.equal(bad.status, 400);
    assert.equal(xmlText(bad.body, 'exceptionCode'), 'InvalidSessionId');
    assert.equal(xmlText(bad.body, 'exceptionMessage'), 'Invalid session id');
    const jsonJob = JSON.parse(
      (
        await bulk.post(
          '/job',
          JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'JSON' }),
          'application/json',
        )
      ).body,
    ).id;
    const badJson = await http(bulk.url(`/job/${jsonJob}/batch`), { headers: {} });
    assert.equal(badJson.status, 400);
    assert.deepEqual(JSON.parse(badJson.body), {
      exceptionCode: 'InvalidSessionId',
      exceptionMessage: 'Invalid session id',
    });
  });
});

describe('adding batches', () => {
  it('refuses an empty batch, a batch on a closed job and an unknown batch id', async () => {
    const id = await csvJob();
    const empty = await bulk.post(`/job/${id}/batch`, '', 'text/csv');
    assert.equal(empty.status, 400);
    assert.equal(xmlText(empty.body, 'exceptionCode'), 'ClientInputError');
    assert.equal(xmlText(empty.body, 'exceptionMessage'), 'Unable to find any data to create batch');
    const unknownBatch = await bulk.get(`/job/${id}/batch/751000000000000AAA`);
    assert.equal(xmlText(unknownBatch.body, 'exceptionCode'), 'InvalidBatch');
    await bulk.post(`/job/${id}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`);
    const closed = await bulk.post(`/job/${id}/batch`, 'Name\nx\n', 'text/csv');
    assert.equal(xmlText(closed.body, 'exceptionCode'), 'InvalidJobState');
  });

  it('refuses more than 10,000,000 characters', async () => {
    const id = await csvJob();
    const fits = `Name\n${'x'.repeat(9_999_990)}\n`;
    assert.equal((await bulk.post(`/job/${id}/batch`, fits, 'text/csv')).status, 201);
    const big = `Name\n${'x'.repeat(10_000_001)}`;
    const r = await bulk.post(`/job/${id}/batch`, big, 'text/csv');
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.body, 'exceptionMessage'), 'Failed to read request. Exceeded max size limit of 10000000');
  });

  it('reads gzip bodies, plain bodies labelled gzip, and refuses a gzip body that inflates past the limit', async () => {
    const id = await csvJob();
    const gz = await http(bulk.url(`/job/${id}/batch`), {
      method: 'POST',
      headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip' },
      body: new Uint8Array(gzipSync('Name\nZipped\n')),
    });
    assert.equal(gz.status, 201);
    const plain = await http(bulk.url(`/job/${id}/batch`), {
      method: 'POST',
      headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip' },
      body: 'Name\nPlain\n',
    });
    assert.equal(plain.status, 201);
    const bomb = gzipSync(Buffer.alloc(60_000_000, 'a')); // ~60 KB on the wire
    const r = await http(bulk.url(`/job/${id}/batch`), {
      method: 'POST',
      headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip' },
      body: new Uint8Array(bomb),
    });
    assert.equal(r.status, 400);
    assert.equal(xmlText(r.body, 'exceptionCode'), 'ClientInputError');
    assert.equal(xmlText(r.body, 'exceptionMessage'), 'Failed to read request. Exceeded max size limit of 10000000');
    // The limit is in characters, counted as the body inflates: one character past it is refused, while 12 MB of
    // two-byte characters (6,000,000 characters) is within it.
    const over = await http(bulk.url(`/job/${id}/batch`), {
      method: 'POST',
      headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip' },
      body: new Uint8Array(gzipSync(`Name\n${'b'.repeat(10_000_000 - 5)}\n`)),
    });
    assert.equal(over.status, 400);
    assert.equal(xmlText(over.body, 'exceptionMessage'), 'Failed to read request. Exceeded max size limit of 10000000');
    const wide = await http(bulk.url(`/job/${id}/batch`), {
      method: 'POST',
      headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip' },
      body: new Uint8Array(gzipSync(`Name\n${'é'.repeat(6_000_000)}\n`)),
    });
    assert.equal(wide.status, 201, wide.body);
    const requestBody = await bulk.get(`/job/${id}/batch/${xmlText(gz.body, 'id')}/request`);
    assert.equal(requestBody.body, 'Name\nZipped\n');
    assert.equal(requestBody.headers.get('content-type'), 'text/csv');
  });

  it('accepts a chunked body without Content-Length', async () => {
    const id = await csvJob();
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        bulk.url(`/job/${id}/batch`),
        {
          method: 'POST',
          headers: { 'X-SFDC-SESSION': TEST_TOKEN, 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () =>
            res.statusCode === 201 ? resolve(text) : reject(new Error(`${res.statusCode} ${text}`)),
          );
        },
      );
      req.write('Name\n');
      req.write('Chunked One\nChunked Two\n');
      req.end();
    });
    const batchId = xmlText(body, 'id')!;
    const info = await bulk.waitForBatch(id, batchId);
    assert.equal(xmlText(info, 'numberRecordsProcessed'), '2');
  });
});

describe('processing', () => {
  it('inserts CSV records into the typed Account table and reports results in input order', async () => {
    const id = await csvJob();
    const csv =
      'Name,NumberOfEmployees,AnnualRevenue,Industry,Description\r\n"Acme, Inc.",120,1000000,Technology,"Line one\nline two"\r\nNo Employees,,,,\r\n';
    const { info, results } = await runCsv(id, csv);
    assert.equal(xmlText(info, 'state'), 'Completed');
    const lines = results.trimEnd().split('\n');
    assert.equal(lines[0], '"Id","Success","Created","Error"');
    assert.equal(lines.length, 3);
    const ids = lines.slice(1).map((l) => /^"(001[0-9A-Za-z]{15})","true","true",""$/.exec(l)?.[1]);
    assert.ok(ids.every(Boolean), results);
    const row = await dbGet(
      server,
      `SELECT "Name", "NumberOfEmployees", ${storageClassSql(server, 'NumberOfEmployees')} AS t, "AnnualRevenue", "Description", "IsDeleted", "OwnerId", "CreatedById" FROM "Account" WHERE "Id" = ?`,
      [ids[0]],
    );
    assert.deepEqual(row, {
      Name: 'Acme, Inc.',
      NumberOfEmployees: 120,
      t: 'integer',
      AnnualRevenue: 1000000,
      Description: 'Line one\nline two',
      IsDeleted: 0,
      OwnerId: server.org.userId,
      CreatedById: server.org.userId,
    });
    const job = await bulk.get(`/job/${id}`);
    assert.equal(xmlText(job.body, 'numberBatchesCompleted'), '1');
    assert.equal(xmlText(job.body, 'numberBatchesTotal'), '1');
    assert.equal(xmlText(job.body, 'numberRecordsProcessed'), '2');
  });

  it('reports record-level errors with Salesforce codes and texts', async () => {
    const id = await csvJob();
    const csv = [
      'Name,NumberOfEmployees,ParentId,Website,AnnualRevenue',
      `${'x'.repeat(256)},,,,`,
      'Bad Int,12.5,,,',
      'Bad Parent,,003Lf0000000001,,',
      'Missing Parent,,001000000000000,,',
      'Bad Number,,,,12abc',
      ',,,,',
    ].join('\n');
    const { info, results } = await runCsv(id, csv);
    assert.equal(xmlText(info, 'numberRecordsFailed'), '6');
    assert.equal(
      results,
      [
        '"Id","Success","Created","Error"',
        `"","false","false","STRING_TOO_LONG:Account Name: data value too large: ${'x'.repeat(256)} (max length=255):Name --"`,
        '"","false","false","INVALID_TYPE_ON_FIELD_IN_RECORD:Employees: value not of required type: 12.5:NumberOfEmployees --"',
        '"","false","false","MALFORMED_ID:Parent Account ID: id value of incorrect type: 003Lf0000000001:ParentId --"',
        '"","false","false","INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:ParentId --"',
        '"","false","false","INVALID_TYPE_ON_FIELD_IN_RECORD:Annual Revenue: value not of required type: 12abc:AnnualRevenue --"',
        '"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"',
        '',
      ].join('\n'),
    );
  });

  it('updates by Id: empty cells leave fields alone, #N/A sets null, duplicates and unknown ids fail', async () => {
    const ins = await csvJob();
    const { results } = await runCsv(ins, 'Name,Phone,Site\nOne,111,Here\nTwo,222,There\n');
    const [a, b] = results
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0].replace(/"/g, ''));
    const upd = await bulk.createJob({ operation: 'update', object: 'Account', contentType: 'CSV' });
    const out = await runCsv(
      upd,
      `Id,Name,Phone,Site\n${a},One Renamed,,#N/A\n${a.slice(0, 15)},Again,,\n${b.toLowerCase()},Bad Case,,\n,No Id,,\n001000000000000AAA,Unknown,,\n`,
    );
    assert.equal(
      out.results,
      [
        '"Id","Success","Created","Error"',
        `"${a}","true","false",""`,
        // A failed row that names an existing record reports its id (API 53.0 and later).
        `"${a}","false","false","DUPLICATE_VALUE:Duplicate id specified: ${a}:--"`,
        `"","false","false","MALFORMED_ID:Account ID: id value of incorrect type: ${b.toLowerCase()}:Id --"`,
        '"","false","false","MISSING_ARGUMENT:Id not specified in an update call:--"',
        '"","false","false","INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--"',
        '',
      ].join('\n'),
    );
    const row = await dbGet(server, 'SELECT "Name", "Phone", "Site" FROM "Account" WHERE "Id" = ?', [a]);
    assert.deepEqual(row, { Name: 'One Renamed', Phone: '111', Site: null });
  });

  it('fails the whole batch for an unknown column, bad CSV and more than 10,000 records', async () => {
    const id = await csvJob();
    const cases: [string, string][] = [
      ['Name,Bogus__c\nx,y\n', 'InvalidBatch : Field name not found : Bogus__c'],
      ['Name\n"unterminated\n', 'InvalidBatch : EOF reached before closing an opened quote'],
      [
        `Name\n${'r\n'.repeat(10_001)}`,
        'InvalidBatch : Exceeded number of records: 10002. Number of records should be less than or equal to 10001',
      ],
    ];
    for (const [csv, message] of cases) {
      const batchId = await bulk.addBatch(id, csv);
      const info = await bulk.waitForBatch(id, batchId);
      assert.equal(xmlText(info, 'state'), 'Failed');
      assert.equal(xmlText(info, 'stateMessage'), message);
      const results = await bulk.get(`/job/${id}/batch/${batchId}/result`);
      assert.equal(xmlText(results.body, 'exceptionCode'), 'InvalidBatch');
    }
    const failed = await bulk.get(`/job/${id}/batch`);
    assert.match(
      failed.body,
      /<state>Failed<\/state>\n {2}<stateMessage>InvalidBatch : Field name not found : Bogus__c<\/stateMessage>\n {2}<createdDate>/,
    );
    const job = await bulk.get(`/job/${id}`);
    assert.equal(xmlText(job.body, 'numberBatchesFailed'), '3');
  });

  it('runs XML jobs: sObjects in, results XML out', async () => {
    const id = await bulk.createJob({ operation: 'insert', object: 'Contact', contentType: 'XML' });
    const body =
      `<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      '<sObject><lastname>Jones</lastname><FirstName>Tom</FirstName><Birthdate>1940-06-07Z</Birthdate><Email xsi:nil="true"/></sObject>' +
      '<sObject><FirstName>NoLast</FirstName></sObject></sObjects>';
    const batchId = await bulk.addBatch(id, body, 'application/xml');
    await bulk.waitForBatch(id, batchId);
    const r = await bulk.get(`/job/${id}/batch/${batchId}/result`);
    assert.equal(r.headers.get('content-type'), 'application/xml');
    const newId = xmlText(r.body, 'id')!;
    assert.match(newId, /^003/);
    assertGolden('results-insert.xml', placeholders(r.body, { recordId: newId }));
    assert.deepEqual(await dbGet(server, 'SELECT "Name", "Birthdate" FROM "Contact" WHERE "Id" = ?', [newId]), {
      Name: 'Tom Jones',
      Birthdate: '1940-06-07',
    });
  });

  it('runs JSON jobs: JSON batch info, list and results', async () => {
    const created = await bulk.post(
      '/job',
      JSON.stringify({ operation: 'insert', object: 'Lead', contentType: 'JSON' }),
      'application/json',
    );
    const id = JSON.parse(created.body).id as string;
    const add = await http(bulk.url(`/job/${id}/batch`), {
      method: 'POST',
      headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'application/json' },
      body: JSON.stringify([
        { LastName: 'Lee', Company: 'Acme', NumberOfEmployees: 5, IsUnreadByOwner: false },
        { LastName: 'NoCompany' },
      ]),
    });
    assert.equal(add.status, 201);
    assert.equal(add.headers.get('content-type'), 'application/json');
    const batch = JSON.parse(add.body);
    assert.deepEqual(Object.keys(batch), [
      'apexProcessingTime',
      'apiActiveProcessingTime',
      'createdDate',
      'id',
      'jobId',
      'numberRecordsFailed',
      'numberRecordsProcessed',
      'state',
      'systemModstamp',
      'totalProcessingTime',
    ]);
    for (let i = 0; i < 200; i++) {
      const list = JSON.parse((await bulk.get(`/job/${id}/batch`)).body);
      if (list.batchInfo[0].state === 'Completed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const results = await bulk.get(`/job/${id}/batch/${batch.id}/result`);
    assert.equal(results.headers.get('content-type'), 'application/json');
    const parsed = JSON.parse(results.body);
    assertGolden('results-insert.json', placeholders(results.body, { recordId: parsed[0].id }));
  });

  it('writes a batchInfo, DML results CSV, a JSON batch list and a JSON error byte for byte', async () => {
    // Processing times vary run to run; every other byte is fixed.
    const times = (text: string) =>
      text
        .replace(/(<(?:total|apiActive|apex)ProcessingTime>)\d+</g, '$1{{ms}}<')
        .replace(/("(?:total|apiActive|apex)ProcessingTime":)\d+/g, '$1{{ms}}');
    const id = await csvJob();
    const { batchId, info, results } = await runCsv(
      id,
      'Name,NumberOfEmployees\n"Golden, Inc.",12\nNo Employees,many\n',
    );
    assertGolden('batchInfo-completed.xml', times(placeholders(info, { jobId: id, batchId })));
    const newId = /^"(001\w{15})"/m.exec(results)?.[1];
    assert.ok(newId, results);
    const csv = await bulk.get(`/job/${id}/batch/${batchId}/result`);
    assert.equal(csv.headers.get('content-type'), 'text/csv');
    assertGolden('results-insert.csv', placeholders(csv.body, { recordId: newId }));

    const created = await bulk.post(
      '/job',
      JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'JSON' }),
      'application/json',
    );
    const jsonJob = JSON.parse(created.body).id as string;
    const add = await http(bulk.url(`/job/${jsonJob}/batch`), {
      method: 'POST',
      headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'application/json' },
      body: JSON.stringify([{ Name: 'Json Golden' }]),
    });
    const jsonBatch = JSON.parse(add.body).id as string;
    let list = '';
    for (let i = 0; i < 200 && !list.includes('"Completed"'); i++) {
      if (i) await new Promise((r) => setTimeout(r, 50));
      list = (await bulk.get(`/job/${jsonJob}/batch`)).body;
    }
    assertGolden('batchInfoList-completed.json', times(placeholders(list, { jobId: jsonJob, batchId: jsonBatch })));
    const missing = await bulk.get(`/job/${jsonJob}/batch/751Lf00000000ZZAAA`);
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get('content-type'), 'application/json');
    assertGolden('error-invalid-batch.json', missing.body);
  });

  it('fills in the processing times: per batch, and on the job as their sum', async () => {
    const id = await csvJob();
    const rows = (n: number, tag: string) =>
      `Name,Description\n${Array.from({ length: n }, (_, i) => `${tag} ${i},${'x'.repeat(200)}`).join('\n')}\n`;
    const infos = [];
    for (const [n, tag] of [
      [3000, 'Timed A'],
      [2000, 'Timed B'],
    ] as const)
      infos.push((await runCsv(id, rows(n, tag))).info);
    const times = infos.map((info) => ({
      total: Number(xmlText(info, 'totalProcessingTime')),
      active: Number(xmlText(info, 'apiActiveProcessingTime')),
      apex: Number(xmlText(info, 'apexProcessingTime')),
    }));
    for (const t of times) {
      assert.ok(t.total > 0, `a batch of thousands of rows takes time: ${JSON.stringify(t)}`);
      assert.equal(t.active, t.total, 'no Apex runs here: all of it is API-active time');
      assert.equal(t.apex, 0);
    }
    const job = (await bulk.get(`/job/${id}`)).body;
    assert.equal(Number(xmlText(job, 'totalProcessingTime')), times[0].total + times[1].total);
    assert.equal(Number(xmlText(job, 'apiActiveProcessingTime')), times[0].active + times[1].active);
    assert.equal(xmlText(job, 'apexProcessingTime'), '0');
  });

  it('keeps the derived Contact Name in step with FirstName and LastName, in a Serial job', async () => {
    const ins = await bulk.createJob({
      operation: 'insert',
      object: 'Contact',
      contentType: 'CSV',
      concurrencyMode: 'Serial',
    });
    const { results } = await runCsv(ins, 'FirstName,LastName\nAda,Byron\n');
    const id = results.split('\n')[1].split(',')[0].replace(/"/g, '');
    const upd = await bulk.createJob({
      operation: 'update',
      object: 'Contact',
      contentType: 'CSV',
      concurrencyMode: 'Serial',
    });
    const out = await runCsv(upd, `Id,LastName\n${id},Lovelace\n`);
    assert.match(out.results, /"true","false",""/);
    assert.deepEqual(await dbGet(server, 'SELECT "Name", "LastModifiedById" FROM "Contact" WHERE "Id" = ?', [id]), {
      Name: 'Ada Lovelace',
      LastModifiedById: server.org.userId,
    });
  });

  it('stores textarea line breaks as Sforce-Line-Ending asks', async () => {
    const id = await bulk.createJob(
      { operation: 'insert', object: 'Account', contentType: 'CSV' },
      { 'Sforce-Line-Ending': 'CRLF' },
    );
    const { results } = await runCsv(id, 'Name,Description\nCRLF,"a\nb"\n');
    const recordId = results.split('\n')[1].split(',')[0].replace(/"/g, '');
    assert.deepEqual(await dbGet(server, 'SELECT "Description" FROM "Account" WHERE "Id" = ?', [recordId]), {
      Description: 'a\r\nb',
    });
  });
});
