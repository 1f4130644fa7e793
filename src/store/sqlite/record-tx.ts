// Record reads and writes on the typed per-object tables, used inside a chunk transaction.
// Statements are prepared once per shape (object + column list) and cached: a 10,000-row batch reuses them.
import type { FieldDef, ObjectDef } from '../../org/schema.js';
import type { RecordTx } from '../types.js';
import { matchKey } from '../../org/coerce.js';
import { type Db, quoteIdent } from './database.js';
import type { Statement } from 'better-sqlite3';

const IN_LIST_MAX = 200;

export class SqliteRecordTx implements RecordTx {
  private readonly cache = new Map<string, Statement>();
  constructor(private readonly db: Db) {}

  private prepared(key: string, sql: () => string): Statement {
    let s = this.cache.get(key);
    if (!s) {
      s = this.db.prepare(sql());
      this.cache.set(key, s);
    }
    return s;
  }

  private inList(n: number): string {
    return new Array(n).fill('?').join(',');
  }

  async getRecord(object: ObjectDef, id: string): Promise<Record<string, unknown> | undefined> {
    const s = this.prepared(`get:${object.table}`, () => `SELECT * FROM ${quoteIdent(object.table)} WHERE Id = ?`);
    return s.get(id) as Record<string, unknown> | undefined;
  }

  async findIds(object: ObjectDef, ids: readonly string[]): Promise<Map<string, { isDeleted: boolean }>> {
    const found = new Map<string, { isDeleted: boolean }>();
    for (let i = 0; i < ids.length; i += IN_LIST_MAX) {
      const part = ids.slice(i, i + IN_LIST_MAX);
      const s = this.prepared(
        `findIds:${object.table}:${part.length}`,
        () => `SELECT Id, IsDeleted FROM ${quoteIdent(object.table)} WHERE Id IN (${this.inList(part.length)})`,
      );
      for (const r of s.all(...part) as { Id: string; IsDeleted: number }[])
        found.set(r.Id, { isDeleted: r.IsDeleted === 1 });
    }
    return found;
  }

  async findByField(
    object: ObjectDef,
    field: FieldDef,
    values: readonly string[],
    includeDeleted = false,
  ): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    for (let i = 0; i < values.length; i += IN_LIST_MAX) {
      const part = values.slice(i, i + IN_LIST_MAX);
      const col = quoteIdent(field.name);
      const s = this.prepared(
        `findBy:${object.table}:${field.name}:${part.length}:${includeDeleted}`,
        () =>
          `SELECT Id, ${col} AS v FROM ${quoteIdent(object.table)} WHERE ${col} IN (${this.inList(part.length)})${includeDeleted ? '' : ' AND IsDeleted = 0'}`,
      );
      for (const r of s.all(...part) as { Id: string; v: unknown }[]) {
        const key = matchKey(field, r.v);
        const list = found.get(key);
        if (list) list.push(r.Id);
        else found.set(key, [r.Id]);
      }
    }
    return found;
  }

  async insert(object: ObjectDef, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    const key = `insert:${object.table}:${columns.join(',')}`;
    const s = this.prepared(
      key,
      () =>
        `INSERT INTO ${quoteIdent(object.table)} (${columns.map(quoteIdent).join(',')}) VALUES (${this.inList(columns.length)})`,
    );
    for (const row of rows) s.run(row);
  }

  async update(object: ObjectDef, id: string, columns: readonly string[], values: readonly unknown[]): Promise<void> {
    const key = `update:${object.table}:${columns.join(',')}`;
    const s = this.prepared(
      key,
      () =>
        `UPDATE ${quoteIdent(object.table)} SET ${columns.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE Id = ?`,
    );
    s.run(...values, id);
  }

  async refreshFullName(object: ObjectDef, id: string): Promise<void> {
    const s = this.prepared(
      `fullName:${object.table}`,
      () =>
        `UPDATE ${quoteIdent(object.table)} SET Name = trim(coalesce(FirstName, '') || ' ' || coalesce(LastName, '')) WHERE Id = ?`,
    );
    s.run(id);
  }

  async softDelete(object: ObjectDef, ids: readonly string[], now: string, userId: string): Promise<void> {
    const s = this.prepared(
      `softDelete:${object.table}`,
      () =>
        `UPDATE ${quoteIdent(object.table)} SET IsDeleted = 1, LastModifiedDate = ?, LastModifiedById = ?, SystemModstamp = ? WHERE Id = ?`,
    );
    for (const id of ids) s.run(now, userId, now, id);
  }

  async hardDelete(object: ObjectDef, ids: readonly string[]): Promise<void> {
    const s = this.prepared(`hardDelete:${object.table}`, () => `DELETE FROM ${quoteIdent(object.table)} WHERE Id = ?`);
    for (const id of ids) s.run(id);
  }
}
