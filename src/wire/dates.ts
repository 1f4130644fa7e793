// The one date formatter. Salesforce's Bulk 1.0 XML writes `2015-12-15T21:41:45.000Z`, its JSON writes
// `2015-12-15T21:41:45.000+0000`; both at second precision in practice (milliseconds are always .000).

/** Truncates an epoch-millisecond instant to whole seconds, as Salesforce's job and batch timestamps are. */
export function toSeconds(ms: number): number {
  return ms - (ms % 1000);
}

export function xmlDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function jsonDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}+0000`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(Z)?$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Arithmetic rather than a Date per value: a 10,000-row batch with a date and a datetime column checks 20,000 of them.
function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]);
}

/** The number written by the `width` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digitsAt(text: string, at: number, width: number): number {
  let n = 0;
  for (let i = at; i < at + width; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Whether `text` starts with a valid `yyyy-MM-dd` of a year from 100 on (earlier years take the slow path, as before). */
function isPlainDate(text: string): boolean {
  const y = digitsAt(text, 0, 4);
  return (
    y >= 100 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    validYmd(y, digitsAt(text, 5, 2), digitsAt(text, 8, 2))
  );
}

/** Parses a Salesforce date value (`yyyy-MM-dd`, a trailing `Z` tolerated as in the guide's samples). Returns `yyyy-MM-dd`. */
export function parseSfDate(text: string): string | undefined {
  // The canonical form, what clients send: checked character by character and kept as it is.
  if (text.length === 10 && isPlainDate(text)) return text;
  const m = DATE_RE.exec(text);
  if (m) {
    if (!validYmd(+m[1], +m[2], +m[3])) return undefined;
    return `${m[1]}-${m[2]}-${m[3]}`;
  }
  // A full datetime is accepted for a date field; the date part (in UTC) is kept.
  const ms = parseSfDateTime(text);
  return ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 10);
}

/**
 * A datetime value as stored: the ISO form `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC, milliseconds). A value already in that
 * form — what most clients send — is returned as it is once checked, without a round trip through Date.
 */
export function parseSfDateTimeIso(text: string): string | undefined {
  if (
    text.length === 24 &&
    text.charCodeAt(10) === 84 /* T */ &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(19) === 46 &&
    text.charCodeAt(23) === 90 /* Z */ &&
    isPlainDate(text)
  ) {
    const h = digitsAt(text, 11, 2);
    const mi = digitsAt(text, 14, 2);
    const s = digitsAt(text, 17, 2);
    const ms = digitsAt(text, 20, 3);
    return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59 && ms >= 0 ? text : undefined;
  }
  const ms = parseSfDateTime(text);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Parses `yyyy-MM-ddTHH:mm:ss.SSS+HH:mm`, `…Z`, with or without seconds or milliseconds. Returns epoch ms. */
export function parseSfDateTime(text: string): number | undefined {
  const m = DATETIME_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  if (!validYmd(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59) return undefined;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.round(Number(`0.${frac}`) * 1000));
  // Date.UTC reads years 0–99 as 1900–1999; the year is the one written.
  if (+y < 100) ms = new Date(ms).setUTCFullYear(+y);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}
