// A seeded fuzz test of the SOQL checker and both compilers, SQLite and PostgreSQL (issue 4: "no SOQL input can change the statement's
// shape"). Random strings — quotes, backslashes, `--`, `;`, `/*`, NUL, unicode, `'); DROP TABLE` — go into string
// literals, LIKE patterns, IN lists, INCLUDES lists and semi-join filters; random numbers, dates, ids and date
// literal counts go into their places; random identifiers go where field names go. For every accepted query:
//   - the SQL text equals the SQL compiled from a fixed placeholder of the same kind (values only reach params);
//   - it names only tables of the querying org;
//   - run on a real SQLite file holding two orgs' tables (the default org's plain tables and a second org's
//     prefixed ones) and a private table, it returns only the querying org's rows of the queried object.
// Every refused query must be refused with a SoqlError. Reproducible: a fixed seed drives a small PRNG.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkSoql } from '../../src/soql/check.js';
import { compileSqlite, type CompiledQuery } from '../../src/soql/sqlite.js';
import { compilePostgres } from '../../src/soql/postgres.js';
import { SoqlError } from '../../src/soql/errors.js';
import { OrgSchema } from '../../src/org/registry.js';
import { buildShapes } from '../../src/org/schema-file.js';
import { ensureRecordTables, quoteIdent } from '../../src/store/sqlite/database.js';
import { to18 } from '../../src/wire/ids.js';
import { prng } from '../helpers/prng.js';

const SEED = 0x4c6f6346; // "LocF"
const CASES = 3000;
const NOW = Date.UTC(2024, 4, 15, 12, 0, 0);

const rnd = prng(SEED);
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

const ATOMS = [
  "'",
  '\\',
  '"',
  '--',
  ';',
  '/*',
  '*/',
  '%',
  '_',
  "'); DROP TABLE Account; --",
  "' OR '1'='1",
  '" OR 1=1 --',
  '\u0000',
  'é',
  'ß',
  '😀',
  '中文',
  '\u202e',
  '\u00a0',
  ' ',
  '\t',
  '\n',
  '\r',
  'a',
  'B',
  'z',
  '0',
  '?',
  '?1',
  ':1',
  '$1',
  '@p',
  'OR',
  'AND',
  'NOT',
  ')',
  '(',
  ',',
  'NULL',
  'null',
  'SELECT',
  'FROM',
  '\\n',
  "\\'",
  '\\\\',
  '\\%',
  '\\u0041',
  '`',
  '[',
  ']',
  '{',
  '}',
  'LIMIT',
  'x',
  'Acme',
  'acme',
  'UNION SELECT * FROM lf_private',
  '\uFFFD',
  '\b',
  '\f',
];
function randomString(): string {
  let s = '';
  const n = int(7);
  for (let i = 0; i < n; i++) s += pick(ATOMS);
  return s;
}

const SOQL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};
/** A SOQL string literal whose value is exactly `s`. */
const soqlString = (s: string) => `'${s.replace(/[\\'"\n\r\t\b\f]/g, (c) => SOQL_ESCAPES[c])}'`;
/** A LIKE literal that matches exactly `s` (wildcards escaped). */
const likeExact = (s: string) =>
  `'${s.replace(/[\\'"\n\r\t\b\f]/g, (c) => SOQL_ESCAPES[c]).replace(/[%_]/g, (c) => `\\${c}`)}'`;

