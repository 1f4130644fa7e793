// The SQLite database holds every org's records, password hashes and session hashes: it and its WAL and shared-memory
// files are readable by their owner only. SQLite gives the -wal and -shm files the mode of the database file, so
// making the database file 0600 before SQLite opens it covers all three; existing files are tightened too.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

export const OWNER_ONLY = 0o600;

/** Creates the SQLite file mode 0600 if it is missing, and sets 0600 on it and its -wal and -shm files if present. */
export function ownerOnlySqliteFiles(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', OWNER_ONLY));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, OWNER_ONLY);
}
