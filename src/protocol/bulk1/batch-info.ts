// BatchInfo (Salesforce's "Bulk API Developer Guide", "BatchInfo" and "Get Information for All Batches in a Job"):
// one batch's status, and the batchInfoList of a job's batches, in XML (the XSD's element order) and JSON
// (alphabetical keys).
import { writeJson, type JsonValue } from '../json.js';
import {
  type Fields,
  listOf,
  optionalText,
  readJsonObject,
  readXmlRoot,
  requiredFields,
  requiredNumber,
  requiredText,
} from '../read.js';
import { xmlDocument, type XmlNode } from '../xml.js';
import type { WireFormat } from './format.js';

/** A batchInfo as it is on the wire: dates are the wire's text. */
export interface BatchInfoDocument {
  id: string;
  jobId: string;
  state: string;
  /** Why a batch failed or was not processed; absent otherwise. */
  stateMessage: string | null;
  createdDate: string;
  systemModstamp: string;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  apiActiveProcessingTime: number;
  apexProcessingTime: number;
}

const DOCUMENT = 'batchInfo';
const LIST_DOCUMENT = 'batchInfoList';

function batchInfoNodes(b: BatchInfoDocument): XmlNode[] {
  return [
    ['id', b.id],
    ['jobId', b.jobId],
    ['state', b.state],
    ['stateMessage', b.stateMessage ?? undefined],
    ['createdDate', b.createdDate],
    ['systemModstamp', b.systemModstamp],
    ['numberRecordsProcessed', b.numberRecordsProcessed],
    ['numberRecordsFailed', b.numberRecordsFailed],
    ['totalProcessingTime', b.totalProcessingTime],
    ['apiActiveProcessingTime', b.apiActiveProcessingTime],
    ['apexProcessingTime', b.apexProcessingTime],
  ];
}

function batchInfoJson(b: BatchInfoDocument): JsonValue {
  return {
    apexProcessingTime: b.apexProcessingTime,
    apiActiveProcessingTime: b.apiActiveProcessingTime,
    createdDate: b.createdDate,
    id: b.id,
    jobId: b.jobId,
    numberRecordsFailed: b.numberRecordsFailed,
    numberRecordsProcessed: b.numberRecordsProcessed,
    state: b.state,
    stateMessage: b.stateMessage ?? undefined,
    systemModstamp: b.systemModstamp,
    totalProcessingTime: b.totalProcessingTime,
  };
}

export function renderBatchInfo(b: BatchInfoDocument, format: WireFormat): string {
  return format === 'json' ? writeJson(batchInfoJson(b)) : xmlDocument(DOCUMENT, batchInfoNodes(b));
}

export function renderBatchInfoList(batches: readonly BatchInfoDocument[], format: WireFormat): string {
  if (format === 'json') return writeJson({ batchInfo: batches.map(batchInfoJson) });
  return xmlDocument(
    LIST_DOCUMENT,
    batches.map((b): XmlNode => [DOCUMENT, batchInfoNodes(b)]),
  );
}

function batchInfoFrom(f: Fields): BatchInfoDocument {
  const num = (name: string) => requiredNumber(f, name, DOCUMENT);
  const text = (name: string) => requiredText(f, name, DOCUMENT);
  return {
    id: text('id'),
    jobId: text('jobId'),
    state: text('state'),
    stateMessage: optionalText(f, 'stateMessage'),
    createdDate: text('createdDate'),
    systemModstamp: text('systemModstamp'),
    numberRecordsProcessed: num('numberRecordsProcessed'),
    numberRecordsFailed: num('numberRecordsFailed'),
    totalProcessingTime: num('totalProcessingTime'),
    apiActiveProcessingTime: num('apiActiveProcessingTime'),
    apexProcessingTime: num('apexProcessingTime'),
  };
}

/** Reads a batchInfo answer; element order, namespaces and surrounding whitespace do not matter. */
export function parseBatchInfo(text: string, format: WireFormat): BatchInfoDocument {
  return batchInfoFrom(format === 'json' ? readJsonObject(text, DOCUMENT) : readXmlRoot(text, DOCUMENT));
}

/** Reads a batchInfoList answer: its batchInfo elements (XML) or `batchInfo` array (JSON), in order. */
export function parseBatchInfoList(text: string, format: WireFormat): BatchInfoDocument[] {
  const root = format === 'json' ? readJsonObject(text, LIST_DOCUMENT) : readXmlRoot(text, LIST_DOCUMENT);
  return listOf(root, DOCUMENT).map((b) => batchInfoFrom(requiredFields(b, DOCUMENT)));
}
