// Child processes of the benchmark: localforce itself (`localforce serve --memory`, `--data DIR` for the extract,
// `--database URL` for PostgreSQL), the raw node:http reference server and the raw references (SQLite insert,
// mixed-type insert, extract; PostgreSQL COPY). Every child is stopped by its own pid.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.js';

export const TOKEN = '00DLf0000000001!AQbenchTokenForLocalforce';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export interface Child {
  url: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Last resort on an error: stop every child this benchmark started (by pid). */
export function killAll(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface LocalforceOptions {
  /** Extra node flags for the server process (e.g. --cpu-prof). */
  nodeArgs?: string[];
  workers?: number;
  /** A schema file (`--schema`) of custom objects and fields. */
  schema?: string;
  /** Keep the database in this directory (`--data DIR`) instead of throw-away storage (`--memory`). */
  dataDir?: string;
  /** A PostgreSQL URL (`--database URL`) instead of SQLite. */
  database?: string;
}

export async function spawnLocalforce(o: LocalforceOptions = {}): Promise<Child> {
  const port = await freePort();
  const storage = o.database ? ['--database', o.database] : o.dataDir ? ['--data', o.dataDir] : ['--memory'];
  const args = [
    ...(o.nodeArgs ?? []),
    CLI,
    'serve',
    ...storage,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--token',
    TOKEN,
    '--log-level',
    'silent',
  ];
  if (o.workers) args.push('--workers', String(o.workers));
  if (o.schema) args.push('--schema', o.schema);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`localforce exited: ${out}`);
    try {
      const r = await fetch(`${url}/_localforce/health`);
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`localforce did not become healthy: ${out}`);
    }
    await sleep(100);
  }
  return { url, pid: child.pid!, process: child, stop: () => stopChild(child) };
}

export async function spawnReferenceServer(body: Buffer, headers: Record<string, string>): Promise<Child> {
  const child = fork(fileURLToPath(new URL('./reference-server.js', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`reference server exited (${code})`)));
    child.send({ body: body.toString('base64'), headers });
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, process: child, stop: () => stopChild(child) };
}

export interface ReferenceInsert {
  pid: number;
  /** Inserts one batch of the rows; resolves with the transaction's duration in ms. */
  run(): Promise<{ ms: number; rows: number }>;
  stop(): Promise<void>;
}

/** A raw reference child (bench/reference-*.ts): `run(message)` sends one run request and resolves with its reply. */
export interface Reference<Req, Res> {
  pid: number;
  run(request: Req): Promise<Res>;
  stop(): Promise<void>;
}

export async function spawnReference<Req extends object, Res>(
  script: string,
  args: string[],
): Promise<Reference<Req, Res>> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return {
    pid: child.pid!,
    run: (request) =>
      new Promise((resolve, reject) => {
        const exited = (code: number | null) => reject(new Error(`${script} exited (${code})`));
        child.once('exit', exited);
        child.once('message', (m) => {
          child.off('exit', exited);
          resolve(m as Res);
        });
        child.send({ type: 'run', ...request });
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function spawnReferenceInsert(dbFile: string, rows: number): Promise<ReferenceInsert> {
  const ref = await spawnReference<object, { ms: number; rows: number }>('./reference-insert.js', [
    dbFile,
    String(rows),
  ]);
  return { pid: ref.pid, run: () => ref.run({}), stop: ref.stop };
}
