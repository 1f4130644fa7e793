// The protocol layer (src/protocol): every golden file the protocol renders survives parse → render byte for byte,
// parsers read what real clients send (jsforce, Postman) and are lenient where clients are, malformed documents are a
// ProtocolParseError, and src/protocol imports nothing from the rest of src/.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProtocolParseError } from '../../src/protocol/errors.js';
import type { WireFormat } from '../../src/protocol/bulk1/format.js';
import {
  parseBatchInfo,
  parseBatchInfoList,
  renderBatchInfo,
  renderBatchInfoList,
} from '../../src/protocol/bulk1/batch-info.js';
import { parseError, renderError } from '../../src/protocol/bulk1/error.js';
import { parseJobInfo, parseJobRequest, renderJobInfo, renderJobRequest } from '../../src/protocol/bulk1/job-info.js';
import {
  parseResultListJson,
  parseResultListXml,
  parseResultsCsv,
  parseResultsJson,
  parseResultsXml,
  renderResultListJson,
  renderResultListXml,
  renderResultsCsv,
  renderResultsJson,
  renderResultsXml,
} from '../../src/protocol/bulk1/results.js';
import { parseOAuthError, parseOAuthToken, renderOAuthError, renderOAuthToken } from '../../src/protocol/oauth.js';
import { firstElementText } from '../../src/protocol/read.js';
import {
  parseFault,
  parseLoginRequest,
  parseLoginResponse,
  renderFault,
  renderLoginRequest,
  renderLoginResponse,
} from '../../src/protocol/soap-login.js';
import { DATALOAD_NS } from '../../src/protocol/xml.js';
import { parseJobRequest as serverParseJobRequest } from '../../src/api/bulk1/codec.js';
import { ApiError } from '../../src/api/error-catalogue.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const goldenDir = join(root, 'test/golden');

// Values for the golden files' placeholders; numbers where the placeholder stands for a JSON number.
const PLACEHOLDERS: Record<string, string> = {
  jobId: '750Lf00000A1b2cIAB',
  batchId: '751Lf00000C3d4eIAB',
  userId: '005Lf00000E5f6gIAB',
  recordId: '001Lf00000G7h8iIAB',
  resultId: '752Lf00000I9j0kIAB',
  ms: '17',
  totalProcessingTime: '23',
  apiActiveProcessingTime: '19',
  apexProcessingTime: '0',
};
const DATES: Record<WireFormat, string> = { xml: '2026-01-02T03:04:05.000Z', json: '2026-01-02T03:04:05.000+0000' };

/** A golden file with real values in place of its placeholders (JSON with `{{ms}}` for a number is not JSON). */
function golden(name: string): string {
  const format: WireFormat = name.endsWith('.json') ? 'json' : 'xml';
  return readFileSync(join(goldenDir, name), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (key === 'date' || key === 'createdDate' || key === 'systemModstamp') return DATES[format];
    const value = PLACEHOLDERS[key];
    if (value === undefined) throw new Error(`no value for {{${key}}} in ${name}`);
    return value;
  });
}

/** Each golden file the protocol renders, with the protocol's parse → render for it. */
const ROUND_TRIPS: Record<string, (text: string) => string> = {
  'batchInfo-completed.xml': (t) => renderBatchInfo(parseBatchInfo(t, 'xml'), 'xml'),
  'batchInfoList-completed.json': (t) => renderBatchInfoList(parseBatchInfoList(t, 'json'), 'json'),
  'batchInfoList-empty.xml': (t) => renderBatchInfoList(parseBatchInfoList(t, 'xml'), 'xml'),
  'batchInfoList-one-completed.xml': (t) => renderBatchInfoList(parseBatchInfoList(t, 'xml'), 'xml'),
  'error-invalid-batch.json': (t) => renderError(parseError(t, 'json'), 'json'),
  'error-invalid-job.xml': (t) => renderError(parseError(t, 'xml'), 'xml'),
  'jobInfo-open.json': (t) => renderJobInfo(parseJobInfo(t, 'json'), 'json'),
  'jobInfo-open.xml': (t) => renderJobInfo(parseJobInfo(t, 'xml'), 'xml'),
  'query-result-list.xml': (t) => renderResultListXml(parseResultListXml(t)),
  'results-insert.csv': (t) => renderResultsCsv(parseResultsCsv(t)),
  'results-insert.json': (t) => renderResultsJson(parseResultsJson(t)),
  'results-insert.xml': (t) => renderResultsXml(parseResultsXml(t)),
};

