// Helpers for the emulated-org tests: the control plane (schema, orgs, users), Bulk 1.0 jobs run to the end in any
// content type with their results parsed, and REST calls. Looks into the database are in db.ts.
import assert from 'node:assert/strict';
import { BulkClient, NS, http, jobXml, xmlText, type RawResponse } from './bulk.js';
import { adminHeaders } from './server.js';
import { parseResultsXml } from '../../src/protocol/bulk1/results.js';
import { parseBatchInfo } from '../../src/protocol/bulk1/batch-info.js';

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface Result {
  id: string;
  success: boolean;
  created: boolean;
  errors: RecordError[];
  /** The CSV error cell as sent (CSV jobs only). */
  raw?: string;
}

export interface BatchRun {
  jobId: string;
  batchId: string;
  state: string;
  stateMessage: string | undefined;
  results: Result[];
  /** The result body as sent. */
  body: string;
}

export type ContentType = 'CSV' | 'XML' | 'JSON';

/** POST /_localforce/orgs/:org/schema with a JSON (object) or YAML (string) body; asserts 200. */
export async function postSchema(
  base: string,
  spec: unknown,
  org = 'default',
): Promise<{
  schemaVersion: number;
  objects: { name: string; keyPrefix: string; custom: boolean; table: string; fields: string[] }[];
}> {
  const body = typeof spec === 'string' ? spec : JSON.stringify(spec);
  const r = await http(`${base}/_localforce/orgs/${org}/schema`, {
    method: 'POST',
    headers: adminHeaders({ 'Content-Type': typeof spec === 'string' ? 'application/yaml' : 'application/json' }),
    body,
  });
  assert.equal(r.status, 200, `schema: ${r.status} ${r.body}`);
  return JSON.parse(r.body);
}

export interface Login {
  orgId: string;
  userId: string;
  username: string;
  token: string;
  instanceUrl: string;
}

export async function createOrg(base: string, name: string, username: string, password: string): Promise<Login> {
  const r = await http(`${base}/_localforce/orgs`, {
    method: 'POST',
    headers: adminHeaders({ 'Content-Type': 'application/json' }),
    body: JSON.stringify({ name, username, password }),
  });
  assert.equal(r.status, 201, `create org: ${r.status} ${r.body}`);
  return JSON.parse(r.body);
}

