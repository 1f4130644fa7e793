// Applies one 200-record chunk of a DML batch (insert, update, upsert, delete, hardDelete) inside the chunk's
// transaction, returning one result per input row in input order (Bulk API Developer Guide, "Limits", "Handle
// Failed Records in Batches").
//
// Rows are column-indexed: a batch's header fixes which fields its rows can set (its RowLayout, worked out once per
// batch), and each row keeps its typed values in an array by that layout's slots. Every per-row step (coercion,
// checks, the INSERT row) then indexes arrays instead of building a Map per row: a 10,000-row batch of 20 fields
// sets 200,000 values.
import type { Job, RecordError, RecordResult } from '../jobs/model.js';
import {
  coerceCell,
  coerceValue,
  isRecordError,
  matchKey,
  recordError,
  type CoerceContext,
  type DbValue,
} from '../org/coerce.js';
import type { FieldDef, ObjectDef } from '../org/schema.js';
import { normalizeId } from '../wire/ids.js';
import { formatAutoNumber } from '../org/ids.js';
import type { RecordTx } from '../store/types.js';
import type { RelationshipColumn, ResolvedHeader } from './header.js';
import type { RecordRow } from '../wire/records.js';

/** Where a batch's values go: one slot per field its header can set. */
export interface RowLayout {
  relationships: RelationshipColumn[];
  /** The fields rows can set, in header order (plain columns, then lookups set through relationship columns). */
  fields: FieldDef[];
  slotOf: Map<FieldDef, number>;
  /** Per header position: the slot of its plain field, -1 at relationship columns. */
  columnSlots: number[];
  /** Per relationship column: the slot of the lookup it sets. */
  relationshipSlots: number[];
  /** Header position of Id, -1 without one. */
  idColumn: number;
  /** Slots whose field may not be set on create / on update (INVALID_FIELD_FOR_INSERT_UPDATE). */
  notCreateable: number[];
  notUpdateable: number[];
  /** Slots of the lookup fields (checked against their parents). */
  lookupSlots: { field: FieldDef; slot: number }[];
}

export function rowLayout(header: ResolvedHeader): RowLayout {
  const fields: FieldDef[] = [];
  const slotOf = new Map<FieldDef, number>();
  const slot = (f: FieldDef) => {
    let s = slotOf.get(f);
    if (s === undefined) {
      s = fields.length;
      slotOf.set(f, s);
      fields.push(f);
    }
    return s;
  };
  // The Id column is kept aside as text (prepareRow), so it gets no slot.
  const columnSlots = header.columns.map((f) => (f === undefined || f.name === 'Id' ? -1 : slot(f)));
  const relationshipSlots = header.relationships.map((r) => slot(r.reference));
  const slotsWhere = (keep: (f: FieldDef) => boolean) => fields.flatMap((f, s) => (keep(f) ? [s] : []));
  return {
    relationships: header.relationships,
    fields,
    slotOf,
    columnSlots,
    relationshipSlots,
    idColumn: header.columns.findIndex((f) => f?.name === 'Id'),
    notCreateable: slotsWhere((f) => !f.createable),
    notUpdateable: slotsWhere((f) => !f.updateable),
    lookupSlots: fields.flatMap((field, s) => (field.type === 'reference' ? [{ field, slot: s }] : [])),
  };
}

export interface ChunkContext {
  job: Job;
  object: ObjectDef;
  layout: RowLayout;
  coerce: CoerceContext;
  /** Fresh ids for rows this chunk may insert (at least one per row). */
  newIds: string[];
  userId: string;
  /** The chunk's audit timestamp (CreatedDate, LastModifiedDate, SystemModstamp): whole seconds, as the org's. */
  nowIso: string;
  externalIdField: FieldDef | undefined;
  /** Per auto-number field, the first number reserved for this chunk (row i gets first + i). */
  autoNumbers: Map<FieldDef, number>;
  objectByPrefix(prefix: string): ObjectDef | undefined;
  /** Lookups to this object whose records go with their parent on delete (cascadeDelete: Contact.AccountId). */
  cascades: { object: ObjectDef; field: FieldDef }[];
}

