// Opens the stores for one thread. The API thread migrates the schema and uses synchronous=FULL (a 201 means
// the batch is on disk); worker threads open their own connection to the same file.
import { openDatabase, migrate } from './sqlite/database.js';
import { SqliteBulkStore } from './sqlite/bulk-store.js';
import { SqliteOrgStore } from './sqlite/org-store.js';
import { SqliteWorkStore } from './sqlite/claims.js';
import { SqliteSchemaStore } from './sqlite/schema-store.js';
import { SqliteRecordTx } from './sqlite/record-tx.js';
import type { BulkStore, OrgStore, QueryStore, RecordTx, SchemaStore, WorkStore } from './types.js';
import { SqliteQueryStore } from './sqlite/query-store.js';
import { PayloadFiles } from './sqlite/payloads.js';

export interface StoreConfig {
  kind: 'sqlite';
  file: string;
}

export interface Stores {
  bulk: BulkStore;
  org: OrgStore;
  work: WorkStore;
  schema: SchemaStore;
  /** Record reads outside a batch (REST reads, logins). */
  records: RecordTx;
  queries: QueryStore;
  /** Makes batches left InProgress by a previous run claimable again (single-process backends only). */
  recoverAbandonedWork(): void;
  /** Housekeeping a worker runs when it has nothing to do (SQLite: fold the WAL back into the database). */
  idleMaintenance(): void;
  close(): void;
}

export function openStores(config: StoreConfig, role: 'api' | 'worker'): Stores {
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
    recoverAbandonedWork: () => work.releaseAllLeases(),
    idleMaintenance: () => void db.pragma('wal_checkpoint(PASSIVE)'),
    close: () => {
      reader?.close();
      db.close();
    },
  };
}
