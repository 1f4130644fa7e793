// The REST calls clients make around Bulk: versions, the resource map, describeGlobal, describe, record reads
// and limits, under /services/data. Errors are one-element JSON arrays; a bad session is 401 INVALID_SESSION_ID.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../../org/auth.js';
import type { SchemaService } from '../../org/schema-service.js';
import type { ApiUsage } from '../../org/usage.js';
import type { BulkStore, RecordTx, Session } from '../../store/types.js';
import { ApiError, RestErrors } from '../../wire/errors.js';
import { errorHandler } from '../errors.js';
import { renderRestError } from './errors.js';
import { writeJson, type JsonValue } from '../../wire/json.js';
import { normalizeId } from '../../wire/ids.js';
import { sendWire, wire } from '../../http/wire-response.js';
import { baseUrlOf } from '../auth/routes.js';
import { RestQueryService, decodeLocator, SoqlError, type Locator } from '../../engine/rest-query.js';
import { describeGlobal, describeObject, limitsJson, recordJson, resourceMap, versionList } from './codec.js';

export interface RestSurfaceOptions {
  queries: RestQueryService;
  auth: AuthService;
  schemas: SchemaService;
  records: RecordTx;
  bulk: BulkStore;
  usage: ApiUsage;
  minVersion: number;
  maxVersion: number;
  dailyBatches: number;
  dailyApiRequests: number;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

function tokenOf(request: FastifyRequest): string | undefined {
  const m = /^\s*(?:Bearer|OAuth)\s+(\S+)/i.exec(String(request.headers.authorization ?? ''));
  if (m) return m[1];
  const session = request.headers['x-sfdc-session'];
  return typeof session === 'string' && session ? session : undefined;
}

export async function registerRestRoutes(app: FastifyInstance, s: RestSurfaceOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderRestError));

    const session = async (request: FastifyRequest): Promise<Session> => {
      const found = await s.auth.resolve(tokenOf(request));
      if (!found) throw RestErrors.invalidSession();
      s.usage.count(found.orgId);
      return found;
    };
    const version = (request: FastifyRequest): string => {
      const text = (request.params as { version: string }).version;
      const m = /^v(\d{2,3}\.\d)$/.exec(text);
      const v = m ? Number(m[1]) : NaN;
      if (v < s.minVersion) throw new ApiError('UNSUPPORTED_API_VERSION', `Invalid API version: ${text}`, 410);
      if (!m || v > s.maxVersion) throw RestErrors.notFound();
      return m[1];
    };
    const json = (value: JsonValue) => wire(200, JSON_TYPE, writeJson(value));

    scope.get('/services/data', async (_request, reply) => sendWire(reply, json(versionList(s.minVersion, s.maxVersion))));

    scope.get('/services/data/:version', async (request, reply) => {
      const v = version(request);
      const sess = await session(request);
      return sendWire(reply, json(resourceMap(v, `${baseUrlOf(request)}/id/${sess.orgId}/${sess.userId}`)));
    });

    scope.get('/services/data/:version/sobjects', async (request, reply) => {
      const v = version(request);
      const schema = await s.schemas.forOrg((await session(request)).orgId);
      return sendWire(reply, json(describeGlobal(v, schema.objects)));
    });

    scope.get('/services/data/:version/sobjects/:name/describe', async (request, reply) => {
      const v = version(request);
      const schema = await s.schemas.forOrg((await session(request)).orgId);
      const o = schema.object((request.params as { name: string }).name);
      if (!o) throw RestErrors.notFound();
      return sendWire(reply, json(describeObject(v, o, schema.childRelationships(o))));
    });

    scope.get('/services/data/:version/sobjects/:name', async (request, reply) => {
      const v = version(request);
      const schema = await s.schemas.forOrg((await session(request)).orgId);
      const o = schema.object((request.params as { name: string }).name);
      if (!o) throw RestErrors.notFound();
      const all = describeGlobal(v, [o]) as { sobjects: JsonValue[] };
      return sendWire(reply, json({ objectDescribe: all.sobjects[0], recentItems: [] }));
    });

    scope.get('/services/data/:version/sobjects/:name/:id', async (request, reply) => {
      const v = version(request);
      const schema = await s.schemas.forOrg((await session(request)).orgId);
      const { name, id } = request.params as { name: string; id: string };
      const o = schema.object(name);
      const recordId = normalizeId(id);
      if (!o || !recordId) throw RestErrors.notFound();
      const row = await s.records.getRecord(o, recordId);
      if (!row || row.IsDeleted === 1) throw RestErrors.notFound();
      return sendWire(reply, json(recordJson(v, o, row)));
    });

    for (const resource of ['query', 'queryAll'] as const) {
      const includeDeleted = resource === 'queryAll';
      const run = async (request: FastifyRequest, from: { soql: string } | Locator) => {
        const v = version(request);
        const sess = await session(request);
        try {
          return json(await s.queries.run(sess.orgId, v, from, includeDeleted));
        } catch (err) {
          if (err instanceof SoqlError) throw new ApiError(err.code, err.message, 400);
          throw err;
        }
      };
      scope.get(`/services/data/:version/${resource}`, async (request, reply) => {
        const q = (request.query as { q?: string }).q;
        if (!q) throw new ApiError('MALFORMED_QUERY', 'A query string has to be specified', 400);
        return sendWire(reply, await run(request, { soql: q }));
      });
      // A wildcard, not a parameter: a locator carries its SOQL (up to 100,000 characters) and is longer than any id.
      scope.get(`/services/data/:version/${resource}/*`, async (request, reply) => {
        const locator = decodeLocator((request.params as { '*': string })['*']);
        if (!locator) throw new ApiError('INVALID_QUERY_LOCATOR', 'invalid query locator', 400);
        return sendWire(reply, await run(request, locator));
      });
    }

    scope.get('/services/data/:version/limits', async (request, reply) => {
      version(request);
      const sess = await session(request);
      const batches = await s.bulk.countBatchesSince(sess.orgId, Date.now() - 24 * 3600_000);
      return sendWire(reply, json(limitsJson({
        dailyApiRequests: { max: s.dailyApiRequests, used: s.usage.last24h(sess.orgId) },
        dailyBulkApiBatches: { max: s.dailyBatches, used: batches },
      })));
    });
  });
}
