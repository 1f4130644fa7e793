// A minimal Bulk API 1.0 client over node:http (keep-alive), for setting up jobs, ingesting batches and timing
// them. The measured poll load goes through bench/load-worker.ts instead. Requests are written and answers read by
// src/protocol, the documents the server renders.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseBatchInfo } from '../src/protocol/bulk1/batch-info.js';
import type { WireFormat } from '../src/protocol/bulk1/format.js';
import { parseJobInfo, renderJobRequest } from '../src/protocol/bulk1/job-info.js';
import { parseResultListJson, parseResultListXml } from '../src/protocol/bulk1/results.js';
import { sleep } from './stats.js';

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The format of a Bulk 1.0 answer, from its Content-Type (the server answers in the job's format). */
function formatOf(r: Response): WireFormat {
  return String(r.headers['content-type'] ?? '').includes('json') ? 'json' : 'xml';
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
  constructor(
    base: string,
    readonly token: string,
    readonly version = '62.0',
  ) {
    this.base = new URL(base);
  }

  path(p: string): string {
    return `/services/async/${this.version}${p}`;
  }

  request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: Buffer | string,
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      const h: Record<string, string | number> = { 'X-SFDC-Session': this.token, ...headers };
      if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
      const req = http.request(
        { agent: this.agent, host: this.base.hostname, port: this.base.port, method, path, headers: h },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async createJob(object = 'Account', operation = 'insert', contentType = 'CSV'): Promise<string> {
    const xml = renderJobRequest({ operation, object, contentType }, 'xml');
    const r = await this.request('POST', this.path('/job'), { 'Content-Type': 'application/xml; charset=UTF-8' }, xml);
    if (r.status !== 201) throw new Error(`create job: ${r.status} ${r.body}`);
    return parseJobInfo(r.body.toString(), formatOf(r)).id;
  }

  /** Posts a CSV batch (or a query job's SOQL); resolves when the 201 has arrived, with the time it arrived (performance.now()). */
  async addBatch(jobId: string, csv: Buffer | string): Promise<{ batchId: string; at: number }> {
    const r = await this.request(
      'POST',
      this.path(`/job/${jobId}/batch`),
      { 'Content-Type': 'text/csv; charset=UTF-8' },
      csv,
    );
    const at = performance.now();
    if (r.status !== 201) throw new Error(`add batch: ${r.status} ${r.body.toString().slice(0, 500)}`);
    return { batchId: parseBatchInfo(r.body.toString(), formatOf(r)).id, at };
  }

  async batchStatus(jobId: string, batchId: string): Promise<BatchStatus> {
    const r = await this.request('GET', this.path(`/job/${jobId}/batch/${batchId}`));
    if (r.status !== 200) throw new Error(`batch status: ${r.status} ${r.body}`);
    const info = parseBatchInfo(r.body.toString(), formatOf(r));
    return {
      state: info.state,
      stateMessage: info.stateMessage ?? undefined,
      processed: info.numberRecordsProcessed,
      failed: info.numberRecordsFailed,
      totalProcessingTime: info.totalProcessingTime,
    };
  }

  /** Polls every `intervalMs` until the batch is Completed or Failed; resolves with the time the final state was seen. */
  async waitForBatch(
    jobId: string,
    batchId: string,
    intervalMs: number,
    timeoutMs = 120_000,
  ): Promise<BatchStatus & { at: number }> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const s = await this.batchStatus(jobId, batchId);
      if (s.state === 'Completed' || s.state === 'Failed' || s.state === 'NotProcessed')
        return { ...s, at: performance.now() };
      if (performance.now() > deadline) throw new Error(`batch ${batchId} still ${s.state} after ${timeoutMs} ms`);
      await sleep(intervalMs);
    }
  }

  /** A DML batch's results CSV, as lines after the header. */
  async batchResults(jobId: string, batchId: string): Promise<string[]> {
    const r = await this.request('GET', this.path(`/job/${jobId}/batch/${batchId}/result`));
    if (r.status !== 200) throw new Error(`batch result: ${r.status} ${r.body}`);
    return r.body.toString().split('\n').slice(1).filter(Boolean);
  }

  /** A query batch's result ids (the result list). */
  async resultIds(jobId: string, batchId: string): Promise<string[]> {
    const r = await this.request('GET', this.path(`/job/${jobId}/batch/${batchId}/result`));
    if (r.status !== 200) throw new Error(`result list: ${r.status} ${r.body}`);
    const text = r.body.toString();
    return formatOf(r) === 'json' ? parseResultListJson(text) : parseResultListXml(text);
  }

  /**
   * Streams one query result file and discards it, counting bytes and line feeds (every data row ends in one; the
   * extract's values hold none). Resolves when the last byte has arrived, with that time (performance.now()).
   */
  streamResult(
    jobId: string,
    batchId: string,
    resultId: string,
  ): Promise<{ bytes: number; lines: number; at: number; head: string }> {
    return new Promise((resolve, reject) => {
      const path = this.path(`/job/${jobId}/batch/${batchId}/result/${resultId}`);
      const req = http.request(
        {
          agent: this.agent,
          host: this.base.hostname,
          port: this.base.port,
          method: 'GET',
          path,
          headers: { 'X-SFDC-Session': this.token },
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`result ${resultId}: ${res.statusCode}`));
            return;
          }
          let bytes = 0;
          let lines = 0;
          let head = '';
          res.on('data', (c: Buffer) => {
            if (bytes === 0) head = c.toString('utf8', 0, Math.min(c.length, 200));
            bytes += c.length;
            for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
          });
          res.on('end', () => resolve({ bytes, lines, at: performance.now(), head }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
