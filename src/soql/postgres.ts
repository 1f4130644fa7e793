// Compiles a checked query to ONE parameterised PostgreSQL statement that returns the same rows, in the same order,
// as compileSqlite's statement on the same data (test/unit/soql-postgres.test.ts runs both and compares). The shared
// compiler is soql/compile.ts; this file spells the PostgreSQL pieces, on the record tables of
// store/postgres/database.ts (int → BIGINT, checkbox → INTEGER 0/1, double/currency/percent → DOUBLE PRECISION,
// everything else TEXT COLLATE "C": binary, as SQLite's default collation).
//
// How SQLite's behaviour is reproduced:
// - Placeholders are $1, $2, … in one sequence (semi-join subqueries included), each cast to the column's type, so
//   PostgreSQL never has to guess: `NumberOfEmployees > 5.5` compares a BIGINT with a numeric exactly, as SQLite
//   compares an INTEGER with a REAL; a boolean Scalar, should one arrive, is sent as 1/0 like the checkbox column.
// - COLLATE NOCASE (ASCII case folding, then bytes) is lower() on both sides. lower() folds only ASCII under
//   COLLATE "C" — the record columns' collation, which `lower(col)` inherits (and which the lower(col) indexes of
//   store/postgres use); parameters get an explicit COLLATE "C", since the database's default collation may fold
//   'É' to 'é' where SQLite does not. Sort keys get COLLATE "C" too: byte order, as SQLite's BINARY and NOCASE.
// - SQLite's LIKE (ASCII case-insensitive) is ILIKE under COLLATE "C", with `\` as the escape character.
// - `coalesce(cond, 0)` / `0` are `coalesce(cond, FALSE)` / `FALSE`; instr() is strpos(); a missing LIMIT with an
//   OFFSET is no LIMIT at all (SQLite needs LIMIT -1).
// - An ORDER BY gets the root Id as a last key: ties come back in a stable order, which paging through a result
//   with LIMIT/OFFSET needs (PostgreSQL may return tied rows in a different order from one run to the next). SQLite
//   returns ties in an unspecified order too, so this changes nothing that SQLite promises.
//
// Where the two databases cannot agree exactly:
// - PostgreSQL text cannot hold U+0000, so no stored value contains it, and a parameter containing it would fail
//   the statement. rewrite() removes such values first, keeping SQLite's answer on NUL-free data: `=` and IN never
//   match them, `!=` always does, `<`/`>` compare with the text before the NUL, and LIKE reads its pattern up to the
//   NUL, as SQLite's LIKE does (C strings).
// - LIKE on a number field (which Salesforce refuses, but the checker lets through) matches the number's text:
//   SQLite writes a REAL with printf's %.15g plus ".0" when integral; PostgreSQL reproduces that between 1e-4 and
//   1e15, and outside that range writes 1e+20 where SQLite writes 1.0e+20.
// - A semi-join whose subquery selects a number or checkbox field compares its text with the Ids (SQLite applies
//   numeric affinity instead); no Id looks like a number, so neither matches anything.
import type { FieldDef } from '../org/schema.js';
import type { CheckedQuery, CompiledQuery, Condition, FieldPath, PageSpec } from './model.js';
import { CASE_INSENSITIVE, compileWith, paramType, type Dialect, type ParamType } from './compile.js';

export type { CompiledQuery };

const CAST: Record<ParamType, string> = {
  text: 'text',
  int: 'numeric',
  double: 'double precision',
  boolean: 'integer',
  count: 'bigint',
};

/** A column's value as SQLite's LIKE sees it: text as is, numbers as SQLite converts them to text. */
function likeText(col: string, f: FieldDef): string {
  switch (paramType(f)) {
    case 'text':
      return col;
    case 'double': {
      // float8 → numeric rounds to 15 significant digits, as %.15g does; SQLite adds ".0" to an integral value.
      const n = `${col}::numeric`;
      return `(CASE WHEN ${n} = 0 OR (abs(${n}) >= 0.0001 AND abs(${n}) < 1e15) THEN ${n}::text || CASE WHEN scale(${n}) = 0 THEN '.0' ELSE '' END ELSE ${col}::text END)`;
    }
    default:
      return `${col}::text`;
  }
}

