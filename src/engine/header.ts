// Resolves a batch's header: plain field names, and relationship columns that set a lookup through the parent's
// external id or other indexed field (`Account.External_Id__c`, `Parent__r.Code__c`, polymorphic `Lead:Who.Email`).
// Bad headers fail the whole batch, as Salesforce does (Bulk API Developer Guide, "Relationship Fields in a Header
// Row", "Interpret Batch State").
import type { FieldDef, ObjectDef } from '../org/schema.js';
import type { OrgSchema } from '../org/registry.js';
import { BatchFailure } from '../jobs/errors.js';

export interface RelationshipColumn {
  /** Position in the header. */
  index: number;
  /** The lookup field being set (AccountId, Parent__c). */
  reference: FieldDef;
  target: ObjectDef;
  /** The parent's field matched against the cell (Id, an External ID, or an idLookup field). */
  lookup: FieldDef;
}

export interface ResolvedHeader {
  /** Plain field per position; undefined at relationship positions. */
  columns: (FieldDef | undefined)[];
  relationships: RelationshipColumn[];
}

/** Every bad header fails the batch with InvalidBatch. */
const invalidBatch = (message: string) => new BatchFailure('InvalidBatch', message);

const RELATIONSHIP = /^(?:([A-Za-z][\w]*):)?([A-Za-z][\w]*)\.([A-Za-z][\w]*)$/;

export function resolveHeader(header: readonly string[], object: ObjectDef, schema: OrgSchema): ResolvedHeader {
  const columns: (FieldDef | undefined)[] = [];
  const relationships: RelationshipColumn[] = [];
  header.forEach((raw, index) => {
    const name = raw.trim();
    const plain = object.field(name);
    if (plain) {
      columns.push(plain);
      return;
    }
    const m = RELATIONSHIP.exec(name);
    if (!m) throw invalidBatch(`Field name not found : ${raw}`);
    const [, typeName, relName, lookupName] = m;
    const reference = object.relationship(relName);
    if (!reference) throw invalidBatch(`Unable to find relationship: ${relName}`);
    const polymorphic = (reference.referenceTo?.length ?? 0) > 1;
    if (typeName && !polymorphic) {
      throw invalidBatch(`type is not needed for non polymorphic foreign key references: ${relName}`);
    }
    const targetName = typeName ?? reference.referenceTo?.[0];
    if (polymorphic && !typeName) {
      throw invalidBatch(`A polymorphic foreign key reference needs a type (Type:${relName}.Field): ${relName}`);
    }
    if (!targetName || !reference.referenceTo?.some((t) => t.toLowerCase() === targetName.toLowerCase())) {
      throw invalidBatch(`Unable to find relationship: ${raw}`);
    }
    const target = schema.object(targetName);
    if (!target) throw invalidBatch(`Unable to find relationship: ${raw}`);
    const lookup = target.field(lookupName);
    if (!lookup) throw invalidBatch(`Field name not found : ${raw}`);
    if (!(lookup.name === 'Id' || lookup.externalId || lookup.idLookup)) {
      const expected = 'does not match an External ID, Salesforce Id, or indexed field';
      throw invalidBatch(`Field name provided, ${lookup.name} ${expected} for ${target.name}`);
    }
    columns.push(undefined);
    relationships.push({ index, reference, target, lookup });
  });
  return { columns, relationships };
}
