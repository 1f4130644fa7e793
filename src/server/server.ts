// Starts localforce: opens the store, makes sure the default org exists, starts the workers and the HTTP app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStores, type StoreConfig } from '../store/open.js';
import { DAY_MS } from '../store/purge.js';
import { lockDataDirectory, prepareDataDirectory } from '../store/sqlite/data-dir.js';
import { IdGenerator } from '../org/ids.js';
import { SchemaService } from '../org/schema-service.js';
import { OrgService } from '../org/orgs.js';
import { systemClock, type Clock } from '../org/clock.js';
import { AuthService } from '../org/auth.js';
import { ensureDefaultOrg, type DefaultOrg } from '../org/bootstrap.js';
import { adoptLegacyTables } from '../org/legacy-tables.js';
import { BulkService, DEFAULT_LIMITS } from '../jobs/service.js';
import { WorkerPool } from '../engine/worker-pool.js';
import { buildApp } from './app.js';
import { SeedService } from '../engine/seed.js';
import { RestQueryService } from '../engine/rest-query.js';
import { ApiUsage } from '../org/usage.js';
import { parseSchemaText } from '../org/schema-file.js';
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, LOCALFORCE_VERSION, type ServerConfig } from '../config/server-config.js';
import { ownerOnlySqliteFiles } from './file-modes.js';
import {
  adminTokenMatcher,
  generateAdminToken,
  hostChecker,
  isLoopbackHost,
  writeAdminTokenFile,
} from './admin-access.js';

// The configuration lives in src/config; exported here as well because callers of startServer (tests) import it here.
export { DEFAULT_CONFIG, LOCALFORCE_VERSION, type ServerConfig };

const PURGE_EVERY_MS = 60 * 60 * 1000;

export interface RunningServer {
  url: string;
  org: DefaultOrg;
  /** Whether --seed was loaded at this start (only into a newly created org). */
  seeded: boolean;
  /** The SQLite file, when the server runs on SQLite. */
  dbFile?: string;
  /** The PostgreSQL URL, when the server runs on PostgreSQL. */
  databaseUrl?: string;
  /** What start-up reported to the operator (also written to stderr): orgs that shared record tables. */
  notices: string[];
  /** The control plane's Bearer token: --admin-token, or the one generated at this start. */
  adminToken: string;
  /** Where a generated admin token was written (SQLite data directory only). */
  adminTokenFile?: string;
  close(): Promise<void>;
}

/** What startServer's callers may replace (tests: a clock they move, to expire sessions). */
export interface ServerDependencies {
  clock: Clock;
}

/**
 * Without an admin token of its own, a server reachable from other machines would hand its control plane (users with
 * chosen passwords, every org's data) to whoever reads the banner or the token file: refuse to start instead.
 */
function checkExposure(config: ServerConfig): void {
  if (isLoopbackHost(config.host) || config.adminToken) return;
  throw new Error(
    `--host ${config.host} is not a loopback address, so other machines can reach /_localforce: ` +
      'give an admin token with --admin-token or LOCALFORCE_ADMIN_TOKEN to start (see docs/security.md)',
  );
}

export async function startServer(
  partial: Partial<ServerConfig> = {},
  deps: Partial<ServerDependencies> = {},
): Promise<RunningServer> {
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...partial };
  checkExposure(config);
  const adminToken = config.adminToken || generateAdminToken();
  let adminTokenFile: string | undefined;
  let tempDir: string | undefined;
  let store: StoreConfig;
  let unlock = () => {};
  if (config.database) store = { kind: 'postgres', url: config.database, poolSize: config.databasePoolSize };
  else {
    let dir: string;
    if (config.memory) dir = tempDir = mkdtempSync(join(tmpdir(), 'localforce-'));
    else dir = resolve(config.dataDir);
    store = { kind: 'sqlite', file: join(dir, 'localforce.sqlite') };
    prepareDataDirectory(dir, store.file);
    unlock = lockDataDirectory(dir);
    // --memory's directory is removed on exit, with the token file: a generated token is printed only then.
    if (!config.memory && !config.adminToken) adminTokenFile = writeAdminTokenFile(dir, adminToken);
    ownerOnlySqliteFiles(store.file);
  }
  try {
    return await startOn(config, deps, { store, unlock, tempDir, adminToken, adminTokenFile });
  } catch (err) {
    unlock();
    throw err;
  }
}

/** Where a server starts: its store, and what start-up prepared before opening it. */
interface Prepared {
  store: StoreConfig;
  /** Releases the SQLite data directory's lock (a no-op on PostgreSQL). */
  unlock: () => void;
  /** --memory's temporary directory, removed at close. */
  tempDir: string | undefined;
  adminToken: string;
  adminTokenFile: string | undefined;
}

