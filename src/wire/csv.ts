// CSV for Bulk API batches and results.
//
// The reader is our own rather than a library: Salesforce rejects malformed CSV with specific messages
// (`Found unescaped quote…`, `EOF reached before closing an opened quote`, `Not expecting more text after end
// quote`, from Salesforce's own CSVReader) that clients show to users, and it can check a whole batch without building
// its values, then read it a chunk at a time. Finding boundaries with indexOf and splitting quote-free runs at once is
// faster than the general-purpose parsers measured here (csv-parse alone took 2.3x the time of the database insert it
// feeds; a loop over characters, twice the time of this one on bench 5's rows). Rules: RFC 4180 quoting, CR, LF or
// CRLF end a row, blank rows are skipped, values are not trimmed. A leading UTF-8 BOM is kept, as Salesforce keeps it:
// it becomes part of the first header name (`Field name not found : \uFEFFName`, forcedotcom/cli issue 720).
//
// Salesforce's per-record limits ("Bulk API and Bulk API 2.0 Limits and Allocations": 5,000 fields per record,
// 131,072 characters per field, 400,000 characters per record) are checked on every row, read or skipped, in
// the words of Salesforce's own CSVReader. They cost nothing on ordinary rows: a row's values can hold no more
// characters than the row and it can have at most one value more than it has characters, so only a row of at least
// 5,000 characters has its values built and measured.
import { csvCell } from '../protocol/csv.js';

export class CsvError extends Error {}

/** Salesforce's limits on one record of a batch ("Bulk API and Bulk API 2.0 Limits and Allocations"). */
export const CSV_LIMITS = { fieldsPerRecord: 5_000, charactersPerField: 131_072, charactersPerRecord: 400_000 };

/** The shortest row (in characters of the text, its line ending included) that could break one of CSV_LIMITS. */
const LONG_ROW = Math.min(CSV_LIMITS.fieldsPerRecord, CSV_LIMITS.charactersPerField, CSV_LIMITS.charactersPerRecord);

/**
 * Fails a row past Salesforce's record limits, in the order its CSVReader meets them: field by field (too many
 * fields, a field too long), then the record's length (the sum of its values' lengths, as that reader counts it).
 */
