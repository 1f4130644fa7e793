// Compiles a checked query to ONE parameterised SQL statement, in a dialect (soql/sqlite.ts, soql/postgres.ts).
// Identifiers come from the org's schema (never from the query text) and every value is a parameter, so no SOQL input
// can change the statement's shape. The statement's structure — joins, the boolean tree, SOQL's two-valued logic
// for nulls, the hidden trailing Id columns — is the same in every dialect; a Dialect only spells the pieces that
// differ (placeholders, collation, LIKE, booleans, LIMIT). A REST page (PageSpec) is the same statement with the
// sort key as trailing columns, a keyset predicate that starts it after the previous page's last row, and its LIMIT.
import type { FieldDef } from '../org/schema.js';
import type { CheckedQuery, CompiledQuery, Condition, FieldPath, PageSpec, Scalar } from './model.js';
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
  /** `key op p` for a sort key as orderKey spells it, compared in the order ORDER BY sorts it. */
  keyCompare(key: string, op: '=' | '<' | '>', p: string, type: ParamType): string;
}

/** One key of a result's order: an ORDER BY term, or the root Id that breaks ties. */
interface SortKey {
  expr: string;
  type: ParamType;
  descending: boolean;
  nullsLast: boolean;
}

class Compiler {
  private aliasCount = 0;
  private keyIndex = -1;
  layout: RowLayout = { columns: [], rootIdIndex: -1, parentIdIndex: new Map() };

  /** A semi-join's compiler shares its parent's parameter list: placeholders are numbered in one sequence. */
  constructor(
    private readonly d: Dialect,
    private readonly params: Scalar[] = [],
  ) {}

  compile(query: CheckedQuery, nested = false, page?: PageSpec): string {
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
    const keys: SortKey[] = query.orderBy.map((t) => ({
      expr: d.orderKey(ref(t.path), t.path.field),
      type: paramType(t.path.field),
      descending: t.descending,
      nullsLast: t.nullsLast,
    }));
    const order = keys.map((k) => `${k.expr} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsLast ? 'LAST' : 'FIRST'}`);
    if (nested) select[0] = d.semiJoinColumn(select[0], query.columns[0].path.field);
    if (page) {
      // A page always breaks ties on the Id, so that "after this row" names one place in the order.
      keys.push({ expr: `${root}."Id"`, type: 'text', descending: false, nullsLast: false });
      this.keyIndex = select.length;
      select.push(...keys.map((k) => k.expr));
      if (page.after) where.push(this.keyset(keys, page.after));
    }
    let sql = `SELECT ${select.join(', ')} FROM ${q(query.object.table)} ${root}`;
    if (joinSql.length) sql += ` ${joinSql.join(' ')}`;
    if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
    if (nested) return sql;
    if (order.length) {
      const tie = page ? `${root}."Id"` : d.tieBreak(`${root}."Id"`);
      if (tie) order.push(tie);
      sql += ` ORDER BY ${order.join(', ')}`;
    } else sql += ` ORDER BY ${root}."Id"`;
    const param = (v: number) => this.param(v, 'count');
    sql += page ? d.limit(page.limit, page.offset, param) : d.limit(query.limit, query.offset, param);
    return sql;
  }

  result(query: CheckedQuery, page?: PageSpec): CompiledQuery {
    const sql = this.compile(query, false, page);
    return { sql, params: this.params, layout: this.layout, ...(page ? { keyIndex: this.keyIndex } : {}) };
  }

  /**
   * The rows after `after` in the order of `keys`: for some key, every earlier key equal to its value and this key
   * beyond it. Nulls sit where ORDER BY puts them (NULLS FIRST/LAST), so the predicate and the sort agree exactly.
   * Each placeholder is written where its parameter is pushed: SQLite's `?` are positional.
   */
  private keyset(keys: readonly SortKey[], after: readonly Scalar[]): string {
    const alternatives: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const v = after[i] ?? null;
      // Nothing sorts after a null placed last.
      if (v === null && keys[i].nullsLast) continue;
      const equal = keys.slice(0, i).map((k, j) => this.keyEquals(k, after[j] ?? null));
      alternatives.push(`(${[...equal, this.beyond(keys[i], v)].join(' AND ')})`);
    }
    return alternatives.length ? `(${alternatives.join(' OR ')})` : `(${this.d.false})`;
  }

  private keyEquals(k: SortKey, v: Scalar): string {
    return v === null ? `${k.expr} IS NULL` : this.d.keyCompare(k.expr, '=', this.param(v, k.type), k.type);
  }

  /** Values after `v` in the key's order (`v` is not a null sorted last: nothing comes after that). */
  private beyond(k: SortKey, v: Scalar): string {
    if (v === null) return `${k.expr} IS NOT NULL`;
    const past = this.d.keyCompare(k.expr, k.descending ? '<' : '>', this.param(v, k.type), k.type);
    return k.nullsLast ? `(${past} OR ${k.expr} IS NULL)` : past;
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

/** Compiles `query` (or one page of it) for the database `dialect` speaks. */
export function compileWith(dialect: Dialect, query: CheckedQuery, page?: PageSpec): CompiledQuery {
  return new Compiler(dialect).result(query, page);
}
