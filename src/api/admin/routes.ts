// The control plane under /_localforce (unauthenticated: bind the server to loopback):
//   GET  /_localforce/health                         200 once the server serves
//   POST /_localforce/sessions/revoke {token}         ends a session, so clients' re-login paths can be tested
//   GET  /_localforce/orgs                            the orgs
//   POST /_localforce/orgs {name, username, password} a new org with its admin user (201, with an access token)
//   POST /_localforce/orgs/:org/users {username, password, hardDelete?}
//   POST /_localforce/orgs/:org/schema                custom objects and fields (JSON or YAML body)
//   POST /_localforce/orgs/:org/seed/:object          CSV rows inserted as the org's admin; the results CSV back
// `:org` is an org id or `default`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../../org/auth.js';
import type { OrgService } from '../../org/orgs.js';
import type { SchemaService } from '../../org/schema-service.js';
import { parseSchemaText } from '../../org/schema-file.js';
import type { OrgStore } from '../../store/types.js';
import type { SeedService } from '../../engine/seed.js';
import { writeJson, type JsonValue } from '../../wire/json.js';
import { ApiError } from '../../wire/errors.js';
import { errorHandler } from '../errors.js';
import { renderAdminError } from './errors.js';
import { sendWire, wire } from '../../http/wire-response.js';
import { baseUrlOf } from '../auth/routes.js';
import { renderResultsCsv } from '../bulk1/codec.js';

export interface AdminSurfaceOptions {
  orgId: string;
  startedAt: number;
  version: string;
  auth: AuthService;
  orgs: OrgService;
  orgStore: OrgStore;
  schemas: SchemaService;
  seeds: SeedService;
}

const bodyText = (request: FastifyRequest) => (Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
const json = (status: number, value: JsonValue) => wire(status, 'application/json', writeJson(value));
const badRequest = (message: string) => new ApiError('BAD_REQUEST', message, 400);

function parseJsonBody(request: FastifyRequest): Record<string, unknown> {
  try {
    const doc = JSON.parse(bodyText(request) || '{}') as unknown;
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw badRequest('The body must be a JSON object');
}

function requireString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || !v) throw badRequest(`${key} is required`);
  return v;
}

export async function registerAdminRoutes(app: FastifyInstance, s: AdminSurfaceOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderAdminError, 'control plane request failed'));

    const orgOf = async (request: FastifyRequest): Promise<string> => {
      const { org } = request.params as { org: string };
      const id = org === 'default' ? s.orgId : org;
      if (!(await s.orgStore.getOrg(id))) throw new ApiError('NOT_FOUND', `No org ${org}`, 404);
      return id;
    };

    scope.get('/_localforce/health', async (_request, reply) =>
      sendWire(reply, json(200, { status: 'ok', version: s.version, orgId: s.orgId, uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000) })));

    scope.post('/_localforce/sessions/revoke', async (request, reply) => {
      await s.auth.revoke(requireString(parseJsonBody(request), 'token'));
      return reply.code(204).send();
    });

    scope.get('/_localforce/orgs', async (_request, reply) =>
      sendWire(reply, json(200, (await s.orgStore.listOrgs()).map((o) => ({ id: o.id, name: o.name, isDefault: o.isDefault, schemaVersion: o.schemaVersion })))));

    scope.post('/_localforce/orgs', async (request, reply) => {
      const body = parseJsonBody(request);
      const login = await s.orgs.createOrg({ name: requireString(body, 'name'), username: requireString(body, 'username'), password: requireString(body, 'password') });
      return sendWire(reply, json(201, { ...login, instanceUrl: baseUrlOf(request) }));
    });

    scope.post('/_localforce/orgs/:org/users', async (request, reply) => {
      const orgId = await orgOf(request);
      const body = parseJsonBody(request);
      const login = await s.orgs.createUser(orgId, {
        username: requireString(body, 'username'), password: requireString(body, 'password'),
        firstName: typeof body.firstName === 'string' ? body.firstName : undefined, lastName: typeof body.lastName === 'string' ? body.lastName : undefined,
        hardDelete: body.hardDelete === undefined ? true : body.hardDelete === true,
      });
      return sendWire(reply, json(201, { ...login, instanceUrl: baseUrlOf(request) }));
    });

    scope.post('/_localforce/orgs/:org/schema', async (request, reply) => {
      const orgId = await orgOf(request);
      const schema = await s.schemas.apply(orgId, parseSchemaText(bodyText(request)));
      const objects = schema.objects.filter((o) => o.custom || o.fields.some((f) => f.custom));
      return sendWire(reply, json(200, {
        schemaVersion: schema.version,
        objects: objects.map((o) => ({ name: o.name, keyPrefix: o.keyPrefix, custom: o.custom, table: o.table, fields: o.fields.filter((f) => f.custom || o.custom).map((f) => f.name) })),
      }));
    });

    scope.post('/_localforce/orgs/:org/seed/:object', async (request, reply) => {
      const orgId = await orgOf(request);
      const admin = await s.orgStore.findOrgAdmin(orgId);
      if (!admin) throw badRequest('The org has no user');
      const { object } = request.params as { object: string };
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const outcome = await s.seeds.load({ token: '', orgId, userId: admin.userId }, object, body);
      return sendWire(reply, wire(200, 'text/csv', renderResultsCsv(outcome.results)));
    });
  });
}
