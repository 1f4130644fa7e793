// Login and identity errors: SOAP faults for /services/Soap/u, `{error, error_description}` for OAuth and identity.
import { ApiError, OAuthErrors, SoapErrors } from '../error-catalogue.js';
import { renderOAuthError as renderOAuthErrorDocument } from '../../protocol/oauth.js';
import { wire, type WireResponse } from '../../http/wire-response.js';
import type { Classified } from '../errors.js';
import { asyncErrorOf } from '../domain-errors.js';
import { renderFault } from './soap.js';

/** The message of a thrown value that is not one of ours; SOAP and OAuth have always answered with it. */
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

function soapErrorFor(c: Classified): ApiError {
  switch (c.class) {
    case 'domain':
      return asyncErrorOf(c.error.detail); // request-body errors, in the words every surface uses for them
    case 'api':
      return c.error;
    case 'unavailable':
      return SoapErrors.serverUnavailable();
    case 'client':
      return SoapErrors.malformedRequest(c.message);
    case 'unexpected':
      return SoapErrors.malformedRequest(messageOf(c.error));
  }
}

/** A SOAP fault: HTTP 500 whatever the error, except 503 while the database is unavailable. */
export function renderSoapError(c: Classified): WireResponse {
  const err = soapErrorFor(c);
  return wire(err.status === 503 ? 503 : 500, 'text/xml; charset=utf-8', renderFault(err));
}

function oauthErrorFor(c: Classified): ApiError {
  switch (c.class) {
    case 'domain':
      return asyncErrorOf(c.error.detail);
    case 'api':
      return c.error;
    case 'unavailable':
      return OAuthErrors.serverUnavailable();
    case 'client':
      return new ApiError('invalid_request', c.message, 400);
    case 'unexpected':
      return new ApiError('invalid_request', messageOf(c.error), 400);
  }
}

export function renderOAuthError(c: Classified): WireResponse {
  const err = oauthErrorFor(c);
  const body = renderOAuthErrorDocument({ error: err.code, error_description: err.message });
  return wire(err.status, 'application/json;charset=UTF-8', body);
}
