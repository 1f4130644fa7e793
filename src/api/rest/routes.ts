// The REST calls clients make around Bulk: versions, the resource map, describeGlobal, describe, record reads,
// limits and queries, under /services/data. Each route is a line in the table at the bottom; handlers return a
// WireResponse and never see the HTTP request. Errors are one-element JSON arrays (errors.ts); a bad session is 401
// INVALID_SESSION_ID.
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../org/auth.js';
import type { Clock } from '../../org/clock.js';
import type { SchemaService } from '../../org/schema-service.js';
import type { ApiUsage } from '../../org/usage.js';
import type { BulkStore, RecordTx, Session } from '../../store/types.js';
import { ApiError, RestErrors } from '../error-catalogue.js';
import { writeJson, type JsonValue } from '../../wire/json.js';
import { normalizeId } from '../../wire/ids.js';
import { wire, type WireResponse } from '../../http/wire-response.js';
import { restSessionToken, type RequestFacts } from '../../http/request.js';
import { registerRouteTable, type Route } from '../../http/route-table.js';
import { errorHandler } from '../errors.js';
import { renderRestError } from './errors.js';
import { type RestQueryService, decodeLocator, SoqlError, type Locator } from '../../engine/rest-query.js';
import { describeGlobal, describeObject, limitsJson, recordJson, resourceMap, versionList } from './codec.js';

export interface RestSurfaceOptions {
  queries: RestQueryService;
  auth: AuthService;
  schemas: SchemaService;
  records: RecordTx;
  bulk: BulkStore;
  usage: ApiUsage;
  clock: Clock;
  minVersion: number;
  maxVersion: number;
  dailyBatches: number;
  /** Batches created before this instant are not counted (`serve --reset-limits`). */
  countBatchesFrom: number;
  dailyApiRequests: number;
}

type Surface = RestSurfaceOptions;

const JSON_TYPE = 'application/json;charset=UTF-8';
const json = (value: JsonValue): WireResponse => wire(200, JSON_TYPE, writeJson(value));

/** `v62.0` → `62.0`: older than the oldest version is 410 UNSUPPORTED_API_VERSION, anything else unknown is 404. */
function versionOf(s: Surface, r: RequestFacts): string {
  const text = r.params.version ?? '';
  const m = /^v(\d{2,3}\.\d)$/.exec(text);
  const v = m ? Number(m[1]) : Number.NaN;
  if (v < s.minVersion) throw new ApiError('UNSUPPORTED_API_VERSION', `Invalid API version: ${text}`, 410);
  if (!m || v > s.maxVersion) throw RestErrors.notFound();
  return m[1];
}

/** The caller's session (counted against the org's daily API requests), or 401. */
async function sessionOf(s: Surface, r: RequestFacts): Promise<Session> {
  const found = await s.auth.resolve(restSessionToken(r.headers));
  if (!found) throw RestErrors.invalidSession();
  s.usage.count(found.orgId);
  return found;
}

/** The version, then the session: a bad version is reported before a bad session, as the org does. */
async function call(s: Surface, r: RequestFacts): Promise<{ version: string; session: Session }> {
  const version = versionOf(s, r);
  return { version, session: await sessionOf(s, r) };
}

async function objectOf(s: Surface, session: Session, name: string | undefined) {
  const schema = await s.schemas.forOrg(session.orgId);
  const o = schema.object(name ?? '');
  if (!o) throw RestErrors.notFound();
  return { schema, o };
}