// Query result files hold the org's records, typed by its schema and streamed by src/wire/query-results.ts: they
// are data, not a protocol document with a fixed shape, so the protocol neither renders nor parses them.
const NOT_PROTOCOL = new Set(['query-empty.xml', 'query-records.json', 'query-records.xml']);

describe('protocol: golden files round-trip (parse → render → the same bytes)', () => {
  it('every golden file is either round-tripped or named as not a protocol document', () => {
    for (const name of readdirSync(goldenDir)) {
      assert.ok(name in ROUND_TRIPS || NOT_PROTOCOL.has(name), `golden file ${name} is not covered`);
    }
  });

  for (const [name, roundTrip] of Object.entries(ROUND_TRIPS)) {
    it(name, () => {
      const text = golden(name);
      assert.equal(roundTrip(text), text);
    });
  }
});

describe('protocol: parsing what clients send', () => {
  it("reads jsforce's job request: declaration after a newline trim, double-spaced namespace, indented fields", () => {
    const jsforce = `<?xml version="1.0" encoding="UTF-8"?>
<jobInfo  xmlns="${DATALOAD_NS}">
  <operation>upsert</operation>
  <object>Account</object>
  <externalIdFieldName>Ext__c</externalIdFieldName>
  \n  \n  <contentType>CSV</contentType>
</jobInfo>`;
    assert.deepEqual(parseJobRequest(jsforce, 'xml'), {
      operation: 'upsert',
      object: 'Account',
      externalIdFieldName: 'Ext__c',
      contentType: 'CSV',
    });
    const close =
      `<?xml version="1.0" encoding="UTF-8"?>\n  <jobInfo xmlns="${DATALOAD_NS}">\n` +
      '  <state>Closed</state>\n</jobInfo>';
    assert.deepEqual(parseJobRequest(close, 'xml'), { state: 'Closed' });
  });

  it('reads a prefixed namespace and any element order', () => {
    const xml =
      `<n1:jobInfo xmlns:n1="${DATALOAD_NS}"><n1:contentType>CSV</n1:contentType>` +
      '<n1:object>Contact</n1:object><n1:operation>insert</n1:operation></n1:jobInfo>';
    assert.deepEqual(parseJobRequest(xml, 'xml'), { contentType: 'CSV', object: 'Contact', operation: 'insert' });
  });

  it("reads Postman's JSON job request, keeping JSON scalars as sent", () => {
    const postman =
      '{\n    "operation" : "insert",\n    "object" : "Account",\n    "contentType" : "JSON",\n' +
      '    "concurrencyMode": null\n}';
    assert.deepEqual(parseJobRequest(postman, 'json'), {
      operation: 'insert',
      object: 'Account',
      contentType: 'JSON',
      concurrencyMode: null,
    });
  });

  it('writes a job request the server reads back to the same fields, escaping text', () => {
    const fields = { operation: 'insert', object: 'A&B<C>', contentType: 'CSV' };
    assert.deepEqual(parseJobRequest(renderJobRequest(fields, 'xml'), 'xml'), fields);
    assert.deepEqual(parseJobRequest(renderJobRequest(fields, 'json'), 'json'), fields);
  });

  it('reads a batchInfo in any element order, with a namespace prefix and whitespace around values', () => {
    const xml =
      `<?xml version="1.0"?>\n<s:batchInfo xmlns:s="${DATALOAD_NS}">\n<s:state> Failed </s:state>` +
      '<s:numberRecordsFailed>0</s:numberRecordsFailed><s:id>751x</s:id><s:jobId>750x</s:jobId>' +
      '<s:stateMessage>InvalidBatch : bad &amp; worse</s:stateMessage><s:createdDate>d1</s:createdDate>' +
      '<s:systemModstamp>d2</s:systemModstamp><s:numberRecordsProcessed> 4 </s:numberRecordsProcessed>' +
      '<s:totalProcessingTime>1</s:totalProcessingTime><s:apiActiveProcessingTime>2</s:apiActiveProcessingTime>' +
      '<s:apexProcessingTime>3</s:apexProcessingTime></s:batchInfo>';
    const info = parseBatchInfo(xml, 'xml');
    assert.equal(info.state, 'Failed');
    assert.equal(info.stateMessage, 'InvalidBatch : bad & worse');
    assert.equal(info.numberRecordsProcessed, 4);
    assert.equal(info.apexProcessingTime, 3);
  });

  it('reads booleans in any case (TRUE, False) and absent ids as null in XML results', () => {
    const xml =
      `<results xmlns="${DATALOAD_NS}"><result><success>TRUE</success><created>False</created>` +
      '<id>001x</id></result><result><success>false</success><created>false</created><errors>' +
      '<statusCode>X</statusCode><message>m</message></errors></result></results>';
    assert.deepEqual(parseResultsXml(xml), [
      { id: '001x', success: true, created: false, errors: [] },
      { id: null, success: false, created: false, errors: [{ statusCode: 'X', message: 'm', fields: [] }] },
    ]);
  });

  it('reads a results CSV error cell with colons in the message, with and without fields', () => {
    const csv =
      '"Id","Success","Created","Error"\r\n"","false","false","A:b: c:d:F1,F2 --"\r\n' +
      '"","false","false","B:say ""hi"":--"\r\n';
    assert.deepEqual(
      parseResultsCsv(csv).map((r) => r.errors),
      [
        [{ statusCode: 'A', message: 'b: c:d', fields: ['F1', 'F2'] }],
        [{ statusCode: 'B', message: 'say "hi"', fields: [] }],
      ],
    );
  });

  it('round-trips a JSON result list and reads the batchInfoList JSON of no batches', () => {
    assert.deepEqual(parseResultListJson(renderResultListJson(['752a', '752b'])), ['752a', '752b']);
    assert.deepEqual(parseBatchInfoList('{"batchInfo":[]}', 'json'), []);
  });

  it("finds the first element's text in a document or a fragment, and nothing in non-XML", () => {
    assert.equal(firstElementText(golden('jobInfo-open.xml'), 'state'), 'Open');
    assert.equal(firstElementText('<id>a</id><state>x &amp; y</state>', 'state'), 'x & y');
    assert.equal(firstElementText('<a><b><id>deep</id></b></a><id>late</id>', 'id'), 'deep');
    assert.equal(firstElementText('{"id":"x"}', 'id'), undefined);
    assert.equal(firstElementText('<a><id xsi:nil="true"/></a>', 'id'), undefined);
  });
});

