// The main thread's handle on the load generator worker (bench/load-worker.ts): send a phase, get its result.
import { Worker } from 'node:worker_threads';

export interface LoadPhase {
  label: string;
  /** Full URL on 127.0.0.1. */
  url: string;
  headers: Record<string, string>;
  /** Concurrent request loops (= keep-alive sockets). */
  connections: number;
  /** Requests run but are not recorded (connections opened, JIT warm). */
  warmupMs: number;
  durationMs: number;
  /** The server's process id, to report its CPU use over the measured window. */
  serverPid?: number;
  expectStatus?: number;
  /** When set, a response of any other length counts as an error. */
  expectBytes?: number;
}

export interface LoadResult {
  label: string;
  requests: number;
  errors: number;
  firstError?: string;
  durationMs: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  bytesPerResponse: number;
  contentEncoding?: string;
  /** CPU of the server process over the window, % of one core (all its threads). */
  serverCpuPct: number;
  /** CPU of the benchmark process (load generator + anything else it runs), % of one core. */
  clientCpuPct: number;
  /** Event-loop utilisation of the load generator thread (1 = it was the bottleneck). */
  clientElu: number;
  /** Whole machine over the window: busy CPU and CPU stolen by the hypervisor, % of all cores. */
  machineBusyPct: number;
  stealPct: number;
}

export class LoadGenerator {
  private readonly worker = new Worker(new URL('./load-worker.js', import.meta.url));
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.on('message', (msg: { id: number; result?: LoadResult; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error));
      else p.resolve(msg.result!);
    });
    this.worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  run(phase: LoadPhase): Promise<LoadResult> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, phase });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export interface PollerOptions {
  url: string;
  headers: Record<string, string>;
  intervalMs: number;
  /** Safety bound: the poller stops by itself after this long. */
  maxMs: number;
}

export interface PollerResult {
  polls: number;
  errors: number;
  firstError?: string;
  p50: number;
  p99: number;
  max: number;
  /** The five slowest polls: when they started (ms after the poller started) and how long they took. */
  slowest: { atMs: number; ms: number }[];
}

/** A GET every `intervalMs` on one connection in a worker thread (bench/poll-worker.ts), from start to stop(). */
export class IntervalPoller {
  private readonly worker: Worker;
  private readonly done: Promise<PollerResult>;
  constructor(options: PollerOptions) {
    this.worker = new Worker(new URL('./poll-worker.js', import.meta.url), { workerData: options });
    this.done = new Promise((resolve, reject) => {
      this.worker.once('message', (r: PollerResult) => resolve(r));
      this.worker.once('error', reject);
    });
  }

  async stop(): Promise<PollerResult> {
    this.worker.postMessage('stop');
    const result = await this.done;
    await this.worker.terminate();
    return result;
  }
}
