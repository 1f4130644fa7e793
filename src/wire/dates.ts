// The one date formatter. Salesforce's Bulk 1.0 XML writes `2015-12-15T21:41:45.000Z`, its JSON writes
// `2015-12-15T21:41:45.000+0000`; both at second precision (milliseconds are always .000): the org keeps datetimes
// to the second, dropping (not rounding) the milliseconds of a value it is sent (docs/compatibility.md).

/**
 * Truncates an epoch-millisecond instant to whole seconds, as Salesforce's timestamps are: towards the earlier
 * second, before 1970 too (`ms % 1000` is negative there).
 */
export function toSeconds(ms: number): number {
  return ms - (((ms % 1000) + 1000) % 1000);
}

/**
 * A stored datetime (`yyyy-MM-ddTHH:mm:ss.SSSZ`) at whole seconds. Values are stored that way since datetimes are
 * truncated on the way in; a row written by an earlier release may still hold milliseconds, and reads the same.
 */
export function wholeSecondsIso(iso: string): string {
  if (iso.length !== 24 || iso.endsWith('.000Z') || iso.charCodeAt(19) !== 46 /* . */) return iso;
  return `${iso.slice(0, 20)}000Z`;
}

/** A stored datetime as epoch milliseconds, whole seconds: Bulk 1.0 JSON query results write datetimes this way. */
export function datetimeEpochMillis(iso: string): number {
  return toSeconds(Date.parse(iso));
}

/**
 * A stored date (`yyyy-MM-dd`) as epoch milliseconds at midnight UTC: how Bulk 1.0 JSON query results are taken to
 * write date fields (a decision, docs/compatibility.md: the org's serializer writes its date values as instants).
 */
export function dateEpochMillis(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
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
 * A datetime value as stored: the ISO form `yyyy-MM-ddTHH:mm:ss.000Z` (UTC, whole seconds: the milliseconds a client
 * sends are dropped, as the org does). A value already in that form — what most clients send — is returned as it is
 * once checked, without a round trip through Date; one with other milliseconds has them rewritten to `000`.
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
    if (!(h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59 && ms >= 0)) return undefined;
    return ms === 0 ? text : `${text.slice(0, 20)}000Z`;
  }
  const ms = parseSfDateTime(text);
  return ms === undefined ? undefined : new Date(toSeconds(ms)).toISOString();
}

/** Parses `yyyy-MM-ddTHH:mm:ss.SSS+HH:mm`, `…Z`, with or without seconds or milliseconds. Returns epoch ms. */
export function parseSfDateTime(text: string): number | undefined {
  const m = DATETIME_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
  if (!validYmd(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59) return undefined;
  // Digits past the millisecond are dropped, not rounded: `…:05.9999` must not become the next second.
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.slice(0, 3).padEnd(3, '0')));
  // Date.UTC reads years 0–99 as 1900–1999; the year is the one written.
  if (+y < 100) ms = new Date(ms).setUTCFullYear(+y);
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}
