// PostgreSQL: the connection pool, localforce's own tables brought to the latest schema version (the steps and their
// SQL are in store/migrations.ts, shared with SQLite; migrate() applies them under the DDL lock), and one typed table
// per sObject.
//
// Record tables mirror the SQLite ones so the engine, the SOQL checker and the wire writers see the same values:
// int → BIGINT, checkbox → INTEGER 0/1, double/currency/percent → DOUBLE PRECISION, everything else TEXT COLLATE "C"
// (binary, as SQLite's default; dates and date-times as ISO-8601 text, which sorts and compares correctly). Identifiers are always quoted, so tables and
// columns keep Salesforce's spelling (`"Account"."NumberOfEmployees"`). Text that Salesforce matches
// case-insensitively (external ids, unique fields) gets an index on lower(column); queries compare lower() on both sides.
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { FieldDef, ObjectDef } from '../../org/schema.js';
import {
  MIGRATIONS,
  type MigrationStep,
  VERSION_TABLE,
  VERSION_TABLE_DDL,
  baselineVersion,
  checkNotNewer,
  stepsAfter,
} from '../migrations.js';

// BIGINT (int8) and COUNT(*) arrive as strings by default; every integer localforce stores fits a double exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

export interface PoolOptions {
  url: string;
  max: number;
  /** Application name shown in pg_stat_activity. */
  name: string;
}

/** A statement running longer than this is cancelled by the server (a stuck query must not hold a worker forever). */
export const STATEMENT_TIMEOUT_MS = 120_000;

export function createPool(o: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max,
    application_name: o.name,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that PostgreSQL drops (a restart) emits 'error' on the pool: without a listener that would
  // crash the process. The pool discards the client and opens a new one on the next query.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * A connection of the pool for a few statements. While it is checked out the pool no longer listens for its
 * 'error' event (a connection lost between statements: PostgreSQL restarting), and an unheard 'error' would end the
 * process; so it is heard here, and the next statement fails instead. `release(true)` discards a broken connection.
 */
export async function checkout(pool: Pool): Promise<{ client: Client; release: (broken?: boolean) => void }> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  return {
    client,
    release: (broken = false) => {
      client.off('error', ignore);
      client.release(broken);
    },
  };
}

/** Runs `fn` in one transaction on one connection, rolling back when it throws. */
export async function inTransaction<T>(pool: Pool, fn: (client: Client) => Promise<T>): Promise<T> {
  const { client, release } = await checkout(pool);
  let broken = false;
  try {
    await client.query('BEGIN');
    const value = await fn(client);
    await client.query('COMMIT');
    return value;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection itself failed: do not return it to the pool
    }
    throw err;
  } finally {
    release(broken);
  }
}

/**
 * A query whose columns arrive in PostgreSQL's binary form: bytea as raw bytes (the text form is hex, four times
 * slower for a 10 MB payload), text as UTF-8 bytes. node-pg supports `binary`; its type declarations do not list it.
 */
export async function queryBinary<T>(db: Pool | Client, text: string, values: unknown[]): Promise<T[]> {
  const config = { text, values, binary: true } as pg.QueryConfig;
  return (await db.query(config)).rows as T[];
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * One bytea value read with `COPY … TO STDOUT (FORMAT binary)`: the bytes arrive as they are stored, without the
 * row protocol's per-value decoding (measured for a 9.5 MB payload: 30–47 ms, against 110–320 ms for a binary-mode
 * SELECT and 450 ms for a text-mode one). COPY takes no parameters, so `where` may only hold literals localforce made
 * itself; `ids` are checked to be plain base62 ids before they are spliced in.
 */
export async function readBytea(
  pool: Pool,
  table: string,
  column: string,
  where: Record<string, string | number>,
): Promise<Buffer | undefined> {
  const conditions = Object.entries(where).map(([k, v]) => {
    if (typeof v === 'number' ? !Number.isSafeInteger(v) : !/^[0-9A-Za-z]{15,18}$/.test(v))
      throw new Error(`readBytea: not an id: ${v}`);
    return `${quoteIdent(k)} = ${typeof v === 'number' ? v : `'${v}'`}`;
  });
  const { client, release } = await checkout(pool);
  let broken = false;
  const chunks: Buffer[] = [];
  try {
    const stream = client.query(
      copyTo(
        `COPY (SELECT ${quoteIdent(column)} FROM ${quoteIdent(table)} WHERE ${conditions.join(' AND ')}) TO STDOUT (FORMAT binary)`,
      ),
    );
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    release(broken);
  }
  return parseSingleByteaCopy(Buffer.concat(chunks));
}

