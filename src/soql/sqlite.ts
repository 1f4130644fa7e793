// Compiles a checked query to ONE parameterised SQLite statement (the shared compiler is soql/compile.ts).
// Identifiers come from the org's schema (never from the query text) and every value is a parameter, so no SOQL input
// can change the statement's shape.
import type { FieldDef } from '../org/schema.js';
import type { CheckedQuery, CompiledQuery, PageSpec } from './model.js';
import { CASE_INSENSITIVE, compileWith, type Dialect } from './compile.js';

export type { CompiledQuery };

const collate = (f: FieldDef) => (CASE_INSENSITIVE.has(f.type) ? ' COLLATE NOCASE' : '');

export const SQLITE: Dialect = {
  placeholder: () => '?',
  value: (v) => v,
  false: '0',
  compare: (col, op, p, f) => `${col} ${op} ${p}${collate(f)}`,
  inList: (col, ps, f) => `${col}${collate(f)} IN (${ps.join(', ')})`,
  // SQLite's LIKE is case-insensitive, as SOQL's is; `\` escapes % and _ as in SOQL.
  like: (col, p) => `${col} LIKE ${p} ESCAPE '\\'`,
  contains: (haystack, needle) => `instr(lower(${haystack}), lower(${needle})) > 0`,
  orderKey: (col, f) => `${col}${collate(f)}`,
  semiJoinColumn: (col) => col,
  tieBreak: () => undefined,
  limit(limit, offset, param) {
    if (limit === undefined && offset === undefined) return '';
    let sql = ` LIMIT ${param(limit ?? -1)}`;
    if (offset !== undefined) sql += ` OFFSET ${param(offset)}`;
    return sql;
  },
  // The key carries its COLLATE (orderKey), which SQLite applies to the comparison.
  keyCompare: (key, op, p) => `${key} ${op} ${p}`,
};

export function compileSqlite(query: CheckedQuery, page?: PageSpec): CompiledQuery {
  return compileWith(SQLITE, query, page);
}
