// The control plane under /_localforce. Every route but health requires `Authorization: Bearer <admin token>`, every
// route checks the Host header, and a body is read only with its route's Content-Type (gate.ts; docs/security.md):
//   GET  /_localforce/health                         200 once the server serves (no token)
//   POST /_localforce/sessions/revoke {token}         ends a session, so clients' re-login paths can be tested
//   GET  /_localforce/orgs                            the orgs
//   POST /_localforce/orgs {name, username, password} a new org with its admin user (201, with an access token)
//   POST /_localforce/orgs/:org/users {username, password, hardDelete?}
//   POST /_localforce/orgs/:org/schema                custom objects and fields (JSON or YAML body)
//   POST /_localforce/orgs/:org/seed/:object          CSV rows inserted as the org's admin; the results CSV back
// `:org` is an org id or `default`. Bodies: JSON (`application/json`), the schema also YAML, the seed CSV.
// `:org` is an org id or `default`. Each route is a line in the table at the bottom; handlers return a WireResponse
// and never see the HTTP request. Errors are `{error}` (errors.ts).
import type { FastifyInstance } from 'fastify';
import { gateOf, type AdminGate } from './gate.js';
import type { AuthService } from '../../org/auth.js';
import type { Clock } from '../../org/clock.js';
import type { OrgService } from '../../org/orgs.js';
import type { SchemaService } from '../../org/schema-service.js';
import { parseSchemaText } from '../../org/schema-file.js';
import type { OrgStore } from '../../store/types.js';
import type { SeedService } from '../../engine/seed.js';
import { writeJson, type JsonValue } from '../../wire/json.js';
import { ApiError } from '../error-catalogue.js';
import { renderResultsCsv } from '../../protocol/bulk1/results.js';
import { noContent, sendWire, wire, type WireResponse } from '../../http/wire-response.js';
import { bodyText, type RequestFacts } from '../../http/request.js';
import { registerRouteTable, type Route } from '../../http/route-table.js';
import { errorHandler } from '../errors.js';
import { renderAdminError } from './errors.js';

export interface AdminSurfaceOptions {
  orgId: string;
  startedAt: number;
  version: string;
  clock: Clock;
  auth: AuthService;
  orgs: OrgService;
  orgStore: OrgStore;
  schemas: SchemaService;
  seeds: SeedService;
  /** Whether a presented admin token is the server's (constant-time). */
  isAdminToken: (presented: string | undefined) => boolean;
  /** Whether a Host header names this server. */
  isAllowedHost: (host: string | undefined) => boolean;
}

type Surface = AdminSurfaceOptions;

const json = (status: number, value: JsonValue): WireResponse => wire(status, 'application/json', writeJson(value));
const badRequest = (message: string) => new ApiError('BAD_REQUEST', message, 400);

function parseJsonBody(r: RequestFacts): Record<string, unknown> {
  try {
    const doc = JSON.parse(bodyText(r) || '{}') as unknown;
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

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The org a path names (`default` or an id), or 404. */
async function orgOf(s: Surface, r: RequestFacts): Promise<string> {
  const org = r.params.org ?? '';
  const id = org === 'default' ? s.orgId : org;
  if (!(await s.orgStore.getOrg(id))) throw new ApiError('NOT_FOUND', `No org ${org}`, 404);
  return id;
}

const handlers = {
  health: async (s: Surface) => {
    const uptimeSeconds = Math.round((s.clock.now() - s.startedAt) / 1000);
    return json(200, { status: 'ok', version: s.version, orgId: s.orgId, uptimeSeconds });
  },

  revokeSession: async (s: Surface, r: RequestFacts) => {
    await s.auth.revoke(requireString(parseJsonBody(r), 'token'));
    return noContent();
  },

  listOrgs: async (s: Surface) => {
    const orgs = await s.orgStore.listOrgs();
    return json(
      200,
      orgs.map((o) => ({ id: o.id, name: o.name, isDefault: o.isDefault, schemaVersion: o.schemaVersion })),
    );
  },

  createOrg: async (s: Surface, r: RequestFacts) => {
    const body = parseJsonBody(r);
    const name = requireString(body, 'name');
    const username = requireString(body, 'username');
    const login = await s.orgs.createOrg({ name, username, password: requireString(body, 'password') });
    return json(201, { ...login, instanceUrl: r.baseUrl });
  },

  createUser: async (s: Surface, r: RequestFacts) => {
    const orgId = await orgOf(s, r);
    const body = parseJsonBody(r);
    const login = await s.orgs.createUser(orgId, {
      username: requireString(body, 'username'),
      password: requireString(body, 'password'),
      firstName: optionalString(body.firstName),
      lastName: optionalString(body.lastName),
      hardDelete: body.hardDelete === undefined ? true : body.hardDelete === true,
    });
    return json(201, { ...login, instanceUrl: r.baseUrl });
  },

  applySchema: async (s: Surface, r: RequestFacts) => {
    const orgId = await orgOf(s, r);
    const schema = await s.schemas.apply(orgId, parseSchemaText(bodyText(r)));
    const objects = schema.objects.filter((o) => o.custom || o.fields.some((f) => f.custom));
    return json(200, {
      schemaVersion: schema.version,
      objects: objects.map((o) => ({
        name: o.name,
        keyPrefix: o.keyPrefix,
        custom: o.custom,
        table: o.table,
        fields: o.fields.filter((f) => f.custom || o.custom).map((f) => f.name),
      })),
    });
  },

  seed: async (s: Surface, r: RequestFacts) => {
    const orgId = await orgOf(s, r);
    const admin = await s.orgStore.findOrgAdmin(orgId);
    if (!admin) throw badRequest('The org has no user');
    const outcome = await s.seeds.load({ token: '', orgId, userId: admin.userId }, r.params.object ?? '', r.body);
    return wire(200, 'text/csv', renderResultsCsv(outcome.results));
  },
};

const P = '/_localforce';

/** An admin route: `open` needs no token (health only); `body` says which Content-Types its body may have. */
type AdminRoute = Route<Surface> & AdminGate;

const ROUTES: AdminRoute[] = [
  { method: 'GET', url: `${P}/health`, handler: handlers.health, open: true },
  { method: 'POST', url: `${P}/sessions/revoke`, handler: handlers.revokeSession, body: 'json' },
  { method: 'GET', url: `${P}/orgs`, handler: handlers.listOrgs },
  { method: 'POST', url: `${P}/orgs`, handler: handlers.createOrg, body: 'json' },
  { method: 'POST', url: `${P}/orgs/:org/users`, handler: handlers.createUser, body: 'json' },
  { method: 'POST', url: `${P}/orgs/:org/schema`, handler: handlers.applySchema, body: 'schema' },
  { method: 'POST', url: `${P}/orgs/:org/seed/:object`, handler: handlers.seed, body: 'csv' },
];

const gateKey = (method: string, url: string | undefined) => `${method} ${url ?? ''}`;
const GATES = new Map<string, AdminGate>(ROUTES.map((r) => [gateKey(String(r.method), r.url), r]));
export async function registerAdminRoutes(app: FastifyInstance, s: AdminSurfaceOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderAdminError, 'control plane request failed'));
    // Before the body is read: a request without the token, from a foreign Host or with a form's Content-Type is
    // refused on its headers alone.
    scope.addHook('onRequest', async (request, reply) => {
      const route = GATES.get(gateKey(request.method, request.routeOptions.url));
      const refusal = route && gateOf(route, request.headers, s);
      if (refusal) return sendWire(reply, refusal);
    });
    registerRouteTable(scope, ROUTES, s);
  });
}
