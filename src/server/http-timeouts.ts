// The HTTP server's timeouts: a client that opens connections and sends nothing, or trickles its headers or body,
// holds a socket (and a body-reading slot) only for a bounded time.
//   - headers: 30 s. Headers are a few hundred bytes; node's default is 60 s.
//   - request: the whole request, body included, 10 minutes by default. A Bulk 1.0 batch is up to 10,000,000
//     characters (up to 40 MB on the wire): 10 MB at 256 kbit/s takes about 5½ minutes, 40 MB at 1 Mbit/s about as long.
//   - idle: 120 s without a byte either way (Fastify's connectionTimeout, node's socket timeout). Longer than any
//     request takes to be answered here, so a slow handler is not cut; a silent connection is.
//   - keep-alive: 65 s between requests on one connection (longer than the 60 s idle timeouts of common proxies).
import type { ServerOptions } from 'node:http';

export interface HttpTimeouts {
  requestMs: number;
}

const HEADERS_TIMEOUT_MS = 30_000;
const IDLE_TIMEOUT_MS = 120_000;
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The Fastify options that set them. */
export function serverTimeoutOptions(t: HttpTimeouts): {
  connectionTimeout: number;
  keepAliveTimeout: number;
  requestTimeout: number;
  http: ServerOptions;
} {
  // Node only accepts a headers timeout no longer than the request timeout.
  const headersTimeout = Math.min(HEADERS_TIMEOUT_MS, t.requestMs);
  return {
    connectionTimeout: IDLE_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: t.requestMs,
    // Node checks both timeouts on an interval (30 s by default): a short request timeout is checked more often.
    http: { headersTimeout, connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(t.requestMs / 4))) },
  };
}
