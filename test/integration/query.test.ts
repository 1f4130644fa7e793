// SOQL query jobs over real HTTP on a seeded org (issue 4): a table of statements with the exact rows they must
// return, each run through the Bulk 1.0 query path (job, batch = SOQL, poll, result-list, result files) and through
// REST /query; bad statements with their exact errors on both surfaces; the result formats (CSV quoting and null
// form, XML queryResult and JSON records against golden files, Bulk API Developer Guide, "Use Bulk Query"); zero
// rows; queryAll and deleted records; result files split past maxResultFileBytes; REST paging by 2,000 with
// nextRecordsUrl.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { NS, xmlText } from '../helpers/bulk.js';
import { OrgBulk, csvOf, parseCsvText, rest, type ContentType } from '../helpers/org.js';
import { dbAll, dbGet } from '../helpers/db.js';
import { assertGolden, placeholders } from '../helpers/golden.js';
import type { RunningServer } from '../../src/server/server.js';

const DAY = 86_400_000;
const todayMs = Math.floor(Date.now() / DAY) * DAY;
/** The UTC date `n` days from today, YYYY-MM-DD. */
const day = (n: number) => new Date(todayMs + n * DAY).toISOString().slice(0, 10);
const T = day(0);

const SCHEMA_YAML = `objects:
  - name: Project__c
    label: Project
    fields:
      - { name: Tags__c, type: multipicklist, values: [Red, Green, Blue, Yellow] }
      - { name: Due__c, type: date }
      - { name: Started_At__c, type: datetime }
      - { name: Budget__c, type: number, precision: 10, scale: 2 }
      - { name: Active__c, type: checkbox }
      - { name: Account__c, type: lookup, referenceTo: Account }
`;

const ACCOUNTS = [
  [
    'Name',
    'External_Id__c',
    'Type',
    'Industry',
    'AnnualRevenue',
    'NumberOfEmployees',
    'BillingCity',
    'Description',
    'Rating',
  ],
  ['Acme', 'A1', 'Customer - Direct', 'Technology', '1000000', '50', 'Paris', 'He said "hi", then\nleft', 'Hot'],
  ['Globex', 'A2', 'Prospect', 'Energy', '250000', '10', '', '', 'Warm'],
  ['Initech', 'A3', '', '', '', '200', 'Austin', '', ''],
  ['acme labs', 'A4', 'Customer - Direct', 'Technology', '5000', '', 'Paris', '', 'Cold'],
  ['Umbrella', 'A5', 'Other', 'Healthcare', '750000', '75', 'Raccoon City', '', 'Hot'],
  ["O'Brien & Sons", 'A6', 'Prospect', '', '100', '1', 'Dublin, Ohio', '', ''],
  ['Zeta Deleted', 'A7', '', '', '', '', '', '', ''],
];
const CONTACTS = [
  ['LastName', 'FirstName', 'Email', 'Birthdate', 'Account.External_Id__c'],
  ['Smith', 'Ann', 'ann@acme.test', '1990-01-15', 'A1'],
  ['Jones', 'Bob', '', '', 'A1'],
  ['Brown', 'Cy', 'cy@globex.test', '1985-06-30', 'A2'],
  ['Orphan', '', '', '', ''],
];
const PROJECTS = [
  ['Name', 'Tags__c', 'Due__c', 'Started_At__c', 'Budget__c', 'Active__c', 'Account__r.External_Id__c'],
  ['Apollo', 'Red;Blue', T, `${day(-1)}T10:00:00Z`, '100.5', 'true', 'A1'],
  ['Borealis', 'Green', day(-3), `${day(-3)}T23:30:00Z`, '2000', 'false', 'A2'],
  ['Cygnus', '', day(-10), '', '', 'false', ''],
  ['Draco', 'Red;Green;Yellow', day(2), `${T}T00:00:00Z`, '0', 'true', 'A5'],
  ['Eridanus', 'Blue', '', `${day(-40)}T12:00:00Z`, '-5.25', 'true', 'A1'],
];

let server: RunningServer;
let bulk: OrgBulk;
let adminName: string;
const ids = new Map<string, string>(); // Name -> Id

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localforce-query-'));
  writeFileSync(join(dir, 'org.yaml'), SCHEMA_YAML);
  const seedDir = join(dir, 'seed');
  mkdirSync(seedDir);
  writeFileSync(join(seedDir, 'Account.csv'), csvOf(ACCOUNTS[0], ACCOUNTS.slice(1)));
  writeFileSync(join(seedDir, 'Contact.csv'), csvOf(CONTACTS[0], CONTACTS.slice(1)));
  writeFileSync(join(seedDir, 'Project__c.csv'), csvOf(PROJECTS[0], PROJECTS.slice(1)));
  server = await startTestServer({ schemaFile: join(dir, 'org.yaml'), seedDir });
  bulk = new OrgBulk(server.url, TEST_TOKEN);
  for (const table of ['Account', 'Contact', 'Project__c']) {
    for (const r of await dbAll<{ Id: string; n: string }>(
      server,
      `SELECT "Id", "${table === 'Contact' ? 'LastName' : 'Name'}" AS n FROM "${table}"`,
    ))
      ids.set(r.n, r.Id);
  }
  adminName = (await dbGet<{ Name: string }>(server, 'SELECT "Name" FROM "User" WHERE "Id" = ?', [server.org.userId]))!
    .Name;
  // One deleted record: queryAll shows it, query does not.
  const del = await bulk.run({ operation: 'delete', object: 'Account' }, `Id\n${ids.get('Zeta Deleted')}\n`);
  assert.equal(del.state, 'Completed');
  assert.ok(del.results[0].success, JSON.stringify(del.results));
});
after(async () => server?.close());

