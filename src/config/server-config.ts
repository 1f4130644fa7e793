// What a localforce server is started with: every setting, and its value when neither the command line nor the
// caller of startServer gives one. The `serve` options that set these fields are declared in options.ts.

export const LOCALFORCE_VERSION = '0.1.0';

export interface ServerConfig {
  host: string;
  port: number;
  /** A PostgreSQL URL (postgres://…): records and jobs live there, shared with other localforce processes. */
  database?: string;
  /** Connections this process keeps to PostgreSQL (API side; each worker thread has its own few). */
  databasePoolSize: number;
  /** Directory of the SQLite file; ignored with `memory` or `database`. */
  dataDir: string;
  /** Throw-away storage: a temporary file removed on shutdown (worker threads need a file to share). */
  memory: boolean;
  token?: string;
  /** The Bearer token the control plane (/_localforce) requires; generated at start when not given. */
  adminToken?: string;
  /** Host names the control plane answers to besides loopback names and the bound address, comma-separated. */
  allowedHosts?: string;
  /** A session unused for this many minutes is refused (Salesforce's default session timeout: 2 hours). */
  sessionTimeoutMinutes: number;
  logLevel: string;
  username: string;
  password: string;
  orgName: string;
  workers: number;
  /** Delay before a Queued batch may start, in ms. */
  processingDelayMs: number;
  /** Pause after each 200-record chunk, in ms: slow batches on purpose. */
  chunkDelayMs: number;
  /** Query result files roll over past this many bytes (Salesforce: 1 GB). */
  maxResultFileBytes: number;
  /** Jobs ended (Closed, Aborted, Failed) longer ago than this many days are deleted with their files (Salesforce: 7). */
  purgeAfterDays: number;
  minVersion: number;
  maxVersion: number;
  pod: string;
  leaseMs: number;
  pollMs: number;
  /** A schema file (JSON or YAML) of custom objects and fields, applied to the default org at start. */
  schemaFile?: string;
  /** A folder of `<Object>.csv` files inserted into the default org at start. */
  seedDir?: string;
  /**
   * The daily allocations (DailyBulkApiBatches) count only what this start creates: batches are stored, so without
   * it a restart keeps counting the last 24 hours, as an org does until its control plane resets it.
   */
  resetLimits: boolean;
  /** How long one request, body included, may take to arrive (ms); a slower one is cut. */
  requestTimeoutMs: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8484,
  databasePoolSize: 10,
  dataDir: './.localforce',
  memory: false,
  logLevel: 'info',
  username: 'admin@localforce.local',
  password: 'localforce',
  orgName: 'localforce',
  workers: 1,
  processingDelayMs: 0,
  chunkDelayMs: 0,
  maxResultFileBytes: 1024 ** 3,
  purgeAfterDays: 7,
  minVersion: 31,
  maxVersion: 66,
  pod: 'Lf',
  leaseMs: 30_000,
  pollMs: 250,
  resetLimits: false,
  sessionTimeoutMinutes: 120,
  requestTimeoutMs: 10 * 60 * 1000,
};
