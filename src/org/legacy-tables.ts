// Start-up step for data directories written by releases that named a non-default org's record tables after its
// 15-character id (registry.ts): their tables move to the case-safe names, and tables two orgs shared on SQLite are
// split by the users who wrote the rows. What could not be told apart is reported, never deleted.
import type { OrgStore, SchemaStore, SharedTableReport } from '../store/types.js';
import { legacyTablePrefix } from './registry.js';
import type { SchemaService } from './schema-service.js';

/** Moves legacy tables; returns one message per table that orgs shared, for the operator. */
export async function adoptLegacyTables(orgs: OrgStore, schemas: SchemaService, store: SchemaStore): Promise<string[]> {
  const owners = [];
  for (const org of await orgs.listOrgs()) {
    if (org.isDefault) continue;
    const schema = await schemas.forOrg(org.id);
    owners.push({ orgId: org.id, legacyPrefix: legacyTablePrefix(org.id), objects: schema.objects });
  }
  if (!owners.length) return [];
  const reports = await store.adoptLegacyTables(owners);
  // A table no org had written to (the standard objects every org gets) is dropped without a word.
  return reports
    .filter((r) => r.rowsLeft + Object.values(r.moved).reduce((a, b) => a + b, 0) > 0)
    .map(sharedTableMessage);
}

function sharedTableMessage(r: SharedTableReport): string {
  const moved = r.orgIds.map((id) => `${r.moved[id] ?? 0} to org ${id}`).join(', ');
  const left = r.rowsLeft
    ? `; ${r.rowsLeft} rows no org's users created or own were left in "${r.table}"`
    : `; "${r.table}" is now empty and was dropped`;
  return (
    `Orgs ${r.orgIds.join(', ')} shared the record table "${r.table}" (org ids differing only in case, ` +
    `an earlier release): rows moved by their creator or owner: ${moved}${left}.`
  );
}
