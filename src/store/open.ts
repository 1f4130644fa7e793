// Opens the stores for one thread, on the backend the configuration names.
//   sqlite:   one file. The API thread migrates the schema and commits with synchronous=FULL (a 201 means the batch
//             is on disk); worker threads open their own connection to the same file.
//   postgres: one database shared by any number of processes (store/postgres).
import { openDatabase, migrate } from './sqlite/database.js';
import { SqliteBulkStore } from './sqlite/bulk-store.js';
import { SqliteOrgStore } from './sqlite/org-store.js';
import { SqliteWorkStore } from './sqlite/claims.js';
import { SqliteSchemaStore } from './sqlite/schema-store.js';
import { SqliteRecordTx } from './sqlite/record-tx.js';
import type { BulkStore, OrgStore, QueryStore, RecordTx, SchemaStore, WorkStore } from './types.js';
import { SqliteQueryStore } from './sqlite/query-store.js';
import { PayloadFiles } from './sqlite/payloads.js';
import { compileSqlite } from '../soql/sqlite.js';
import type { SoqlCompiler } from '../soql/model.js';

export type StoreConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize?: number };

export interface Stores {
  bulk: BulkStore;
  org: OrgStore;
  work: WorkStore;
  schema: SchemaStore;
  /** Record reads outside a batch (REST reads, logins). */
  records: RecordTx;
  queries: QueryStore;
  /** Checked SOQL to this backend's SQL. */
  compile: SoqlCompiler;
  /** Makes batches left InProgress by a previous run claimable at once (single-process backends only). */
  recoverAbandonedWork(): Promise<void>;
  /** Housekeeping a worker runs when it has nothing to do (SQLite: fold the WAL back into the database). */
  idleMaintenance(): Promise<void>;
  /**
   * Calls `listener` when any process queues a batch (PostgreSQL: LISTEN/NOTIFY). Only a hint to wake workers
   * early: they poll as well, so a lost notification delays work but never strands it. SQLite: one process, no-op.
   */
  onBatchQueuedElsewhere(listener: () => void): Promise<void>;
  /**
   * Runs `fn` while no other process sharing the database runs its own (start-up: creating the default org and
   * applying the schema file, which two processes started together would otherwise both attempt).
   */
  exclusively<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openStores(config: StoreConfig, role: 'api' | 'worker'): Promise<Stores> {
  if (config.kind === 'postgres') {
    const { openPostgresStores } = await import('./postgres/open.js');
    return openPostgresStores(config, role);
  }
  const db = openDatabase(config.file, { synchronous: role === 'api' ? 'FULL' : 'NORMAL', checkpoints: role === 'worker' });
  if (role === 'api') migrate(db);
  let reader: ReturnType<typeof openDatabase> | undefined;
  const files = new PayloadFiles(config.file);
  const work = new SqliteWorkStore(db, files, () => (reader ??= openDatabase(config.file, { synchronous: 'NORMAL', checkpoints: false })));
  return {
    bulk: new SqliteBulkStore(db, files),
    org: new SqliteOrgStore(db),
    work,
    schema: new SqliteSchemaStore(db),
    records: new SqliteRecordTx(db),
    queries: new SqliteQueryStore(db),
    compile: compileSqlite,
    recoverAbandonedWork: async () => work.releaseAllLeases(),
    idleMaintenance: async () => void db.pragma('wal_checkpoint(PASSIVE)'),
    onBatchQueuedElsewhere: async () => undefined,
    exclusively: (fn) => fn(), // one process per SQLite file
    close: async () => {
      reader?.close();
      db.close();
    },
  };
}
