// Parses SOQL with @jetstreamapp/soql-parser-js and checks it ourselves: the parser accepts things Salesforce
// rejects (`A OR B AND C`, GROUP BY in Bulk, TYPEOF, …) and returns WHERE as a flat chain with parenthesis counts,
// so the boolean tree is rebuilt here with Salesforce's rule that AND and OR may not be mixed without parentheses.
import { parseQuery, type Query, type WhereClause } from '@jetstreamapp/soql-parser-js';
import type { OrgSchema } from '../org/registry.js';
import type { FieldDef, ObjectDef } from '../org/schema.js';
import { normalizeId } from '../wire/ids.js';
import { parseSfDate, parseSfDateTime } from '../wire/dates.js';
import { dateLiteralRange } from './date-literals.js';
import { SoqlError, SoqlErrors, offsetOf, positionAt, positionOf, type Position } from './errors.js';
import type { CheckedQuery, Condition, FieldPath, Scalar, SelectColumn } from './model.js';

export interface CheckOptions {
  /** Bulk API queries refuse more than REST ones (Bulk API Developer Guide, "Use Bulk Query"). */
  surface: 'bulk' | 'rest';
  includeDeleted: boolean;
  now: number;
}

/** Parser failures become MALFORMED_QUERY with the offending token under a caret. */
function parse(soql: string): Query {
  if (!soql.trim()) throw new SoqlError('MALFORMED_QUERY', 'The query is empty'); // localforce wording
  try {
    return parseQuery(soql);
  } catch (err) {
    const message = (err as Error).message ?? '';
    const lex = /at offset: (\d+)/.exec(message);
    if (lex) {
      const offset = Number(lex[1]);
      return throwAt(SoqlErrors.unexpectedToken(soql, positionAt(soql, offset), soql[offset] ?? ''));
    }
    const found = /but found:? ?(?:--> )?'([^']*)'/.exec(message);
    const token = found?.[1] ?? '';
    if (!token) return throwAt(SoqlErrors.unexpectedToken(soql, positionAt(soql, soql.trimEnd().length), '<EOF>'));
    return throwAt(
      SoqlErrors.unexpectedToken(soql, positionOf(soql, token, soql.toUpperCase().indexOf('SELECT') + 6), token),
    );
  }
}

function throwAt(err: SoqlError): never {
  throw err;
}

/**
 * `'O\'Brien'` → `O'Brien`: SOQL string escapes (\' \" \\ \n \r \t \b \f \uXXXX). For LIKE, `\%`, `\_` and `\\` stay
 * escaped, so the pattern's ESCAPE '\' reads them as literal characters.
 */
function unquote(raw: string, keepLikeEscapes: boolean): string {
  const body = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return body.replace(/\\(u[0-9A-Fa-f]{4}|[\s\S])/g, (all, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    switch (c) {
      case '\\':
        return keepLikeEscapes ? all : c;
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case '%':
      case '_':
        return keepLikeEscapes ? all : c;
      default:
        return c;
    }
  });
}

class Checker {
  constructor(
    private readonly soql: string,
    private readonly schema: OrgSchema,
    private readonly o: CheckOptions,
  ) {}

  /** Where the WHERE clause starts (outside literals), so filter tokens are found there and not in the SELECT list. */
  private whereFrom = 0;

  private at(token: string, from = 0): Position {
    return positionOf(this.soql, token, from);
  }

  /** Resolves `Account.Owner.Name` from `object`. */
  path(object: ObjectDef, dotted: string): FieldPath {
    const parts = dotted.split('.');
    const hops: FieldPath['hops'] = [];
    let current = object;
    for (const rel of parts.slice(0, -1)) {
      const reference = current.relationship(rel);
      if (!reference) throw SoqlErrors.noSuchRelationship(this.soql, this.at(dotted), rel);
      const target = this.schema.object(reference.referenceTo?.find((t) => this.schema.object(t)) ?? '');
      if (!target) throw SoqlErrors.noSuchRelationship(this.soql, this.at(dotted), rel);
      hops.push({ reference, target });
      current = target;
    }
    const name = parts[parts.length - 1];
    const field = current.field(name);
    if (!field)
      throw SoqlErrors.noSuchColumn(this.soql, this.at(dotted), parts.length > 1 ? dotted : name, current.name);
    return { hops, field, joinKey: hops.map((h) => h.reference.relationshipName).join('.') };
  }

