// A chunked batch body over the limit (issue 12, item 14): it has no Content-Length to refuse up front, and once
// got a reset connection; it gets the same error document as a declared over-long body.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { OrgBulk } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

/** POSTs `megabytes` MB of CSV with Transfer-Encoding: chunked; the response, or the connection's error code. */
function postChunked(url: URL, megabytes: number): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'X-SFDC-Session': TEST_TOKEN, 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked' },
    });
    req.on('response', (r) => {
      let body = '';
      r.on('data', (d) => (body += d));
      r.on('end', () => resolve({ status: r.statusCode, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code }));
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < megabytes) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('a chunked batch body over the limit', () => {
  it('gets the error document, not a reset connection', async () => {
    const bulk = new OrgBulk(server.url, TEST_TOKEN);
    const jobId = await bulk.createJob({ operation: 'insert', object: 'Account' });
    const r = await postChunked(new URL(`${server.url}/services/async/62.0/job/${jobId}/batch`), 50);
    assert.equal(r.error, undefined, 'the connection was reset');
    assert.equal(r.status, 400);
    assert.match(r.body ?? '', /<exceptionCode>ClientInputError<\/exceptionCode>/);
    assert.match(r.body ?? '', /<exceptionMessage>Failed to read request. Exceeded max size limit of 10000000</);
    const health = await fetch(`${server.url}/_localforce/health`);
    assert.equal(health.status, 200, 'the server serves on');
  });
});