export const POSTGRES: Dialect = {
  placeholder: (n, type) => `$${n}::${CAST[type]}`,
  value(v, type) {
    if (typeof v === 'boolean') return v ? 1 : 0;
    // A literal too long for a double is ±Infinity, which numeric takes only from PostgreSQL 14 on: against a
    // BIGINT column, ±1e308 compares the same.
    if (type === 'int' && typeof v === 'number' && !Number.isFinite(v) && !Number.isNaN(v))
      return v > 0 ? 1e308 : -1e308;
    return v;
  },
  false: 'FALSE',
  compare(col, op, p, f) {
    if (CASE_INSENSITIVE.has(f.type)) return `lower(${col}) ${op} lower(${p} COLLATE "C")`;
    if (paramType(f) === 'text' && op !== '=' && op !== '<>') return `${col} ${op} ${p} COLLATE "C"`;
    return `${col} ${op} ${p}`;
  },
  inList(col, ps, f) {
    if (CASE_INSENSITIVE.has(f.type))
      return `lower(${col}) IN (${ps.map((p) => `lower(${p} COLLATE "C")`).join(', ')})`;
    return `${col} IN (${ps.join(', ')})`;
  },
  like: (col, p, f) => `${likeText(col, f)} ILIKE ${p} COLLATE "C" ESCAPE E'\\\\'`,
  contains: (haystack, needle) => `strpos(lower((${haystack}) COLLATE "C"), lower((${needle}) COLLATE "C")) > 0`,
  orderKey(col, f) {
    if (CASE_INSENSITIVE.has(f.type)) return `lower(${col}) COLLATE "C"`;
    return paramType(f) === 'text' ? `${col} COLLATE "C"` : col;
  },
  semiJoinColumn: (col, f) => (paramType(f) === 'text' ? col : `${col}::text`),
  tieBreak: (rootId) => rootId,
  limit(limit, offset, param) {
    let sql = '';
    if (limit !== undefined) sql += ` LIMIT ${param(limit)}`;
    if (offset !== undefined) sql += ` OFFSET ${param(offset)}`;
    return sql;
  },
  // Text keys sort under COLLATE "C" (orderKey): the value is compared under the same collation.
  keyCompare: (key, op, p, type) => `${key} ${op} ${p}${type === 'text' ? ' COLLATE "C"' : ''}`,
};

const hasNul = (v: unknown) => typeof v === 'string' && v.includes('\u0000');
/** Matches no record: `(FALSE)`. */
const never = (path: FieldPath): Condition => ({ kind: 'in', path, negate: false, values: [] });
/** Matches every record: `(col IS NULL OR NOT (FALSE))`. */
const always = (path: FieldPath): Condition => ({ kind: 'in', path, negate: true, values: [] });

/** Whether a LIKE pattern ends in an escape character with nothing to escape (SQLite: no match; PostgreSQL: an error). */
function endsInLoneEscape(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      if (i === pattern.length - 1) return true;
      i++;
    }
  }
  return false;
}

/** The condition without values PostgreSQL cannot take (see the header), with SQLite's answer on NUL-free data. */
function rewrite(c: Condition): Condition {
  switch (c.kind) {
    case 'and':
    case 'or':
      return { ...c, items: c.items.map(rewrite) };
    case 'not':
      return { ...c, item: rewrite(c.item) };
    case 'compare': {
      if (typeof c.value !== 'string' || !hasNul(c.value)) return c;
      // Stored text never contains U+0000, so it sorts against the value as against the value's text before it.
      const before = c.value.slice(0, c.value.indexOf('\u0000'));
      switch (c.op) {
        case '=':
          return never(c.path);
        case '!=':
          return always(c.path);
        case '<':
        case '<=':
          return { ...c, op: '<=', value: before };
        case '>':
        case '>=':
          return { ...c, op: '>', value: before };
      }
      return c;
    }
    case 'in':
      return c.values.some(hasNul) ? { ...c, values: c.values.filter((v) => !hasNul(v)) } : c;
    case 'like': {
      const pattern = hasNul(c.pattern) ? c.pattern.slice(0, c.pattern.indexOf('\u0000')) : c.pattern;
      if (endsInLoneEscape(pattern)) return never(c.path);
      return pattern === c.pattern ? c : { ...c, pattern };
    }
    case 'includes':
      return c.sets.some((set) => set.some(hasNul)) ? { ...c, sets: c.sets.filter((set) => !set.some(hasNul)) } : c;
    case 'semijoin':
      return { ...c, query: rewriteQuery(c.query) };
    case 'range':
      return c;
  }
}

function rewriteQuery(query: CheckedQuery): CheckedQuery {
  return query.where ? { ...query, where: rewrite(query.where) } : query;
}

export function compilePostgres(query: CheckedQuery, page?: PageSpec): CompiledQuery {
  return compileWith(POSTGRES, rewriteQuery(query), page);
}
