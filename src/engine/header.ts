// Resolves a batch's header: plain field names, and relationship columns that set a lookup through the parent's
// external id or other indexed field (`Account.External_Id__c`, `Parent__r.Code__c`, polymorphic `Lead:Who.Email`).
// Bad headers fail the whole batch, as Salesforce does (Bulk API Developer Guide, "Relationship Fields in a Header
// Row", "Interpret Batch State").
import type { FieldDef, ObjectDef } from '../org/schema.js';
import type { OrgSchema } from '../org/registry.js';
import { BatchFailure, BatchFailures } from '../jobs/errors.js';

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

/**
 * A header name without the spaces around it. A byte-order mark is not a space here (String.prototype.trim would
 * drop it): Salesforce keeps a batch's leading BOM in its first header name, which is then not found.
 */
function headerName(raw: string): string {
  return raw.replace(/^[^\S\uFEFF]+|[^\S\uFEFF]+$/g, '');
}

/**
 * A delete or hardDelete batch names records by Id only: any other column fails the batch before any record is read,
 * as Salesforce does (even a column that is a field of the object).
 */
export function requireOnlyIds(header: readonly string[]): void {
  if (header.some((raw) => headerName(raw).toLowerCase() !== 'id')) throw BatchFailures.deleteNotOnlyIds();
}

export function resolveHeader(header: readonly string[], object: ObjectDef, schema: OrgSchema): ResolvedHeader {
  const columns: (FieldDef | undefined)[] = [];
  const relationships: RelationshipColumn[] = [];
  header.forEach((raw, index) => {
    const name = headerName(raw);
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
