// newman 6.2.2 (the Postman CLI) runs test/clients/postman/localforce-bulk.postman_collection.json — the Salesforce
// Platform APIs collection's SOAP/OAuth logins and Bulk API 1.0 requests (forcedotcom/postman-salesforce-apis, the
// 2021 snapshot) — against the real server. The collection's own pm.test assertions must all pass, and every request
// must answer with the status Salesforce uses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../helpers/server.js';
import { BulkClient, xmlText } from '../helpers/bulk.js';

// newman is CommonJS without bundled types: load it through require and describe the small part of its API used here.
interface PmHeaderList {
  toObject(excludeDisabled?: boolean, caseSensitive?: boolean, multiValue?: boolean): Record<string, string | string[]>;
}
interface PmResponse {
  code: number;
  headers: PmHeaderList;
  text(): string;
}
interface PmExecution {
  item: { name: string };
  cursor: { ref: string };
  request: { method: string; headers: PmHeaderList; url: { toString(): string } };
  response?: PmResponse;
  requestError?: Error;
  assertions?: { assertion: string; error?: { message: string } }[];
  testScript?: { error: Error }[];
}
interface PmFailure {
  error: { name?: string; message: string; test?: string };
  source?: { name?: string };
  at?: string;
}
interface PmSummary {
  run: { failures: PmFailure[]; executions: PmExecution[]; error?: Error | null };
  environment: { values: { toObject(): Record<string, unknown> } };
}
interface Newman {
  run(options: Record<string, unknown>, callback: (err: Error | null, summary: PmSummary) => void): unknown;
}
const require = createRequire(import.meta.url);
const newman = require('newman') as Newman;

const COLLECTION = fileURLToPath(
  new URL('../../../test/clients/postman/localforce-bulk.postman_collection.json', import.meta.url),
);
const VERSION = '62.0';

/**
 * Request name → the status Salesforce answers with (201 for job and batch create, 200 otherwise: the Bulk API
 * Developer Guide's "HTTP Status Codes" in its older editions, and CumulusCI's recorded responses).
 */
const EXPECTED: [name: string, status: number][] = [
  ['SOAP Login', 200],
  ['OAuth Username Password', 200],
  ['Bulk Create Job', 201],
  ['Bulk Create Batch', 201],
  ['Bulk Close Job', 200],
  ['Bulk Check Batch Status', 200],
  ['Bulk Retrieve Batch Result', 200],
];
const BULK_REQUESTS = EXPECTED.map(([n]) => n).filter((n) => n.startsWith('Bulk '));

/** Every pm.test name in the collection; each must have run at least once. */
const EXPECTED_ASSERTIONS = [
  'SOAP Login: status 200',
  'SOAP Login: text/xml response',
  'SOAP Login: sessionId is a Salesforce-shaped token',
  'SOAP Login: serverUrl points back at the server',
  'SOAP Login: userId and organizationId',
  'OAuth Username Password: status 200',
  'OAuth Username Password: access_token, instance_url and id',
  'OAuth Username Password: the identity URL names the same org and user as SOAP Login',
  'Bulk Create Job: status 201',
  'Bulk Create Job: a JSON request gets a JSON jobInfo back, Content-Type exactly application/json',
  'Bulk Create Job: jobInfo',
  'Bulk Create Batch: status 201',
  'Bulk Create Batch: a CSV batch gets an XML batchInfo, Content-Type exactly application/xml',
  'Bulk Create Batch: batchInfo',
  'Bulk Close Job: status 200',
  'Bulk Close Job: a JSON request gets a JSON jobInfo back, Content-Type exactly application/json',
  'Bulk Close Job: UploadComplete is accepted as Closed',
  'Bulk Check Batch Status: status 200',
  'Bulk Check Batch Status: Content-Type exactly application/xml',
  'Bulk Check Batch Status: gzip-encoded response',
  'Bulk Check Batch Status: batchInfoList.batchInfo',
  'Bulk Check Batch Status: batch Completed',
  'Bulk Retrieve Batch Result: status 200',
  'Bulk Retrieve Batch Result: Content-Type exactly text/csv',
  'Bulk Retrieve Batch Result: "Id","Success","Created","Error" and one quoted row per record',
];

let server: Awaited<ReturnType<typeof startTestServer>>;
let runError: Error | null = null;
let summary: PmSummary;

function runNewman(url: string): Promise<{ err: Error | null; summary: PmSummary }> {
  return new Promise((resolve) => {
    newman.run(
      {
        collection: COLLECTION,
        reporters: [],
        envVar: [
          { key: 'url', value: url },
          { key: 'version', value: VERSION },
          { key: 'username', value: 'admin@localforce.local' },
          { key: 'password', value: 'localforce' },
          { key: 'secretToken', value: '' },
        ],
        timeoutRequest: 20_000,
      },
      (err, s) => resolve({ err, summary: s }),
    );
  });
}

const headersOf = (e: PmExecution) => e.request.headers.toObject(true) as Record<string, string | string[]>;
const describeFailures = (fs: PmFailure[]) =>
  fs
    .map(
      (f) => `${f.source?.name ?? '?'} [${f.at ?? ''}]: ${f.error.test ? `${f.error.test} — ` : ''}${f.error.message}`,
    )
    .join('\n');

before(
  async () => {
    // A short processing delay makes the first status poll see Queued, so the collection's bounded poll loop runs.
    server = await startTestServer({ processingDelayMs: 300 });
    const r = await runNewman(server.url);
    runError = r.err;
    summary = r.summary;
  },
  { timeout: 120_000 },
);

after(async () => {
  await server?.close();
});

