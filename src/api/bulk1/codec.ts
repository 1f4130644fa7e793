// Bulk API 1.0 wire formats: JobInfo, BatchInfo, batchInfoList, results and the error document, in XML
// (Salesforce's layout and XSD element order) and JSON (alphabetical keys, `…SSS+0000` dates, apiVersion 36.0),
// plus reading a JobInfo request in either format (bulk-v1.md §3, §4).
import type { Batch, JobInfo, RecordResult } from '../../jobs/model.js';
import type { JobRequest } from '../../jobs/service.js';
import { AsyncErrors, type ApiError } from '../../wire/errors.js';
import { jsonDateTime, toSeconds, xmlDateTime } from '../../wire/dates.js';
import { OneDecimal, writeJson, type JsonValue } from '../../wire/json.js';
import { csvCell } from '../../wire/csv.js';
import { parseXml, xmlClose, xmlChildren, xmlDocument, xmlOpen, type XmlNode, type XmlValue } from '../../wire/xml.js';

export type WireFormat = 'xml' | 'json';

export const CONTENT_TYPE = { xml: 'application/xml', json: 'application/json', csv: 'text/csv' } as const;

const xmlDate = (ms: number) => xmlDateTime(toSeconds(ms));
const jsonDate = (ms: number) => jsonDateTime(toSeconds(ms));

// ---- JobInfo ----

function jobInfoNodes(j: JobInfo): XmlNode[] {
  return [
    ['id', j.id],
    ['operation', j.operation],
    ['object', j.object],
    ['createdById', j.createdById],
    ['createdDate', xmlDate(j.createdDate)],
    ['systemModstamp', xmlDate(j.systemModstamp)],
    ['state', j.state],
    ['externalIdFieldName', j.externalIdFieldName ?? undefined],
    ['concurrencyMode', j.concurrencyMode],
    ['contentType', j.contentType],
    ['numberBatchesQueued', j.numberBatchesQueued],
    ['numberBatchesInProgress', j.numberBatchesInProgress],
    ['numberBatchesCompleted', j.numberBatchesCompleted],
    ['numberBatchesFailed', j.numberBatchesFailed],
    ['numberBatchesTotal', j.numberBatchesTotal],
    ['numberRecordsProcessed', j.numberRecordsProcessed],
    ['numberRetries', j.numberRetries],
    ['apiVersion', j.apiVersion.toFixed(1)],
    ['assignmentRuleId', j.assignmentRuleId ?? undefined],
    ['numberRecordsFailed', j.numberRecordsFailed],
    ['totalProcessingTime', j.totalProcessingTime],
    ['apiActiveProcessingTime', j.apiActiveProcessingTime],
    ['apexProcessingTime', j.apexProcessingTime],
  ];
}

function jobInfoJson(j: JobInfo): JsonValue {
  return {
    apexProcessingTime: j.apexProcessingTime,
    apiActiveProcessingTime: j.apiActiveProcessingTime,
    apiVersion: new OneDecimal(j.apiVersion),
    assignmentRuleId: j.assignmentRuleId,
    concurrencyMode: j.concurrencyMode,
    contentType: j.contentType,
    createdById: j.createdById,
    createdDate: jsonDate(j.createdDate),
    externalIdFieldName: j.externalIdFieldName,
    fastPathEnabled: false,
    id: j.id,
    numberBatchesCompleted: j.numberBatchesCompleted,
    numberBatchesFailed: j.numberBatchesFailed,
    numberBatchesInProgress: j.numberBatchesInProgress,
    numberBatchesQueued: j.numberBatchesQueued,
    numberBatchesTotal: j.numberBatchesTotal,
    numberRecordsFailed: j.numberRecordsFailed,
    numberRecordsProcessed: j.numberRecordsProcessed,
    numberRetries: j.numberRetries,
    object: j.object,
    operation: j.operation,
    state: j.state,
    systemModstamp: jsonDate(j.systemModstamp),
    totalProcessingTime: j.totalProcessingTime,
  };
}

export function renderJobInfo(j: JobInfo, format: WireFormat): string {
  return format === 'json' ? writeJson(jobInfoJson(j)) : xmlDocument('jobInfo', jobInfoNodes(j));
}

// ---- BatchInfo ----

function batchInfoNodes(b: Batch): XmlNode[] {
  return [
    ['id', b.id],
    ['jobId', b.jobId],
    ['state', b.state],
    ['stateMessage', b.stateMessage ?? undefined],
    ['createdDate', xmlDate(b.createdDate)],
    ['systemModstamp', xmlDate(b.systemModstamp)],
    ['numberRecordsProcessed', b.numberRecordsProcessed],
    ['numberRecordsFailed', b.numberRecordsFailed],
    ['totalProcessingTime', b.totalProcessingTime],
    ['apiActiveProcessingTime', b.apiActiveProcessingTime],
    ['apexProcessingTime', b.apexProcessingTime],
  ];
}

