// The control plane's gate, checked on a request's headers before its body is read (docs/security.md):
//   Host       a name of this server, else 403: a page served from another name (DNS rebinding) is refused.
//   token      `Authorization: Bearer <admin token>` on every route but health, else 401.
//   body type  application/json (the schema also YAML, the seed CSV), else 415: never text/plain or a form type,
//              the Content-Types a cross-site HTML form can send without the browser asking the server first.
import type { IncomingHttpHeaders } from 'node:http';
import { writeJson } from '../../wire/json.js';
import { wire, type WireResponse } from '../../http/wire-response.js';

export type BodyKind = 'json' | 'schema' | 'csv';

export interface AdminGate {
  /** Needs no admin token (health: what start-up scripts and load balancers poll). */
  open?: boolean;
  /** The body the route reads, when it reads one. */
  body?: BodyKind;
}

export interface GateChecks {
  isAdminToken: (presented: string | undefined) => boolean;
  isAllowedHost: (host: string | undefined) => boolean;
}

const ACCEPTED: Record<BodyKind, readonly string[]> = {
  json: ['application/json'],
  schema: ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml'],
  csv: ['text/csv'],
};

const refuse = (status: number, message: string, headers?: Record<string, string>): WireResponse =>
  wire(status, 'application/json', writeJson({ error: message }), headers);

/** The media type of a Content-Type header, without parameters, lower case. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** The admin token a request presents: `Authorization: Bearer <token>`. */
export function presentedAdminToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  return typeof auth === 'string' ? /^\s*Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] : undefined;
}

/** The refusal of a request to an admin route, or undefined when it may go on. */
export function gateOf(route: AdminGate, headers: IncomingHttpHeaders, checks: GateChecks): WireResponse | undefined {
  if (!checks.isAllowedHost(headers.host)) {
    return refuse(403, 'The Host header does not name this server (add the name with --allowed-hosts)');
  }
  if (!route.open && !checks.isAdminToken(presentedAdminToken(headers))) {
    return refuse(401, 'The control plane requires Authorization: Bearer <admin token> (--admin-token)', {
      'www-authenticate': 'Bearer realm="localforce"',
    });
  }
  if (route.body) {
    const type = mediaTypeOf(headers['content-type']);
    if (!ACCEPTED[route.body].includes(type)) {
      return refuse(
        415,
        `The body must be sent as ${ACCEPTED[route.body].join(' or ')}, not ${type || 'no Content-Type'}`,
      );
    }
  }
  return undefined;
}
