// Small statistics and process helpers shared by the benchmark modules.
import { readFileSync } from 'node:fs';

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const CLK_TCK = 100; // Linux USER_HZ

/** CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat; NaN if unknown. */
export function procCpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** A memory figure of a process from /proc/<pid>/status, in MB (VmRSS: resident now; VmHWM: peak resident); NaN if unknown. */
export function procMemoryMb(pid: number | undefined, key: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return NaN;
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Machine-wide CPU counters from /proc/stat (jiffies): busy (non-idle, non-steal), steal, total. */
export function machineCpu(): { busy: number; steal: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f;
    const total = f.slice(0, 8).reduce((a, b) => a + (b || 0), 0);
    return { busy: user + nice + system + irq + softirq, steal: steal || 0, total };
  } catch {
    return { busy: NaN, steal: NaN, total: NaN };
  }
}

export const round = (x: number, digits = 2): number =>
  Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
