// What opening storage gives: the set of stores one process uses, and how a backend is chosen. Kept apart from
// open.ts (which picks and opens a backend) so each backend's own opener can name these types without importing it.
import type { SoqlCompiler } from '../soql/model.js';
import type { BulkStore, OrgStore, QueryStore, RecordTx, SchemaStore, WorkStore } from './types.js';

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
  /**
   * Makes batches left InProgress by a previous run claimable at once, and removes payload files a failed write left
   * unfinished (single-process backends only).
   */
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
