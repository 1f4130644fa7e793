// Read-only looks into a server's database, the same on both backends: better-sqlite3 (readonly) on the SQLite file,
// or a pg client on the PostgreSQL database. Each call opens and closes its own connection.
//
// The SQL is written once for both: `?` placeholders (turned into $1, $2… for PostgreSQL), and table and column
// names double-quoted wherever their case matters ("Account"."Name": PostgreSQL folds unquoted names to lower case,
// and localforce's PostgreSQL tables keep Salesforce's spelling; its own lf_* tables are lower case on both). Integers
// come back as numbers on both (BIGINT and count(*) too).
import Database from 'better-sqlite3';
import pg from 'pg';

/** A server (RunningServer) or a data location (DataLocation): whichever of the two is set says the backend. */
export interface DbTarget {
  dbFile?: string;
  databaseUrl?: string;
}

export type Row = Record<string, unknown>;

/** BIGINT (int8) arrives as a string by default: every integer localforce stores fits a double exactly. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `?` placeholders, outside quoted text and identifiers, as PostgreSQL's $1, $2… */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | undefined;
  for (const c of sql) {
    if (quote) {
      if (c === quote) quote = undefined;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '?') out += `$${++n}`;
    else out += c;
  }
  return out;
}

function describe(target: DbTarget): string {
  return target.databaseUrl ? 'PostgreSQL' : 'SQLite';
}

/** Every row of `sql`, as objects keyed by column name. */
export async function dbAll<T = Row>(target: DbTarget, sql: string, params: unknown[] = []): Promise<T[]> {
  if (target.databaseUrl) {
    const client = new pg.Client({
      connectionString: target.databaseUrl,
      application_name: 'localforce-tests',
      types: pgTypes,
    });
    await client.connect();
    try {
      return (await client.query({ text: toPgPlaceholders(sql), values: params })).rows as T[];
    } finally {
      await client.end();
    }
  }
  if (!target.dbFile) throw new Error('neither dbFile nor databaseUrl: no database to read');
  const db = new Database(target.dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Runs one writing statement (tests that put the database in a state no request can: a batch tried ten times). */
export async function dbRun(target: DbTarget, sql: string, params: unknown[] = []): Promise<void> {
  if (target.databaseUrl) {
    const client = new pg.Client({ connectionString: target.databaseUrl, application_name: 'localforce-tests' });
    await client.connect();
    try {
      await client.query({ text: toPgPlaceholders(sql), values: params });
    } finally {
      await client.end();
    }
    return;
  }
  if (!target.dbFile) throw new Error('neither dbFile nor databaseUrl: no database to write');
  const db = new Database(target.dbFile);
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** The first row of `sql`, or undefined. */
export async function dbGet<T = Row>(target: DbTarget, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await dbAll<T>(target, sql, params))[0];
}

/** The number in the first column of the one row of `sql` (a `SELECT count(*) …`). */
export async function dbCount(target: DbTarget, sql: string, params: unknown[] = []): Promise<number> {
  const row = await dbGet(target, sql, params);
  if (!row) throw new Error(`${describe(target)}: no row for ${sql}`);
  const value = Object.values(row)[0];
  if (typeof value !== 'number')
    throw new Error(`${describe(target)}: ${sql} gave ${JSON.stringify(value)}, not a number`);
  return value;
}

/** Whether a table of that exact name exists (record tables of non-default orgs are `<org18>_<Object>` on both). */
export async function dbTableExists(target: DbTarget, name: string): Promise<boolean> {
  const sql = target.databaseUrl
    ? "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name = ?"
    : "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?";
  return (await dbCount(target, sql, [name])) > 0;
}

/**
 * SQL for the storage class of a column's value, as SQLite's typeof() names it: 'integer', 'real', 'text' or 'null'.
 * On PostgreSQL the value's type says it (BIGINT and INTEGER: 'integer', DOUBLE PRECISION: 'real', TEXT: 'text'),
 * and a NULL is 'null' whatever the column.
 */
export function storageClassSql(target: DbTarget, column: string): string {
  const c = `"${column}"`;
  if (!target.databaseUrl) return `typeof(${c})`;
  return (
    `CASE WHEN ${c} IS NULL THEN 'null' ELSE CASE pg_typeof(${c})::text WHEN 'bigint' THEN 'integer' WHEN 'integer' THEN 'integer' ` +
    `WHEN 'double precision' THEN 'real' ELSE pg_typeof(${c})::text END END`
  );
}

/** One row of a record table, with the storage class of each requested column (`typeof_<col>`, see storageClassSql). */
export async function storedRow(
  target: DbTarget,
  table: string,
  id: string,
  columns: string[],
): Promise<Row | undefined> {
  const cols = columns.map((c) => `"${c}", ${storageClassSql(target, c)} AS "typeof_${c}"`).join(', ');
  return dbGet(target, `SELECT ${cols} FROM "${table}" WHERE "Id" = ?`, [id]);
}
