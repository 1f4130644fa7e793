// Record reads and writes on the typed per-object tables in PostgreSQL, inside a chunk transaction (a client) or
// outside one (the pool, for REST reads). New records go in with COPY FROM STDIN: a multi-row INSERT reached only
// 28% of COPY's speed on this machine.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { FieldDef, ObjectDef } from '../../org/schema.js';
import type { RecordTx } from '../types.js';
import { matchKey } from '../../org/coerce.js';
import { type Client, type Pool, checkout, matchesCaseInsensitively, quoteIdent } from './database.js';

/** COPY's text format: tab-separated columns, `\N` for null, backslash escapes for the separators themselves. */
function copyText(rows: readonly unknown[][]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out += '\t';
      const v = row[i];
      if (v === null || v === undefined) out += '\\N';
      else if (typeof v === 'number') out += String(v);
      else {
        const text = String(v);
        out += /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
      }
    }
    out += '\n';
  }
  return out;
}

export class PostgresRecordTx implements RecordTx {
  /** Inserts not yet sent, per table and column list: one COPY each at the next read or at flush(). */
  private readonly pending = new Map<string, { object: ObjectDef; columns: readonly string[]; rows: unknown[][] }>();

  /**
   * @param db a client inside a transaction, or the pool for single reads.
   * @param bufferInserts gather inserts until the next read or flush(), so several chunks' records go in one COPY.
   *   Every read and write flushes first, so each chunk still sees the records of the chunks before it.
   */
  constructor(private readonly db: Client | Pool, private readonly bufferInserts = false) {}

  /** Sends the buffered inserts. Called before every other statement, and by the owner before it commits. */
  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const groups = [...this.pending.values()];
    this.pending.clear();
    for (const g of groups) await this.copy(g.object, g.columns, g.rows);
  }

  async getRecord(object: ObjectDef, id: string): Promise<Record<string, unknown> | undefined> {
    await this.flush();
    const { rows } = await this.db.query(`SELECT * FROM ${quoteIdent(object.table)} WHERE "Id" = $1`, [id]);
    return rows[0];
  }

  async findIds(object: ObjectDef, ids: readonly string[]): Promise<Map<string, { isDeleted: boolean }>> {
    await this.flush();
    const found = new Map<string, { isDeleted: boolean }>();
    if (!ids.length) return found;
    const { rows } = await this.db.query<{ Id: string; IsDeleted: number }>(
      `SELECT "Id", "IsDeleted" FROM ${quoteIdent(object.table)} WHERE "Id" = ANY($1::text[])`, [ids]);
    for (const r of rows) found.set(r.Id, { isDeleted: r.IsDeleted === 1 });
    return found;
  }

  async findByField(object: ObjectDef, field: FieldDef, values: readonly string[]): Promise<Map<string, string[]>> {
    await this.flush();
    const found = new Map<string, string[]>();
    if (!values.length) return found;
    const col = quoteIdent(field.name);
    const [lhs, list] = matchesCaseInsensitively(field) ? [`lower(${col})`, values.map((v) => v.toLowerCase())] : [col, values];
    // Typed comparison: the values arrive as text; a number column compares them as numbers.
    const cast = field.type === 'int' ? 'bigint' : field.type === 'double' || field.type === 'currency' || field.type === 'percent' ? 'double precision' : 'text';
    const { rows } = await this.db.query<{ Id: string; v: unknown }>(
      `SELECT "Id", ${col} AS v FROM ${quoteIdent(object.table)} WHERE ${lhs} = ANY($1::${cast}[]) AND "IsDeleted" = 0`, [list]);
    for (const r of rows) {
      const key = matchKey(field, r.v);
      const ids = found.get(key);
      if (ids) ids.push(r.Id);
      else found.set(key, [r.Id]);
    }
    return found;
  }

  async insert(object: ObjectDef, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    if (!rows.length) return;
    if (!this.bufferInserts) return this.copy(object, columns, rows);
    const key = `${object.table}\u0000${columns.join('\u0000')}`;
    const group = this.pending.get(key);
    if (group) group.rows.push(...rows);
    else this.pending.set(key, { object, columns, rows: [...rows] });
  }

  private async copy(object: ObjectDef, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    const sql = `COPY ${quoteIdent(object.table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`;
    const run = async (client: Client) => pipeline(Readable.from([copyText(rows)]), client.query(copyFrom(sql)));
    if ('release' in this.db) await run(this.db);
    else {
      const { client, release } = await checkout(this.db);
      let broken = false;
      try {
        await run(client);
      } catch (err) {
        broken = true;
        throw err;
      } finally {
        release(broken);
      }
    }
  }

  async update(object: ObjectDef, id: string, columns: readonly string[], values: readonly unknown[]): Promise<void> {
    await this.flush();
    const sets = columns.map((c, i) => `${quoteIdent(c)} = $${i + 1}`).join(', ');
    await this.db.query(`UPDATE ${quoteIdent(object.table)} SET ${sets} WHERE "Id" = $${columns.length + 1}`, [...values, id]);
  }

  async refreshFullName(object: ObjectDef, id: string): Promise<void> {
    await this.flush();
    await this.db.query(
      `UPDATE ${quoteIdent(object.table)} SET "Name" = trim(coalesce("FirstName", '') || ' ' || coalesce("LastName", '')) WHERE "Id" = $1`, [id]);
  }

  async softDelete(object: ObjectDef, ids: readonly string[], now: string, userId: string): Promise<void> {
    await this.flush();
    if (!ids.length) return;
    await this.db.query(
      `UPDATE ${quoteIdent(object.table)} SET "IsDeleted" = 1, "LastModifiedDate" = $1, "LastModifiedById" = $2, "SystemModstamp" = $1
       WHERE "Id" = ANY($3::text[])`, [now, userId, ids]);
  }

  async hardDelete(object: ObjectDef, ids: readonly string[]): Promise<void> {
    await this.flush();
    if (!ids.length) return;
    await this.db.query(`DELETE FROM ${quoteIdent(object.table)} WHERE "Id" = ANY($1::text[])`, [ids]);
  }
}
