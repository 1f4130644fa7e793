// The main thread's handle on the worker threads: starts them, wakes them when a batch is queued, restarts
// one that crashes, and stops them on shutdown.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { unknownMessage, type PoolToWorker, type WorkerConfig, type WorkerToPool } from './worker-messages.js';

function send(worker: Worker, msg: PoolToWorker): void {
  worker.postMessage(msg);
}

export interface WorkerPoolEvents {
  onBatchDone?(jobId: string, batchId: string): void;
  onError?(message: string): void;
}

export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private stopping = false;
  /** Threads in a row that exited within a minute of starting. */
  private quickExits = 0;
  constructor(
    private readonly size: number,
    private readonly config: WorkerConfig,
    private readonly events: WorkerPoolEvents = {},
  ) {}

  start(): void {
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  private spawn(): void {
    // A larger young generation: a 10,000-row batch allocates short-lived rows and values by the megabyte, and with
    // V8's default 16 MB semi-space the worker spent a fifth of its time in scavenges (measured: bench 5).
    const workerData: WorkerConfig = this.config;
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData,
      resourceLimits: { maxYoungGenerationSizeMb: 96 },
    });
    worker.on('message', (msg: WorkerToPool) => this.received(msg));
    worker.on('error', (err) => this.events.onError?.(err.stack ?? String(err)));
    const threadId = worker.threadId; // -1 once the thread has exited
    // Elapsed process time, not the org's clock: moving the org's clock (tests, the control plane) must not change it.
    const startedAt = performance.now();
    worker.on('exit', (code) => {
      this.workers.delete(worker);
      if (this.stopping) return;
      // A thread that keeps dying soon after it starts (its database gone, say) is started again less and less often,
      // up to once a minute: starting one compiles its modules, a second of CPU each time.
      this.quickExits = performance.now() - startedAt < 60_000 ? this.quickExits + 1 : 0;
      const delayMs = Math.min(60_000, 500 * 2 ** Math.max(0, this.quickExits - 1));
      this.events.onError?.(`worker thread ${threadId} exited (code ${code}); starting another in ${delayMs} ms`);
      setTimeout(() => !this.stopping && this.spawn(), delayMs).unref();
    });
    this.workers.add(worker);
  }

  private received(msg: WorkerToPool): void {
    switch (msg.type) {
      case 'batchDone':
        this.events.onBatchDone?.(msg.jobId, msg.batchId);
        break;
      case 'error':
        this.events.onError?.(msg.message);
        break;
      case 'stopped':
        // Nothing to do yet: the thread's 'exit' event does the bookkeeping (stop() waits for it).
        break;
      default:
        this.events.onError?.(unknownMessage(msg));
    }
  }

  /** A batch was queued: let idle workers look now rather than at their next poll. */
  wake(): void {
    for (const w of this.workers) send(w, { type: 'wake' });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.workers].map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate().then(() => resolve()), 5000);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            send(w, { type: 'stop' });
          }),
      ),
    );
  }
}