interface Prepared {
  /** Typed value per layout slot: undefined = not given, null = set to null. */
  values: (DbValue | undefined)[];
  errors: RecordError[];
  idText: string | undefined;
}

/** A row's value of field `f`: undefined when the batch does not set it. */
function rowValue(ctx: ChunkContext, p: Prepared, f: FieldDef): DbValue | undefined {
  const s = ctx.layout.slotOf.get(f);
  return s === undefined ? undefined : p.values[s];
}

// Successful results share one empty error list (never written to: a result with errors gets its own).
const NO_ERRORS: RecordError[] = Object.freeze([]) as unknown as RecordError[];
/**
 * From API 53.0 a failed update of an existing record reports that record's id; earlier versions leave it empty
 * (simple-salesforce issue 627: empty at the library's default version, filled at 57.0; the version is Bulk API 2.0
 * Developer Guide, "Get Job Failed Record Results": sf__Id, the failed record's id, from API version 53.0).
 */
const FAILED_ROW_ID_SINCE = 53;
const fail = (errors: RecordError[]): RecordResult => ({ id: null, success: false, created: false, errors });
const succeeded = (id: string, created: boolean): RecordResult => ({ id, success: true, created, errors: NO_ERRORS });

/** Coerces every provided cell of a row; the Id column is kept aside as text. */
function prepareRow(ctx: ChunkContext, row: RecordRow): Prepared {
  const { columnSlots, fields, idColumn } = ctx.layout;
  const values: (DbValue | undefined)[] = new Array(fields.length);
  const errors: RecordError[] = [];
  let idText: string | undefined;
  if (idColumn >= 0) {
    const raw = row[idColumn];
    if (raw != null) idText = String(raw);
  }
  for (let c = 0; c < columnSlots.length; c++) {
    const s = columnSlots[c];
    const raw = row[c];
    if (s < 0 || raw === undefined) continue;
    const f = fields[s];
    if (raw === null) {
      // `#N/A` on a checkbox sets it false: a checkbox is never null.
      values[s] = f.type === 'boolean' ? 0 : null;
      continue;
    }
    const v = coerceCell(f, raw, ctx.coerce);
    if (isRecordError(v)) errors.push(v);
    else values[s] = v;
  }
  return { values, errors, idText };
}

/** One error naming every read-only field the row sets, in header order, joined as the org joins them (`A, B`). */
function checkWritable(ctx: ChunkContext, p: Prepared, creating: boolean): void {
  const { fields } = ctx.layout;
  const slots = creating ? ctx.layout.notCreateable : ctx.layout.notUpdateable;
  const names = slots.filter((s) => p.values[s] !== undefined).map((s) => fields[s].name);
  if (names.length === 0) return;
  const advice = 'Please check the security settings of this field and verify that it is read/write for your profile';
  const message = `Unable to create/update fields: ${names.join(', ')}. ${advice} or permission set.`;
  p.errors.push(recordError('INVALID_FIELD_FOR_INSERT_UPDATE', message, names));
}

const requiredFields = new WeakMap<ObjectDef, FieldDef[]>();

function missingRequired(ctx: ChunkContext, p: Prepared, creating: boolean): void {
  let required = requiredFields.get(ctx.object);
  if (!required) {
    required = ctx.object.fields.filter((f) => f.required);
    requiredFields.set(ctx.object, required);
  }
  // On insert, a required field left out takes its default when it has one; given as null (`#N/A`) it is missing.
  let missing: FieldDef[] | undefined;
  for (const f of required) {
    const v = rowValue(ctx, p, f);
    const isMissing = creating ? (v !== undefined ? v === null : f.defaultValue === undefined) : v === null;
    if (isMissing) {
      missing ??= [];
      missing.push(f);
    }
  }
  if (missing) {
    const names = missing.map((f) => f.name);
    p.errors.push(recordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names));
  }
}

/**
 * Relationship columns: each cell names a parent by an indexed field; the lookup gets the parent's id. A blank cell
 * leaves the lookup alone, `#N/A` clears it.
 */
