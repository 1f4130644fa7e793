// Small raw-HTTP helpers for Bulk 1.0 tests: they send exactly what a client would and return status, headers and body.
export const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

export async function http(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const r = await fetch(url, init);
  return { status: r.status, headers: r.headers, body: await r.text() };
}

export function jobXml(fields: Record<string, string>): string {
  const inner = Object.entries(fields).map(([k, v]) => `<${k}>${v}</${k}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}">${inner}</jobInfo>`;
}

/** The text of the first `<name>` element. */
export function xmlText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

export class BulkClient {
  constructor(readonly base: string, readonly token: string, readonly version = '62.0') {}
  url(path: string): string {
    return `${this.base}/services/async/${this.version}${path}`;
  }
  async createJob(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
    const r = await http(this.url('/job'), { method: 'POST', headers: { 'X-SFDC-Session': this.token, 'Content-Type': 'application/xml; charset=UTF-8', ...headers }, body: jobXml(fields) });
    if (r.status !== 201) throw new Error(`create job: ${r.status} ${r.body}`);
    return xmlText(r.body, 'id')!;
  }
  async addBatch(jobId: string, body: string | Buffer, contentType = 'text/csv'): Promise<string> {
    const r = await http(this.url(`/job/${jobId}/batch`), { method: 'POST', headers: { 'X-SFDC-Session': this.token, 'Content-Type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
    if (r.status !== 201) throw new Error(`add batch: ${r.status} ${r.body}`);
    return xmlText(r.body, 'id')!;
  }
  async get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return http(this.url(path), { headers: { 'X-SFDC-Session': this.token, ...headers } });
  }
  async post(path: string, body: string, contentType = 'application/xml; charset=UTF-8'): Promise<RawResponse> {
    return http(this.url(path), { method: 'POST', headers: { 'X-SFDC-Session': this.token, 'Content-Type': contentType }, body });
  }
  /** Polls GET /job/{id}/batch/{id} until the batch leaves Queued/InProgress. */
  async waitForBatch(jobId: string, batchId: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.get(`/job/${jobId}/batch/${batchId}`);
      const state = xmlText(r.body, 'state');
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
  return [...r.body.matchAll(/<batchInfo>([\s\S]*?)<\/batchInfo>/g)].map((m) => ({
    id: xmlText(m[1], 'id')!,
    state: xmlText(m[1], 'state')!,
    processed: Number(xmlText(m[1], 'numberRecordsProcessed')),
    failed: Number(xmlText(m[1], 'numberRecordsFailed')),
  }));
}

/** A CSV of Accounts named `<prefix><batch>-<row>`, NumberOfEmployees = row. */
export function numberedAccountsCsv(prefix: string, batch: number, rows: number): string {
  const lines = ['Name,NumberOfEmployees'];
  for (let row = 0; row < rows; row++) lines.push(`${prefix}${batch}-${row},${row}`);
  return lines.join('\n') + '\n';
}