  query(q: Query, nested: boolean): CheckedQuery {
    const where = this.o.surface === 'bulk' ? 'Bulk Query' : 'this localforce release';
    if (!q.sObject) throw SoqlErrors.unexpectedToken(this.soql, this.at('FROM'), 'FROM');
    const object = this.schema.object(q.sObject);
    if (!object)
      throw SoqlErrors.unsupportedType(
        this.soql,
        positionOf(this.soql, q.sObject, this.soql.toUpperCase().indexOf('FROM')),
        q.sObject,
      );
    if (q.groupBy || q.having) throw SoqlErrors.notSupported('GROUP BY', where);
    if (q.for || q.update) throw SoqlErrors.notSupported('FOR VIEW / FOR REFERENCE / FOR UPDATE', where);
    if (q.withSecurityEnforced || q.withAccessLevel || q.usingScope)
      throw SoqlErrors.notSupported('WITH and USING SCOPE clauses', where);
    if (q.offset !== undefined) {
      if (this.o.surface === 'bulk') throw SoqlErrors.notSupported('OFFSET', where);
      if (q.offset > 2000) throw SoqlErrors.offsetTooLarge();
    }
    const columns: SelectColumn[] = [];
    for (const f of q.fields ?? []) {
      if (f.type === 'Field') columns.push({ header: f.field, path: this.path(object, f.field) });
      else if (f.type === 'FieldRelationship')
        columns.push({
          header: f.rawValue ?? [...f.relationships, f.field].join('.'),
          path: this.path(object, [...f.relationships, f.field].join('.')),
        });
      else if (f.type === 'FieldSubquery') throw SoqlErrors.notSupported('Parent-to-child subqueries', where);
      else if (f.type === 'FieldTypeof') throw SoqlErrors.notSupported('TYPEOF', where);
      else
        throw SoqlErrors.notSupported(
          `${(f as { rawValue?: string }).rawValue ?? 'Functions'} (aggregates, FIELDS(), toLabel(), …)`,
          where,
        );
    }
    if (nested && columns.length !== 1) throw SoqlErrors.unexpectedToken(this.soql, this.at(','), ',');
    const idFilter = { value: false };
    if (!nested) this.whereFrom = offsetOf(this.soql, 'WHERE');
    const condition = q.where ? this.where(object, q.where, idFilter) : undefined;
    if (condition) {
      this.checkSemiJoins(condition, nested);
      if (countSemiJoins(condition) > 2)
        throw new SoqlError('MALFORMED_QUERY', 'Maximum of 2 semi join sub-selects are allowed'); // localforce wording
    }
    const orderBy = (q.orderBy ? (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) : []).map((term) => {
      const t = term as { field?: string; order?: string; nulls?: string };
      if (!t.field) throw SoqlErrors.notSupported('ORDER BY on functions', where);
      const descending = t.order === 'DESC';
      return { path: this.path(object, t.field), descending, nullsLast: t.nulls ? t.nulls === 'LAST' : descending };
    });
    // A LIMIT beyond what any table holds means "no limit"; clamped so it stays an exact integer in SQL.
    const clamp = (n: number | undefined) => (n === undefined ? undefined : Math.min(n, Number.MAX_SAFE_INTEGER));
    return {
      object,
      columns,
      where: condition,
      orderBy,
      limit: clamp(q.limit),
      offset: clamp(q.offset),
      includeDeleted: this.o.includeDeleted,
      filtersOnIdField: idFilter.value,
    };
  }

