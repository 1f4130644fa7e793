// Batch payloads (CSV, XML sObjects, JSON array) read into one columnar shape: a header of field names as the
// client wrote them and rows of raw values. `undefined` = the cell was empty (leave the field alone / no value);
// `null` = set the field to null (`#N/A` in CSV, xsi:nil="true" in XML, null in JSON).
import type { RawValue } from '../org/coerce.js';
import { CsvError, CsvReader, checkRecordLimits } from './csv.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XML_READER_OPTIONS, type XmlValue } from './xml.js';
import { DomainError } from '../errors/domain.js';

export type RecordRow = (RawValue | undefined)[];

export interface RecordTable {
  header: string[];
  rowCount: number;
  /**
   * Rows [from, to). A CSV payload is checked whole when it is read (its syntax and record count fail the batch
   * before any record is applied) but its cells are built here, a chunk at a time: a 10,000-row batch never holds all
   * of them at once, which spares the worker the garbage collection of 200,000 strings kept alive for the whole batch.
   */
  rows(from: number, to: number): RecordRow[];
}

/**
 * A payload the batch cannot be processed from: the engine fails the batch with this reason (InvalidBatch). The texts
 * are Salesforce's, so the reason travels with the error rather than being chosen by a surface.
 */
export function invalidContent(reason: string): DomainError {
  return new DomainError({ kind: 'invalidBatchContent', reason });
}

export const MAX_RECORDS = 10_000;

function tooManyRecords(rowsIncludingHeader: number): DomainError {
  // Salesforce counts the header row too: 10,001 records read as "10002 … less than or equal to 10001".
  const limit = `Number of records should be less than or equal to ${MAX_RECORDS + 1}`;
  return invalidContent(`Exceeded number of records: ${rowsIncludingHeader}. ${limit}`);
}

export function readCsvRecords(text: string): RecordTable {
  const reader = new CsvReader(text);
  let header: string[] | undefined;
  const starts: number[] = [];
  try {
    header = reader.readRow();
    for (let at = reader.skipRow(); at >= 0; at = reader.skipRow()) {
      starts.push(at);
      if (starts.length > MAX_RECORDS) throw tooManyRecords(starts.length + 1);
    }
  } catch (err) {
    if (err instanceof CsvError) throw invalidContent(err.message);
    throw err;
  }
  if (!header) throw invalidContent('Records not found');
  const width = header.length;
  return {
    header,
    rowCount: starts.length,
    rows(from, to) {
      const out: RecordRow[] = [];
      if (from >= Math.min(to, starts.length)) return out;
      reader.seek(starts[from]);
      for (let k = from; k < to && k < starts.length; k++) {
        // Cells are mapped in place: '' = leave alone, #N/A = null; a short row is padded, a long one cut to the header.
        const row = reader.readRow() as RecordRow;
        for (let c = 0; c < width; c++) {
          const v = row[c];
          row[c] = v === undefined || v === '' ? undefined : v === '#N/A' ? null : v;
        }
        if (row.length > width) row.length = width;
        out.push(row);
      }
      return out;
    },
  };
}

/**
 * An XML or JSON record is held to the limits a CSV row is ("Bulk API and Bulk API 2.0 Limits and Allocations" states
 * them for every batch format), in the same words: its fields (a relationship counts as one), each value's characters
 * as the payload wrote them (a JSON number or boolean as its text), their sum.
 */
function withinRecordLimits(rec: Record<string, RawValue | undefined>): void {
  try {
    checkRecordLimits(Object.values(rec).map((v) => (v == null ? '' : String(v))));
  } catch (err) {
    if (err instanceof CsvError) throw invalidContent(err.message);
    throw err;
  }
}

/** Turns a list of records (objects keyed by field name) into the columnar shape. */
function tableFromObjects(records: Record<string, RawValue | undefined>[]): RecordTable {
  const index = new Map<string, number>();
  const header: string[] = [];
  for (const rec of records) {
    for (const key of Object.keys(rec)) {
      if (!index.has(key.toLowerCase())) {
        index.set(key.toLowerCase(), header.length);
        header.push(key);
      }
    }
  }
  const rows = records.map((rec) => {
    withinRecordLimits(rec);
    const row: RecordRow = new Array(header.length).fill(undefined);
    for (const [key, v] of Object.entries(rec)) row[index.get(key.toLowerCase())!] = v;
    return row;
  });
  return { header, rowCount: rows.length, rows: (from, to) => rows.slice(from, to) };
}

