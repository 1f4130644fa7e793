// REST `query` and `queryAll`: the same checker and compiler as Bulk queries, answered in pages of 2,000 records
// with `nextRecordsUrl`. The locator carries the query, the rows delivered so far, the total counted for the first
// page, the instant date literals were read at and the last row's sort key (base64url JSON), so any process serving
// the same database can answer the next page, later pages do not count the rows again, and TODAY means the same day
// on every page.
//
// A later page is read on a keyset: the rows after the previous page's last row in the query's ORDER BY, the Id
// breaking ties (soql/compile.ts writes the predicate). Each page then costs about the same, where OFFSET made the
// n-th page read all n-1 before it; and a record inserted or deleted before the position read so far does not shift
// later pages. The SOQL's own OFFSET applies to the first page only and its LIMIT to the rows delivered in all.
// A sort key too long to carry (text over KEY_CHARS characters in all) or that JSON cannot carry exactly is not
// kept: that one next page is read by OFFSET instead (docs/compatibility.md).
import type { SchemaService } from '../org/schema-service.js';
import type { QueryStore } from '../store/types.js';
import { checkSoql } from '../soql/check.js';
import { SoqlError } from '../soql/errors.js';
import type { CheckedQuery, PageSpec, Scalar, SoqlCompiler } from '../soql/model.js';
import { jsonRecord } from '../wire/query-results.js';
import type { JsonValue } from '../wire/json.js';

export const PAGE_SIZE = 2000;

/** The most characters of sort key values a locator carries: it stays about the size of its SOQL. */
export const KEY_CHARS = 2048;

export interface Locator {
  q: string;
  all: boolean;
  /** Rows delivered by the pages before this one. */
  offset: number;
  /** totalSize, counted once for the first page. */
  total?: number;
  /** The clock reading date literals were evaluated at for the first page. */
  now?: number;
  /** The previous page's last sort key (ORDER BY values, then Id); absent: this page is read by offset. */
  after?: Scalar[];
}

export function encodeLocator(l: Locator): string {
  return Buffer.from(JSON.stringify(l), 'utf8').toString('base64url');
}

const isScalar = (v: unknown) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

export function decodeLocator(text: string): Locator | undefined {
  try {
    const l = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Locator;
    const whole = (n: unknown) => n === undefined || (Number.isSafeInteger(n) && (n as number) >= 0);
    const key = (a: unknown) => a === undefined || (Array.isArray(a) && a.length > 0 && a.every(isScalar));
    return typeof l === 'object' &&
      l !== null &&
      typeof l.q === 'string' &&
      Number.isSafeInteger(l.offset) &&
      l.offset >= 0 &&
      whole(l.total) &&
      whole(l.now) &&
      key(l.after)
      ? l
      : undefined;
  } catch {
    return undefined;
  }
}

/** The sort key a row ends with, if a locator can carry it exactly and within KEY_CHARS. */
function keyOf(row: readonly unknown[], keyIndex: number | undefined): Scalar[] | undefined {
  if (keyIndex === undefined || keyIndex < 0) return undefined;
  const key: Scalar[] = [];
  let chars = 0;
  for (const v of row.slice(keyIndex)) {
    if (typeof v === 'bigint') key.push(v.toString());
    else if (typeof v === 'number' && Number.isSafeInteger(v)) key.push(v);
    else if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) key.push(v);
    else if (v === null || typeof v === 'string') key.push(v);
    else return undefined;
    chars += typeof v === 'string' ? v.length : 24;
  }
  return chars <= KEY_CHARS ? key : undefined;
}

/** The page to read: its keyset (or offset) and how many rows, or undefined when the SOQL LIMIT is reached. */
function pageOf(
  checked: CheckedQuery,
  delivered: number,
  after: Scalar[] | undefined,
  first: boolean,
): PageSpec | undefined {
  const limit = Math.min(PAGE_SIZE, (checked.limit ?? Number.POSITIVE_INFINITY) - delivered);
  if (limit <= 0) return undefined;
  if (first) return { limit, offset: checked.offset };
  if (after) return { limit, after };
  return { limit, offset: (checked.offset ?? 0) + delivered };
}

export class RestQueryService {
  constructor(
    private readonly schemas: SchemaService,
    private readonly store: QueryStore,
    private readonly compile: SoqlCompiler,
    private readonly now: () => number,
  ) {}

  /** A page of results: the first (from the SOQL) or a later one (from the locator); throws SoqlError for a query Salesforce would refuse. */
  async run(
    orgId: string,
    version: string,
    from: { soql: string } | Locator,
    includeDeleted: boolean,
  ): Promise<JsonValue> {
    const first = 'soql' in from;
    const soql = first ? from.soql : from.q;
    const delivered = first ? 0 : from.offset;
    const now = (first ? undefined : from.now) ?? this.now();
    const schema = await this.schemas.forOrg(orgId);
    const checked = checkSoql(soql, schema, { surface: 'rest', includeDeleted, now });
    const whole = () => this.compile(checked);
    const total = (first ? undefined : from.total) ?? (await this.count(whole()));
    const page = pageOf(checked, delivered, first ? undefined : from.after, first);
    if (!page) return { totalSize: total, done: true, records: [] };
    // A locator's key must match the query's: one value per ORDER BY term, then the Id.
    if (page.after && page.after.length !== checked.orderBy.length + 1)
      throw new SoqlError('INVALID_QUERY_LOCATOR', 'invalid query locator');
    const compiled = this.compile(checked, page);
    const rows = await this.store.rows(compiled.sql, compiled.params);
    const done = rows.length < PAGE_SIZE || delivered + rows.length >= total;
    const records = rows.map((r) => jsonRecord(compiled.layout, checked.object.name, version, r));
    const last = rows.at(-1);
    const next = done
      ? undefined
      : `/services/data/v${version}/${includeDeleted ? 'queryAll' : 'query'}/${encodeLocator({
          q: soql,
          all: includeDeleted,
          offset: delivered + rows.length,
          total,
          now,
          after: last && keyOf(last, compiled.keyIndex),
        })}`;
    return { totalSize: total, done, nextRecordsUrl: next, records };
  }

  private count(compiled: { sql: string; params: readonly unknown[] }): Promise<number> {
    return this.store.count(compiled.sql, compiled.params);
  }
}

export { SoqlError };
