// The wire errors of each surface: a code, a message and an HTTP status, in the catalogues below. Surfaces throw
// their own entries (a bad session, an unknown URL); domain code throws DomainError (errors/domain.ts) instead, and
// each surface maps those to its entries (api/domain-errors.ts). The surface that catches either renders
// it in its own shape (Bulk 1.0 <error> XML/JSON, SOAP fault, OAuth JSON, REST array).
// Messages marked "localforce wording" stand where Salesforce's exact text is unconfirmed (see docs/compatibility.md);
// keeping them here means they can be corrected in one place.

export class ApiError extends Error {
  constructor(
    /** Wire code: Bulk 1.0 exceptionCode (`InvalidJob`), OAuth `error`, or SOAP fault code. */
    readonly code: string,
    message: string,
    /** HTTP status the surface answers with. */
    readonly status: number,
  ) {
    super(message);
    this.name = code;
  }
}

const async = (code: string, message: string, status = 400) => new ApiError(code, message, status);

/** The database is restarting or unreachable (store/unavailable.ts): every surface answers 503 with this. */
export const UNAVAILABLE_MESSAGE =
  'localforce cannot reach its database right now (restarting or unreachable); retry shortly'; // localforce wording

/** Bulk API 1.0 exception codes (Bulk API Developer Guide, "Errors"). Every one is HTTP 400 unless noted. */
export const AsyncErrors = {
  invalidSessionId: () => async('InvalidSessionId', 'Invalid session id'),
  invalidUrl: (found: string) => async('InvalidUrl', `Failed to parse URL. Was expecting 'job' but found:${found}`),
  unknownResource: (path: string) => async('InvalidUrl', `Failed to parse URL. Unknown resource: ${path}`), // localforce wording
  invalidVersion: (version: string) => async('InvalidVersion', `Invalid api version specified on URL: ${version}`), // localforce wording
  invalidJob: (message: string) => async('InvalidJob', message),
  unknownJob: (jobId: string) => async('InvalidJob', `Invalid job id: ${jobId}`), // localforce wording
  unknownBatch: (batchId: string) => async('InvalidBatch', `Invalid batch id: ${batchId}`), // localforce wording
  invalidBatch: (message: string) => async('InvalidBatch', message),
  invalidJobState: (message: string) => async('InvalidJobState', message),
  unknownResult: (resultId: string) => async('InvalidBatch', `Invalid result id: ${resultId}`), // localforce wording
  batchNotComplete: (batchId: string, state: string) =>
    async('InvalidBatch', `Batch not completed: ${batchId} is ${state}`), // localforce wording
  unknownObject: (object: string) => async('InvalidJob', `Unable to find object: ${object}`),
  invalidXml: (detail: string) => async('InvalidXml', detail),
  exceededQuota: (message: string) => async('ExceededQuota', message), // localforce wording
  clientInput: (message: string) => async('ClientInputError', message),
  emptyBatch: () => async('ClientInputError', 'Unable to find any data to create batch'),
  tooLarge: (limit: number) => async('ClientInputError', `Failed to read request. Exceeded max size limit of ${limit}`),
  invalidOperation: (message: string) => async('InvalidOperation', message),
  featureNotEnabled: (message: string) => async('FeatureNotEnabled', message),
  unsupportedContentType: (type: string) => async('UnsupportedContentType', `Unsupported content type: ${type}`),
  methodNotAllowed: (method: string) =>
    async('InvalidUrl', `HTTP method '${method}' is not allowed for this resource`, 405), // localforce wording
  unsupportedEncoding: (encoding: string) =>
    async('ClientInputError', `Unsupported content encoding: ${encoding}`, 415), // localforce wording
  internal: () => async('InternalServerError', 'An internal error occurred', 500),
  serverUnavailable: () => async('ServerUnavailable', UNAVAILABLE_MESSAGE, 503), // localforce wording
};

/**
 * OAuth 2.0 token endpoint errors (REST API Developer Guide, "Understanding the Username-Password OAuth
 * Authentication Flow"): rendered as {error, error_description}.
 */
export const OAuthErrors = {
  authenticationFailure: () => new ApiError('invalid_grant', 'authentication failure', 400),
  invalidClientId: () => new ApiError('invalid_client_id', 'client identifier invalid', 400),
  unsupportedGrantType: () => new ApiError('unsupported_grant_type', 'grant type not supported', 400),
  missingGrantType: () => new ApiError('invalid_request', 'grant type is missing', 400),
  badToken: () => new ApiError('Bad_OAuth_Token', 'Session expired or invalid', 403),
  serverUnavailable: () => new ApiError('temporarily_unavailable', UNAVAILABLE_MESSAGE, 503),
};

/** SOAP faults (SOAP API Developer Guide, "login()"): HTTP 500 with faultcode sf:<code>. */
export const SoapErrors = {
  invalidLogin: () =>
    new ApiError('INVALID_LOGIN', 'Invalid username, password, security token; or user locked out.', 500),
  malformedRequest: (detail: string) => new ApiError('INVALID_REQUEST', detail, 500), // localforce wording
  serverUnavailable: () => new ApiError('SERVER_UNAVAILABLE', UNAVAILABLE_MESSAGE, 503),
  unsupportedApiVersion: (version: string) =>
    new ApiError('UNSUPPORTED_API_VERSION', `Invalid Api version specified on URL: ${version}`, 500),
};

/** REST (/services/data) errors: a one-element JSON array. */
export const RestErrors = {
  invalidSession: () => new ApiError('INVALID_SESSION_ID', 'Session expired or invalid', 401),
  notFound: () => new ApiError('NOT_FOUND', 'The requested resource does not exist', 404),
  serverUnavailable: () => new ApiError('SERVER_UNAVAILABLE', UNAVAILABLE_MESSAGE, 503),
};
