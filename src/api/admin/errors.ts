// Control plane errors: `{error}` with the status the problem calls for.
import { describe, type DomainError } from '../../errors/domain.js';
import { UNAVAILABLE_MESSAGE } from '../error-catalogue.js';
import { writeJson } from '../../wire/json.js';
import { wire, type WireResponse } from '../../http/wire-response.js';
import type { Classified } from '../errors.js';
import { asyncErrorOf } from '../domain-errors.js';

const adminJson = (status: number, message: string) => wire(status, 'application/json', writeJson({ error: message }));

function renderDomain(err: DomainError): WireResponse {
  const d = err.detail;
  switch (d.kind) {
    case 'invalidSchema':
    case 'seedFailed':
      return adminJson(400, describe(d));
    case 'usernameTaken':
      return adminJson(409, describe(d));
    default: {
      // A seed goes through BulkService and every body through server/body.ts: their errors in Bulk 1.0's words.
      const api = asyncErrorOf(d);
      return adminJson(api.status, api.message);
    }
  }
}

export function renderAdminError(c: Classified): WireResponse {
  switch (c.class) {
    case 'domain':
      return renderDomain(c.error);
    case 'api':
      return adminJson(c.error.status, c.error.message);
    case 'unavailable':
      return adminJson(503, UNAVAILABLE_MESSAGE);
    case 'client':
    case 'unexpected':
      return adminJson(500, 'An unexpected error occurred');
  }
}
