// The seed request (Chilkat's sample of the Postman collection's Bulk 1.0 batch-list request), replayed as its curl
// command shows it:
//
//   curl -X GET -H "Authorization: Bearer <access_token>" -H "X-SFDC-Session: {{_accessToken}}"
//        -H "Accept-Encoding: gzip" -H "Content-Encoding: gzip" https://domain.com/services/async/{{version}}/job/{{_jobId}}/batch
//
// node:http is used (not fetch, which decompresses) so the raw response is visible: status, exact Content-Type,
// Content-Encoding and the gzip bytes. The inflated body is compared byte for byte with a golden file once the dynamic
// values are replaced by placeholders (Bulk API Developer Guide, "Get Information for All Batches in a Job"; the
// layout of real responses as CumulusCI recorded them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer } from '../helpers/server.js';
import { BulkClient, xmlText } from '../helpers/bulk.js';

const execFileAsync = promisify(execFile);
const VERSION = '62.0';
const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

const golden = (name: string) => readFileSync(new URL(`../../../test/golden/${name}`, import.meta.url), 'utf8');

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A bodiless GET with exactly the given headers (node:http adds only Host and Connection). */
function rawGet(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The seed's four headers, in the seed's order. */
const seedHeaders = (bearer: string, session: string): Record<string, string> => ({
  Authorization: `Bearer ${bearer}`,
  'X-SFDC-Session': session,
  'Accept-Encoding': 'gzip',
  'Content-Encoding': 'gzip',
});

/** Checks the transport (gzip) and returns the inflated body. */
function inflate(r: Raw): string {
  assert.equal(r.headers['content-encoding'], 'gzip', 'Accept-Encoding: gzip must give a gzip response');
  assert.ok(r.body.length >= 2 && r.body[0] === 0x1f && r.body[1] === 0x8b, 'the body is gzip data');
  return gunzipSync(r.body).toString('utf8');
}

const XML_DATE = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

/**
 * Replaces the dynamic values with the golden file's placeholders. Each replacement only matches a value of the
 * right shape (known ids, `…SSSZ` dates, integer times), so a wrong value stays in place and the comparison fails.
 */
function normalize(xml: string, ids: { jobId: string; batchId: string }): string {
  let out = xml.split(`<id>${ids.batchId}</id>`).join('<id>{{batchId}}</id>');
  out = out.split(`<jobId>${ids.jobId}</jobId>`).join('<jobId>{{jobId}}</jobId>');
  for (const el of ['createdDate', 'systemModstamp']) {
    out = out.replace(new RegExp(`<${el}>${XML_DATE}</${el}>`, 'g'), `<${el}>{{${el}}}</${el}>`);
  }
  for (const el of ['totalProcessingTime', 'apiActiveProcessingTime', 'apexProcessingTime']) {
    out = out.replace(new RegExp(`<${el}>(0|[1-9]\\d*)</${el}>`, 'g'), `<${el}>{{${el}}}</${el}>`);
  }
  return out;
}

let server: Awaited<ReturnType<typeof startTestServer>>;
let client: BulkClient;
let token: string;

before(async () => {
  server = await startTestServer();
  token = server.org.token;
  client = new BulkClient(server.url, token, VERSION);
});

after(async () => {
  await server?.close();
});

const listUrl = (jobId: string) => `${server.url}/services/async/${VERSION}/job/${jobId}/batch`;

/** A CSV insert job with one one-row batch, processed to completion. */
async function completedCsvJob(name: string): Promise<{ jobId: string; batchId: string; batchXml: string }> {
  const jobId = await client.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
  const batchId = await client.addBatch(jobId, `Name\n${name}\n`, 'text/csv');
  const batchXml = await client.waitForBatch(jobId, batchId);
  assert.equal(xmlText(batchXml, 'state'), 'Completed', batchXml);
  return { jobId, batchId, batchXml };
}

test('seed request: one Completed CSV batch → 200, application/xml, gzip, the golden batchInfoList byte for byte', async () => {
  const { jobId, batchId, batchXml } = await completedCsvJob('Seed Account');
  assert.match(jobId, /^750[0-9A-Za-z]{15}$/);
  assert.match(batchId, /^751[0-9A-Za-z]{15}$/);

  const r = await rawGet(listUrl(jobId), seedHeaders(token, token));
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/xml');
  const xml = inflate(r);
  assert.equal(normalize(xml, { jobId, batchId }), golden('batchInfoList-one-completed.xml'), `actual body:\n${xml}`);

  // The list entry is the same batch GET /job/{id}/batch/{id} shows (same dates and times).
  for (const el of [
    'createdDate',
    'systemModstamp',
    'totalProcessingTime',
    'apiActiveProcessingTime',
    'apexProcessingTime',
  ]) {
    assert.equal(xmlText(xml, el), xmlText(batchXml, el), el);
  }
  assert.ok(xmlText(xml, 'createdDate')! <= xmlText(xml, 'systemModstamp')!, 'createdDate <= systemModstamp');
});

test('seed request: a job with no batches → the self-closing empty batchInfoList, byte for byte', async () => {
  const jobId = await client.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
  const r = await rawGet(listUrl(jobId), seedHeaders(token, token));
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/xml');
  assert.equal(inflate(r), golden('batchInfoList-empty.xml'));
});

test('seed request: two batches are listed in creation order', async () => {
  const jobId = await client.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
  const first = await client.addBatch(jobId, 'Name\nFirst\n', 'text/csv');
  const second = await client.addBatch(jobId, 'Name\nSecond A\nSecond B\n', 'text/csv');
  await client.waitForBatch(jobId, first);
  await client.waitForBatch(jobId, second);
  const r = await rawGet(listUrl(jobId), seedHeaders(token, token));
  assert.equal(r.status, 200);
  const xml = inflate(r);
  const ids = [...xml.matchAll(/<batchInfo>\n {2}<id>([^<]+)<\/id>/g)].map((m) => m[1]);
  assert.deepEqual(ids, [first, second]);
  assert.deepEqual(
    [...xml.matchAll(/<numberRecordsProcessed>(\d+)</g)].map((m) => m[1]),
    ['1', '2'],
  );
  assert.ok(
    xml.endsWith(' </batchInfo>\n</batchInfoList>'),
    'closing tags at the right indentation, no trailing newline',
  );
});

test('seed request on a JSON job → application/json {"batchInfo":[…]} with alphabetical keys', async () => {
  const created = await fetch(`${server.url}/services/async/${VERSION}/job`, {
    method: 'POST',
    headers: { 'X-SFDC-Session': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'JSON' }),
  });
  assert.equal(created.status, 201);
  const jobId = (JSON.parse(await created.text()) as { id: string }).id;
  const added = await fetch(`${server.url}/services/async/${VERSION}/job/${jobId}/batch`, {
    method: 'POST',
    headers: { 'X-SFDC-Session': token, 'Content-Type': 'application/json' },
    body: '[{"Name":"x"}]',
  });
  assert.equal(added.status, 201);
  const batchId = (JSON.parse(await added.text()) as { id: string }).id;
  // Poll the single batch (JSON for a JSON job) until it leaves Queued/InProgress.
  for (let i = 0; ; i++) {
    const b = await client.get(`/job/${jobId}/batch/${batchId}`);
    const state = (JSON.parse(b.body) as { state: string }).state;
    if (state !== 'Queued' && state !== 'InProgress') break;
    assert.ok(i < 600, `batch still ${state}`);
    await new Promise((res) => setTimeout(res, 50));
  }

  const r = await rawGet(listUrl(jobId), seedHeaders(token, token));
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  const text = inflate(r);
  const doc = JSON.parse(text) as { batchInfo: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(doc), ['batchInfo']);
  assert.equal(doc.batchInfo.length, 1);
  const b = doc.batchInfo[0];
  assert.deepEqual(Object.keys(b), [
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
  assert.equal(b.id, batchId);
  assert.equal(b.jobId, jobId);
  assert.equal(b.state, 'Completed');
  assert.equal(b.numberRecordsProcessed, 1);
  assert.equal(b.numberRecordsFailed, 0);
  for (const k of ['apexProcessingTime', 'apiActiveProcessingTime', 'totalProcessingTime']) {
    assert.ok(Number.isInteger(b[k]) && (b[k] as number) >= 0, `${k} is a JSON integer: ${String(b[k])}`);
  }
  assert.match(String(b.createdDate), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  assert.match(String(b.systemModstamp), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  // Compact JSON: the exact text is the keys in this order with no whitespace.
  assert.equal(text, JSON.stringify(doc));
});

test('seed request with a bad token → 400 InvalidSessionId error document (XML, gzip)', async () => {
  const { jobId } = await completedCsvJob('Bad Token Account');
  const expected =
    `<?xml version="1.0" encoding="UTF-8"?><error\n   xmlns="${NS}">\n` +
    ' <exceptionCode>InvalidSessionId</exceptionCode>\n <exceptionMessage>Invalid session id</exceptionMessage>\n</error>';

  const bad = '00DLf0000000001!AQnotAValidSession';
  const r = await rawGet(listUrl(jobId), seedHeaders(bad, bad));
  assert.equal(r.status, 400);
  assert.equal(r.headers['content-type'], 'application/xml');
  assert.equal(inflate(r), expected);

  // Both headers sent: X-SFDC-Session wins (docs/compatibility.md): a bad session with a good Bearer is still refused…
  const r2 = await rawGet(listUrl(jobId), seedHeaders(token, bad));
  assert.equal(r2.status, 400);
  assert.equal(inflate(r2), expected);
  // …and a good session with a bad Bearer is served.
  const r3 = await rawGet(listUrl(jobId), seedHeaders(bad, token));
  assert.equal(r3.status, 200);
  assert.equal(r3.headers['content-type'], 'application/xml');
});

test("the seed's curl command line works (no --compressed: the gzip body is inflated here)", async () => {
  const { jobId, batchId } = await completedCsvJob('Curl Account');
  const dir = mkdtempSync(join(tmpdir(), 'localforce-curl-'));
  try {
    const headerFile = join(dir, 'headers.txt');
    const bodyFile = join(dir, 'body.gz');
    // execFile (async) — never spawnSync: the server runs in this process and must keep answering.
    await execFileAsync('curl', [
      '-sS',
      '-X',
      'GET',
      '-H',
      `Authorization: Bearer ${token}`,
      '-H',
      `X-SFDC-Session: ${token}`,
      '-H',
      'Accept-Encoding: gzip',
      '-H',
      'Content-Encoding: gzip',
      listUrl(jobId),
      '-D',
      headerFile,
      '-o',
      bodyFile,
    ]);
    const head = readFileSync(headerFile, 'latin1').split('\r\n');
    assert.match(head[0], /^HTTP\/1\.1 200 /);
    const headers = new Map(
      head
        .slice(1)
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    assert.equal(headers.get('content-type'), 'application/xml');
    assert.equal(headers.get('content-encoding'), 'gzip');
    const body = readFileSync(bodyFile);
    assert.ok(body[0] === 0x1f && body[1] === 0x8b, 'curl received gzip bytes');
    const xml = gunzipSync(body).toString('utf8');
    assert.equal(normalize(xml, { jobId, batchId }), golden('batchInfoList-one-completed.xml'), `actual body:\n${xml}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
