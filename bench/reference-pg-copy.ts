// The raw PostgreSQL reference for measurement 7: the same 10,000 Account rows, already typed, sent with one
// `COPY "Account" (…) FROM STDIN` (pg + pg-copy-streams, text format) in one transaction, into an Account table made
// by localforce's own DDL (ensureRecordTables with the standard Account definition: same columns and types, Id
// primary key, the same indexes) in a database of its own on the same server. synchronous_commit is off in that
// transaction, as in localforce's chunk transactions. It writes the columns localforce's insert writes: the CSV's
// fields, the system fields (Id, IsDeleted, Created*, LastModified*, SystemModstamp, OwnerId) and every checkbox.
// The timed section is what a raw client does: turn the typed rows into COPY text, BEGIN, COPY, COMMIT.
//
// Started with fork(file, [databaseUrl, rowCount]); on { type: 'run' } it copies one batch and replies { ms, rows }.
// The table accumulates across runs, as localforce's does across batches.
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { performance } from 'node:perf_hooks';
import { standardSchema } from '../src/org/registry.js';
import { createPool, ensureRecordTables, quoteIdent } from '../src/store/postgres/database.js';
import { IdGenerator } from '../src/org/ids.js';
import { ACCOUNT_COLUMNS, generateAccounts, type Cell } from './data.js';

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
// The default org's Account, as localforce builds it (table "Account").
const account = standardSchema('00DLf0000000001', true).object('Account')!;

const pool = createPool({ url, max: 2, name: 'localforce-bench-reference' });
await ensureRecordTables(pool, [account]);

const SYSTEM = [
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'OwnerId',
];
const provided = new Set<string>(ACCOUNT_COLUMNS);
// As localforce's insertColumns (src/engine/dml.ts): provided fields, fields with a default, checkboxes, system fields.
const columns = account.fields.filter(
  (f) => provided.has(f.name) || f.defaultValue !== undefined || f.type === 'boolean' || SYSTEM.includes(f.name),
);
const copySql = `COPY ${quoteIdent(account.table)} (${columns.map((f) => quoteIdent(f.name)).join(', ')}) FROM STDIN`;

const data = generateAccounts(count);
const ids = new IdGenerator({ reserveIds: async () => 1 }, 'Rf');
const userId = ids.format('005', 1);
let nextId = 1;

type Value = Cell | null;

function typedRows(): Value[][] {
  const now = new Date().toISOString();
  return data.map((cells) => {
    const byName = new Map<string, Cell>();
    for (const [i, c] of ACCOUNT_COLUMNS.entries()) byName.set(c, cells[i]);
    return columns.map((f): Value => {
      switch (f.name) {
        case 'Id':
          return ids.format('001', nextId++);
        case 'IsDeleted':
          return 0;
        case 'CreatedDate':
        case 'LastModifiedDate':
        case 'SystemModstamp':
          return now;
        case 'CreatedById':
        case 'LastModifiedById':
        case 'OwnerId':
          return userId;
      }
      if (byName.has(f.name)) return byName.get(f.name)!;
      if (f.defaultValue !== undefined)
        return typeof f.defaultValue === 'boolean' ? (f.defaultValue ? 1 : 0) : f.defaultValue;
      return f.type === 'boolean' ? 0 : null;
    });
  });
}

/** COPY's text format: tab-separated, `\N` for null, backslash escapes for backslash, tab, newline, carriage return. */
function copyText(rows: readonly Value[][]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += '\t';
      const v = row[i];
      if (v === null) out += '\\N';
      else if (typeof v === 'number') out += String(v);
      else
        out += /[\\\t\n\r]/.test(v)
          ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
          : v;
    }
    out += '\n';
  }
  return out;
}

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'run') {
    void (async () => {
      const rows = typedRows(); // built outside the timed section
      const client = await pool.connect();
      try {
        const t0 = performance.now();
        await client.query('BEGIN');
        await client.query('SET LOCAL synchronous_commit = off');
        await pipeline(Readable.from([copyText(rows)]), client.query(copyFrom(copySql)));
        await client.query('COMMIT');
        const ms = performance.now() - t0;
        process.send!({ ms, rows: rows.length });
      } finally {
        client.release();
      }
    })().catch((err: Error) => {
      process.stderr.write(`reference-pg-copy: ${err.stack ?? err}\n`);
      process.exit(1);
    });
  } else if (msg.type === 'stop') {
    void pool.end().finally(() => process.exit(0));
  }
});
process.send!({ ready: true, columns: columns.length });