test('newman finishes the collection run without a run error', () => {
  assert.equal(runError, null, String(runError?.stack ?? runError));
  assert.ok(summary, 'newman returned no summary');
  assert.ok(!summary.run.error, `run error: ${String(summary.run.error)}`);
});

test('no failed assertion, script error or request error (summary.run.failures is empty)', () => {
  assert.deepEqual(
    summary.run.failures.map((f) => f.error.message),
    [],
    describeFailures(summary.run.failures),
  );
  for (const e of summary.run.executions) {
    assert.equal(e.requestError, undefined, `${e.item.name}: ${String(e.requestError)}`);
    assert.deepEqual(e.testScript ?? [], [], `${e.item.name}: test script error`);
    for (const a of e.assertions ?? [])
      assert.equal(a.error, undefined, `${e.item.name}: ${a.assertion}: ${a.error?.message}`);
  }
});

test('every request ran once, in collection order, with the expected status (the status poll may repeat)', () => {
  const executions = summary.run.executions;
  const names = executions.map((e) => e.item.name);
  const collapsed = names.filter((n, i) => i === 0 || n !== names[i - 1]);
  assert.deepEqual(
    collapsed,
    EXPECTED.map(([n]) => n),
    `executed: ${names.join(', ')}`,
  );
  // Only "Bulk Check Batch Status" may re-run itself (postman.setNextRequest), and the loop is bounded at 40.
  const polls = names.filter((n) => n === 'Bulk Check Batch Status').length;
  assert.ok(polls >= 1 && polls <= 40, `status polls: ${polls}`);
  const expected = new Map(EXPECTED);
  for (const e of executions) {
    assert.ok(e.response, `${e.item.name}: no response`);
    assert.equal(
      e.response.code,
      expected.get(e.item.name),
      `${e.item.name} ${e.request.method} ${e.request.url.toString()}: body ${e.response.text()}`,
    );
  }
});

test('every pm.test in the collection ran', () => {
  const ran = new Set(summary.run.executions.flatMap((e) => (e.assertions ?? []).map((a) => a.assertion)));
  assert.deepEqual(
    [...EXPECTED_ASSERTIONS].filter((a) => !ran.has(a)),
    [],
  );
  assert.deepEqual(
    [...ran].filter((a) => !EXPECTED_ASSERTIONS.includes(a)),
    [],
    'assertions not listed in this test',
  );
});

test('Bulk 1.0 requests carry X-SFDC-Session and the inherited Bearer, both the OAuth token', () => {
  const oauth = summary.run.executions.find((e) => e.item.name === 'OAuth Username Password');
  assert.ok(oauth?.response);
  const token = (JSON.parse(oauth.response.text()) as { access_token: string }).access_token;
  assert.match(token, /^00D\w{12,15}![.\w]+$/);
  for (const e of summary.run.executions.filter((x) => BULK_REQUESTS.includes(x.item.name))) {
    const h = headersOf(e);
    assert.equal(h['x-sfdc-session'], token, `${e.item.name}: X-SFDC-Session`);
    assert.equal(h.authorization, `Bearer ${token}`, `${e.item.name}: Authorization`);
  }
});

test('the seed request (Bulk Check Batch Status) went out as a bodiless GET with the seed headers', () => {
  const env = summary.environment.values.toObject();
  const polls = summary.run.executions.filter((e) => e.item.name === 'Bulk Check Batch Status');
  assert.ok(polls.length >= 1);
  for (const e of polls) {
    const h = headersOf(e);
    assert.equal(e.request.method, 'GET');
    assert.equal(e.request.url.toString(), `${server.url}/services/async/${VERSION}/job/${String(env._jobId)}/batch`);
    assert.equal(h['accept-encoding'], 'gzip');
    assert.equal(h['content-encoding'], 'gzip');
    assert.equal(h['content-length'], undefined, 'a GET without a body');
    assert.equal(e.response?.headers.toObject()['content-encoding'], 'gzip');
  }
  const last = polls[polls.length - 1].response!.text();
  assert.equal(xmlText(last, 'state'), 'Completed');
  assert.equal(xmlText(last, 'id'), env._batchId);
  assert.equal(xmlText(last, 'numberRecordsProcessed'), '2');
});

test('the server agrees with the collection: the job is Closed and both CSV rows were inserted', async () => {
  const env = summary.environment.values.toObject();
  const jobId = String(env._jobId);
  const batchId = String(env._batchId);
  assert.match(jobId, /^750\w{15}$/);
  assert.match(batchId, /^751\w{15}$/);
  const client = new BulkClient(server.url, server.org.token, VERSION);
  const job = await client.get(`/job/${jobId}`);
  assert.equal(job.status, 200);
  assert.equal(job.headers.get('content-type'), 'application/xml');
  assert.equal(xmlText(job.body, 'state'), 'Closed');
  assert.equal(xmlText(job.body, 'contentType'), 'CSV');
  assert.equal(xmlText(job.body, 'numberBatchesCompleted'), '1');
  assert.equal(xmlText(job.body, 'numberRecordsProcessed'), '2');
  assert.equal(xmlText(job.body, 'numberRecordsFailed'), '0');
  const result = await client.get(`/job/${jobId}/batch/${batchId}/result`);
  assert.equal(result.status, 200);
  const rows = result.body.split('\n');
  assert.equal(rows[0], '"Id","Success","Created","Error"');
  assert.equal(rows.length, 4);
  assert.match(rows[1], /^"001\w{15}","true","true",""$/);
  assert.match(rows[2], /^"001\w{15}","true","true",""$/);
});
