// Compiles a checked query to ONE parameterised SQL statement, in a dialect (soql/sqlite.ts, soql/postgres.ts).
// Identifiers come from the org's schema (never from the query text) and every value is a parameter, so no SOQL input
// can change the statement's shape. The statement's structure — joins, the boolean tree, SOQL's two-valued logic
// for nulls, the hidden trailing Id columns — is the same in every dialect; a Dialect only spells the pieces that
// differ (placeholders, collation, LIKE, booleans, LIMIT).
import type { FieldDef } from '../org/schema.js';
import type { CheckedQuery, CompiledQuery, Condition, FieldPath, Scalar } from './model.js';
import type { RowLayout } from '../wire/query-results.js';

export const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Field types whose values Salesforce compares, matches and sorts case-insensitively. */
export const CASE_INSENSITIVE = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url']);

/** What a parameter is compared with: its SQL type in dialects that need one. */
export type ParamType = 'text' | 'int' | 'double' | 'boolean' | 'count';

/** The storage type of a field's column (store/sqlite/database.ts, store/postgres/database.ts). */
export function paramType(f: FieldDef): ParamType {
  switch (f.type) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'int';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    default:
      return 'text';
  }
}

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** The pieces of SQL that differ between databases. `col` is a column reference, `p` a placeholder. */
export interface Dialect {
  /** The placeholder of the n-th parameter (1-based) of the statement, whose value is compared as `type`. */
  placeholder(n: number, type: ParamType): string;
  /** A parameter's value as the driver should send it. */
  value(v: Scalar, type: ParamType): Scalar;
  /** SQL's false, as a boolean expression. */
  readonly false: string;
  /** `col op p`, case-insensitive for CASE_INSENSITIVE fields. */
  compare(col: string, op: CompareOp, p: string, field: FieldDef): string;
  /** `col IN (p, …)`, case-insensitive for CASE_INSENSITIVE fields (the list is never empty). */
  inList(col: string, ps: string[], field: FieldDef): string;
  /** SOQL's LIKE: ASCII case-insensitive, `\` escaping % and _. */
  like(col: string, p: string, field: FieldDef): string;
  /** Whether the text `haystack` contains `needle`, ASCII case-insensitively (one INCLUDES value). */
  contains(haystack: string, needle: string): string;
  /** The ORDER BY key of a field, before ASC/DESC. */
  orderKey(col: string, field: FieldDef): string;
  /** The column a semi-join subquery selects, as compared with an Id or reference column. */
  semiJoinColumn(col: string, field: FieldDef): string;
  /** A column to order by after the query's own ORDER BY terms (ties), or undefined. */
  tieBreak(rootId: string): string | undefined;
  /** ` LIMIT … OFFSET …`, or '' when the query has neither. */
  limit(limit: number | undefined, offset: number | undefined, param: (v: number) => string): string;
}

class Compiler {
  private aliasCount = 0;
  layout: RowLayout = { columns: [], rootIdIndex: -1, parentIdIndex: new Map() };

  /** A semi-join's compiler shares its parent's parameter list: placeholders are numbered in one sequence. */
  constructor(
    private readonly d: Dialect,
    private readonly params: Scalar[] = [],
  ) {}

  compile(query: CheckedQuery, nested = false): string {
    const d = this.d;
    const root = this.alias();
    const joins = new Map<string, string>();
    const joinSql: string[] = [];
    const ref = (path: FieldPath): string => {
      let from = root;
      let key = '';
      for (const hop of path.hops) {
        key = key ? `${key}.${hop.reference.relationshipName}` : hop.reference.relationshipName!;
        let alias = joins.get(key.toLowerCase());
        if (!alias) {
          alias = this.alias();
          joins.set(key.toLowerCase(), alias);
          joinSql.push(`LEFT JOIN ${q(hop.target.table)} ${alias} ON ${alias}."Id" = ${from}.${q(hop.reference.name)}`);
        }
        from = alias;
      }
      return `${from}.${q(path.field.name)}`;
    };
    const select = query.columns.map((c) => ref(c.path));
    if (!nested) {
      // Hidden trailing columns: the record's Id and each parent's, for XML and JSON records and their URLs.
      this.layout = {
        columns: query.columns.map((c) => ({
          header: c.header,
          field: c.path.field,
          path: c.path.hops.map((h) => ({ name: h.reference.relationshipName!, object: h.target.name })),
        })),
        rootIdIndex: select.length,
        parentIdIndex: new Map(),
      };
      select.push(`${root}."Id"`);
      for (const [key, alias] of joins) {
        this.layout.parentIdIndex.set(key, select.length);
        select.push(`${alias}."Id"`);
      }
    }
    const where: string[] = [];
    if (!query.includeDeleted) where.push(`${root}."IsDeleted" = 0`);
    if (query.where) where.push(this.condition(query.where, ref));
    // A semi-join's values never include null: SQL's NOT IN would otherwise match nothing at all.
    if (nested) where.push(`${select[0]} IS NOT NULL`);
    const order = query.orderBy.map(
      (t) =>
        `${d.orderKey(ref(t.path), t.path.field)} ${t.descending ? 'DESC' : 'ASC'} NULLS ${t.nullsLast ? 'LAST' : 'FIRST'}`,
    );
    if (nested) select[0] = d.semiJoinColumn(select[0], query.columns[0].path.field);
    let sql = `SELECT ${select.join(', ')} FROM ${q(query.object.table)} ${root}`;
    if (joinSql.length) sql += ` ${joinSql.join(' ')}`;
    if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
    if (nested) return sql;
    if (order.length) {
      const tie = d.tieBreak(`${root}."Id"`);
      if (tie) order.push(tie);
      sql += ` ORDER BY ${order.join(', ')}`;
    } else sql += ` ORDER BY ${root}."Id"`;
    sql += d.limit(query.limit, query.offset, (v) => this.param(v, 'count'));
    return sql;
  }

