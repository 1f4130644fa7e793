// localforce's own tables, versioned: one ordered list of steps, each with its SQLite and PostgreSQL SQL side by side.
// A database records the steps it has applied in lf_schema_version; opening it applies the missing ones in order,
// each in its own transaction (on PostgreSQL under the DDL lock, so processes starting together migrate once; see
// sqlite/database.ts and postgres/database.ts for how each backend runs them).
//
// Rules for a new step: append it with the next version, never edit a step a release has shipped (databases that
// applied it will not run it again), and make it additive where possible (ADD COLUMN with a DEFAULT), because on
// PostgreSQL older processes may still be serving from the same database while a newer one migrates it.
//
// The per-org record tables (one per sObject, made from the org's schema) are not versioned here: ensureRecordTables
// in each database.ts adds their missing tables and columns at start.

export interface MigrationStep {
  version: number;
  /** What the step does, stored with it in lf_schema_version. */
  description: string;
  sqlite: string;
  postgres: string;
}

/** The table that records applied steps. Its own DDL is not a step: it must exist before any step is recorded. */
export const VERSION_TABLE = 'lf_schema_version';
export const VERSION_TABLE_DDL = {
  sqlite: `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (
  version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
  postgres: `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (
  version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
};

/**
 * Version 1's tables. A database made before versioned migrations has all of them and no version table: it is
 * recorded as version 1 without running version 1's DDL again (see baselineVersion).
 */
export const VERSION_1_TABLES: readonly string[] = [
  'lf_org',
  'lf_schema',
  'lf_login',
  'lf_session',
  'lf_id_counter',
  'lf_job',
  'lf_batch',
  'lf_batch_payload',
  'lf_query_result',
  'lf_result_chunk',
  'lf_batch_result',
];

const V1_SQLITE = `
CREATE TABLE IF NOT EXISTS lf_org (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, created_date INTEGER NOT NULL, is_default INTEGER NOT NULL DEFAULT 0,
  schema_version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS lf_schema (
  org_id TEXT NOT NULL, object_name TEXT NOT NULL COLLATE NOCASE, key_prefix TEXT, definition TEXT NOT NULL,
  PRIMARY KEY (org_id, object_name));
CREATE TABLE IF NOT EXISTS lf_login (
  user_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
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
  total_time INTEGER NOT NULL DEFAULT 0, api_active_time INTEGER NOT NULL DEFAULT 0,
  apex_time INTEGER NOT NULL DEFAULT 0,
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

const V1_POSTGRES = `
CREATE TABLE IF NOT EXISTS lf_org (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, created_date BIGINT NOT NULL, is_default INTEGER NOT NULL DEFAULT 0,
  schema_version INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS lf_schema (
  seq BIGSERIAL, org_id TEXT NOT NULL, object_key TEXT NOT NULL, object_name TEXT NOT NULL, key_prefix TEXT,
  definition TEXT NOT NULL, PRIMARY KEY (org_id, object_key));
CREATE TABLE IF NOT EXISTS lf_login (
  seq BIGSERIAL, user_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, username TEXT NOT NULL, password_hash TEXT NOT NULL,
  hard_delete INTEGER NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX IF NOT EXISTS lf_login_username ON lf_login (lower(username));
CREATE TABLE IF NOT EXISTS lf_session (
  token TEXT PRIMARY KEY, org_id TEXT NOT NULL, user_id TEXT NOT NULL, created_date BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS lf_id_counter (prefix TEXT PRIMARY KEY, next BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS lf_job (
  id TEXT PRIMARY KEY, org_id TEXT NOT NULL, created_by_id TEXT NOT NULL, operation TEXT NOT NULL, object TEXT NOT NULL,
  external_id_field TEXT, concurrency_mode TEXT NOT NULL, content_type TEXT NOT NULL, state TEXT NOT NULL,
  api_version DOUBLE PRECISION NOT NULL, assignment_rule_id TEXT, created_date BIGINT NOT NULL,
  system_modstamp BIGINT NOT NULL,
  number_retries INTEGER NOT NULL DEFAULT 0, line_ending TEXT, pk_chunking TEXT);
CREATE TABLE IF NOT EXISTS lf_batch (
  seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, job_id TEXT NOT NULL, state TEXT NOT NULL, state_message TEXT,
  created_date BIGINT NOT NULL, system_modstamp BIGINT NOT NULL,
  records_processed INTEGER NOT NULL DEFAULT 0, records_failed INTEGER NOT NULL DEFAULT 0,
  total_time BIGINT NOT NULL DEFAULT 0, api_active_time BIGINT NOT NULL DEFAULT 0, apex_time BIGINT NOT NULL DEFAULT 0,
  request_content_type TEXT NOT NULL, chunks_done INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT, lease_until BIGINT NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
  pk_original INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS lf_batch_by_job ON lf_batch (job_id, seq);
CREATE INDEX IF NOT EXISTS lf_batch_runnable ON lf_batch (seq) WHERE state IN ('Queued', 'InProgress');
CREATE INDEX IF NOT EXISTS lf_job_by_org ON lf_job (org_id, created_date);
CREATE TABLE IF NOT EXISTS lf_batch_payload (batch_id TEXT PRIMARY KEY, body BYTEA NOT NULL);
-- Payloads and result chunks are stored uncompressed: compressing 10 MB on every upload and download cost more than
-- the disk it saved.
ALTER TABLE lf_batch_payload ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE TABLE IF NOT EXISTS lf_query_result (
  id TEXT PRIMARY KEY, batch_id TEXT NOT NULL, seq INTEGER NOT NULL, row_count INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lf_query_result_by_batch ON lf_query_result (batch_id, seq);
CREATE TABLE IF NOT EXISTS lf_result_chunk (
  result_id TEXT NOT NULL, seq INTEGER NOT NULL, body BYTEA NOT NULL, PRIMARY KEY (result_id, seq));
ALTER TABLE lf_result_chunk ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE TABLE IF NOT EXISTS lf_batch_result (
  batch_id TEXT NOT NULL, chunk INTEGER NOT NULL, rows TEXT NOT NULL, PRIMARY KEY (batch_id, chunk));
`;

export const MIGRATIONS: readonly MigrationStep[] = [
  {
    version: 1,
    description: 'localforce tables (Bulk API 1.0 jobs, batches, results; orgs, logins, sessions)',
    sqlite: V1_SQLITE,
    postgres: V1_POSTGRES,
  },
  {
    version: 2,
    description: "lf_job.api: the Bulk API a job belongs to ('bulk1' or 'bulk2')",
    // Jobs only, not batches: a Bulk 2.0 job's internal batches are reached through their job (the claim query
    // already joins lf_job for Serial jobs and Aborted ones), and a batch never changes API apart from its job, so a
    // column on lf_batch would only be a copy that could disagree. Existing rows are Bulk 1.0 jobs: the DEFAULT
    // fills them in, on PostgreSQL without rewriting the table (a constant default is stored in the catalog).
    sqlite: `ALTER TABLE lf_job ADD COLUMN api TEXT NOT NULL DEFAULT 'bulk1' CHECK (api IN ('bulk1', 'bulk2'))`,
    postgres: `ALTER TABLE lf_job ADD COLUMN api TEXT NOT NULL DEFAULT 'bulk1' CHECK (api IN ('bulk1', 'bulk2'))`,
  },
  {
    version: 3,
    description: 'lf_session: tokens stored as their SHA-256 (hex); last_used, for the session timeout',
    // A stolen database file must not hand out live sessions: `token` now holds the hex SHA-256 of the token clients
    // send (org/auth.ts hashes before every lookup), and existing rows are hashed in place, so sessions issued before
    // the upgrade keep working. The column keeps its name so that the step stays additive for processes of the
    // previous release (their sessions are then simply not found by this one, and their clients log in again).
    // last_used defaults to 0, which the stores read as "since creation": rows an older process inserts stay valid.
    // SQLite has no SHA-256 function: the connection that migrates registers SQLITE_SHA256_HEX (sqlite/database.ts).
    sqlite: `ALTER TABLE lf_session ADD COLUMN last_used INTEGER NOT NULL DEFAULT 0;
UPDATE lf_session SET token = lf_sha256_hex(token), last_used = created_date;`,
    postgres: `ALTER TABLE lf_session ADD COLUMN last_used BIGINT NOT NULL DEFAULT 0;
UPDATE lf_session SET token = encode(sha256(convert_to(token, 'UTF8')), 'hex'), last_used = created_date;`,
  },
];

/** The SQL function SQLite's migrations call for the hex SHA-256 of a text (registered on the migrating connection). */
export const SQLITE_SHA256_HEX = 'lf_sha256_hex';

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * The version a database is at when its version table has no row: 1 when it has every version-1 table (made by a
 * release before versioned migrations), 0 when it is new (or has only some of them: version 1's DDL is all
 * IF NOT EXISTS, so running it again completes such a database).
 */
export function baselineVersion(existingTables: ReadonlySet<string>): 0 | 1 {
  return VERSION_1_TABLES.every((t) => existingTables.has(t)) ? 1 : 0;
}

/** The steps after `version`, in order. */
export function stepsAfter(version: number): MigrationStep[] {
  return MIGRATIONS.filter((s) => s.version > version);
}

/**
 * `version`, when this release knows it. A database a newer release has migrated is refused: this release would
 * misread what the newer steps added (a Bulk 2.0 job read as a Bulk 1.0 one, for instance).
 */
export function checkNotNewer(version: number): number {
  if (version > LATEST_VERSION) {
    throw new Error(
      `the database is at schema version ${version}, newer than this release's ${LATEST_VERSION}: ` +
        'run the release that migrated it, or a newer one',
    );
  }
  return version;
}
