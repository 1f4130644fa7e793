// REST (/services/data) errors: a one-element JSON array, `[{message, errorCode}]`.
import { ApiError, RestErrors } from '../error-catalogue.js';
import { writeJson } from '../../wire/json.js';
import { wire, type WireResponse } from '../../http/wire-response.js';
import type { Classified } from '../errors.js';
import { asyncErrorOf } from '../domain-errors.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

export function restErrorBody(err: ApiError): string {
  // Salesforce writes message before errorCode in INVALID_SESSION_ID bodies; jsforce only looks the keys up.
  return writeJson([{ message: err.message, errorCode: err.code }]);
}

/** Anything REST has no error of its own for (Fastify's client errors included) is its UNKNOWN_EXCEPTION. */
const unknownException = () => new ApiError('UNKNOWN_EXCEPTION', 'An unexpected error occurred', 500);

function restErrorFor(c: Classified): ApiError {
  switch (c.class) {
    case 'domain':
      return asyncErrorOf(c.error.detail); // request-body errors, in the words every surface uses for them
    case 'api':
      return c.error;
    case 'unavailable':
      return RestErrors.serverUnavailable();
    case 'client':
    case 'unexpected':
      return unknownException();
  }
}

export function renderRestError(c: Classified): WireResponse {
  const err = restErrorFor(c);
  return wire(err.status, JSON_TYPE, restErrorBody(err));
}
