// Batch results (Salesforce's "Bulk API Developer Guide", "Get Batch Results"): a DML batch's per-record outcome as
// CSV (`"Id","Success","Created","Error"`), XML (`<results>`) or JSON (an array), and a query batch's result-id
// list as XML (`<result-list>`) or JSON (an array of ids).
import { ProtocolParseError } from '../errors.js';
import { writeJson } from '../json.js';
import {
  listOf,
  optionalText,
  readJson,
  readXmlRoot,
  requiredBoolean,
  requiredFields,
  requiredText,
  textOf,
  type Fields,
} from '../read.js';
import { xmlChildren, xmlClose, xmlDocument, xmlOpen, type XmlNode } from '../xml.js';
import { csvCell } from '../csv.js';

export interface RecordErrorDocument {
  statusCode: string;
  message: string;
  fields: string[];
}

/** One record's outcome. `id` is null when the row failed before it had one. */
export interface RecordResultDocument {
  id: string | null;
  success: boolean;
  created: boolean;
  errors: RecordErrorDocument[];
}

const RESULTS = 'results';
const RESULT = 'result';
const RESULT_LIST = 'result-list';
const CSV_HEADER = '"Id","Success","Created","Error"';

// ---- CSV ----

/** `CODE:message:field1,field2 --`, or `CODE:message:--` without fields: the first error only (Salesforce's layout). */
function csvError(r: RecordResultDocument): string {
  const e = r.errors[0];
  return e ? `${e.statusCode}:${e.message}:${e.fields.length ? `${e.fields.join(',')} ` : ''}--` : '';
}

export function renderResultsCsv(results: readonly RecordResultDocument[]): string {
  const parts: string[] = [`${CSV_HEADER}\n`];
  for (const r of results) {
    parts.push(`${csvCell(r.id ?? '')},"${r.success}","${r.created}",${csvCell(csvError(r))}\n`);
  }
  return parts.join('');
}

// The message may hold colons; the field list (after the last colon) cannot.
const CSV_ERROR = /^([^:]*):([\s\S]*):(?:([^:]*) )?--$/;

function errorFromCsv(cell: string): RecordErrorDocument[] {
  if (cell === '') return [];
  const m = CSV_ERROR.exec(cell);
  if (!m) throw new ProtocolParseError(RESULTS, `results CSV: unreadable error cell: ${cell}`);
  return [{ statusCode: m[1], message: m[2], fields: m[3] ? m[3].split(',') : [] }];
}

/** Reads a results CSV: the header Salesforce writes, then one fully quoted row per record. */
export function parseResultsCsv(text: string): RecordResultDocument[] {
  const rows = readQuotedCsv(text);
  const header = rows.shift();
  if (header === undefined || header.join() !== 'Id,Success,Created,Error') {
    throw new ProtocolParseError(RESULTS, `results CSV: expected the header ${CSV_HEADER}`);
  }
  return rows.map((row) => {
    if (row.length !== 4) throw new ProtocolParseError(RESULTS, `results CSV: expected 4 cells, found ${row.length}`);
    const [id, success, created, error] = row;
    const flags: Fields = { success, created };
    return {
      id: id === '' ? null : id,
      success: requiredBoolean(flags, 'success', RESULTS),
      created: requiredBoolean(flags, 'created', RESULTS),
      errors: errorFromCsv(error),
    };
  });
}

/** RFC 4180 rows (quoted or bare cells, CRLF or LF); results files are small enough to read whole. */
function readQuotedCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) throw new ProtocolParseError(RESULTS, 'results CSV: a quoted cell is not closed');
        if (text[i] === '"' && text[i + 1] === '"') cell += text[i++];
        else if (text[i] === '"') break;
        else cell += text[i];
      }
      i++;
    } else {
      while (i < text.length && !',\r\n'.includes(text[i])) cell += text[i++];
    }
    row.push(cell);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    if (i < text.length && text[i] !== '\n') {
      throw new ProtocolParseError(RESULTS, 'results CSV: text after a quoted cell');
    }
    i++;
    rows.push(row);
    row = [];
  }
  return rows;
}

// ---- XML ----

function resultNodes(r: RecordResultDocument): XmlNode[] {
  return [
    ...r.errors.map(
      (e): XmlNode => [
        'errors',
        [...e.fields.map((f): XmlNode => ['fields', f]), ['message', e.message], ['statusCode', e.statusCode]],
      ],
    ),
    ['id', r.id ?? undefined],
    ['success', r.success],
    ['created', r.created],
  ];
}

/** Written a result at a time: a batch holds up to 10,000 records. */
export function renderResultsXml(results: readonly RecordResultDocument[]): string {
  const parts: string[] = [xmlOpen(RESULTS)];
  for (const r of results) parts.push(xmlChildren([[RESULT, resultNodes(r)]]));
  parts.push(xmlClose(RESULTS));
  return parts.join('');
}

function recordErrorFrom(f: Fields): RecordErrorDocument {
  return {
    statusCode: requiredText(f, 'statusCode', RESULTS),
    message: requiredText(f, 'message', RESULTS),
    fields: listOf(f, 'fields').map((v) => textOf(v) ?? ''),
  };
}

function recordResultFrom(f: Fields): RecordResultDocument {
  return {
    id: optionalText(f, 'id'),
    success: requiredBoolean(f, 'success', RESULTS),
    created: requiredBoolean(f, 'created', RESULTS),
    errors: listOf(f, 'errors').map((e) => recordErrorFrom(requiredFields(e, RESULTS))),
  };
}

export function parseResultsXml(text: string): RecordResultDocument[] {
  return listOf(readXmlRoot(text, RESULTS), RESULT).map((r) => recordResultFrom(requiredFields(r, RESULTS)));
}

// ---- JSON ----

export function renderResultsJson(results: readonly RecordResultDocument[]): string {
  return writeJson(
    results.map((r) => ({
      success: r.success,
      created: r.created,
      id: r.id,
      errors: r.errors.map((e) => ({ statusCode: e.statusCode, message: e.message, fields: e.fields })),
    })),
  );
}

function jsonArray(text: string, document: string): unknown[] {
  const value = readJson(text, document);
  if (!Array.isArray(value)) {
    throw new ProtocolParseError(document, `Failed to parse JSON: expected a ${document} array`);
  }
  return value;
}

export function parseResultsJson(text: string): RecordResultDocument[] {
  return jsonArray(text, RESULTS).map((r) => recordResultFrom(requiredFields(r, RESULTS)));
}

// ---- Query result-id lists ----

export function renderResultListXml(ids: readonly string[]): string {
  return xmlDocument(
    RESULT_LIST,
    ids.map((id): XmlNode => [RESULT, id]),
  );
}

export function renderResultListJson(ids: readonly string[]): string {
  return writeJson(ids);
}

export function parseResultListXml(text: string): string[] {
  return listOf(readXmlRoot(text, RESULT_LIST), RESULT).map((v) => {
    const id = textOf(v);
    if (id === undefined) throw new ProtocolParseError(RESULT_LIST, 'result-list: a result holds no id');
    return id;
  });
}

export function parseResultListJson(text: string): string[] {
  return jsonArray(text, RESULT_LIST).map((v) => {
    if (typeof v !== 'string') throw new ProtocolParseError(RESULT_LIST, 'result-list: a result id is not a string');
    return v;
  });
}
