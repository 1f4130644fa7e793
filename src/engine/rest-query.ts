// REST `query` and `queryAll`: the same checker and compiler as Bulk queries, answered in pages of 2,000 records
// with `nextRecordsUrl`. The locator carries the query and the offset (base64url JSON), so any process serving the
// same database can answer the next page.
import type { SchemaService } from '../org/schema-service.js';
import type { QueryStore } from '../store/types.js';
import { checkSoql } from '../soql/check.js';
import { SoqlError } from '../soql/errors.js';
import type { SoqlCompiler } from '../soql/model.js';
import { jsonRecord } from '../wire/query-results.js';
import type { JsonValue } from '../wire/json.js';

export const PAGE_SIZE = 2000;

interface Locator {
  q: string;
  all: boolean;
  offset: number;
}

export function encodeLocator(l: Locator): string {
  return Buffer.from(JSON.stringify(l), 'utf8').toString('base64url');
}

export function decodeLocator(text: string): Locator | undefined {
  try {
    const l = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Locator;
    return typeof l === 'object' && l !== null && typeof l.q === 'string' && Number.isSafeInteger(l.offset) && l.offset >= 0 ? l : undefined;
  } catch {
    return undefined;
  }
}

export class RestQueryService {
  constructor(private readonly schemas: SchemaService, private readonly store: QueryStore, private readonly compile: SoqlCompiler, private readonly now: () => number) {}

  /** One page of results; throws SoqlError for a query Salesforce would refuse. */
  async run(orgId: string, version: string, soql: string, includeDeleted: boolean, offset = 0): Promise<JsonValue> {
    const schema = await this.schemas.forOrg(orgId);
    const checked = checkSoql(soql, schema, { surface: 'rest', includeDeleted, now: this.now() });
    const compiled = this.compile(checked);
    const total = await this.store.count(compiled.sql, compiled.params);
    const rows = await this.store.page(compiled.sql, compiled.params, PAGE_SIZE, offset);
    const done = offset + rows.length >= total;
    const records = rows.map((r) => jsonRecord(compiled.layout, checked.object.name, version, r));
    const next = done ? undefined : `/services/data/v${version}/${includeDeleted ? 'queryAll' : 'query'}/${encodeLocator({ q: soql, all: includeDeleted, offset: offset + rows.length })}`;
    return { totalSize: total, done, nextRecordsUrl: next, records };
  }
}

export { SoqlError };
