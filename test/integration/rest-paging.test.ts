// REST query paging on a keyset (engine/rest-query.ts, soql/compile.ts), over real HTTP on the backend under test:
// a 5,000-row result read to the end through nextRecordsUrl gives every row once, in the order the query asks for
// (duplicates and nulls, DESC, NULLS FIRST/LAST, two columns, a relationship column, the SOQL's LIMIT and OFFSET),
// and a record inserted or deleted before the position already read does not shift later pages, as it would under
// OFFSET paging.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { OrgBulk, csvOf, rest } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

const SCHEMA = {
  objects: [
    {
      name: 'Row__c',
      label: 'Row',
      fields: [
        { name: 'Label__c', type: 'string', length: 40, label: 'Label' },
        { name: 'Score__c', type: 'double', precision: 8, scale: 2, label: 'Score' },
        { name: 'Account__c', type: 'reference', referenceTo: 'Account', label: 'Account' },
      ],
    },
  ],
};

const N = 5000;

interface Row {
  id: string;
  label: string | null;
  score: number | null;
  account: string | null;
}

let server: RunningServer;
let bulk: OrgBulk;
let rows: Row[] = [];

/** Labels with duplicates that differ only in case (SOQL sorts text case-insensitively) and nulls. */
const labelOf = (i: number) =>
  i % 7 === 0 ? null : `${i % 2 ? 'l' : 'L'}abel ${String((i * 37) % 60).padStart(2, '0')}`;
const scoreOf = (i: number) => (i % 11 === 0 ? null : ((i * 13) % 97) / 4);

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localforce-paging-'));
  const schemaFile = join(dir, 'org.json');
  writeFileSync(schemaFile, JSON.stringify(SCHEMA, null, 2));
  server = await startTestServer({ schemaFile });
  bulk = new OrgBulk(server.url, TEST_TOKEN);
  const names = Array.from({ length: 30 }, (_, i) => [`${i % 2 ? 'acme' : 'Acme'} ${i % 10}`]);
  const accounts = await bulk.insertOk('Account', csvOf(['Name'], names));
  const accountName = new Map(accounts.map((id, i) => [id, names[i][0]]));
  const spec = Array.from({ length: N }, (_, i) => ({
    label: labelOf(i),
    score: scoreOf(i),
    account: i % 13 === 0 ? null : accounts[i % accounts.length],
  }));
  const csv = csvOf(
    ['Label__c', 'Score__c', 'Account__c'],
    spec.map((r) => [r.label ?? '', r.score === null ? '' : String(r.score), r.account ?? '']),
  );
  const ids = await bulk.insertOk('Row__c', csv);
  rows = spec.map((r, i) => ({
    ...r,
    id: ids[i],
    account: r.account === null ? null : (accountName.get(r.account) ?? null),
  }));
});
after(async () => server?.close());

type Value = string | number | null;
interface Term {
  value: (r: Row) => Value;
  descending?: boolean;
  nullsLast?: boolean;
}

