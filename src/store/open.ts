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
import type { StoreConfig, Stores } from './stores.js';
import { SqliteQueryStore } from './sqlite/query-store.js';
import { PayloadFiles } from './sqlite/payloads.js';
import { compileSqlite } from '../soql/sqlite.js';

export type { StoreConfig, Stores } from './stores.js';

export async function openStores(config: StoreConfig, role: 'api' | 'worker'): Promise<Stores> {
  if (config.kind === 'postgres') {
    const { openPostgresStores } = await import('./postgres/open.js');
    return openPostgresStores(config, role);
  }
  const db = openDatabase(config.file, {
    synchronous: role === 'api' ? 'FULL' : 'NORMAL',
    checkpoints: role === 'worker',
  });
  if (role === 'api') migrate(db);
  let reader: ReturnType<typeof openDatabase> | undefined;
  const files = new PayloadFiles(config.file);
  const work = new SqliteWorkStore(
    db,
    files,
    () => (reader ??= openDatabase(config.file, { synchronous: 'NORMAL', checkpoints: false })),
  );
  return {
    bulk: new SqliteBulkStore(db, files),
    org: new SqliteOrgStore(db),
    work,
    schema: new SqliteSchemaStore(db),
    records: new SqliteRecordTx(db),
    queries: new SqliteQueryStore(db),
    compile: compileSqlite,
    recoverAbandonedWork: async () => {
      await work.releaseAllLeases();
      await files.removeUnfinished();
    },
    idleMaintenance: async () => void db.pragma('wal_checkpoint(PASSIVE)'),
    onBatchQueuedElsewhere: async () => undefined,
    exclusively: (fn) => fn(), // one process per SQLite file
    close: async () => {
      reader?.close();
      db.close();
    },
  };
}
