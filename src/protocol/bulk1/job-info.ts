// JobInfo (Salesforce's "Bulk API Developer Guide", "JobInfo" and "Create a Job"): the job a server answers with,
// in XML (the XSD's element order) and JSON (alphabetical keys, apiVersion written as 62.0), and the job request a
// client sends to create or close a job.
import { ProtocolParseError } from '../errors.js';
import { OneDecimal, writeJson } from '../json.js';
import {
  type Fields,
  optionalText,
  readJsonObject,
  readXmlRoot,
  requiredNumber,
  requiredText,
  textOf,
} from '../read.js';
import { escapeXml, DATALOAD_NS, xmlDocument, type XmlNode } from '../xml.js';
import type { WireFormat } from './format.js';

/** A jobInfo as it is on the wire: dates are the wire's text (`…000Z` in XML, `…000+0000` in JSON). */
export interface JobInfoDocument {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: string;
  externalIdFieldName: string | null;
  concurrencyMode: string;
  contentType: string;
  numberBatchesQueued: number;
  numberBatchesInProgress: number;
  numberBatchesCompleted: number;
  numberBatchesFailed: number;
  numberBatchesTotal: number;
  numberRecordsProcessed: number;
  numberRetries: number;
  apiVersion: number;
  assignmentRuleId: string | null;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  apiActiveProcessingTime: number;
  apexProcessingTime: number;
  /** JSON only (always false from localforce); read as false from XML. */
  fastPathEnabled: boolean;
}

const DOCUMENT = 'jobInfo';

function jobInfoNodes(j: JobInfoDocument): XmlNode[] {
  return [
    ['id', j.id],
    ['operation', j.operation],
    ['object', j.object],
    ['createdById', j.createdById],
    ['createdDate', j.createdDate],
    ['systemModstamp', j.systemModstamp],
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

function jobInfoJson(j: JobInfoDocument): string {
  return writeJson({
    apexProcessingTime: j.apexProcessingTime,
    apiActiveProcessingTime: j.apiActiveProcessingTime,
    apiVersion: new OneDecimal(j.apiVersion),
    assignmentRuleId: j.assignmentRuleId,
    concurrencyMode: j.concurrencyMode,
    contentType: j.contentType,
    createdById: j.createdById,
    createdDate: j.createdDate,
    externalIdFieldName: j.externalIdFieldName,
    fastPathEnabled: j.fastPathEnabled,
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
    systemModstamp: j.systemModstamp,
    totalProcessingTime: j.totalProcessingTime,
  });
}

export function renderJobInfo(j: JobInfoDocument, format: WireFormat): string {
  return format === 'json' ? jobInfoJson(j) : xmlDocument(DOCUMENT, jobInfoNodes(j));
}

function jobInfoFrom(f: Fields): JobInfoDocument {
  const num = (name: string) => requiredNumber(f, name, DOCUMENT);
  const text = (name: string) => requiredText(f, name, DOCUMENT);
  const fastPath = textOf(f.fastPathEnabled);
  return {
    id: text('id'),
    operation: text('operation'),
    object: text('object'),
    createdById: text('createdById'),
    createdDate: text('createdDate'),
    systemModstamp: text('systemModstamp'),
    state: text('state'),
    externalIdFieldName: optionalText(f, 'externalIdFieldName'),
    concurrencyMode: text('concurrencyMode'),
    contentType: text('contentType'),
    numberBatchesQueued: num('numberBatchesQueued'),
    numberBatchesInProgress: num('numberBatchesInProgress'),
    numberBatchesCompleted: num('numberBatchesCompleted'),
    numberBatchesFailed: num('numberBatchesFailed'),
    numberBatchesTotal: num('numberBatchesTotal'),
    numberRecordsProcessed: num('numberRecordsProcessed'),
    numberRetries: num('numberRetries'),
    apiVersion: num('apiVersion'),
    assignmentRuleId: optionalText(f, 'assignmentRuleId'),
    numberRecordsFailed: num('numberRecordsFailed'),
    totalProcessingTime: num('totalProcessingTime'),
    apiActiveProcessingTime: num('apiActiveProcessingTime'),
    apexProcessingTime: num('apexProcessingTime'),
    fastPathEnabled: fastPath?.trim().toLowerCase() === 'true',
  };
}

/** Reads a jobInfo answer; element order, namespaces and surrounding whitespace do not matter. */
export function parseJobInfo(text: string, format: WireFormat): JobInfoDocument {
  return jobInfoFrom(format === 'json' ? readJsonObject(text, DOCUMENT) : readXmlRoot(text, DOCUMENT));
}

// ---- The job request: the fields a client sets (operation, object, contentType, … or state to close) ----

/** A job request's fields as sent: XML carries text only, JSON may carry numbers, booleans and null. */
export type JobRequestDocument = Partial<Record<string, string | number | boolean | null>>;

/**
 * Writes a job request the way Salesforce's own examples do: declaration, namespaced jobInfo, the fields in the order
 * given (Salesforce checks the XSD's order: operation, object, externalIdFieldName, concurrencyMode, contentType).
 */
export function renderJobRequest(fields: JobRequestDocument, format: WireFormat): string {
  if (format === 'json') return writeJson(fields);
  const inner = Object.entries(fields)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><${DOCUMENT} xmlns="${DATALOAD_NS}">${inner}</${DOCUMENT}>`;
}

/**
 * Reads a job request as the server does: every field is kept (the service decides which are allowed), XML values
 * are text, JSON values must be scalars. Element order, namespace prefixes and whitespace do not matter.
 */
export function parseJobRequest(text: string, format: WireFormat): JobRequestDocument {
  return format === 'json' ? jobRequestFromJson(text) : jobRequestFromXml(text);
}

function jobRequestFromJson(text: string): JobRequestDocument {
  const doc = readJsonObject(text, 'JobInfo');
  const request: JobRequestDocument = {};
  for (const [name, value] of Object.entries(doc)) {
    if (value !== null && typeof value === 'object') {
      throw new ProtocolParseError(DOCUMENT, `Failed to parse JSON: ${name} must be a scalar`);
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
      request[name] = value;
    }
  }
  return request;
}

function jobRequestFromXml(text: string): JobRequestDocument {
  const root = readXmlRoot(text, DOCUMENT);
  const request: JobRequestDocument = {};
  for (const [name, value] of Object.entries(root)) {
    if (name.startsWith('@')) continue;
    if (typeof value !== 'string') throw new ProtocolParseError(DOCUMENT, `Element ${name} must contain text`);
    request[name] = value;
  }
  return request;
}
