// How values read back on every surface, as the org writes them (issue 13, docs/compatibility.md): datetimes to the
// second (milliseconds a client sends are dropped, never rounded; audit fields likewise), Bulk 1.0 CSV and XML query
// results printing double, currency and percent fields as Java's Double.toString does while int fields stay plain,
// Bulk 1.0 JSON query results writing dates and datetimes as epoch milliseconds, REST JSON as text and numbers.
// Real server, real HTTP, either backend; jsforce reads the CSV strings as they arrive.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import jsforce from 'jsforce';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { NS } from '../helpers/bulk.js';
import { OrgBulk, postSchema, rest, type ContentType } from '../helpers/org.js';
import { dbAll, dbCount } from '../helpers/db.js';
import type { RunningServer } from '../../src/server/server.js';

const SCHEMA = `objects:
  - name: Reading__c
    label: Reading
    fields:
      - { name: Taken_At__c, type: datetime }
      - { name: Day__c, type: date }
      - { name: Value__c, type: number, precision: 18, scale: 4 }
      - { name: Price__c, type: currency, precision: 18, scale: 2 }
      - { name: Share__c, type: percent, precision: 9, scale: 6 }
      - { name: Count__c, type: integer, precision: 18 }
`;

// R1 and R2 carry milliseconds (R2 with an offset), R3 the last millisecond of a year: all are stored and read back
// at the whole second before them.
const CSV = [
  'Name,Taken_At__c,Day__c,Value__c,Price__c,Share__c,Count__c',
  'R1,2024-01-02T03:04:05.678Z,2024-01-02,90000000,5000,0.001,90000000',
  'R2,2024-01-02T05:04:05.999+02:00,1960-02-29,99213206,16147805824397,0.0001,7',
  'R3,2024-12-31T23:59:59.999Z,,-1234.5,0.5,,',
  '',
].join('\n');

const SOQL =
  'SELECT Name, Taken_At__c, Day__c, Value__c, Price__c, Share__c, Count__c, CreatedDate FROM Reading__c ORDER BY Name';
const SECOND = '2024-01-02T03:04:05.000Z';
const YEAR_END = '2024-12-31T23:59:59.000Z';

let server: RunningServer;
let bulk: OrgBulk;

before(async () => {
  server = await startTestServer();
  await postSchema(server.url, SCHEMA);
  bulk = new OrgBulk(server.url, TEST_TOKEN);
  await bulk.insertOk('Reading__c', CSV);
});
after(async () => server?.close());

/** Runs a Bulk 1.0 query job to the end and returns its one result file. */
async function bulkQuery(contentType: ContentType, soql = SOQL): Promise<string> {
  const jobId = await bulk.createJob({ operation: 'query', object: 'Reading__c', contentType });
  const batchId = await bulk.addBatch(jobId, contentType, soql);
  const { state, stateMessage } = await bulk.waitForBatch(jobId, batchId, contentType);
  assert.equal(state, 'Completed', stateMessage);
  const list = await bulk.client.get(`/job/${jobId}/batch/${batchId}/result`);
  const ids: string[] =
    contentType === 'JSON'
      ? JSON.parse(list.body)
      : [...list.body.matchAll(/<result>([^<]+)<\/result>/g)].map((m) => m[1]);
  assert.equal(ids.length, 1, list.body);
  const file = await bulk.client.get(`/job/${jobId}/batch/${batchId}/result/${ids[0]}`);
  assert.equal(file.status, 200, file.body);
  await bulk.client.post(`/job/${jobId}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`);
  return file.body;
}

/** The stored audit timestamps of every Reading__c. */
async function auditStamps(): Promise<string[]> {
  const rows = await dbAll<Record<string, string>>(
    server,
    'SELECT "CreatedDate", "LastModifiedDate", "SystemModstamp" FROM "Reading__c"',
  );
  return rows.flatMap((r) => [r.CreatedDate, r.LastModifiedDate, r.SystemModstamp]);
}

