// Reads request bodies as raw bytes for every surface: chunked or not, any Content-Type. A gzip body is
// inflated as a stream that counts what comes out, so a body that inflates past the limit (10,000,000 characters,
// or the byte cap) is refused as soon as it crosses it and is never inflated whole. Clients send
// `Content-Encoding: gzip` on bodies that are not gzip at all (Postman's "Bulk Spec"): those are read as they are.
// Its errors are domain errors (payloadTooLarge, badEncoding): every surface renders them in its own shape.
import { createGunzip } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { DomainError, RequestErrors } from '../errors/domain.js';

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
    throw RequestErrors.payloadTooLarge(limits.reportedLimit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // A chunked body has no length to refuse up front. Past the limit, the rest is read and dropped (up to as much
  // again) so the client, which sends its whole body before it reads, gets the error document; only a body larger
  // still has its connection dropped.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 2 * limits.maxBytes) {
      stream.destroy();
      throw RequestErrors.payloadTooLarge(limits.reportedLimit);
    }
    if (size <= limits.maxBytes) chunks.push(chunk);
  }
  if (size > limits.maxBytes) throw RequestErrors.payloadTooLarge(limits.reportedLimit);
  const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  const encoding = String(headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (!encoding || encoding === 'identity' || raw.length === 0) return raw;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') throw RequestErrors.unsupportedEncoding(encoding);
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw; // labelled gzip, but plain
  return inflate(raw, limits);
}

/**
 * Characters in UTF-8 `bytes`, counted as the limit counts them (the string's length, as BulkService checks it: UTF-16
 * units): every byte that does not continue a sequence starts one, and a four-byte sequence is two units.
 */
function utf8Chars(bytes: Buffer): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

async function inflate(raw: Buffer, limits: BodyLimits): Promise<Buffer> {
  const gunzip = createGunzip();
  gunzip.end(raw);
  const chunks: Buffer[] = [];
  let bytes = 0;
  // Characters are counted only once the bytes pass the character limit (there are never more characters than bytes).
  let chars = -1;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      chunks.push(chunk);
      if (bytes > limits.reportedLimit) {
        chars = chars < 0 ? chunks.reduce((n, c) => n + utf8Chars(c), 0) : chars + utf8Chars(chunk);
        if (chars > limits.reportedLimit || bytes > limits.maxBytes) {
          throw RequestErrors.payloadTooLarge(limits.reportedLimit);
        }
      }
    }
  } catch (err) {
    gunzip.destroy();
    if (err instanceof DomainError) throw err;
    throw RequestErrors.corruptGzip();
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, bytes);
}
