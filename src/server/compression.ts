// Gzip responses when the client sends `Accept-Encoding: gzip` (Salesforce ignores other encodings).
// A status poll returns the same bytes again and again, so compressed bodies are cached by their content:
// a gzip per response would cost about half the poll throughput. The cache is keyed by the body itself, so it
// can never serve stale data.
import { gzip, gzipSync, constants } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);
const CACHEABLE_MAX = 64 * 1024;
const SYNC_MAX = 64 * 1024;

export class GzipCache {
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly capacity = 2000) {}

  async compress(body: string | Buffer): Promise<Buffer> {
    if (typeof body === 'string' && body.length <= CACHEABLE_MAX) {
      const hit = this.entries.get(body);
      if (hit) {
        // Refresh recency: Map keeps insertion order, so delete + set moves it to the end.
        this.entries.delete(body);
        this.entries.set(body, hit);
        return hit;
      }
      const compressed = gzipSync(body, { level: constants.Z_DEFAULT_COMPRESSION });
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(body, compressed);
      return compressed;
    }
    // Large bodies (result files) are compressed off the event loop's critical path.
    const size = typeof body === 'string' ? body.length : body.length;
    return size <= SYNC_MAX ? gzipSync(body) : gzipAsync(body);
  }
}

export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (!header) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  return /(^|[\s,])(x-)?gzip\s*(;\s*q=(?!0(\.0*)?\s*($|,))[\d.]+)?\s*($|,)/i.test(value);
}
