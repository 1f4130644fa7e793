// Opens the SQLite file (WAL) and creates localforce's tables and one typed table per sObject.
import Database from 'better-sqlite3';
import type { FieldDef, ObjectDef } from '../../org/schema.js';

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

const LOCALFORCE_TABLES = `
CREATE TABLE IF NOT EXISTS lf_org (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, created_date INTEGER NOT NULL, is_default INTEGER NOT NULL DEFAULT 0,
  schema_version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS lf_schema (
  org_id TEXT NOT NULL, object_name TEXT NOT NULL COLLATE NOCASE, key_prefix TEXT, definition TEXT NOT NULL,
  PRIMARY KEY (org_id, object_name));
CREATE TABLE IF NOT EXISTS lf_login (
  user_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, username TEXT NOT NULL UNIQUE COLLATE NOCASE, password_hash TEXT NOT NULL,
  hard_delete INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS lf_session (
  token TEXT PRIMARY KEY, org_id TEXT NOT NULL, user_id TEXT NOT NULL, created_date INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lf_id_counter (prefix TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lf_job (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, created_by_id TEXT NOT NULL, operation TEXT NOT NULL, object TEXT NOT NULL,
  external_id_field TEXT, concurrency_mode TEXT NOT NULL, content_type TEXT NOT NULL, state TEXT NOT NULL,
  api_version REAL NOT NULL, assignment_rule_id TEXT, created_date INTEGER NOT NULL, system_modstamp INTEGER NOT NULL,
  number_retries INTEGER NOT NULL DEFAULT 0, line_ending TEXT, pk_chunking TEXT);
CREATE TABLE IF NOT EXISTS lf_batch (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, job_id TEXT NOT NULL, state TEXT NOT NULL, state_message TEXT,
  created_date INTEGER NOT NULL, system_modstamp INTEGER NOT NULL,
  records_processed INTEGER NOT NULL DEFAULT 0, records_failed INTEGER NOT NULL DEFAULT 0,
  total_time INTEGER NOT NULL DEFAULT 0, api_active_time INTEGER NOT NULL DEFAULT 0, apex_time INTEGER NOT NULL DEFAULT 0,
  request_content_type TEXT NOT NULL, chunks_done INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT, lease_until INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
  pk_original INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS lf_batch_by_job ON lf_batch (job_id, seq);
CREATE INDEX IF NOT EXISTS lf_batch_by_state ON lf_batch (state, seq);
CREATE INDEX IF NOT EXISTS lf_job_by_org ON lf_job (org_id, created_date);
CREATE TABLE IF NOT EXISTS lf_batch_payload (batch_id TEXT PRIMARY KEY, body BLOB); -- NULL: in payloads/<batch id>.bin
CREATE TABLE IF NOT EXISTS lf_query_result (
  id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, seq INTEGER NOT NULL, row_count INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lf_query_result_by_batch ON lf_query_result (batch_id, seq);
CREATE TABLE IF NOT EXISTS lf_result_chunk (
  result_id TEXT NOT NULL, seq INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (result_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lf_batch_result (
  batch_id TEXT NOT NULL, chunk INTEGER NOT NULL, rows TEXT NOT NULL, PRIMARY KEY (batch_id, chunk)) WITHOUT ROWID;
`;

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
      return (f.externalId || f.idLookup || f.unique) && !f.caseSensitive && f.name !== 'Id' ? 'TEXT COLLATE NOCASE' : 'TEXT';
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates each object's table, and adds columns that a newer schema has, without touching existing rows. */
export function ensureRecordTables(db: Db, objects: readonly ObjectDef[]): void {
  for (const o of objects) {
    const table = quoteIdent(o.table);
    const cols = o.fields.map((f) => `${quoteIdent(f.name)} ${columnType(f)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`);
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (${cols.join(', ')})`);
    const existing = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name.toLowerCase()));
    for (const f of o.fields) {
      if (!existing.has(f.name.toLowerCase())) db.exec(`ALTER TABLE ${table} ADD COLUMN ${quoteIdent(f.name)} ${columnType(f)}`);
    }
    for (const f of o.fields) {
      if (f.externalId || (f.idLookup && f.name !== 'Id')) {
        db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${o.table}_${f.name}_idx`)} ON ${table} (${quoteIdent(f.name)})`);
      }
    }
  }
}

/** localforce's own tables. Record tables are created per org, from its schema (ensureRecordTables). */
export function migrate(db: Db): void {
  db.exec(LOCALFORCE_TABLES);
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
