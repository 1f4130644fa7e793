// Small raw-HTTP helpers for Bulk 1.0 tests: they send exactly what a client would and return status, headers and body.
// Requests are written and responses read by src/protocol, the same code the server uses, so a test reads a
// document the way a lenient client does (element order, namespaces, entities); tests that send malformed documents
// on purpose pass raw strings to http()/post().
import { parseBatchInfo, parseBatchInfoList } from '../../src/protocol/bulk1/batch-info.js';
import type { WireFormat } from '../../src/protocol/bulk1/format.js';
import { parseJobInfo, renderJobRequest } from '../../src/protocol/bulk1/job-info.js';
import { firstElementText } from '../../src/protocol/read.js';
import { DATALOAD_NS } from '../../src/protocol/xml.js';

export const NS = DATALOAD_NS;

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

export async function http(
  url: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const r = await fetch(url, init);
  return { status: r.status, headers: r.headers, body: await r.text() };
}

/** A job request in XML, its fields in the order given. */
export function jobXml(fields: Record<string, string>): string {
  return renderJobRequest(fields, 'xml');
}

/** The text of the first `<name>` element of a document or fragment (entities decoded); undefined when absent. */
export function xmlText(xml: string, name: string): string | undefined {
  return firstElementText(xml, name);
}

/** The format of a Bulk 1.0 answer, from its Content-Type (the server answers in the job's format). */
export function responseFormat(r: RawResponse): WireFormat {
  return (r.headers.get('content-type') ?? '').includes('json') ? 'json' : 'xml';
}

export class BulkClient {
  constructor(
    readonly base: string,
    readonly token: string,
    readonly version = '62.0',
  ) {}
  url(path: string): string {
    return `${this.base}/services/async/${this.version}${path}`;
  }
  async createJob(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
    const r = await http(this.url('/job'), {
      method: 'POST',
      headers: { 'X-SFDC-Session': this.token, 'Content-Type': 'application/xml; charset=UTF-8', ...headers },
      body: jobXml(fields),
    });
    if (r.status !== 201) throw new Error(`create job: ${r.status} ${r.body}`);
    return parseJobInfo(r.body, responseFormat(r)).id;
  }
  async addBatch(jobId: string, body: string | Buffer, contentType = 'text/csv'): Promise<string> {
    const r = await http(this.url(`/job/${jobId}/batch`), {
      method: 'POST',
      headers: { 'X-SFDC-Session': this.token, 'Content-Type': contentType },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    if (r.status !== 201) throw new Error(`add batch: ${r.status} ${r.body}`);
    return parseBatchInfo(r.body, responseFormat(r)).id;
  }
  async get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return http(this.url(path), { headers: { 'X-SFDC-Session': this.token, ...headers } });
  }
  async post(path: string, body: string, contentType = 'application/xml; charset=UTF-8'): Promise<RawResponse> {
    return http(this.url(path), {
      method: 'POST',
      headers: { 'X-SFDC-Session': this.token, 'Content-Type': contentType },
      body,
    });
  }
  /** Polls GET /job/{id}/batch/{id} until the batch leaves Queued/InProgress; returns the last body (an error too). */
  async waitForBatch(jobId: string, batchId: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.get(`/job/${jobId}/batch/${batchId}`);
      if (r.status !== 200) return r.body;
      const state = parseBatchInfo(r.body, responseFormat(r)).state;
      if (state !== 'Queued' && state !== 'InProgress') return r.body;
      if (Date.now() > deadline) throw new Error(`batch ${batchId} still ${state}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
}

export interface BatchListRow {
  id: string;
  state: string;
  processed: number;
  failed: number;
}

/** The batch list of a job, parsed (one <batchInfo> per batch); throws unless the answer is 200. */
export async function batchList(bulk: BulkClient, jobId: string): Promise<BatchListRow[]> {
  const r = await bulk.get(`/job/${jobId}/batch`);
  if (r.status !== 200) throw new Error(`batch list through ${bulk.base}: ${r.status} ${r.body.slice(0, 500)}`);
  return parseBatchInfoList(r.body, responseFormat(r)).map((b) => ({
    id: b.id,
    state: b.state,
    processed: b.numberRecordsProcessed,
    failed: b.numberRecordsFailed,
  }));
}

/** A CSV of Accounts named `<prefix><batch>-<row>`, NumberOfEmployees = row. */
export function numberedAccountsCsv(prefix: string, batch: number, rows: number): string {
  const lines = ['Name,NumberOfEmployees'];
  for (let row = 0; row < rows; row++) lines.push(`${prefix}${batch}-${row},${row}`);
  return `${lines.join('\n')}\n`;
}
