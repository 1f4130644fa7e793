// Login and identity: SOAP login, the OAuth 2.0 token endpoint (password grant), userinfo and the identity URL.
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../../org/auth.js';
import type { OrgStore, RecordTx, Session } from '../../store/types.js';
import type { SchemaService } from '../../org/schema-service.js';
import { OAuthErrors, SoapErrors } from '../../wire/errors.js';
import { errorHandler } from '../errors.js';
import { renderOAuthError, renderSoapError } from './errors.js';
import { writeJson } from '../../wire/json.js';
import { parseLoginRequest, renderLoginResponse } from './soap.js';

export interface AuthSurfaceOptions {
  auth: AuthService;
  orgs: OrgStore;
  schemas: SchemaService;
  records: RecordTx;
}

/** scheme://host:port as the client reached us: every URL we hand out points back here. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

const bodyText = (request: FastifyRequest) => (Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');

async function userSummary(s: AuthSurfaceOptions, session: Session) {
  const userObject = (await s.schemas.forOrg(session.orgId)).object('User')!;
  const user = (await s.records.getRecord(userObject, session.userId)) ?? {};
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

function bearer(request: FastifyRequest): string | undefined {
  const m = /^\s*(?:Bearer|OAuth)\s+(\S+)/i.exec(String(request.headers.authorization ?? ''));
  if (m) return m[1];
  const q = (request.query as Record<string, string | undefined>).oauth_token;
  return q || undefined;
}

export async function registerAuthRoutes(app: FastifyInstance, s: AuthSurfaceOptions): Promise<void> {
  // SOAP login (partner API).
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderSoapError, 'soap login failed'));
    scope.post('/services/Soap/u/:version', async (request, reply) => {
      const { version } = request.params as { version: string };
      const creds = parseLoginRequest(bodyText(request));
      const session = await s.auth.login(creds.username, creds.password);
      if (!session) throw SoapErrors.invalidLogin();
      const user = await userSummary(s, session);
      const body = renderLoginResponse({
        baseUrl: baseUrlOf(request), version: /^\d+\.\d$/.test(version) ? version : '64.0', orgId: session.orgId, orgName: user.orgName,
        userId: session.userId, username: user.username, userFullName: user.name, sessionId: session.token,
      });
      return reply.code(200).type('text/xml; charset=utf-8').send(body);
    });
  });

  // OAuth 2.0 and identity: errors are {error, error_description}.
  await app.register(async (scope) => {
    scope.setErrorHandler(errorHandler(renderOAuthError, 'oauth request failed'));

    scope.post('/services/oauth2/token', async (request, reply) => {
      const form = new URLSearchParams(bodyText(request));
      const grant = form.get('grant_type');
      if (!grant) throw OAuthErrors.missingGrantType();
      if (grant !== 'password') throw OAuthErrors.unsupportedGrantType();
      const session = await s.auth.login(form.get('username') ?? '', form.get('password') ?? '');
      if (!session) throw OAuthErrors.authenticationFailure();
      const base = baseUrlOf(request);
      const id = `${base}/id/${session.orgId}/${session.userId}`;
      const issuedAt = String(Date.now());
      const signature = createHmac('sha256', form.get('client_secret') ?? '').update(id + issuedAt).digest('base64');
      return reply.type('application/json;charset=UTF-8').send(writeJson({
        access_token: session.token, instance_url: base, id, token_type: 'Bearer', issued_at: issuedAt, signature, scope: 'api',
      }));
    });

    const requireSession = async (request: FastifyRequest): Promise<Session> => {
      const session = await s.auth.resolve(bearer(request));
      if (!session) throw OAuthErrors.badToken();
      return session;
    };

    scope.get('/services/oauth2/userinfo', async (request, reply) => {
      const session = await requireSession(request);
      const u = await userSummary(s, session);
      const base = baseUrlOf(request);
      return reply.type('application/json;charset=UTF-8').send(writeJson({
        sub: `${base}/id/${session.orgId}/${session.userId}`, user_id: session.userId, organization_id: session.orgId,
        preferred_username: u.username, nickname: u.username.split('@')[0], name: u.name, email: u.email, email_verified: true,
        given_name: u.firstName, family_name: u.lastName, zoneinfo: 'America/Los_Angeles',
        photos: { picture: `${base}/img/userprofile/default_profile_200_v2.png`, thumbnail: `${base}/img/userprofile/default_profile_45_v2.png` },
        profile: `${base}/${session.userId}`, picture: `${base}/img/userprofile/default_profile_200_v2.png`, address: {},
        is_salesforce_integration_user: false, urls: identityUrls(base, session.orgId, session.userId), active: true,
        user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: -28800000, updated_at: new Date().toISOString().slice(0, 19) + 'Z',
      }));
    });

    scope.get('/id/:orgId/:userId', async (request, reply) => {
      const session = await requireSession(request);
      const u = await userSummary(s, session);
      const base = baseUrlOf(request);
      return reply.type('application/json;charset=UTF-8').send(writeJson({
        id: `${base}/id/${session.orgId}/${session.userId}`, asserted_user: true, user_id: session.userId, organization_id: session.orgId,
        username: u.username, nick_name: u.username.split('@')[0], display_name: u.name, email: u.email, first_name: u.firstName,
        last_name: u.lastName, timezone: 'America/Los_Angeles', photos: {}, urls: identityUrls(base, session.orgId, session.userId),
        active: true, user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: -28800000,
        last_modified_date: new Date().toISOString().slice(0, 23) + '+0000',
      }));
    });
  });
}
