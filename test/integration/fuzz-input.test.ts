// Nothing a client sends crashes the server or loses an accepted batch (issue 2). A seeded fuzzer sends a few hundred
// requests to the Bulk API 1.0 surface: job definitions and batch bodies cut short, with bytes flipped, spliced from
// other formats, in the wrong Content-Type, labelled gzip or not, with odd charsets and paths. For every answer:
//   - a status below 500, and an API error (400-class) in Salesforce's error document;
//   - the server still answers its health check.
// At the end every batch that was answered 201 reaches a final state (Completed, Failed or NotProcessed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { BulkClient, NS, batchList, xmlText } from '../helpers/bulk.js';
import type { RunningServer } from '../../src/server/server.js';
import { prng } from '../helpers/prng.js';

const SEED = Number(process.env.LOCALFORCE_FUZZ_SEED ?? 0x5eed); // another seed: LOCALFORCE_FUZZ_SEED=N
const REQUESTS = 300;

const rnd = prng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const VALID_BODIES: Record<'CSV' | 'XML' | 'JSON', string> = {
  CSV: 'Name,NumberOfEmployees,Description\n"Fuzz, Inc.",12,"line\nbreak"\nPlain,7,\n',
  XML: `<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="${NS}"><sObject><Name>Fuzz XML</Name><NumberOfEmployees>3</NumberOfEmployees></sObject></sObjects>`,
  JSON: '[{"Name":"Fuzz JSON","NumberOfEmployees":4},{"Name":null}]',
};
const JOB_BODIES = [
  `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}"><operation>insert</operation><object>Account</object><contentType>CSV</contentType></jobInfo>`,
  '{"operation":"insert","object":"Account","contentType":"JSON"}',
];
const CONTENT_TYPES = [
  'text/csv',
  'application/xml',
  'application/json',
  'text/csv; charset=UTF-8',
  'application/xml;charset=ISO-8859-1',
  'text/plain',
  'application/octet-stream',
  '',
  'zip/csv',
  'application/json; charset=utf-16',
];
const NASTY = [
  '\u0000',
  '\uFFFF',
  '\uD800',
  '"',
  "'",
  '<',
  '>',
  '&',
  '<![CDATA[',
  ']]>',
  '\r',
  '\n',
  ',',
  ';',
  '{',
  '}',
  '[',
  ']',
  '\\',
  '😀',
  'é',
  '#N/A',
  '\u202E',
  '%00',
  'x'.repeat(300),
];

/** For paths: a lone surrogate cannot be URI-encoded, so it goes as the (invalid UTF-8) bytes it would have been. */
const enc = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

/** A body derived from `base`: cut short, with bytes flipped or removed, spliced with nasty text, or repeated. */
function mutate(base: string): Buffer {
  let text = base;
  const steps = 1 + Math.floor(rnd() * 3);
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(rnd() * (text.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0:
        text = text.slice(0, at);
        break;
      case 1:
        text = text.slice(0, at) + pick(NASTY) + text.slice(at);
        break;
      case 2:
        text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 10));
        break;
      case 3:
        text = text.slice(0, at) + pick(Object.values(VALID_BODIES)).slice(0, 40) + text.slice(at);
        break;
      case 4:
        text = text + text.slice(text.indexOf('\n') + 1);
        break;
      default:
        text = text.replace(/[A-Za-z]/, pick(NASTY));
        break;
    }
  }
  const bytes = Buffer.from(text, 'utf8');
  if (rnd() < 0.1 && bytes.length) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256); // invalid UTF-8
  return bytes;
}

let server: RunningServer;
let bulk: BulkClient;
before(async () => {
  server = await startTestServer();
  bulk = new BulkClient(server.url, TEST_TOKEN);
});
after(async () => server?.close());

