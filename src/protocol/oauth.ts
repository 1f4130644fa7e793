// The OAuth 2.0 token endpoint's JSON (Salesforce's "OAuth 2.0 Username-Password Flow" and "OAuth Error
// Codes"): the token response of a password grant and the `{error, error_description}` error.
import { writeJson } from './json.js';
import { readJsonObject, requiredText } from './read.js';

export interface OAuthTokenDocument {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: string;
  issued_at: string;
  signature: string;
  scope: string;
}

export interface OAuthErrorDocument {
  error: string;
  error_description: string;
}

const TOKEN = 'OAuth token response';
const ERROR = 'OAuth error';

/** Keys in Salesforce's order. */
export function renderOAuthToken(t: OAuthTokenDocument): string {
  return writeJson({
    access_token: t.access_token,
    instance_url: t.instance_url,
    id: t.id,
    token_type: t.token_type,
    issued_at: t.issued_at,
    signature: t.signature,
    scope: t.scope,
  });
}

export function parseOAuthToken(text: string): OAuthTokenDocument {
  const f = readJsonObject(text, TOKEN);
  const of = (name: string) => requiredText(f, name, TOKEN);
  return {
    access_token: of('access_token'),
    instance_url: of('instance_url'),
    id: of('id'),
    token_type: of('token_type'),
    issued_at: of('issued_at'),
    signature: of('signature'),
    scope: of('scope'),
  };
}

export function renderOAuthError(e: OAuthErrorDocument): string {
  return writeJson({ error: e.error, error_description: e.error_description });
}

export function parseOAuthError(text: string): OAuthErrorDocument {
  const f = readJsonObject(text, ERROR);
  return { error: requiredText(f, 'error', ERROR), error_description: requiredText(f, 'error_description', ERROR) };
}
