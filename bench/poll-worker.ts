// A status poller in its own worker thread (bench/load.ts's IntervalPoller starts it): one keep-alive connection,
// one GET every `intervalMs` (the next waits for the previous response, never overlaps it) until told to stop or
// `maxMs` has passed. It measures the latency a client polling a batch sees while the server is busy; being off
// the benchmark's main thread, the client's own work (reading a result file) does not delay its requests.
import { parentPort, workerData } from 'node:worker_threads';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './stats.js';
import type { PollerOptions, PollerResult } from './load.js';

const o = workerData as PollerOptions;
const url = new URL(o.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let stopping = false;
parentPort!.on('message', () => (stopping = true));

function once(): Promise<{ ms: number; ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    const start = performance.now();
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'GET', headers: o.headers },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            ms: performance.now() - start,
            ok: res.statusCode === 200,
            error: res.statusCode === 200 ? undefined : `status ${res.statusCode}`,
          }),
        );
      },
    );
    req.on('error', (err) => resolve({ ms: performance.now() - start, ok: false, error: err.message }));
    req.end();
  });
}

async function run(): Promise<PollerResult> {
  const lat: number[] = [];
  const at: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  let next = t0;
  while (!stopping && performance.now() - t0 < o.maxMs) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (stopping) break;
    const start = performance.now();
    next = start + o.intervalMs;
    const r = await once();
    if (r.ok) {
      lat.push(r.ms);
      at.push(start - t0);
    } else {
      errors++;
      firstError ??= r.error;
    }
  }
  agent.destroy();
  const sorted = Float64Array.from(lat).sort();
  const slowest = lat
    .map((ms, i) => ({ atMs: Math.round(at[i]), ms: Math.round(ms * 10) / 10 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  return {
    polls: sorted.length,
    errors,
    firstError,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    slowest,
  };
}

void run().then((result) => parentPort!.postMessage(result));
