// Field coercion: a raw input value (CSV text, XML text, JSON value) becomes the typed value stored in the
// record table, or a record-level error with Salesforce's status code and message (bulk-v1.md §11).
import type { RecordError } from '../bulk/model.js';
import { parseSfDate, parseSfDateTimeIso } from '../wire/dates.js';
import { normalizeId } from '../wire/ids.js';
import type { FieldDef, ObjectDef } from './schema.js';

/** A value as read from a batch: text or a JSON scalar; null = set the field to null (`#N/A`, xsi:nil, JSON null). */
export type RawValue = string | number | boolean | null;
export type DbValue = string | number | null;

export const recordError = (statusCode: string, message: string, fields: string[] = []): RecordError => ({ statusCode, message, fields });

/** The key two values of a unique or external id field are matched by: case-insensitive unless the field says otherwise. */
export function matchKey(f: FieldDef, value: unknown): string {
  const text = String(value);
  return f.caseSensitive ? text : text.toLowerCase();
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INT_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(:([0-5]\d)(\.\d{1,3})?)?Z?$/;

// Powers of ten for scales and precisions, looked up rather than computed for every number of a batch.
const POW10 = Array.from({ length: 40 }, (_, k) => 10 ** k);
const pow10 = (k: number) => POW10[k] ?? 10 ** k;

const notOfType = (f: FieldDef, v: RawValue) => recordError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${v}`, [f.name]);

export interface CoerceContext {
  object: ObjectDef;
  /** Sforce-Line-Ending of the job: line breaks in textarea values are stored this way. */
  lineEnding: 'LF' | 'CRLF' | null;
  /** Key prefix of each object a reference may point to. */
  prefixOf(objectName: string): string | undefined;
}

/** Converts one non-null value; returns either the stored value or an error. */
export function coerceValue(f: FieldDef, raw: Exclude<RawValue, null>, ctx: CoerceContext): { value: DbValue } | { error: RecordError } {
  // U+0000 cannot be stored in PostgreSQL text; it is dropped on both backends so they keep the same values.
  const text = typeof raw === 'string' ? (raw.includes('\u0000') ? raw.replace(/\u0000/g, '') : raw) : String(raw);
  switch (f.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw ? 1 : 0 };
      const t = text.toLowerCase();
      if (t === 'true' || t === '1') return { value: 1 };
      if (t === 'false' || t === '0') return { value: 0 };
      return { error: notOfType(f, raw) };
    }
    case 'int': {
      if (!(typeof raw === 'number' ? Number.isInteger(raw) : INT_RE.test(text))) return { error: notOfType(f, raw) };
      const n = Number(text);
      if (Math.abs(n) >= pow10(f.precision ?? 9) || !Number.isSafeInteger(n)) {
        return { error: recordError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${text}`, [f.name]) };
      }
      return { value: n };
    }
    case 'double':
    case 'currency':
    case 'percent': {
      if (typeof raw !== 'number' && !NUMBER_RE.test(text)) return { error: notOfType(f, raw) };
      const n = Number(text);
      if (!Number.isFinite(n)) return { error: notOfType(f, raw) };
      const scale = f.scale ?? 0;
      const rounded = Math.round(n * pow10(scale)) / pow10(scale);
      if (f.precision !== undefined && Math.abs(rounded) >= pow10(f.precision - scale)) {
        return { error: recordError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${text}`, [f.name]) };
      }
      return { value: rounded };
    }
    case 'date': {
      const d = parseSfDate(text);
      return d === undefined ? { error: notOfType(f, raw) } : { value: d };
    }
    case 'datetime': {
      const iso = parseSfDateTimeIso(text);
      return iso === undefined ? { error: notOfType(f, raw) } : { value: iso };
    }
    case 'time': {
      // Already as stored (HH:mm:ss.SSSZ, what clients send): kept as it is once checked.
      if (text.length === 13 && text[12] === 'Z' && text[8] === '.' && TIME_RE.test(text)) return { value: text };
      const m = TIME_RE.exec(text);
      if (!m) return { error: notOfType(f, raw) };
      return { value: `${m[1]}:${m[2]}:${m[4] ?? '00'}${(m[5] ?? '.000').padEnd(4, '0')}Z` };
    }
    case 'id':
    case 'reference': {
      const id = normalizeId(text);
      const prefixes = referencePrefixes(f, ctx);
      if (!id || (prefixes.length > 0 && !prefixes.includes(id.slice(0, 3)))) {
        return { error: recordError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${text}`, [f.name]) };
      }
      return { value: id };
    }
    case 'email':
      if (!EMAIL_RE.test(text)) return { error: recordError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${text}`, [f.name]) };
      return checkLength(f, text);
    case 'picklist': {
      if (f.restrictedPicklist && !f.picklistValues?.includes(text)) {
        return { error: recordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${text}`, [f.name]) };
      }
      return checkLength(f, text);
    }
    case 'multipicklist': {
      // Values are separated by semicolons; duplicates collapse, as Salesforce stores each value once. (A loop, not
      // split/map/filter/Set: it runs for every cell of the column.)
      const values: string[] = [];
      for (const part of text.split(';')) {
        const v = part.trim();
        if (v !== '' && !values.includes(v)) values.push(v);
      }
      const bad = f.restrictedPicklist ? values.find((v) => !f.picklistValues?.includes(v)) : undefined;
      if (bad !== undefined) return { error: recordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${bad}`, [f.name]) };
      return checkLength(f, values.join(';'));
    }
    case 'url':
      return checkLength(f, text);
    case 'textarea': {
      const normalised = ctx.lineEnding === 'CRLF' ? text.replace(/\r?\n/g, '\r\n') : ctx.lineEnding === 'LF' ? text.replace(/\r\n/g, '\n') : text;
      return checkLength(f, normalised);
    }
    default:
      return checkLength(f, text);
  }
}

// The key prefixes a reference field accepts, worked out once per field and org schema rather than per value.
const prefixCache = new WeakMap<CoerceContext, Map<FieldDef, string[]>>();
function referencePrefixes(f: FieldDef, ctx: CoerceContext): string[] {
  let byField = prefixCache.get(ctx);
  if (!byField) prefixCache.set(ctx, (byField = new Map()));
  let prefixes = byField.get(f);
  if (!prefixes) byField.set(f, (prefixes = (f.referenceTo ?? []).map((o) => ctx.prefixOf(o)).filter((p) => p !== undefined)));
  return prefixes;
}

function checkLength(f: FieldDef, text: string): { value: DbValue } | { error: RecordError } {
  if (f.length !== undefined && text.length > f.length) {
    return { error: recordError('STRING_TOO_LONG', `${f.label}: data value too large: ${text} (max length=${f.length})`, [f.name]) };
  }
  return { value: text };
}
