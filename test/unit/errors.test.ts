import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { classifyError, type Classified } from '../../src/api/errors.js';
import { asyncErrorFor, renderAsyncError } from '../../src/api/bulk1/errors.js';
import { asyncErrorOf } from '../../src/api/domain-errors.js';
import { renderRestError } from '../../src/api/rest/errors.js';
import { renderOAuthError, renderSoapError } from '../../src/api/auth/errors.js';
import { renderAdminError } from '../../src/api/admin/errors.js';
import { renderOutsideSurfaces } from '../../src/server/app.js';
import { DomainError, RequestErrors, type DomainErrorDetail } from '../../src/errors/domain.js';
import { BatchFailure, JobErrors, JobRequestErrors, batchStateMessage } from '../../src/jobs/errors.js';
import { invalidContent } from '../../src/wire/records.js';
import { SchemaError } from '../../src/org/schema-file.js';
import { UsernameTaken } from '../../src/org/orgs.js';
import { SeedError } from '../../src/engine/seed.js';
import { ApiError, AsyncErrors, OAuthErrors, SoapErrors, UNAVAILABLE_MESSAGE } from '../../src/api/error-catalogue.js';
import type { WireResponse } from '../../src/http/wire-response.js';

/** An error as Fastify raises it: a message and the HTTP status it means. */
function fastifyError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode, code: 'FST_ERR_TEST' });
}

/** Status, Content-Type and body text of a rendering, for byte-for-byte comparison. */
function bytes(res: WireResponse): [number, string, string] {
  assert.equal(typeof res.body, 'string');
  return [res.status, res.contentType, String(res.body)];
}

