// Bulk API 1.0 routes under /services/async/{version}. Each route is a line in the table at the bottom: the glue
// authenticates, picks the wire format, and hands typed inputs to a handler that calls the BulkService.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BulkService } from '../../jobs/service.js';
import type { AuthService } from '../../org/auth.js';
import type { Session } from '../../store/types.js';
import type { ApiUsage } from '../../org/usage.js';
import { AsyncErrors, type ApiError } from '../error-catalogue.js';
import { errorHandler } from '../errors.js';
import { asyncErrorFor, renderAsyncError } from './errors.js';
import { sendWire, wire, type WireResponse } from '../../http/wire-response.js';
import { bulkSessionToken, type StringRouteGeneric } from '../../http/request.js';
import type { IncomingHttpHeaders } from 'node:http';
import {
  CONTENT_TYPE,
  parseJobRequest,
  renderBatchInfo,
  renderJobInfo,
  renderResultsCsv,
  renderResultsJson,
  renderResultsXml,
  requestFormat,
  renderResultListJson,
  renderResultListXml,
  type WireFormat,
} from './codec.js';
import { Readable } from 'node:stream';
import { BatchListRenderer } from './batch-list.js';
import type { ContentType, Job } from '../../jobs/model.js';

export interface AsyncSurfaceOptions {
  bulk: BulkService;
  auth: AuthService;
  usage: ApiUsage;
  minVersion: number;
  maxVersion: number;
}

/** Everything a handler may know about a request. */
interface AsyncCall {
  session: Session;
  version: number;
  jobId: string;
  batchId: string;
  body: Buffer;
  contentType: string | undefined;
  lineEnding: Job['lineEnding'];
  pkChunking: string | undefined;
  resultId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The format errors and responses are written in, once known. */
    asyncFormat?: WireFormat;
    /** The session and version, resolved from the headers before the body is read. */
    asyncCaller?: AsyncCaller;
  }
}

interface AsyncCaller {
  session: Session;
  version: number;
  /** The job's format, for routes on a job. */
  jobFormat: WireFormat | undefined;
}

const jobFormat = (ct: ContentType): WireFormat => (ct === 'JSON' || ct === 'ZIP_JSON' ? 'json' : 'xml');
const bodyText = (call: AsyncCall) => call.body.toString('utf8');

function formatted(status: number, format: WireFormat, body: string): WireResponse {
  return wire(status, CONTENT_TYPE[format], body);
}

/**
 * Status polls (GET job, batch list, batch) return the same bytes until something changes, so their rendered
 * responses are kept per resource and served again while the store's change token is the same. The org is kept
 * with the entry: a token of another org never gets a cached response.
 */
class StatusCache {
  private readonly entries = new Map<string, { token: string; orgId: string; res: WireResponse }>();
  async get(s: Surface, call: AsyncCall, key: string, render: () => Promise<WireResponse>): Promise<WireResponse> {
    const token = s.bulk.changeToken(); // read before the data, so a change during rendering is not cached as current
    const hit = this.entries.get(key);
    if (hit && hit.token === token && hit.orgId === call.session.orgId) return hit.res;
    const res = await render();
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(key, { token, orgId: call.session.orgId, res });
    return res;
  }
}

/** What handlers see: the surface's services and its own status cache (one per server). */
type Surface = AsyncSurfaceOptions & { statusCache: StatusCache; batchLists: BatchListRenderer };