interface QueryRun {
  jobId: string;
  batchId: string;
  state: string;
  stateMessage?: string;
  numberRecordsProcessed?: number;
  resultList: string;
  resultIds: string[];
  files: { contentType: string | null; body: string }[];
}

/** A Bulk 1.0 query job with one batch: create, add the SOQL, poll, read the result list and every result file. */
async function bulkQuery(
  s: RunningServer,
  soql: string,
  o: { contentType?: ContentType; operation?: 'query' | 'queryAll'; object?: string } = {},
): Promise<QueryRun> {
  const contentType = o.contentType ?? 'CSV';
  const client = new OrgBulk(s.url, TEST_TOKEN);
  // The job's object, as jsforce takes it: the word after the query's top-level FROM.
  const object = o.object ?? /^SELECT .*? FROM (\w+)/is.exec(soql)?.[1] ?? 'Account';
  const jobId = await client.createJob({ operation: o.operation ?? 'query', object, contentType });
  const batchId = await client.addBatch(jobId, contentType, soql);
  const { state, stateMessage } = await client.waitForBatch(jobId, batchId, contentType);
  const info = await client.client.get(`/job/${jobId}/batch/${batchId}`);
  const processed =
    contentType === 'JSON'
      ? JSON.parse(info.body).numberRecordsProcessed
      : Number(xmlText(info.body, 'numberRecordsProcessed'));
  const run: QueryRun = {
    jobId,
    batchId,
    state,
    stateMessage,
    numberRecordsProcessed: processed,
    resultList: '',
    resultIds: [],
    files: [],
  };
  if (state === 'Completed') {
    const list = await client.client.get(`/job/${jobId}/batch/${batchId}/result`);
    assert.equal(list.status, 200, list.body);
    run.resultList = list.body;
    run.resultIds =
      contentType === 'JSON'
        ? JSON.parse(list.body)
        : [...list.body.matchAll(/<result>([^<]+)<\/result>/g)].map((m) => m[1]);
    for (const id of run.resultIds) {
      const r = await client.client.get(`/job/${jobId}/batch/${batchId}/result/${id}`);
      assert.equal(r.status, 200, r.body);
      run.files.push({ contentType: r.headers.get('content-type'), body: r.body });
    }
  }
  await client.client.post(`/job/${jobId}`, `<jobInfo xmlns="${NS}"><state>Closed</state></jobInfo>`);
  return run;
}

/** Rows of a CSV query result (all files), header checked on every file; [] for `Records not found for this query`. */
function csvRows(run: QueryRun, header: string[]): string[][] {
  const rows: string[][] = [];
  for (const f of run.files) {
    assert.equal(f.contentType, 'text/csv');
    if (f.body === 'Records not found for this query') continue;
    const parsed = parseCsvText(f.body);
    assert.deepEqual(parsed[0], header, 'every result file starts with the header as written');
    rows.push(...parsed.slice(1));
  }
  return rows;
}

/** A REST record's value at a dotted path, keys matched case-insensitively, in the CSV text form. */
function restValue(record: Record<string, unknown>, path: string): string {
  let node: unknown = record;
  for (const part of path.split('.')) {
    if (node === null || node === undefined) return '';
    const obj = node as Record<string, unknown>;
    const key = Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
    assert.ok(key, `no ${part} in ${JSON.stringify(obj)}`);
    node = obj[key];
  }
  if (node === null || node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\+0000$/, 'Z');
  return String(node);
}

async function restQuery(s: RunningServer, soql: string, resource: 'query' | 'queryAll' = 'query') {
  return rest(s.url, TEST_TOKEN, `/v62.0/${resource}?q=${encodeURIComponent(soql)}`);
}

const headerOf = (soql: string) =>
  soql
    .slice(soql.indexOf(' ') + 1, soql.search(/ FROM /i))
    .split(',')
    .map((x) => x.trim());

interface Case {
  soql: string;
  rows: string[][] | (() => string[][]);
  /** The order is part of the expectation (ORDER BY). */
  ordered?: boolean;
}