function batchInfoJson(b: Batch): JsonValue {
  return {
    apexProcessingTime: b.apexProcessingTime,
    apiActiveProcessingTime: b.apiActiveProcessingTime,
    createdDate: jsonDate(b.createdDate),
    id: b.id,
    jobId: b.jobId,
    numberRecordsFailed: b.numberRecordsFailed,
    numberRecordsProcessed: b.numberRecordsProcessed,
    state: b.state,
    stateMessage: b.stateMessage ?? undefined,
    systemModstamp: jsonDate(b.systemModstamp),
    totalProcessingTime: b.totalProcessingTime,
  };
}

export function renderBatchInfo(b: Batch, format: WireFormat): string {
  return format === 'json' ? writeJson(batchInfoJson(b)) : xmlDocument('batchInfo', batchInfoNodes(b));
}

export function renderBatchInfoList(batches: readonly Batch[], format: WireFormat): string {
  if (format === 'json') return writeJson({ batchInfo: batches.map(batchInfoJson) });
  return xmlDocument('batchInfoList', batches.map((b): XmlNode => ['batchInfo', batchInfoNodes(b)]));
}

// ---- Results ----

/** `CODE:message:field1,field2 --`: the CSV error cell carries the first error only (bulk-v1.md §8.1). */
function csvError(r: RecordResult): string {
  const e = r.errors[0];
  // `…:Name --` with fields, `…:--` without (bulk-v1.md §8.1, §11).
  return e ? `${e.statusCode}:${e.message}:${e.fields.length ? `${e.fields.join(',')} ` : ''}--` : '';
}

export function renderResultsCsv(results: readonly RecordResult[]): string {
  const parts: string[] = ['"Id","Success","Created","Error"\n'];
  for (const r of results) {
    parts.push(`${csvCell(r.id ?? '')},"${r.success}","${r.created}",${csvCell(csvError(r))}\n`);
  }
  return parts.join('');
}

export function renderResultsXml(results: readonly RecordResult[]): string {
  const parts: string[] = [xmlOpen('results')];
  for (const r of results) {
    const nodes: XmlNode[] = [
      ...r.errors.map((e): XmlNode => ['errors', [...e.fields.map((f): XmlNode => ['fields', f]), ['message', e.message], ['statusCode', e.statusCode]]]),
      ['id', r.id ?? undefined],
      ['success', r.success],
      ['created', r.created],
    ];
    parts.push(xmlChildren([['result', nodes]]));
  }
  parts.push(xmlClose('results'));
  return parts.join('');
}

export function renderResultsJson(results: readonly RecordResult[]): string {
  return writeJson(
    results.map((r) => ({
      success: r.success,
      created: r.created,
      id: r.id,
      errors: r.errors.map((e) => ({ statusCode: e.statusCode, message: e.message, fields: e.fields })),
    })),
  );
}

// ---- Query result lists (bulk-v1.md §8.2) ----

export function renderResultListXml(ids: readonly string[]): string {
  return xmlDocument('result-list', ids.map((id): XmlNode => ['result', id]));
}

export function renderResultListJson(ids: readonly string[]): string {
  return writeJson(ids);
}

// ---- Errors ----

export function renderError(err: ApiError, format: WireFormat): string {
  if (format === 'json') return writeJson({ exceptionCode: err.code, exceptionMessage: err.message });
  return xmlDocument('error', [
    ['exceptionCode', err.code],
    ['exceptionMessage', err.message],
  ]);
}

// ---- Requests ----

/** The format of a job create/update body: the Content-Type when it names XML or JSON, otherwise sniffed. */
export function requestFormat(contentType: string | undefined, body: string): WireFormat {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('json')) return 'json';
  if (ct.includes('xml')) return 'xml';
  return body.trimStart().startsWith('{') ? 'json' : 'xml';
}

export function parseJobRequest(body: string, format: WireFormat): JobRequest {
  if (format === 'json') {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (err) {
      throw AsyncErrors.clientInput(`Failed to parse JSON: ${(err as Error).message}`);
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw AsyncErrors.clientInput('Failed to parse JSON: expected a JobInfo object');
    const req: JobRequest = {};
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object') throw AsyncErrors.clientInput(`Failed to parse JSON: ${k} must be a scalar`);
      req[k] = v as JobRequest[string];
    }
    return req;
  }
  if (body.trim() === '') throw AsyncErrors.invalidXml('Premature end of file.');
  let doc: Record<string, XmlValue>;
  try {
    doc = parseXml(body);
  } catch (err) {
    throw AsyncErrors.invalidXml(`Failed to parse XML: ${(err as Error).message}`);
  }
  const root = doc.jobInfo;
  if (root === undefined) throw AsyncErrors.invalidXml(`Expected the root element jobInfo, found: ${Object.keys(doc)[0] ?? 'nothing'}`);
  const req: JobRequest = {};
  if (typeof root === 'object' && !Array.isArray(root)) {
    for (const [k, v] of Object.entries(root)) {
      if (k.startsWith('@')) continue;
      if (typeof v !== 'string') throw AsyncErrors.invalidXml(`Element ${k} must contain text`);
      req[k] = v;
    }
  }
  return req;
}
