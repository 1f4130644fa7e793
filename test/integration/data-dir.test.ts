// The SQLite data directory (issue 12, items 12 and 14): one process at a time, and a directory that cannot be used
// stops the start with a message naming the path and the cause, not a stack trace. SQLite only: PostgreSQL keeps no
// data directory, and several processes may share its database.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDataDir, spawnServer, testBackend } from '../helpers/server.js';

const CLI = resolve(fileURLToPath(new URL('../../src/cli/main.js', import.meta.url)));
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = freshDataDir();
  dirs.push(d);
  return d;
}

/** Runs `localforce serve` expecting it to stop at start; its exit code and everything it wrote. */
async function failedStart(args: string[], asUser?: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asUser === undefined ? {} : { uid: asUser, gid: asUser }),
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((res) => child.once('exit', res));
  clearTimeout(timer);
  return { code, output };
}

function assertStartRefused(r: { code: number | null; output: string }, message: string): void {
  assert.equal(r.code, 1, r.output);
  assert.equal(r.output, `localforce: ${message}\n`);
}

describe('the data directory', { skip: testBackend() !== 'sqlite' }, () => {
  it('is held by one process: a second one refuses, naming the directory and the first pid', async () => {
    const dir = tempDir();
    const first = await spawnServer(['--data', dir]);
    try {
      const second = await failedStart(['--data', dir]);
      assertStartRefused(
        second,
        `The data directory ${dir} is in use by another localforce process (pid ${first.process.pid}): ` +
          'stop it first, or give this one another --data directory',
      );
      assert.equal((await fetch(`${first.url}/_localforce/health`)).status, 200, 'the first one serves on');
    } finally {
      await first.close();
    }
    assert.equal(existsSync(join(dir, 'localforce.lock')), false, 'released at exit');
    const again = await spawnServer(['--data', dir]);
    await again.close();
  });

  it('is taken over from a process that is gone (a stale lock)', async () => {
    const dir = tempDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, 'localforce.lock'), `${gone}\n`);
    const server = await spawnServer(['--data', dir]);
    await server.close();
  });

  it('that is a file stops the start, naming the path and the cause', async () => {
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, 'x');
    assertStartRefused(
      await failedStart(['--data', file]),
      `Cannot use the data directory ${file}: a file is in the way (it is not a directory)`,
    );
    const below = join(file, 'data');
    assertStartRefused(
      await failedStart(['--data', below]),
      `Cannot use the data directory ${below}: a file is in the way (it is not a directory)`,
    );
  });

  it('that may not be written stops the start, naming the path and the cause', async () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const dir = join(parent, 'read-only');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    // root writes anywhere: the server runs as nobody then, as a service account would.
    const asUser = process.getuid?.() === 0 ? 65_534 : undefined;
    assertStartRefused(
      await failedStart(['--data', dir], asUser),
      `Cannot use the data directory ${dir}: permission denied`,
    );
  });
});