describe('protocol: malformed documents are a ProtocolParseError', () => {
  const jobInfoXml = () => golden('jobInfo-open.xml');
  const cases: [string, () => unknown, RegExp][] = [
    ['empty XML', () => parseJobRequest('  ', 'xml'), /^Premature end of file\.$/],
    ['unclosed XML', () => parseJobInfo('<jobInfo><id>x</jobInfo>', 'xml'), /^Failed to parse XML: /],
    ['text before the root', () => parseBatchInfo('hello', 'xml'), /^Failed to parse XML: Content is not allowed/],
    ['the wrong root', () => parseBatchInfo(jobInfoXml(), 'xml'), /^Expected the root element batchInfo, found: job/],
    ['a missing field', () => parseBatchInfo(`<batchInfo><id>x</id></batchInfo>`, 'xml'), /jobId is missing/],
    [
      'a non-number',
      () => parseJobInfo(jobInfoXml().replace('<numberRetries>0', '<numberRetries>many'), 'xml'),
      /numberRetries is not a number: many/,
    ],
    [
      'a non-boolean',
      () => parseResultsJson('[{"success":"yes","created":false,"id":null,"errors":[]}]'),
      /success is not true or false/,
    ],
    ['bad JSON', () => parseJobRequest('{"operation":', 'json'), /^Failed to parse JSON: /],
    ['a JSON array for an object', () => parseJobRequest('[]', 'json'), /^Failed to parse JSON: expected a JobInfo/],
    ['a nested JSON value', () => parseJobRequest('{"object":{"a":1}}', 'json'), /^Failed to parse JSON: object must/],
    [
      'an XML element with children in a job request',
      () => parseJobRequest('<jobInfo><object><a>1</a></object></jobInfo>', 'xml'),
      /^Element object must contain text$/,
    ],
    ['a results CSV without its header', () => parseResultsCsv('"x"\n'), /expected the header/],
    ['an unclosed CSV quote', () => parseResultsCsv('"Id","Success","Created","Error"\n"a'), /not closed/],
    ['a SOAP body without login', () => parseLoginRequest('<Envelope><Body><x/></Body></Envelope>'), /^No login/],
    ['unparseable SOAP', () => parseLoginRequest('<Envelope>'), /^Unable to parse the request: /],
    ['an OAuth error without its description', () => parseOAuthError('{"error":"x"}'), /error_description is/],
  ];
  for (const [what, parse, message] of cases) {
    it(what, () => {
      assert.throws(parse, (err: unknown) => err instanceof ProtocolParseError && message.test(err.message));
    });
  }

  it('the server turns them into InvalidXml (XML) and ClientInputError (JSON) with the same message', () => {
    assert.throws(
      () => serverParseJobRequest('<jobInfo>', 'xml'),
      (err: unknown) =>
        err instanceof ApiError && err.code === 'InvalidXml' && err.message.startsWith('Failed to parse XML: '),
    );
    assert.throws(
      () => serverParseJobRequest('{', 'json'),
      (err: unknown) =>
        err instanceof ApiError && err.code === 'ClientInputError' && err.message.startsWith('Failed to parse JSON: '),
    );
  });
});

