// Compiles a checked query to ONE parameterised SQLite statement. Identifiers come from the org's schema (never
// from the query text) and every value is a parameter, so no SOQL input can change the statement's shape.
import type { FieldDef } from '../org/schema.js';
import type { CheckedQuery, CompiledQuery, Condition, FieldPath, Scalar } from './model.js';
import type { RowLayout } from '../wire/query-results.js';

export type { CompiledQuery };

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

const CASE_INSENSITIVE = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url']);
const collate = (f: FieldDef) => (CASE_INSENSITIVE.has(f.type) ? ' COLLATE NOCASE' : '');

class Compiler {
  private readonly params: Scalar[] = [];
  private aliasCount = 0;
  layout: RowLayout = { columns: [], rootIdIndex: -1, parentIdIndex: new Map() };

  compile(query: CheckedQuery, nested = false): string {
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
        columns: query.columns.map((c) => ({ header: c.header, field: c.path.field, path: c.path.hops.map((h) => ({ name: h.reference.relationshipName!, object: h.target.name })) })),
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
    const order = query.orderBy.map((t) => `${ref(t.path)}${collate(t.path.field)} ${t.descending ? 'DESC' : 'ASC'} NULLS ${t.nullsLast ? 'LAST' : 'FIRST'}`);
    let sql = `SELECT ${select.join(', ')} FROM ${q(query.object.table)} ${root}`;
    if (joinSql.length) sql += ' ' + joinSql.join(' ');
    if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
    if (nested) return sql;
    if (order.length) sql += ` ORDER BY ${order.join(', ')}`;
    else sql += ` ORDER BY ${root}."Id"`;
    if (query.limit !== undefined || query.offset !== undefined) {
      sql += ' LIMIT ?';
      this.params.push(query.limit ?? -1);
      if (query.offset !== undefined) {
        sql += ' OFFSET ?';
        this.params.push(query.offset);
      }
    }
    return sql;
  }

  result(query: CheckedQuery): CompiledQuery {
    const sql = this.compile(query);
    return { sql, params: this.params, layout: this.layout };
  }

  private alias(): string {
    return `t${this.aliasCount++}`;
  }

  private param(v: Scalar): string {
    this.params.push(v);
    return '?';
  }

  private condition(c: Condition, ref: (p: FieldPath) => string): string {
    switch (c.kind) {
      case 'and':
      case 'or':
        return `(${c.items.map((i) => this.condition(i, ref)).join(c.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT coalesce(${this.condition(c.item, ref)}, 0))`;
      case 'compare': {
        const col = ref(c.path);
        const co = collate(c.path.field);
        if (c.value === null) return c.op === '=' ? `(${col} IS NULL)` : c.op === '!=' ? `(${col} IS NOT NULL)` : '(0)';
        // SOQL's != also matches records where the field is null.
        if (c.op === '!=') return `(${col} IS NULL OR ${col} <> ${this.param(c.value)}${co})`;
        return `(${col} ${c.op} ${this.param(c.value)}${co})`;
      }
      case 'range': {
        const col = ref(c.path);
        const s = () => this.param(c.start);
        const e = () => this.param(c.end);
        switch (c.op) {
          case '=': return `(${col} >= ${s()} AND ${col} < ${e()})`;
          case '!=': return `(${col} IS NULL OR ${col} < ${s()} OR ${col} >= ${e()})`;
          case '<': return `(${col} < ${s()})`;
          case '<=': return `(${col} < ${e()})`;
          case '>': return `(${col} >= ${e()})`;
          case '>=': return `(${col} >= ${s()})`;
        }
        return '(0)';
      }
      case 'like':
        // SQLite's LIKE is case-insensitive, as SOQL's is; `\` escapes % and _ as in SOQL.
        return `(${ref(c.path)} LIKE ${this.param(c.pattern)} ESCAPE '\\')`;
      case 'in': {
        const col = ref(c.path);
        const co = collate(c.path.field);
        const values = c.values.filter((v) => v !== null);
        const hasNull = values.length !== c.values.length;
        const list = values.length ? `${col}${co} IN (${values.map((v) => this.param(v)).join(', ')})` : '0';
        if (c.negate) return `(${hasNull ? `${col} IS NOT NULL AND ` : `${col} IS NULL OR `}NOT (${list}))`;
        return `(${list}${hasNull ? ` OR ${col} IS NULL` : ''})`;
      }
      case 'includes': {
        const col = ref(c.path);
        const sets = c.sets.filter((set) => set.length > 0).map((set) => `(${set.map((v) => `instr(lower(';' || ${col} || ';'), lower(';' || ${this.param(v)} || ';')) > 0`).join(' AND ')})`);
        const any = sets.length ? `coalesce((${sets.join(' OR ')}), 0)` : '0';
        return c.negate ? `(NOT ${any})` : `(${any})`;
      }
      case 'semijoin': {
        const col = ref(c.path);
        const sub = new Compiler();
        sub.aliasCount = this.aliasCount + 100;
        const subSql = sub.compile(c.query, true);
        this.params.push(...sub.params);
        return c.negate ? `(${col} IS NULL OR ${col} NOT IN (${subSql}))` : `(${col} IN (${subSql}))`;
      }
    }
  }
}

export function compileSqlite(query: CheckedQuery): CompiledQuery {
  return new Compiler().result(query);
}
