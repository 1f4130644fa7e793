// REST `query` and `queryAll`: the same checker and compiler as Bulk queries, answered in pages of 2,000 records
// with `nextRecordsUrl`. The locator carries the query, the offset, the total counted for the first page and the
// instant date literals were read at (base64url JSON), so any process serving the same database can answer the next
// page, later pages do not count the rows again, and TODAY means the same day on every page.
import type { SchemaService } from '../org/schema-service.js';
import type { QueryStore } from '../store/types.js';
import { checkSoql } from '../soql/check.js';
import { SoqlError } from '../soql/errors.js';
import type { SoqlCompiler } from '../soql/model.js';
import { jsonRecord } from '../wire/query-results.js';
import type { JsonValue } from '../wire/json.js';

export const PAGE_SIZE = 2000;

export interface Locator {
  q: string;
  all: boolean;
  offset: number;
  /** totalSize, counted once for the first page. */
  total?: number;
  /** The clock reading date literals were evaluated at for the first page. */
  now?: number;
}

export function encodeLocator(l: Locator): string {
  return Buffer.from(JSON.stringify(l), 'utf8').toString('base64url');
}

export function decodeLocator(text: string): Locator | undefined {
  try {
    const l = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Locator;
    const whole = (n: unknown) => n === undefined || (Number.isSafeInteger(n) && (n as number) >= 0);
    return typeof l === 'object' &&
      l !== null &&
      typeof l.q === 'string' &&
      Number.isSafeInteger(l.offset) &&
      l.offset >= 0 &&
      whole(l.total) &&
      whole(l.now)
      ? l
      : undefined;
  } catch {
    return undefined;
  }
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
    const soql = 'soql' in from ? from.soql : from.q;
    const offset = 'soql' in from ? 0 : from.offset;
    const now = ('now' in from ? from.now : undefined) ?? this.now();
    const schema = await this.schemas.forOrg(orgId);
    const checked = checkSoql(soql, schema, { surface: 'rest', includeDeleted, now });
    const compiled = this.compile(checked);
    const total = ('total' in from ? from.total : undefined) ?? (await this.store.count(compiled.sql, compiled.params));
    const rows = await this.store.page(compiled.sql, compiled.params, PAGE_SIZE, offset);
    const done = rows.length < PAGE_SIZE || offset + rows.length >= total;
    const records = rows.map((r) => jsonRecord(compiled.layout, checked.object.name, version, r));
    const next = done
      ? undefined
      : `/services/data/v${version}/${includeDeleted ? 'queryAll' : 'query'}/${encodeLocator({ q: soql, all: includeDeleted, offset: offset + rows.length, total, now })}`;
    return { totalSize: total, done, nextRecordsUrl: next, records };
  }
}

export { SoqlError };
