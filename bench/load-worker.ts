// The HTTP load generator, run in its own worker thread (bench/load.ts starts it) so that the benchmark's other
// work never shares an event loop with it. One phase = N request loops over a keep-alive Agent for a fixed time;
// each request's latency is recorded once the warm-up is over.
import { parentPort } from 'node:worker_threads';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { machineCpu, percentile, procCpuSeconds } from './stats.js';
import type { LoadPhase, LoadResult } from './load.js';

async function runPhase(phase: LoadPhase): Promise<LoadResult> {
  const url = new URL(phase.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: phase.connections });
  let lat = new Float64Array(1 << 17);
  let count = 0;
  let errors = 0;
  let firstError = '';
  let bytes = 0;
  let contentEncoding: string | undefined;
  let sampled = false;

  const t0 = performance.now();
  const measureStart = t0 + phase.warmupMs;
  const end = measureStart + phase.durationMs;

  // CPU and event-loop snapshots at the start and end of the measured window.
  let cpu0 = {
    server: NaN,
    client: process.cpuUsage(),
    elu: performance.eventLoopUtilization(),
    at: measureStart,
    machine: machineCpu(),
  };
  const snapshot = setTimeout(() => {
    cpu0 = {
      server: procCpuSeconds(phase.serverPid),
      client: process.cpuUsage(),
      elu: performance.eventLoopUtilization(),
      at: performance.now(),
      machine: machineCpu(),
    };
  }, phase.warmupMs);

  const once = () =>
    new Promise<void>((resolve) => {
      const start = performance.now();
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: 'GET',
          headers: phase.headers,
        },
        (res) => {
          // Bodies are small and length-delimited: check the declared length and discard the bytes (cheapest for the client).
          const n = Number(res.headers['content-length'] ?? -1);
          res.resume();
          res.on('end', () => {
            const t = performance.now();
            if (
              res.statusCode !== (phase.expectStatus ?? 200) ||
              (phase.expectBytes !== undefined && n !== phase.expectBytes)
            ) {
              errors++;
              firstError ||= `status ${res.statusCode}, ${n} bytes`;
            } else if (start >= measureStart) {
              if (count === lat.length) {
                const bigger = new Float64Array(lat.length * 2);
                bigger.set(lat);
                lat = bigger;
              }
              lat[count++] = t - start;
              bytes += n;
            }
            if (!sampled) {
              sampled = true;
              contentEncoding = res.headers['content-encoding'];
            }
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        errors++;
        firstError ||= err.message;
        resolve();
      });
      req.end();
    });

  const loop = async () => {
    while (performance.now() < end) await once();
  };
  await Promise.all(Array.from({ length: phase.connections }, loop));
  clearTimeout(snapshot);
  const at = performance.now();
  const wallS = (at - cpu0.at) / 1000;
  const clientCpu = process.cpuUsage(cpu0.client);
  const serverCpu = procCpuSeconds(phase.serverPid) - cpu0.server;
  const elu = performance.eventLoopUtilization(cpu0.elu);
  const machine = machineCpu();
  const machineTotal = machine.total - cpu0.machine.total;
  agent.destroy();

  const sorted = lat.slice(0, count).sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i];
  return {
    label: phase.label,
    requests: count,
    errors,
    firstError: firstError || undefined,
    durationMs: phase.durationMs,
    rps: count / (phase.durationMs / 1000),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: count ? sorted[count - 1] : NaN,
    mean: count ? sum / count : NaN,
    bytesPerResponse: count ? bytes / count : NaN,
    contentEncoding,
    serverCpuPct: (serverCpu / wallS) * 100,
    clientCpuPct: ((clientCpu.user + clientCpu.system) / 1e6 / wallS) * 100,
    clientElu: elu.utilization,
    machineBusyPct: ((machine.busy - cpu0.machine.busy) / machineTotal) * 100,
    stealPct: ((machine.steal - cpu0.machine.steal) / machineTotal) * 100,
  };
}

parentPort!.on('message', (msg: { id: number; phase: LoadPhase }) => {
  runPhase(msg.phase).then(
    (result) => parentPort!.postMessage({ id: msg.id, result }),
    (err: Error) => parentPort!.postMessage({ id: msg.id, error: err.stack ?? String(err) }),
  );
});