/** The first row's only value in a binary COPY stream (undefined for no row or a NULL). */
function parseSingleByteaCopy(data: Buffer): Buffer | undefined {
  if (data.length < 19 || !data.subarray(0, 11).equals(COPY_SIGNATURE))
    throw new Error('readBytea: not a binary COPY stream');
  let at = 11 + 4; // signature, flags
  at += 4 + data.readInt32BE(at); // header extension
  const fields = data.readInt16BE(at);
  if (fields === -1) return undefined; // trailer: no row
  at += 2;
  const length = data.readInt32BE(at);
  return length < 0 ? undefined : data.subarray(at + 4, at + 4 + length);
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** PostgreSQL column type per field type (see the header comment). */
export function columnType(f: FieldDef): string {
  switch (f.type) {
    case 'boolean':
      return 'INTEGER';
    case 'int':
      return 'BIGINT';
    case 'double':
    case 'currency':
    case 'percent':
      return 'DOUBLE PRECISION';
    default:
      // Binary collation, as SQLite's default: ids (mixed-case base62) sort and range-compare as SQLite's do.
      return 'TEXT COLLATE "C"';
  }
}

/** Whether a field's values match case-insensitively (the SQLite store declares these COLLATE NOCASE). */
export function matchesCaseInsensitively(f: FieldDef): boolean {
  return (
    columnType(f).startsWith('TEXT') &&
    (f.externalId || f.idLookup || f.unique) === true &&
    !f.caseSensitive &&
    f.name !== 'Id'
  );
}

/** Serialises migrations and DDL across processes starting at the same time. */
const DDL_LOCK = 7_347_001;
/** Serialises the start-up of processes sharing a database (Stores.exclusively). */
const STARTUP_LOCK = 7_347_003;

/** Runs `fn` holding a session-level advisory lock on a connection of its own. */
export async function exclusively<T>(pool: Pool, fn: () => Promise<T>): Promise<T> {
  const { client, release } = await checkout(pool);
  let broken = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => (broken = true));
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    release(broken);
  }
}

/**
 * Brings localforce's own tables to the latest version (store/migrations.ts); safe to run from several processes at
 * once. Each step runs in a transaction of its own holding the DDL lock, and reads the version again once it holds
 * it: processes starting together wait for each other, and each step is applied by one of them only.
 */
export async function migrate(pool: Pool): Promise<void> {
  while (await inTransaction(pool, applyNextStep)) {
    // one step per transaction
  }
}

/** Applies the step after the database's version and records it; false when there is none. */
async function applyNextStep(c: Client): Promise<boolean> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
  const tables = await existingTables(c);
  // Created only when missing: even a no-op CREATE … IF NOT EXISTS is DDL, and once every step is applied (the
  // usual start) this transaction must not lock anything other processes are using.
  if (!tables.has(VERSION_TABLE)) await c.query(VERSION_TABLE_DDL.postgres);
  const current = await currentVersion(c, tables);
  const [next] = stepsAfter(current);
  if (!next) return false;
  await c.query(next.postgres);
  await recordStep(c, next);
  return true;
}

async function existingTables(c: Client): Promise<Set<string>> {
  const { rows } = await c.query<{ tablename: string }>(
    'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
  );
  return new Set(rows.map((r) => r.tablename));
}

/** The version recorded in the version table; a database from before it is baselined first (migrations.ts). */
async function currentVersion(c: Client, tables: ReadonlySet<string>): Promise<number> {
  const { rows } = await c.query<{ version: number | null }>(`SELECT MAX(version) AS version FROM ${VERSION_TABLE}`);
  const version = rows[0]?.version ?? null;
  if (version !== null) return checkNotNewer(version);
  const baseline = baselineVersion(tables);
  for (const step of MIGRATIONS) if (step.version <= baseline) await recordStep(c, step);
  return baseline;
}