function randomNumberText(): string {
  return pick([
    () => String(int(1000) - 500),
    () => `${int(100)}.${int(100)}`,
    () => `-${int(10)}.${int(1000)}`,
    () => '9'.repeat(1 + int(25)),
    () =>
      pick([
        '0',
        '-0',
        '007',
        '1e3',
        '0x10',
        '.5',
        '5.',
        '1.2.3',
        '--1',
        '+1',
        'NaN',
        'Infinity',
        '1_000',
        "'1'",
        '1;',
        '1/*',
      ]),
  ])();
}
function randomDateText(): string {
  const y = pick(['2024', '1999', '0000', '9999', '20240', '24']);
  const m = pick(['01', '02', '12', '13', '00', '1']);
  const d = pick(['01', '29', '31', '32', '00', '1']);
  return `${y}-${m}-${d}`;
}
function randomIdText(ids: readonly string[]): string {
  return pick([
    () => pick(ids),
    () => pick(ids).slice(0, 15),
    () => pick(ids).toLowerCase(),
    () => `001${randomString().slice(0, 12)}`,
    () => randomString(),
  ])();
}

const FIELD_NAMES = [
  'Id',
  'Name',
  'Site',
  'Phone',
  'Industry',
  'NumberOfEmployees',
  'AnnualRevenue',
  'CreatedDate',
  'IsDeleted',
  'OwnerId',
  'ParentId',
  'Owner.Name',
  'Parent.Name',
  'Parent.Parent.Owner.Username',
  'CreatedBy.Name',
  'External_Id__c',
  'Description',
];
const JUNK_IDENTS = [
  'Nmae',
  'Name__c',
  'Name"',
  '"Name"',
  'Name--',
  'Name;',
  '[Name]',
  'Name/**/',
  'Na me',
  'Nåme',
  'Name)',
  'Name.',
  '.Name',
  'Owner..Name',
  'Owner.Bogus',
  'Bogus.Name',
  't0',
  'sqlite_master',
  'lf_private.secret',
  'Id"--',
  'Id,(SELECT',
  "Name'",
  'Name\u0000',
  'Name\\',
];
function randomCase(s: string): string {
  return [...s].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
}
function randomIdent(): string {
  const r = rnd();
  if (r < 0.55) return randomCase(pick(FIELD_NAMES));
  if (r < 0.85) return pick(JUNK_IDENTS);
  return randomString();
}

// Two orgs in one SQLite file: the default org (plain table names) and a second one (prefixed tables).
const ORG_A = '00DLf0000000001AAA';
const ORG_B = '00DLf0000000002AAA';
const CUSTOM = [
  {
    object: {
      name: 'Gadget__c',
      fields: [
        { name: 'Tags__c', type: 'multipicklist', values: ['Red', 'Green', 'Blue'] },
        { name: 'Account__c', type: 'lookup', referenceTo: 'Account' },
        { name: 'Made__c', type: 'date' },
      ],
    },
    keyPrefix: 'a00',
  },
];
const schemas = {
  A: new OrgSchema(ORG_A, true, buildShapes(CUSTOM), 1),
  B: new OrgSchema(ORG_B, false, buildShapes(CUSTOM), 1),
};
type OrgKey = keyof typeof schemas;

let dir: string;
let db: Database.Database;
/** Ids per org and table: every row a query of that org may return. */
const owned: Record<OrgKey, Map<string, Set<string>>> = { A: new Map(), B: new Map() };
const allIds: Record<OrgKey, Set<string>> = { A: new Set(), B: new Set() };
/** The string pool stored as names (both orgs hold the same values under different ids). */
const pool: string[] = [];
const namedAccount: Record<OrgKey, Map<string, string>> = { A: new Map(), B: new Map() };

function makeId(prefix: string, org: OrgKey, n: number): string {
  return to18(`${prefix}${org}f${String(n).padStart(10, '0')}`);
}

