// Opens the SQLite file (WAL), brings localforce's own tables to the latest schema version (the steps and their SQL
// are in store/migrations.ts, shared with PostgreSQL), and creates one typed table per sObject.
import Database from 'better-sqlite3';
import type { FieldDef, ObjectDef } from '../../org/schema.js';
import {
  MIGRATIONS,
  type MigrationStep,
  VERSION_TABLE,
  VERSION_TABLE_DDL,
  baselineVersion,
  checkNotNewer,
  stepsAfter,
  SQLITE_SHA256_HEX,
} from '../migrations.js';
import { createHash } from 'node:crypto';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * FULL makes every commit durable before it returns (the API connection: a 201 means the batch is on disk).
   * Workers use NORMAL: in WAL mode a commit still survives a killed process, and a chunk lost to a power cut is
   * simply redone, because its records, results and progress commit together.
   */
  synchronous: 'FULL' | 'NORMAL';
  /**
   * Whether commits on this connection may run WAL checkpoints. The API connection says no: a checkpoint after a
   * 10 MB batch insert would stall every poll behind it. Worker connections checkpoint, off the event loop.
   */
  checkpoints: boolean;
}

const WORKER_CHECKPOINT_PAGES = 16_384;

export function openDatabase(file: string, options: OpenOptions): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('busy_timeout = 10000');
  // SQLite's default checkpoints after every commit once the WAL passes 1,000 pages (4 MB): a 10 MB batch committed
  // chunk by chunk then paid for dozens of checkpoints and their fsyncs. Workers let the WAL reach 64 MB, and fold
  // it back when idle (Stores.idleMaintenance).
  db.pragma(`wal_autocheckpoint = ${options.checkpoints ? WORKER_CHECKPOINT_PAGES : 0}`);
  db.pragma('foreign_keys = OFF');
  return db;
}

/** SQLite column type per field type; text external ids compare case-insensitively, as in Salesforce. */
export function columnType(f: FieldDef): string {
  switch (f.type) {
    case 'boolean':
    case 'int':
      return 'INTEGER';
    case 'double':
    case 'currency':
    case 'percent':
      return 'REAL';
    default:
      return (f.externalId || f.idLookup || f.unique) && !f.caseSensitive && f.name !== 'Id'
        ? 'TEXT COLLATE NOCASE'
        : 'TEXT';
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates each object's table, and adds columns that a newer schema has, without touching existing rows. */
export function ensureRecordTables(db: Db, objects: readonly ObjectDef[]): void {
  for (const o of objects) {
    const table = quoteIdent(o.table);
    const cols = o.fields.map((f) => `${quoteIdent(f.name)} ${columnType(f)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`);
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (${cols.join(', ')})`);
    const existing = new Set(
      (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name.toLowerCase()),
    );
    for (const f of o.fields) {
      if (!existing.has(f.name.toLowerCase()))
        db.exec(`ALTER TABLE ${table} ADD COLUMN ${quoteIdent(f.name)} ${columnType(f)}`);
    }
    for (const f of o.fields) {
      if (!(f.externalId || (f.idLookup && f.name !== 'Id'))) continue;
      if (f.unique) createUniqueIndex(db, o.table, f.name);
      else
        db.exec(
          `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${o.table}_${f.name}_idx`)} ON ${table} (${quoteIdent(f.name)})`,
        );
    }
  }
}

/**
 * A unique field's index, among live records (a deleted record does not block its value, as the engine's own check
 * has it); the column's NOCASE collation makes it case-insensitive where Salesforce is. A table that already holds
 * duplicates keeps working without it: the start-up says so.
 */
function createUniqueIndex(db: Db, table: string, field: string): void {
  const name = `${table}_${field}_uidx`;
  try {
    db.exec(
      `CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${quoteIdent(table)} (${quoteIdent(field)}) WHERE IsDeleted = 0`,
    );
  } catch (err) {
    if (!String((err as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) throw err;
    console.warn(`localforce: ${table} holds duplicate values for ${field}; left without its unique index`);
  }
}

/**
 * Brings localforce's own tables to the latest version (store/migrations.ts), one step per transaction, so a step
 * that fails leaves the database at the previous version. Record tables are made per org (ensureRecordTables).
 * Only the API thread of the one process that opens the file runs this, before any worker starts.
 */
export function migrate(db: Db): void {
  db.function(SQLITE_SHA256_HEX, { deterministic: true }, (text: unknown) =>
    createHash('sha256').update(String(text), 'utf8').digest('hex'),
  );
  const applyNext = db.transaction(() => applyNextStep(db));
  while (applyNext.immediate()) {
    // one step per transaction
  }
}

/** Applies the step after the database's version and records it; false when there is none. */
function applyNextStep(db: Db): boolean {
  db.exec(VERSION_TABLE_DDL.sqlite);
  const current = currentVersion(db);
  const [next] = stepsAfter(current);
  if (!next) return false;
  db.exec(next.sqlite);
  recordStep(db, next);
  return true;
}

/** The version recorded in the version table; a database from before it is baselined first (migrations.ts). */
function currentVersion(db: Db): number {
  const row = db.prepare(`SELECT MAX(version) AS version FROM ${VERSION_TABLE}`).get() as { version: number | null };
  const version = row.version;
  if (version !== null) return checkNotNewer(version);
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck(true).all() as string[];
  const baseline = baselineVersion(new Set(tables));
  for (const step of MIGRATIONS) if (step.version <= baseline) recordStep(db, step);
  return baseline;
}

function recordStep(db: Db, step: MigrationStep): void {
  db.prepare(`INSERT INTO ${VERSION_TABLE} (version, description, applied_at) VALUES (?, ?, ?)`).run(
    step.version,
    step.description,
    Date.now(),
  );
}

/** Runs `fn` between BEGIN IMMEDIATE and COMMIT, rolling back when it throws. `fn` may await, but must not yield to other users of `db`. */
export async function inTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const value = await fn();
    db.exec('COMMIT');
    return value;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
