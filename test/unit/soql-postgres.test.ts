// A differential test of the PostgreSQL SOQL compiler (soql/postgres.ts) against the SQLite one (soql/sqlite.ts):
// the same rows go into a temporary SQLite file and a fresh PostgreSQL database (each with its store's own
// ensureRecordTables), and every query of a hand-written corpus and of a seeded random generator is checked once,
// compiled by both compilers, run on both databases, and must return identical row arrays.
//
// Order: without ORDER BY both order by Id, and rows must be equal element by element. With an ORDER BY, rows that tie
// on every ORDER BY key may come back in any order (SQLite promises no order for ties; the PostgreSQL compiler adds
// Id as a last key), so the query is also run with its ORDER BY fields appended to the SELECT list: the sequence of
// sort keys (case-folded as SOQL compares them) must be identical, and each run of tied rows must hold the same rows
// — except a run cut by OFFSET at the start or by LIMIT at the end, whose members may legitimately differ (only their
// keys and count are compared there).
//
// The data has nulls, mixed-case and accented text (ASCII-only case folding is what SQLite does: 'É' ≠ 'é'), LIKE's
// wildcards and backslashes in values, numbers, dates, date-times, times, checkboxes, picklists and multipicklists,
// lookups between Account, Contact, User and a custom object, and soft-deleted rows for queryAll. No value holds
// U+0000 (PostgreSQL text cannot); queries do, to check the compiler's rewrite of such values.
//
// PostgreSQL: LOCALFORCE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the admin URL; the test
// creates lf_soql_<random> and drops it afterwards. When PostgreSQL cannot be reached the suite is skipped with the
// reason, unless LOCALFORCE_REQUIRE_POSTGRES=1, which makes it fail.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkSoql } from '../../src/soql/check.js';
import { compileSqlite } from '../../src/soql/sqlite.js';
import { compilePostgres } from '../../src/soql/postgres.js';
import { CASE_INSENSITIVE } from '../../src/soql/compile.js';
import { SoqlError } from '../../src/soql/errors.js';
import type { CheckedQuery, CompiledQuery } from '../../src/soql/model.js';
import { OrgSchema } from '../../src/org/registry.js';
import { buildShapes } from '../../src/org/schema-file.js';
import { ensureRecordTables as ensureSqliteTables, quoteIdent } from '../../src/store/sqlite/database.js';
import {
  createPool,
  ensureRecordTables as ensurePostgresTables,
  type Pool,
} from '../../src/store/postgres/database.js';
import { to18 } from '../../src/wire/ids.js';
import { pgAdminUrl } from '../helpers/server.js';
import { pgAdmin, postgresUnavailable } from '../helpers/postgres.js';
import { prng } from '../helpers/prng.js';

const ADMIN_URL = pgAdminUrl();
const SEED = 0x50675371; // "PgSq"
const RANDOM_CASES = 600;
/** Wednesday 2024-05-15 12:00 UTC: the data's dates cluster around it so date literals match rows. */
const NOW = Date.UTC(2024, 4, 15, 12, 0, 0);

function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

const rnd = prng(SEED);
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const maybe = <T>(p: number, v: () => T): T | null => (rnd() < p ? v() : null);

// ---------------------------------------------------------------------------------------------------------------
// Schema: the standard objects plus a custom object with one field of every type.

const ORG = '00DLf0000000001AAA';
const TAGS = ['Red', 'Green', 'Blue', 'Ünï', 'a b'];
const COLORS = ['Red', 'Green', 'Blue'];
const CUSTOM = [
  {
    object: {
      name: 'Gadget__c',
      fields: [
        { name: 'Tags__c', type: 'multipicklist', values: TAGS },
        { name: 'Color__c', type: 'picklist', values: COLORS },
        { name: 'Account__c', type: 'lookup', referenceTo: 'Account' },
        { name: 'Contact__c', type: 'lookup', referenceTo: 'Contact' },
        { name: 'Made__c', type: 'date' },
        { name: 'Seen__c', type: 'datetime' },
        { name: 'At__c', type: 'time' },
        { name: 'Count__c', type: 'int' },
        { name: 'Weight__c', type: 'double', scale: 4 },
        { name: 'Price__c', type: 'currency' },
        { name: 'Ratio__c', type: 'percent', scale: 8 },
        { name: 'Active__c', type: 'checkbox' },
        { name: 'Code__c', type: 'string', externalId: true, unique: true },
        { name: 'Sku__c', type: 'string', externalId: true, unique: true, caseSensitive: true },
        { name: 'Notes__c', type: 'textarea' },
        { name: 'Mail__c', type: 'email' },
        { name: 'Web__c', type: 'url' },
        { name: 'Tel__c', type: 'phone' },
      ],
    },
    keyPrefix: 'a00',
  },
];
const schema = new OrgSchema(ORG, true, buildShapes(CUSTOM), 1);

// ---------------------------------------------------------------------------------------------------------------
// Data: the same rows for both databases.

/** Text values: case and accents (ASCII-only folding: 'École' ≠ 'école' case-insensitively? no: É is not ASCII),
 * LIKE's wildcards and escape character, quotes, whitespace, characters between 'Z' and 'a', the Kelvin sign
 * (Unicode lower-cases it to 'k', SQLite does not), emoji, CJK, digits. */
const TEXTS = [
  'Acme',
  'acme',
  'ACME',
  'Acme Corp',
  'acme corp',
  'Acme_Corp',
  'École',
  'école',
  'ÉCOLE',
  'ecole',
  'Ærø',
  'ærø',
  'straße',
  'STRASSE',
  'Zürich',
  'zürich',
  'ZÜRICH',
  'naïve',
  'NAÏVE',
  "O'Brien",
  "o'brien",
  'back\\slash',
  'BACK\\SLASH',
  '50%_off',
  '50% off',
  '50x_off',
  'a_b',
  'aXb',
  'a%b',
  '100%',
  '_under',
  '%lead',
  '😀 smile',
  '😀',
  '中文',
  '中',
  'ß',
  '',
  ' ',
  ' lead',
  'trail ',
  'tab\there',
  'line\nbreak',
  'Z',
  'z',
  '[bracket]',
  '^caret',
  '`tick',
  '~tilde',
  'MiXeD CaSe',
  'mixed case',
  '123',
  '0042',
  '42',
  'null',
  'NULL',
  'Ω',
  'ω',
  'İstanbul',
  'istanbul',
  '\u212a',
  'k',
  'K',
  'Kelvin',
  '\u212aelvin',
  'x;y',
  'Quote"d',
  'M',
  'm',
  'mango',
  'Mango',
  'Zebra',
  'zebra',
  'apple',
  'Apple',
  'b',
  'B',
];
const INDUSTRIES = ['Banking', 'banking', 'BANKING', 'Energy', 'Technology', 'Other', 'Élan'];
const DOUBLES = [0, 1, 1.5, 2.25, -3.75, 0.1 + 0.2, 0.3, 100, 1000.5, 12345.678, 0.001, 99.99, 7, -0.5, 42.42];
const CURRENCIES = [0, 19.99, 20, 1000, 1000.5, -5.25, 250000, 0.01];
/** Includes values outside [1e-4, 1e15): SQLite writes 1.0e+20 where PostgreSQL writes 1e+20, so no LIKE on Ratio__c. */
const RATIOS = [0.5, 1e-5, 1.5e-5, 1e20, 33.33333333, 0, 100];
const COUNTS = [0, 1, 2, 3, 5, 6, 10, 42, 99, 100, -1, -5, 1000, 9007199254740991, -9007199254740991, 123456789];
const TIMES = ['00:00:00.000Z', '09:30:00.000Z', '10:30:00.000Z', '12:00:00.000Z', '23:59:59.999Z'];

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoDateTime = (ms: number) => new Date(ms).toISOString();
/** A date near NOW (most), or further away. */
function randomDay(): number {
  const today = NOW - (NOW % DAY);
  return rnd() < 0.5 ? today + (int(41) - 20) * DAY : today + (int(1500) - 800) * DAY;
}
const randomDateTime = () => randomDay() + pick([0, 1, 36_000_000, 43_200_000, 86_399_999, int(DAY)]);