const golden = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../test/golden/${name}`, import.meta.url)), 'utf8');

describe('classifyError', () => {
  const table: [what: string, thrown: unknown, expected: Classified['class']][] = [
    ['a job error', JobErrors.unknownJob('750000000000000AAA'), 'domain'],
    ['a request-body error', RequestErrors.payloadTooLarge(10_000_000), 'domain'],
    ['a payload reader error', invalidContent('Records not found'), 'domain'],
    ['a schema error', new SchemaError('A schema needs an `objects` list'), 'domain'],
    ['a seed error', new SeedError('Account: batch failed'), 'domain'],
    ['a taken username', new UsernameTaken('a@b.c'), 'domain'],
    ['a Bulk 1.0 wire error', AsyncErrors.invalidSessionId(), 'api'],
    ['an OAuth wire error', OAuthErrors.badToken(), 'api'],
    ['PostgreSQL restarting', Object.assign(new Error('terminating connection'), { code: '57P01' }), 'unavailable'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'unavailable'],
    ['SQLite busy', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), 'unavailable'],
    ['a wrapped driver error', new Error('cannot open', { cause: { code: '3D000' } }), 'unavailable'],
    ['Fastify: body too large', fastifyError(413, 'Request body is too large'), 'client'],
    ['Fastify: bad request', fastifyError(400, 'Bad Request'), 'client'],
    ['Fastify: a 5xx error', fastifyError(500, 'boom'), 'unexpected'],
    ['a TypeError', new TypeError('x is undefined'), 'unexpected'],
    ['a thrown string', 'boom', 'unexpected'],
    ['undefined', undefined, 'unexpected'],
    ['an object with a statusCode, not an Error', { statusCode: 400, message: 'no' }, 'unexpected'],
  ];
  for (const [what, thrown, expected] of table) {
    it(`${what} → ${expected}`, () => assert.equal(classifyError(thrown).class, expected));
  }

  it('keeps what each class needs: the error, or the client status and message', () => {
    const err = JobErrors.unknownBatch('751');
    assert.deepEqual(classifyError(err), { class: 'domain', error: err });
    assert.deepEqual(classifyError(fastifyError(415, 'Unsupported Media Type')), {
      class: 'client',
      status: 415,
      message: 'Unsupported Media Type',
    });
  });
});

describe('Bulk 1.0: every domain kind maps to its AsyncErrors entry', () => {
  // The code, message and status each kind had on the wire when the domain threw AsyncErrors directly.
  const table: [DomainErrorDetail, code: string, message: string, status: number][] = [
    [
      { kind: 'payloadTooLarge', limit: 10_000_000 },
      'ClientInputError',
      'Failed to read request. Exceeded max size limit of 10000000',
      400,
    ],
    [
      { kind: 'badEncoding', encoding: 'br', problem: 'unsupported' },
      'ClientInputError',
      'Unsupported content encoding: br',
      415,
    ],
    [
      { kind: 'badEncoding', encoding: 'gzip', problem: 'corrupt' },
      'ClientInputError',
      'Failed to read request. The gzip content is corrupt',
      400,
    ],
    [{ kind: 'unknownJob', jobId: '750x' }, 'InvalidJob', 'Invalid job id: 750x', 400],
    [{ kind: 'unknownBatch', batchId: '751x' }, 'InvalidBatch', 'Invalid batch id: 751x', 400],
    [{ kind: 'unknownResult', resultId: '752x' }, 'InvalidBatch', 'Invalid result id: 752x', 400],
    [
      { kind: 'batchNotComplete', batchId: '751x', state: 'Queued' },
      'InvalidBatch',
      'Batch not completed: 751x is Queued',
      400,
    ],
    [{ kind: 'invalidJob', reason: 'Operation is required' }, 'InvalidJob', 'Operation is required', 400],
    [{ kind: 'invalidJobState', reason: 'Invalid job state: Open' }, 'InvalidJobState', 'Invalid job state: Open', 400],
    [{ kind: 'unknownObject', object: 'Nope' }, 'InvalidJob', 'Unable to find object: Nope', 400],
    [
      { kind: 'quotaExceeded', quota: 'DailyBulkApiBatches', limit: 3 },
      'ExceededQuota',
      'DailyBulkApiBatches Limit exceeded: 3 batches in 24 hours',
      400,
    ],
    [{ kind: 'emptyBatch' }, 'ClientInputError', 'Unable to find any data to create batch', 400],
    [{ kind: 'featureNotEnabled', reason: 'No ZIP' }, 'FeatureNotEnabled', 'No ZIP', 400],
    [{ kind: 'invalidBatchContent', reason: 'Records not found' }, 'InvalidBatch', 'Records not found', 400],
    [{ kind: 'invalidSchema', reason: 'bad' }, 'ClientInputError', 'bad', 400],
    [{ kind: 'seedFailed', reason: 'failed' }, 'ClientInputError', 'failed', 400],
    [{ kind: 'usernameTaken', username: 'a@b.c' }, 'ClientInputError', 'The username a@b.c is already in use', 400],
  ];
  for (const [detail, code, message, status] of table) {
    it(`${detail.kind}${'problem' in detail ? ` (${detail.problem})` : ''}`, () => {
      const err = asyncErrorOf(detail);
      assert.deepEqual([err.code, err.message, err.status], [code, message, status]);
    });
  }
});

describe('Bulk 1.0 renderings', () => {
  const render = (thrown: unknown, format: 'xml' | 'json') =>
    bytes(renderAsyncError(asyncErrorFor(classifyError(thrown)), format));

  it('an unknown job, in XML: the golden error document', () => {
    assert.deepEqual(render(JobErrors.unknownJob('750000000000000AAA'), 'xml'), [
      400,
      'application/xml',
      golden('error-invalid-job.xml'),
    ]);
  });
  it('an unknown batch, in JSON: the golden error document', () => {
    assert.deepEqual(render(JobErrors.unknownBatch('751Lf00000000ZZAAA'), 'json'), [
      400,
      'application/json',
      golden('error-invalid-batch.json'),
    ]);
  });
  it('a body over the limit, in JSON', () => {
    const message = 'Failed to read request. Exceeded max size limit of 10000000';
    assert.deepEqual(render(RequestErrors.payloadTooLarge(10_000_000), 'json'), [
      400,
      'application/json',
      `{"exceptionCode":"ClientInputError","exceptionMessage":"${message}"}`,
    ]);
  });
  it('Fastify client error, the database gone, and a bug', () => {
    assert.deepEqual(render(fastifyError(400, 'Bad Request'), 'json'), [
      400,
      'application/json',
      '{"exceptionCode":"ClientInputError","exceptionMessage":"Bad Request"}',
    ]);
    assert.deepEqual(render(Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'json'), [
      503,
      'application/json',
      `{"exceptionCode":"ServerUnavailable","exceptionMessage":"${UNAVAILABLE_MESSAGE}"}`,
    ]);
    const internal = '{"exceptionCode":"InternalServerError","exceptionMessage":"An internal error occurred"}';
    assert.deepEqual(render(new TypeError('secret detail'), 'json'), [500, 'application/json', internal]);
  });
});

describe('REST renderings', () => {
  const JSON_TYPE = 'application/json;charset=UTF-8';
  it('its own errors, message before errorCode', () => {
    const notFound = new ApiError('NOT_FOUND', 'The requested resource does not exist', 404);
    assert.deepEqual(bytes(renderRestError(classifyError(notFound))), [
      404,
      JSON_TYPE,
      '[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}]',
    ]);
  });
  it('a request-body error in the words Bulk 1.0 uses', () => {
    assert.deepEqual(bytes(renderRestError(classifyError(RequestErrors.unsupportedEncoding('br')))), [
      415,
      JSON_TYPE,
      '[{"message":"Unsupported content encoding: br","errorCode":"ClientInputError"}]',
    ]);
  });
  it('unavailable is 503 SERVER_UNAVAILABLE; a bug or a Fastify error is UNKNOWN_EXCEPTION', () => {
    assert.deepEqual(bytes(renderRestError({ class: 'unavailable' })), [
      503,
      JSON_TYPE,
      `[{"message":"${UNAVAILABLE_MESSAGE}","errorCode":"SERVER_UNAVAILABLE"}]`,
    ]);
    const unknown = [500, JSON_TYPE, '[{"message":"An unexpected error occurred","errorCode":"UNKNOWN_EXCEPTION"}]'];
    assert.deepEqual(bytes(renderRestError(classifyError(new Error('secret')))), unknown);
    assert.deepEqual(bytes(renderRestError(classifyError(fastifyError(400, 'Bad Request')))), unknown);
  });
});

describe('SOAP renderings', () => {
  const fault = (code: string, message: string) =>
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<soapenv:Body>' +
    `<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${code}: ${message}</faultstring>` +
    `<detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>${code}</sf:exceptionCode>` +
    `<sf:exceptionMessage>${message}</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body>` +
    '</soapenv:Envelope>';
  const TYPE = 'text/xml; charset=utf-8';
  it('a bad login is a 500 fault', () => {
    assert.deepEqual(bytes(renderSoapError(classifyError(SoapErrors.invalidLogin()))), [
      500,
      TYPE,
      fault('INVALID_LOGIN', 'Invalid username, password, security token; or user locked out.'),
    ]);
  });
  it('a body over the limit is a 500 fault with Bulk 1.0 words; unavailable is 503', () => {
    assert.deepEqual(bytes(renderSoapError(classifyError(RequestErrors.payloadTooLarge(5)))), [
      500,
      TYPE,
      fault('ClientInputError', 'Failed to read request. Exceeded max size limit of 5'),
    ]);
    assert.deepEqual(bytes(renderSoapError({ class: 'unavailable' })), [
      503,
      TYPE,
      fault('SERVER_UNAVAILABLE', UNAVAILABLE_MESSAGE),
    ]);
  });
  it('anything else is INVALID_REQUEST with its message (as it always was)', () => {
    assert.deepEqual(bytes(renderSoapError(classifyError(new Error('no <login>')))), [
      500,
      TYPE,
      fault('INVALID_REQUEST', 'no &lt;login&gt;'),
    ]);
  });
});

describe('OAuth renderings', () => {
  const TYPE = 'application/json;charset=UTF-8';
  it('its own errors, the database gone, and anything else', () => {
    assert.deepEqual(bytes(renderOAuthError(classifyError(OAuthErrors.authenticationFailure()))), [
      400,
      TYPE,
      '{"error":"invalid_grant","error_description":"authentication failure"}',
    ]);
    assert.deepEqual(bytes(renderOAuthError({ class: 'unavailable' })), [
      503,
      TYPE,
      `{"error":"temporarily_unavailable","error_description":"${UNAVAILABLE_MESSAGE}"}`,
    ]);
    assert.deepEqual(bytes(renderOAuthError(classifyError(fastifyError(400, 'Bad Request')))), [
      400,
      TYPE,
      '{"error":"invalid_request","error_description":"Bad Request"}',
    ]);
  });
  it('a corrupt gzip body in Bulk 1.0 words', () => {
    const description = 'Failed to read request. The gzip content is corrupt';
    assert.deepEqual(bytes(renderOAuthError(classifyError(RequestErrors.corruptGzip()))), [
      400,
      TYPE,
      `{"error":"ClientInputError","error_description":"${description}"}`,
    ]);
  });
});

describe('admin renderings', () => {
  const admin = (thrown: unknown) => bytes(renderAdminError(classifyError(thrown)));
  it('schema and seed errors are 400, a taken username 409', () => {
    assert.deepEqual(admin(new SchemaError('Every object needs a name')), [
      400,
      'application/json',
      '{"error":"Every object needs a name"}',
    ]);
    assert.deepEqual(admin(new SeedError('Account.csv row 2: REQUIRED_FIELD_MISSING: x')), [
      400,
      'application/json',
      '{"error":"Account.csv row 2: REQUIRED_FIELD_MISSING: x"}',
    ]);
    assert.deepEqual(admin(new UsernameTaken('a@b.c')), [
      409,
      'application/json',
      '{"error":"The username a@b.c is already in use"}',
    ]);
  });
  it('a seed refused by BulkService, its own errors, the database gone, and a bug', () => {
    assert.deepEqual(admin(JobRequestErrors.unknownObject('Nope')), [
      400,
      'application/json',
      '{"error":"Unable to find object: Nope"}',
    ]);
    assert.deepEqual(admin(new ApiError('NOT_FOUND', 'No org x', 404)), [
      404,
      'application/json',
      '{"error":"No org x"}',
    ]);
    assert.deepEqual(admin(Object.assign(new Error('x'), { code: '57P03' })), [
      503,
      'application/json',
      `{"error":"${UNAVAILABLE_MESSAGE}"}`,
    ]);
    assert.deepEqual(admin(new RangeError('secret')), [
      500,
      'application/json',
      '{"error":"An unexpected error occurred"}',
    ]);
  });
});

describe('outside every surface', () => {
  const TYPE = 'application/json;charset=UTF-8';
  it('a Fastify client error keeps its status; anything else is UNKNOWN_EXCEPTION', () => {
    assert.deepEqual(bytes(renderOutsideSurfaces(classifyError(fastifyError(400, 'URI malformed')))), [
      400,
      TYPE,
      '[{"errorCode":"INVALID_REQUEST","message":"URI malformed"}]',
    ]);
    assert.deepEqual(bytes(renderOutsideSurfaces(classifyError(fastifyError(503, 'busy')))), [
      503,
      TYPE,
      '[{"errorCode":"UNKNOWN_EXCEPTION","message":"An unexpected error occurred"}]',
    ]);
    assert.deepEqual(bytes(renderOutsideSurfaces(classifyError(JobErrors.emptyBatch()))), [
      500,
      TYPE,
      '[{"errorCode":"UNKNOWN_EXCEPTION","message":"An unexpected error occurred"}]',
    ]);
  });
});

describe('BatchFailure', () => {
  it('is stored as Bulk 1.0 formats a stateMessage: code, " : ", message', () => {
    assert.equal(
      batchStateMessage(new BatchFailure('InvalidBatch', 'Field name not found : X')),
      'InvalidBatch : Field name not found : X',
    );
  });
  it('is made from a payload reader error, and from nothing else', () => {
    const failure = BatchFailure.from(invalidContent('Records not found'));
    assert.ok(failure);
    assert.deepEqual([failure.code, failure.message], ['InvalidBatch', 'Records not found']);
    const own = new BatchFailure('InvalidBatch', 'Retried more than ten times');
    assert.equal(BatchFailure.from(own), own);
    assert.equal(BatchFailure.from(JobErrors.unknownJob('750x')), undefined);
    assert.equal(BatchFailure.from(new Error('InvalidBatch : x')), undefined);
  });
  it('a domain error says what it is in its message, for logs and the CLI', () => {
    const seed = new DomainError({ kind: 'seedFailed', reason: 'Account: batch failed' });
    assert.equal(seed.message, 'Account: batch failed');
    assert.equal(JobErrors.unknownJob('750x').kind, 'unknownJob');
  });
});