async function resolveRelationships(
  ctx: ChunkContext,
  tx: RecordTx,
  rows: RecordRow[],
  prepared: Prepared[],
): Promise<void> {
  const { relationships, relationshipSlots } = ctx.layout;
  for (let r = 0; r < relationships.length; r++) {
    const rel = relationships[r];
    const slot = relationshipSlots[r];
    const wanted = new Set<string>();
    rows.forEach((row, i) => {
      const v = row[rel.index];
      if (v != null && !prepared[i].errors.length) wanted.add(String(v));
    });
    const matches = new Map<string, string[]>();
    if (rel.lookup.name === 'Id') {
      const ids = [...wanted].map((v) => normalizeId(v)).filter((v): v is string => v !== undefined);
      for (const [id, state] of await tx.findIds(rel.target, ids))
        if (!state.isDeleted) matches.set(id.toLowerCase(), [id]);
    } else if (wanted.size) {
      const typed = [...wanted]
        .map((v) => coerceValue(rel.lookup, v, ctx.coerce))
        .flatMap((r) => ('value' in r && r.value !== null ? [String(r.value)] : []));
      for (const [key, ids] of await tx.findByField(rel.target, rel.lookup, typed)) matches.set(key, ids);
    }
    rows.forEach((row, i) => {
      const v = row[rel.index];
      const p = prepared[i];
      if (v === undefined || p.errors.length) return;
      if (v === null) {
        p.values[slot] = null;
        return;
      }
      const text = String(v);
      const key = rel.lookup.name === 'Id' ? (normalizeId(text) ?? text).toLowerCase() : matchKey(rel.lookup, text);
      const ids = matches.get(key) ?? [];
      if (ids.length === 1) p.values[slot] = ids[0];
      else if (ids.length === 0)
        p.errors.push(
          recordError(
            'INVALID_FIELD',
            `Foreign key external ID: ${text} not found for field ${rel.lookup.name} in entity ${rel.target.name}`,
            [],
          ),
        );
      else
        p.errors.push(
          recordError(
            'DUPLICATE_EXTERNAL_ID',
            `${rel.target.name} - ${rel.lookup.name}: more than one record found for external id field: [${ids.join(', ')}]`,
            [rel.reference.name],
          ),
        );
    });
  }
}

/** Lookup values must name existing records (MALFORMED_ID for a bad shape was raised by coercion). */
async function checkReferences(ctx: ChunkContext, tx: RecordTx, prepared: Prepared[]): Promise<void> {
  // Only the lookup fields this batch sets are looked at.
  const lookups = ctx.layout.lookupSlots;
  if (lookups.length === 0) return;
  const wanted = new Map<string, Set<string>>(); // key prefix -> ids
  for (const p of prepared) {
    if (p.errors.length) continue;
    for (const { slot } of lookups) {
      const v = p.values[slot];
      if (typeof v !== 'string') continue;
      const prefix = v.slice(0, 3);
      let set = wanted.get(prefix);
      if (!set) {
        set = new Set();
        wanted.set(prefix, set);
      }
      set.add(v);
    }
  }
  if (wanted.size === 0) return;
  const missing = new Set<string>();
  for (const [prefix, ids] of wanted) {
    const target = ctx.objectByPrefix(prefix);
    if (!target) continue; // a reference to an object localforce does not model (Group, Campaign…) is trusted
    const found = await tx.findIds(target, [...ids]);
    for (const id of ids) {
      const state = found.get(id);
      if (!state || state.isDeleted) missing.add(id);
    }
  }
  if (missing.size === 0) return;
  for (const p of prepared) {
    if (p.errors.length) continue;
    for (const { field, slot } of lookups) {
      const v = p.values[slot];
      if (typeof v === 'string' && missing.has(v))
        p.errors.push(recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]));
    }
  }
}

