// PK chunking of Bulk 1.0 query jobs (Bulk API Developer Guide, "PK Chunking", "Walk Through a Bulk Query Sample
// Using PK Chunking"), over real HTTP: a 10,000-row Account table (one 10,000-row CSV insert batch), a query job
// created with `Sforce-Enable-PKChunking: chunkSize=1000` and the batch `SELECT Id, Name FROM Account`. The original
// batch becomes NotProcessed and is listed first, ten chunk batches follow, each Completed with 1,000 rows; each
// chunk's request is the original SOQL plus its Id range; the results hold every id exactly once; the job counters
// leave the original out. Chunking is off with ORDER BY or a filter on an Id field; startRow sets the first chunk's
// lower bound.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { NS, http, jobXml, xmlText } from '../helpers/bulk.js';
import { OrgBulk, csvOf, parseCsvText } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

const N = 10_000;
const SOQL = 'SELECT Id, Name FROM Account';

let server: RunningServer;
let bulk: OrgBulk;
/** The inserted ids, sorted (base-62 order is byte order). */
let ids: string[] = [];
const nameOf = new Map<string, string>();

before(async () => {
  server = await startTestServer();
  bulk = new OrgBulk(server.url, TEST_TOKEN);
  const names = Array.from({ length: N }, (_, i) => `PK ${String(i).padStart(5, '0')}`);
  const inserted = await bulk.insertOk(
    'Account',
    csvOf(
      ['Name'],
      names.map((n) => [n]),
    ),
  );
  assert.equal(inserted.length, N);
  for (const [i, id] of inserted.entries()) nameOf.set(id, names[i]);
  ids = [...inserted].sort();
});
after(async () => server?.close());

interface Batch {
  id: string;
  state: string;
  stateMessage?: string;
  numberRecordsProcessed: number;
  createdDate: string;
}

function batchList(xml: string): Batch[] {
  return [...xml.matchAll(/<batchInfo>([\s\S]*?)<\/batchInfo>/g)].map((m) => ({
    id: xmlText(m[1], 'id')!,
    state: xmlText(m[1], 'state')!,
    stateMessage: xmlText(m[1], 'stateMessage'),
    numberRecordsProcessed: Number(xmlText(m[1], 'numberRecordsProcessed')),
    createdDate: xmlText(m[1], 'createdDate')!,
  }));
}

interface ChunkedRun {
  jobId: string;
  originalId: string;
  batches: Batch[];
}

