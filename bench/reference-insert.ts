// The raw SQLite reference for batch processing: the same 10,000 Account rows, already typed, inserted with one
// better-sqlite3 prepared INSERT in one transaction, into an Account table of the same shape as localforce's
// (same columns and column types, Id primary key, External_Id__c index), WAL, synchronous=NORMAL (as localforce's
// worker connection). It inserts the same columns localforce's insert writes: the CSV's fields plus the system
// fields (Id, IsDeleted, Created*, LastModified*, SystemModstamp, OwnerId).
//
// Started with fork(file, [dbFile, rowCount]); on { type: 'run' } it inserts one batch and replies { ms }.
// The table accumulates across runs, as localforce's does across batches.
import Database from 'better-sqlite3';
import { STANDARD_OBJECTS } from '../src/org/schema.js';
import { columnType, quoteIdent } from '../src/store/sqlite/database.js';
import { IdGenerator } from '../src/org/ids.js';
import { ACCOUNT_COLUMNS, generateAccounts, type Cell } from './data.js';
import { performance } from 'node:perf_hooks';

const [dbFile, countText] = process.argv.slice(2);
const count = Number(countText);
const account = STANDARD_OBJECTS.find((o) => o.name === 'Account')!;

const db = new Database(dbFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(
  `CREATE TABLE IF NOT EXISTS "Account" (${account.fields.map((f) => `${quoteIdent(f.name)} ${columnType(f)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`).join(', ')})`,
);
for (const f of account.fields) {
  if (f.externalId || (f.idLookup && f.name !== 'Id'))
    db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`Account_${f.name}_idx`)} ON "Account" (${quoteIdent(f.name)})`);
}

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
const columns = account.fields.filter((f) => provided.has(f.name) || SYSTEM.includes(f.name)).map((f) => f.name);
const insert = db.prepare(
  `INSERT INTO "Account" (${columns.map(quoteIdent).join(',')}) VALUES (${columns.map(() => '?').join(',')})`,
);

const data = generateAccounts(count);
const ids = new IdGenerator({ reserveIds: async () => 1 }, 'Rf');
const userId = ids.format('005', 1);
let nextId = 1;

function typedRows(): Cell[][] {
  const now = new Date().toISOString();
  return data.map((cells) => {
    const byName = new Map<string, Cell>();
    for (const [i, c] of ACCOUNT_COLUMNS.entries()) byName.set(c, cells[i]);
    return columns.map((c) => {
      switch (c) {
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
        default:
          return byName.get(c)!;
      }
    });
  });
}

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'run') {
    const rows = typedRows(); // built outside the timed section
    const t0 = performance.now();
    db.transaction(() => {
      for (const r of rows) insert.run(r);
    })();
    const ms = performance.now() - t0;
    process.send!({ ms, rows: rows.length });
  } else if (msg.type === 'stop') {
    db.close();
    process.exit(0);
  }
});
process.send!({ ready: true, columns: columns.length });