/** Unique fields: a value may appear once in the chunk and must not belong to another existing record. */
async function checkUnique(
  ctx: ChunkContext,
  tx: RecordTx,
  prepared: Prepared[],
  selfIds: (string | undefined)[],
): Promise<void> {
  for (const f of ctx.object.fields) {
    const slot = f.unique ? ctx.layout.slotOf.get(f) : undefined;
    if (slot === undefined) continue;
    const seen = new Map<string, number>();
    const values: string[] = [];
    prepared.forEach((p, i) => {
      const v = p.values[slot];
      if (p.errors.length || v == null) return;
      const key = matchKey(f, v);
      if (seen.has(key))
        p.errors.push(
          recordError(
            'DUPLICATE_VALUE',
            `duplicate value found: ${f.name} duplicates value on record with id: ${selfIds[seen.get(key)!] ?? ''}`,
            [f.name],
          ),
        );
      else {
        seen.set(key, i);
        values.push(String(v));
      }
    });
    if (!values.length) continue;
    const existing = await tx.findByField(ctx.object, f, values);
    if (existing.size === 0) continue;
    prepared.forEach((p, i) => {
      const v = p.values[slot];
      if (p.errors.length || v == null) return;
      const owners = (existing.get(matchKey(f, v)) ?? []).filter((id) => id !== selfIds[i]);
      if (owners.length)
        p.errors.push(
          recordError(
            'DUPLICATE_VALUE',
            `duplicate value found: ${f.name} duplicates value on record with id: ${owners[0]}`,
            [f.name],
          ),
        );
    });
  }
}

/**
 * How each column of a chunk's INSERT gets its value: the row's own value when it gives one, else a fill — the
 * record's new id, its auto-number, the derived Name, or a value the same for every row (system fields, owner,
 * default, a checkbox's false, null).
 */
type InsertFill =
  | { kind: 'constant'; value: unknown }
  | { kind: 'id' }
  | { kind: 'autoNumber'; format: string; first: number }
  | { kind: 'derivedName' };

interface InsertColumn {
  name: string;
  slot: number;
  fill: InsertFill;
}

function insertPlan(ctx: ChunkContext): InsertColumn[] {
  const o = ctx.object;
  const { slotOf } = ctx.layout;
  const derivedName = hasDerivedName(o);
  const plan: InsertColumn[] = [];
  for (const f of o.fields) {
    const slot = slotOf.get(f) ?? -1;
    const first = ctx.autoNumbers.get(f);
    let fill: InsertFill | undefined;
    if (first !== undefined)
      fill = { kind: 'autoNumber', format: f.autoNumberFormat!, first: f.autoNumberStart! - 1 + first };
    else if (f.name === 'Id') fill = { kind: 'id' };
    else if (f.name === 'IsDeleted') fill = { kind: 'constant', value: 0 };
    else if (f.name === 'CreatedDate' || f.name === 'LastModifiedDate' || f.name === 'SystemModstamp')
      fill = { kind: 'constant', value: ctx.nowIso };
    else if (f.name === 'CreatedById' || f.name === 'LastModifiedById' || f.name === 'OwnerId')
      fill = { kind: 'constant', value: ctx.userId };
    else if (f.name === 'Name' && derivedName) fill = { kind: 'derivedName' };
    else if (f.defaultValue !== undefined)
      fill = {
        kind: 'constant',
        value: typeof f.defaultValue === 'boolean' ? (f.defaultValue ? 1 : 0) : f.defaultValue,
      };
    // A checkbox is never null: false unless set.
    else if (f.type === 'boolean') fill = { kind: 'constant', value: 0 };
    else if (slot >= 0) fill = { kind: 'constant', value: null };
    // Other fields the batch does not set are left out of the INSERT (the column's NULL).
    if (fill) plan.push({ name: f.name, slot, fill });
  }
  return plan;
}

/** The INSERT row of a new record: its provided values, and the plan's fills for the rest. */
function insertRow(ctx: ChunkContext, plan: InsertColumn[], id: string, index: number, p: Prepared): unknown[] {
  const out: unknown[] = new Array(plan.length);
  for (let c = 0; c < plan.length; c++) {
    const col = plan[c];
    const given = col.slot >= 0 ? p.values[col.slot] : undefined;
    if (given !== undefined) {
      out[c] = given;
      continue;
    }
    const fill = col.fill;
    switch (fill.kind) {
      case 'constant':
        out[c] = fill.value;
        break;
      case 'id':
        out[c] = id;
        break;
      case 'autoNumber':
        out[c] = formatAutoNumber(fill.format, fill.first + index);
        break;
      case 'derivedName': {
        const first = rowValue(ctx, p, ctx.object.field('FirstName')!);
        const last = rowValue(ctx, p, ctx.object.field('LastName')!);
        out[c] = [first, last].filter((x) => x != null && x !== '').join(' ');
        break;
      }
    }
  }
  return out;
}