const sortRows = (rows: string[][]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const names = (...n: string[]) => n.map((x) => [x]);

const CASES: Case[] = [
  // = (case-insensitive) and !=, with nulls matching != (SOQL and SOSL Reference, "Comparison Operators"; the nulls
  // are docs/compatibility.md's decision)
  { soql: "SELECT Name FROM Account WHERE Industry = 'technology'", rows: names('Acme', 'acme labs') },
  {
    soql: "SELECT Name FROM Account WHERE Industry != 'Technology'",
    rows: names('Globex', 'Initech', 'Umbrella', "O'Brien & Sons"),
  },
  { soql: "SELECT Name FROM Account WHERE Name = 'O\\'Brien & Sons'", rows: names("O'Brien & Sons") },
  // < > <= >= on numbers
  {
    soql: 'SELECT Name, NumberOfEmployees FROM Account WHERE NumberOfEmployees < 50',
    rows: [
      ['Globex', '10'],
      ["O'Brien & Sons", '1'],
    ],
  },
  { soql: 'SELECT Name FROM Account WHERE AnnualRevenue > 250000', rows: names('Acme', 'Umbrella') },
  {
    soql: 'SELECT Name FROM Account WHERE AnnualRevenue >= 250000 AND AnnualRevenue <= 750000',
    rows: names('Globex', 'Umbrella'),
  },
  { soql: 'SELECT Name, Budget__c FROM Project__c WHERE Budget__c < 0', rows: [['Eridanus', '-5.25']] },
  { soql: 'SELECT Name FROM Project__c WHERE Budget__c = 0', rows: names('Draco') },
  // LIKE
  { soql: "SELECT Name FROM Account WHERE Name LIKE 'acme%'", rows: names('Acme', 'acme labs') },
  { soql: "SELECT Name FROM Account WHERE Name LIKE '_lobex'", rows: names('Globex') },
  { soql: "SELECT Name FROM Account WHERE Name LIKE '%\\'%'", rows: names("O'Brien & Sons") },
  { soql: "SELECT Name FROM Account WHERE BillingCity LIKE '%, %'", rows: names("O'Brien & Sons") },
  // IN / NOT IN
  { soql: "SELECT Name FROM Account WHERE Rating IN ('Hot', 'cold')", rows: names('Acme', 'acme labs', 'Umbrella') },
  {
    soql: "SELECT Name FROM Account WHERE Rating NOT IN ('Hot')",
    rows: names('Globex', 'Initech', 'acme labs', "O'Brien & Sons"),
  },
  // semi-join and anti-join
  { soql: 'SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)', rows: names('Acme', 'Globex') },
  {
    soql: "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email LIKE '%globex%')",
    rows: names('Globex'),
  },
  {
    soql: 'SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)',
    rows: names('Initech', 'acme labs', 'Umbrella', "O'Brien & Sons"),
  },
  {
    soql: "SELECT Name FROM Project__c WHERE Account__c IN (SELECT Id FROM Account WHERE Rating = 'Hot')",
    rows: names('Apollo', 'Draco', 'Eridanus'),
  },
  // INCLUDES / EXCLUDES
  { soql: "SELECT Name FROM Project__c WHERE Tags__c INCLUDES ('Red')", rows: names('Apollo', 'Draco') },
  { soql: "SELECT Name FROM Project__c WHERE Tags__c INCLUDES ('Red;Green')", rows: names('Draco') },
  {
    soql: "SELECT Name FROM Project__c WHERE Tags__c INCLUDES ('blue;red', 'Green')",
    rows: names('Apollo', 'Borealis', 'Draco'),
  },
  { soql: "SELECT Name FROM Project__c WHERE Tags__c EXCLUDES ('Red')", rows: names('Borealis', 'Cygnus', 'Eridanus') },
  {
    soql: "SELECT Name FROM Project__c WHERE Tags__c EXCLUDES ('Red;Blue', 'Yellow')",
    rows: names('Borealis', 'Cygnus', 'Eridanus'),
  },
  // null
  { soql: 'SELECT Name FROM Account WHERE Industry = null', rows: names('Initech', "O'Brien & Sons") },
  {
    soql: 'SELECT Name FROM Account WHERE BillingCity != null',
    rows: names('Acme', 'Initech', 'acme labs', 'Umbrella', "O'Brien & Sons"),
  },
  { soql: 'SELECT Name FROM Project__c WHERE Account__r.Name = null', rows: names('Cygnus') },
  // AND / OR / NOT
  {
    soql: "SELECT Name FROM Account WHERE (Industry = 'Technology' OR Industry = 'Energy') AND NOT Name LIKE 'acme%'",
    rows: names('Globex'),
  },
  { soql: "SELECT Name FROM Account WHERE NOT (Rating = 'Hot' OR Rating = null)", rows: names('Globex', 'acme labs') },
  {
    soql: "SELECT Name FROM Account WHERE Industry = 'Energy' OR (Rating = 'Hot' AND NumberOfEmployees > 60)",
    rows: names('Globex', 'Umbrella'),
  },
  // booleans
  { soql: 'SELECT Name FROM Project__c WHERE Active__c = true', rows: names('Apollo', 'Draco', 'Eridanus') },
  { soql: 'SELECT Name FROM Project__c WHERE Active__c = FALSE', rows: names('Borealis', 'Cygnus') },
  // dates and datetimes: literals and the date literals (UTC)
  { soql: `SELECT Name FROM Project__c WHERE Due__c >= ${T}`, rows: names('Apollo', 'Draco') },
  { soql: `SELECT Name FROM Project__c WHERE Started_At__c > ${day(-1)}T10:00:00Z`, rows: names('Draco') },
  {
    soql: `SELECT Name FROM Project__c WHERE Started_At__c >= ${day(-1)}T12:00:00+02:00`,
    rows: names('Apollo', 'Draco'),
  },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c = TODAY', rows: names('Apollo') },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c < TODAY', rows: names('Borealis', 'Cygnus') },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c > TODAY', rows: names('Draco') },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c = YESTERDAY', rows: [] },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c = LAST_N_DAYS:3', rows: names('Apollo', 'Borealis') },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c = LAST_N_DAYS:2', rows: names('Apollo') },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c = NEXT_N_DAYS:2', rows: names('Draco') },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c = N_DAYS_AGO:10', rows: names('Cygnus') },
  { soql: 'SELECT Name FROM Project__c WHERE Due__c = LAST_90_DAYS', rows: names('Apollo', 'Borealis', 'Cygnus') },
  { soql: 'SELECT Name FROM Project__c WHERE Started_At__c = YESTERDAY', rows: names('Apollo') },
  { soql: 'SELECT Name FROM Project__c WHERE Started_At__c = TODAY', rows: names('Draco') },
  {
    soql: 'SELECT Name FROM Project__c WHERE Started_At__c = LAST_N_DAYS:3',
    rows: names('Apollo', 'Borealis', 'Draco'),
  },
  { soql: 'SELECT Name FROM Project__c WHERE Started_At__c < LAST_N_DAYS:30', rows: names('Eridanus') },
  {
    soql: 'SELECT Name FROM Account WHERE CreatedDate = TODAY AND LastModifiedDate = LAST_N_DAYS:1',
    rows: names('Acme', 'Globex', 'Initech', 'acme labs', 'Umbrella', "O'Brien & Sons"),
  },
  // ORDER BY … ASC/DESC NULLS FIRST/LAST, LIMIT
  {
    soql: 'SELECT Name, NumberOfEmployees FROM Account ORDER BY NumberOfEmployees',
    ordered: true,
    rows: [
      ['acme labs', ''],
      ["O'Brien & Sons", '1'],
      ['Globex', '10'],
      ['Acme', '50'],
      ['Umbrella', '75'],
      ['Initech', '200'],
    ],
  },
  {
    soql: 'SELECT Name, NumberOfEmployees FROM Account ORDER BY NumberOfEmployees ASC NULLS LAST',
    ordered: true,
    rows: [
      ["O'Brien & Sons", '1'],
      ['Globex', '10'],
      ['Acme', '50'],
      ['Umbrella', '75'],
      ['Initech', '200'],
      ['acme labs', ''],
    ],
  },
  {
    soql: 'SELECT Name, NumberOfEmployees FROM Account ORDER BY NumberOfEmployees DESC',
    ordered: true,
    rows: [
      ['Initech', '200'],
      ['Umbrella', '75'],
      ['Acme', '50'],
      ['Globex', '10'],
      ["O'Brien & Sons", '1'],
      ['acme labs', ''],
    ],
  },
  {
    soql: 'SELECT Name, NumberOfEmployees FROM Account ORDER BY NumberOfEmployees DESC NULLS FIRST',
    ordered: true,
    rows: [
      ['acme labs', ''],
      ['Initech', '200'],
      ['Umbrella', '75'],
      ['Acme', '50'],
      ['Globex', '10'],
      ["O'Brien & Sons", '1'],
    ],
  },
  {
    soql: 'SELECT Name FROM Account ORDER BY Name',
    ordered: true,
    rows: names('Acme', 'acme labs', 'Globex', 'Initech', "O'Brien & Sons", 'Umbrella'),
  },
  {
    soql: 'SELECT Name, Rating FROM Account ORDER BY Rating, Name DESC',
    ordered: true,
    rows: [
      ["O'Brien & Sons", ''],
      ['Initech', ''],
      ['acme labs', 'Cold'],
      ['Umbrella', 'Hot'],
      ['Acme', 'Hot'],
      ['Globex', 'Warm'],
    ],
  },
  {
    soql: 'SELECT Name FROM Account ORDER BY Name DESC LIMIT 2',
    ordered: true,
    rows: names('Umbrella', "O'Brien & Sons"),
  },
  {
    soql: "SELECT Name FROM Account WHERE Industry = 'Technology' ORDER BY Name LIMIT 1",
    ordered: true,
    rows: names('Acme'),
  },
  {
    soql: 'SELECT Name FROM Project__c ORDER BY Due__c DESC NULLS LAST LIMIT 3',
    ordered: true,
    rows: names('Draco', 'Apollo', 'Borealis'),
  },
  // parent paths: standard relationships, two hops, custom __r
  {
    soql: 'SELECT LastName, Account.Name, Account.Owner.Name FROM Contact ORDER BY LastName',
    ordered: true,
    rows: () => [
      ['Brown', 'Globex', adminName],
      ['Jones', 'Acme', adminName],
      ['Orphan', '', ''],
      ['Smith', 'Acme', adminName],
    ],
  },
  {
    soql: "SELECT LastName FROM Contact WHERE Account.Industry = 'Technology' AND Account.Owner.Name != null",
    rows: names('Jones', 'Smith'),
  },
  {
    soql: "SELECT Name, Account__r.Name, Account__r.Industry FROM Project__c WHERE Account__r.Industry = 'Technology'",
    rows: [
      ['Apollo', 'Acme', 'Technology'],
      ['Eridanus', 'Acme', 'Technology'],
    ],
  },
  {
    soql: 'SELECT Name, Account__r.Owner.Name FROM Project__c ORDER BY Account__r.Name NULLS LAST, Name',
    ordered: true,
    rows: () => [
      ['Apollo', adminName],
      ['Eridanus', adminName],
      ['Borealis', adminName],
      ['Draco', adminName],
      ['Cygnus', ''],
    ],
  },
  // field values in their text form; the header as written
  {
    soql: "SELECT Name, Tags__c, Due__c, Started_At__c, Budget__c, Active__c FROM Project__c WHERE Name = 'Apollo'",
    rows: [['Apollo', 'Red;Blue', T, `${day(-1)}T10:00:00.000Z`, '100.5', 'true']],
  },
  {
    soql: "SELECT name, ACCOUNT__R.name, account__r.OWNER.name FROM project__c WHERE name = 'apollo'",
    rows: () => [['Apollo', 'Acme', adminName]],
  },
];

