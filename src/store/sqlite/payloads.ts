// Batch payloads beside the database. A large payload (a 10 MB CSV) is written to its own file with an
// asynchronous write and fsync, off the event loop, BEFORE the batch row commits; the row then names it. Written
// inline into SQLite, the same payload blocked every poll behind a 10 MB synchronous write and a WAL checkpoint.
// Small payloads stay inline in lf_batch_payload.
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const INLINE_MAX = 256 * 1024;

export class PayloadFiles {
  readonly dir: string;
  constructor(dbFile: string) {
    this.dir = join(dirname(dbFile), 'payloads');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700); // a directory made by an older release was world-readable
  }

  private path(batchId: string): string {
    return join(this.dir, `${batchId}.bin`);
  }

  /** Durable once it resolves: data and file are fsynced, then the file is renamed into place. */
  async write(batchId: string, body: Buffer): Promise<void> {
    const tmp = `${this.path(batchId)}.tmp`;
    // Owner only, like the database: a payload is an org's records (docs/security.md).
    const handle = await open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.path(batchId));
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /**
   * Removes `.tmp` files a write left behind when it failed (a full disk, a killed process): their batch was never
   * stored. Only while no upload runs: at start, before the server listens.
   */
  async removeUnfinished(): Promise<number> {
    const unfinished = (await readdir(this.dir)).filter((name) => name.endsWith('.tmp'));
    for (const name of unfinished) await rm(join(this.dir, name), { force: true });
    return unfinished.length;
  }

  /** Drops the file of a batch that was refused after its payload was written. */
  remove(batchId: string): Promise<void> {
    return rm(this.path(batchId), { force: true });
  }

  read(batchId: string): Promise<Buffer> {
    return readFile(this.path(batchId));
  }

  readSync(batchId: string): Buffer {
    return readFileSync(this.path(batchId));
  }
}