async function recordStep(c: Client, step: MigrationStep): Promise<void> {
  await c.query(`INSERT INTO ${VERSION_TABLE} (version, description, applied_at) VALUES ($1, $2, $3)`, [
    step.version,
    step.description,
    Date.now(),
  ]);
}

/**
 * Creates each object's table, and adds columns that a newer schema has, without touching existing rows. The catalog
 * is read first and DDL runs only for what is missing, one table per transaction: ALTER TABLE takes an exclusive lock
 * even when its IF NOT EXISTS makes it a no-op, and every process runs this at start, while others are serving.
 */
export async function ensureRecordTables(pool: Pool, objects: readonly ObjectDef[]): Promise<void> {
  // Only these objects' tables: with hundreds of orgs the whole catalog made every new org slower than the last.
  const names = objects.map((o) => o.table);
  const { rows } = await pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
    [names],
  );
  const columns = new Map<string, Set<string>>();
  for (const r of rows) {
    let set = columns.get(r.table_name);
    if (!set) {
      set = new Set();
      columns.set(r.table_name, set);
    }
    set.add(r.column_name);
  }
  const indexes = new Set(
    (
      await pool.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY($1::text[])`,
        [names],
      )
    ).rows.map((r) => r.indexname),
  );
  for (const o of objects) {
    const existing = columns.get(o.table);
    const statements: string[] = [];
    const table = quoteIdent(o.table);
    if (!existing) {
      const cols = o.fields.map(
        (f) => `${quoteIdent(f.name)} ${columnType(f)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`,
      );
      statements.push(`CREATE TABLE IF NOT EXISTS ${table} (${cols.join(', ')})`);
    } else {
      for (const f of o.fields)
        if (!existing.has(f.name))
          statements.push(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${quoteIdent(f.name)} ${columnType(f)}`);
    }
    const uniques: { field: string; sql: string }[] = [];
    for (const f of o.fields) {
      if (!(f.externalId || (f.idLookup && f.name !== 'Id'))) continue;
      const column = matchesCaseInsensitively(f) ? `lower(${quoteIdent(f.name)})` : quoteIdent(f.name);
      const name = indexName(o.table, f.name, f.unique ? 'uidx' : 'idx');
      if (indexes.has(name)) continue;
      if (f.unique) uniques.push({ field: f.name, sql: uniqueIndexSql(quoteIdent(name), table, column) });
      else statements.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${table} (${column})`);
    }
    if (statements.length)
      await inTransaction(pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
        for (const sql of statements) await c.query(sql);
      });
    for (const u of uniques) await createUniqueIndex(pool, o.table, u.field, u.sql);
  }
}

/**
 * Unique fields are unique among live records (a deleted one keeps its value in the recycle bin without blocking
 * it, as the engine's own check does): the index is what keeps two processes from inserting the same value at once.
 */
const uniqueIndexSql = (name: string, table: string, column: string) =>
  `CREATE UNIQUE INDEX IF NOT EXISTS ${name} ON ${table} (${column}) WHERE "IsDeleted" = 0`;

/**
 * One unique index in a transaction of its own. A table that already holds duplicates (written before the index
 * existed) keeps working without it: the start-up says so, and the field is unique again once they are resolved.
 */
async function createUniqueIndex(pool: Pool, table: string, field: string, sql: string): Promise<void> {
  try {
    await inTransaction(pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [DDL_LOCK]);
      await c.query(sql);
    });
  } catch (err) {
    if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
    console.warn(`localforce: ${table} holds duplicate values for ${field}; left without its unique index`);
  }
}

export const UNIQUE_VIOLATION = '23505';

/** PostgreSQL truncates identifiers at 63 bytes: long names get a hash suffix so two indexes never collide. */
function indexName(table: string, field: string, suffix: string): string {
  const name = `${table}_${field}_${suffix}`;
  if (Buffer.byteLength(name) <= 63) return name;
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return `${name.slice(0, 50)}_${(h >>> 0).toString(16)}`;
}