  /** Rebuilds the boolean tree from the parser's flat chain, refusing AND and OR mixed at one level. */
  private where(object: ObjectDef, clause: WhereClause, idFilter: { value: boolean }): Condition {
    type Token = '(' | ')' | 'NOT' | 'AND' | 'OR' | { leaf: Record<string, unknown> };
    const tokens: Token[] = [];
    let node: Record<string, unknown> | undefined = clause as unknown as Record<string, unknown>;
    while (node) {
      const left = node.left as Record<string, unknown> | null | undefined;
      if (node.operator === 'NOT') {
        for (let i = 0; i < Number(left?.openParen ?? 0); i++) tokens.push('(');
        tokens.push('NOT');
        node = node.right as Record<string, unknown> | undefined;
        continue;
      }
      if (left) {
        for (let i = 0; i < Number(left.openParen ?? 0); i++) tokens.push('(');
        tokens.push({ leaf: left });
        for (let i = 0; i < Number(left.closeParen ?? 0); i++) tokens.push(')');
      }
      const op = node.operator;
      if (op === 'AND' || op === 'OR') tokens.push(op);
      node = node.right as Record<string, unknown> | undefined;
    }
    let i = 0;
    // Two passes: the structure (parentheses, AND/OR mixing) is checked before any field or value, as Salesforce's
    // parser rejects a malformed query before it looks at names.
    let structureOnly = true;
    const expr = (): Condition => {
      const items = [unary()];
      let op: 'AND' | 'OR' | undefined;
      while (tokens[i] === 'AND' || tokens[i] === 'OR') {
        const t = tokens[i] as 'AND' | 'OR';
        if (op && t !== op) {
          // The n-th occurrence of this operator in the text, for the caret.
          const nth = tokens.slice(0, i + 1).filter((x) => x === t).length;
          let from = this.whereFrom;
          for (let k = 0; k < nth; k++) from = offsetOf(this.soql, t, from) + 1;
          throw SoqlErrors.unexpectedToken(this.soql, positionAt(this.soql, from - 1), t);
        }
        op = t;
        i++;
        items.push(unary());
      }
      return items.length === 1 ? items[0] : { kind: op === 'OR' ? 'or' : 'and', items };
    };
    const unary = (): Condition => {
      const t = tokens[i];
      if (t === 'NOT') {
        i++;
        return { kind: 'not', item: unary() };
      }
      if (t === '(') {
        i++;
        const inner = expr();
        if (tokens[i] !== ')')
          throw SoqlErrors.unexpectedToken(this.soql, positionAt(this.soql, this.soql.length), '<EOF>');
        i++;
        return inner;
      }
      if (t && typeof t === 'object') {
        i++;
        return structureOnly ? { kind: 'and', items: [] } : this.leaf(object, t.leaf, idFilter);
      }
      throw SoqlErrors.unexpectedToken(
        this.soql,
        positionAt(this.soql, this.soql.length),
        typeof t === 'string' ? t : '<EOF>',
      );
    };
    expr();
    if (i !== tokens.length)
      throw SoqlErrors.unexpectedToken(this.soql, positionAt(this.soql, this.soql.length), String(tokens[i]));
    structureOnly = false;
    i = 0;
    return expr();
  }

