// Renaming non-default orgs' record tables from the 15-character org id prefix of earlier releases to the current
// one. PostgreSQL's quoted names are case-sensitive, so no two orgs ever shared a table here: each is renamed.
import type { ObjectDef } from '../../org/schema.js';
import type { LegacyTableOwner, SharedTableReport } from '../types.js';
import { type Client, type Pool, ensureRecordTables, inTransaction, quoteIdent } from './database.js';

export async function adoptLegacyTables(pool: Pool, owners: readonly LegacyTableOwner[]): Promise<SharedTableReport[]> {
  const { rows } = await pool.query<{ tablename: string }>(
    'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
  );
  const tables = new Set(rows.map((r) => r.tablename));
  for (const owner of owners) {
    for (const object of owner.objects) {
      const legacy = `${owner.legacyPrefix}${object.name}`;
      if (!tables.has(legacy) || tables.has(object.table)) continue;
      await inTransaction(pool, (c) => renameTable(c, legacy, object, owner.legacyPrefix));
      await ensureRecordTables(pool, [object]);
    }
  }
  return [];
}

/** Renamed with its counters; its own indexes are dropped (not constraints) and made again under the new name. */
async function renameTable(c: Client, legacy: string, object: ObjectDef, legacyPrefix: string): Promise<void> {
  const { rows } = await c.query<{ name: string }>(
    `SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
     WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
    [quoteIdent(legacy)],
  );
  for (const r of rows) await c.query(`DROP INDEX ${quoteIdent(r.name)}`);
  await c.query(`ALTER TABLE ${quoteIdent(legacy)} RENAME TO ${quoteIdent(object.table)}`);
  const old = `#${legacyPrefix}${object.name}.`;
  await c.query('UPDATE lf_id_counter SET prefix = $1 || substr(prefix, $2) WHERE substr(prefix, 1, $3) = $4', [
    `#${object.table}.`,
    old.length + 1,
    old.length,
    old,
  ]);
}