describe('fuzzed requests to the Bulk API 1.0 surface', () => {
  it(`answers ${REQUESTS} malformed requests with Salesforce errors, never a 5xx, and processes every accepted batch`, {
    timeout: 180_000,
  }, async () => {
    const jobs: { id: string; format: 'CSV' | 'XML' | 'JSON' }[] = [];
    for (const format of ['CSV', 'XML', 'JSON'] as const)
      jobs.push({ id: await bulk.createJob({ operation: 'insert', object: 'Account', contentType: format }), format });
    const accepted: { jobId: string; batchId: string }[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const kind = rnd();
      let path: string;
      let method = 'POST';
      let body: Buffer | undefined;
      const headers: Record<string, string> = { 'X-SFDC-Session': TEST_TOKEN };
      const job = pick(jobs);
      if (kind < 0.15) {
        path = '/job';
        body = mutate(pick(JOB_BODIES));
        headers['Content-Type'] = pick(CONTENT_TYPES);
      } else if (kind < 0.85) {
        path = `/job/${job.id}/batch`;
        body = mutate(rnd() < 0.7 ? VALID_BODIES[job.format] : pick(Object.values(VALID_BODIES)));
        headers['Content-Type'] =
          rnd() < 0.6
            ? { CSV: 'text/csv', XML: 'application/xml', JSON: 'application/json' }[job.format]
            : pick(CONTENT_TYPES);
      } else {
        method = pick(['GET', 'POST', 'PUT', 'DELETE']);
        path = pick([
          `/job/${job.id}/batch/${'751'.padEnd(18, pick(['A', 'z', '0']))}`,
          `/job/${job.id}x`,
          '/job//batch',
          `/job/${job.id}/batch/../../job`,
          `/job/${enc(pick(NASTY))}`,
          `/job/${job.id}/batch?x=${enc(pick(NASTY))}`,
        ]);
        if (method !== 'GET') body = mutate(pick(JOB_BODIES));
      }
      if (body && rnd() < 0.15) {
        headers['Content-Encoding'] = 'gzip';
        if (rnd() < 0.7) body = rnd() < 0.8 ? gzipSync(body) : gzipSync(body).subarray(0, Math.floor(rnd() * 30));
      }
      if (rnd() < 0.05) delete headers['X-SFDC-Session'];
      const r = await fetch(bulk.url(path), {
        method,
        headers,
        body: body && method !== 'GET' ? new Uint8Array(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await r.text();
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const what = `request ${i}: ${method} ${path} (${headers['Content-Type'] ?? 'no type'}${headers['Content-Encoding'] ? ', gzip' : ''}) → ${r.status} ${text.slice(0, 300)}`;
      assert.ok(r.status < 500, what);
      if (r.status >= 400) {
        const code = (r.headers.get('content-type') ?? '').includes('json')
          ? (JSON.parse(text) as { exceptionCode?: string }).exceptionCode
          : xmlText(text, 'exceptionCode');
        assert.ok(code, `an error document: ${what}`);
      }
      if (r.status === 201 && path.endsWith('/batch')) {
        const batchId = (r.headers.get('content-type') ?? '').includes('json')
          ? (JSON.parse(text) as { id: string }).id
          : xmlText(text, 'id')!;
        accepted.push({ jobId: job.id, batchId });
      }
      if (i % 50 === 49)
        assert.equal((await fetch(`${server.url}/_localforce/health`)).status, 200, `healthy after request ${i}`);
    }
    assert.ok(accepted.length > 10, `some batches were accepted (${accepted.length})`);
    assert.ok(
      [...statuses.keys()].some((s) => s === 400),
      'some were refused',
    );

    // Every accepted batch ends.
    const deadline = Date.now() + 90_000;
    for (const { id, format } of jobs) {
      for (;;) {
        // A JSON job lists its batches in JSON; the others in XML.
        const list =
          format === 'JSON'
            ? (JSON.parse((await bulk.get(`/job/${id}/batch`)).body) as { batchInfo: { id: string; state: string }[] })
                .batchInfo
            : await batchList(bulk, id);
        const open = list.filter((b) => b.state === 'Queued' || b.state === 'InProgress');
        if (!open.length) {
          const ids = new Set(list.map((b) => b.id));
          for (const a of accepted.filter((x) => x.jobId === id))
            assert.ok(ids.has(a.batchId), `accepted batch ${a.batchId} is listed`);
          break;
        }
        assert.ok(Date.now() < deadline, `batches still open: ${JSON.stringify(open)}`);
        await new Promise((res) => setTimeout(res, 200));
      }
    }
  });
});
