// Query result files in Salesforce's formats (Bulk API Developer Guide, "Use Bulk Query"): CSV with every value
// quoted and a header of the fields as written in SELECT; XML `queryResult` with nested relationship sObjects; JSON
// records with attributes. Values are written as the org writes them (docs/compatibility.md): datetimes to the
// second; double, currency and percent fields in CSV and XML as Java prints doubles (`9.0E7`, `5000.0`); datetimes and
// dates in Bulk JSON files as epoch milliseconds, where REST shows `2019-01-05T03:41:05.000+0000`.
// A writer renders one row at a time so result files stream without holding rows in memory.
import type { FieldDef } from '../org/schema.js';
import { csvCell } from './csv.js';
import { escapeXml, DATALOAD_NS } from './xml.js';
import { writeJson, type JsonValue } from './json.js';
import { javaDoubleString } from './java-double.js';
import { dateEpochMillis, datetimeEpochMillis, wholeSecondsIso } from './dates.js';

export const NO_RECORDS = 'Records not found for this query';

/** One selected column: its header, the field it reads and the relationship path leading to it. */
export interface ResultColumn {
  header: string;
  field: FieldDef;
  /** Relationship names from the query's object (`['Account', 'Owner']`), with the object each reaches. */
  path: { name: string; object: string }[];
}

/** Position of hidden values in a row: the root Id, and the Id of each joined parent by its path. */
export interface RowLayout {
  columns: ResultColumn[];
  rootIdIndex: number;
  parentIdIndex: Map<string, number>;
}

export interface ResultWriter {
  /** Text before the first row (CSV header, XML prolog). */
  begin(): string;
  row(values: readonly unknown[]): string;
  /** Text after the last row; `empty` when no row was written. */
  end(empty: boolean): string;
}

/** Plain decimal text: no exponent, no trailing `.0` for integral values. */
function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : s;
}

const DOUBLE_TYPES = new Set(['double', 'currency', 'percent']);

/** A value as CSV and XML query results write it. */
function textOf(f: FieldDef, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (f.type === 'boolean') return v === 1 || v === true ? 'true' : 'false';
  if (typeof v === 'number') return DOUBLE_TYPES.has(f.type) ? javaDoubleString(v) : numberText(v);
  if (f.type === 'datetime') return wholeSecondsIso(String(v));
  return String(v);
}

export function csvWriter(layout: RowLayout): ResultWriter {
  const cols = layout.columns;
  return {
    begin: () => `${cols.map((c) => csvCell(c.header)).join(',')}\n`,
    row: (values) => {
      let line = '';
      for (let i = 0; i < cols.length; i++) line += (i ? ',' : '') + csvCell(textOf(cols[i].field, values[i]));
      return `${line}\n`;
    },
    // Zero rows: the file is the single line Salesforce writes instead of a header.
    end: () => '',
  };
}

interface Node {
  name: string;
  object: string;
  key: string;
  fields: { name: string; index: number; field: FieldDef }[];
  children: Node[];
}

function tree(layout: RowLayout, rootObject: string): Node {
  const root: Node = { name: '', object: rootObject, key: '', fields: [], children: [] };
  layout.columns.forEach((c, index) => {
    let node = root;
    let key = '';
    for (const hop of c.path) {
      key = key ? `${key}.${hop.name}` : hop.name;
      let child = node.children.find((n) => n.key.toLowerCase() === key.toLowerCase());
      if (!child) {
        child = { name: hop.name, object: hop.object, key, fields: [], children: [] };
        node.children.push(child);
      }
      node = child;
    }
    node.fields.push({ name: c.field.name, index, field: c.field });
  });
  return root;
}