describe('protocol: login documents', () => {
  it("reads jsforce's SOAP login (se: prefixes, no declaration, entities) and writes it back the same", () => {
    const jsforce =
      '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body>' +
      '<login xmlns="urn:partner.soap.sforce.com"><username>a@b.c</username><password>p&amp;w&lt;d</password>' +
      '</login></se:Body></se:Envelope>';
    const request = parseLoginRequest(jsforce);
    assert.deepEqual(request, { username: 'a@b.c', password: 'p&w<d' });
    assert.equal(renderLoginRequest(request), jsforce);
  });

  it('round-trips a login response and a fault', () => {
    const response = renderLoginResponse({
      metadataServerUrl: 'http://h:1/services/Soap/m/62.0/00D000000000001',
      serverUrl: 'http://h:1/services/Soap/u/62.0/00D000000000001',
      sessionId: '00D!s&t',
      userId: '005000000000001AAA',
      organizationId: '00D000000000001AAA',
      organizationName: 'A & B',
      userEmail: 'a@b.c',
      userFullName: 'Ada <L>',
      userName: 'a@b.c',
    });
    assert.equal(renderLoginResponse(parseLoginResponse(response)), response);
    const fault = renderFault({ exceptionCode: 'INVALID_LOGIN', exceptionMessage: 'Invalid "username"' });
    assert.deepEqual(parseFault(fault), { exceptionCode: 'INVALID_LOGIN', exceptionMessage: 'Invalid "username"' });
    assert.equal(renderFault(parseFault(fault)), fault);
  });

  it('reads a fault without a LoginFault detail from its faultcode', () => {
    const fault =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
      '<soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>bad</faultstring></soapenv:Fault>' +
      '</soapenv:Body></soapenv:Envelope>';
    assert.deepEqual(parseFault(fault), { exceptionCode: 'INVALID_SESSION_ID', exceptionMessage: 'bad' });
  });

  it('round-trips the OAuth token response and error', () => {
    const token = renderOAuthToken({
      access_token: '00D!x',
      instance_url: 'http://h:1',
      id: 'http://h:1/id/00D/005',
      token_type: 'Bearer',
      issued_at: '1700000000000',
      signature: 'c2ln',
      scope: 'api',
    });
    assert.equal(renderOAuthToken(parseOAuthToken(token)), token);
    const error = '{"error":"invalid_grant","error_description":"authentication failure"}';
    assert.equal(renderOAuthError(parseOAuthError(error)), error);
  });
});

describe('protocol: import direction', () => {
  it('src/protocol imports only itself and npm packages (a leaf: wire and api import it, never the reverse)', () => {
    const protocolDir = join(root, 'src/protocol');
    const files = readdirSync(protocolDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 5, 'found the protocol modules');
    for (const file of files) {
      const source = readFileSync(join(protocolDir, file), 'utf8');
      // `from '…'`, a bare `import '…'` and `import('…')` alike.
      for (const m of source.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const target = m[1];
        if (!target.startsWith('.')) continue; // an npm package or node: builtin
        const resolved = resolve(dirname(join(protocolDir, file)), target);
        assert.ok(resolved.startsWith(`${protocolDir}/`), `${file} imports ${target}, outside src/protocol`);
      }
    }
  });
});