describe('datetimes are kept to the second', () => {
  it('stores a client value with milliseconds at the second before it: dropped, not rounded', async () => {
    const rows = await dbAll<{ Name: string; Taken_At__c: string }>(
      server,
      'SELECT "Name", "Taken_At__c" FROM "Reading__c" ORDER BY "Name"',
    );
    assert.deepEqual(
      rows.map((r) => [r.Name, r.Taken_At__c]),
      [
        ['R1', SECOND],
        ['R2', SECOND],
        ['R3', YEAR_END],
      ],
    );
  });

  it('sets CreatedDate, LastModifiedDate and SystemModstamp to whole seconds, on insert and on update', async () => {
    const stamps = await auditStamps();
    assert.equal(stamps.length, 9);
    for (const s of stamps) assert.match(s, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const [id] = (await dbAll<{ Id: string }>(server, `SELECT "Id" FROM "Reading__c" WHERE "Name" = 'R3'`)).map(
      (r) => r.Id,
    );
    const run = await bulk.run({ operation: 'update', object: 'Reading__c' }, `Id,Count__c\n${id},3\n`);
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.ok(run.results[0].success, JSON.stringify(run.results));
    const [updated] = await dbAll<Record<string, string>>(
      server,
      'SELECT "LastModifiedDate", "SystemModstamp" FROM "Reading__c" WHERE "Id" = ?',
      [id],
    );
    assert.match(updated.LastModifiedDate, /\.000Z$/);
    assert.match(updated.SystemModstamp, /\.000Z$/);
  });

  it('the User record localforce creates has its audit fields at whole seconds too', async () => {
    const [user] = await dbAll<Record<string, string>>(
      server,
      'SELECT "CreatedDate", "SystemModstamp" FROM "User" WHERE "Id" = ?',
      [server.org.userId],
    );
    assert.match(user.CreatedDate, /\.000Z$/);
    assert.match(user.SystemModstamp, /\.000Z$/);
  });
});

describe('Bulk 1.0 query results: CSV and XML', () => {
  it('CSV: datetimes `….000Z`, double/currency/percent as Java prints them, int plain', async () => {
    const body = await bulkQuery('CSV');
    const lines = body.trimEnd().split('\n');
    assert.equal(lines[0], '"Name","Taken_At__c","Day__c","Value__c","Price__c","Share__c","Count__c","CreatedDate"');
    const strip = (line: string) => line.replace(/,"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z"$/, '');
    assert.deepEqual(lines.slice(1).map(strip), [
      `"R1","${SECOND}","2024-01-02","9.0E7","5000.0","0.001","90000000"`,
      `"R2","${SECOND}","1960-02-29","9.9213206E7","1.6147805824397E13","1.0E-4","7"`,
      `"R3","${YEAR_END}","","-1234.5","0.5","","3"`,
    ]);
  });

  it('XML: the same text in each element', async () => {
    const body = await bulkQuery('XML');
    const records = body.split('<records xsi:type="sObject">').slice(1);
    assert.equal(records.length, 3);
    const el = (rec: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(rec)?.[1];
    assert.deepEqual(
      records.map((r) =>
        ['Taken_At__c', 'Day__c', 'Value__c', 'Price__c', 'Share__c', 'Count__c'].map((n) => el(r, n)),
      ),
      [
        [SECOND, '2024-01-02', '9.0E7', '5000.0', '0.001', '90000000'],
        [SECOND, '1960-02-29', '9.9213206E7', '1.6147805824397E13', '1.0E-4', '7'],
        [YEAR_END, undefined, '-1234.5', '0.5', undefined, '3'],
      ],
    );
    assert.match(records[2], /<Day__c xsi:nil="true"\/>/);
    for (const r of records) assert.match(el(r, 'CreatedDate') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });
});

describe('Bulk 1.0 query results: JSON (simple-salesforce issue 290, heroku/salesforce-bulk issue 70)', () => {
  it('writes datetimes and dates as epoch milliseconds, numbers as JSON numbers', async () => {
    const records = JSON.parse(await bulkQuery('JSON')) as Record<string, unknown>[];
    assert.deepEqual(
      records.map((r) => [r.Name, r.Taken_At__c, r.Day__c, r.Value__c, r.Price__c, r.Share__c, r.Count__c]),
      [
        ['R1', Date.parse(SECOND), Date.parse('2024-01-02T00:00:00Z'), 90000000, 5000, 0.001, 90000000],
        ['R2', Date.parse(SECOND), Date.parse('1960-02-29T00:00:00Z'), 99213206, 16147805824397, 0.0001, 7],
        ['R3', Date.parse(YEAR_END), null, -1234.5, 0.5, null, 3],
      ],
    );
    assert.equal(records[0].Taken_At__c, 1704164645000);
    for (const r of records) {
      assert.equal(typeof r.CreatedDate, 'number');
      assert.equal((r.CreatedDate as number) % 1000, 0);
    }
  });
});

describe('REST: JSON text dates, JSON numbers', () => {
  const expected = [
    ['R1', '2024-01-02T03:04:05.000+0000', '2024-01-02', 90000000, 5000, 0.001, 90000000],
    ['R2', '2024-01-02T03:04:05.000+0000', '1960-02-29', 99213206, 16147805824397, 0.0001, 7],
    ['R3', '2024-12-31T23:59:59.000+0000', null, -1234.5, 0.5, null, 3],
  ];
  const pick = (r: Record<string, unknown>) => [
    r.Name,
    r.Taken_At__c,
    r.Day__c,
    r.Value__c,
    r.Price__c,
    r.Share__c,
    r.Count__c,
  ];

  it('/query: `….000+0000` datetimes', async () => {
    const r = await rest(server.url, TEST_TOKEN, `/v62.0/query?q=${encodeURIComponent(SOQL)}`);
    assert.equal(r.status, 200, r.body);
    const records = r.json().records as Record<string, unknown>[];
    assert.deepEqual(records.map(pick), expected);
    for (const rec of records) assert.match(String(rec.CreatedDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
  });

  it('record reads: the same values, audit fields at whole seconds', async () => {
    const ids = await dbAll<{ Id: string }>(server, 'SELECT "Id" FROM "Reading__c" ORDER BY "Name"');
    const records = [];
    for (const { Id } of ids) {
      const r = await rest(server.url, TEST_TOKEN, `/v62.0/sobjects/Reading__c/${Id}`);
      assert.equal(r.status, 200, r.body);
      records.push(r.json() as Record<string, unknown>);
    }
    assert.deepEqual(records.map(pick), expected);
    for (const rec of records)
      for (const f of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp'])
        assert.match(String(rec[f]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/, f);
  });
});

describe('jsforce 3.10.16 conn.bulk.query (CSV: jsforce has no JSON query jobs)', () => {
  it('hands back the CSV strings as they arrive: Java doubles, plain ints, `.000Z` datetimes', async () => {
    const conn = new jsforce.Connection({ instanceUrl: server.url, accessToken: TEST_TOKEN, version: '62.0' });
    conn.bulk.pollInterval = 100;
    conn.bulk.pollTimeout = 20_000;
    const stream = await conn.bulk.query(
      'SELECT Name, Taken_At__c, Value__c, Price__c, Share__c, Count__c FROM Reading__c ORDER BY Name',
    );
    const rows: Record<string, unknown>[] = [];
    const ended = once(stream, 'end');
    stream.on('record', (r: Record<string, unknown>) => rows.push(r));
    await ended;
    assert.deepEqual(rows, [
      {
        Name: 'R1',
        Taken_At__c: SECOND,
        Value__c: '9.0E7',
        Price__c: '5000.0',
        Share__c: '0.001',
        Count__c: '90000000',
      },
      {
        Name: 'R2',
        Taken_At__c: SECOND,
        Value__c: '9.9213206E7',
        Price__c: '1.6147805824397E13',
        Share__c: '1.0E-4',
        Count__c: '7',
      },
      { Name: 'R3', Taken_At__c: YEAR_END, Value__c: '-1234.5', Price__c: '0.5', Share__c: '', Count__c: '3' },
    ]);
    // jsforce closes the query job while it reads the results, without waiting: wait for that close to land.
    const open = () =>
      dbCount(server, "SELECT count(*) AS n FROM lf_job WHERE operation = 'query' AND state <> 'Closed'");
    for (let i = 0; i < 100 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await open(), 0);
  });
});