export function xmlWriter(layout: RowLayout, rootObject: string): ResultWriter {
  const root = tree(layout, rootObject);
  const render = (node: Node, values: readonly unknown[], depth: number): string => {
    const pad = ' '.repeat(depth);
    const idIndex = node.key ? layout.parentIdIndex.get(node.key.toLowerCase()) : layout.rootIdIndex;
    const id = idIndex === undefined ? null : values[idIndex];
    let out = `${pad}<type>${node.object}</type>\n`;
    out += id == null ? `${pad}<Id xsi:nil="true"/>\n` : `${pad}<Id>${id}</Id>\n`;
    for (const f of node.fields) {
      const v = values[f.index];
      out +=
        v == null
          ? `${pad}<${f.name} xsi:nil="true"/>\n`
          : `${pad}<${f.name}>${escapeXml(textOf(f.field, v))}</${f.name}>\n`;
    }
    for (const child of node.children) {
      const childId = layout.parentIdIndex.get(child.key.toLowerCase());
      if (childId !== undefined && values[childId] == null) out += `${pad}<${child.name} xsi:nil="true"/>\n`;
      else
        out += `${pad}<${child.name} xsi:type="sObject">\n${render(child, values, depth + 1)}${pad}</${child.name}>\n`;
    }
    return out;
  };
  const open = `<?xml version="1.0" encoding="UTF-8"?><queryResult\n   xmlns="${DATALOAD_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;
  let started = false;
  return {
    // The prolog waits for the first row: an empty result is a self-closing root.
    begin: () => '',
    row: (values) => {
      const prefix = started ? '' : `${open}>\n`;
      started = true;
      return `${prefix} <records xsi:type="sObject">\n${render(root, values, 2)} </records>\n`;
    },
    end: (empty) =>
      empty ? `<?xml version="1.0" encoding="UTF-8"?><queryResult\n   xmlns="${DATALOAD_NS}" />` : '</queryResult>',
  };
}

/**
 * How a JSON result writes dates and datetimes: REST as text (`2019-01-05T03:41:05.000+0000`, `2019-01-05`), Bulk 1.0
 * query result files as epoch milliseconds (simple-salesforce issue 290, heroku/salesforce-bulk issue 70).
 */
export type JsonDates = 'text' | 'epoch';

function jsonValue(f: FieldDef, v: unknown, dates: JsonDates): JsonValue {
  if (v === null || v === undefined) return null;
  if (f.type === 'boolean') return v === 1 || v === true;
  if (f.type === 'datetime') {
    const iso = String(v);
    return dates === 'epoch' ? datetimeEpochMillis(iso) : wholeSecondsIso(iso).replace(/Z$/, '+0000');
  }
  if (f.type === 'date' && dates === 'epoch') return dateEpochMillis(String(v));
  if (typeof v === 'number') return v;
  return String(v);
}

/** A record with `attributes` and nested parents, as REST and Bulk JSON results show it. */
export function jsonRecord(
  layout: RowLayout,
  rootObject: string,
  version: string,
  values: readonly unknown[],
  dates: JsonDates = 'text',
): Record<string, JsonValue> {
  const root = tree(layout, rootObject);
  const build = (node: Node): Record<string, JsonValue> | null => {
    const idIndex = node.key ? layout.parentIdIndex.get(node.key.toLowerCase()) : layout.rootIdIndex;
    const id = idIndex === undefined ? null : values[idIndex];
    if (node.key && id == null) return null;
    const out: Record<string, JsonValue> = {
      attributes: { type: node.object, url: `/services/data/v${version}/sobjects/${node.object}/${id ?? ''}` },
    };
    for (const f of node.fields) out[f.name] = jsonValue(f.field, values[f.index], dates);
    for (const child of node.children) out[child.name] = build(child);
    return out;
  };
  return build(root)!;
}

export function jsonWriter(layout: RowLayout, rootObject: string, version: string): ResultWriter {
  let first = true;
  return {
    begin: () => '[',
    row: (values) => {
      const text = (first ? '' : ',') + writeJson(jsonRecord(layout, rootObject, version, values, 'epoch'));
      first = false;
      return text;
    },
    end: () => ']',
  };
}