function seed(): void {
  for (let i = 0; i < 60; i++) pool.push(randomString());
  pool.push("O'Brien", 'back\\slash', '50%_off', 'a\u0000b', '😀', '');
  for (const org of ['A', 'B'] as const) {
    const s = schemas[org];
    const table = (name: string) => s.object(name)!.table;
    const put = (object: string, id: string) => {
      const t = table(object);
      if (!owned[org].has(t)) owned[org].set(t, new Set());
      owned[org].get(t)!.add(id);
      allIds[org].add(id);
    };
    const user = makeId('005', org, 1);
    db.prepare(
      `INSERT INTO ${quoteIdent(table('User'))} ("Id", "IsDeleted", "Username", "LastName", "Name") VALUES (?, 0, ?, ?, ?)`,
    ).run(user, `u@${org}`, org, `User ${org}`);
    put('User', user);
    const acct =
      db.prepare(`INSERT INTO ${quoteIdent(table('Account'))} ("Id", "IsDeleted", "Name", "Site", "NumberOfEmployees", "OwnerId", "ParentId", "CreatedDate")
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const accountIds: string[] = [];
    pool.forEach((name, i) => {
      const id = makeId('001', org, i + 1);
      acct.run(
        id,
        i % 13 === 12 ? 1 : 0,
        name,
        pick(pool),
        int(100),
        user,
        accountIds.length ? pick(accountIds) : null,
        `2024-05-1${i % 6}T10:00:00.000Z`,
      );
      if (i % 13 !== 12) namedAccount[org].set(name, id);
      accountIds.push(id);
      put('Account', id);
    });
    const contact = db.prepare(
      `INSERT INTO ${quoteIdent(table('Contact'))} ("Id", "IsDeleted", "LastName", "AccountId", "OwnerId") VALUES (?, 0, ?, ?, ?)`,
    );
    pool.forEach((name, i) => {
      const id = makeId('003', org, i + 1);
      contact.run(id, name, pick(accountIds), user);
      put('Contact', id);
    });
    const gadget = db.prepare(
      `INSERT INTO ${quoteIdent(table('Gadget__c'))} ("Id", "IsDeleted", "Name", "Tags__c", "Account__c", "Made__c") VALUES (?, 0, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 40; i++) {
      const id = makeId('a00', org, i + 1);
      const tags = [pick(['Red', 'Green', 'Blue', pick(pool)]), pick(['Red', 'Green', 'Blue', pick(pool)])].join(';');
      gadget.run(id, pick(pool), tags, pick(accountIds), `2024-0${1 + int(9)}-1${int(9)}`);
      put('Gadget__c', id);
    }
  }
  // A table no query may ever read.
  db.exec('CREATE TABLE lf_private (secret TEXT)');
  db.prepare('INSERT INTO lf_private VALUES (?)').run('do not leak');
}

/** One fuzz case: the query, the same query with placeholders, and the object it reads. */
interface Case {
  kind: string;
  soql: string;
  /** The same statement with every value replaced by a fixed placeholder of its kind; undefined: no shape check. */
  placeholder?: string;
  /** When set: this org's row with this Name must come back (values round-trip unchanged). */
  mustReturnNamed?: string;
}

function inList(values: string[]): [string, string] {
  return [values.map(soqlString).join(', '), values.map(() => "'x'").join(', ')];
}

function tagsPlaceholder(value: string): string {
  // INCLUDES splits each value at ';' (a set that must all be present): the placeholder keeps the set sizes.
  return value
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(() => 'x')
    .join(';');
}

function randomCase_(): Case {
  const s = randomString();
  const t = randomString();
  const r = int(16);
  switch (r) {
    case 0: {
      const v = rnd() < 0.5 ? pick(pool) : s;
      return {
        kind: 'string =',
        soql: `SELECT Id, Name FROM Account WHERE Name = ${soqlString(v)}`,
        placeholder: `SELECT Id, Name FROM Account WHERE Name = 'x'`,
        mustReturnNamed: v,
      };
    }
    case 1:
      return {
        kind: 'string != and <',
        soql: `SELECT Id FROM Account WHERE Site != ${soqlString(s)} AND (Name < ${soqlString(t)} OR Name >= ${soqlString(s)})`,
        placeholder: `SELECT Id FROM Account WHERE Site != 'x' AND (Name < 'x' OR Name >= 'x')`,
      };
    case 2:
      return {
        kind: 'LIKE pattern',
        soql: `SELECT Id, Site FROM Account WHERE NOT Name LIKE ${soqlString(s)}`,
        placeholder: `SELECT Id, Site FROM Account WHERE NOT Name LIKE 'x'`,
      };
    case 3: {
      const v = rnd() < 0.5 ? pick(pool) : s;
      return {
        kind: 'LIKE exact',
        soql: `SELECT Id FROM Account WHERE Name LIKE ${likeExact(v)}`,
        placeholder: `SELECT Id FROM Account WHERE Name LIKE 'x'`,
        mustReturnNamed: v,
      };
    }
    case 4: {
      const values = Array.from({ length: 1 + int(5) }, () => (rnd() < 0.5 ? pick(pool) : randomString()));
      const [list, placeholder] = inList(values);
      const negate = rnd() < 0.4 ? 'NOT IN' : 'IN';
      return {
        kind: `string ${negate}`,
        soql: `SELECT Id, Name FROM Account WHERE Name ${negate} (${list})`,
        placeholder: `SELECT Id, Name FROM Account WHERE Name ${negate} (${placeholder})`,
        mustReturnNamed: negate === 'IN' ? values[0] : undefined,
      };
    }
    case 5: {
      const values = Array.from({ length: 1 + int(3) }, () =>
        pick(['Red', 'Green', 'Blue', 'Red;Blue', pick(pool), s]),
      );
      const op = rnd() < 0.5 ? 'INCLUDES' : 'EXCLUDES';
      return {
        kind: op,
        soql: `SELECT Id, Tags__c FROM Gadget__c WHERE Tags__c ${op} (${values.map(soqlString).join(', ')})`,
        placeholder: `SELECT Id, Tags__c FROM Gadget__c WHERE Tags__c ${op} (${values.map((v) => `'${tagsPlaceholder(v)}'`).join(', ')})`,
      };
    }
    case 6:
      return {
        kind: 'semi-join',
        soql: `SELECT Id, Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = ${soqlString(s)}) AND Site != ${soqlString(t)}`,
        placeholder: `SELECT Id, Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'x') AND Site != 'x'`,
      };
    case 7:
      return {
        kind: 'anti-join',
        soql: `SELECT Id FROM Gadget__c WHERE Account__c NOT IN (SELECT Id FROM Account WHERE Name LIKE ${soqlString(s)})`,
        placeholder: `SELECT Id FROM Gadget__c WHERE Account__c NOT IN (SELECT Id FROM Account WHERE Name LIKE 'x')`,
      };
    case 8:
      return {
        kind: 'id',
        soql: `SELECT Id FROM Contact WHERE Id = ${soqlString(randomIdText([...allIds.A, ...allIds.B]))} OR AccountId = ${soqlString(randomIdText([...allIds.A, ...allIds.B]))}`,
        placeholder: `SELECT Id FROM Contact WHERE Id = 'x' OR AccountId = 'x'`,
      };
    case 9:
      return {
        kind: 'number',
        soql: `SELECT Id FROM Account WHERE NumberOfEmployees > ${randomNumberText()} AND AnnualRevenue != ${randomNumberText()}`,
        placeholder: 'SELECT Id FROM Account WHERE NumberOfEmployees > 1 AND AnnualRevenue != 1',
      };
    case 10:
      return {
        kind: 'LIMIT',
        soql: `SELECT Id FROM Account WHERE Name != ${soqlString(s)} LIMIT ${pick([String(int(100)), '9'.repeat(1 + int(22)), '0', '-1', '1.5', "'3'"])}`,
        placeholder: `SELECT Id FROM Account WHERE Name != 'x' LIMIT 1`,
      };
    case 11:
      return {
        kind: 'date',
        soql: `SELECT Id FROM Gadget__c WHERE Made__c >= ${randomDateText()} OR Made__c = ${pick(['TODAY', 'THIS_MONTH', 'LAST_YEAR'])}`,
        placeholder: 'SELECT Id FROM Gadget__c WHERE Made__c >= 2000-01-01 OR Made__c = TODAY',
      };
    case 12:
      return {
        kind: 'date literal n',
        soql: `SELECT Id FROM Account WHERE CreatedDate = ${pick(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO', 'LAST_N_MONTHS', 'NEXT_N_YEARS', 'LAST_N_WEEKS'])}:${pick([String(int(400)), '9'.repeat(1 + int(15)), '0'])}`,
        placeholder: 'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:1',
      };
    case 13:
      return {
        kind: 'boolean',
        soql: `SELECT Id FROM Contact WHERE DoNotCall = ${pick(['true', 'FALSE', 'tRuE', "'true'", '1', 'yes', 'TRUE--'])}`,
        placeholder: 'SELECT Id FROM Contact WHERE DoNotCall = true',
      };
    case 14:
      // A naive client that pastes a value into quotes without escaping: may change the SOQL, never the SQL's tables.
      return { kind: 'unescaped', soql: `SELECT Id, Name FROM Account WHERE Name = '${s}' AND Site != '${t}'` };
    default: {
      const a = randomIdent();
      const b = randomIdent();
      const c = randomIdent();
      return {
        kind: 'identifier',
        soql: `SELECT Id, ${a} FROM Account WHERE ${b} != null ORDER BY ${c} DESC`,
        placeholder: `IDENT|${a}|${b}|${c}`,
      };
    }
  }
}

/** The schema's spelling of a field path typed in any case, or undefined when it does not resolve. */
function canonicalPath(org: OrgKey, object: string, path: string): string | undefined {
  const s = schemas[org];
  let current = s.object(object);
  const out: string[] = [];
  const parts = path.split('.');
  for (const rel of parts.slice(0, -1)) {
    const ref = current?.relationship(rel);
    if (!ref) return undefined;
    out.push(ref.relationshipName!);
    current = s.object(ref.referenceTo?.find((t) => s.object(t)) ?? '');
  }
  const f = current?.field(parts[parts.length - 1]);
  if (!f) return undefined;
  out.push(f.name);
  return out.join('.');
}

function compile(org: OrgKey, soql: string, dialect: 'sqlite' | 'postgres' = 'sqlite'): CompiledQuery {
  const checked = checkSoql(soql, schemas[org], { surface: 'rest', includeDeleted: false, now: NOW });
  return dialect === 'sqlite' ? compileSqlite(checked) : compilePostgres(checked);
}

interface Findings {
  cases: number;
  accepted: Map<string, number>;
  total: Map<string, number>;
  crashes: string[];
  shape: string[];
  foreignTables: string[];
  foreignRows: string[];
  execErrors: string[];
  roundTrip: string[];
}
const findings: Findings = {
  cases: 0,
  accepted: new Map(),
  total: new Map(),
  crashes: [],
  shape: [],
  foreignTables: [],
  foreignRows: [],
  execErrors: [],
  roundTrip: [],
};
const show = (s: string) => JSON.stringify(s);

function runCase(c: Case): void {
  findings.total.set(c.kind, (findings.total.get(c.kind) ?? 0) + 1);
  for (const org of ['A', 'B'] as const) {
    let compiled: CompiledQuery;
    try {
      compiled = compile(org, c.soql);
    } catch (err) {
      if (!(err instanceof SoqlError))
        findings.crashes.push(`${show(c.soql)} → ${(err as Error)?.name}: ${(err as Error)?.message}`);
      continue;
    }
    if (org === 'A') findings.accepted.set(c.kind, (findings.accepted.get(c.kind) ?? 0) + 1);

    // 1. The shape: identical SQL text to the placeholder query's.
    if (c.placeholder?.startsWith('IDENT|')) {
      const [, a, b, cc] = c.placeholder.split('|');
      const names = [a, b, cc].map((x) => canonicalPath(org, 'Account', x));
      if (names.some((n) => n === undefined)) findings.shape.push(`accepted unknown identifier: ${show(c.soql)}`);
      else {
        const expected = compile(
          org,
          `SELECT Id, ${names[0]} FROM Account WHERE ${names[1]} != null ORDER BY ${names[2]} DESC`,
        );
        if (expected.sql !== compiled.sql)
          findings.shape.push(`${show(c.soql)}\n   got ${compiled.sql}\n  want ${expected.sql}`);
      }
    } else if (c.placeholder) {
      let expected: CompiledQuery | undefined;
      try {
        expected = compile(org, c.placeholder);
      } catch (err) {
        findings.shape.push(`placeholder refused (test bug): ${c.placeholder}: ${(err as Error).message}`);
      }
      if (expected && (expected.sql !== compiled.sql || expected.params.length !== compiled.params.length)) {
        findings.shape.push(
          `${show(c.soql)}\n   got ${compiled.sql} ${JSON.stringify(compiled.params)}\n  want ${expected.sql} ${JSON.stringify(expected.params)}`,
        );
      }
    }

    // 1b. The same for the PostgreSQL dialect. One documented exception: PostgreSQL text cannot hold U+0000, so a
    // literal containing it is answered by a condition localforce rewrites (never equal, a shorter bound; see
    // soql/postgres.ts) — its shape is chosen by localforce, never taken from the literal's text. Table names are
    // checked for every case below.
    let pg: CompiledQuery | undefined;
    try {
      pg = compile(org, c.soql, 'postgres');
    } catch (err) {
      findings.shape.push(`postgres refused what sqlite took: ${show(c.soql)}: ${(err as Error).message}`);
    }
    if (pg && c.placeholder && !c.placeholder.startsWith('IDENT|') && !c.soql.includes('\u0000')) {
      const expected = compile(org, c.placeholder, 'postgres');
      if (expected.sql !== pg.sql || expected.params.length !== pg.params.length)
        findings.shape.push(`postgres: ${show(c.soql)}\n   got ${pg.sql}\n  want ${expected.sql}`);
    }

    // 2. Only this org's tables.
    const own = new Set(schemas[org].objects.map((o) => o.table));
    for (const m of `${compiled.sql} ${pg?.sql ?? ''}`.matchAll(/(?:FROM|JOIN)\s+("(?:[^"]|"")*"|\S+)/g)) {
      const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1];
      if (!own.has(name)) findings.foreignTables.push(`${org}: ${name} in ${compiled.sql} for ${show(c.soql)}`);
    }

    // 3. Run it: only this org's rows of the queried object, and parents from this org.
    let rows: unknown[][];
    try {
      rows = db
        .prepare(compiled.sql)
        .raw(true)
        .all(...compiled.params) as unknown[][];
    } catch (err) {
      findings.execErrors.push(
        `${org}: ${show(c.soql)} → ${(err as Error).message}\n   ${compiled.sql} ${JSON.stringify(compiled.params)}`,
      );
      continue;
    }
    const object = /^SELECT .*? FROM (Account|Contact|Gadget__c)(?: |$)/s.exec(c.soql)?.[1];
    const ownRows = object ? owned[org].get(schemas[org].object(object)!.table)! : new Set<string>();
    for (const row of rows) {
      const id = row[compiled.layout.rootIdIndex] as string;
      if (!ownRows.has(id)) findings.foreignRows.push(`${org}: row ${id} for ${show(c.soql)}`);
      for (const index of compiled.layout.parentIdIndex.values()) {
        const parent = row[index];
        if (parent !== null && !allIds[org].has(parent as string))
          findings.foreignRows.push(`${org}: parent ${String(parent)} for ${show(c.soql)}`);
      }
      if (row.some((v) => v === 'do not leak'))
        findings.foreignRows.push(`${org}: lf_private leaked for ${show(c.soql)}`);
    }

    // 4. Values round-trip: the row whose Name is exactly the value comes back.
    if (c.mustReturnNamed !== undefined) {
      const want = namedAccount[org].get(c.mustReturnNamed);
      if (want && !rows.some((r) => r[compiled.layout.rootIdIndex] === want)) {
        findings.roundTrip.push(
          `${c.kind}: ${show(c.soql)} did not return the row named ${show(c.mustReturnNamed)}; params ${JSON.stringify(compiled.params)}`,
        );
      }
    }
  }
}

