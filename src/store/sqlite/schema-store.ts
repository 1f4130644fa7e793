// Custom schema definitions per org (lf_schema) and the DDL that follows from them.
import type { CustomDefinition } from '../../org/schema-file.js';
import type { ObjectDef } from '../../org/schema.js';
import type { LegacyTableOwner, SchemaStore, SharedTableReport } from '../types.js';
import { adoptLegacyTables } from './legacy-tables.js';
import { type Db, ensureRecordTables } from './database.js';

export class SqliteSchemaStore implements SchemaStore {
  constructor(private readonly db: Db) {}

  async loadDefinitions(orgId: string): Promise<CustomDefinition[]> {
    const rows = this.db
      .prepare('SELECT key_prefix, definition FROM lf_schema WHERE org_id = ? ORDER BY rowid')
      .all(orgId) as { key_prefix: string | null; definition: string }[];
    return rows.map((r) => ({ keyPrefix: r.key_prefix, object: JSON.parse(r.definition) }));
  }

  async saveDefinitions(orgId: string, definitions: readonly CustomDefinition[]): Promise<number> {
    return this.db.transaction(() => {
      const keep = new Set(definitions.map((d) => d.object.name.toLowerCase()));
      const existing = this.db.prepare('SELECT object_name FROM lf_schema WHERE org_id = ?').all(orgId) as {
        object_name: string;
      }[];
      for (const e of existing)
        if (!keep.has(e.object_name.toLowerCase()))
          this.db.prepare('DELETE FROM lf_schema WHERE org_id = ? AND object_name = ?').run(orgId, e.object_name);
      const upsert =
        this.db.prepare(`INSERT INTO lf_schema (org_id, object_name, key_prefix, definition) VALUES (?, ?, ?, ?)
        ON CONFLICT (org_id, object_name) DO UPDATE SET key_prefix = excluded.key_prefix, definition = excluded.definition`);
      for (const d of definitions) upsert.run(orgId, d.object.name, d.keyPrefix, JSON.stringify(d.object));
      return (
        this.db
          .prepare('UPDATE lf_org SET schema_version = schema_version + 1 WHERE id = ? RETURNING schema_version')
          .get(orgId) as { schema_version: number }
      ).schema_version;
    })();
  }

  async ensureTables(objects: readonly ObjectDef[]): Promise<void> {
    this.db.transaction(() => ensureRecordTables(this.db, objects))();
  }

  async adoptLegacyTables(owners: readonly LegacyTableOwner[]): Promise<SharedTableReport[]> {
    return adoptLegacyTables(this.db, owners);
  }
}
