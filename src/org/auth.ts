// Logins and sessions: password checks, Salesforce-shaped access tokens (`00D…!AQ…`, which the sf CLI requires),
// and token → session resolution with a short-lived in-memory cache (sessions never change once issued, but may be
// revoked or time out). The store holds only each token's SHA-256, and a session unused for the timeout is refused
// (Salesforce's session settings: "Timeout value", counted from the last activity; 2 hours by default). Password
// checks run off the event loop, and repeated failures are slowed and locked out (login-throttle.ts).
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { LoginThrottle } from './login-throttle.js';
import type { OrgStore, Session } from '../store/types.js';
import type { Clock } from './clock.js';
import { BASE62 } from '../wire/ids.js';

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt:${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
}

/** scrypt on libuv's thread pool: a login costs the event loop nothing while its hash is computed. */
function scryptAsync(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** What an unknown username is checked against: the same work as a real hash, so both answer in the same time. */
const DUMMY_HASH = `scrypt:${randomBytes(16).toString('hex')}:${randomBytes(32).toString('hex')}`;

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split(':');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scryptAsync(password, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(expected, actual);
}

/** `<15-char org id>!AQ<base-62 text>`: matches `/(00D\w{12,15})![.\w]*\/` as the sf CLI demands. */
export function newAccessToken(orgId18: string): string {
  const bytes = randomBytes(72);
  let body = '';
  for (const b of bytes) body += BASE62[b % 62];
  return `${orgId18.slice(0, 15)}!AQ${body}`;
}

/** What the store keeps of a token: its SHA-256 in hex (a token has 72 random characters: no salt is needed). */
export function sessionTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Salesforce's default session timeout. */
export const DEFAULT_SESSION_TIMEOUT_MS = 2 * 60 * 60_000;

/**
 * How stale the stored last use may get before a use is written back: one write per session a minute (or per tenth
 * of a short timeout), not one per request. A session can so time out up to this much early, never late.
 */
const touchIntervalOf = (timeoutMs: number) => Math.min(60_000, Math.floor(timeoutMs / 10));

const CACHE_LIMIT = 10_000;
/**
 * How long a resolved session is trusted from memory. Revoking in this process takes effect at once; with several
 * processes on one PostgreSQL, a session revoked through another process is refused here within this time.
 */
const CACHE_TTL_MS = 2_000;

interface CachedSession {
  session: Session;
  tokenHash: string;
  /** The last use the store knows of. */
  lastUsed: number;
  until: number;
}

export class AuthService {
  private readonly cache = new Map<string, CachedSession>();
  private readonly touchIntervalMs: number;
  private readonly throttle: LoginThrottle;
  constructor(
    private readonly store: OrgStore,
    private readonly clock: Clock,
    private readonly timeoutMs = DEFAULT_SESSION_TIMEOUT_MS,
  ) {
    this.touchIntervalMs = touchIntervalOf(timeoutMs);
    this.throttle = new LoginThrottle(clock);
  }

  /**
   * Username + password → a new session, or undefined when they do not match or the user is locked out
   * (login-throttle.ts). Every attempt computes one hash, whether the username exists or is locked.
   */
  async login(username: string, password: string, address = ''): Promise<Session | undefined> {
    const delay = this.throttle.delayFor(address);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const login = await this.store.findLogin(username);
    const matches = await checkPassword(password, login?.passwordHash ?? DUMMY_HASH);
    if (!login || !matches || this.throttle.isLocked(username)) {
      this.throttle.recordFailure(username, address);
      return undefined;
    }
    this.throttle.recordSuccess(username);
    return this.issue(login.orgId, login.userId);
  }

  async issue(orgId: string, userId: string, token = newAccessToken(orgId)): Promise<Session> {
    const session = { token, orgId, userId };
    const tokenHash = sessionTokenHash(token);
    const now = this.clock.now();
    await this.store.saveSession({ tokenHash, orgId, userId }, now);
    this.remember({ session, tokenHash, lastUsed: now, until: now + CACHE_TTL_MS });
    return session;
  }

  /** The session a token names, or undefined when it is unknown, revoked or timed out (each surface's refusal). */
  async resolve(token: string | undefined): Promise<Session | undefined> {
    if (!token) return undefined;
    const now = this.clock.now();
    let entry = await this.lookUp(token, now);
    if (entry && this.expired(entry, now)) {
      // Another process may have recorded a later use since this one cached the session: ask the store once more.
      this.cache.delete(token);
      entry = await this.lookUp(token, now);
      if (entry && this.expired(entry, now)) {
        await this.revoke(token);
        return undefined;
      }
    }
    if (!entry) return undefined;
    if (now - entry.lastUsed >= this.touchIntervalMs) {
      await this.store.touchSession(entry.tokenHash, now);
      entry.lastUsed = now;
    }
    return entry.session;
  }

  private expired(entry: CachedSession, now: number): boolean {
    return now - entry.lastUsed >= this.timeoutMs;
  }

  private async lookUp(token: string, now: number): Promise<CachedSession | undefined> {
    const cached = this.cache.get(token);
    if (cached && cached.until > now) return cached;
    const tokenHash = sessionTokenHash(token);
    const stored = await this.store.findSession(tokenHash);
    if (!stored) {
      this.cache.delete(token);
      return undefined;
    }
    const session = { token, orgId: stored.orgId, userId: stored.userId };
    return this.remember({ session, tokenHash, lastUsed: stored.lastUsed, until: now + CACHE_TTL_MS });
  }

  private remember(entry: CachedSession): CachedSession {
    const token = entry.session.token;
    if (!this.cache.has(token) && this.cache.size >= CACHE_LIMIT) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(token, entry);
    return entry;
  }

  /** Ends a session (used by tests of re-login and by the admin surface). */
  async revoke(token: string): Promise<void> {
    this.cache.delete(token);
    await this.store.deleteSession(sessionTokenHash(token));
  }
}
