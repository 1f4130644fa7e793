// Batch payloads (CSV, XML sObjects, JSON array) read into one columnar shape: a header of field names as the
// client wrote them and rows of raw values. `undefined` = the cell was empty (leave the field alone / no value);
// `null` = set the field to null (`#N/A` in CSV, xsi:nil="true" in XML, null in JSON).
import type { RawValue } from '../org/coerce.js';
import { CsvError, CsvTooManyRows, parseCsv } from './csv.js';
import { parseXml, type XmlValue } from './xml.js';

export interface RecordTable {
  header: string[];
  rows: (RawValue | undefined)[][];
}

/** A batch-level failure: the batch ends Failed with this stateMessage. */
export class BatchFailure extends Error {}

export const MAX_RECORDS = 10_000;

function tooManyRecords(rowsIncludingHeader: number): BatchFailure {
  // Salesforce counts the header row too: 10,001 records read as "10002 … less than or equal to 10001".
  return new BatchFailure(`InvalidBatch : Exceeded number of records: ${rowsIncludingHeader}. Number of records should be less than or equal to ${MAX_RECORDS + 1}`);
}

export function readCsvRecords(text: string): RecordTable {
  let rows: string[][];
  try {
    rows = parseCsv(text, ',', { maxRows: MAX_RECORDS + 1 });
  } catch (err) {
    if (err instanceof CsvTooManyRows) throw tooManyRecords(err.rows);
    if (err instanceof CsvError) throw new BatchFailure(`InvalidBatch : ${err.message}`);
    throw err;
  }
  if (rows.length === 0) throw new BatchFailure('InvalidBatch : Records not found');
  const header = rows[0];
  // Cells are mapped in place (no second copy of a 10,000-row batch): '' = leave alone, #N/A = null.
  const out = rows as unknown as (RawValue | undefined)[][];
  out.shift();
  for (const row of out) {
    for (let c = 0; c < header.length; c++) {
      const v = row[c];
      row[c] = v === undefined || v === '' ? undefined : v === '#N/A' ? null : v;
    }
    if (row.length > header.length) row.length = header.length;
  }
  return { header, rows: out };
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
    const row: (RawValue | undefined)[] = new Array(header.length).fill(undefined);
    for (const [key, v] of Object.entries(rec)) row[index.get(key.toLowerCase())!] = v;
    return row;
  });
  return { header, rows };
}

export function readJsonRecords(text: string): RecordTable {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new BatchFailure(`InvalidBatch : Failed to parse JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new BatchFailure('InvalidBatch : The JSON batch must be an array of records');
  if (doc.length > MAX_RECORDS) throw tooManyRecords(doc.length + 1);
  const records = doc.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new BatchFailure('InvalidBatch : The JSON batch must be an array of records');
    const rec: Record<string, RawValue | undefined> = {};
    for (const [key, v] of Object.entries(item as Record<string, unknown>)) {
      if (key === 'attributes') continue;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        // A relationship: {"Account": {"External_Id__c": "A1"}}, polymorphic with {"attributes": {"type": "Lead"}}.
        const nested = v as Record<string, unknown>;
        const type = (nested.attributes as { type?: unknown } | undefined)?.type;
        const lookups = Object.entries(nested).filter(([k]) => k !== 'attributes');
        if (lookups.length !== 1 || (lookups[0][1] !== null && typeof lookups[0][1] === 'object')) throw new BatchFailure(`InvalidBatch : Unable to find relationship: ${key}`);
        rec[`${typeof type === 'string' ? type + ':' : ''}${key}.${lookups[0][0]}`] = lookups[0][1] === '' ? undefined : (lookups[0][1] as RawValue);
        continue;
      }
      if (Array.isArray(v)) throw new BatchFailure(`InvalidBatch : Field name not found : ${key}`);
      rec[key] = v === '' ? undefined : (v as RawValue);
    }
    return rec;
  });
  return tableFromObjects(records);
}

export function readXmlRecords(text: string): RecordTable {
  let doc: Record<string, XmlValue>;
  try {
    doc = parseXml(text);
  } catch (err) {
    throw new BatchFailure(`InvalidBatch : Failed to parse XML. ${(err as Error).message}`);
  }
  const root = doc.sObjects;
  if (root === undefined) throw new BatchFailure('InvalidBatch : Failed to parse XML. Expected the root element sObjects');
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
        if (lookups.length !== 1 || typeof lookups[0][1] !== 'string') throw new BatchFailure(`InvalidBatch : Unable to find relationship: ${key}`);
        rec[`${type ? type + ':' : ''}${key}.${lookups[0][0]}`] = lookups[0][1] === '' ? undefined : (lookups[0][1] as string);
      } else throw new BatchFailure(`InvalidBatch : Field name not found : ${key}`);
    }
    return rec;
  });
  return tableFromObjects(records);
}
