// A minimal Bulk API 1.0 client over node:http (keep-alive), for setting up jobs, ingesting batches and timing
// them. The measured poll load goes through bench/load-worker.ts instead.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sleep } from './stats.js';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export const NS = 'http://www.force.com/2009/06/asyncapi/dataload';

export function xmlText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

export interface BatchStatus {
  state: string;
  stateMessage?: string;
  processed: number;
  failed: number;
  totalProcessingTime: number;
}

export class BulkClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly base: URL;
  constructor(base: string, readonly token: string, readonly version = '62.0') {
    this.base = new URL(base);
  }

  path(p: string): string {
    return `/services/async/${this.version}${p}`;
  }

  request(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Response> {
    return new Promise((resolve, reject) => {
      const h: Record<string, string | number> = { 'X-SFDC-Session': this.token, ...headers };
      if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
      const req = http.request({ agent: this.agent, host: this.base.hostname, port: this.base.port, method, path, headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async createJob(object = 'Account', operation = 'insert', contentType = 'CSV'): Promise<string> {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}"><operation>${operation}</operation><object>${object}</object><contentType>${contentType}</contentType></jobInfo>`;
    const r = await this.request('POST', this.path('/job'), { 'Content-Type': 'application/xml; charset=UTF-8' }, xml);
    if (r.status !== 201) throw new Error(`create job: ${r.status} ${r.body}`);
    return xmlText(r.body.toString(), 'id')!;
  }

  /** Posts a CSV batch; resolves when the 201 has arrived, with the time it arrived (performance.now()). */
  async addBatch(jobId: string, csv: Buffer | string): Promise<{ batchId: string; at: number }> {
    const r = await this.request('POST', this.path(`/job/${jobId}/batch`), { 'Content-Type': 'text/csv; charset=UTF-8' }, csv);
    const at = performance.now();
    if (r.status !== 201) throw new Error(`add batch: ${r.status} ${r.body.toString().slice(0, 500)}`);
    return { batchId: xmlText(r.body.toString(), 'id')!, at };
  }

  async batchStatus(jobId: string, batchId: string): Promise<BatchStatus> {
    const r = await this.request('GET', this.path(`/job/${jobId}/batch/${batchId}`));
    if (r.status !== 200) throw new Error(`batch status: ${r.status} ${r.body}`);
    const xml = r.body.toString();
    return {
      state: xmlText(xml, 'state') ?? '?',
      stateMessage: xmlText(xml, 'stateMessage'),
      processed: Number(xmlText(xml, 'numberRecordsProcessed')),
      failed: Number(xmlText(xml, 'numberRecordsFailed')),
      totalProcessingTime: Number(xmlText(xml, 'totalProcessingTime')),
    };
  }

  /** Polls every `intervalMs` until the batch is Completed or Failed; resolves with the time the final state was seen. */
  async waitForBatch(jobId: string, batchId: string, intervalMs: number, timeoutMs = 120_000): Promise<BatchStatus & { at: number }> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const s = await this.batchStatus(jobId, batchId);
      if (s.state === 'Completed' || s.state === 'Failed' || s.state === 'NotProcessed') return { ...s, at: performance.now() };
      if (performance.now() > deadline) throw new Error(`batch ${batchId} still ${s.state} after ${timeoutMs} ms`);
      await sleep(intervalMs);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
