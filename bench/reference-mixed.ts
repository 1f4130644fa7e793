// The raw SQLite reference for measurement 5: the 10,000 mixed-type rows, already typed, inserted with one
// better-sqlite3 prepared INSERT in one transaction, WAL, synchronous=NORMAL (as localforce's worker connection).
// The table is the one localforce creates for the custom object: the object is built from the same schema file
// content with localforce's own buildShapes/makeObject and created with ensureRecordTables (same columns, same
// TEXT/INTEGER/REAL types, Id primary key, an index per external id). It inserts the columns localforce's insert
// writes: the CSV's fields plus the system fields (Id, IsDeleted, Created*, LastModified*, SystemModstamp, OwnerId).
//
// The typed values are localforce's coercion of the same raw cells (coerceValue, run before the timed section), so
// both sides store exactly the same values — and a cell that localforce would refuse stops the reference too.
//
// Started with fork(file, [dbFile, rowCount]); on { type: 'run', offset, accountIds } it inserts one batch (rows
// numbered from offset, as the CSV localforce gets) and replies { ms, rows }. The table accumulates across runs.
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { buildShapes } from '../src/org/schema-file.js';
import { makeObject } from '../src/org/schema.js';
import { coerceValue, type CoerceContext, type DbValue } from '../src/org/coerce.js';
import { ensureRecordTables, quoteIdent } from '../src/store/sqlite/database.js';
import { IdGenerator } from '../src/org/ids.js';
import { MIXED_COLUMNS, MIXED_OBJECT, MIXED_SCHEMA, generateMixed } from './data.js';

const [dbFile, countText] = process.argv.slice(2);
const count = Number(countText);
const shape = buildShapes([{ object: MIXED_SCHEMA.objects[0], keyPrefix: 'a00' }]).find(
  (s) => s.name === MIXED_OBJECT,
)!;
const object = makeObject(shape, MIXED_OBJECT);

const db = new Database(dbFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
ensureRecordTables(db, [object]);

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
const provided = new Set(MIXED_COLUMNS);
const columns = object.fields.filter((f) => provided.has(f.name) || SYSTEM.includes(f.name));
const insert = db.prepare(
  `INSERT INTO ${quoteIdent(object.table)} (${columns.map((f) => quoteIdent(f.name)).join(',')}) VALUES (${columns.map(() => '?').join(',')})`,
);
const position = new Map(MIXED_COLUMNS.map((c, i) => [c, i]));

const ids = new IdGenerator({ reserveIds: async () => 1 }, 'Rf');
const userId = ids.format('005', 1);
let nextId = 1;
const ctx: CoerceContext = {
  object,
  lineEnding: null,
  prefixOf: (name) => (name === 'Account' ? '001' : name === MIXED_OBJECT ? 'a00' : undefined),
};

function typedRows(offset: number, accountIds: string[]): DbValue[][] {
  const now = new Date().toISOString();
  return generateMixed(count, offset, accountIds).map((cells) =>
    columns.map((f): DbValue => {
      switch (f.name) {
        case 'Id':
          return ids.format(object.keyPrefix, nextId++);
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
      const r = coerceValue(f, cells[position.get(f.name)!], ctx);
      if ('error' in r) throw new Error(`reference: invalid ${f.name}: ${r.error.message}`);
      return r.value;
    }),
  );
}

process.on('message', (msg: { type: string; offset: number; accountIds: string[] }) => {
  if (msg.type === 'run') {
    const rows = typedRows(msg.offset, msg.accountIds); // built outside the timed section
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
