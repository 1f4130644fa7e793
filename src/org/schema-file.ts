// Custom objects and fields, declared in a schema file (`localforce serve --schema org.json|org.yaml`) or posted
// to the control plane. A declaration adds objects and fields; it never removes any, so records survive.
//
//   objects:
//     - name: Invoice__c                 # custom objects end in __c
//       label: Invoice
//       fields:
//         - { name: Code__c, type: string, length: 20, externalId: true, unique: true }
//         - { name: Account__c, type: reference, referenceTo: Account, relationshipName: Account__r }
//     - name: Account                    # standard objects take custom fields
//       fields:
//         - { name: Region__c, type: picklist, values: [EMEA, AMER], restricted: true }
import { parse as parseYaml } from 'yaml';
import { coerceValue } from './coerce.js';
import { DomainError } from '../errors/domain.js';
import {
  field,
  systemFields,
  STANDARD_OBJECTS,
  type FieldDef,
  type FieldOpts,
  type FieldType,
  type ObjectShape,
} from './schema.js';

/** A schema declaration that cannot be applied; the control plane answers 400 with its text. */
export class SchemaError extends DomainError {
  constructor(reason: string) {
    super({ kind: 'invalidSchema', reason });
  }
}

export interface FieldSpec {
  name: string;
  type: string;
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  required?: boolean;
  unique?: boolean;
  externalId?: boolean;
  caseSensitive?: boolean;
  values?: string[];
  restricted?: boolean;
  defaultValue?: string | number | boolean;
  referenceTo?: string;
  relationshipName?: string;
  childRelationshipName?: string;
}

export interface ObjectSpec {
  name: string;
  label?: string;
  labelPlural?: string;
  /** Custom objects only: `text` (default, 80 characters) or `autonumber`. */
  nameField?: 'text' | 'autonumber';
  /** With an auto-number name: its display format, `{0000}` standing for the number (default `{00000000}`). */
  nameFormat?: string;
  fields?: FieldSpec[];
}

export interface SchemaSpec {
  objects: ObjectSpec[];
}

/** A custom object or a standard object's custom fields, as stored for an org. */
export interface CustomDefinition {
  object: ObjectSpec;
  /** Assigned once, for custom objects: `a00`, `a01`, … */
  keyPrefix: string | null;
}

const FIELD_TYPES: readonly FieldType[] = [
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'boolean',
  'int',
  'double',
  'currency',
  'percent',
  'date',
  'datetime',
  'time',
  'email',
  'phone',
  'url',
  'reference',
];
const TYPE_ALIASES: Record<string, FieldType> = {
  text: 'string',
  number: 'double',
  integer: 'int',
  checkbox: 'boolean',
  lookup: 'reference',
  longtextarea: 'textarea',
  'date/time': 'datetime',
};
const API_NAME = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__c$/;