/** Creates a query job with the PK chunking header, adds one SOQL batch, and waits until every batch is final. */
async function runChunked(soql: string, header: string): Promise<ChunkedRun> {
  const jobId = await bulk.createJob(
    { operation: 'query', object: 'Account', contentType: 'CSV' },
    { 'Sforce-Enable-PKChunking': header },
  );
  const originalId = await bulk.addBatch(jobId, 'CSV', soql);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await bulk.client.get(`/job/${jobId}/batch`);
    assert.equal(r.status, 200, r.body);
    const batches = batchList(r.body);
    if (batches.length && batches.every((b) => b.state !== 'Queued' && b.state !== 'InProgress'))
      return { jobId, originalId, batches };
    if (Date.now() > deadline) throw new Error(`batches still running: ${JSON.stringify(batches.map((b) => b.state))}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Every CSV row of every result file of a batch; each file must start with the header. */
async function resultRows(jobId: string, batchId: string, header: string[]): Promise<string[][]> {
  const list = await bulk.client.get(`/job/${jobId}/batch/${batchId}/result`);
  assert.equal(list.status, 200, list.body);
  const resultIds = [...list.body.matchAll(/<result>([^<]+)<\/result>/g)].map((m) => m[1]);
  assert.ok(resultIds.length >= 1, list.body);
  const rows: string[][] = [];
  for (const id of resultIds) {
    const r = await bulk.client.get(`/job/${jobId}/batch/${batchId}/result/${id}`);
    assert.equal(r.status, 200, r.body);
    if (r.body === 'Records not found for this query') continue;
    const parsed = parseCsvText(r.body);
    assert.deepEqual(parsed[0], header);
    rows.push(...parsed.slice(1));
  }
  return rows;
}

async function close(jobId: string): Promise<string> {
  const r = await bulk.client.post(`/job/${jobId}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`);
  assert.equal(r.status, 200, r.body);
  return r.body;
}

describe('PK chunking: chunkSize=1000 over 10,000 Accounts', () => {
  let run: ChunkedRun;
  before(async () => {
    run = await runChunked(SOQL, 'chunkSize=1000');
  });

  it('lists the original batch first, NotProcessed, then 10 chunk batches, each Completed with 1,000 rows', () => {
    assert.equal(run.batches.length, 11, JSON.stringify(run.batches.map((b) => b.state)));
    assert.equal(run.batches[0].id, run.originalId);
    assert.equal(run.batches[0].state, 'NotProcessed');
    const chunks = run.batches.slice(1);
    for (const b of chunks) {
      assert.match(b.id, /^751[0-9A-Za-z]{15}$/);
      assert.equal(b.state, 'Completed', b.stateMessage);
      assert.equal(b.numberRecordsProcessed, 1000);
    }
    assert.equal(new Set(run.batches.map((b) => b.id)).size, 11);
  });

  it("answers GET batch/{id} for the original and for each chunk, and the original's request is the SOQL as sent", async () => {
    const original = await bulk.client.get(`/job/${run.jobId}/batch/${run.originalId}`);
    assert.equal(xmlText(original.body, 'state'), 'NotProcessed');
    const request = await bulk.client.get(`/job/${run.jobId}/batch/${run.originalId}/request`);
    assert.equal(request.status, 200);
    assert.equal(request.body, SOQL);
    for (const b of run.batches.slice(1, 3))
      assert.equal(xmlText((await bulk.client.get(`/job/${run.jobId}/batch/${b.id}`)).body, 'state'), 'Completed');
  });

  it("shows each chunk's request as the original SOQL followed by its Id range, ranges in order", async () => {
    const bounds: string[] = [];
    for (const [k, b] of run.batches.slice(1).entries()) {
      const r = await bulk.client.get(`/job/${run.jobId}/batch/${b.id}/request`);
      assert.equal(r.status, 200, r.body);
      assert.ok(r.body.startsWith(SOQL), r.body);
      const m = /^ WHERE Id >= '?([0-9A-Za-z]{15,18})'?(?: AND Id < '?([0-9A-Za-z]{15,18})'?)?$/.exec(
        r.body.slice(SOQL.length),
      );
      assert.ok(m, `chunk ${k}: ${r.body}`);
      // The lower bound is the first id of the chunk; the upper bound (when present) the next chunk's first id.
      assert.equal(m[1], ids[k * 1000].slice(0, m[1].length), `chunk ${k} lower bound`);
      if (m[2]) assert.equal(m[2], ids[(k + 1) * 1000].slice(0, m[2].length), `chunk ${k} upper bound`);
      else assert.equal(k, 9, 'only the last chunk is open-ended');
      bounds.push(m[1]);
    }
    assert.deepEqual([...bounds].sort(), bounds);
  });

  it('returns each of the 10,000 ids exactly once across the chunk results, 1,000 per chunk, with their names', async () => {
    const seen: string[] = [];
    for (const b of run.batches.slice(1)) {
      const rows = await resultRows(run.jobId, b.id, ['Id', 'Name']);
      assert.equal(rows.length, 1000);
      for (const [id, name] of rows) assert.equal(name, nameOf.get(id));
      seen.push(...rows.map((r) => r[0]));
    }
    assert.equal(seen.length, N);
    assert.equal(new Set(seen).size, N);
    assert.deepEqual([...seen].sort(), ids);
  });

  it('leaves the original out of the job counters: numberBatchesTotal 10, numberRecordsProcessed 10000', async () => {
    const job = await bulk.client.get(`/job/${run.jobId}`);
    assert.equal(job.status, 200, job.body);
    assert.equal(xmlText(job.body, 'numberBatchesTotal'), '10');
    assert.equal(xmlText(job.body, 'numberBatchesCompleted'), '10');
    assert.equal(xmlText(job.body, 'numberBatchesQueued'), '0');
    assert.equal(xmlText(job.body, 'numberBatchesInProgress'), '0');
    assert.equal(xmlText(job.body, 'numberBatchesFailed'), '0');
    assert.equal(xmlText(job.body, 'numberRecordsProcessed'), '10000');
    const closed = await close(run.jobId);
    assert.equal(xmlText(closed, 'state'), 'Closed');
    assert.equal(xmlText(closed, 'numberBatchesTotal'), '10');
  });
});

describe('PK chunking: other headers and queries', () => {
  it('TRUE: the default chunk size (100,000) gives one chunk batch after the NotProcessed original', async () => {
    const run = await runChunked(SOQL, 'TRUE');
    assert.deepEqual(
      run.batches.map((b) => b.state),
      ['NotProcessed', 'Completed'],
    );
    assert.equal(run.batches[0].id, run.originalId);
    assert.equal(run.batches[1].numberRecordsProcessed, N);
    const rows = await resultRows(run.jobId, run.batches[1].id, ['Id', 'Name']);
    assert.deepEqual(rows.map((r) => r[0]).sort(), ids);
    await close(run.jobId);
  });

  it('keeps a WHERE clause: the range is ANDed to it and only matching rows come back', async () => {
    const soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'PK 00%'";
    const run = await runChunked(soql, 'chunkSize=1000');
    assert.equal(run.batches.length, 11);
    assert.equal(run.batches[0].state, 'NotProcessed');
    const seen: string[] = [];
    for (const b of run.batches.slice(1)) {
      assert.equal(b.state, 'Completed', b.stateMessage);
      const request = (await bulk.client.get(`/job/${run.jobId}/batch/${b.id}/request`)).body;
      assert.ok(request.startsWith(soql), request);
      assert.match(request.slice(soql.length), /^ AND Id >= /);
      seen.push(...(await resultRows(run.jobId, b.id, ['Id', 'Name'])).map((r) => r[1]));
    }
    assert.equal(seen.length, 1000);
    assert.deepEqual(
      [...seen].sort(),
      Array.from({ length: 1000 }, (_, i) => `PK ${String(i).padStart(5, '0')}`),
    );
    await close(run.jobId);
  });

  it('keeps an OR condition whole: every chunk returns only rows matching it', async () => {
    const soql = "SELECT Id, Name FROM Account WHERE Name = 'PK 00001' OR Name = 'PK 09999'";
    const run = await runChunked(soql, 'chunkSize=1000');
    assert.equal(run.batches.length, 11);
    const seen: string[] = [];
    for (const b of run.batches.slice(1)) {
      assert.equal(b.state, 'Completed', b.stateMessage);
      seen.push(...(await resultRows(run.jobId, b.id, ['Id', 'Name'])).map((r) => r[1]));
    }
    assert.deepEqual(seen.sort(), ['PK 00001', 'PK 09999']);
    await close(run.jobId);
  });

  it("keeps an OR condition whole when a string in it reads ' WHERE ' (the clause is found outside literals)", async () => {
    const soql = "SELECT Id, Name FROM Account WHERE Name = 'PK 00002' OR Name = 'x WHERE y'";
    const run = await runChunked(soql, 'chunkSize=5000');
    assert.equal(run.batches.length, 3);
    const seen: string[] = [];
    for (const b of run.batches.slice(1)) {
      assert.equal(b.state, 'Completed', b.stateMessage);
      seen.push(...(await resultRows(run.jobId, b.id, ['Id', 'Name'])).map((r) => r[1]));
    }
    assert.deepEqual(seen, ['PK 00002']);
    await close(run.jobId);
  });

  for (const [why, soql, expected] of [
    ['ORDER BY', 'SELECT Id, Name FROM Account ORDER BY Name DESC', N],
    ['a filter on Id', `SELECT Id, Name FROM Account WHERE Id != null`, N],
    ['a filter on a field with "id" in its name (OwnerId)', 'SELECT Id, Name FROM Account WHERE OwnerId != null', N],
    [
      'a filter on an "id" field through a relationship (Parent.OwnerId)',
      'SELECT Id, Name FROM Account WHERE Parent.OwnerId = null',
      N,
    ],
    ['LIMIT', 'SELECT Id, Name FROM Account LIMIT 1500', 1500],
  ] as const) {
    it(`is off with ${why}: one batch, Completed, all rows`, async () => {
      const run = await runChunked(soql, 'chunkSize=1000');
      assert.equal(run.batches.length, 1, JSON.stringify(run.batches.map((b) => b.state)));
      assert.equal(run.batches[0].id, run.originalId);
      assert.equal(run.batches[0].state, 'Completed', run.batches[0].stateMessage);
      assert.equal(run.batches[0].numberRecordsProcessed, expected);
      const rows = await resultRows(run.jobId, run.originalId, ['Id', 'Name']);
      assert.equal(rows.length, expected);
      if (why === 'ORDER BY')
        assert.deepEqual(
          rows.map((r) => r[1]),
          [...rows.map((r) => r[1])].sort().reverse(),
        );
      const job = await bulk.client.get(`/job/${run.jobId}`);
      assert.equal(xmlText(job.body, 'numberBatchesTotal'), '1');
      await close(run.jobId);
    });
  }

  it('honours startRow (15-character id): the first chunk starts there and earlier ids are not returned', async () => {
    const start = ids[5000];
    const run = await runChunked(SOQL, `chunkSize=1000; startRow=${start.slice(0, 15)}`);
    assert.equal(run.batches[0].state, 'NotProcessed');
    assert.equal(run.batches.length, 6, JSON.stringify(run.batches.map((b) => [b.state, b.numberRecordsProcessed])));
    const first = await bulk.client.get(`/job/${run.jobId}/batch/${run.batches[1].id}/request`);
    const m = /WHERE Id >= '?([0-9A-Za-z]{15,18})'?/.exec(first.body);
    assert.ok(m, first.body);
    assert.equal(m[1], start.slice(0, m[1].length));
    const seen: string[] = [];
    for (const b of run.batches.slice(1)) {
      assert.equal(b.state, 'Completed', b.stateMessage);
      assert.equal(b.numberRecordsProcessed, 1000);
      seen.push(...(await resultRows(run.jobId, b.id, ['Id', 'Name'])).map((r) => r[0]));
    }
    assert.deepEqual(seen.sort(), ids.slice(5000));
    await close(run.jobId);
  });

  it('honours startRow given as an 18-character id', async () => {
    const start = ids[9500];
    const run = await runChunked(SOQL, `chunkSize=1000;startRow=${start}`);
    assert.deepEqual(
      run.batches.map((b) => b.state),
      ['NotProcessed', 'Completed'],
    );
    const rows = await resultRows(run.jobId, run.batches[1].id, ['Id', 'Name']);
    assert.deepEqual(rows.map((r) => r[0]).sort(), ids.slice(9500));
    await close(run.jobId);
  });

  it('refuses a startRow that is not a record id when the job is created', async () => {
    for (const bad of ["001' OR Name != '", '001xx', '001Lf0000000001AAA!']) {
      const refused = await http(`${server.url}/services/async/62.0/job`, {
        method: 'POST',
        headers: {
          'X-SFDC-Session': TEST_TOKEN,
          'Content-Type': 'application/xml',
          'Sforce-Enable-PKChunking': `chunkSize=1000; startRow=${bad}`,
        },
        body: jobXml({ operation: 'query', object: 'Account', contentType: 'CSV' }),
      });
      assert.equal(refused.status, 400, bad);
      assert.equal(xmlText(refused.body, 'exceptionCode'), 'InvalidJob');
      assert.equal(
        xmlText(refused.body, 'exceptionMessage'),
        `Invalid startRow ${bad}: it must be a 15- or 18-character record id`,
      );
    }
  });
});
