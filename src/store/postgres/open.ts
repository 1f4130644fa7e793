// Opens the PostgreSQL stores for one thread: a pool of its own (the API side: `poolSize`; a worker thread: a few,
// one for chunk transactions, one for a streaming query cursor, one spare), the tables created or migrated on the
// API side, and — on request — a LISTEN connection that wakes this process's workers when any process queues a batch.
import pg from 'pg';
import type { StoreConfig, Stores } from '../stores.js';
import { createPool, exclusively, migrate } from './database.js';
import { BATCH_QUEUED_CHANNEL, PostgresBulkStore } from './bulk-store.js';
import { PostgresOrgStore } from './org-store.js';
import { PostgresWorkStore } from './claims.js';
import { PostgresSchemaStore } from './schema-store.js';
import { PostgresRecordTx } from './record-tx.js';
import { PostgresQueryStore } from './query-store.js';
import { redactDatabaseUrl } from '../database-url.js';
import { compilePostgres } from '../../soql/postgres.js';

const WORKER_POOL_SIZE = 3;
const RELISTEN_MS = 1000;

export async function openPostgresStores(
  config: Extract<StoreConfig, { kind: 'postgres' }>,
  role: 'api' | 'worker',
): Promise<Stores> {
  const pool = createPool({
    url: config.url,
    max: role === 'api' ? (config.poolSize ?? 10) : WORKER_POOL_SIZE,
    name: `localforce-${role}`,
  });
  try {
    if (role === 'api') await migrate(pool);
    else await pool.query('SELECT 1'); // fail fast on a bad URL
  } catch (err) {
    await pool.end();
    throw new Error(`PostgreSQL at ${redactDatabaseUrl(config.url)}: ${(err as Error).message}`, { cause: err });
  }
  const listeners: pg.Client[] = [];
  let closing = false;

  /** LISTENs on its own connection; after a lost connection (a restart) it listens again, until close. */
  async function listen(onNotify: () => void): Promise<void> {
    const client = new pg.Client({ connectionString: config.url, application_name: 'localforce-listen' });
    let retried = false;
    const retry = () => {
      // Both the 'error' event and the failed LISTEN may call this for one lost connection: reconnect once.
      if (retried) return;
      retried = true;
      const i = listeners.indexOf(client);
      if (i >= 0) listeners.splice(i, 1);
      client.end().catch(() => undefined);
      if (!closing) setTimeout(() => !closing && listen(onNotify).catch(() => undefined), RELISTEN_MS).unref();
    };
    client.on('error', retry);
    client.on('notification', () => onNotify());
    listeners.push(client);
    try {
      await client.connect();
      await client.query(`LISTEN ${BATCH_QUEUED_CHANNEL}`);
      onNotify(); // anything queued while not listening
    } catch {
      retry();
    }
  }

  return {
    bulk: new PostgresBulkStore(pool),
    org: new PostgresOrgStore(pool),
    work: new PostgresWorkStore(pool),
    schema: new PostgresSchemaStore(pool),
    records: new PostgresRecordTx(pool),
    queries: new PostgresQueryStore(pool),
    compile: compilePostgres,
    // Several processes share the database: a batch InProgress may be another live process's. Leases expire instead.
    recoverAbandonedWork: async () => undefined,
    idleMaintenance: async () => undefined,
    onBatchQueuedElsewhere: async (listener) => listen(listener),
    exclusively: (fn) => exclusively(pool, fn),
    close: async () => {
      closing = true;
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}