describe('query: the SOQL table, through Bulk 1.0 and REST /query', () => {
  for (const c of CASES) {
    it(c.soql, async () => {
      const header = headerOf(c.soql);
      const expected = typeof c.rows === 'function' ? c.rows() : c.rows;
      const norm = (rows: string[][]) => (c.ordered ? rows : sortRows(rows));

      const run = await bulkQuery(server, c.soql);
      assert.equal(run.state, 'Completed', `Bulk: ${run.stateMessage}`);
      assert.equal(run.resultIds.length, 1);
      if (expected.length === 0) assert.equal(run.files[0].body, 'Records not found for this query');
      assert.deepEqual(norm(csvRows(run, header)), norm(expected), 'Bulk CSV rows');
      assert.equal(run.numberRecordsProcessed, expected.length, 'numberRecordsProcessed = rows returned');

      const r = await restQuery(server, c.soql);
      assert.equal(r.status, 200, `REST: ${r.body}`);
      const doc = r.json() as { totalSize: number; done: boolean; records: Record<string, unknown>[] };
      assert.equal(doc.totalSize, expected.length);
      assert.equal(doc.done, true);
      assert.deepEqual(
        norm(doc.records.map((rec) => header.map((h) => restValue(rec, h)))),
        norm(expected),
        'REST rows',
      );
    });
  }
});

