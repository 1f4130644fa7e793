// Failed logins, counted per username and per client address (in memory, per process).
//   - A username is locked after 10 failed logins in a row, for 15 minutes: Salesforce's default password policy
//     ("Maximum invalid login attempts": 10, "Lockout effective period": 15 minutes). A locked user is refused even
//     with the right password, with the same error as a wrong one (the org says "…or user locked out" in both).
//     Unknown usernames are counted the same way, so lockout does not tell which usernames exist.
//   - An address is slowed, never locked: past 10 failures in 15 minutes, each of its logins waits before its
//     password is checked, 100 ms doubling per further failure up to 5 s. Guessing many usernames from one place gets
//     slow; the wait is a timer, so other requests do not wait with it.
import type { Clock } from './clock.js';

export const MAX_FAILED_LOGINS = 10;
export const LOCKOUT_MS = 15 * 60 * 1000;
const ADDRESS_FREE_FAILURES = 10;
const ADDRESS_BASE_DELAY_MS = 100;
const ADDRESS_MAX_DELAY_MS = 5_000;
/** Entries kept per map: beyond it the oldest are forgotten (memory stays bounded under a flood of names). */
const MAX_ENTRIES = 100_000;

interface Failures {
  count: number;
  /** When the count started (address window) or when the lock ends (username). */
  since: number;
  lockedUntil: number;
}

function remember(map: Map<string, Failures>, key: string, entry: Failures): void {
  map.delete(key);
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, entry);
}

export class LoginThrottle {
  private readonly byUsername = new Map<string, Failures>();
  private readonly byAddress = new Map<string, Failures>();
  constructor(private readonly clock: Clock) {}

  /** How long a login from this address waits before its password is checked (ms). */
  delayFor(address: string): number {
    const entry = this.liveAddressEntry(address);
    const extra = (entry?.count ?? 0) - ADDRESS_FREE_FAILURES;
    if (extra < 0) return 0;
    return Math.min(ADDRESS_MAX_DELAY_MS, ADDRESS_BASE_DELAY_MS * 2 ** Math.min(extra, 16));
  }

  isLocked(username: string): boolean {
    const entry = this.byUsername.get(usernameKey(username));
    return entry !== undefined && entry.lockedUntil > this.clock.now();
  }

  recordFailure(username: string, address: string): void {
    const now = this.clock.now();
    const key = usernameKey(username);
    const user = this.byUsername.get(key);
    // A lock that has run out starts a new count, as the org's does.
    const count = user && (user.lockedUntil === 0 || user.lockedUntil > now) ? user.count + 1 : 1;
    const lockedUntil = count >= MAX_FAILED_LOGINS ? user?.lockedUntil || now + LOCKOUT_MS : 0;
    remember(this.byUsername, key, { count, since: user?.since ?? now, lockedUntil });
    const place = this.liveAddressEntry(address);
    remember(this.byAddress, address, { count: (place?.count ?? 0) + 1, since: place?.since ?? now, lockedUntil: 0 });
  }

  /** A successful login clears its username's count (not its address's: one good account must not reset guessing). */
  recordSuccess(username: string): void {
    this.byUsername.delete(usernameKey(username));
  }

  private liveAddressEntry(address: string): Failures | undefined {
    const entry = this.byAddress.get(address);
    if (entry && this.clock.now() - entry.since > LOCKOUT_MS) {
      this.byAddress.delete(address);
      return undefined;
    }
    return entry;
  }
}

/** Usernames are matched without regard to case, as logins are. */
const usernameKey = (username: string): string => username.trim().toLowerCase();
