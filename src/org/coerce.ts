// Field coercion: a raw input value (CSV text, XML text, JSON value) becomes the typed value stored in the
// record table, or a record-level error with Salesforce's status code and message (the SOAP API status codes that
// the Bulk API Developer Guide's "Errors" page refers to; messages as real orgs word them).
import type { RecordError } from '../jobs/model.js';
import { parseSfDate, parseSfDateTimeIso } from '../wire/dates.js';
import { normalizeId } from '../wire/ids.js';
import type { FieldDef, ObjectDef } from './schema.js';

/** A value as read from a batch: text or a JSON scalar; null = set the field to null (`#N/A`, xsi:nil, JSON null). */
export type RawValue = string | number | boolean | null;
export type DbValue = string | number | null;

export const recordError = (statusCode: string, message: string, fields: string[] = []): RecordError => ({
  statusCode,
  message,
  fields,
});

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

const notOfType = (f: FieldDef, v: RawValue) =>
  recordError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${v}`, [f.name]);

export interface CoerceContext {
  object: ObjectDef;
  /** Sforce-Line-Ending of the job: line breaks in textarea values are stored this way. */
  lineEnding: 'LF' | 'CRLF' | null;
  /** Key prefix of each object a reference may point to. */
  prefixOf(objectName: string): string | undefined;
}

/** Converts one non-null value; returns either the stored value or an error. */
export function coerceValue(
  f: FieldDef,
  raw: Exclude<RawValue, null>,
  ctx: CoerceContext,
): { value: DbValue } | { error: RecordError } {
  const v = coerceCell(f, raw, ctx);
  return isRecordError(v) ? { error: v } : { value: v };
}

/** A stored value is text, a number or null; anything else coerceCell returns is the value's error. */
export const isRecordError = (v: DbValue | RecordError): v is RecordError => typeof v === 'object' && v !== null;

/**
 * coerceValue without the wrapper object: the stored value, or the error. A batch coerces every cell it is given
 * (200,000 for 10,000 rows of 20 fields), so the DML path uses this form.
 */
export function coerceCell(f: FieldDef, raw: Exclude<RawValue, null>, ctx: CoerceContext): DbValue | RecordError {
  // U+0000 cannot be stored in PostgreSQL text; it is dropped on both backends so they keep the same values.
  const text = typeof raw === 'string' ? (raw.includes('\u0000') ? raw.replace(/\u0000/g, '') : raw) : String(raw);
  switch (f.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      const t = text.toLowerCase();
      if (t === 'true' || t === '1') return 1;
      if (t === 'false' || t === '0') return 0;
      return notOfType(f, raw);
    }
    case 'int': {
      if (!(typeof raw === 'number' ? Number.isInteger(raw) : INT_RE.test(text))) return notOfType(f, raw);
      const n = Number(text);
      if (Math.abs(n) >= pow10(f.precision ?? 9) || !Number.isSafeInteger(n)) {
        return recordError(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${f.label}: value outside of valid range on numeric field: ${text}`,
          [f.name],
        );
      }
      return n;
    }
    case 'double':
    case 'currency':
    case 'percent': {
      if (typeof raw !== 'number' && !NUMBER_RE.test(text)) return notOfType(f, raw);
      const n = Number(text);
      if (!Number.isFinite(n)) return notOfType(f, raw);
      const scale = f.scale ?? 0;
      const rounded = Math.round(n * pow10(scale)) / pow10(scale);
      if (f.precision !== undefined && Math.abs(rounded) >= pow10(f.precision - scale)) {
        return recordError(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${f.label}: value outside of valid range on numeric field: ${text}`,
          [f.name],
        );
      }
      return rounded;
    }
    case 'date': {
      const d = parseSfDate(text);
      return d === undefined ? notOfType(f, raw) : d;
    }
    case 'datetime': {
      const iso = parseSfDateTimeIso(text);
      return iso === undefined ? notOfType(f, raw) : iso;
    }
    case 'time': {
      // Already as stored (HH:mm:ss.SSSZ, what clients send): kept as it is once checked.
      if (text.length === 13 && text[12] === 'Z' && text[8] === '.' && TIME_RE.test(text)) return text;
      const m = TIME_RE.exec(text);
      if (!m) return notOfType(f, raw);
      return `${m[1]}:${m[2]}:${m[4] ?? '00'}${(m[5] ?? '.000').padEnd(4, '0')}Z`;
    }
    case 'id':
    case 'reference': {
      const id = normalizeId(text);
      const prefixes = referencePrefixes(f, ctx);
      if (!id || (prefixes.length > 0 && !prefixes.includes(id.slice(0, 3)))) {
        return recordError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${text}`, [f.name]);
      }
      return id;
    }
    case 'email':
      if (!EMAIL_RE.test(text))
        return recordError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${text}`, [f.name]);
      return checkLength(f, text);
    case 'picklist': {
      if (f.restrictedPicklist && !picklistSet(f).has(text)) {
        return recordError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${f.label}: bad value for restricted picklist field: ${text}`,
          [f.name],
        );
      }
      return checkLength(f, text);
    }
    case 'multipicklist': {
      // Values are separated by semicolons; blanks and duplicates go, as Salesforce stores each value once. A value
      // already in that form (most are) is kept as it is rather than joined again.
      const parts = text.split(';');
      const values: string[] = [];
      let same = true;
      for (const part of parts) {
        const v = part.trim();
        if (v !== '' && !values.includes(v)) values.push(v);
        else same = false;
        if (v !== part) same = false;
      }
      if (f.restrictedPicklist) {
        const allowed = picklistSet(f);
        const bad = values.find((v) => !allowed.has(v));
        if (bad !== undefined)
          return recordError(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${f.label}: bad value for restricted picklist field: ${bad}`,
            [f.name],
          );
      }
      return checkLength(f, same ? text : values.join(';'));
    }
    case 'url':
      return checkLength(f, text);
    case 'textarea': {
      const normalised =
        ctx.lineEnding === 'CRLF'
          ? text.replace(/\r?\n/g, '\r\n')
          : ctx.lineEnding === 'LF'
            ? text.replace(/\r\n/g, '\n')
            : text;
      return checkLength(f, normalised);
    }
    default:
      return checkLength(f, text);
  }
}

// A picklist's values as a set, made once per field: a restricted picklist checks every value of its column.
const picklistSets = new WeakMap<FieldDef, Set<string>>();
function picklistSet(f: FieldDef): Set<string> {
  let set = picklistSets.get(f);
  if (!set) {
    set = new Set(f.picklistValues ?? []);
    picklistSets.set(f, set);
  }
  return set;
}

// The key prefixes a reference field accepts, worked out once per field and org schema rather than per value.
const prefixCache = new WeakMap<CoerceContext, Map<FieldDef, string[]>>();
function referencePrefixes(f: FieldDef, ctx: CoerceContext): string[] {
  let byField = prefixCache.get(ctx);
  if (!byField) {
    byField = new Map();
    prefixCache.set(ctx, byField);
  }
  let prefixes = byField.get(f);
  if (!prefixes) {
    prefixes = (f.referenceTo ?? []).map((o) => ctx.prefixOf(o)).filter((p) => p !== undefined);
    byField.set(f, prefixes);
  }
  return prefixes;
}

/** The most of an over-long value STRING_TOO_LONG echoes: a 10 MB value must not come back in every result row. */
export const ECHOED_VALUE_MAX = 1000;

function checkLength(f: FieldDef, text: string): DbValue | RecordError {
  if (f.length !== undefined && text.length > f.length) {
    const shown = text.length > ECHOED_VALUE_MAX ? `${text.slice(0, ECHOED_VALUE_MAX)}...` : text;
    return recordError('STRING_TOO_LONG', `${f.label}: data value too large: ${shown} (max length=${f.length})`, [
      f.name,
    ]);
  }
  return text;
}