const handlers = {
  createJob: async (s: Surface, call: AsyncCall, format: WireFormat) =>
    formatted(
      201,
      format,
      renderJobInfo(
        await s.bulk.createJob(call.session, call.version, parseJobRequest(bodyText(call), format), {
          lineEnding: call.lineEnding,
          pkChunking: call.pkChunking,
        }),
        format,
      ),
    ),

  getJob: async (s: Surface, call: AsyncCall, format: WireFormat) =>
    s.statusCache.get(s, call, `job:${call.jobId}:${format}`, async () =>
      formatted(200, format, renderJobInfo(await s.bulk.getJob(call.session, call.jobId), format)),
    ),

  updateJob: async (s: Surface, call: AsyncCall, format: WireFormat) =>
    formatted(
      200,
      format,
      renderJobInfo(await s.bulk.updateJob(call.session, call.jobId, parseJobRequest(bodyText(call), format)), format),
    ),

  addBatch: async (s: Surface, call: AsyncCall, format: WireFormat) =>
    formatted(
      201,
      format,
      renderBatchInfo(await s.bulk.addBatch(call.session, call.jobId, call.body, call.contentType ?? ''), format),
    ),

  listBatches: async (s: Surface, call: AsyncCall, format: WireFormat) =>
    s.statusCache.get(s, call, `list:${call.jobId}:${format}`, async () =>
      formatted(200, format, s.batchLists.render((await s.bulk.listBatches(call.session, call.jobId)).batches, format)),
    ),

  getBatch: async (s: Surface, call: AsyncCall, format: WireFormat) =>
    s.statusCache.get(s, call, `batch:${call.jobId}:${call.batchId}:${format}`, async () =>
      formatted(
        200,
        format,
        renderBatchInfo((await s.bulk.getBatch(call.session, call.jobId, call.batchId)).batch, format),
      ),
    ),

  getBatchRequest: async (s: Surface, call: AsyncCall) => {
    const { job, body } = await s.bulk.getBatchRequest(call.session, call.jobId, call.batchId);
    const type = job.contentType.endsWith('JSON')
      ? CONTENT_TYPE.json
      : job.contentType.endsWith('XML')
        ? CONTENT_TYPE.xml
        : CONTENT_TYPE.csv;
    return wire(200, type, body);
  },

  getBatchResult: async (s: Surface, call: AsyncCall) => {
    const outcome = await s.bulk.getBatchResults(call.session, call.jobId, call.batchId);
    const { job } = outcome;
    if ('resultIds' in outcome) {
      // The result list is XML for CSV and XML jobs (jsforce parses it as XML), JSON for JSON jobs.
      return job.contentType.endsWith('JSON')
        ? wire(200, CONTENT_TYPE.json, renderResultListJson(outcome.resultIds))
        : wire(200, CONTENT_TYPE.xml, renderResultListXml(outcome.resultIds));
    }
    const results = outcome.results;
    if (job.contentType.endsWith('JSON')) return wire(200, CONTENT_TYPE.json, renderResultsJson(results));
    if (job.contentType.endsWith('XML')) return wire(200, CONTENT_TYPE.xml, renderResultsXml(results));
    return wire(200, CONTENT_TYPE.csv, renderResultsCsv(results));
  },

  getQueryResult: async (s: Surface, call: AsyncCall) => {
    const { job, chunks } = await s.bulk.getQueryResult(call.session, call.jobId, call.batchId, call.resultId);
    const type = job.contentType.endsWith('JSON')
      ? CONTENT_TYPE.json
      : job.contentType.endsWith('XML')
        ? CONTENT_TYPE.xml
        : CONTENT_TYPE.csv;
    return wire(200, type, Readable.from(chunks));
  },
};

type Handler = (s: Surface, call: AsyncCall, format: WireFormat) => Promise<WireResponse>;

/** Which format a route answers in: the request's (job create/update) or the job's (everything else). */
type FormatSource = 'request' | 'job';

const ROUTES: { method: 'GET' | 'POST'; url: string; format: FormatSource; handler: Handler }[] = [
  { method: 'POST', url: '/job', format: 'request', handler: handlers.createJob },
  { method: 'GET', url: '/job/:jobId', format: 'job', handler: handlers.getJob },
  { method: 'POST', url: '/job/:jobId', format: 'request', handler: handlers.updateJob },
  { method: 'POST', url: '/job/:jobId/batch', format: 'job', handler: handlers.addBatch },
  { method: 'GET', url: '/job/:jobId/batch', format: 'job', handler: handlers.listBatches },
  { method: 'GET', url: '/job/:jobId/batch/:batchId', format: 'job', handler: handlers.getBatch },
  { method: 'GET', url: '/job/:jobId/batch/:batchId/request', format: 'job', handler: handlers.getBatchRequest },
  { method: 'GET', url: '/job/:jobId/batch/:batchId/result', format: 'job', handler: handlers.getBatchResult },
  {
    method: 'GET',
    url: '/job/:jobId/batch/:batchId/result/:resultId',
    format: 'job',
    handler: handlers.getQueryResult,
  },
];

export const ASYNC_PREFIX = '/services/async/:version';

/** The format an error is written in when nothing better is known: the request's Content-Type, else XML. */
function fallbackFormat(request: FastifyRequest): WireFormat {
  return String(request.headers['content-type'] ?? '')
    .toLowerCase()
    .includes('json')
    ? 'json'
    : 'xml';
}

/** The format this request's errors are written in: the job's or the request's once known, else a guess. */
const errorFormat = (request: FastifyRequest): WireFormat => request.asyncFormat ?? fallbackFormat(request);

export function sendAsyncError(request: FastifyRequest, reply: FastifyReply, err: ApiError): FastifyReply {
  return sendWire(reply, renderAsyncError(err, errorFormat(request)));
}

const EMPTY_BODY = Buffer.alloc(0);