/** Ids with mixed-case bodies, so binary and case-insensitive order differ. */
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const usedIds = new Set<string>();
function makeId(prefix: string): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < 12; i++) body += ALNUM[int(ALNUM.length)];
    const id = to18(prefix + body);
    if (!usedIds.has(id.toLowerCase())) {
      usedIds.add(id.toLowerCase());
      return id;
    }
  }
}

type Row = Record<string, unknown>;
const data: Record<string, Row[]> = { User: [], Account: [], Contact: [], Gadget__c: [] };

function seedData(): void {
  const users = data.User;
  for (let i = 0; i < 8; i++) {
    const last = pick(TEXTS);
    users.push({
      Id: makeId('005'),
      IsDeleted: i === 7 ? 1 : 0,
      Username: `${pick(['bob', 'Bob', 'ALICE', 'alice', 'Zoë'])}${i}@${pick(['example.com', 'EXAMPLE.com'])}`,
      LastName: last,
      FirstName: maybe(0.7, () => pick(TEXTS)),
      Name: `User ${last}`,
      Alias: `u${i}`,
      Email: `u${i}@example.com`,
      ManagerId: i > 0 ? maybe(0.7, () => users[int(i)].Id as string) : null,
      IsActive: i % 3 === 0 ? 0 : 1,
      CreatedDate: isoDateTime(randomDateTime()),
    });
  }
  const accounts = data.Account;
  for (let i = 0; i < 160; i++) {
    accounts.push({
      Id: makeId('001'),
      IsDeleted: rnd() < 0.08 ? 1 : 0,
      Name: pick(TEXTS),
      Site: maybe(0.7, () => pick(TEXTS)),
      Industry: maybe(0.8, () => pick(INDUSTRIES)),
      Type: maybe(0.5, () => pick(['Prospect', 'prospect', 'Other'])),
      NumberOfEmployees: maybe(0.85, () => pick([...COUNTS.slice(0, 12), int(5000)])),
      AnnualRevenue: maybe(0.8, () => pick(CURRENCIES)),
      // A parent among the earlier accounts, none, or one that does not exist.
      ParentId: i === 0 ? null : rnd() < 0.6 ? accounts[int(i)].Id : rnd() < 0.3 ? makeId('001') : null,
      OwnerId: maybe(0.9, () => pick(users).Id as string),
      CreatedDate: isoDateTime(randomDateTime()),
      Description: maybe(0.5, () => `${pick(TEXTS)}\n${pick(TEXTS)}`),
      Phone: maybe(0.6, () => pick(['+1 555 0100', '(555) 010-0200', '555', 'ext. 5'])),
      Website: maybe(0.5, () => pick(['https://Acme.example', 'http://acme.example/path', 'HTTPS://ÉCOLE.example'])),
      External_Id__c: `EXT-${String(i).padStart(3, '0')}${pick(['a', 'A', 'é', 'É'])}`,
    });
  }
  const contacts = data.Contact;
  for (let i = 0; i < 220; i++) {
    const first = maybe(0.7, () => pick(TEXTS));
    const last = pick(TEXTS);
    contacts.push({
      Id: makeId('003'),
      IsDeleted: rnd() < 0.08 ? 1 : 0,
      LastName: last,
      FirstName: first,
      Name: first ? `${first} ${last}` : last,
      Email: maybe(
        0.7,
        () => `${pick(['Bob', 'bob', 'ÉVA', 'éva', 'x_y'])}.${i}@${pick(['Example.COM', 'example.com'])}`,
      ),
      Birthdate: maybe(0.8, () => isoDate(randomDay())),
      AccountId: maybe(0.85, () => pick(accounts).Id as string),
      ReportsToId: i > 0 ? maybe(0.4, () => contacts[int(i)].Id as string) : null,
      OwnerId: maybe(0.9, () => pick(users).Id as string),
      DoNotCall: pick([0, 1]),
      HasOptedOutOfEmail: pick([0, 0, 1]),
      LeadSource: maybe(0.6, () => pick(['Web', 'web', 'Phone Inquiry', 'Other'])),
      CreatedDate: isoDateTime(randomDateTime()),
      Title: maybe(0.5, () => pick(TEXTS)),
    });
  }
  const gadgets = data.Gadget__c;
  for (let i = 0; i < 220; i++) {
    const tags =
      rnd() < 0.15
        ? null
        : rnd() < 0.05
          ? ''
          : Array.from({ length: 1 + int(3) }, () => pick([...TAGS, 'red', 'BLUE', 'ünï', 'A B', 'Red '])).join(';');
    gadgets.push({
      Id: makeId('a00'),
      IsDeleted: rnd() < 0.08 ? 1 : 0,
      Name: maybe(0.9, () => pick(TEXTS)),
      Tags__c: tags,
      Color__c: maybe(0.8, () => pick([...COLORS, 'red', 'GREEN'])),
      Account__c: maybe(0.8, () => pick(accounts).Id as string),
      Contact__c: maybe(0.7, () => pick(contacts).Id as string),
      Made__c: maybe(0.8, () => isoDate(randomDay())),
      Seen__c: maybe(0.8, () => isoDateTime(randomDateTime())),
      At__c: maybe(0.7, () => pick(TIMES)),
      Count__c: maybe(0.85, () => pick(COUNTS)),
      Weight__c: maybe(0.85, () => pick(DOUBLES)),
      Price__c: maybe(0.8, () => pick(CURRENCIES)),
      Ratio__c: maybe(0.7, () => pick(RATIOS)),
      // Checkboxes are 0/1; a few nulls, as a column added to a table with rows has.
      Active__c: rnd() < 0.05 ? null : pick([0, 1]),
      Code__c: `code-${i}${pick(['', 'X', 'x'])}`,
      Sku__c: `SKU-${i}`,
      Notes__c: maybe(0.6, () => `${pick(TEXTS)}\n${pick(TEXTS)}`),
      Mail__c: maybe(0.6, () => `${pick(['Bob', 'BOB', 'éva'])}@Example.com`),
      Web__c: maybe(0.5, () => pick(['https://a.example', 'HTTPS://A.EXAMPLE', 'ftp://b'])),
      Tel__c: maybe(0.5, () => pick(['555-0100', '+44 20', ''])),
      CreatedDate: isoDateTime(randomDateTime()),
      OwnerId: maybe(0.9, () => pick(users).Id as string),
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The two databases.

let dir: string | undefined;
let sqlite: Database.Database | undefined;
let pool: Pool | undefined;
let dbName: string | undefined;

async function setUp(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'localforce-soql-pg-'));
  sqlite = new Database(join(dir, 'records.sqlite'));
  ensureSqliteTables(sqlite, schema.objects);
  dbName = `lf_soql_${randomBytes(6).toString('hex')}`;
  await pgAdmin((c) => c.query(`CREATE DATABASE ${dbName}`));
  pool = createPool({ url: databaseUrl(dbName), max: 4, name: 'localforce-soql-test' });
  await ensurePostgresTables(pool, schema.objects);
  for (const [objectName, rows] of Object.entries(data)) {
    const table = quoteIdent(schema.object(objectName)!.table);
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const values = rows.map((r) => columns.map((c) => r[c] ?? null));
    const insert = sqlite.prepare(
      `INSERT INTO ${table} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    sqlite.transaction(() => {
      for (const v of values) insert.run(...v);
    })();
    for (let at = 0; at < values.length; at += 50) {
      const batch = values.slice(at, at + 50);
      const tuples = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
      await pool.query(
        `INSERT INTO ${table} (${columns.map(quoteIdent).join(', ')}) VALUES ${tuples.join(', ')}`,
        batch.flat(),
      );
    }
  }
}

async function tearDown(): Promise<void> {
  sqlite?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await pool?.end().catch(() => undefined);
  if (dbName) await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)).catch(() => undefined);
}

const runSqlite = (c: CompiledQuery) =>
  sqlite!
    .prepare(c.sql)
    .raw(true)
    .all(...c.params) as unknown[][];
async function runPostgres(c: CompiledQuery): Promise<unknown[][]> {
  const r = await pool!.query({ text: c.sql, values: c.params as unknown[], rowMode: 'array' });
  return r.rows as unknown[][];
}

// ---------------------------------------------------------------------------------------------------------------
// The comparison.

interface Outcome {
  /** What differs, or undefined when both databases agree. */
  mismatch?: string;
  rows: number;
  /** How many rows the queried object has (to tell a filter that matches nothing or everything). */
  total: number;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const show = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'string' ? x.replace(/\u0000/g, '\\0') : x));
const sortedRows = (rows: unknown[][]) => rows.map((r) => show(r)).sort();

function describeQuery(soql: string, s: CompiledQuery, p: CompiledQuery): string {
  return `${soql}\n  SQLite: ${s.sql} ${show(s.params)}\n  PostgreSQL: ${p.sql} ${show(p.params)}`;
}

function firstDifference(a: unknown[][], b: unknown[][]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!isDeepStrictEqual(a[i], b[i]))
      return `row ${i}: SQLite ${show(a[i])}, PostgreSQL ${show(b[i])} (${a.length} vs ${b.length} rows)`;
  }
  return 'no difference';
}

/** Checks `soql` on both databases; throws a SoqlError when the checker refuses it. */
async function compare(soql: string, includeDeleted = false): Promise<Outcome> {
  const checked = checkSoql(soql, schema, { surface: 'rest', includeDeleted, now: NOW });
  const s = compileSqlite(checked);
  const p = compilePostgres(checked);
  const total = data[checked.object.name]?.length ?? 0;
  const sRows = runSqlite(s);
  let pRows: unknown[][];
  try {
    pRows = await runPostgres(p);
  } catch (err) {
    return {
      mismatch: `PostgreSQL failed: ${(err as Error).message}\n${describeQuery(soql, s, p)}`,
      rows: sRows.length,
      total,
    };
  }
  if (!checked.orderBy.length) {
    if (!isDeepStrictEqual(sRows, pRows))
      return { mismatch: `${firstDifference(sRows, pRows)}\n${describeQuery(soql, s, p)}`, rows: sRows.length, total };
    return { rows: sRows.length, total };
  }
  // With ORDER BY: the same number of rows, the same rows when nothing cuts the result, then the order by key.
  if (sRows.length !== pRows.length)
    return {
      mismatch: `${sRows.length} rows on SQLite, ${pRows.length} on PostgreSQL\n${describeQuery(soql, s, p)}`,
      rows: sRows.length,
      total,
    };
  const cut = checked.limit !== undefined || checked.offset !== undefined;
  if (!cut && !isDeepStrictEqual(sortedRows(sRows), sortedRows(pRows))) {
    return { mismatch: `different rows (as sets)\n${describeQuery(soql, s, p)}`, rows: sRows.length, total };
  }
  const mismatch = await compareOrder(soql, checked);
  return { mismatch, rows: sRows.length, total };
}

/** Runs the query with its ORDER BY fields selected too, and compares the key sequence and each run of ties. */
async function compareOrder(soql: string, checked: CheckedQuery): Promise<string | undefined> {
  const width = checked.columns.length;
  const withKeys: CheckedQuery = {
    ...checked,
    columns: [...checked.columns, ...checked.orderBy.map((t, i) => ({ header: `key${i}`, path: t.path }))],
  };
  const s = compileSqlite(withKeys);
  const p = compilePostgres(withKeys);
  const sRows = runSqlite(s);
  let pRows: unknown[][];
  try {
    pRows = await runPostgres(p);
  } catch (err) {
    return `PostgreSQL failed (query with its keys selected): ${(err as Error).message}\n${describeQuery(soql, s, p)}`;
  }
  const key = (row: unknown[]) =>
    show(
      checked.orderBy.map((t, i) => {
        const v = row[width + i];
        return typeof v === 'string' && CASE_INSENSITIVE.has(t.path.field.type) ? asciiLower(v) : v;
      }),
    );
  const sKeys = sRows.map(key);
  const pKeys = pRows.map(key);
  if (!isDeepStrictEqual(sKeys, pKeys)) {
    const i = sKeys.findIndex((k, n) => k !== pKeys[n]);
    return `sort keys differ at row ${i}: SQLite ${sKeys[i]}, PostgreSQL ${pKeys[i]}\n${describeQuery(soql, s, p)}`;
  }
  // Runs of equal keys: the same rows in each (order within a run is free), except a run cut by OFFSET or LIMIT.
  const runs: [number, number][] = [];
  for (let i = 0; i < sKeys.length; i++) {
    if (i > 0 && sKeys[i] === sKeys[i - 1]) runs[runs.length - 1][1] = i + 1;
    else runs.push([i, i + 1]);
  }
  for (let r = 0; r < runs.length; r++) {
    if ((r === 0 && checked.offset !== undefined) || (r === runs.length - 1 && checked.limit !== undefined)) continue;
    const [from, to] = runs[r];
    if (!isDeepStrictEqual(sortedRows(sRows.slice(from, to)), sortedRows(pRows.slice(from, to)))) {
      return `rows tied on ${sKeys[from]} differ (rows ${from}–${to - 1})\n${describeQuery(soql, s, p)}`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The hand-written corpus: every feature the checker accepts. [soql, queryAll?]

function corpus(): [string, boolean][] {
  const acct = data.Account.filter((a) => a.IsDeleted === 0);
  const a1 = acct[3].Id as string;
  const a2 = acct[10].Id as string;
  const c1 = data.Contact[5].Id as string;
  const u1 = data.User[1].Id as string;
  const u2 = data.User[2].Id as string;
  const g =
    'SELECT Id, Name, Count__c, Weight__c, Price__c, Active__c, Made__c, Seen__c, At__c, Tags__c, Color__c, Code__c FROM Gadget__c';
  const a = 'SELECT Id, Name, Site, Industry, NumberOfEmployees, AnnualRevenue, CreatedDate FROM Account';
  const c = 'SELECT Id, Name, Email, Birthdate, DoNotCall, AccountId FROM Contact';
  const list: (string | [string, boolean])[] = [
    // Every column type, every row, Id order.
    `${g}`,
    `${a}`,
    `${c}`,
    'SELECT Id, Username, Name, ManagerId, IsActive FROM User',
    'SELECT Id, Sku__c, Notes__c, Mail__c, Web__c, Tel__c, Ratio__c, Account__c, Contact__c, OwnerId, CreatedDate, IsDeleted FROM Gadget__c',
    // Case-insensitive text: ASCII folds, accents do not; the Kelvin sign is not 'k' (Unicode would fold it).
    `${a} WHERE Name = 'acme'`,
    `${a} WHERE Name = 'ACME CORP'`,
    `${a} WHERE Name = 'École'`,
    `${a} WHERE Name = 'ÉCOLE'`,
    `${a} WHERE Name = 'k'`,
    `${a} WHERE Name = '\u212a'`,
    `${a} WHERE Name = '\u212aELVIN'`,
    `${a} WHERE Name = 'İSTANBUL'`,
    `${a} WHERE Name = 'STRASSE'`,
    `${a} WHERE Name = 'ß'`,
    `${a} WHERE Name = ''`,
    `${a} WHERE Name = ' '`,
    `${a} WHERE Name = 'O\\'BRIEN'`,
    `${a} WHERE Name = 'back\\\\SLASH'`,
    `${a} WHERE Name = 'line\\nBREAK'`,
    `${a} WHERE Name = 'caf\\u00e9'`,
    `${a} WHERE Name != 'Acme'`,
    `${a} WHERE Name <> 'zebra'`,
    `${a} WHERE Name < 'M'`,
    `${a} WHERE Name <= 'acme'`,
    `${a} WHERE Name > 'zurich'`,
    `${a} WHERE Name >= 'École'`,
    `${a} WHERE Name > '_'`,
    `${a} WHERE Name < '['`,
    `${a} WHERE Name > 'Z' AND Name < 'a'`,
    `${a} WHERE Name >= '😀'`,
    `${a} WHERE Site = null`,
    `${a} WHERE Site != null`,
    `${a} WHERE Site < null`,
    `${a} WHERE Site != 'acme'`,
    `${a} WHERE Industry = 'banking'`,
    `${a} WHERE Industry != 'BANKING'`,
    `${a} WHERE Industry = 'élan'`,
    `${a} WHERE Type = 'PROSPECT'`,
    `${a} WHERE Phone = '555'`,
    `${a} WHERE Website = 'https://acme.EXAMPLE'`,
    `${a} WHERE Description = 'acme\\nzebra'`,
    `${a} WHERE External_Id__c = 'ext-003A'`,
    `${a} WHERE External_Id__c > 'EXT-150'`,
    `${g} WHERE Code__c = 'CODE-7'`,
    `${g} WHERE Sku__c = 'sku-7'`,
    `${g} WHERE Mail__c = 'BOB@example.com'`,
    `${g} WHERE Tel__c = ''`,
    `${g} WHERE Web__c != 'https://a.example'`,
    `${g} WHERE Color__c = 'RED'`,
    `${g} WHERE Notes__c < 'b'`,
    `${c} WHERE Email = 'bob.7@example.com'`,
    `${c} WHERE Email LIKE 'éva%'`,
    `${c} WHERE Email LIKE 'ÉVA%'`,
    `${c} WHERE LeadSource != 'web'`,
    // Numbers: a decimal against a BIGINT column, huge values, equality of doubles.
    `${a} WHERE NumberOfEmployees > 5.5`,
    `${a} WHERE NumberOfEmployees >= 5.5`,
    `${a} WHERE NumberOfEmployees = 5.0`,
    `${a} WHERE NumberOfEmployees = 5.5`,
    `${a} WHERE NumberOfEmployees != 5.5`,
    `${a} WHERE NumberOfEmployees != 10`,
    `${a} WHERE NumberOfEmployees <= -1`,
    `${a} WHERE NumberOfEmployees < 0.5`,
    `${a} WHERE NumberOfEmployees > 99999999999999999999`,
    `${a} WHERE NumberOfEmployees < 99999999999999999999`,
    `${a} WHERE NumberOfEmployees = null`,
    `${a} WHERE NumberOfEmployees < ${'9'.repeat(400)}`,
    `${a} WHERE NumberOfEmployees > -${'9'.repeat(400)}`,
    `${g} WHERE Weight__c != ${'9'.repeat(400)}`,
    `${a} WHERE AnnualRevenue >= 1000.5`,
    `${a} WHERE AnnualRevenue = 0`,
    `${a} WHERE AnnualRevenue != 19.99`,
    `${a} WHERE AnnualRevenue < -5`,
    `${g} WHERE Count__c = 9007199254740991`,
    `${g} WHERE Count__c > 9007199254740990`,
    `${g} WHERE Count__c < -9007199254740990.5`,
    `${g} WHERE Count__c >= 42`,
    `${g} WHERE Count__c IN (1, 2, 3, 42)`,
    `${g} WHERE Count__c NOT IN (0, 1)`,
    `${g} WHERE Count__c != 0`,
    `${g} WHERE Weight__c = 0.30000000000000004`,
    `${g} WHERE Weight__c = 0.3`,
    `${g} WHERE Weight__c > 2.25`,
    `${g} WHERE Weight__c <= 1.5`,
    `${g} WHERE Weight__c IN (1.5)`,
    `${g} WHERE Weight__c IN (7, 100)`,
    `${g} WHERE Weight__c != 100`,
    `${g} WHERE Weight__c < -0.5`,
    `${g} WHERE Price__c = 19.99`,
    `${g} WHERE Price__c > 1000`,
    `${g} WHERE Ratio__c < 0.001`,
    `${g} WHERE Ratio__c >= 100000000000000000000`,
    // Checkboxes.
    `${g} WHERE Active__c = true`,
    `${g} WHERE Active__c = FALSE`,
    `${g} WHERE Active__c != true`,
    `${g} WHERE Active__c != false`,
    `${c} WHERE DoNotCall = TRUE AND HasOptedOutOfEmail = false`,
    `${c} WHERE NOT DoNotCall = true`,
    'SELECT Id FROM User WHERE IsActive = false',
    // Dates, date-times, times.
    `${c} WHERE Birthdate = 2024-05-15`,
    `${c} WHERE Birthdate > 2024-01-01`,
    `${c} WHERE Birthdate < 2023-01-01`,
    `${c} WHERE Birthdate != 2024-05-15`,
    `${c} WHERE Birthdate IN (2024-05-15, 2024-05-14, 2020-02-29)`,
    `${c} WHERE Birthdate NOT IN (2024-05-15)`,
    `${c} WHERE Birthdate = null`,
    `${g} WHERE Made__c >= 2024-05-01 AND Made__c <= 2024-05-31`,
    `${a} WHERE CreatedDate > 2024-05-15T00:00:00Z`,
    `${a} WHERE CreatedDate <= 2024-05-15T12:00:00+02:00`,
    `${a} WHERE CreatedDate < 2024-05-15T10:00:00.000Z`,
    `${g} WHERE Seen__c != 2024-05-15T00:00:00Z`,
    `${g} WHERE At__c = '10:30:00.000Z'`,
    `${g} WHERE At__c < '12:00:00'`,
    `${g} WHERE At__c > '09:30:00.000Z'`,
    // Date literals on dates and date-times, with each operator.
    `${c} WHERE Birthdate = TODAY`,
    `${c} WHERE Birthdate = YESTERDAY`,
    `${c} WHERE Birthdate = THIS_MONTH`,
    `${c} WHERE Birthdate != THIS_YEAR`,
    `${c} WHERE Birthdate < LAST_N_DAYS:30`,
    `${c} WHERE Birthdate > NEXT_N_DAYS:10`,
    `${c} WHERE Birthdate = LAST_N_YEARS:2`,
    `${c} WHERE Birthdate >= N_DAYS_AGO:3`,
    `${c} WHERE Birthdate <= THIS_QUARTER`,
    `${c} WHERE Birthdate = THIS_WEEK`,
    `${c} WHERE Birthdate = NEXT_N_MONTHS:3`,
    `${a} WHERE CreatedDate = LAST_N_DAYS:7`,
    `${a} WHERE CreatedDate != TODAY`,
    `${a} WHERE CreatedDate > LAST_WEEK`,
    `${g} WHERE Seen__c = THIS_WEEK`,
    `${g} WHERE Made__c != LAST_MONTH`,
    `${g} WHERE Made__c = LAST_90_DAYS OR Seen__c = NEXT_90_DAYS`,
    `${g} WHERE Made__c < THIS_FISCAL_YEAR`,
    // Ids and lookups: 18 and 15 characters, wrong case, binary order.
    `${a} WHERE Id = '${a1}'`,
    `${a} WHERE Id = '${a1.slice(0, 15)}'`,
    `${a} WHERE Id = '${a1.toLowerCase()}'`,
    `${a} WHERE Id != '${a1}'`,
    `${a} WHERE Id < '${a2}'`,
    `${a} WHERE Id >= '001M'`,
    `${a} WHERE Id IN ('${a1}', '${a2}', 'nonsense')`,
    `${c} WHERE AccountId = '${a1}'`,
    `${c} WHERE AccountId != '${a1}'`,
    `${c} WHERE AccountId = null`,
    `${c} WHERE AccountId NOT IN ('${a1}', '${a2}')`,
    `${a} WHERE OwnerId IN ('${u1}', '${u2}')`,
    `${a} WHERE ParentId != null`,
    `${c} WHERE ReportsToId = '${c1}'`,
    // LIKE: wildcards, escapes, case, accents, non-text fields.
    `${a} WHERE Name LIKE 'acme%'`,
    `${a} WHERE Name LIKE '%CORP'`,
    `${a} WHERE Name LIKE '_cme'`,
    `${a} WHERE Name LIKE '%\\%%'`,
    `${a} WHERE Name LIKE '%\\_%'`,
    `${a} WHERE Name LIKE 'a\\_b'`,
    `${a} WHERE Name LIKE 'a_b'`,
    `${a} WHERE Name LIKE '50\\%\\_off'`,
    `${a} WHERE Name LIKE '50%\\_off'`,
    `${a} WHERE Name LIKE '%\\\\%'`,
    `${a} WHERE Name LIKE 'école%'`,
    `${a} WHERE Name LIKE 'ÉCOLE'`,
    `${a} WHERE Name LIKE '%ß%'`,
    `${a} WHERE Name LIKE '%'`,
    `${a} WHERE Name LIKE ''`,
    `${a} WHERE Name LIKE 'z'`,
    `${a} WHERE Name LIKE '%😀%'`,
    `${a} WHERE Name LIKE '_'`,
    `${a} WHERE Name LIKE '中_'`,
    `${a} WHERE Name LIKE 'k%'`,
    `${a} WHERE Name LIKE '\\A%'`,
    `${a} WHERE Name LIKE '%\\n%'`,
    `${a} WHERE NOT Name LIKE 'a%'`,
    `${a} WHERE Site LIKE '%'`,
    `${a} WHERE Name LIKE 'x\\u005c'`,
    `${a} WHERE Name LIKE '%\\u005c\\u005c'`,
    `${a} WHERE Name LIKE 'a\\u005c%b'`,
    `${a} WHERE Id LIKE '001%'`,
    `${c} WHERE AccountId LIKE '001a%'`,
    `${c} WHERE Birthdate LIKE '2024-05%'`,
    `${a} WHERE CreatedDate LIKE '%T00:00:00.000Z'`,
    `${a} WHERE NumberOfEmployees LIKE '1%'`,
    `${g} WHERE Count__c LIKE '-%'`,
    `${g} WHERE Weight__c LIKE '%.5'`,
    `${g} WHERE Weight__c LIKE '100.0'`,
    `${g} WHERE Weight__c LIKE '0.3'`,
    `${g} WHERE Weight__c LIKE '0.0'`,
    `${g} WHERE Weight__c LIKE '0.001'`,
    `${g} WHERE Price__c LIKE '%.99'`,
    `${g} WHERE Active__c LIKE '1'`,
    `${g} WHERE Tags__c LIKE '%red%'`,
    // Values with U+0000, which PostgreSQL text cannot hold (compilePostgres rewrites them).
    `${a} WHERE Name = 'acme\\u0000'`,
    `${a} WHERE Name != 'acme\\u0000'`,
    `${a} WHERE Name < 'b\\u0000'`,
    `${a} WHERE Name <= 'acme\\u0000x'`,
    `${a} WHERE Name > 'acme\\u0000x'`,
    `${a} WHERE Name >= 'M\\u0000'`,
    `${a} WHERE Name IN ('acme', 'x\\u0000')`,
    `${a} WHERE Name IN ('x\\u0000')`,
    `${a} WHERE Name NOT IN ('x\\u0000')`,
    `${a} WHERE Name NOT IN ('acme', '\\u0000')`,
    `${a} WHERE Name LIKE 'acme\\u0000zzz'`,
    `${a} WHERE Name LIKE 'a%\\u0000'`,
    `${a} WHERE Id = '${a1}\\u0000'`,
    `${a} WHERE Id < '001M\\u0000'`,
    `${g} WHERE Tags__c INCLUDES ('red\\u0000')`,
    `${g} WHERE Tags__c INCLUDES ('red\\u0000', 'blue')`,
    `${g} WHERE Tags__c EXCLUDES ('red\\u0000')`,
    `${g} WHERE Tags__c EXCLUDES ('red\\u0000', 'blue')`,
    `${a} WHERE NOT (Name = 'acme\\u0000')`,
    // IN and NOT IN, with nulls.
    `${a} WHERE Name IN ('acme', 'École', 'zebra')`,
    `${a} WHERE Name NOT IN ('acme', 'École')`,
    `${a} WHERE Site IN (null)`,
    `${a} WHERE Site NOT IN (null)`,
    `${a} WHERE Site NOT IN ('acme')`,
    `${a} WHERE Industry IN ('BANKING', 'energy')`,
    `${a} WHERE Industry NOT IN ('banking')`,
    `${a} WHERE NumberOfEmployees IN (1, 2, 3)`,
    `${a} WHERE NumberOfEmployees NOT IN (1, 2, 3)`,
    `${a} WHERE NumberOfEmployees NOT IN (null)`,
    `${g} WHERE Color__c NOT IN ('red', 'blue')`,
    `${g} WHERE Made__c IN (2024-05-15)`,
    `${a} WHERE Name IN ('K', '\u212a')`,
    // INCLUDES and EXCLUDES.
    `${g} WHERE Tags__c INCLUDES ('Red')`,
    `${g} WHERE Tags__c INCLUDES ('red;green')`,
    `${g} WHERE Tags__c INCLUDES ('Red', 'Blue;Green')`,
    `${g} WHERE Tags__c EXCLUDES ('Red')`,
    `${g} WHERE Tags__c EXCLUDES ('red;blue', 'GREEN')`,
    `${g} WHERE Tags__c INCLUDES ('Ünï')`,
    `${g} WHERE Tags__c INCLUDES ('ünï')`,
    `${g} WHERE Tags__c INCLUDES ('ÜNÏ')`,
    `${g} WHERE Tags__c INCLUDES ('a b')`,
    `${g} WHERE Tags__c INCLUDES ('')`,
    `${g} WHERE Tags__c EXCLUDES ('')`,
    `${g} WHERE Tags__c INCLUDES (' red ; blue ')`,
    `${g} WHERE NOT Tags__c INCLUDES ('blue')`,
    `${g} WHERE Tags__c EXCLUDES ('blue') AND Tags__c != null`,
    // AND, OR, NOT nesting (two-valued logic: NOT of a comparison with null is true).
    `${a} WHERE (Name = 'acme' OR Name = 'zebra') AND NumberOfEmployees > 5`,
    `${a} WHERE Name = 'acme' OR (Site = 'acme' AND Industry != null)`,
    `${a} WHERE NOT (Name = 'acme' OR Site = 'acme')`,
    `${a} WHERE NOT (NOT (Name = 'ACME'))`,
    `${a} WHERE NOT Site = 'acme'`,
    `${a} WHERE NOT Site != 'acme'`,
    `${a} WHERE NOT NumberOfEmployees > 5`,
    `${a} WHERE NOT (Site LIKE 'a%' AND NumberOfEmployees < 100)`,
    `${g} WHERE (Active__c = true OR Count__c > 10) AND (NOT Tags__c INCLUDES ('red') OR Made__c = THIS_MONTH)`,
    `${g} WHERE NOT (Weight__c IN (1.5) OR Price__c NOT IN (19.99))`,
    `${c} WHERE ((Birthdate > 2024-01-01 AND NOT DoNotCall = true) OR Email = null) AND LastName != 'acme'`,
    `${a} WHERE NOT (Id IN ('${a1}') OR ParentId = null)`,
    // Semi-joins and anti-joins, with parameters before, inside and after them.
    `${a} WHERE Id IN (SELECT AccountId FROM Contact WHERE DoNotCall = true)`,
    `${a} WHERE Id NOT IN (SELECT AccountId FROM Contact)`,
    `${c} WHERE AccountId IN (SELECT Id FROM Account WHERE Industry = 'banking')`,
    `${g} WHERE Account__c NOT IN (SELECT Id FROM Account WHERE Name LIKE 'a%') AND Count__c > 10`,
    `${a} WHERE Id IN (SELECT Account__c FROM Gadget__c WHERE Tags__c INCLUDES ('red')) AND Name != null`,
    `${a} WHERE OwnerId IN (SELECT Id FROM User WHERE Username LIKE '%EXAMPLE%')`,
    `${a} WHERE NOT (Id IN (SELECT AccountId FROM Contact WHERE Birthdate = THIS_YEAR))`,
    `${a} WHERE Name != 'x' AND Id IN (SELECT AccountId FROM Contact WHERE LastName > 'm' AND Birthdate = LAST_N_YEARS:3) AND NumberOfEmployees > 5 ORDER BY Name LIMIT 10`,
    `${a} WHERE Id IN (SELECT AccountId FROM Contact WHERE Email LIKE 'bob%') AND Id NOT IN (SELECT Account__c FROM Gadget__c WHERE Weight__c > 2) AND Site != null`,
    `${c} WHERE AccountId IN (SELECT ParentId FROM Account WHERE CreatedDate = LAST_N_DAYS:30)`,
    `${a} WHERE Id IN (SELECT Count__c FROM Gadget__c)`,
    `${c} WHERE Id IN (SELECT Contact__c FROM Gadget__c WHERE Color__c = 'GREEN') AND AccountId IN (SELECT Id FROM Account WHERE NumberOfEmployees > 5.5)`,
    // Parent fields, one and two levels, in SELECT, WHERE and ORDER BY.
    "SELECT Id, Account.Name, Account.Owner.Username FROM Contact WHERE Account.Industry = 'banking'",
    'SELECT Name, Parent.Name, Parent.Parent.Name FROM Account WHERE Parent.Parent.Name != null',
    'SELECT Account__r.Name, Contact__r.Account.Owner.Name, Contact__r.LastName FROM Gadget__c WHERE Contact__r.Account.NumberOfEmployees > 5',
    "SELECT Id, Owner.Manager.Username FROM Account WHERE Owner.Manager.Username LIKE 'bob%'",
    'SELECT Id, Account.Name FROM Contact WHERE Account.Name = null',
    "SELECT Id, Account.Name FROM Contact WHERE Account.Name != 'acme'",
    "SELECT Id, ReportsTo.Account.Site FROM Contact WHERE ReportsTo.Account.Site IN ('acme', 'zebra')",
    'SELECT Id, CreatedBy.Name, Parent.Owner.Name FROM Account',
    // ORDER BY: text (case-insensitive and binary), numbers, dates, checkboxes, nulls first and last, parents.
    `${a} ORDER BY Name`,
    `${a} ORDER BY Name DESC`,
    `${a} ORDER BY Name DESC NULLS FIRST`,
    `${a} ORDER BY Site ASC NULLS LAST, Name`,
    `${a} ORDER BY Site DESC NULLS LAST`,
    `${a} ORDER BY NumberOfEmployees DESC, Id`,
    `${a} ORDER BY NumberOfEmployees NULLS LAST`,
    `${a} ORDER BY AnnualRevenue DESC NULLS FIRST, Name DESC`,
    `${a} ORDER BY Industry, AnnualRevenue DESC`,
    `${a} ORDER BY CreatedDate DESC`,
    `${a} ORDER BY Id DESC`,
    `${a} ORDER BY External_Id__c`,
    `${a} ORDER BY OwnerId, Id`,
    `${c} ORDER BY Birthdate NULLS LAST`,
    `${c} ORDER BY Birthdate DESC, LastName`,
    `${c} ORDER BY Email DESC`,
    `${c} ORDER BY DoNotCall, Name`,
    `${g} ORDER BY Weight__c`,
    `${g} ORDER BY Weight__c DESC NULLS LAST`,
    `${g} ORDER BY Active__c DESC`,
    `${g} ORDER BY Tags__c`,
    `${g} ORDER BY Code__c DESC`,
    `${g} ORDER BY Sku__c`,
    `${g} ORDER BY Seen__c`,
    `${g} ORDER BY At__c DESC`,
    `${g} ORDER BY Made__c, Count__c DESC`,
    `${g} ORDER BY Ratio__c`,
    `${g} ORDER BY Color__c, Price__c`,
    'SELECT Id, Name, Account.Name FROM Contact ORDER BY Account.Name DESC NULLS LAST, Name',
    'SELECT Id, Name FROM Account ORDER BY Parent.Name, Owner.Username DESC',
    'SELECT Id FROM Gadget__c ORDER BY Contact__r.Account.Name NULLS LAST',
    // LIMIT and OFFSET, with and without ORDER BY.
    `${a} ORDER BY Name LIMIT 10`,
    `${a} LIMIT 0`,
    `${a} LIMIT 7`,
    `${a} ORDER BY Id LIMIT 5 OFFSET 3`,
    `${a} OFFSET 10`,
    `${a} ORDER BY Name OFFSET 20`,
    `${a} LIMIT 99999999999999999999`,
    `${a} ORDER BY NumberOfEmployees DESC NULLS LAST LIMIT 7 OFFSET 2`,
    `${a} WHERE Name LIKE '%a%' LIMIT 3 OFFSET 1`,
    `${g} ORDER BY Tags__c DESC LIMIT 15`,
    `${c} ORDER BY Birthdate LIMIT 20 OFFSET 2000`,
    `${c} LIMIT 1 OFFSET 0`,
    // queryAll: deleted rows, in the outer query and in semi-joins.
    [`${a}`, true],
    [`${a} WHERE Name = 'acme'`, true],
    [`${a} ORDER BY Name DESC LIMIT 30`, true],
    [`${g} WHERE Tags__c INCLUDES ('red')`, true],
    [`${a} WHERE Id IN (SELECT AccountId FROM Contact WHERE IsDeleted = true)`, true],
    [`${c} WHERE IsDeleted = true`, true],
    ['SELECT Id, Account.Name, Account.IsDeleted FROM Contact WHERE Account.IsDeleted = true', true],
    [`${c} WHERE IsDeleted = true`, false],
  ];
  return list.map((x) => (typeof x === 'string' ? [x, false] : x));
}

// ---------------------------------------------------------------------------------------------------------------
// The random corpus: WHERE trees over the fields of Account, Contact and the custom object, with values taken from
// the data (so filters match rows) or made up (NUL, wildcards, escapes), ORDER BY, LIMIT and OFFSET.

const SOQL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\u0000': '\\u0000',
};
const soqlString = (s: string) => `'${s.replace(/[\\'"\n\r\t\b\f\u0000]/g, (ch) => SOQL_ESCAPES[ch])}'`;

interface FieldChoice {
  path: string;
  type: string;
  /** The object whose rows hold the value (for values taken from the data). */
  object: string;
  field: string;
}

const PATHS: Record<string, FieldChoice[]> = {
  Account: [
    ...[
      'Id',
      'Name',
      'Site',
      'Industry',
      'NumberOfEmployees',
      'AnnualRevenue',
      'CreatedDate',
      'ParentId',
      'OwnerId',
      'External_Id__c',
      'Phone',
      'Description',
    ].map((f) => ({ path: f, object: 'Account', field: f, type: '' })),
    { path: 'Parent.Name', object: 'Account', field: 'Name', type: '' },
    { path: 'Owner.Username', object: 'User', field: 'Username', type: '' },
    { path: 'Parent.Parent.NumberOfEmployees', object: 'Account', field: 'NumberOfEmployees', type: '' },
  ],
  Contact: [
    ...[
      'Id',
      'LastName',
      'FirstName',
      'Name',
      'Email',
      'Birthdate',
      'AccountId',
      'DoNotCall',
      'HasOptedOutOfEmail',
      'LeadSource',
      'CreatedDate',
      'Title',
    ].map((f) => ({ path: f, object: 'Contact', field: f, type: '' })),
    { path: 'Account.Name', object: 'Account', field: 'Name', type: '' },
    { path: 'Account.Industry', object: 'Account', field: 'Industry', type: '' },
    { path: 'Account.Owner.Username', object: 'User', field: 'Username', type: '' },
    { path: 'ReportsTo.Birthdate', object: 'Contact', field: 'Birthdate', type: '' },
  ],
  Gadget__c: [
    ...[
      'Id',
      'Name',
      'Tags__c',
      'Color__c',
      'Account__c',
      'Made__c',
      'Seen__c',
      'At__c',
      'Count__c',
      'Weight__c',
      'Price__c',
      'Ratio__c',
      'Active__c',
      'Code__c',
      'Sku__c',
      'Notes__c',
      'Mail__c',
      'Tel__c',
    ].map((f) => ({ path: f, object: 'Gadget__c', field: f, type: '' })),
    { path: 'Account__r.Name', object: 'Account', field: 'Name', type: '' },
    { path: 'Contact__r.Account.AnnualRevenue', object: 'Account', field: 'AnnualRevenue', type: '' },
    { path: 'Contact__r.Birthdate', object: 'Contact', field: 'Birthdate', type: '' },
  ],
};
for (const choices of Object.values(PATHS))
  for (const c of choices) c.type = schema.object(c.object)!.field(c.field)!.type;

const stored = (f: FieldChoice) => pick(data[f.object])[f.field] ?? null;
const numLit = (n: number) => {
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(Math.max(0, 20 - Math.floor(Math.log10(Math.abs(n)) + 1))).replace(/\.?0+$/, '') : s;
};
const withCase = (s: string) =>
  [...s].map((ch) => (rnd() < 0.3 ? (rnd() < 0.5 ? ch.toUpperCase() : ch.toLowerCase()) : ch)).join('');

/** A literal of the field's type: mostly a stored value (case changed for text), sometimes a made-up one. */
function literal(f: FieldChoice): string {
  const v = rnd() < 0.8 ? stored(f) : null;
  switch (f.type) {
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return numLit(typeof v === 'number' ? v : pick([0, 1, 5, 5.5, -2, 42, 1000.5, 99999, 0.25]));
    case 'boolean':
      return pick(['true', 'false', 'TRUE']);
    case 'date':
      return typeof v === 'string' ? v : pick(['2024-05-15', '2024-01-01', '2030-12-31', '1999-02-28']);
    case 'datetime':
      return typeof v === 'string'
        ? v.replace('.000Z', 'Z')
        : pick(['2024-05-15T00:00:00Z', '2024-05-15T12:00:00+02:00', '2023-01-01T00:00:00.123Z']);
    case 'id':
    case 'reference': {
      const id = typeof v === 'string' ? v : (pick(data[f.object]).Id as string);
      return soqlString(pick([id, id, id.slice(0, 15), id.toLowerCase(), 'nonsense', id.slice(0, 4)]));
    }
    default: {
      const text = typeof v === 'string' ? v : pick(TEXTS);
      return soqlString(
        pick([
          text,
          withCase(text),
          text.slice(0, 1 + int(3)),
          `${text}\u0000${pick(['', 'x', 'zz'])}`,
          pick(['M', 'm', '_', '[', '']),
          text,
        ]),
      );
    }
  }
}

/** A LIKE pattern derived from stored text: case changed, wildcards added, literal % and _ escaped. */
function likePattern(f: FieldChoice): string {
  const v = stored(f);
  const text = typeof v === 'string' ? v : pick(TEXTS);
  const chars = [...text];
  const from = int(chars.length + 1);
  const to = from + int(chars.length - from + 1);
  let body = chars
    .slice(from, to)
    .map((ch) => (ch === '%' || ch === '_' || ch === '\\' ? `\\${ch}` : rnd() < 0.15 ? '_' : ch))
    .join('');
  body = withCase(body);
  if (from > 0 || rnd() < 0.3) body = `%${body}`;
  if (to < chars.length || rnd() < 0.3) body += '%';
  if (rnd() < 0.05) body += `\u0000${pick(['', '%', 'x'])}`;
  const soql = soqlString(body);
  // soqlString doubled the backslashes of the LIKE escapes; a LIKE literal keeps \% \_ \\ as they are.
  return soql.replace(/\\\\(\\\\|%|_)/g, (_m, x: string) => (x === '%' || x === '_' ? `\\${x}` : '\\\\'));
}

function leaf(object: string, allowSemiJoin: boolean): string {
  if (allowSemiJoin && rnd() < 0.08) {
    const negate = rnd() < 0.4 ? 'NOT IN' : 'IN';
    switch (object) {
      case 'Account':
        return `Id ${negate} (SELECT ${pick(['AccountId', 'ReportsTo.AccountId'])} FROM Contact WHERE ${leaf('Contact', false)})`;
      case 'Contact':
        return `AccountId ${negate} (SELECT Id FROM Account WHERE ${leaf('Account', false)})`;
      default:
        return `Account__c ${negate} (SELECT Id FROM Account WHERE ${leaf('Account', false)})`;
    }
  }
  const f = pick(PATHS[object]);
  const r = rnd();
  if (f.type === 'multipicklist' && r < 0.5) {
    const values = Array.from({ length: 1 + int(3) }, () =>
      soqlString(pick([...TAGS, 'red', 'RED;blue', 'green;Ünï', '', 'nope', 'red\u0000'])),
    );
    return `${f.path} ${pick(['INCLUDES', 'EXCLUDES'])} (${values.join(', ')})`;
  }
  if (r < 0.08) return `${f.path} ${pick(['=', '!='])} null`;
  const text = !['int', 'double', 'currency', 'percent', 'boolean', 'date', 'datetime'].includes(f.type);
  if (text && f.type !== 'id' && f.type !== 'reference' && r < 0.3) return `${f.path} LIKE ${likePattern(f)}`;
  if ((f.type === 'date' || f.type === 'datetime') && r < 0.35) {
    return `${f.path} ${pick(['=', '!=', '<', '<=', '>', '>='])} ${pick(['TODAY', 'YESTERDAY', 'THIS_WEEK', 'LAST_MONTH', 'THIS_YEAR', 'LAST_N_DAYS:10', 'NEXT_N_DAYS:5', 'N_DAYS_AGO:2', 'LAST_N_MONTHS:2', 'THIS_QUARTER'])}`;
  }
  // IN lists: one literal type per list (the checker refuses mixed lists, and decimal and boolean lists).
  if (r < 0.5 && f.type !== 'boolean' && f.type !== 'double' && f.type !== 'currency' && f.type !== 'percent') {
    const values =
      f.type === 'int'
        ? Array.from({ length: 1 + int(4) }, () => String(Math.trunc(Number(literal(f)))))
        : Array.from({ length: 1 + int(4) }, () => literal(f));
    return `${f.path} ${pick(['IN', 'NOT IN'])} (${values.join(', ')})`;
  }
  return `${f.path} ${pick(['=', '!=', '<>', '<', '<=', '>', '>='])} ${literal(f)}`;
}

function where(object: string, depth: number, top: boolean): string {
  const r = rnd();
  if (depth <= 0 || r < 0.35) return leaf(object, top);
  if (r < 0.45) return `NOT (${where(object, depth - 1, false)})`;
  const op = rnd() < 0.5 ? 'AND' : 'OR';
  const n = 2 + int(2);
  return `(${Array.from({ length: n }, () => where(object, depth - 1, top && op === 'AND')).join(` ${op} `)})`;
}

function randomQuery(): [string, boolean] {
  const object = pick(['Account', 'Contact', 'Gadget__c']);
  const fields = new Set(['Id']);
  for (let i = int(4); i > 0; i--) fields.add(pick(PATHS[object]).path);
  let soql = `SELECT ${[...fields].join(', ')} FROM ${object}`;
  if (rnd() < 0.9) soql += ` WHERE ${where(object, 1 + int(3), true)}`;
  if (rnd() < 0.5) {
    const keys = Array.from(
      { length: 1 + int(3) },
      () => `${pick(PATHS[object]).path}${pick(['', ' ASC', ' DESC'])}${pick(['', '', ' NULLS FIRST', ' NULLS LAST'])}`,
    );
    soql += ` ORDER BY ${keys.join(', ')}`;
  }
  if (rnd() < 0.3) soql += ` LIMIT ${pick([0, 1, 5, 20, 100, 1000])}`;
  if (rnd() < 0.15) soql += ` OFFSET ${pick([0, 1, 3, 50])}`;
  return [soql, rnd() < 0.2];
}

// ---------------------------------------------------------------------------------------------------------------

// The rows are made up front: the corpus names some of their ids.
seedData();
const unavailable = await postgresUnavailable();
if (unavailable) console.log(`soql-postgres.test: skipped: ${unavailable}`);

describe('SOQL on PostgreSQL: compilePostgres returns what compileSqlite returns (differential)', {
  skip: unavailable ?? false,
}, () => {
  before(setUp);
  after(tearDown);

  const bulk = (soql: string) =>
    compilePostgres(checkSoql(soql, schema, { surface: 'rest', includeDeleted: false, now: NOW }));

  it('numbers placeholders in one sequence across semi-joins, typed for their columns', () => {
    const c = bulk(
      "SELECT Id FROM Account WHERE NumberOfEmployees > 5.5 AND Id IN (SELECT AccountId FROM Contact WHERE DoNotCall = true AND Birthdate < 2024-01-01) AND Name = 'a' LIMIT 3",
    );
    assert.equal(
      c.sql,
      'SELECT t0."Id", t0."Id" FROM "Account" t0 WHERE t0."IsDeleted" = 0 AND ((t0."NumberOfEmployees" > $1::numeric) AND ' +
        '(t0."Id" IN (SELECT t101."AccountId" FROM "Contact" t101 WHERE t101."IsDeleted" = 0 AND ((t101."DoNotCall" = $2::integer) AND ' +
        '(t101."Birthdate" < $3::text COLLATE "C")) AND t101."AccountId" IS NOT NULL)) AND (lower(t0."Name") = lower($4::text COLLATE "C"))) ' +
        'ORDER BY t0."Id" LIMIT $5::bigint',
    );
    assert.deepEqual(c.params, [5.5, 1, '2024-01-01', 'a', 3]);
  });

  it('spells case-insensitivity, LIKE, INCLUDES, NOT, ORDER BY and OFFSET for PostgreSQL', () => {
    const c = bulk(
      "SELECT Id FROM Gadget__c WHERE NOT (Name LIKE 'a\\_%' OR Tags__c INCLUDES ('red;blue')) AND Code__c IN ('x', 'y') ORDER BY Name DESC, Made__c, Count__c OFFSET 5",
    );
    assert.equal(
      c.sql,
      'SELECT t0."Id", t0."Id" FROM "Gadget__c" t0 WHERE t0."IsDeleted" = 0 AND ((NOT coalesce(((t0."Name" ILIKE $1::text COLLATE "C" ESCAPE E\'\\\\\') OR ' +
        "(coalesce(((strpos(lower((';' || t0.\"Tags__c\" || ';') COLLATE \"C\"), lower((';' || $2::text || ';') COLLATE \"C\")) > 0 AND " +
        "strpos(lower((';' || t0.\"Tags__c\" || ';') COLLATE \"C\"), lower((';' || $3::text || ';') COLLATE \"C\")) > 0)), FALSE))), FALSE)) AND " +
        '(lower(t0."Code__c") IN (lower($4::text COLLATE "C"), lower($5::text COLLATE "C")))) ' +
        'ORDER BY lower(t0."Name") COLLATE "C" DESC NULLS LAST, t0."Made__c" COLLATE "C" ASC NULLS FIRST, t0."Count__c" ASC NULLS FIRST, t0."Id" OFFSET $6::bigint',
    );
    assert.deepEqual(c.params, ['a\\_%', 'red', 'blue', 'x', 'y', 5]);
  });

  it('rewrites values holding U+0000, which PostgreSQL text cannot hold', () => {
    const c = bulk(
      "SELECT Id FROM Account WHERE Name = 'a\\u0000' AND Name != 'b\\u0000' AND Name < 'c\\u0000d' AND Name IN ('e', 'f\\u0000') AND Name LIKE 'g%\\u0000h'",
    );
    assert.equal(
      c.sql,
      'SELECT t0."Id", t0."Id" FROM "Account" t0 WHERE t0."IsDeleted" = 0 AND ((FALSE) AND (t0."Name" IS NULL OR NOT (FALSE)) AND ' +
        '(lower(t0."Name") <= lower($1::text COLLATE "C")) AND (lower(t0."Name") IN (lower($2::text COLLATE "C"))) AND ' +
        '(t0."Name" ILIKE $3::text COLLATE "C" ESCAPE E\'\\\\\')) ORDER BY t0."Id"',
    );
    assert.deepEqual(c.params, ['c', 'e', 'g%']);
  });

  const cases = corpus();
  const outcomes: Outcome[] = [];
  it(`inserted the same rows in both databases (then ${cases.length} hand-written queries follow)`, async () => {
    // The setup inserted every row in both databases.
    for (const [objectName, rows] of Object.entries(data)) {
      const table = quoteIdent(schema.object(objectName)!.table);
      const s = (sqlite!.prepare(`SELECT count(*) FROM ${table}`).raw(true).get() as number[])[0];
      const p = (await pool!.query({ text: `SELECT count(*) FROM ${table}`, rowMode: 'array' })).rows[0][0];
      assert.deepEqual([s, p], [rows.length, rows.length], objectName);
    }
  });
  for (const [soql, all] of cases) {
    it(`${all ? 'queryAll ' : ''}${soql.replace(/\u0000/g, '\\0')}`, async () => {
      let outcome: Outcome;
      try {
        outcome = await compare(soql, all);
      } catch (err) {
        if (err instanceof SoqlError)
          assert.fail(`the checker refuses a corpus query (fix the corpus): ${err.message}`);
        throw err;
      }
      outcomes.push(outcome);
      assert.equal(outcome.mismatch, undefined, outcome.mismatch);
    });
  }

  it('the hand-written corpus is not trivial: most filters match some rows and not all', () => {
    const some = outcomes.filter((o) => o.rows > 0).length;
    const partial = outcomes.filter((o) => o.rows > 0 && o.rows < o.total).length;
    assert.ok(some >= outcomes.length * 0.8, `${some} of ${outcomes.length} queries return rows`);
    assert.ok(
      partial >= outcomes.length * 0.6,
      `${partial} of ${outcomes.length} queries return some rows but not all`,
    );
  });

  it(`agrees on ${RANDOM_CASES} random queries (seed ${SEED.toString(16)})`, async (t) => {
    const mismatches: string[] = [];
    let accepted = 0;
    let withRows = 0;
    let ordered = 0;
    for (let i = 0; i < RANDOM_CASES; i++) {
      const [soql, all] = randomQuery();
      let outcome: Outcome;
      try {
        outcome = await compare(soql, all);
      } catch (err) {
        if (err instanceof SoqlError) continue;
        throw err;
      }
      accepted++;
      if (outcome.rows > 0) withRows++;
      if (/ORDER BY/.test(soql)) ordered++;
      if (outcome.mismatch) mismatches.push(`${all ? 'queryAll ' : ''}${outcome.mismatch}`);
    }
    t.diagnostic(
      `${accepted} of ${RANDOM_CASES} random queries accepted by the checker, ${withRows} returned rows, ${ordered} had ORDER BY`,
    );
    assert.ok(accepted >= RANDOM_CASES * 0.8, `only ${accepted} of ${RANDOM_CASES} random queries were accepted`);
    assert.ok(withRows >= accepted * 0.5, `only ${withRows} of ${accepted} random queries returned rows`);
    assert.equal(
      mismatches.length,
      0,
      `${mismatches.length} mismatch(es), e.g.:\n${mismatches.slice(0, 5).join('\n\n')}`,
    );
  });
});
