// Test servers: the real localforce, over real HTTP, on a real SQLite file.
//   startTestServer(): in this process (port 0, a fresh data directory).
//   spawnServer(): a separate `localforce serve` process, for tests that kill or restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer, type ServerConfig } from '../../src/server/server.js';

export const TEST_TOKEN = '00DLf0000000001!AQtestTokenForLocalforce';

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'localforce-test-'));
}

export async function startTestServer(config: Partial<ServerConfig> = {}): Promise<RunningServer> {
  return startServer({ port: 0, dataDir: freshDataDir(), token: TEST_TOKEN, logLevel: 'silent', pollMs: 50, ...config });
}

const CLI = resolve(fileURLToPath(new URL('../../src/cli/main.js', import.meta.url)));

export interface SpawnedServer {
  url: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  output(): string;
}

/** Runs `localforce serve` as its own process and waits until /_localforce/health answers. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<SpawnedServer> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--log-level', 'warn', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      const r = await fetch(`${url}/_localforce/health`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, process: child, exited, output: () => out };
}
