// SOAP login (Salesforce's "SOAP API Developer Guide", "login()" and "LoginResult", and its "Fault" section): the
// partner API's login request, its loginResponse and the LoginFault. The response is a `soapenv:`-prefixed envelope
// with unprefixed loginResponse/result, because Postman reads `soapenv:Envelope`/`soapenv:Body` and jsforce
// regex-matches the first serverUrl, sessionId, userId and organizationId; a fault carries faultcode/faultstring and
// sf:exceptionCode/exceptionMessage.
import { ProtocolParseError } from './errors.js';
import { isFields, requiredFields, requiredText, textOf, type Fields } from './read.js';
import { escapeXml, parseXml, type XmlValue } from './xml.js';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const PARTNER_NS = 'urn:partner.soap.sforce.com';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export interface LoginRequestDocument {
  username: string;
  password: string;
}

/** The fields of a LoginResult that vary; the rest of userInfo is written as fixed values. */
export interface LoginResponseDocument {
  metadataServerUrl: string;
  serverUrl: string;
  sessionId: string;
  userId: string;
  organizationId: string;
  organizationName: string;
  userEmail: string;
  userFullName: string;
  userName: string;
}

export interface SoapFaultDocument {
  /** The fault code without its `sf:` prefix, e.g. INVALID_LOGIN. */
  exceptionCode: string;
  exceptionMessage: string;
}

/** The envelope's Body, whatever prefixes the sender chose; undefined when there is none. */
function soapBody(text: string, document: string, noun: 'request' | 'response'): Fields | undefined {
  let doc: Record<string, XmlValue>;
  try {
    doc = parseXml(text);
  } catch (err) {
    throw new ProtocolParseError(document, `Unable to parse the ${noun}: ${(err as Error).message}`);
  }
  const envelope = doc.Envelope;
  const body = isFields(envelope) ? envelope.Body : undefined;
  return isFields(body) ? body : undefined;
}

// ---- login request ----

/** The request jsforce sends: `se:`-prefixed envelope without a declaration, login in the partner namespace. */
export function renderLoginRequest(r: LoginRequestDocument): string {
  return (
    `<se:Envelope xmlns:se="${SOAP_ENV}"><se:Header/><se:Body><login xmlns="${PARTNER_NS}">` +
    `<username>${escapeXml(r.username)}</username><password>${escapeXml(r.password)}</password>` +
    '</login></se:Body></se:Envelope>'
  );
}

/** Reads `login` from any envelope: prefixes are ignored, CDATA and entities become text. */
export function parseLoginRequest(text: string): LoginRequestDocument {
  const document = 'SOAP login request';
  const login = soapBody(text, document, 'request')?.login;
  if (!isFields(login)) throw new ProtocolParseError(document, 'No login operation found in the request body');
  return { username: textOf(login.username) ?? '', password: textOf(login.password) ?? '' };
}

// ---- login response ----

const USER_INFO_BEFORE_ORG_ID =
  '<userInfo><accessibilityMode>false</accessibilityMode><chatterExternal>false</chatterExternal>' +
  '<currencySymbol>$</currencySymbol><orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit>' +
  '<orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode>' +
  '<orgDefaultCurrencyLocale>en_US</orgDefaultCurrencyLocale>' +
  '<orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments><orgHasPersonAccounts>false</orgHasPersonAccounts>';

export function renderLoginResponse(r: LoginResponseDocument): string {
  const e = escapeXml;
  return (
    `${DECLARATION}<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}"` +
    ` xmlns="${PARTNER_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    '<soapenv:Body><loginResponse><result>' +
    `<metadataServerUrl>${e(r.metadataServerUrl)}</metadataServerUrl>` +
    '<passwordExpired>false</passwordExpired><sandbox>false</sandbox>' +
    `<serverUrl>${e(r.serverUrl)}</serverUrl>` +
    `<sessionId>${e(r.sessionId)}</sessionId><userId>${e(r.userId)}</userId>` +
    USER_INFO_BEFORE_ORG_ID +
    `<organizationId>${e(r.organizationId)}</organizationId>` +
    '<organizationMultiCurrency>false</organizationMultiCurrency>' +
    `<organizationName>${e(r.organizationName)}</organizationName>` +
    '<profileId xsi:nil="true"/><roleId xsi:nil="true"/><sessionSecondsValid>7200</sessionSecondsValid>' +
    `<userDefaultCurrencyIsoCode xsi:nil="true"/><userEmail>${e(r.userEmail)}</userEmail>` +
    `<userFullName>${e(r.userFullName)}</userFullName>` +
    `<userId>${e(r.userId)}</userId><userLanguage>en_US</userLanguage><userLocale>en_US</userLocale>` +
    `<userName>${e(r.userName)}</userName>` +
    '<userTimeZone>America/Los_Angeles</userTimeZone><userType>Standard</userType><userUiSkin>Theme3</userUiSkin>' +
    '</userInfo>' +
    '</result></loginResponse></soapenv:Body></soapenv:Envelope>'
  );
}

export function parseLoginResponse(text: string): LoginResponseDocument {
  const document = 'SOAP login response';
  const response = requiredFields(soapBody(text, document, 'response')?.loginResponse, document);
  const result = requiredFields(response.result, document);
  const userInfo = requiredFields(result.userInfo, document);
  const of = (f: Fields, name: string) => requiredText(f, name, document);
  return {
    metadataServerUrl: of(result, 'metadataServerUrl'),
    serverUrl: of(result, 'serverUrl'),
    sessionId: of(result, 'sessionId'),
    userId: of(result, 'userId'),
    organizationId: of(userInfo, 'organizationId'),
    organizationName: of(userInfo, 'organizationName'),
    userEmail: of(userInfo, 'userEmail'),
    userFullName: of(userInfo, 'userFullName'),
    userName: of(userInfo, 'userName'),
  };
}

// ---- fault ----

export function renderFault(f: SoapFaultDocument): string {
  const code = escapeXml(f.exceptionCode);
  const msg = escapeXml(f.exceptionMessage);
  return (
    `${DECLARATION}<soapenv:Envelope xmlns:soapenv="${SOAP_ENV}"` +
    ' xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<soapenv:Body><soapenv:Fault>' +
    `<faultcode>sf:${code}</faultcode><faultstring>${code}: ${msg}</faultstring>` +
    `<detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>${code}</sf:exceptionCode>` +
    `<sf:exceptionMessage>${msg}</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body>` +
    '</soapenv:Envelope>'
  );
}

/** Reads a fault: the LoginFault detail when present, else faultcode (its prefix dropped) and faultstring. */
export function parseFault(text: string): SoapFaultDocument {
  const document = 'SOAP fault';
  const fault = requiredFields(soapBody(text, document, 'response')?.Fault, document);
  const detail = isFields(fault.detail) ? fault.detail : {};
  const loginFault = Object.values(detail).find(isFields);
  if (loginFault && textOf(loginFault.exceptionCode) !== undefined) {
    return {
      exceptionCode: requiredText(loginFault, 'exceptionCode', document),
      exceptionMessage: textOf(loginFault.exceptionMessage) ?? '',
    };
  }
  return {
    exceptionCode: requiredText(fault, 'faultcode', document).replace(/^[^:]*:/, ''),
    exceptionMessage: textOf(fault.faultstring) ?? '',
  };
}