const report = (list: string[]) => {
  const distinct = [...new Set(list)];
  return `${list.length} case(s), ${distinct.length} distinct, e.g.:\n${distinct.slice(0, 8).join('\n')}`;
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'localforce-fuzz-'));
  db = new Database(join(dir, 'fuzz.sqlite'));
  ensureRecordTables(db, schemas.A.objects);
  ensureRecordTables(db, schemas.B.objects);
  seed();
  // Every stored name, escaped, must find its own row (fixed cases ahead of the random ones).
  for (const name of pool) {
    runCase({
      kind: 'string =',
      soql: `SELECT Id, Name FROM Account WHERE Name = ${soqlString(name)}`,
      placeholder: `SELECT Id, Name FROM Account WHERE Name = 'x'`,
      mustReturnNamed: name,
    });
    runCase({
      kind: 'LIKE exact',
      soql: `SELECT Id FROM Account WHERE Name LIKE ${likeExact(name)}`,
      placeholder: `SELECT Id FROM Account WHERE Name LIKE 'x'`,
      mustReturnNamed: name,
    });
  }
  for (let i = 0; i < CASES; i++) runCase(randomCase_());
  findings.cases = CASES + 2 * pool.length;
});
after(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`SOQL fuzz (seed ${SEED.toString(16)}, ${CASES} random cases × 2 orgs)`, () => {
  it('uses two orgs whose tables differ: plain names for the default org, prefixed ones for the other', () => {
    assert.equal(schemas.A.object('Account')!.table, 'Account');
    assert.equal(schemas.B.object('Account')!.table, '00DLf0000000002MAA_Account');
    assert.equal(schemas.B.object('gadget__c')!.table, '00DLf0000000002MAA_Gadget__c');
  });

  it('accepts enough of the generated queries of every kind for the properties to mean something', (t) => {
    t.diagnostic(
      [...findings.total]
        .map(([kind, total]) => `${kind}: ${findings.accepted.get(kind) ?? 0}/${total} accepted`)
        .join('; '),
    );
    for (const [kind, total] of findings.total) {
      const accepted = findings.accepted.get(kind) ?? 0;
      assert.ok(accepted >= Math.min(10, total / 10), `${kind}: only ${accepted} of ${total} accepted`);
    }
    const total = [...findings.total.values()].reduce((a, b) => a + b, 0);
    assert.ok(total >= CASES, `${total} cases`);
  });

  it('refuses bad input only with a SoqlError (no other exception escapes the checker or the compiler)', () => {
    assert.equal(findings.crashes.length, 0, report(findings.crashes));
  });

  it('compiles every accepted query to the SQL text of its placeholder query: values never change the shape', () => {
    assert.equal(findings.shape.length, 0, report(findings.shape));
  });

  it("names only the querying org's own tables", () => {
    assert.equal(findings.foreignTables.length, 0, report(findings.foreignTables));
  });

  it("returns only the querying org's rows of the queried object (run on a real SQLite file)", () => {
    assert.equal(findings.foreignRows.length, 0, report(findings.foreignRows));
  });

  it('runs every accepted query on SQLite without an error', () => {
    assert.equal(findings.execErrors.length, 0, report(findings.execErrors));
  });

  it('passes values through unchanged: = and an escaped LIKE find the row named by the value', () => {
    assert.equal(findings.roundTrip.length, 0, report(findings.roundTrip));
  });
});