async function insertRecords(
  ctx: ChunkContext,
  tx: RecordTx,
  items: { p: Prepared; index: number }[],
  results: RecordResult[],
): Promise<void> {
  if (!items.length) return;
  const plan = insertPlan(ctx);
  const rows: unknown[][] = new Array(items.length);
  for (let k = 0; k < items.length; k++) {
    const { p, index } = items[k];
    const id = ctx.newIds[index];
    rows[k] = insertRow(ctx, plan, id, index, p);
    results[index] = succeeded(id, true);
  }
  await tx.insert(
    ctx.object,
    plan.map((c) => c.name),
    rows,
  );
}

async function updateRecord(ctx: ChunkContext, tx: RecordTx, id: string, p: Prepared): Promise<void> {
  const { fields } = ctx.layout;
  const cols: string[] = [];
  const vals: unknown[] = [];
  for (let s = 0; s < fields.length; s++) {
    if (p.values[s] === undefined) continue;
    cols.push(fields[s].name);
    vals.push(p.values[s]);
  }
  cols.push('LastModifiedDate', 'LastModifiedById', 'SystemModstamp');
  vals.push(ctx.nowIso, ctx.userId, ctx.nowIso);
  await tx.update(ctx.object, id, cols, vals);
  if (hasDerivedName(ctx.object) && (cols.includes('FirstName') || cols.includes('LastName')))
    await tx.refreshFullName(ctx.object, id);
}

/** Contact, Lead and User compute a read-only Name from FirstName and LastName. */
function hasDerivedName(o: ObjectDef): boolean {
  const name = o.field('Name');
  return name !== undefined && !name.createable && o.field('LastName') !== undefined;
}

function parseRecordId(ctx: ChunkContext, text: string, forDelete: boolean): { id: string } | { error: RecordError } {
  const id = normalizeId(text);
  if (!id || id.slice(0, 3) !== ctx.object.keyPrefix) {
    return {
      error: forDelete
        ? recordError('MALFORMED_ID', `bad id ${text}`, [])
        : recordError('MALFORMED_ID', `${ctx.object.label} ID: id value of incorrect type: ${text}`, ['Id']),
    };
  }
  return { id };
}

export async function applyChunk(ctx: ChunkContext, tx: RecordTx, rows: RecordRow[]): Promise<RecordResult[]> {
  switch (ctx.job.operation) {
    case 'insert':
      return applyInsert(ctx, tx, rows);
    case 'update':
      return applyUpdate(ctx, tx, rows);
    case 'upsert':
      return applyUpsert(ctx, tx, rows);
    case 'delete':
    case 'hardDelete':
      return applyDelete(ctx, tx, rows, ctx.job.operation === 'hardDelete');
    default:
      throw new Error(`not a DML operation: ${ctx.job.operation}`);
  }
}

