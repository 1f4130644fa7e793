// The id generator: `keyPrefix + pod (2 chars) + "0" + a 9-character base-62 counter`, plus the 3-character
// checksum of Salesforce's 18-character ids (SOAP API Developer Guide, "Field Types"); the layout after the prefix
// is localforce's (docs/compatibility.md). Counters live in the store so ids stay unique across restarts, worker
// threads and processes; each generator reserves a block at a time so that a 10,000-row batch costs one reservation.
import { base62, to18 } from '../wire/ids.js';

export interface IdCounterStore {
  /** Atomically advances the counter of `prefix` by `count` and returns the first reserved value. */
  reserveIds(prefix: string, count: number): Promise<number>;
}

/** `INV-{0000}` with 7 → `INV-0007`. */
export function formatAutoNumber(format: string, n: number): string {
  return format.replace(/\{(0+)\}/, (_, zeros: string) => String(n).padStart(zeros.length, '0'));
}

export const KEY_PREFIX = {
  job: '750',
  batch: '751',
  queryResult: '752',
  org: '00D',
  user: '005',
  profile: '00e',
} as const;

export class IdGenerator {
  private readonly blocks = new Map<string, { next: number; end: number }>();
  constructor(
    private readonly counters: IdCounterStore,
    private readonly pod = 'Lf',
    private readonly blockSize = 1000,
  ) {}

  /** Returns `count` fresh 18-character ids with the given key prefix. */
  async next(prefix: string, count = 1): Promise<string[]> {
    const ids: string[] = [];
    while (ids.length < count) {
      let block = this.blocks.get(prefix);
      if (!block || block.next >= block.end) {
        const size = Math.max(this.blockSize, count - ids.length);
        const start = await this.counters.reserveIds(prefix, size);
        block = { next: start, end: start + size };
        this.blocks.set(prefix, block);
      }
      while (block.next < block.end && ids.length < count) ids.push(this.format(prefix, block.next++));
    }
    return ids;
  }

  async one(prefix: string): Promise<string> {
    return (await this.next(prefix, 1))[0];
  }

  /** Reserves `count` consecutive numbers of a named counter (auto-number fields); returns the first. */
  async reserveNumbers(counter: string, count: number): Promise<number> {
    return this.counters.reserveIds(counter, count);
  }

  format(prefix: string, n: number): string {
    return to18(`${prefix}${this.pod}0${base62(n, 9)}`);
  }
}
