// Reads request bodies as raw bytes for every surface: chunked or not, any Content-Type. A gzip body is
// inflated with a cap on its output, so a body that inflates past the limit is refused while it streams and
// never inflated whole. Clients send `Content-Encoding: gzip` on bodies that are not gzip at all (Postman's
// "Bulk Spec"): those are read as they are.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { AsyncErrors } from '../wire/errors.js';

const gunzipAsync = promisify(gunzip);

export interface BodyLimits {
  /** Bytes read from the wire, and bytes a gzip body may inflate to. */
  maxBytes: number;
  /** The character limit reported in the error (Salesforce: 10,000,000). */
  reportedLimit: number;
}

export async function readBody(stream: Readable, headers: IncomingHttpHeaders, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(headers['content-length'] ?? NaN);
  if (declared > limits.maxBytes) {
    stream.resume();
    throw AsyncErrors.tooLarge(limits.reportedLimit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limits.maxBytes) {
      stream.destroy();
      throw AsyncErrors.tooLarge(limits.reportedLimit);
    }
    chunks.push(chunk);
  }
  const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  const encoding = String(headers['content-encoding'] ?? '').trim().toLowerCase();
  if (!encoding || encoding === 'identity' || raw.length === 0) return raw;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') throw AsyncErrors.unsupportedEncoding(encoding);
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw; // labelled gzip, but plain
  try {
    return await gunzipAsync(raw, { maxOutputLength: limits.maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw AsyncErrors.tooLarge(limits.reportedLimit);
    throw AsyncErrors.clientInput('Failed to read request. The gzip content is corrupt');
  }
}
