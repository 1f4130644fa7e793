// One classification of everything a request can throw, shared by every surface. Each surface only renders the
// classes in its own wire shape (Bulk 1.0 error document, REST array, SOAP fault, OAuth JSON, admin JSON); the
// decision of what a thrown value *is* lives here, once.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain.js';
import { ApiError } from './error-catalogue.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import { sendWire, type WireResponse } from '../http/wire-response.js';

export type Classified =
  /** A domain fact (unknown job, payload too large, …): the surface chooses its words. */
  | { class: 'domain'; error: DomainError }
  /** A surface's own wire error, already in that surface's words (bad session, unknown URL, …). */
  | { class: 'api'; error: ApiError }
  /** The database is restarting or unreachable (store/unavailable.ts): 503, the client may retry. */
  | { class: 'unavailable' }
  /** Refused by Fastify before a handler ran (status < 500: bad Content-Length, malformed URL, …). */
  | { class: 'client'; status: number; message: string }
  /**
   * A bug or an unforeseen failure: logged once by the handler. Its stack never reaches the client; whether its
   * message does is the surface's choice (SOAP and OAuth have always shown it, the others do not).
   */
  | { class: 'unexpected'; error: unknown };

export type ErrorClass = Classified['class'];

/** Sorts any thrown value into its class. The order matters: typed errors before the checks on shapes. */
export function classifyError(err: unknown): Classified {
  if (err instanceof DomainError) return { class: 'domain', error: err };
  if (err instanceof ApiError) return { class: 'api', error: err };
  if (isStoreUnavailable(err)) return { class: 'unavailable' };
  const status = clientStatus(err);
  if (status !== undefined) return { class: 'client', status, message: (err as Error).message };
  return { class: 'unexpected', error: err };
}

/** Fastify's own errors carry the HTTP status they mean; below 500 the client sent something wrong. */
function clientStatus(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined;
  const status = (err as Partial<FastifyError>).statusCode;
  return typeof status === 'number' && status < 500 ? status : undefined;
}

/** A surface's renderer: one class in, the surface's bytes out. */
export type ErrorRenderer = (classified: Classified, request: FastifyRequest) => WireResponse;

/**
 * The body of every surface's setErrorHandler: classify, log the unexpected (once, with the error for the operator;
 * the client never sees its message or stack), render in the surface's shape.
 */
export function errorHandler(render: ErrorRenderer, logMessage = 'unexpected error') {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const classified = classifyError(err);
    if (classified.class === 'unexpected') request.log.error({ err }, logMessage);
    return sendWire(reply, render(classified, request));
  };
}
