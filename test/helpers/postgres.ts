// PostgreSQL for tests that need it directly (the differential SOQL test, the multi-process and restart tests):
// whether it can be used here, and an admin connection for CREATE / DROP DATABASE.
import pg from 'pg';
import { pgAdminUrl } from './server.js';
import { redactDatabaseUrl } from '../../src/store/database-url.js';

/**
 * Why PostgreSQL cannot be used here, or undefined when it can. Throws instead when it is required
 * (LOCALFORCE_REQUIRE_POSTGRES=1, as in CI): an unreachable PostgreSQL must fail the run there, never skip.
 */
export async function postgresUnavailable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: pgAdminUrl(), connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    const reason = `PostgreSQL unreachable at ${redactDatabaseUrl(pgAdminUrl())}: ${(err as Error).message}`;
    if (process.env.LOCALFORCE_REQUIRE_POSTGRES === '1') throw new Error(`${reason} (LOCALFORCE_REQUIRE_POSTGRES=1)`);
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** For tests that exist only for PostgreSQL: they run in the PostgreSQL tier (or when no tier is set). */
export async function postgresOnlyTestUnavailable(): Promise<string | undefined> {
  const tier = process.env.LOCALFORCE_TEST_BACKEND;
  if (tier && tier !== 'postgres') return 'runs in the PostgreSQL tier';
  return postgresUnavailable();
}

/** Runs `fn` on a connection to the admin database. */
export async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgAdminUrl(), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL of database `name` on the admin URL's server. */
export function databaseUrl(name: string): string {
  const u = new URL(pgAdminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops a test's database, waiting (up to 60 s) for PostgreSQL if it is restarting. */
export async function dropDatabase(name: string): Promise<void> {
  for (const deadline = Date.now() + 60_000; ; ) {
    try {
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