/** The order SOQL gives: each term (text case-insensitively, nulls first unless said), then the Id. */
function expected(terms: Term[], source: Row[] = rows): string[] {
  const fold = (v: Value) => (typeof v === 'string' ? v.toLowerCase() : v);
  const compare = (a: Row, b: Row): number => {
    for (const t of terms) {
      const x = fold(t.value(a));
      const y = fold(t.value(b));
      if (x === y) continue;
      if (x === null || y === null) return (x === null ? -1 : 1) * (t.nullsLast ? -1 : 1);
      return (x < y ? -1 : 1) * (t.descending ? -1 : 1);
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  return [...source].sort(compare).map((r) => r.id);
}

interface Page {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: { Id: string }[];
}

async function firstPage(soql: string): Promise<Page> {
  const r = await rest(server.url, TEST_TOKEN, `/v62.0/query?q=${encodeURIComponent(soql)}`);
  assert.equal(r.status, 200, r.body);
  return r.json();
}

async function nextPage(page: Page): Promise<Page> {
  assert.ok(page.nextRecordsUrl);
  // The locator stays bounded: its query, a few numbers and one short sort key.
  assert.ok(page.nextRecordsUrl.length < 1000, page.nextRecordsUrl);
  const r = await rest(server.url, TEST_TOKEN, page.nextRecordsUrl.replace('/services/data', ''));
  assert.equal(r.status, 200, r.body);
  return r.json();
}

/** Every page of a query, read to the end. */
async function readAll(soql: string): Promise<{ ids: string[]; sizes: number[]; totals: number[] }> {
  const out = { ids: [] as string[], sizes: [] as number[], totals: [] as number[] };
  let page = await firstPage(soql);
  for (;;) {
    out.ids.push(...page.records.map((r) => r.Id));
    out.sizes.push(page.records.length);
    out.totals.push(page.totalSize);
    if (page.done) return out;
    assert.ok(out.sizes.length < 10, 'too many pages');
    page = await nextPage(page);
  }
}

const label: Term = { value: (r) => r.label };
const score: Term = { value: (r) => r.score };
const account: Term = { value: (r) => r.account };

describe('REST query paging on a keyset', () => {
  const cases: { soql: string; terms: Term[] }[] = [
    { soql: 'SELECT Id FROM Row__c', terms: [] },
    { soql: 'SELECT Id, Label__c FROM Row__c ORDER BY Label__c', terms: [label] },
    {
      soql: 'SELECT Id, Label__c FROM Row__c ORDER BY Label__c DESC',
      terms: [{ ...label, descending: true, nullsLast: true }],
    },
    {
      soql: 'SELECT Id FROM Row__c ORDER BY Label__c ASC NULLS LAST',
      terms: [{ ...label, nullsLast: true }],
    },
    {
      soql: 'SELECT Id FROM Row__c ORDER BY Score__c DESC NULLS FIRST, Label__c ASC NULLS LAST',
      terms: [
        { ...score, descending: true },
        { ...label, nullsLast: true },
      ],
    },
    {
      soql: 'SELECT Id, Account__r.Name FROM Row__c ORDER BY Account__r.Name, Score__c DESC',
      terms: [account, { ...score, descending: true, nullsLast: true }],
    },
    {
      soql: 'SELECT Id FROM Row__c ORDER BY Account__r.Name DESC NULLS LAST',
      terms: [{ ...account, descending: true, nullsLast: true }],
    },
  ];
  for (const c of cases) {
    it(`${c.soql}: every row once, in order, in pages of 2000`, async () => {
      const got = await readAll(c.soql);
      assert.deepEqual(got.sizes, [2000, 2000, 1000]);
      assert.deepEqual(got.totals, [N, N, N]);
      assert.deepEqual(got.ids, expected(c.terms));
    });
  }

  it("keeps the SOQL's LIMIT and OFFSET across pages", async () => {
    const got = await readAll('SELECT Id FROM Row__c ORDER BY Label__c DESC, Score__c LIMIT 4100 OFFSET 7');
    assert.deepEqual(got.sizes, [2000, 2000, 100]);
    assert.deepEqual(got.totals, [4100, 4100, 4100]);
    const order = expected([{ ...label, descending: true, nullsLast: true }, score]);
    assert.deepEqual(got.ids, order.slice(7, 7 + 4100));
  });

  it('reads a page by offset from a locator without a sort key (the fallback), the same rows', async () => {
    const soql = 'SELECT Id FROM Row__c ORDER BY Score__c, Label__c';
    const first = await firstPage(soql);
    assert.ok(first.nextRecordsUrl);
    const [prefix, locator] = [
      first.nextRecordsUrl.slice(0, first.nextRecordsUrl.lastIndexOf('/') + 1),
      first.nextRecordsUrl.slice(first.nextRecordsUrl.lastIndexOf('/') + 1),
    ];
    const decoded = JSON.parse(Buffer.from(locator, 'base64url').toString('utf8'));
    assert.equal(decoded.after.length, 3, 'two ORDER BY values and the Id');
    delete decoded.after;
    const byOffset = await nextPage({
      ...first,
      nextRecordsUrl: prefix + Buffer.from(JSON.stringify(decoded)).toString('base64url'),
    });
    const byKey = await nextPage(first);
    assert.deepEqual(
      byOffset.records.map((r) => r.Id),
      byKey.records.map((r) => r.Id),
    );
    assert.deepEqual(
      byKey.records.map((r) => r.Id),
      expected([score, label]).slice(2000, 4000),
    );
  });

  it('answers a locator whose sort key does not fit the query with INVALID_QUERY_LOCATOR', async () => {
    const first = await firstPage('SELECT Id FROM Row__c ORDER BY Label__c');
    assert.ok(first.nextRecordsUrl);
    const at = first.nextRecordsUrl.lastIndexOf('/') + 1;
    const decoded = JSON.parse(Buffer.from(first.nextRecordsUrl.slice(at), 'base64url').toString('utf8'));
    decoded.after = ['only one'];
    const forged = first.nextRecordsUrl.slice(0, at) + Buffer.from(JSON.stringify(decoded)).toString('base64url');
    const r = await rest(server.url, TEST_TOKEN, forged.replace('/services/data', ''));
    assert.equal(r.status, 400, r.body);
    assert.equal(r.json()[0].errorCode, 'INVALID_QUERY_LOCATOR');
  });

  // Last: it changes the data.
  it('does not shift later pages when records before the read position are inserted or deleted', async () => {
    const soql = 'SELECT Id, Label__c FROM Row__c ORDER BY Label__c NULLS LAST';
    const order = expected([{ ...label, nullsLast: true }]);
    const first = await firstPage(soql);
    assert.deepEqual(
      first.records.map((r) => r.Id),
      order.slice(0, 2000),
    );
    // Two records of the first page go, one record sorting first arrives: OFFSET paging would now skip a row.
    const gone = order.slice(10, 12);
    const del = await bulk.run({ operation: 'delete', object: 'Row__c' }, `Id\n${gone.join('\n')}\n`);
    assert.equal(del.state, 'Completed', del.stateMessage);
    assert.ok(del.results.every((r) => r.success));
    const [early] = await bulk.insertOk('Row__c', 'Label__c\nAAA first of all\n');
    assert.ok(early);
    const second = await nextPage(first);
    const third = await nextPage(second);
    assert.equal(third.done, true);
    assert.deepEqual(
      [...second.records, ...third.records].map((r) => r.Id),
      order.slice(2000),
    );
    // A new query sees the change.
    const again = await readAll(soql);
    assert.equal(again.ids.length, N - 1);
    assert.equal(again.ids[0], early);
  });
});
