// The main thread's handle on the worker threads: starts them, wakes them when a batch is queued, restarts
// one that crashes, and stops them on shutdown.
import { Worker } from 'node:worker_threads';
import type { WorkerConfig } from './worker.js';

export interface WorkerPoolEvents {
  onBatchDone?(jobId: string, batchId: string): void;
  onError?(message: string): void;
}

export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private stopping = false;
  constructor(private readonly size: number, private readonly config: WorkerConfig, private readonly events: WorkerPoolEvents = {}) {}

  start(): void {
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  private spawn(): void {
    // A larger young generation: a 10,000-row batch allocates short-lived rows and values by the megabyte, and with
    // V8's default 16 MB semi-space the worker spent a fifth of its time in scavenges (measured: bench 5).
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: this.config, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
    worker.on('message', (msg: { type: string; jobId?: string; batchId?: string; message?: string }) => {
      if (msg.type === 'batchDone') this.events.onBatchDone?.(msg.jobId!, msg.batchId!);
      else if (msg.type === 'error') this.events.onError?.(msg.message!);
    });
    worker.on('error', (err) => this.events.onError?.(err.stack ?? String(err)));
    const threadId = worker.threadId; // -1 once the thread has exited
    worker.on('exit', (code) => {
      this.workers.delete(worker);
      if (this.stopping) return;
      this.events.onError?.(`worker thread ${threadId} exited (code ${code}); starting another in 500 ms`);
      setTimeout(() => !this.stopping && this.spawn(), 500).unref();
    });
    this.workers.add(worker);
  }

  /** A batch was queued: let idle workers look now rather than at their next poll. */
  wake(): void {
    for (const w of this.workers) w.postMessage({ type: 'wake' });
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
            w.postMessage({ type: 'stop' });
          }),
      ),
    );
  }
}
