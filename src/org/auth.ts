// Logins and sessions: password checks, Salesforce-shaped access tokens (`00D…!AQ…`, which the sf CLI requires),
// and token → session resolution with a short-lived in-memory cache (sessions never change once issued, but may be revoked).
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
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

const CACHE_LIMIT = 10_000;
/**
 * How long a resolved session is trusted from memory. Revoking in this process takes effect at once; with several
 * processes on one PostgreSQL, a session revoked through another process is refused here within this time.
 */
const CACHE_TTL_MS = 2_000;

export class AuthService {
  private readonly cache = new Map<string, { session: Session; until: number }>();
  private readonly throttle: LoginThrottle;
  constructor(
    private readonly store: OrgStore,
    private readonly clock: Clock,
  ) {
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
    await this.store.saveSession(session, this.clock.now());
    this.cache.set(token, { session, until: this.clock.now() + CACHE_TTL_MS });
    return session;
  }

  async resolve(token: string | undefined): Promise<Session | undefined> {
    if (!token) return undefined;
    const cached = this.cache.get(token);
    const now = this.clock.now();
    if (cached && cached.until > now) return cached.session;
    const session = await this.store.findSession(token);
    if (!session) this.cache.delete(token);
    else {
      if (!cached && this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(token, { session, until: now + CACHE_TTL_MS });
    }
    return session;
  }

  /** Ends a session (used by tests of re-login and by the admin surface). */
  async revoke(token: string): Promise<void> {
    this.cache.delete(token);
    await this.store.deleteSession(token);
  }
}
