// Login and identity: SOAP login, the OAuth 2.0 token endpoint (password grant), userinfo and the identity URL.
// Two route tables, because their errors differ: SOAP faults for /services/Soap/u, `{error, error_description}` for
// the OAuth and identity routes (errors.ts). Handlers return a WireResponse and never see the HTTP request.
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../../org/auth.js';
import type { Clock } from '../../org/clock.js';
import type { OrgStore, RecordTx, Session } from '../../store/types.js';
import type { SchemaService } from '../../org/schema-service.js';
import { OAuthErrors, SoapErrors } from '../error-catalogue.js';
import { writeJson, type JsonValue } from '../../wire/json.js';
import { wire, type WireResponse } from '../../http/wire-response.js';
import { bodyText, identityToken, type RequestFacts } from '../../http/request.js';
import { registerRouteTable, type Route } from '../../http/route-table.js';
import { errorHandler } from '../errors.js';
import { renderOAuthError, renderSoapError } from './errors.js';
import { parseLoginRequest, renderLoginResponse } from './soap.js';
import { renderOAuthToken } from '../../protocol/oauth.js';

export interface AuthSurfaceOptions {
  auth: AuthService;
  orgs: OrgStore;
  schemas: SchemaService;
  records: RecordTx;
  clock: Clock;
}

type Surface = AuthSurfaceOptions;

const JSON_TYPE = 'application/json;charset=UTF-8';
const json = (value: JsonValue): WireResponse => wire(200, JSON_TYPE, writeJson(value));

async function userSummary(s: Surface, session: Session) {
  const userObject = (await s.schemas.forOrg(session.orgId)).object('User');
  const user = (userObject && (await s.records.getRecord(userObject, session.userId))) ?? {};
  const org = await s.orgs.getOrg(session.orgId);
  return {
    username: String(user.Username ?? ''),
    firstName: String(user.FirstName ?? ''),
    lastName: String(user.LastName ?? ''),
    name: String(user.Name ?? ''),
    email: String(user.Email ?? ''),
    orgName: org?.name ?? '',
  };
}

function identityUrls(base: string, orgId: string, userId: string) {
  const data = `${base}/services/data/v{version}`;
  return {
    enterprise: `${base}/services/Soap/c/{version}/${orgId}`,
    metadata: `${base}/services/Soap/m/{version}/${orgId}`,
    partner: `${base}/services/Soap/u/{version}/${orgId}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${orgId}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${base}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: base,
  };
}

/** The session behind a userinfo or identity request, or OAuth's Bad_OAuth_Token (403). */
async function identitySession(s: Surface, r: RequestFacts): Promise<Session> {
  const session = await s.auth.resolve(identityToken(r));
  if (!session) throw OAuthErrors.badToken();
  return session;
}

const PICTURE = '/img/userprofile/default_profile_200_v2.png';
const THUMBNAIL = '/img/userprofile/default_profile_45_v2.png';

const handlers = {
  soapLogin: async (s: Surface, r: RequestFacts) => {
    const version = r.params.version ?? '';
    const creds = parseLoginRequest(bodyText(r));
    const session = await s.auth.login(creds.username, creds.password, r.address);
    if (!session) throw SoapErrors.invalidLogin();
    const user = await userSummary(s, session);
    const body = renderLoginResponse({
      baseUrl: r.baseUrl,
      version: /^\d+\.\d$/.test(version) ? version : '64.0',
      orgId: session.orgId,
      orgName: user.orgName,
      userId: session.userId,
      username: user.username,
      userFullName: user.name,
      sessionId: session.token,
    });
    return wire(200, 'text/xml; charset=utf-8', body);
  },

  token: async (s: Surface, r: RequestFacts) => {
    const form = new URLSearchParams(bodyText(r));
    const grant = form.get('grant_type');
    if (!grant) throw OAuthErrors.missingGrantType();
    if (grant !== 'password') throw OAuthErrors.unsupportedGrantType();
    const session = await s.auth.login(form.get('username') ?? '', form.get('password') ?? '', r.address);
    if (!session) throw OAuthErrors.authenticationFailure();
    const id = `${r.baseUrl}/id/${session.orgId}/${session.userId}`;
    const issuedAt = String(s.clock.now());
    const signature = createHmac('sha256', form.get('client_secret') ?? '')
      .update(id + issuedAt)
      .digest('base64');
    const token = {
      access_token: session.token,
      instance_url: r.baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
    return wire(200, JSON_TYPE, renderOAuthToken({ ...token, signature, scope: 'api' }));
  },

  userinfo: async (s: Surface, r: RequestFacts) => {
    const session = await identitySession(s, r);
    const u = await userSummary(s, session);
    const base = r.baseUrl;
    return json({
      sub: `${base}/id/${session.orgId}/${session.userId}`,
      user_id: session.userId,
      organization_id: session.orgId,
      preferred_username: u.username,
      nickname: u.username.split('@')[0],
      name: u.name,
      email: u.email,
      email_verified: true,
      given_name: u.firstName,
      family_name: u.lastName,
      zoneinfo: 'America/Los_Angeles',
      photos: { picture: `${base}${PICTURE}`, thumbnail: `${base}${THUMBNAIL}` },
      profile: `${base}/${session.userId}`,
      picture: `${base}${PICTURE}`,
      address: {},
      is_salesforce_integration_user: false,
      urls: identityUrls(base, session.orgId, session.userId),
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28800000,
      updated_at: `${new Date(s.clock.now()).toISOString().slice(0, 19)}Z`,
    });
  },

  identity: async (s: Surface, r: RequestFacts) => {
    const session = await identitySession(s, r);
    const u = await userSummary(s, session);
    const base = r.baseUrl;
    return json({
      id: `${base}/id/${session.orgId}/${session.userId}`,
      asserted_user: true,
      user_id: session.userId,
      organization_id: session.orgId,
      username: u.username,
      nick_name: u.username.split('@')[0],
      display_name: u.name,
      email: u.email,
      first_name: u.firstName,
      last_name: u.lastName,
      timezone: 'America/Los_Angeles',
      photos: {},
      urls: identityUrls(base, session.orgId, session.userId),
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28800000,
      last_modified_date: `${new Date(s.clock.now()).toISOString().slice(0, 19)}.000+0000`,
    });
  },
};

/** SOAP login (partner API): errors are SOAP faults. */
const SOAP_ROUTES: Route<Surface>[] = [
  { method: 'POST', url: '/services/Soap/u/:version', handler: handlers.soapLogin },
];

/** OAuth 2.0 and identity: errors are `{error, error_description}`. */
const OAUTH_ROUTES: Route<Surface>[] = [
  { method: 'POST', url: '/services/oauth2/token', handler: handlers.token },
  { method: 'GET', url: '/services/oauth2/userinfo', handler: handlers.userinfo },
  { method: 'GET', url: '/id/:orgId/:userId', handler: handlers.identity },
];

export async function registerAuthRoutes(app: FastifyInstance, s: AuthSurfaceOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderSoapError, 'soap login failed'));
    registerRouteTable(scope, SOAP_ROUTES, s);
  });
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderOAuthError, 'oauth request failed'));
    registerRouteTable(scope, OAUTH_ROUTES, s);
  });
}
