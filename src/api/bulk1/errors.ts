// Bulk 1.0's words for every error class: a domain error becomes its AsyncErrors entry (../domain-errors.ts), and
// the rest of the classification its fallbacks.
import { AsyncErrors, type ApiError } from '../error-catalogue.js';
import { asyncErrorOf } from '../domain-errors.js';
import { wire, type WireResponse } from '../../http/wire-response.js';
import type { Classified } from '../errors.js';
import { CONTENT_TYPE, renderError, type WireFormat } from './codec.js';

/** Any classified error as a Bulk 1.0 error. */
export function asyncErrorFor(c: Classified): ApiError {
  switch (c.class) {
    case 'domain':
      return asyncErrorOf(c.error.detail);
    case 'api':
      return c.error;
    case 'unavailable':
      return AsyncErrors.serverUnavailable();
    case 'client':
      return AsyncErrors.clientInput(c.message);
    case 'unexpected':
      return AsyncErrors.internal();
  }
}

/** The Bulk 1.0 error document (`<error>` or `{exceptionCode, exceptionMessage}`) with its status. */
export function renderAsyncError(err: ApiError, format: WireFormat): WireResponse {
  return wire(err.status, CONTENT_TYPE[format], renderError(err, format));
}
