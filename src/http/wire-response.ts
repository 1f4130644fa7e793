// What a handler returns: status, exact Content-Type and body. Handlers never touch the HTTP request or reply;
// the route glue (src/http/route-table.ts) turns requests into typed calls and these values back into HTTP.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export interface WireResponse {
  status: number;
  contentType: string;
  body: string | Buffer | Readable;
  headers?: Record<string, string>;
}

export const wire = (
  status: number,
  contentType: string,
  body: string | Buffer | Readable,
  headers?: Record<string, string>,
): WireResponse => ({ status, contentType, body, headers });

/** A response with no body (HTTP 204). */
export const noContent = (): WireResponse => ({ status: 204, contentType: 'text/plain', body: '' });

const asIs = (payload: unknown) => payload as string;

/**
 * Sends a response with exactly the given Content-Type. Fastify appends `; charset=utf-8` to JSON sent as a
 * string; Salesforce's Bulk 1.0 sends bare `application/json`, and clients compare it exactly, so strings are
 * passed through an identity serializer, which Fastify leaves alone. A 204 is sent with no body and no type.
 */
export function sendWire(reply: FastifyReply, res: WireResponse): FastifyReply {
  if (res.status === 204) return reply.code(204).send();
  reply.code(res.status).type(res.contentType);
  if (res.headers) reply.headers(res.headers);
  if (typeof res.body === 'string') reply.serializer(asIs);
  return reply.send(res.body);
}