async function applyInsert(ctx: ChunkContext, tx: RecordTx, rows: RecordRow[]): Promise<RecordResult[]> {
  const prepared = rows.map((row) => prepareRow(ctx, row));
  await resolveRelationships(ctx, tx, rows, prepared);
  for (const p of prepared) {
    if (p.idText !== undefined)
      p.errors.push(recordError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']));
    checkWritable(ctx, p, true);
    missingRequired(ctx, p, true);
  }
  await checkReferences(ctx, tx, prepared);
  await checkUnique(ctx, tx, prepared, ctx.newIds);
  const results: RecordResult[] = new Array(rows.length);
  const good: { p: Prepared; index: number }[] = [];
  for (const [index, p] of prepared.entries()) {
    if (p.errors.length) results[index] = fail(p.errors);
    else good.push({ p, index });
  }
  await insertRecords(ctx, tx, good, results);
  return results;
}

async function applyUpdate(ctx: ChunkContext, tx: RecordTx, rows: RecordRow[]): Promise<RecordResult[]> {
  const prepared = rows.map((row) => prepareRow(ctx, row));
  await resolveRelationships(ctx, tx, rows, prepared);
  const ids: (string | undefined)[] = prepared.map((p) => {
    if (p.idText === undefined) {
      p.errors.unshift(recordError('MISSING_ARGUMENT', 'Id not specified in an update call', []));
      return undefined;
    }
    const r = parseRecordId(ctx, p.idText, false);
    if ('error' in r) {
      p.errors.unshift(r.error);
      return undefined;
    }
    return r.id;
  });
  const seen = new Set<string>();
  prepared.forEach((p, i) => {
    const id = ids[i];
    if (!id || p.errors.length) return;
    if (seen.has(id)) p.errors.push(recordError('DUPLICATE_VALUE', `Duplicate id specified: ${id}`, []));
    seen.add(id);
    checkWritable(ctx, p, false);
    missingRequired(ctx, p, false);
  });
  // Every parsed id is looked up, not only those of valid rows: a failed row names its record when it exists.
  const existing = await tx.findIds(ctx.object, [...new Set(ids.filter((id): id is string => id !== undefined))]);
  prepared.forEach((p, i) => {
    const id = ids[i];
    if (!id || p.errors.length) return;
    const state = existing.get(id);
    if (!state) p.errors.push(recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []));
    else if (state.isDeleted) p.errors.push(recordError('ENTITY_IS_DELETED', 'entity is deleted', []));
  });
  await checkReferences(ctx, tx, prepared);
  await checkUnique(ctx, tx, prepared, ids);
  const results: RecordResult[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i];
    if (p.errors.length) {
      const id = ids[i];
      const live = id !== undefined && existing.get(id)?.isDeleted === false;
      results.push(live && ctx.job.apiVersion >= FAILED_ROW_ID_SINCE ? { ...fail(p.errors), id } : fail(p.errors));
      continue;
    }
    await updateRecord(ctx, tx, ids[i]!, p);
    results.push(succeeded(ids[i]!, false));
  }
  return results;
}

async function applyUpsert(ctx: ChunkContext, tx: RecordTx, rows: RecordRow[]): Promise<RecordResult[]> {
  const key = ctx.externalIdField!;
  const byId = key.name === 'Id';
  const prepared = rows.map((row) => prepareRow(ctx, row));
  await resolveRelationships(ctx, tx, rows, prepared);
  // The key of each row: an 18-char id (upsert on Id) or the external id value; undefined = insert (blank Id).
  const keys: (string | undefined)[] = prepared.map((p) => {
    if (byId) {
      if (p.idText === undefined) return undefined;
      const r = parseRecordId(ctx, p.idText, false);
      if ('error' in r) {
        p.errors.unshift(r.error);
        return undefined;
      }
      return r.id;
    }
    const v = rowValue(ctx, p, key);
    if (v == null) {
      // A key that failed coercion already carries its own error (MALFORMED_ID, INVALID_TYPE…); only a blank key is missing.
      if (!p.errors.some((e) => e.fields.includes(key.name)))
        p.errors.unshift(recordError('MISSING_ARGUMENT', `${key.name} not specified`, [key.name]));
      return undefined;
    }
    return String(v);
  });
  // Duplicate keys inside one chunk fail every row that carries them.
  const counts = new Map<string, number>();
  const keyOf = (k: string) => matchKey(key, k);
  for (const [i, k] of keys.entries()) {
    if (k !== undefined && !prepared[i].errors.length) counts.set(keyOf(k), (counts.get(keyOf(k)) ?? 0) + 1);
  }
  keys.forEach((k, i) => {
    if (k !== undefined && (counts.get(keyOf(k)) ?? 0) > 1) {
      prepared[i].errors.push(
        byId
          ? recordError('DUPLICATE_VALUE', `Duplicate id specified: ${k}`, [])
          : recordError('DUPLICATE_VALUE', `Duplicate external id specified: ${k}`, [key.name]),
      );
    }
  });
  const live = [...counts.keys()];
  const matches = new Map<string, string[]>();
  if (byId) {
    const found = await tx.findIds(
      ctx.object,
      keys.filter((k): k is string => k !== undefined),
    );
    for (const [id, s] of found) matches.set(keyOf(id), s.isDeleted ? [] : [id]);
    for (const k of keys) if (k !== undefined && !found.has(k)) matches.set(keyOf(k), []);
  } else if (live.length) {
    const originals = keys.filter((k): k is string => k !== undefined);
    for (const [v, ids] of await tx.findByField(ctx.object, key, originals)) matches.set(v, ids);
  }
  const targetIds: (string | undefined)[] = prepared.map((p, i) => {
    const k = keys[i];
    if (p.errors.length || k === undefined) return undefined;
    const ids = matches.get(keyOf(k)) ?? [];
    if (byId && ids.length === 0) {
      p.errors.push(recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []));
      return undefined;
    }
    if (ids.length > 1) {
      p.errors.push(
        recordError(
          'DUPLICATE_EXTERNAL_ID',
          `${ctx.object.name} - ${key.name}: more than one record found for external id field: [${ids.join(', ')}]`,
          [key.name],
        ),
      );
      return undefined;
    }
    return ids[0];
  });
  prepared.forEach((p, i) => {
    if (p.errors.length) return;
    const creating = targetIds[i] === undefined;
    checkWritable(ctx, p, creating);
    missingRequired(ctx, p, creating);
  });
  await checkReferences(ctx, tx, prepared);
  await checkUnique(
    ctx,
    tx,
    prepared,
    prepared.map((_, i) => targetIds[i] ?? ctx.newIds[i]),
  );
  const results: RecordResult[] = new Array(rows.length);
  const inserts: { p: Prepared; index: number }[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i];
    if (p.errors.length) results[i] = fail(p.errors);
    else if (targetIds[i] === undefined) inserts.push({ p, index: i });
    else {
      await updateRecord(ctx, tx, targetIds[i]!, p);
      results[i] = succeeded(targetIds[i]!, false);
    }
  }
  await insertRecords(ctx, tx, inserts, results);
  return results;
}

