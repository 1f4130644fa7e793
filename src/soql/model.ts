// A checked SOQL query: every name resolved against the org's schema, every literal typed. Compilers (soql/sqlite.ts)
// turn it into one parameterised SQL statement; nothing from the query text reaches SQL except through parameters.
import type { RowLayout } from '../wire/query-results.js';
import type { FieldDef, ObjectDef } from '../org/schema.js';

/** A field reached from the query's object through zero or more lookups (`Account.Owner.Name`). */
export interface FieldPath {
  /** The lookups followed, in order. */
  hops: { reference: FieldDef; target: ObjectDef }[];
  field: FieldDef;
  /** The key under which joins are shared: the relationship names so far (`Account.Owner`). */
  joinKey: string;
}

export interface SelectColumn {
  /** The column header, as written in the query (`Account.Name`). */
  header: string;
  path: FieldPath;
}

export type Scalar = string | number | boolean | null;

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; path: FieldPath; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Scalar }
  | { kind: 'range'; path: FieldPath; op: '=' | '!=' | '<' | '<=' | '>' | '>='; start: string; end: string }
  | { kind: 'like'; path: FieldPath; pattern: string }
  | { kind: 'in'; path: FieldPath; negate: boolean; values: Scalar[] }
  | { kind: 'includes'; path: FieldPath; negate: boolean; sets: string[][] }
  | { kind: 'semijoin'; path: FieldPath; negate: boolean; query: CheckedQuery };

export interface OrderTerm {
  path: FieldPath;
  descending: boolean;
  nullsLast: boolean;
}

export interface CheckedQuery {
  object: ObjectDef;
  columns: SelectColumn[];
  where?: Condition;
  orderBy: OrderTerm[];
  limit?: number;
  offset?: number;
  /** queryAll: deleted records are included. */
  includeDeleted: boolean;
  /** Whether the WHERE clause filters on a field whose name contains "id" (PK chunking is then off). */
  filtersOnIdField: boolean;
}

/**
 * One page of a REST query (engine/rest-query.ts): read on a keyset, after the last row of the previous page in the
 * query's ORDER BY with the root Id as the last key, so a page costs the same wherever it sits in the result.
 */
export interface PageSpec {
  /** The previous page's last sort key values (each ORDER BY term, then the Id); absent on a page read by offset. */
  after?: readonly Scalar[];
  /** Rows to read. */
  limit: number;
  /** Rows to skip from the start of the result: the SOQL OFFSET on the first page, or a page read by offset. */
  offset?: number;
}

/** One parameterised SQL statement for a checked query, in a store's dialect. */
export interface CompiledQuery {
  sql: string;
  params: Scalar[];
  /** Where the selected values, the root Id and each joined parent's Id sit in a result row. */
  layout: RowLayout;
  /** A page's statement only: where the row's sort key values start (they run to the row's end). */
  keyIndex?: number;
}

/**
 * A store's compiler from checked SOQL to its SQL (store/sqlite: compileSqlite, store/postgres: compilePostgres):
 * the whole result, or with `page` one page of it.
 */
export type SoqlCompiler = (query: CheckedQuery, page?: PageSpec) => CompiledQuery;
