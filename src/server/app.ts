// The HTTP application: the request pipeline, readable top to bottom.
//   1. URL normalisation: doubled and trailing slashes are ignored by the router (sf requests `//services/…`).
//   2. Body: read raw for every Content-Type, chunked or not, gzip-inflated with a cap (server/body.ts).
//   3. Surfaces: Bulk 1.0 (/services/async), login and identity, the admin plane (/_localforce).
//   4. Errors: one classification (api/errors.ts), rendered by each surface in its own shape; unknown paths get the
//      surface's not-found error.
//   5. Response: gzip when asked, from a cache of compressed bodies (server/compression.ts).
//   6. Logging: one line per request, secrets in query strings masked (maskUrl), headers never printed.
// The control plane checks the Host header and its admin token itself (api/admin/gate.ts); the Salesforce surfaces
// do not check Host: each needs a session token, which a rebinding page does not have (docs/security.md).
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { readBody, type BodyLimits } from './body.js';
import { UploadGate, bodyLimitsFor, surfaceBodyLimits } from './body-limits.js';
import { serverTimeoutOptions, type HttpTimeouts } from './http-timeouts.js';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { GzipCache, acceptsGzip } from './compression.js';
import { registerAsyncRoutes, asyncUrlError, sendAsyncError, type AsyncSurfaceOptions } from '../api/bulk1/routes.js';
import { registerAuthRoutes, type AuthSurfaceOptions } from '../api/auth/routes.js';
import { registerAdminRoutes, type AdminSurfaceOptions } from '../api/admin/routes.js';
import { registerRestRoutes, type RestSurfaceOptions } from '../api/rest/routes.js';
import { restErrorBody } from '../api/rest/errors.js';
import { errorHandler, type Classified } from '../api/errors.js';
import { AsyncErrors, RestErrors } from '../api/error-catalogue.js';
import { sendWire, wire, type WireResponse } from '../http/wire-response.js';
import { writeJson } from '../wire/json.js';

export interface AppOptions {
  logLevel: string;
  body: BodyLimits;
  timeouts: HttpTimeouts;
  /** Large bodies (batches) read at once; more wait their turn. */
  concurrentUploads: number;
  async: AsyncSurfaceOptions;
  auth: AuthSurfaceOptions;
  rest: RestSurfaceOptions;
  admin: AdminSurfaceOptions;
}

/**
 * Query parameters that carry a secret: OAuth's (RFC 6749: password, client_secret, code, refresh_token, assertion),
 * Salesforce's session parameters (sessionId, sid, oauth_token on identity URLs) and any `*token*` or `*secret*`.
 * Clients send most of these in bodies, but some (Postman, curl scripts) put them in the query string.
 */
const SECRET_PARAM =
  /([?&;](?:[^=&;#]*(?:password|passwd|secret|token|assertion)[^=&;#]*|pw|code|sessionId|session_id|sid)=)[^&;#]*/gi;

/** The URL as logged: the value of every secret query parameter is `***`; headers are never logged. */
export function maskUrl(url: string): string {
  return url.replace(SECRET_PARAM, '$1***');
}

/** One structured line per request: method, URL, status and time. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: maskUrl(request.url),
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request failed');
    else reply.log.info(line, 'request');
  }
}

/** Errors raised before routing (malformed URL encoding, over-long ids) in the shape of the surface the path names. */
function sendSurfaceNotFound(request: FastifyRequest, reply: FastifyReply, unparsable = false): FastifyReply {
  const path = request.url.replace(/\/{2,}/g, '/');
  if (path.startsWith('/services/async/'))
    return sendAsyncError(
      request,
      reply,
      unparsable ? AsyncErrors.unknownResource(path.slice(0, 300)) : asyncUrlError(path),
    );
  const err = RestErrors.notFound();
  return sendWire(reply, wire(err.status, 'application/json;charset=UTF-8', restErrorBody(err)));
}

export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    frameworkErrors: (_error, request, reply) => sendSurfaceNotFound(request, reply, true),
    logger: o.logLevel === 'silent' ? false : { level: o.logLevel },
    logController: new OneLinePerRequest(),
    // Path parameters are ids: longer ones are not ours (InvalidUrl). REST query locators, which carry their SOQL,
    // are matched by a wildcard route, which this limit does not apply to.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 200 },
    bodyLimit: o.body.maxBytes,
    ...serverTimeoutOptions(o.timeouts),
  });

  // 2. Bodies: one raw reader for everything, with the limit of the surface the URL names; surfaces decide how to parse.
  const limits = surfaceBodyLimits(o.body);
  const uploads = new UploadGate(o.concurrentUploads);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    const bodyLimits = bodyLimitsFor(request.url, limits);
    const read = () => readBody(payload, request.headers, bodyLimits);
    (bodyLimits === limits.large ? uploads.run(read) : read()).then(
      (b) => done(null, b),
      (err: Error) => done(err),
    );
  });

  // 5. Response compression.
  const gzipCache = new GzipCache();
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      !acceptsGzip(request.headers['accept-encoding']) ||
      reply.statusCode === 204 ||
      reply.hasHeader('content-encoding')
    )
      return payload;
    if (payload instanceof Readable) {
      reply.header('content-encoding', 'gzip');
      return payload.pipe(createGzip());
    }
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (payload.length === 0) return payload;
    reply.header('content-encoding', 'gzip');
    return gzipCache.compress(payload);
  });

  // 3. Surfaces.
  await registerAsyncRoutes(app, o.async);
  await registerAuthRoutes(app, o.auth);
  await registerRestRoutes(app, o.rest);
  await registerAdminRoutes(app, o.admin);

  // 4. Not found: in the shape of the surface the path belongs to.
  app.setNotFoundHandler((request, reply) => sendSurfaceNotFound(request, reply));
  app.setErrorHandler(errorHandler(renderOutsideSurfaces));
  return app;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

/**
 * Errors no surface caught (raised around routing, outside every surface's scope), as a REST-style array: Fastify's
 * client errors keep their status and message, everything else is UNKNOWN_EXCEPTION (with Fastify's 5xx status when
 * the error carries one).
 */
export function renderOutsideSurfaces(c: Classified): WireResponse {
  if (c.class === 'client') {
    return wire(c.status, JSON_TYPE, writeJson([{ errorCode: 'INVALID_REQUEST', message: c.message }]));
  }
  const carried = c.class === 'unexpected' ? (c.error as { statusCode?: unknown } | null)?.statusCode : undefined;
  const status = typeof carried === 'number' && carried >= 500 ? carried : 500;
  const body = writeJson([{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred' }]);
  return wire(status, JSON_TYPE, body);
}