async function applyDelete(ctx: ChunkContext, tx: RecordTx, rows: RecordRow[], hard: boolean): Promise<RecordResult[]> {
  const { idColumn } = ctx.layout;
  const parsed = rows.map((row): { id: string } | { error: RecordError } => {
    const raw = idColumn < 0 ? undefined : row[idColumn];
    if (raw == null) return { error: recordError('MISSING_ARGUMENT', 'Id not specified in a delete call', []) };
    return parseRecordId(ctx, String(raw), true);
  });
  const ids = parsed.flatMap((r) => ('id' in r ? [r.id] : []));
  const existing = await tx.findIds(ctx.object, ids);
  const seen = new Set<string>();
  const toDelete: string[] = [];
  const results = parsed.map((r): RecordResult => {
    if ('error' in r) return fail([r.error]);
    if (ctx.object.name === 'User')
      return fail([recordError('INVALID_OPERATION', 'Users cannot be deleted; deactivate them instead', [])]);
    if (seen.has(r.id)) return fail([recordError('DUPLICATE_VALUE', `Duplicate id specified: ${r.id}`, [])]);
    seen.add(r.id);
    const state = existing.get(r.id);
    if (!state) return fail([recordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [])]);
    if (state.isDeleted && !hard) return fail([recordError('ENTITY_IS_DELETED', 'entity is deleted', [])]);
    toDelete.push(r.id);
    return succeeded(r.id, false);
  });
  if (hard) await tx.hardDelete(ctx.object, toDelete);
  else await tx.softDelete(ctx.object, toDelete, ctx.nowIso, ctx.userId);
  // Children on a cascading lookup go with their parent, in the same transaction (their results are not reported);
  // a hardDelete removes the ones already in the recycle bin too.
  for (const c of ctx.cascades) {
    if (!toDelete.length) break;
    const children = [...(await tx.findByField(c.object, c.field, toDelete, hard)).values()].flat();
    if (!children.length) continue;
    if (hard) await tx.hardDelete(c.object, children);
    else await tx.softDelete(c.object, children, ctx.nowIso, ctx.userId);
  }
  return results;
}