  result(query: CheckedQuery): CompiledQuery {
    const sql = this.compile(query);
    return { sql, params: this.params, layout: this.layout };
  }

  private alias(): string {
    return `t${this.aliasCount++}`;
  }

  private param(v: Scalar, type: ParamType): string {
    this.params.push(this.d.value(v, type));
    return this.d.placeholder(this.params.length, type);
  }

  private condition(c: Condition, ref: (p: FieldPath) => string): string {
    const d = this.d;
    switch (c.kind) {
      case 'and':
      case 'or':
        return balanced(
          c.items.map((i) => this.condition(i, ref)),
          c.kind === 'and' ? ' AND ' : ' OR ',
        );
      case 'not':
        return `(NOT coalesce(${this.condition(c.item, ref)}, ${d.false}))`;
      case 'compare': {
        const col = ref(c.path);
        const f = c.path.field;
        if (c.value === null)
          return c.op === '=' ? `(${col} IS NULL)` : c.op === '!=' ? `(${col} IS NOT NULL)` : `(${d.false})`;
        // SOQL's != also matches records where the field is null.
        if (c.op === '!=') return `(${col} IS NULL OR ${d.compare(col, '<>', this.param(c.value, paramType(f)), f)})`;
        return `(${d.compare(col, c.op, this.param(c.value, paramType(f)), f)})`;
      }
      case 'range': {
        const col = ref(c.path);
        const f = c.path.field;
        const s = () => this.param(c.start, paramType(f));
        const e = () => this.param(c.end, paramType(f));
        const cmp = (op: CompareOp, p: string) => d.compare(col, op, p, f);
        switch (c.op) {
          case '=':
            return `(${cmp('>=', s())} AND ${cmp('<', e())})`;
          case '!=':
            return `(${col} IS NULL OR ${cmp('<', s())} OR ${cmp('>=', e())})`;
          case '<':
            return `(${cmp('<', s())})`;
          case '<=':
            return `(${cmp('<', e())})`;
          case '>':
            return `(${cmp('>=', e())})`;
          case '>=':
            return `(${cmp('>=', s())})`;
        }
        return `(${d.false})`;
      }
      case 'like':
        return `(${d.like(ref(c.path), this.param(c.pattern, 'text'), c.path.field)})`;
      case 'in': {
        const col = ref(c.path);
        const f = c.path.field;
        const values = c.values.filter((v) => v !== null);
        const hasNull = values.length !== c.values.length;
        const list = values.length
          ? d.inList(
              col,
              values.map((v) => this.param(v, paramType(f))),
              f,
            )
          : d.false;
        if (c.negate) return `(${hasNull ? `${col} IS NOT NULL AND ` : `${col} IS NULL OR `}NOT (${list}))`;
        return `(${list}${hasNull ? ` OR ${col} IS NULL` : ''})`;
      }
      case 'includes': {
        const col = ref(c.path);
        const sets = c.sets
          .filter((set) => set.length > 0)
          .map(
            (set) =>
              `(${set.map((v) => d.contains(`';' || ${col} || ';'`, `';' || ${this.param(v, 'text')} || ';'`)).join(' AND ')})`,
          );
        const any = sets.length ? `coalesce((${sets.join(' OR ')}), ${d.false})` : d.false;
        return c.negate ? `(NOT ${any})` : `(${any})`;
      }
      case 'semijoin': {
        const col = ref(c.path);
        const sub = new Compiler(d, this.params);
        sub.aliasCount = this.aliasCount + 100;
        const subSql = sub.compile(c.query, true);
        return c.negate ? `(${col} IS NULL OR ${col} NOT IN (${subSql}))` : `(${col} IN (${subSql}))`;
      }
    }
  }
}

/** Compiles `query` for the database `dialect` speaks. */
/** A list joined short as it is; a long one as nested halves, so the expression tree stays shallow. */
const BALANCED_ABOVE = 16;

/**
 * `a OR b OR c …` parses into a tree as deep as the list, and SQLite refuses one deeper than 1,000 ("Expression tree
 * is too large"): a 5,000-term OR failed. Parenthesised halves make it log2 as deep, with the same meaning.
 */
function balanced(parts: readonly string[], op: string): string {
  if (parts.length <= BALANCED_ABOVE) return `(${parts.join(op)})`;
  const half = Math.ceil(parts.length / 2);
  return `(${balanced(parts.slice(0, half), op)}${op}${balanced(parts.slice(half), op)})`;
}

export function compileWith(dialect: Dialect, query: CheckedQuery): CompiledQuery {
  return new Compiler(dialect).result(query);
}