const headerText = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** Sforce-Line-Ending: LF or CRLF in any case; anything else is the default. */
function lineEndingOf(headers: IncomingHttpHeaders): Job['lineEnding'] {
  const value = (headerText(headers, 'sforce-line-ending') ?? '').trim().toUpperCase();
  return value === 'LF' || value === 'CRLF' ? value : null;
}

export function parseVersion(text: string, min: number, max: number): number {
  if (!/^\d{1,3}\.\d$/.test(text)) throw AsyncErrors.invalidVersion(text);
  const v = Number(text);
  if (v < min || v > max) throw AsyncErrors.invalidVersion(text);
  return v;
}

/** Job content types never change, so the format lookup made before authentication is cached. */
class JobFormatCache {
  private readonly map = new Map<string, WireFormat>();
  async get(bulk: BulkService, jobId: string): Promise<WireFormat | undefined> {
    let f = this.map.get(jobId);
    if (f) return f;
    const ct = await bulk.jobFormat(jobId);
    if (!ct) return undefined;
    f = jobFormat(ct);
    if (this.map.size > 50_000) this.map.clear();
    this.map.set(jobId, f);
    return f;
  }
}

/**
 * The checks made from the headers, in the order they have always been made: the job's format (errors are written in
 * it), the version, the session. A request-format route sniffs its body for the format only once authenticated, so
 * errors raised here use its Content-Type. The job's format is set for the errors raised here only: errors of the
 * body itself are written as they were when the body was read before the job was looked up.
 */
async function authenticate(
  s: Surface,
  formats: JobFormatCache,
  request: FastifyRequest<StringRouteGeneric>,
  source: FormatSource,
): Promise<AsyncCaller> {
  const { params } = request;
  const jobFormat = source === 'job' && params.jobId ? await formats.get(s.bulk, params.jobId) : undefined;
  request.asyncFormat = jobFormat;
  const version = parseVersion(params.version ?? '', s.minVersion, s.maxVersion);
  const session = await s.auth.resolve(bulkSessionToken(request.headers));
  if (!session) throw AsyncErrors.invalidSessionId();
  request.asyncFormat = undefined;
  return { session, version, jobFormat };
}

export async function registerAsyncRoutes(app: FastifyInstance, options: AsyncSurfaceOptions): Promise<void> {
  const formats = new JobFormatCache();
  const s: Surface = { ...options, statusCache: new StatusCache(), batchLists: new BatchListRenderer() };
  await app.register(
    async (scope) => {
      scope.setErrorHandler(errorHandler((c, request) => renderAsyncError(asyncErrorFor(c), errorFormat(request))));
      for (const route of ROUTES) {
        scope.route<StringRouteGeneric>({
          method: route.method,
          url: route.url,
          // Before the body is read: a batch from an unknown session is refused without buffering a byte of it.
          onRequest: async (request) => {
            request.asyncCaller = await authenticate(s, formats, request, route.format);
          },
          handler: async (request, reply) => {
            const { params } = request;
            const body = Buffer.isBuffer(request.body) ? request.body : EMPTY_BODY;
            const caller = request.asyncCaller;
            if (!caller) throw AsyncErrors.invalidSessionId();
            if (route.format === 'request')
              request.asyncFormat = requestFormat(request.headers['content-type'], body.toString('utf8', 0, 64));
            else request.asyncFormat = caller.jobFormat;
            const { session, version } = caller;
            s.usage.count(session.orgId);
            const call: AsyncCall = {
              session,
              version,
              jobId: params.jobId ?? '',
              batchId: params.batchId ?? '',
              body,
              contentType: request.headers['content-type'],
              lineEnding: lineEndingOf(request.headers),
              pkChunking: headerText(request.headers, 'sforce-enable-pkchunking'),
              resultId: params.resultId ?? '',
            };
            const res = await route.handler(s, call, request.asyncFormat ?? 'xml');
            return sendWire(reply, res);
          },
        });
      }
      // Bulk 1.0 only uses GET and POST; other methods on its resources get HTTP 405.
      const paths = [...new Set(ROUTES.map((r) => r.url))];
      for (const url of paths) {
        scope.route({
          method: ['PUT', 'DELETE', 'PATCH', 'OPTIONS'],
          url,
          handler: async (request) => {
            throw AsyncErrors.methodNotAllowed(request.method);
          },
        });
      }
    },
    { prefix: ASYNC_PREFIX },
  );
}

/** For the server's not-found handler: an unknown path under /services/async/{version}/. */
export function asyncUrlError(path: string): ApiError {
  const m = /^\/services\/async\/[^/]+\/?([^/?]*)/.exec(path);
  const found = m?.[1] ?? '';
  return found === 'job' ? AsyncErrors.unknownResource(path) : AsyncErrors.invalidUrl(found);
}
