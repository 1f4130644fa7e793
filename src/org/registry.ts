// One org's schema: the standard objects plus the custom objects and fields declared for that org, each bound to
// the org's storage table. Names resolve case-insensitively, as in Salesforce.
import { makeObject, STANDARD_OBJECTS, type FieldDef, type ObjectDef, type ObjectShape } from './schema.js';
import { to18 } from '../wire/ids.js';

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
}

/**
 * The default org keeps plain table names (`Account`) so its data can be queried as is; other orgs prefix theirs
 * with their 18-character org id. Its last 3 characters encode the case of the first 15 (that is what Salesforce
 * made them for), so two org ids that differ only in case get names that differ case-insensitively too: SQLite's
 * table names are case-insensitive. The name stays within PostgreSQL's 63-byte identifiers (18 + 1 + a 43-character
 * custom object name).
 */
export function tableName(objectName: string, orgId: string, isDefaultOrg: boolean): string {
  return isDefaultOrg ? objectName : `${tablePrefix(orgId)}${objectName}`;
}

/** A non-default org's table prefix: `00DLf0000000002AAA_`. */
export function tablePrefix(orgId: string): string {
  return `${to18(orgId.slice(0, 15))}_`;
}

/**
 * The prefix releases before the 18-character one used: the 15-character id, which two orgs share on SQLite when
 * their ids differ only in case. Kept only to find and move such tables at start (store `adoptLegacyTables`).
 */
export function legacyTablePrefix(orgId: string): string {
  return `${orgId.slice(0, 15)}_`;
}

export class OrgSchema {
  private readonly byLower: Map<string, ObjectDef>;
  private readonly byPrefix: Map<string, ObjectDef>;
  readonly objects: readonly ObjectDef[];

  constructor(
    readonly orgId: string,
    readonly isDefaultOrg: boolean,
    shapes: readonly ObjectShape[],
    readonly version: number,
  ) {
    this.objects = shapes.map((s) => makeObject(s, tableName(s.name, orgId, isDefaultOrg)));
    this.byLower = new Map(this.objects.map((o) => [o.name.toLowerCase(), o]));
    this.byPrefix = new Map(this.objects.map((o) => [o.keyPrefix, o]));
  }

  object(name: string): ObjectDef | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  objectByPrefix(prefix: string): ObjectDef | undefined {
    return this.byPrefix.get(prefix);
  }

  /** Lookups from other objects to this one (describe's childRelationships). */
  childRelationships(parent: ObjectDef): ChildRelationship[] {
    const out: ChildRelationship[] = [];
    for (const child of this.objects) {
      for (const f of child.fields) {
        if (f.type === 'reference' && f.referenceTo?.includes(parent.name) && f.name !== 'Id') {
          out.push({
            childSObject: child.name,
            field: f.name,
            relationshipName: f.childRelationshipName ?? null,
            cascadeDelete: f.cascadeDelete,
          });
        }
      }
    }
    return out;
  }
}

/** The schema every org starts from. */
export function standardSchema(orgId: string, isDefaultOrg: boolean): OrgSchema {
  return new OrgSchema(orgId, isDefaultOrg, STANDARD_OBJECTS, 0);
}

export type { FieldDef, ObjectDef };
