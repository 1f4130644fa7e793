// Which body limit a request gets, chosen from its URL before a byte of the body is read, and how many large bodies
// may be read at once. Login, OAuth and the admin plane take small bodies: a 38 MB SOAP login must be refused from
// its Content-Length, not read and parsed. Bulk 1.0 batches (and admin seed files, which are batches of CSV) keep the
// batch limit; REST keeps it too, as its composite and collection bodies are not small.
import type { BodyLimits } from './body.js';

/** Login, OAuth token and admin bodies: 1 MB, far above any real login or admin request. */
export const SMALL_BODY_BYTES = 1_000_000;

export interface SurfaceBodyLimits {
  /** Bulk 1.0 batches, REST and admin seed files. */
  large: BodyLimits;
  /** Everything else: SOAP login, OAuth token, identity, the admin plane. */
  small: BodyLimits;
}

export function surfaceBodyLimits(large: BodyLimits): SurfaceBodyLimits {
  return { large, small: { maxBytes: SMALL_BODY_BYTES, reportedLimit: SMALL_BODY_BYTES } };
}

const LARGE_BODY_PATHS = [/^\/services\/async\//, /^\/services\/data\//, /^\/_localforce\/orgs\/[^/]+\/seed\//];

/** The limits for a request URL (doubled slashes collapsed, as the router ignores them). */
export function bodyLimitsFor(url: string, limits: SurfaceBodyLimits): BodyLimits {
  const path = url.replace(/\/{2,}/g, '/');
  return LARGE_BODY_PATHS.some((p) => p.test(path)) ? limits.large : limits.small;
}

/**
 * At most `max` large bodies are read at once; the others wait their turn (FIFO) with their bytes left in the socket,
 * where TCP flow control holds them back. Memory for bodies is so bounded by max × the byte cap, whatever the
 * number of clients; a waiting request is still bound by the server's request timeout.
 */
export class UploadGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly max: number) {}

  async run<T>(read: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await read();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
