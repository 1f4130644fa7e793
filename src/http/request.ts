// What the surfaces read from an HTTP request, in one place: the request as a plain value for handlers
// (RequestFacts), the credentials each Salesforce surface accepts, and the base URL handed back to clients.
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';

/** Everything a handler may know about a request: plain values, no Fastify object. */
export interface RequestFacts {
  method: string;
  params: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  headers: IncomingHttpHeaders;
  /** The raw body (server/body.ts reads every body as bytes); empty when there is none. */
  body: Buffer;
  /** scheme://host:port as the client reached us: every URL handed out points back here. */
  baseUrl: string;
  /** The client's address (failed logins are counted per address). */
  address: string;
}

/** The route generics every surface registers with: path and query values are strings. */
export interface StringRouteGeneric {
  Params: Record<string, string | undefined>;
  Querystring: Record<string, string | undefined>;
}

const EMPTY = Buffer.alloc(0);

export function factsOf(request: FastifyRequest<StringRouteGeneric>): RequestFacts {
  return {
    method: request.method,
    params: request.params,
    query: request.query ?? {},
    headers: request.headers,
    body: Buffer.isBuffer(request.body) ? request.body : EMPTY,
    baseUrl: baseUrlOf(request),
    address: request.ip,
  };
}

export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export const bodyText = (facts: RequestFacts): string => facts.body.toString('utf8');

const BEARER = /^\s*(?:Bearer|OAuth)\s+(\S+)/i;

function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  return typeof auth === 'string' ? BEARER.exec(auth)?.[1] : undefined;
}

function sfdcSessionOf(headers: IncomingHttpHeaders): string | undefined {
  const session = headers['x-sfdc-session'];
  return typeof session === 'string' && session.trim() ? session.trim() : undefined;
}

/** Bulk API 1.0: X-SFDC-Session (any case, no "Bearer") or Authorization: Bearer; X-SFDC-Session wins. */
export function bulkSessionToken(headers: IncomingHttpHeaders): string | undefined {
  return sfdcSessionOf(headers) ?? bearerOf(headers);
}

/** REST (/services/data): Authorization: Bearer (or OAuth), else X-SFDC-Session. */
export function restSessionToken(headers: IncomingHttpHeaders): string | undefined {
  return bearerOf(headers) ?? sfdcSessionOf(headers);
}

/** OAuth userinfo and the identity URL: Authorization: Bearer, else the `oauth_token` query parameter. */
export function identityToken(facts: RequestFacts): string | undefined {
  return bearerOf(facts.headers) ?? (facts.query.oauth_token || undefined);
}
