// The SQLite data directory: made if missing, checked to be usable, and held by one process at a time. Two
// processes on one file raced at start (each created a default org); SQLite's own locks cannot stop that, since one
// process is meant to share the file with its worker threads. Node offers no OS file lock without native code, so
// the lock is a file created exclusively (`wx`) holding the owner's pid; a lock whose pid is gone is stale (a
// killed process) and is taken over.
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'localforce.lock';

/** A start-up problem with the data directory: the message names the path and the cause, for the operator. */
export class DataDirectoryError extends Error {}

/** Why a file system call failed, in words (the error codes of Node's fs). */
function causeOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a file is in the way (it is not a directory)';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return (err as Error).message;
  }
}

function unusable(path: string, err: unknown): DataDirectoryError {
  return new DataDirectoryError(`Cannot use the data directory ${path}: ${causeOf(err)}`);
}

/** Makes the directory if missing and checks the process may write in it and to its database file. */
export function prepareDataDirectory(dir: string, databaseFile: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 }); // the database holds hashed sessions and every record
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw unusable(dir, err);
  }
  try {
    accessSync(databaseFile, constants.R_OK | constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(databaseFile, err);
  }
}

/** Whether a process with this pid runs (EPERM: it does, under another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** An empty lock file younger than this may be one another process has created and not yet written its pid to. */
const WRITING_MS = 5_000;

function justWritten(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < WRITING_MS;
  } catch {
    return false;
  }
}

/**
 * Takes the directory's lock for this process; returns its release. Refuses, naming the directory and the other
 * pid, when a running process holds it (this process too: two servers in one process on one directory).
 */
export function lockDataDirectory(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        if (readOwner(file) === process.pid) unlinkSync(file);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, err);
    }
    const owner = readOwner(file);
    if (owner === undefined && justWritten(file))
      throw new DataDirectoryError(`The data directory ${dir} is being taken by another localforce process just now`);
    if (owner !== undefined && running(owner))
      throw new DataDirectoryError(
        `The data directory ${dir} is in use by another localforce process (pid ${owner}): ` +
          'stop it first, or give this one another --data directory',
      );
    // Stale: its process is gone (or the file is empty, cut short by a crash while written). Taken over once.
    if (attempt > 0) throw new DataDirectoryError(`Cannot take the lock ${file} of the data directory ${dir}`);
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(file, err);
    }
  }
}
