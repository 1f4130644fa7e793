// Each org's schema: built from the standard objects and the org's stored custom definitions, cached per
// schema version (so every process and worker sees a change at its next use), and changed only by adding.
import type { OrgStore, SchemaStore } from '../store/types.js';
import { OrgSchema } from './registry.js';
import {
  buildShapes,
  redeclarationProblem,
  SchemaError,
  validateSpec,
  type CustomDefinition,
  type ObjectSpec,
  type SchemaSpec,
} from './schema-file.js';
import { BASE62 } from '../wire/ids.js';

export class SchemaService {
  private readonly cache = new Map<string, OrgSchema>();
  constructor(
    private readonly orgs: OrgStore,
    private readonly store: SchemaStore,
  ) {}

  /** The org's current schema. Throws for an org that does not exist. */
  async forOrg(orgId: string): Promise<OrgSchema> {
    const org = await this.orgs.getOrg(orgId);
    if (!org) throw new SchemaError(`Unknown org ${orgId}`);
    const cached = this.cache.get(orgId);
    if (cached && cached.version === org.schemaVersion) return cached;
    const schema = new OrgSchema(
      orgId,
      org.isDefault,
      buildShapes(await this.store.loadDefinitions(orgId)),
      org.schemaVersion,
    );
    this.cache.set(orgId, schema);
    return schema;
  }

  /** Creates the record tables of a new org. */
  async initialise(orgId: string): Promise<OrgSchema> {
    const schema = await this.forOrg(orgId);
    await this.store.ensureTables(schema.objects);
    return schema;
  }

  /**
   * Adds the declared objects and fields to the org: new custom objects get the next key prefix (a00, a01, …);
   * fields declared again replace their earlier definition; nothing is removed. Tables and columns are added in place.
   */
  async apply(orgId: string, spec: SchemaSpec): Promise<OrgSchema> {
    validateSpec(spec);
    const definitions = await this.store.loadDefinitions(orgId);
    const byName = new Map(definitions.map((d) => [d.object.name.toLowerCase(), d]));
    const used = new Set(definitions.map((d) => d.keyPrefix).filter(Boolean));
    for (const o of spec.objects) {
      const existing = byName.get(o.name.toLowerCase());
      if (existing) {
        existing.object = mergeObject(existing.object, o);
        continue;
      }
      const custom = o.name.endsWith('__c');
      const def: CustomDefinition = {
        object: { ...o, fields: [...(o.fields ?? [])] },
        keyPrefix: custom ? nextPrefix(used) : null,
      };
      if (def.keyPrefix) used.add(def.keyPrefix);
      definitions.push(def);
      byName.set(o.name.toLowerCase(), def);
    }
    const shapes = buildShapes(definitions); // throws SchemaError before anything is stored
    const preview = new OrgSchema(orgId, (await this.orgs.getOrg(orgId))!.isDefault, shapes, -1);
    await this.store.ensureTables(preview.objects);
    await this.store.saveDefinitions(orgId, definitions);
    this.cache.delete(orgId);
    return this.forOrg(orgId);
  }
}

function mergeObject(current: ObjectSpec, next: ObjectSpec): ObjectSpec {
  const fields = [...(current.fields ?? [])];
  for (const f of next.fields ?? []) {
    const i = fields.findIndex((x) => x.name.toLowerCase() === f.name.toLowerCase());
    const problem = i >= 0 ? redeclarationProblem(current.name, fields[i], f) : undefined;
    if (problem) throw new SchemaError(problem);
    if (i >= 0) fields[i] = f;
    else fields.push(f);
  }
  return {
    ...current,
    label: next.label ?? current.label,
    labelPlural: next.labelPlural ?? current.labelPlural,
    fields,
  };
}

/** a00, a01, … a0z, a10, …: custom object key prefixes, stable once handed out. */
function nextPrefix(used: Set<string | null>): string {
  for (let i = 0; i < 62 * 62; i++) {
    const p = `a${BASE62[Math.floor(i / 62)]}${BASE62[i % 62]}`;
    if (!used.has(p)) return p;
  }
  throw new SchemaError('No custom object key prefixes left');
}
