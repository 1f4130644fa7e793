// Custom schema definitions per org (lf_schema) on PostgreSQL, and the DDL that follows from them.
import type { CustomDefinition } from '../../org/schema-file.js';
import type { ObjectDef } from '../../org/schema.js';
import type { LegacyTableOwner, SchemaStore, SharedTableReport } from '../types.js';
import { adoptLegacyTables } from './legacy-tables.js';
import { type Pool, ensureRecordTables, inTransaction } from './database.js';

export class PostgresSchemaStore implements SchemaStore {
  constructor(private readonly pool: Pool) {}

  async loadDefinitions(orgId: string): Promise<CustomDefinition[]> {
    const { rows } = await this.pool.query<{ key_prefix: string | null; definition: string }>(
      'SELECT key_prefix, definition FROM lf_schema WHERE org_id = $1 ORDER BY seq',
      [orgId],
    );
    return rows.map((r) => ({ keyPrefix: r.key_prefix, object: JSON.parse(r.definition) }));
  }

  async saveDefinitions(orgId: string, definitions: readonly CustomDefinition[]): Promise<number> {
    return inTransaction(this.pool, async (c) => {
      // The org row first: two processes saving the same org's schema take turns.
      await c.query('SELECT 1 FROM lf_org WHERE id = $1 FOR UPDATE', [orgId]);
      const keys = definitions.map((d) => d.object.name.toLowerCase());
      await c.query('DELETE FROM lf_schema WHERE org_id = $1 AND NOT (object_key = ANY($2::text[]))', [orgId, keys]);
      for (const d of definitions) {
        await c.query(
          `INSERT INTO lf_schema (org_id, object_key, object_name, key_prefix, definition) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (org_id, object_key) DO UPDATE SET object_name = excluded.object_name, key_prefix = excluded.key_prefix, definition = excluded.definition`,
          [orgId, d.object.name.toLowerCase(), d.object.name, d.keyPrefix, JSON.stringify(d.object)],
        );
      }
      const { rows } = await c.query<{ schema_version: number }>(
        'UPDATE lf_org SET schema_version = schema_version + 1 WHERE id = $1 RETURNING schema_version',
        [orgId],
      );
      return rows[0].schema_version;
    });
  }

  ensureTables(objects: readonly ObjectDef[]): Promise<void> {
    return ensureRecordTables(this.pool, objects);
  }

  adoptLegacyTables(owners: readonly LegacyTableOwner[]): Promise<SharedTableReport[]> {
    return adoptLegacyTables(this.pool, owners);
  }
}