export function checkRecordLimits(values: readonly string[]): void {
  const { fieldsPerRecord, charactersPerField, charactersPerRecord } = CSV_LIMITS;
  let length = 0;
  for (let k = 0; k < values.length; k++) {
    if (k >= fieldsPerRecord) throw new CsvError(`Exceeded max number of columns per record : ${fieldsPerRecord}`);
    const size = values[k].length;
    if (size > charactersPerField) throw new CsvError(`Exceeded max field size: ${size}`);
    length += size;
  }
  if (length > charactersPerRecord) {
    const limit = `Max length for one record should be less than or equal to ${charactersPerRecord}`;
    throw new CsvError(`Exceeded max length for one record: ${length}. ${limit}`);
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Reads a CSV text row by row. A row can also be skipped: checked with the same rules but without building its
 * values, so a batch can be validated whole up front and then read chunk by chunk (its cells never all alive at once).
 */
export class CsvReader {
  private readonly d: number;
  private pos: number;
  /** Where the row last read or skipped starts. */
  private rowStart = -1;
  /** The next quote, CR and LF at or after `pos` (text.length when there is none), found once and reused. */
  private nextQuote = -1;
  private nextCr = -1;
  private nextLf = -1;

  constructor(
    private readonly text: string,
    private readonly delimiter = ',',
  ) {
    this.d = delimiter.charCodeAt(0);
    this.pos = 0;
  }

  /** Continues from `offset`: the start of a row, as skipRow returned it. */
  seek(offset: number): void {
    // Going forward keeps the remembered boundaries (each is the first at or after a point before `offset`); going
    // back forgets them. A batch read chunk by chunk only goes forward: no scan to the end of the text per chunk.
    if (offset < this.pos) this.nextQuote = this.nextCr = this.nextLf = -1;
    this.pos = offset;
  }

  /** The next row's values (blank rows are skipped), or undefined at the end of the text. */
  readRow(): string[] | undefined {
    return this.advance(true);
  }

  /** Skips the next row, checking it as readRow would; returns where it starts, or -1 at the end of the text. */
  skipRow(): number {
    return this.advance(false) === undefined ? -1 : this.rowStart;
  }

  /** Reads one non-blank row (its values only when `keep`), or undefined at the end of the text. */
  private advance(keep: boolean): string[] | undefined {
    const { text, d } = this;
    const n = text.length;
    let i = this.pos;
    while (i < n) {
      const rowStart = i;
      const row: string[] | undefined = keep ? [] : undefined;
      let values = 0;
      let blank = false;
      for (;;) {
        let c: number;
        if (text.charCodeAt(i) === QUOTE) {
          // Quoted value: find the closing quote, joining doubled quotes.
          let start = i + 1;
          let parts = '';
          let empty = true;
          for (;;) {
            const q = text.indexOf('"', start);
            if (q < 0) throw new CsvError('EOF reached before closing an opened quote');
            if (q > start) empty = false;
            if (text.charCodeAt(q + 1) === QUOTE) {
              if (row) parts += text.slice(start, q + 1);
              empty = false;
              start = q + 2;
              continue;
            }
            if (row) row.push(parts + text.slice(start, q));
            i = q + 1;
            break;
          }
          c = i < n ? text.charCodeAt(i) : -1;
          if (c !== d && c !== CR && c !== LF && c !== -1)
            throw new CsvError('Not expecting more text after end quote');
          values++;
          if (c === d) {
            i++;
            if (i < n) continue;
            // A delimiter at the very end of the text still ends a (last, empty) value.
            if (row) row.push('');
            break;
          }
          blank = values === 1 && empty;
        } else {
          // An unquoted run: every value up to the next quote, CR or LF, split on the delimiter at once. Boundaries
          // are found with indexOf (many times faster than a loop over the characters) and remembered until passed.
          if (this.nextQuote < i) this.nextQuote = indexOrEnd(text, '"', i);
          if (this.nextCr < i) this.nextCr = indexOrEnd(text, '\r', i);
          if (this.nextLf < i) this.nextLf = indexOrEnd(text, '\n', i);
          const end = Math.min(this.nextQuote, this.nextCr, this.nextLf);
          if (end === this.nextQuote && end < n) {
            // A quote inside the row may only open a value: the run must end with the delimiter before it.
            if (text.charCodeAt(end - 1) !== d)
              throw new CsvError('Found unescaped quote. A value with quote should be within a quote');
            if (row) pushAll(row, text.slice(i, end - 1).split(this.delimiter));
            values += 2; // the run's values and the quoted one after them: never a blank row
            i = end;
            continue;
          }
          if (row) pushAll(row, text.slice(i, end).split(this.delimiter));
          blank = values === 0 && end === i;
          values++;
          i = end;
          c = i < n ? text.charCodeAt(i) : -1;
        }
        // End of row.
        if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
        else if (c === LF) i++;
        break;
      }
      // A blank line (one empty value) is skipped.
      if (!blank) {
        // Only a long row can break a record limit: a skipped one is read again, values and all, to be measured.
        if (i - rowStart >= LONG_ROW) {
          if (row) checkRecordLimits(row);
          else {
            this.seek(rowStart);
            this.advance(true);
          }
        }
        this.pos = i;
        this.rowStart = rowStart;
        return row ?? NO_VALUES;
      }
    }
    this.pos = i;
    return undefined;
  }
}

function pushAll(row: string[], values: string[]): void {
  for (let k = 0; k < values.length; k++) row.push(values[k]);
}

/** What a skipped row returns: it has no values, and nobody writes to it. */
const NO_VALUES: string[] = Object.freeze([]) as unknown as string[];

function indexOrEnd(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? text.length : at;
}

/** Every non-blank row of `text`. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const reader = new CsvReader(text, delimiter);
  const rows: string[][] = [];
  for (let row = reader.readRow(); row; row = reader.readRow()) rows.push(row);
  return rows;
}

/** Quotes every value, as Salesforce does in result files (jsforce splits unquoted values on , ; | ^ ` and tab). */
export { csvCell };

export function csvLine(values: readonly string[]): string {
  let line = '';
  for (let k = 0; k < values.length; k++) line += (k ? ',' : '') + csvCell(values[k]);
  return `${line}\n`;
}
