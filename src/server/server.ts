// Starts localforce: opens the store, makes sure the default org exists, starts the workers and the HTTP app.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStores, type StoreConfig } from '../store/open.js';
import { IdGenerator } from '../org/ids.js';
import { SchemaService } from '../org/schema-service.js';
import { OrgService } from '../org/orgs.js';
import { systemClock, type Clock } from '../org/clock.js';
import { AuthService } from '../org/auth.js';
import { ensureDefaultOrg, type DefaultOrg } from '../org/bootstrap.js';
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

export interface RunningServer {
  url: string;
  org: DefaultOrg;
  /** Whether --seed was loaded at this start (only into a newly created org). */
  seeded: boolean;
  /** The SQLite file, when the server runs on SQLite. */
  dbFile?: string;
  /** The PostgreSQL URL, when the server runs on PostgreSQL. */
  databaseUrl?: string;
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
  if (config.database) store = { kind: 'postgres', url: config.database, poolSize: config.databasePoolSize };
  else {
    let dir: string;
    if (config.memory) dir = tempDir = mkdtempSync(join(tmpdir(), 'localforce-'));
    else {
      dir = resolve(config.dataDir);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // --memory's directory is removed on exit, with the token file: a generated token is printed only then.
      if (!config.adminToken) adminTokenFile = writeAdminTokenFile(dir, adminToken);
    }
    store = { kind: 'sqlite', file: join(dir, 'localforce.sqlite') };
    ownerOnlySqliteFiles(store.file);
  }
  const stores = await openStores(store, 'api');
  await stores.recoverAbandonedWork();

  const clock = deps.clock ?? systemClock;
  const ids = new IdGenerator(stores.bulk, config.pod, 100);
  const schemas = new SchemaService(stores.org, stores.schema);
  const auth = new AuthService(stores.org, clock, config.sessionTimeoutMinutes * 60_000);
  const orgs = new OrgService(stores.org, ids, auth, schemas, clock);
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
    },
    { onError: (message) => app?.log.error({ worker: true }, message) },
  );
  const bulk = new BulkService(stores.bulk, ids, schemas, stores.org, clock, DEFAULT_LIMITS, () => pool.wake());
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
    await app.close();
    await pool.stop();
    await stores.close();
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
    dbFile: store.kind === 'sqlite' ? store.file : undefined,
    databaseUrl: store.kind === 'postgres' ? store.url : undefined,
    adminToken,
    adminTokenFile,
    close: async () => {
      await app!.close();
      await pool.stop();
      await stores.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