const handlers = {
  versions: async (s: Surface) => json(versionList(s.minVersion, s.maxVersion)),

  resources: async (s: Surface, r: RequestFacts) => {
    const { version, session } = await call(s, r);
    return json(resourceMap(version, `${r.baseUrl}/id/${session.orgId}/${session.userId}`));
  },

  describeGlobal: async (s: Surface, r: RequestFacts) => {
    const { version, session } = await call(s, r);
    return json(describeGlobal(version, (await s.schemas.forOrg(session.orgId)).objects));
  },

  describe: async (s: Surface, r: RequestFacts) => {
    const { version, session } = await call(s, r);
    const { schema, o } = await objectOf(s, session, r.params.name);
    return json(describeObject(version, o, schema.childRelationships(o)));
  },

  objectInfo: async (s: Surface, r: RequestFacts) => {
    const { version, session } = await call(s, r);
    const { o } = await objectOf(s, session, r.params.name);
    const all = describeGlobal(version, [o]) as { sobjects: JsonValue[] };
    return json({ objectDescribe: all.sobjects[0], recentItems: [] });
  },

  record: async (s: Surface, r: RequestFacts) => {
    const { version, session } = await call(s, r);
    const { o } = await objectOf(s, session, r.params.name);
    const recordId = normalizeId(r.params.id ?? '');
    if (!recordId) throw RestErrors.notFound();
    const row = await s.records.getRecord(o, recordId);
    if (!row || row.IsDeleted === 1) throw RestErrors.notFound();
    return json(recordJson(version, o, row));
  },

  limits: async (s: Surface, r: RequestFacts) => {
    const { session } = await call(s, r);
    const since = Math.max(s.clock.now() - 24 * 3600_000, s.countBatchesFrom);
    const batches = await s.bulk.countBatchesSince(session.orgId, since);
    return json(
      limitsJson({
        dailyApiRequests: { max: s.dailyApiRequests, used: s.usage.last24h(session.orgId) },
        dailyBulkApiBatches: { max: s.dailyBatches, used: batches },
      }),
    );
  },
};

/** `query` and `queryAll`: the first page from `?q=`, later pages from the locator in the path. */
function queryHandlers(includeDeleted: boolean) {
  const run = async (s: Surface, r: RequestFacts, from: { soql: string } | Locator) => {
    const { version, session } = await call(s, r);
    try {
      return json(await s.queries.run(session.orgId, version, from, includeDeleted));
    } catch (err) {
      if (err instanceof SoqlError) throw new ApiError(err.code, err.message, 400);
      throw err;
    }
  };
  return {
    first: async (s: Surface, r: RequestFacts) => {
      if (!r.query.q) throw new ApiError('MALFORMED_QUERY', 'A query string has to be specified', 400);
      return run(s, r, { soql: r.query.q });
    },
    next: async (s: Surface, r: RequestFacts) => {
      const locator = decodeLocator(r.params['*'] ?? '');
      if (!locator) throw new ApiError('INVALID_QUERY_LOCATOR', 'invalid query locator', 400);
      return run(s, r, locator);
    },
  };
}

const query = queryHandlers(false);
const queryAll = queryHandlers(true);
const V = '/services/data/:version';

const ROUTES: Route<Surface>[] = [
  { method: 'GET', url: '/services/data', handler: handlers.versions },
  { method: 'GET', url: V, handler: handlers.resources },
  { method: 'GET', url: `${V}/sobjects`, handler: handlers.describeGlobal },
  { method: 'GET', url: `${V}/sobjects/:name/describe`, handler: handlers.describe },
  { method: 'GET', url: `${V}/sobjects/:name`, handler: handlers.objectInfo },
  { method: 'GET', url: `${V}/sobjects/:name/:id`, handler: handlers.record },
  { method: 'GET', url: `${V}/query`, handler: query.first },
  // A wildcard, not a parameter: a locator carries its SOQL (up to 100,000 characters) and is longer than any id.
  { method: 'GET', url: `${V}/query/*`, handler: query.next },
  { method: 'GET', url: `${V}/queryAll`, handler: queryAll.first },
  { method: 'GET', url: `${V}/queryAll/*`, handler: queryAll.next },
  { method: 'GET', url: `${V}/limits`, handler: handlers.limits },
];

export async function registerRestRoutes(app: FastifyInstance, s: RestSurfaceOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderRestError));
    registerRouteTable(scope, ROUTES, s);
  });
}
