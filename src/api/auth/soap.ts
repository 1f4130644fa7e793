// SOAP login from the domain: the login a session was made for becomes the protocol's LoginResult document
// (src/protocol/soap-login.ts), an ApiError its fault, and an unreadable request a SOAP INVALID_REQUEST fault.
import { ProtocolParseError } from '../../protocol/errors.js';
import {
  parseLoginRequest as parseLoginRequestDocument,
  renderFault as renderFaultDocument,
  renderLoginResponse as renderLoginResponseDocument,
  type LoginRequestDocument,
} from '../../protocol/soap-login.js';
import { SoapErrors, type ApiError } from '../error-catalogue.js';

export type LoginCredentials = LoginRequestDocument;

/** Reads `login` from any envelope: prefixes are ignored, CDATA and entities become text. */
export function parseLoginRequest(body: string): LoginCredentials {
  try {
    return parseLoginRequestDocument(body);
  } catch (err) {
    if (err instanceof ProtocolParseError) throw SoapErrors.malformedRequest(err.message);
    throw err;
  }
}

export interface LoginResult {
  baseUrl: string;
  version: string;
  orgId: string;
  orgName: string;
  userId: string;
  username: string;
  userFullName: string;
  sessionId: string;
}

export function renderLoginResponse(r: LoginResult): string {
  // Salesforce's server URLs end in the 15-character org id.
  const org15 = r.orgId.slice(0, 15);
  return renderLoginResponseDocument({
    metadataServerUrl: `${r.baseUrl}/services/Soap/m/${r.version}/${org15}`,
    serverUrl: `${r.baseUrl}/services/Soap/u/${r.version}/${org15}`,
    sessionId: r.sessionId,
    userId: r.userId,
    organizationId: r.orgId,
    organizationName: r.orgName,
    userEmail: r.username,
    userFullName: r.userFullName,
    userName: r.username,
  });
}

export function renderFault(err: ApiError): string {
  return renderFaultDocument({ exceptionCode: err.code, exceptionMessage: err.message });
}
