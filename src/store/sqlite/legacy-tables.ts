// Moving non-default orgs' records out of the tables earlier releases named with the 15-character org id. SQLite's
// table names are case-insensitive, so orgs whose ids differ only in case (…0A, …0a) were given one table between
// them: each such org gets back the rows its own users created or own; the rest stay where they were, reported.
import type { ObjectDef } from '../../org/schema.js';
import type { LegacyTableOwner, SharedTableReport } from '../types.js';
import { type Db, ensureRecordTables, quoteIdent } from './database.js';

export function adoptLegacyTables(db: Db, owners: readonly LegacyTableOwner[]): SharedTableReport[] {
  const tables = new Map(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck(true).all() as string[]).map((n) => [
      n.toLowerCase(),
      n,
    ]),
  );
  const sharers = new Map<string, LegacyTableOwner[]>();
  for (const owner of owners) {
    const key = owner.legacyPrefix.toLowerCase();
    sharers.set(key, [...(sharers.get(key) ?? []), owner]);
  }
  const shared = new Map<string, SharedTableReport>();
  for (const owner of owners) {
    const group = sharers.get(owner.legacyPrefix.toLowerCase()) ?? [owner];
    for (const object of owner.objects) {
      const legacy = tables.get(`${owner.legacyPrefix}${object.name}`.toLowerCase());
      moveCounters(db, `${owner.legacyPrefix}${object.name}`, object.table);
      if (!legacy || legacy.toLowerCase() === object.table.toLowerCase()) continue;
      if (group.length === 1) {
        db.transaction(() => renameTable(db, legacy, object))();
        tables.delete(legacy.toLowerCase());
        continue;
      }
      const report = shared.get(legacy) ?? {
        table: legacy,
        orgIds: group.map((o) => o.orgId),
        moved: {},
        rowsLeft: 0,
      };
      shared.set(legacy, report);
      report.moved[owner.orgId] = db.transaction(() => moveOwnRows(db, legacy, object, owner.orgId))();
    }
  }
  for (const report of shared.values()) {
    report.rowsLeft = countRows(db, report.table);
    if (report.rowsLeft === 0) db.exec(`DROP TABLE ${quoteIdent(report.table)}`);
  }
  return [...shared.values()];
}

/** A table only one org used: renamed, its indexes made again under the new name. */
function renameTable(db: Db, legacy: string, object: ObjectDef): void {
  const indexes = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
    .pluck(true)
    .all(legacy) as string[];
  for (const index of indexes) db.exec(`DROP INDEX ${quoteIdent(index)}`);
  db.exec(`ALTER TABLE ${quoteIdent(legacy)} RENAME TO ${quoteIdent(object.table)}`);
  ensureRecordTables(db, [object]);
}

/** The rows of a shared table that belong to `orgId`'s users, moved to its own table; returns how many. */
function moveOwnRows(db: Db, legacy: string, object: ObjectDef, orgId: string): number {
  ensureRecordTables(db, [object]);
  const present = new Set(
    (db.prepare(`PRAGMA table_info(${quoteIdent(legacy)})`).all() as { name: string }[]).map((c) =>
      c.name.toLowerCase(),
    ),
  );
  const columns = object.fields.map((f) => f.name).filter((name) => present.has(name.toLowerCase()));
  const users = 'SELECT user_id FROM lf_login WHERE org_id = ?';
  const owned = [
    ...(object.name === 'User' ? [`Id IN (${users})`] : []),
    ...['CreatedById', 'OwnerId'].filter((c) => present.has(c.toLowerCase())).map((c) => `${c} IN (${users})`),
  ];
  if (!owned.length) return 0;
  const where = owned.join(' OR ');
  const params = owned.map(() => orgId);
  const list = columns.map(quoteIdent).join(', ');
  const { changes } = db
    .prepare(
      `INSERT INTO ${quoteIdent(object.table)} (${list}) SELECT ${list} FROM ${quoteIdent(legacy)} WHERE ${where}`,
    )
    .run(...params);
  db.prepare(`DELETE FROM ${quoteIdent(legacy)} WHERE ${where}`).run(...params);
  return changes;
}

/** Auto-number counters are named after their table (`#table.Field`, case-sensitively): they follow it. */
function moveCounters(db: Db, from: string, to: string): void {
  const old = `#${from}.`;
  db.prepare('UPDATE lf_id_counter SET prefix = ? || substr(prefix, ?) WHERE substr(prefix, 1, ?) = ?').run(
    `#${to}.`,
    old.length + 1,
    old.length,
    old,
  );
}

function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(table)}`).get() as { n: number }).n;
}
