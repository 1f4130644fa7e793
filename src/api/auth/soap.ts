// SOAP login wire format (rest-auth.md §9): a `soapenv:`-prefixed envelope with unprefixed loginResponse/result
// (Postman reads `soapenv:Envelope`/`soapenv:Body`; jsforce regex-matches the first serverUrl, sessionId, userId
// and organizationId), and faults as HTTP 500 with faultcode/faultstring and sf:exceptionCode/exceptionMessage.
import { escapeXml, parseXml, type XmlValue } from '../../wire/xml.js';
import { SoapErrors, type ApiError } from '../../wire/errors.js';

export interface LoginCredentials {
  username: string;
  password: string;
}

/** Reads `login` from any envelope: prefixes are ignored, CDATA and entities become text. */
export function parseLoginRequest(body: string): LoginCredentials {
  let doc: Record<string, XmlValue>;
  try {
    doc = parseXml(body);
  } catch (err) {
    throw SoapErrors.malformedRequest(`Unable to parse the request: ${(err as Error).message}`);
  }
  const env = doc.Envelope as Record<string, XmlValue> | undefined;
  const bodyEl = env && typeof env === 'object' ? (env.Body as Record<string, XmlValue> | undefined) : undefined;
  const login = bodyEl && typeof bodyEl === 'object' ? (bodyEl.login as Record<string, XmlValue> | undefined) : undefined;
  if (!login || typeof login !== 'object') throw SoapErrors.malformedRequest('No login operation found in the request body');
  const text = (v: XmlValue | undefined) => (typeof v === 'string' ? v : v && typeof v === 'object' && !Array.isArray(v) && typeof v['#text'] === 'string' ? (v['#text'] as string) : '');
  return { username: text(login.username), password: text(login.password) };
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
  const org15 = r.orgId.slice(0, 15);
  const e = escapeXml;
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result>' +
    `<metadataServerUrl>${e(r.baseUrl)}/services/Soap/m/${r.version}/${org15}</metadataServerUrl>` +
    '<passwordExpired>false</passwordExpired><sandbox>false</sandbox>' +
    `<serverUrl>${e(r.baseUrl)}/services/Soap/u/${r.version}/${org15}</serverUrl>` +
    `<sessionId>${e(r.sessionId)}</sessionId><userId>${r.userId}</userId>` +
    '<userInfo><accessibilityMode>false</accessibilityMode><chatterExternal>false</chatterExternal><currencySymbol>$</currencySymbol>' +
    '<orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit><orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode>' +
    '<orgDefaultCurrencyLocale>en_US</orgDefaultCurrencyLocale><orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments>' +
    `<orgHasPersonAccounts>false</orgHasPersonAccounts><organizationId>${r.orgId}</organizationId>` +
    `<organizationMultiCurrency>false</organizationMultiCurrency><organizationName>${e(r.orgName)}</organizationName>` +
    '<profileId xsi:nil="true"/><roleId xsi:nil="true"/><sessionSecondsValid>7200</sessionSecondsValid>' +
    `<userDefaultCurrencyIsoCode xsi:nil="true"/><userEmail>${e(r.username)}</userEmail><userFullName>${e(r.userFullName)}</userFullName>` +
    `<userId>${r.userId}</userId><userLanguage>en_US</userLanguage><userLocale>en_US</userLocale><userName>${e(r.username)}</userName>` +
    '<userTimeZone>America/Los_Angeles</userTimeZone><userType>Standard</userType><userUiSkin>Theme3</userUiSkin></userInfo>' +
    '</result></loginResponse></soapenv:Body></soapenv:Envelope>'
  );
}

export function renderFault(err: ApiError): string {
  const msg = escapeXml(err.message);
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>' +
    `<faultcode>sf:${err.code}</faultcode><faultstring>${err.code}: ${msg}</faultstring>` +
    `<detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>${err.code}</sf:exceptionCode>` +
    `<sf:exceptionMessage>${msg}</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}