interface BadCase {
  soql: string;
  code: string;
  /** The exact message, or a pattern. */
  message: string | RegExp;
  surfaces: ('bulk' | 'rest')[];
}

const NO_SUCH_COLUMN = (soql: string, column: number, name: string, entity: string) =>
  `\n${soql}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\nNo such column '${name}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;

const BAD: BadCase[] = [
  {
    soql: 'SELECT Bacon__c FROM Account LIMIT 2',
    code: 'INVALID_FIELD',
    message: NO_SUCH_COLUMN('SELECT Bacon__c FROM Account LIMIT 2', 8, 'Bacon__c', 'Account'),
    surfaces: ['bulk', 'rest'],
  },
  {
    soql: 'SELECT Name FROM Project__c WHERE Budget = 5',
    code: 'INVALID_FIELD',
    message: NO_SUCH_COLUMN('SELECT Name FROM Project__c WHERE Budget = 5', 35, 'Budget', 'Project__c'),
    surfaces: ['bulk', 'rest'],
  },
  {
    soql: "SELECT Id, Name, AccountNumber FROM AccountOpps WHERE Name like 'okToDelete%'",
    code: 'INVALID_TYPE',
    message:
      "\nSELECT Id, Name, AccountNumber FROM AccountOpps WHERE Name like 'okToDelete%'\n                                    ^\nERROR at Row:1:Column:37\nsObject type 'AccountOpps' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    surfaces: ['bulk', 'rest'],
  },
  {
    soql: "SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b' AND Type = 'c'",
    code: 'MALFORMED_QUERY',
    message:
      "\nSELECT Id FROM Account WHERE Name = 'a' OR Name = 'b' AND Type = 'c'\n                                                      ^\nERROR at Row:1:Column:55\nunexpected token: 'AND'",
    surfaces: ['bulk', 'rest'],
  },
  {
    soql: 'SELECT Id, FROM Account',
    code: 'MALFORMED_QUERY',
    message: "\nSELECT Id, FROM Account\n           ^\nERROR at Row:1:Column:12\nunexpected token: 'FROM'",
    surfaces: ['bulk', 'rest'],
  },
  {
    soql: 'SELECT Id, Acount.Name FROM Contact',
    code: 'INVALID_FIELD',
    message:
      /^\nSELECT Id, Acount\.Name FROM Contact\n {11}\^\nERROR at Row:1:Column:12\nDidn't understand relationship 'Acount' in field path\./,
    surfaces: ['bulk', 'rest'],
  },
  {
    soql: "SELECT Name FROM Account WHERE Name INCLUDES ('a')",
    code: 'INVALID_QUERY_FILTER_OPERATOR',
    message: /^\n.*\n {31}\^\nERROR at Row:1:Column:32\n/,
    surfaces: ['bulk', 'rest'],
  },
  // What Bulk refuses (Bulk API guide, "Use Bulk Query")
  {
    soql: 'SELECT COUNT() FROM Account',
    code: 'FUNCTIONALITY_NOT_ENABLED',
    message: /not supported in Bulk Query$/,
    surfaces: ['bulk'],
  },
  {
    soql: 'SELECT Industry FROM Account GROUP BY Industry',
    code: 'FUNCTIONALITY_NOT_ENABLED',
    message: /^GROUP BY is not supported in Bulk Query$/,
    surfaces: ['bulk'],
  },
  {
    soql: 'SELECT Id FROM Account LIMIT 5 OFFSET 1',
    code: 'FUNCTIONALITY_NOT_ENABLED',
    message: /^OFFSET is not supported in Bulk Query$/,
    surfaces: ['bulk'],
  },
  {
    soql: 'SELECT TYPEOF Owner WHEN User THEN Name END FROM Account',
    code: 'FUNCTIONALITY_NOT_ENABLED',
    message: /not supported in Bulk Query$/,
    surfaces: ['bulk'],
  },
  {
    soql: 'SELECT Id, (SELECT Id FROM Contacts) FROM Account',
    code: 'FUNCTIONALITY_NOT_ENABLED',
    message: /not supported in Bulk Query$/,
    surfaces: ['bulk'],
  },
  {
    soql: 'SELECT FIELDS(ALL) FROM Account LIMIT 200',
    code: 'FUNCTIONALITY_NOT_ENABLED',
    message: /not supported in Bulk Query$/,
    surfaces: ['bulk'],
  },
  // REST only
  {
    soql: 'SELECT Id FROM Account OFFSET 2001',
    code: 'NUMBER_OUTSIDE_VALID_RANGE',
    message: 'Maximum SOQL offset allowed is 2000',
    surfaces: ['rest'],
  },
  // A date literal whose range leaves the calendar: refused like any bad query, not a 500 (Bulk: the batch would
  // stay InProgress until its lease expires and be retried, so it is only checked through REST here).
  {
    soql: 'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:999999999',
    code: 'any',
    message: /./,
    surfaces: ['rest'],
  },
];

describe('query: bad statements and their exact errors', () => {
  for (const b of BAD) {
    it(`${b.surfaces.join(' + ')}: ${b.soql}`, async () => {
      const check = (code: string, message: string, where: string) => {
        if (b.code !== 'any') assert.equal(code, b.code, where);
        if (typeof b.message === 'string') assert.equal(message, b.message, where);
        else assert.match(message, b.message, where);
      };
      let restMessage: { message: string; errorCode: string } | undefined;
      if (b.surfaces.includes('rest')) {
        const r = await restQuery(server, b.soql);
        assert.equal(r.status, 400, `REST: ${r.status} ${r.body}`);
        assert.equal(r.headers.get('content-type'), 'application/json;charset=UTF-8');
        const body = r.json() as { message: string; errorCode: string }[];
        assert.equal(body.length, 1);
        assert.deepEqual(Object.keys(body[0]), ['message', 'errorCode']);
        check(body[0].errorCode, body[0].message, 'REST');
        restMessage = body[0];
      }
      if (b.surfaces.includes('bulk')) {
        // The job is on Account: an unknown object in the SOQL must fail the batch, not the job creation.
        const run = await bulkQuery(server, b.soql, { object: 'Account' });
        assert.equal(run.state, 'Failed');
        const prefix = 'InvalidBatch : Failed to process query: ';
        assert.ok(run.stateMessage?.startsWith(prefix), run.stateMessage);
        const rest = run.stateMessage!.slice(prefix.length);
        const code = rest.slice(0, rest.indexOf(': '));
        check(code, rest.slice(code.length + 2), 'Bulk');
        if (restMessage) assert.equal(run.stateMessage, `${prefix}${restMessage.errorCode}: ${restMessage.message}`);
      }
    });
  }
});

describe('query: result formats (Bulk API Developer Guide, "Use Bulk Query")', () => {
  it('CSV: every value quoted, "" escaping, embedded newlines kept, "" for null and empty, the header as written, LF endings', async () => {
    const soql =
      "SELECT Name, Description, BillingCity, Industry, AnnualRevenue FROM Account WHERE Name IN ('Acme', 'Globex', 'O\\'Brien & Sons') ORDER BY Name";
    const run = await bulkQuery(server, soql);
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.equal(run.files.length, 1);
    assert.equal(run.files[0].contentType, 'text/csv');
    assert.equal(
      run.files[0].body,
      '"Name","Description","BillingCity","Industry","AnnualRevenue"\n' +
        '"Acme","He said ""hi"", then\nleft","Paris","Technology","1000000.0"\n' +
        '"Globex","","","Energy","250000.0"\n' +
        '"O\'Brien & Sons","","Dublin, Ohio","","100.0"\n',
    );
  });

  it('CSV: zero rows is the single line `Records not found for this query`', async () => {
    const run = await bulkQuery(server, "SELECT Id, Name FROM Account WHERE Name = 'nobody'");
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.equal(run.numberRecordsProcessed, 0);
    assert.equal(run.resultIds.length, 1);
    assert.equal(run.files[0].contentType, 'text/csv');
    assert.equal(run.files[0].body, 'Records not found for this query');
  });

  it('the result list: XML result-list of 18-character 752 ids, application/xml', async () => {
    const run = await bulkQuery(server, "SELECT Id FROM Account WHERE Name = 'Acme'");
    assert.equal(run.resultIds.length, 1);
    assert.match(run.resultIds[0], /^752[0-9A-Za-z]{15}$/);
    assertGolden('query-result-list.xml', placeholders(run.resultList, { resultId: run.resultIds[0] }));
    const list = await bulk.client.get(`/job/${run.jobId}/batch/${run.batchId}/result`);
    assert.equal(list.headers.get('content-type'), 'application/xml');
  });

  const RECORDS_SOQL =
    "SELECT Id, Name, Tags__c, Due__c, Started_At__c, Budget__c, Active__c, Account__r.Name, Account__r.Owner.Name FROM Project__c WHERE Name IN ('Apollo', 'Cygnus') ORDER BY Name";
  const values = () => ({
    apolloId: ids.get('Apollo'),
    cygnusId: ids.get('Cygnus'),
    acmeId: ids.get('Acme'),
    userId: server.org.userId,
    today: T,
    tenDaysAgo: day(-10),
  });

  it('XML: queryResult with Id twice, nested relationship sObjects and xsi:nil nulls (golden)', async () => {
    const run = await bulkQuery(server, RECORDS_SOQL, { contentType: 'XML' });
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.equal(run.files.length, 1);
    assert.equal(run.files[0].contentType, 'application/xml');
    const body = run.files[0].body;
    assertGolden('query-records.xml', placeholders(body, values()));
    assert.ok(
      body.startsWith(
        `<?xml version="1.0" encoding="UTF-8"?><queryResult\n   xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n <records xsi:type="sObject">\n  <type>Project__c</type>\n  <Id>${ids.get('Apollo')}</Id>\n  <Id>${ids.get('Apollo')}</Id>\n`,
      ),
    );
    assert.match(
      body,
      /<Account__r xsi:type="sObject">\n {3}<type>Account<\/type>\n {3}<Id>[^<]+<\/Id>\n {3}<Name>Acme<\/Name>\n {3}<Owner xsi:type="sObject">/,
    );
    assert.match(body, /<Tags__c xsi:nil="true"\/>/);
    assert.match(body, /<Account__r xsi:nil="true"\/>/);
  });

  it('XML: zero rows is an empty queryResult in the Bulk XML layout (docs/compatibility.md, golden)', async () => {
    const run = await bulkQuery(server, "SELECT Id FROM Account WHERE Name = 'nobody'", { contentType: 'XML' });
    assertGolden('query-empty.xml', run.files[0].body);
  });

  it('JSON: records with attributes (type, url with the job version), typed values, nested parents (golden)', async () => {
    const run = await bulkQuery(server, RECORDS_SOQL, { contentType: 'JSON' });
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.equal(run.files[0].contentType, 'application/json');
    // Dates and datetimes are epoch milliseconds in Bulk JSON result files (docs/compatibility.md).
    const epochs = {
      startedEpoch: String(Date.parse(`${day(-1)}T10:00:00.000Z`)),
      todayEpoch: String(Date.parse(`${T}T00:00:00.000Z`)),
      tenDaysAgoEpoch: String(Date.parse(`${day(-10)}T00:00:00.000Z`)),
    };
    assertGolden('query-records.json', placeholders(run.files[0].body, { ...values(), ...epochs }));
    const records = JSON.parse(run.files[0].body) as Record<string, unknown>[];
    assert.deepEqual(records[0].attributes, {
      type: 'Project__c',
      url: `/services/data/v62.0/sobjects/Project__c/${ids.get('Apollo')}`,
    });
    assert.equal(records[0].Budget__c, 100.5);
    assert.equal(records[0].Started_At__c, Date.parse(`${day(-1)}T10:00:00.000Z`));
    assert.equal(records[0].Due__c, Date.parse(`${T}T00:00:00.000Z`));
    assert.equal(records[0].Active__c, true);
    assert.equal(records[1].Account__r, null);
    assert.equal(records[1].Tags__c, null);
    const list = await bulk.client.get(`/job/${run.jobId}/batch/${run.batchId}/result`);
    assert.equal(list.headers.get('content-type'), 'application/json');
    assert.deepEqual(JSON.parse(list.body), run.resultIds);
  });

  it('JSON: zero rows is []', async () => {
    const run = await bulkQuery(server, "SELECT Id FROM Account WHERE Name = 'nobody'", { contentType: 'JSON' });
    assert.equal(run.files[0].body, '[]');
  });
});

describe('query: queryAll and deleted records', () => {
  const soql = "SELECT Name, IsDeleted FROM Account WHERE Name LIKE 'Zeta%'";

  it('Bulk query leaves the deleted record out; queryAll returns it with IsDeleted true', async () => {
    const q = await bulkQuery(server, soql);
    assert.equal(q.files[0].body, 'Records not found for this query');
    const all = await bulkQuery(server, soql, { operation: 'queryAll' });
    assert.equal(all.state, 'Completed', all.stateMessage);
    assert.deepEqual(csvRows(all, ['Name', 'IsDeleted']), [['Zeta Deleted', 'true']]);
  });

  it('REST /query leaves it out; /queryAll returns it', async () => {
    const q = (await restQuery(server, soql)).json();
    assert.equal(q.totalSize, 0);
    const all = await restQuery(server, soql, 'queryAll');
    assert.equal(all.status, 200, all.body);
    const doc = all.json();
    assert.equal(doc.totalSize, 1);
    assert.equal(doc.records[0].Name, 'Zeta Deleted');
    assert.equal(doc.records[0].IsDeleted, true);
  });

  it('queryAll can filter on IsDeleted', async () => {
    const all = await bulkQuery(server, 'SELECT Name FROM Account WHERE IsDeleted = true', { operation: 'queryAll' });
    assert.deepEqual(csvRows(all, ['Name']), [['Zeta Deleted']]);
  });
});

const DESCRIPTION = 'has "quotes", commas 東京東京東京東京東京東京東京東京東京東京';

describe('query: big results (maxResultFileBytes 2000) and REST paging', () => {
  let big: RunningServer;
  const N = 4500;
  let inserted: string[] = [];

  before(async () => {
    big = await startTestServer({ maxResultFileBytes: 2000 });
    // Every third row has a description with quotes, commas and three-byte characters: files are split by bytes.
    const rows = Array.from({ length: N }, (_, i) => [
      `Row ${String(i).padStart(4, '0')}`,
      i % 3 === 0 ? DESCRIPTION : '',
    ]);
    inserted = await new OrgBulk(big.url, TEST_TOKEN).insertOk('Account', csvOf(['Name', 'Description'], rows));
    assert.equal(inserted.length, N);
  });
  after(async () => big?.close());

  it('CSV: splits the results into several files, each with the header, no row lost or repeated', async () => {
    const run = await bulkQuery(big, 'SELECT Id, Name, Description FROM Account');
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.equal(run.numberRecordsProcessed, N);
    assert.ok(run.resultIds.length > 1, `${run.resultIds.length} result file(s)`);
    assert.equal(new Set(run.resultIds).size, run.resultIds.length);
    for (const f of run.files) {
      assert.ok(f.body.startsWith('"Id","Name","Description"\n'), f.body.slice(0, 60));
      assert.ok(Buffer.byteLength(f.body) < 2000 + 200, `a file of ${Buffer.byteLength(f.body)} bytes`);
    }
    const rows = csvRows(run, ['Id', 'Name', 'Description']);
    assert.equal(rows.length, N);
    assert.deepEqual(rows.map((r) => r[0]).sort(), [...inserted].sort());
    assert.deepEqual(rows.filter((r) => r[2] !== '').length, N / 3);
    assert.ok(rows.every((r) => r[2] === '' || r[2] === DESCRIPTION));
  });

  it('JSON: every split file is a complete JSON array; together they hold every record once', async () => {
    const run = await bulkQuery(big, 'SELECT Id, Name FROM Account', { contentType: 'JSON' });
    assert.ok(run.resultIds.length > 1);
    const all = run.files.flatMap((f) => JSON.parse(f.body) as { Id: string }[]);
    assert.equal(all.length, N);
    assert.deepEqual(all.map((r) => r.Id).sort(), [...inserted].sort());
  });

  it('REST: 4,500 rows come in pages of 2000, 2000 and 500, then done:true without nextRecordsUrl', async () => {
    const soql = 'SELECT Id, Name FROM Account';
    const seen: string[] = [];
    const sizes: number[] = [];
    let r = await restQuery(big, soql);
    for (let page = 0; ; page++) {
      assert.equal(r.status, 200, r.body);
      const doc = r.json() as { totalSize: number; done: boolean; nextRecordsUrl?: string; records: { Id: string }[] };
      assert.equal(doc.totalSize, N);
      sizes.push(doc.records.length);
      seen.push(...doc.records.map((x) => x.Id));
      if (doc.done) {
        assert.equal(doc.nextRecordsUrl, undefined);
        assert.ok(!('nextRecordsUrl' in doc));
        break;
      }
      assert.match(doc.nextRecordsUrl!, /^\/services\/data\/v62\.0\/query\/[^/?]+$/);
      assert.ok(page < 5);
      r = await rest(big.url, TEST_TOKEN, doc.nextRecordsUrl!.replace('/services/data', ''));
    }
    assert.deepEqual(sizes, [2000, 2000, 500]);
    assert.equal(new Set(seen).size, N);
    assert.deepEqual([...seen].sort(), [...inserted].sort());
  });

  it('REST queryAll pages through /queryAll/', async () => {
    const r = await restQuery(big, 'SELECT Id FROM Account', 'queryAll');
    const doc = r.json();
    assert.equal(doc.done, false);
    assert.match(doc.nextRecordsUrl, /^\/services\/data\/v62\.0\/queryAll\//);
  });

  it('REST: a long query pages through a locator longer than any id; a forged locator is INVALID_QUERY_LOCATOR', async () => {
    const soql = `SELECT Id, Name FROM Account WHERE ${Array.from({ length: 40 }, (_, i) => `Name != 'not this ${i}'`).join(' AND ')}`;
    const first = (await restQuery(big, soql)).json() as { nextRecordsUrl: string; records: unknown[] };
    assert.equal(first.records.length, 2000);
    assert.ok(first.nextRecordsUrl.length > 1000, first.nextRecordsUrl);
    const second = await rest(big.url, TEST_TOKEN, first.nextRecordsUrl.replace('/services/data', ''));
    assert.equal(second.status, 200, second.body);
    assert.equal((second.json() as { records: unknown[] }).records.length, 2000);
    const forged = Buffer.from(JSON.stringify({ q: 'SELECT Id FROM Account', all: false, offset: 1.5 })).toString(
      'base64url',
    );
    const badTotal = Buffer.from(
      JSON.stringify({ q: 'SELECT Id FROM Account', all: false, offset: 2000, total: -1 }),
    ).toString('base64url');
    for (const locator of [forged, badTotal, 'not-base64-json']) {
      const bad = await rest(big.url, TEST_TOKEN, `/v62.0/query/${locator}`);
      assert.equal(bad.status, 400, bad.body);
      assert.equal((bad.json() as { errorCode: string }[])[0].errorCode, 'INVALID_QUERY_LOCATOR');
    }
  });

  it('REST: later pages keep the totalSize counted for the first page (the rows are not counted again)', async () => {
    const first = (await restQuery(big, 'SELECT Id FROM Account')).json() as {
      totalSize: number;
      nextRecordsUrl: string;
    };
    assert.equal(first.totalSize, N);
    const [added] = await new OrgBulk(big.url, TEST_TOKEN).insertOk('Account', 'Name\nAdded Between Pages\n');
    try {
      const second = (await rest(big.url, TEST_TOKEN, first.nextRecordsUrl.replace('/services/data', ''))).json() as {
        totalSize: number;
      };
      assert.equal(second.totalSize, N, 'the total of the first page');
      assert.equal(
        ((await restQuery(big, 'SELECT Id FROM Account')).json() as { totalSize: number }).totalSize,
        N + 1,
        'a new query counts again',
      );
    } finally {
      await new OrgBulk(big.url, TEST_TOKEN).run({ operation: 'hardDelete', object: 'Account' }, `Id\n${added}\n`);
    }
  });
});