/** Reads a schema file's text: JSON, or YAML. */
export function parseSchemaText(text: string): SchemaSpec {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new SchemaError(`The schema is neither valid JSON nor valid YAML: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as SchemaSpec).objects))
    throw new SchemaError('A schema needs an `objects` list');
  return doc as SchemaSpec;
}

/** How a field's column is typed and compared: what a re-declaration may not change, since the column stays. */
function columnShape(spec: FieldSpec): string {
  const type = TYPE_ALIASES[String(spec.type).toLowerCase()] ?? String(spec.type).toLowerCase();
  // PostgreSQL keeps a checkbox in INTEGER and a number without decimals in BIGINT: two different columns.
  const kind =
    type === 'boolean'
      ? 'checkbox'
      : type === 'int'
        ? 'integer'
        : type === 'double' || type === 'currency' || type === 'percent'
          ? 'number'
          : 'text';
  const matching =
    kind === 'text' && (spec.externalId || spec.unique)
      ? spec.caseSensitive
        ? 'case-sensitive key'
        : 'case-insensitive key'
      : 'plain';
  return `${kind} (${matching})`;
}

/**
 * Why `next` cannot replace the declared field `current`, or undefined when it can. Existing records keep their
 * column, so a change between text, integer and number storage, or of how a key field's values match, is refused
 * rather than leaving a column that no longer fits its field.
 */
export function redeclarationProblem(objectName: string, current: FieldSpec, next: FieldSpec): string | undefined {
  const before = columnShape(current);
  const after = columnShape(next);
  return before === after
    ? undefined
    : `${objectName}.${current.name}: an existing field's column cannot change from ${before} to ${after}`;
}

function fieldFromSpec(spec: FieldSpec, objectName: string): FieldDef {
  if (typeof spec.name !== 'string' || !API_NAME.test(spec.name))
    throw new SchemaError(`${objectName}: custom field names end in __c: ${String(spec.name)}`);
  const type = (TYPE_ALIASES[String(spec.type).toLowerCase()] ?? String(spec.type).toLowerCase()) as FieldType;
  if (!FIELD_TYPES.includes(type))
    throw new SchemaError(`${objectName}.${spec.name}: unknown field type ${String(spec.type)}`);
  const o: FieldOpts = {
    label: spec.label,
    length: spec.length,
    precision: spec.precision,
    scale: spec.scale,
    required: !!spec.required,
    unique: !!spec.unique,
    externalId: !!spec.externalId,
    caseSensitive: !!spec.caseSensitive,
    custom: true,
    values: spec.values?.map(String),
    restricted: !!spec.restricted,
    childRelationshipName: spec.childRelationshipName,
    defaultValue:
      spec.defaultValue === undefined
        ? undefined
        : typeof spec.defaultValue === 'boolean'
          ? spec.defaultValue
          : String(spec.defaultValue),
  };
  if ((type === 'picklist' || type === 'multipicklist') && !spec.values?.length)
    throw new SchemaError(`${objectName}.${spec.name}: a picklist needs values`);
  if ((o.externalId || o.unique) && !['string', 'email', 'int', 'double'].includes(type))
    throw new SchemaError(
      `${objectName}.${spec.name}: only text, email and number fields can be external ids or unique`,
    );
  if (type === 'double' || type === 'currency' || type === 'percent') {
    o.precision = spec.precision ?? 18;
    o.scale = spec.scale ?? (type === 'currency' ? 2 : 0);
    if (o.scale > o.precision) throw new SchemaError(`${objectName}.${spec.name}: scale exceeds precision`);
  }
  if (type === 'int') o.precision = spec.precision ?? 9;
  if (type === 'string' && (spec.length ?? 255) > 255)
    throw new SchemaError(`${objectName}.${spec.name}: text fields hold at most 255 characters (use textarea)`);
  if (type === 'textarea') o.length = spec.length ?? 32_768;
  if (type === 'reference') {
    if (!spec.referenceTo) throw new SchemaError(`${objectName}.${spec.name}: a lookup needs referenceTo`);
    o.referenceTo = [spec.referenceTo];
    o.relationshipName = spec.relationshipName ?? spec.name.replace(/__c$/, '__r');
    if (!o.relationshipName.endsWith('__r'))
      throw new SchemaError(`${objectName}.${spec.name}: custom relationship names end in __r`);
    o.childRelationshipName = spec.childRelationshipName ?? `${objectName.replace(/__c$/, '')}s__r`;
  }
  const def = field(spec.name, type, o);
  if (def.defaultValue === undefined || typeof def.defaultValue === 'boolean') return def;
  // A default goes into every record that leaves the field out, so it must be a valid value of the field's type (the
  // check a batch's value gets) and is kept in its stored form ("false" → false, 1.239 at scale 2 → 1.24, a datetime
  // in UTC); lookups take no default.
  const r =
    type === 'reference'
      ? undefined
      : coerceValue(def, def.defaultValue, { object: undefined as never, lineEnding: null, prefixOf: () => undefined });
  if (!r || 'error' in r || r.value === null) {
    throw new SchemaError(
      `${objectName}.${spec.name}: the default value ${JSON.stringify(def.defaultValue)} is not a valid ${type}${r && 'error' in r ? ` (${r.error.statusCode})` : ''}`,
    );
  }
  return field(spec.name, type, { ...o, defaultValue: type === 'boolean' ? r.value === 1 : String(r.value) });
}

/** The object shapes of an org: the standard ones with any custom fields, then its custom objects. */
export function buildShapes(definitions: readonly CustomDefinition[]): ObjectShape[] {
  const shapes = STANDARD_OBJECTS.map((s) => ({ ...s, fields: [...s.fields] }));
  const byName = new Map(shapes.map((s) => [s.name.toLowerCase(), s]));
  for (const def of definitions) {
    let shape = byName.get(def.object.name.toLowerCase());
    if (!shape) {
      const label = def.object.label ?? def.object.name.replace(/__c$/, '').replace(/_/g, ' ');
      const nameField =
        def.object.nameField === 'autonumber'
          ? field('Name', 'string', {
              length: 80,
              autoNumber: true,
              autoNumberFormat: def.object.nameFormat,
              nameField: true,
              label: `${label} Name`,
              custom: false,
            })
          : field('Name', 'string', { length: 80, nameField: true, label: `${label} Name`, custom: false });
      shape = {
        name: def.object.name,
        label,
        labelPlural: def.object.labelPlural ?? `${label}s`,
        keyPrefix: def.keyPrefix!,
        custom: true,
        fields: [...systemFields(true), nameField],
      };
      shapes.push(shape);
      byName.set(shape.name.toLowerCase(), shape);
    }
    for (const spec of def.object.fields ?? []) {
      const f = fieldFromSpec(spec, shape.name);
      const existing = shape.fields.findIndex((x) => x.name.toLowerCase() === f.name.toLowerCase());
      if (existing >= 0) shape.fields[existing] = f;
      else shape.fields.push(f);
    }
  }
  // Lookups must point at objects that exist; their names are stored as the objects spell them.
  for (const shape of shapes) {
    shape.fields = shape.fields.map((f) => {
      if (!f.custom || f.type !== 'reference') return f;
      const target = byName.get(f.referenceTo![0].toLowerCase());
      if (!target)
        throw new SchemaError(`${shape.name}.${f.name}: referenceTo names an unknown object: ${f.referenceTo![0]}`);
      return { ...f, referenceTo: [target.name] };
    });
  }
  return shapes;
}

/** Checks a declaration on its own (names, types) before it is merged into an org's stored definitions. */
export function validateSpec(spec: SchemaSpec): void {
  for (const o of spec.objects) {
    if (!o || typeof o.name !== 'string') throw new SchemaError('Every object needs a name');
    const standard = STANDARD_OBJECTS.some((s) => s.name.toLowerCase() === o.name.toLowerCase());
    if (!standard && !API_NAME.test(o.name)) throw new SchemaError(`Custom object names end in __c: ${o.name}`);
    // SQLite keeps names starting sqlite_ for itself; a table of that name cannot be created.
    if (/^sqlite_/i.test(o.name)) throw new SchemaError(`Custom object names cannot start with sqlite_: ${o.name}`);
    for (const f of o.fields ?? []) fieldFromSpec(f, o.name);
  }
}