/** The OAuth 2.0 username-password flow, as jsforce and Postman send it. */
export async function passwordLogin(
  base: string,
  username: string,
  password: string,
): Promise<{ access_token: string; id: string; instance_url: string }> {
  const form = new URLSearchParams({
    grant_type: 'password',
    username,
    password,
    client_id: 'test-client',
    client_secret: 'test-secret',
  });
  const r = await http(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  assert.equal(r.status, 200, `login: ${r.status} ${r.body}`);
  return JSON.parse(r.body);
}

/** GET under /services/data with a bearer token. */
export async function rest(
  base: string,
  token: string | undefined,
  path: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests read REST documents by path; typing them would restate Salesforce's.
): Promise<RawResponse & { json: () => any }> {
  const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  const r = await http(`${base}/services/data${path}`, { headers });
  return { ...r, json: () => JSON.parse(r.body) };
}

/** Parses a CSV document whose cells may be quoted (results files quote every cell). */
export function parseCsvText(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * Splits a CSV result error cell, `CODE:message:field1,field2 --`, into its parts. Tolerates both `:--` and `: --`
 * after an empty field list (the separator itself is checked by a dedicated test).
 */
export function parseCsvError(cell: string): RecordError {
  const code = cell.slice(0, cell.indexOf(':'));
  const rest = cell.slice(code.length + 1).replace(/ ?--$/, '');
  const last = rest.lastIndexOf(':');
  const fieldText = rest.slice(last + 1);
  return { statusCode: code, message: rest.slice(0, last), fields: fieldText ? fieldText.split(',') : [] };
}

function parseResults(contentType: ContentType, body: string): Result[] {
  if (contentType === 'JSON') {
    return (JSON.parse(body) as Result[]).map((r) => ({
      id: r.id ?? '',
      success: r.success,
      created: r.created,
      errors: r.errors,
    }));
  }
  if (contentType === 'XML') {
    return parseResultsXml(body).map((r) => ({ ...r, id: r.id ?? '' }));
  }
  const rows = parseCsvText(body);
  assert.deepEqual(rows[0], ['Id', 'Success', 'Created', 'Error']);
  return rows.slice(1).map(([id, success, created, error]) => ({
    id,
    success: success === 'true',
    created: created === 'true',
    errors: error ? [parseCsvError(error)] : [],
    raw: error,
  }));
}

const MEDIA: Record<ContentType, string> = { CSV: 'text/csv', XML: 'application/xml', JSON: 'application/json' };

export interface JobSpec {
  operation: string;
  object: string;
  contentType?: ContentType;
  externalIdFieldName?: string;
  concurrencyMode?: string;
}

/** A Bulk 1.0 client that runs a job with one batch to the end (any content type) and parses the results. */
export class OrgBulk {
  readonly client: BulkClient;
  constructor(
    readonly base: string,
    readonly token: string,
    readonly version = '62.0',
  ) {
    this.client = new BulkClient(base, token, version);
  }

  async createJob(spec: JobSpec, headers: Record<string, string> = {}): Promise<string> {
    const fields: Record<string, string> = { operation: spec.operation, object: spec.object };
    if (spec.externalIdFieldName) fields.externalIdFieldName = spec.externalIdFieldName;
    if (spec.concurrencyMode) fields.concurrencyMode = spec.concurrencyMode;
    fields.contentType = spec.contentType ?? 'CSV';
    return this.client.createJob(fields, headers);
  }

  /** POST /job and return the raw response (for expected failures). */
  async createJobRaw(fields: Record<string, string>): Promise<RawResponse> {
    return this.client.post('/job', jobXml(fields));
  }

  async waitForBatch(
    jobId: string,
    batchId: string,
    contentType: ContentType,
    timeoutMs = 20_000,
  ): Promise<{ state: string; stateMessage: string | undefined }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.client.get(`/job/${jobId}/batch/${batchId}`);
      let state: string | undefined;
      let stateMessage: string | undefined;
      if (contentType === 'JSON') {
        const doc = JSON.parse(r.body);
        state = doc.state;
        stateMessage = doc.stateMessage;
      } else {
        // The protocol's reader decodes entities once (a regex read here had decoded them twice).
        const info = parseBatchInfo(r.body, 'xml');
        state = info.state;
        stateMessage = info.stateMessage ?? undefined;
      }
      assert.ok(state, `batch info without a state: ${r.status} ${r.body}`);
      if (state !== 'Queued' && state !== 'InProgress') return { state, stateMessage };
      if (Date.now() > deadline) throw new Error(`batch ${batchId} still ${state}`);
      await new Promise((res) => setTimeout(res, 25));
    }
  }

  /** Adds a batch; the batch info comes back in the job's format (JSON for a JSON job). */
  async addBatch(jobId: string, contentType: ContentType, body: string): Promise<string> {
    const r = await this.client.post(`/job/${jobId}/batch`, body, MEDIA[contentType]);
    assert.equal(r.status, 201, `add batch: ${r.status} ${r.body}`);
    const id = contentType === 'JSON' ? (JSON.parse(r.body) as { id: string }).id : xmlText(r.body, 'id');
    assert.ok(id, r.body);
    return id;
  }

  /** Runs one batch in an existing job. */
  async runBatch(jobId: string, contentType: ContentType, body: string): Promise<BatchRun> {
    const batchId = await this.addBatch(jobId, contentType, body);
    const { state, stateMessage } = await this.waitForBatch(jobId, batchId, contentType);
    if (state !== 'Completed') return { jobId, batchId, state, stateMessage, results: [], body: '' };
    const r = await this.client.get(`/job/${jobId}/batch/${batchId}/result`);
    assert.equal(r.status, 200, r.body);
    return { jobId, batchId, state, stateMessage, results: parseResults(contentType, r.body), body: r.body };
  }

  /** Creates a job, runs one batch, closes the job. */
  async run(spec: JobSpec, body: string, headers: Record<string, string> = {}): Promise<BatchRun> {
    const contentType = spec.contentType ?? 'CSV';
    const jobId = await this.createJob(spec, headers);
    const run = await this.runBatch(jobId, contentType, body);
    await this.client.post(`/job/${jobId}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`);
    return run;
  }

  /** Inserts CSV rows that must all succeed; returns their ids in order. */
  async insertOk(object: string, csv: string): Promise<string[]> {
    const run = await this.run({ operation: 'insert', object }, csv);
    assert.equal(run.state, 'Completed', run.stateMessage);
    for (const [i, r] of run.results.entries())
      assert.ok(r.success, `${object} row ${i + 1}: ${JSON.stringify(r.errors)}`);
    return run.results.map((r) => r.id);
  }
}

/** An XML sObjects batch from records (values already escaped where needed). */
export function sObjectsXml(records: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${records.map((r) => `<sObject>${r}</sObject>`).join('')}</sObjects>`;
}

/** Quotes a CSV cell when needed. */
export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvOf(header: string[], rows: string[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}
