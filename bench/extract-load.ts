// Setup of measurement 6: 1,000,000 Accounts written straight into a stopped localforce's database file.
//
// Loading them through the Bulk API (100 batches of 10,000 rows) would take a minute of the benchmark's budget and
// measure ingest again, which measurement 4 already does. Instead the benchmark starts localforce once with
// `--data DIR` (so it creates its tables and the default org), stops it, and this module inserts the rows into
// DIR/localforce.sqlite's `Account` table with better-sqlite3, filling the columns localforce's own insert fills:
// Id (valid 18-character ids with key prefix 001, in the format of org/ids.ts's IdGenerator: `001` + pod `Lf` + `0`
// + a 9-digit base-62 counter + the checksum), IsDeleted 0, CreatedDate / LastModifiedDate / SystemModstamp,
// CreatedById / LastModifiedById / OwnerId = the default org's admin user, plus Name, Type, Industry,
// NumberOfEmployees and BillingCity. The `001` id counter is advanced past them, so ids the server hands out later
// never collide. localforce is then started again on the same directory and sees the rows as its own.
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { base62, to18 } from '../src/wire/ids.js';

const INDUSTRIES = [
  'Agriculture',
  'Banking',
  'Chemicals',
  'Construction',
  'Education',
  'Energy',
  'Finance',
  'Healthcare',
  'Insurance',
  'Manufacturing',
  'Media',
  'Retail',
  'Technology',
  'Utilities',
];
const TYPES = ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Other'];
const CITIES = [
  'San Francisco',
  'New York',
  'Chicago',
  'Austin',
  'Seattle',
  'Boston',
  'Denver',
  'Atlanta',
  'Toronto',
  'London',
];

/** The id localforce's IdGenerator gives the n-th Account of pod `Lf`. */
export const accountId = (n: number) => to18(`001Lf0${base62(n, 9)}`);

/** Inserts `count` Accounts into a stopped localforce database; returns the time it took in ms. */
export function loadAccountsDirectly(dbFile: string, count: number): number {
  const t0 = performance.now();
  const db = new Database(dbFile);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF'); // setup only: the file is checkpointed and closed before localforce opens it again
    const userId = db
      .prepare(`SELECT l.user_id FROM lf_login l JOIN lf_org o ON o.id = l.org_id WHERE o.is_default = 1 LIMIT 1`)
      .pluck(true)
      .get() as string | undefined;
    if (!userId) throw new Error('extract setup: no default org user in the database');
    const existing = db.prepare('SELECT COUNT(*) FROM "Account"').pluck(true).get() as number;
    if (existing !== 0) throw new Error(`extract setup: Account already holds ${existing} rows`);
    const insert =
      db.prepare(`INSERT INTO "Account" ("Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById",
      "SystemModstamp", "OwnerId", "Name", "Type", "Industry", "NumberOfEmployees", "BillingCity") VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const now = new Date().toISOString();
    const step = 100_000;
    for (let from = 1; from <= count; from += step) {
      db.transaction(() => {
        for (let n = from; n < from + step && n <= count; n++) {
          insert.run(
            accountId(n),
            now,
            userId,
            now,
            userId,
            now,
            userId,
            `Extract Account ${String(n).padStart(7, '0')}`,
            TYPES[n % TYPES.length],
            INDUSTRIES[(n * 7) % INDUSTRIES.length],
            1 + ((n * 7919) % 250_000),
            CITIES[(n * 3) % CITIES.length],
          );
        }
      })();
    }
    db.prepare(
      'INSERT INTO lf_id_counter (prefix, next) VALUES (?, ?) ON CONFLICT (prefix) DO UPDATE SET next = max(next, excluded.next)',
    ).run('001', count + 1);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return performance.now() - t0;
}