  private leaf(object: ObjectDef, c: Record<string, unknown>, idFilter: { value: boolean }): Condition {
    if (typeof c.field !== 'string')
      throw SoqlErrors.notSupported(
        'Functions in WHERE (CALENDAR_YEAR(), …)',
        this.o.surface === 'bulk' ? 'Bulk Query' : 'this localforce release',
      );
    const path = this.path(object, c.field);
    // PK chunking turns off on a filter on any field with "id" in its name, through a relationship too (Account.OwnerId).
    if (/id/i.test(path.field.name)) idFilter.value = true;
    const op = String(c.operator).toUpperCase();
    const literalType = String(c.literalType ?? '');
    const f = path.field;
    const fail = (message: string) =>
      SoqlErrors.badFilterValue(this.soql, this.at(c.field as string, this.whereFrom), message);
    if (literalType === 'SUBQUERY') {
      if (op !== 'IN' && op !== 'NOT IN') throw fail(`Invalid operator for a semi-join: ${op}`);
      if (f.type !== 'id' && f.type !== 'reference')
        throw fail(`semi join sub-selects are only allowed on Id and reference fields, not on ${f.name}`); // localforce wording
      const sub = this.query(c.valueQuery as Query, true);
      return { kind: 'semijoin', path, negate: op === 'NOT IN', query: sub };
    }
    const single = (raw: unknown, type: string, forLike = false): Scalar =>
      this.literal(f, String(raw), type, forLike, fail);
    switch (op) {
      case 'IN':
      case 'NOT IN': {
        const raws = Array.isArray(c.value) ? c.value : [c.value];
        // The parser gives one type for a list of alike values and one per value for a mixed list (`('a', null)`).
        const typeOf = (i: number) => String(Array.isArray(c.literalType) ? c.literalType[i] : (c.literalType ?? ''));
        return { kind: 'in', path, negate: op === 'NOT IN', values: raws.map((v, i) => single(v, typeOf(i))) };
      }
      case 'INCLUDES':
      case 'EXCLUDES': {
        if (f.type !== 'multipicklist') throw fail('includes or excludes operator only valid on multipicklist field');
        const raws = Array.isArray(c.value) ? c.value : [c.value];
        const sets = raws.map((v) =>
          unquote(String(v), false)
            .split(';')
            .map((x) => x.trim())
            .filter(Boolean),
        );
        return { kind: 'includes', path, negate: op === 'EXCLUDES', sets };
      }
      case 'LIKE': {
        if (literalType !== 'STRING')
          throw fail(
            `value of filter criterion for field '${c.field}' must be of type string and should be enclosed in quotes`,
          );
        return { kind: 'like', path, pattern: unquote(String(c.value), true) };
      }
      case '=':
      case '!=':
      case '<>':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const cmp = (op === '<>' ? '!=' : op) as '=' | '!=' | '<' | '<=' | '>' | '>=';
        if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') {
          if (f.type !== 'date' && f.type !== 'datetime')
            throw fail(`Date literals are only valid on date and datetime fields: ${c.field}`);
          const range = dateLiteralRange(String(c.value), this.o.now);
          if (!range)
            throw SoqlErrors.unexpectedToken(
              this.soql,
              this.at(String(c.value).split(':')[0], this.whereFrom),
              String(c.value),
            );
          const fmt = (ms: number) =>
            f.type === 'date' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString();
          return { kind: 'range', path, op: cmp, start: fmt(range.start), end: fmt(range.end) };
        }
        return { kind: 'compare', path, op: cmp, value: single(c.value, literalType) };
      }
    }
    throw SoqlErrors.unexpectedToken(this.soql, this.at(op), op);
  }

  /** Salesforce refuses semi-joins beside OR, semi-joins inside a semi-join, and more than two in one query. */
  private checkSemiJoins(c: Condition, nested: boolean, underOr = false): void {
    switch (c.kind) {
      case 'semijoin':
        if (nested) throw new SoqlError('MALFORMED_QUERY', 'Nested semi join sub-selects are not supported'); // localforce wording
        if (underOr)
          throw new SoqlError('MALFORMED_QUERY', "Semi join sub-selects are not allowed with the 'OR' operator");
        return;
      case 'and':
      case 'or':
        for (const item of c.items) this.checkSemiJoins(item, nested, underOr || c.kind === 'or');
        return;
      case 'not':
        this.checkSemiJoins(c.item, nested, underOr);
        return;
    }
  }

  /** Types a literal for the field it is compared with; values stay values (they become SQL parameters). */
  private literal(f: FieldDef, raw: string, type: string, forLike: boolean, fail: (m: string) => SoqlError): Scalar {
    if (type === 'NULL') return null;
    const quoted = `value of filter criterion for field '${f.name}' must be of type ${f.type} and should${['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url', 'id', 'reference'].includes(f.type) ? '' : ' not'} be enclosed in quotes`;
    switch (f.type) {
      case 'id':
      case 'reference': {
        if (type !== 'STRING') throw fail(quoted);
        const text = unquote(raw, false);
        // A 15-character id matches its 18-character form; anything else matches nothing.
        return normalizeId(text) ?? text;
      }
      case 'boolean':
        if (type !== 'BOOLEAN') throw fail(quoted);
        return raw.toUpperCase() === 'TRUE' ? 1 : 0;
      case 'int':
      case 'double':
      case 'currency':
      case 'percent':
        if (type !== 'INTEGER' && type !== 'DECIMAL') throw fail(quoted);
        return Number(raw);
      case 'date': {
        const d = type === 'DATE' ? parseSfDate(raw) : undefined;
        if (!d) throw fail(quoted);
        return d;
      }
      case 'datetime': {
        const ms = type === 'DATETIME' ? parseSfDateTime(raw) : undefined;
        if (ms === undefined) throw fail(quoted);
        return new Date(ms).toISOString();
      }
      default:
        if (type !== 'STRING') throw fail(quoted);
        return unquote(raw, forLike);
    }
  }
}

export function checkSoql(soql: string, schema: OrgSchema, options: CheckOptions): CheckedQuery {
  const q = parse(soql);
  return new Checker(soql, schema, options).query(q, false);
}

function countSemiJoins(c: Condition): number {
  switch (c.kind) {
    case 'semijoin':
      return 1;
    case 'and':
    case 'or':
      return c.items.reduce((n, item) => n + countSemiJoins(item), 0);
    case 'not':
      return countSemiJoins(c.item);
    default:
      return 0;
  }
}