/** Starts on a store whose data directory (SQLite) this process holds; `unlock` releases it at close. */
async function startOn(
  config: ServerConfig,
  deps: Partial<ServerDependencies>,
  { store, unlock, tempDir, adminToken, adminTokenFile }: Prepared,
): Promise<RunningServer> {
  const stores = await openStores(store, 'api');
  await stores.recoverAbandonedWork();

  const clock = deps.clock ?? systemClock;
  // Ended jobs are purged by the API process (not each worker): now, and then once an hour.
  const purge = () => stores.bulk.purgeEndedJobs(clock.now() - config.purgeAfterDays * DAY_MS);
  await purge();
  const ids = new IdGenerator(stores.bulk, config.pod, 100);
  const schemas = new SchemaService(stores.org, stores.schema);
  const auth = new AuthService(stores.org, clock, config.sessionTimeoutMinutes * 60_000);
  const orgs = new OrgService(stores.org, ids, auth, schemas, clock);
  // Tables of earlier releases move to their case-safe names before any request can reach them.
  const notices = await stores.exclusively(() => adoptLegacyTables(stores.org, schemas, stores.schema));
  for (const notice of notices) process.stderr.write(`localforce: ${notice}\n`);
  // Processes sharing a PostgreSQL database start one at a time here: the first creates the default org.
  const org = await stores.exclusively(() =>
    ensureDefaultOrg(stores.org, orgs, schemas, auth, {
      username: config.username,
      password: config.password,
      orgName: config.orgName,
      token: config.token,
    }),
  );

  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  const pool = new WorkerPool(
    config.workers,
    {
      store,
      pod: config.pod,
      leaseMs: config.leaseMs,
      pollMs: config.pollMs,
      chunkSize: 200,
      maxAttempts: 10,
      processingDelayMs: config.processingDelayMs,
      chunkDelayMs: config.chunkDelayMs,
      maxResultFileBytes: config.maxResultFileBytes,
      dailyBatches: DEFAULT_LIMITS.dailyBatches,
    },
    { onError: (message) => app?.log.error({ worker: true }, message) },
  );
  const limits = { ...DEFAULT_LIMITS, countBatchesFrom: config.resetLimits ? clock.now() : 0 };
  const bulk = new BulkService(stores.bulk, ids, schemas, stores.org, clock, limits, () => pool.wake());
  await stores.onBatchQueuedElsewhere(() => pool.wake());
  const seeds = new SeedService(bulk, stores.bulk, schemas, config.maxVersion);
  const usage = new ApiUsage(() => clock.now());
  if (config.schemaFile) {
    const spec = parseSchemaText(readFileSync(config.schemaFile, 'utf8'));
    await stores.exclusively(() => schemas.apply(org.orgId, spec));
  }

  app = await buildApp({
    logLevel: config.logLevel,
    // Bytes on the wire may exceed the 10,000,000-character limit for multi-byte text; characters are counted later.
    body: { maxBytes: 4 * DEFAULT_LIMITS.maxBatchChars, reportedLimit: DEFAULT_LIMITS.maxBatchChars },
    timeouts: { requestMs: config.requestTimeoutMs },
    // Four batches of up to 40 MB read at once: about 160 MB of bodies at most, whatever the number of clients.
    concurrentUploads: 4,
    async: { bulk, auth, usage, minVersion: config.minVersion, maxVersion: config.maxVersion },
    auth: { auth, orgs: stores.org, schemas, records: stores.records, clock },
    rest: {
      queries: new RestQueryService(schemas, stores.queries, stores.compile, () => clock.now()),
      auth,
      schemas,
      records: stores.records,
      bulk: stores.bulk,
      usage,
      clock,
      minVersion: config.minVersion,
      maxVersion: config.maxVersion,
      dailyBatches: DEFAULT_LIMITS.dailyBatches,
      countBatchesFrom: limits.countBatchesFrom,
      dailyApiRequests: 15_000,
    },
    admin: {
      orgId: org.orgId,
      startedAt: clock.now(),
      version: LOCALFORCE_VERSION,
      clock,
      auth,
      orgs,
      orgStore: stores.org,
      schemas,
      seeds,
      isAdminToken: adminTokenMatcher(adminToken),
      isAllowedHost: hostChecker(config.host, config.allowedHosts),
    },
  });
  pool.start();
  const purgeTimer = setInterval(() => {
    purge().catch((err: Error) => app?.log.error({ err }, 'purging ended jobs failed'));
  }, PURGE_EVERY_MS);
  purgeTimer.unref();
  // Seed data goes into a new org only: a later start on the same data keeps the records it has (inserting the files
  // again would duplicate them, or fail on their unique values). The server listens once seeding is done, so
  // /_localforce/health answering means the seed records are there.
  const seeded = Boolean(config.seedDir && org.created);
  try {
    if (seeded) {
      try {
        await seeds.loadDirectory({ token: '', orgId: org.orgId, userId: org.userId }, config.seedDir!);
      } catch (err) {
        // The org exists now, with the rows loaded before the failure; a later start will not seed it again.
        (err as Error).message +=
          ' (the org was created with the seed rows loaded before this one; a later start on the same data does not seed again: start on an empty data location to seed from the start)';
        throw err;
      }
    }
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    clearInterval(purgeTimer);
    await app.close();
    await pool.stop();
    await stores.close();
    unlock();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    org,
    seeded,
    notices,
    dbFile: store.kind === 'sqlite' ? store.file : undefined,
    databaseUrl: store.kind === 'postgres' ? store.url : undefined,
    adminToken,
    adminTokenFile,
    close: async () => {
      clearInterval(purgeTimer);
      await app!.close();
      await pool.stop();
      await stores.close();
      unlock();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
