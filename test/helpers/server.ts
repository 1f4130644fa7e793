// Test servers: the real localforce, over real HTTP, on a real database of the backend under test.
//   LOCALFORCE_TEST_BACKEND = sqlite (default) | postgres selects it; on postgres every server gets a fresh database
//   made on LOCALFORCE_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards.
//   freshDataLocation(): where a server keeps its data — a directory (SQLite) or a database (PostgreSQL) — made apart
//   from any process, so a test can stop or kill a server and start another one on the same data.
//   startTestServer(): in this process (port 0, a fresh data location, removed by close()).
//   spawnServer(): a separate `localforce serve` process, for tests that kill or restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import pg from 'pg';
import {
  startServer,
  type RunningServer,
  type ServerConfig,
  type ServerDependencies,
} from '../../src/server/server.js';

export const TEST_TOKEN = '00DLf0000000001!AQtestTokenForLocalforce';
/** The control plane's token on every test server (startTestServer, spawnServer) unless a test gives its own. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-for-localforce';

/** The headers a control plane request needs: the admin token, and `extra` (a Content-Type, …). */
export function adminHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...extra };
}

export type TestBackend = 'sqlite' | 'postgres';

/** The backend the tests run on: LOCALFORCE_TEST_BACKEND, `sqlite` when unset. */
export function testBackend(): TestBackend {
  const value = process.env.LOCALFORCE_TEST_BACKEND || 'sqlite';
  if (value !== 'sqlite' && value !== 'postgres')
    throw new Error(`LOCALFORCE_TEST_BACKEND must be sqlite or postgres, not ${JSON.stringify(value)}`);
  return value;
}

/** Where the PostgreSQL tier creates and drops its databases (a superuser, or a role that may CREATE DATABASE). */
export function pgAdminUrl(): string {
  return process.env.LOCALFORCE_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'localforce-test-'));
}

/** Runs `fn` on a connection to the admin database. */
async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgAdminUrl(), application_name: 'localforce-tests' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The admin URL with another database name. */
function databaseUrl(name: string): string {
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Where a server keeps its data, made apart from any server so that several may use it one after another. */
export interface DataLocation {
  backend: TestBackend;
  /** For startTestServer/startServer: `{ dataDir }` (SQLite) or `{ database }` (PostgreSQL). */
  config: Pick<ServerConfig, 'dataDir'> | Pick<ServerConfig, 'database'>;
  /** For spawnServer: `['--data', dir]` or `['--database', url]`. */
  args: string[];
  /** The SQLite file the server will use (helpers/db.ts reads it). */
  dbFile?: string;
  /** The PostgreSQL database URL (helpers/db.ts reads it). */
  databaseUrl?: string;
  /** Deletes the directory, or drops the database (WITH (FORCE)); call it once the servers on it have stopped. */
  remove(): Promise<void>;
}

/** A new, empty data location for the backend under test: a temporary directory, or a database `lf_test_<random>`. */
export async function freshDataLocation(backend: TestBackend = testBackend()): Promise<DataLocation> {
  if (backend === 'sqlite') {
    const dir = freshDataDir();
    return {
      backend,
      config: { dataDir: dir },
      args: ['--data', dir],
      dbFile: join(dir, 'localforce.sqlite'),
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `lf_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(name);
  let removed = false;
  return {
    backend,
    config: { database: url },
    args: ['--database', url],
    databaseUrl: url,
    remove: async () => {
      if (removed) return;
      removed = true;
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * A server in this process. Without a data location in `config` (dataDir, database or memory), it gets a fresh one
 * of the backend under test, which its close() removes after the server has stopped.
 */
export async function startTestServer(
  config: Partial<ServerConfig> = {},
  deps: Partial<ServerDependencies> = {},
): Promise<RunningServer> {
  const base: Partial<ServerConfig> = {
    port: 0,
    token: TEST_TOKEN,
    adminToken: TEST_ADMIN_TOKEN,
    logLevel: 'silent',
    pollMs: 50,
  };
  if (config.dataDir !== undefined || config.database !== undefined || config.memory)
    return startServer({ ...base, ...config }, deps);
  const location = await freshDataLocation();
  let server: RunningServer;
  try {
    server = await startServer({ ...base, ...location.config, ...config }, deps);
  } catch (err) {
    await location.remove();
    throw err;
  }
  return {
    ...server,
    close: async () => {
      try {
        await server.close();
      } finally {
        await location.remove();
      }
    },
  };
}

const CLI = resolve(fileURLToPath(new URL('../../src/cli/main.js', import.meta.url)));

export interface SpawnedServer {
  url: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  output(): string;
  /** Stops the process (SIGTERM, SIGKILL after 10 s) and removes the data location spawnServer made for it, if any. */
  close(): Promise<void>;
}

const DATA_ARGS = ['--data', '--database', '--memory'];
/** Spawned servers get TEST_ADMIN_TOKEN unless the test gives an admin token (argument or variable) of its own. */
const givesAdminToken = (args: string[], env: Record<string, string>) =>
  'LOCALFORCE_ADMIN_TOKEN' in env || args.some((a) => a.split('=')[0] === '--admin-token');

// Every spawned server still running when a test file's tests are done is killed then: one a test failed to close
// would otherwise keep the test file's process (and so the whole run) waiting, and go on using CPU after it.
const running = new Set<ChildProcess>();
after(() => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Runs `localforce serve` as its own process and waits until /_localforce/health answers. Without --data, --database
 * or --memory in `args`, it runs on a fresh data location of the backend under test, removed by close(); a test
 * that restarts a server on the same data makes the location itself (freshDataLocation) and passes its `args`.
 */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<SpawnedServer> {
  const location = args.some((a) => DATA_ARGS.includes(a.split('=')[0])) ? undefined : await freshDataLocation();
  // The data location comes from the arguments only, never from a LOCALFORCE_* variable of the test's environment.
  const inherited = { ...process.env };
  for (const name of ['LOCALFORCE_DATA', 'LOCALFORCE_DATABASE_URL', 'LOCALFORCE_MEMORY', 'LOCALFORCE_ADMIN_TOKEN'])
    delete inherited[name];
  const admin = givesAdminToken(args, env) ? [] : ['--admin-token', TEST_ADMIN_TOKEN];
  // Port 0: the system picks a free port, read back from the banner. (A random fixed port once collided with a port
  // the system had handed to an outgoing connection: EADDRINUSE.)
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--log-level', 'warn', ...admin, ...args, ...(location?.args ?? [])],
    {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  running.add(child);
  const exited = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      running.delete(child);
      res(code);
    }),
  );
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await location?.remove();
  };
  const deadline = Date.now() + 15_000;
  let url = '';
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`server exited: ${out}`);
    }
    url ||= /is listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
    try {
      if (url && (await fetch(`${url}/_localforce/health`)).status === 200) break;
    } catch {
      /* not answering yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await close();
      throw new Error(`server did not become healthy: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, process: child, exited, output: () => out, close };
}