export function readJsonRecords(text: string): RecordTable {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalidContent(`Failed to parse JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc)) throw invalidContent('The JSON batch must be an array of records');
  if (doc.length > MAX_RECORDS) throw tooManyRecords(doc.length + 1);
  const records = doc.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalidContent('The JSON batch must be an array of records');
    }
    const rec: Record<string, RawValue | undefined> = {};
    for (const [key, v] of Object.entries(item as Record<string, unknown>)) {
      if (key === 'attributes') continue;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        // A relationship: {"Account": {"External_Id__c": "A1"}}, polymorphic with {"attributes": {"type": "Lead"}}.
        const nested = v as Record<string, unknown>;
        const type = (nested.attributes as { type?: unknown } | undefined)?.type;
        const lookups = Object.entries(nested).filter(([k]) => k !== 'attributes');
        if (lookups.length !== 1 || (lookups[0][1] !== null && typeof lookups[0][1] === 'object')) {
          throw invalidContent(`Unable to find relationship: ${key}`);
        }
        rec[`${typeof type === 'string' ? `${type}:` : ''}${key}.${lookups[0][0]}`] =
          lookups[0][1] === '' ? undefined : (lookups[0][1] as RawValue);
        continue;
      }
      if (Array.isArray(v)) throw invalidContent(`Field name not found : ${key}`);
      rec[key] = v === '' ? undefined : (v as RawValue);
    }
    return rec;
  });
  return tableFromObjects(records);
}

/**
 * The batch reader keeps one attribute, `xsi:nil` (a null), and drops the rest as Salesforce does: kept, every
 * attribute became a property and every element carrying one an object instead of a string, so a 9.4 MB batch heavy
 * in attributes took hundreds of megabytes of worker memory. Same options as the protocol reader otherwise.
 */
const batchParser = new XMLParser({ ...XML_READER_OPTIONS, ignoreAttributes: (name: string) => name !== 'nil' });

function parseBatchXml(text: string): Record<string, XmlValue> {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('<')) throw new Error('Content is not allowed in prolog.');
  const validation = XMLValidator.validate(trimmed);
  if (validation !== true)
    throw new Error(`${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})`);
  return batchParser.parse(trimmed) as Record<string, XmlValue>;
}

export function readXmlRecords(text: string): RecordTable {
  let doc: Record<string, XmlValue>;
  try {
    doc = parseBatchXml(text);
  } catch (err) {
    throw invalidContent(`Failed to parse XML. ${(err as Error).message}`);
  }
  const root = doc.sObjects;
  if (root === undefined) throw invalidContent('Failed to parse XML. Expected the root element sObjects');
  const list = typeof root === 'object' && !Array.isArray(root) ? root.sObject : undefined;
  const items = list === undefined ? [] : Array.isArray(list) ? list : [list];
  if (items.length > MAX_RECORDS) throw tooManyRecords(items.length + 1);
  const records = items.map((item) => {
    const rec: Record<string, RawValue | undefined> = {};
    if (typeof item !== 'object' || Array.isArray(item)) return rec;
    for (const [key, v] of Object.entries(item)) {
      if (key.startsWith('@')) continue;
      if (typeof v === 'string') rec[key] = v === '' ? undefined : v;
      else if (!Array.isArray(v) && v['@nil'] === 'true') rec[key] = null;
      else if (!Array.isArray(v) && typeof v['#text'] === 'string') rec[key] = v['#text'] as string;
      else if (!Array.isArray(v) && Object.keys(v).every((k) => k.startsWith('@'))) rec[key] = undefined;
      else if (!Array.isArray(v) && v.sObject && typeof v.sObject === 'object' && !Array.isArray(v.sObject)) {
        // A relationship: <Account><sObject><External_Id__c>A1</External_Id__c></sObject></Account>, polymorphic with <type>.
        const nested = v.sObject as Record<string, XmlValue>;
        const type = typeof nested.type === 'string' ? nested.type : undefined;
        const lookups = Object.entries(nested).filter(([k]) => k !== 'type' && !k.startsWith('@'));
        if (lookups.length !== 1 || typeof lookups[0][1] !== 'string') {
          throw invalidContent(`Unable to find relationship: ${key}`);
        }
        rec[`${type ? `${type}:` : ''}${key}.${lookups[0][0]}`] =
          lookups[0][1] === '' ? undefined : (lookups[0][1] as string);
      } else throw invalidContent(`Field name not found : ${key}`);
    }
    return rec;
  });
  return tableFromObjects(records);
}
