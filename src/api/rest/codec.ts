// REST (/services/data) shapes: the version list, the resource map, describeGlobal, describe, records, limits
// (REST API Developer Guide, "Versions", "Resources by Version", "Describe Global", "sObject Describe", "Limits").
// Describe output is generated from the org's schema.
import type { FieldDef, ObjectDef } from '../../org/schema.js';
import type { ChildRelationship } from '../../org/registry.js';
import type { JsonValue } from '../../wire/json.js';
import { wholeSecondsIso } from '../../wire/dates.js';

/** Summer '14 = 31.0, then three releases a year (REST API Developer Guide, "Versions"). */
export function versionLabel(v: number): string {
  const n = v - 31;
  const season = ['Summer', 'Winter', 'Spring'][n % 3];
  const yy = 14 + Math.floor((n + 2) / 3);
  return `${season} '${String(yy).padStart(2, '0')}`;
}

export function versionList(min: number, max: number): JsonValue {
  const out: JsonValue[] = [];
  for (let v = min; v <= max; v++)
    out.push({ label: versionLabel(v), url: `/services/data/v${v.toFixed(1)}`, version: v.toFixed(1) });
  return out;
}

export function resourceMap(version: string, identityUrl: string): JsonValue {
  const base = `/services/data/v${version}`;
  return {
    tooling: `${base}/tooling`,
    metadata: `${base}/metadata`,
    queryAll: `${base}/queryAll`,
    search: `${base}/search`,
    identity: identityUrl,
    composite: `${base}/composite`,
    limits: `${base}/limits`,
    query: `${base}/query`,
    jobs: `${base}/jobs`,
    sobjects: `${base}/sobjects`,
  };
}

function objectUrls(version: string, o: ObjectDef) {
  const base = `/services/data/v${version}/sobjects/${o.name}`;
  return { rowTemplate: `${base}/{ID}`, describe: `${base}/describe`, sobject: base };
}

function globalEntry(version: string, o: ObjectDef): Record<string, JsonValue> {
  const isUser = o.name === 'User';
  return {
    activateable: false,
    createable: true,
    custom: o.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: !isUser,
    deprecatedAndHidden: false,
    feedEnabled: !o.custom,
    hasSubtypes: false,
    idEnabled: true,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: true,
    mergeable: ['Account', 'Contact', 'Lead'].includes(o.name),
    mruEnabled: true,
    name: o.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: !isUser,
    updateable: true,
    urls: objectUrls(version, o),
  };
}

export function describeGlobal(version: string, objects: readonly ObjectDef[]): JsonValue {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: objects.map((o) => globalEntry(version, o)) };
}

const SOAP_TYPE: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
};

const TEXT_TYPES = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url']);

/** Describe's `nillable`: everything but required fields, booleans and the system fields that are always set. */
export function isNillable(f: FieldDef): boolean {
  if (f.required || f.type === 'boolean' || f.type === 'id') return false;
  return (
    !['CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'OwnerId'].includes(
      f.name,
    ) && !f.autoNumber
  );
}

function defaultedOnCreate(f: FieldDef): boolean {
  return (
    f.defaultValue !== undefined ||
    f.autoNumber ||
    f.type === 'boolean' ||
    [
      'Id',
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'LastModifiedById',
      'SystemModstamp',
      'OwnerId',
      'IsDeleted',
    ].includes(f.name)
  );
}

export function describeField(f: FieldDef): Record<string, JsonValue> {
  const text = TEXT_TYPES.has(f.type);
  const length = text ? (f.length ?? 255) : f.type === 'id' || f.type === 'reference' ? 18 : 0;
  const numeric = f.type === 'double' || f.type === 'currency' || f.type === 'percent';
  return {
    aggregatable: f.type !== 'textarea',
    aiPredictionField: false,
    autoNumber: f.autoNumber,
    byteLength: text ? length * 3 : length,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: f.cascadeDelete,
    caseSensitive: f.caseSensitive,
    compoundFieldName: null,
    controllerName: null,
    createable: f.createable,
    custom: f.custom,
    defaultValue:
      typeof f.defaultValue === 'boolean' ? f.defaultValue : (f.defaultValue ?? (f.type === 'boolean' ? false : null)),
    defaultValueFormula: null,
    defaultedOnCreate: defaultedOnCreate(f),
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? (f.digits ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId,
    extraTypeInfo: null,
    filterable: f.type !== 'textarea',
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: !numeric && f.type !== 'textarea' && f.type !== 'datetime',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.idLookup,
    inlineHelpText: null,
    label: f.label,
    length,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.nameField,
    namePointing: (f.referenceTo?.length ?? 0) > 1,
    nillable: isNillable(f),
    permissionable: f.custom && !f.required,
    polymorphicForeignKey: (f.referenceTo?.length ?? 0) > 1,
    picklistValues: (f.picklistValues ?? []).map((v) => ({
      active: true,
      defaultValue: f.defaultValue === v,
      label: v,
      validFor: null,
      value: v,
    })),
    precision: numeric ? (f.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: [...(f.referenceTo ?? [])],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist,
    scale: numeric ? (f.scale ?? 0) : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPE[f.type] ?? 'xsd:string',
    sortable: f.type !== 'textarea',
    type: f.type,
    unique: f.unique,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

export function describeObject(version: string, o: ObjectDef, children: readonly ChildRelationship[]): JsonValue {
  const g = globalEntry(version, o);
  const urls = objectUrls(version, o);
  return {
    actionOverrides: [],
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships: children.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    createable: true,
    custom: o.custom,
    customSetting: false,
    deepCloneable: false,
    defaultImplementation: null,
    deletable: g.deletable,
    deprecatedAndHidden: false,
    extendedBy: null,
    extendsInterfaces: null,
    feedEnabled: g.feedEnabled,
    // Id first, then the standard fields in schema order, then the custom ones.
    fields: [...o.fields.filter((f) => !f.custom), ...o.fields.filter((f) => f.custom)].map(describeField),
    hasSubtypes: false,
    implementedBy: null,
    implementsInterfaces: null,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: true,
    listviewable: null,
    lookupLayoutable: null,
    mergeable: g.mergeable,
    mruEnabled: true,
    name: o.name,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    queryable: true,
    recordTypeInfos: [],
    replicateable: true,
    retrieveable: true,
    searchLayoutable: true,
    searchable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: 'All', name: 'everything' }],
    triggerable: true,
    undeletable: g.undeletable,
    updateable: true,
    urls: {
      ...urls,
      listviews: `${urls.sobject}/listviews`,
      layouts: `${urls.sobject}/describe/layouts`,
      compactLayouts: `${urls.sobject}/describe/compactLayouts`,
      approvalLayouts: `${urls.sobject}/describe/approvalLayouts`,
      quickActions: `${urls.sobject}/quickActions`,
      // Absolute in Salesforce's describe; localforce has no UI, so they point at the record resource.
      uiDetailTemplate: `${urls.sobject}/{ID}`,
      uiEditTemplate: `${urls.sobject}/{ID}/e`,
      uiNewRecord: `${urls.sobject}/e`,
    },
  };
}

/** A record as REST returns it: attributes first, then every field, typed. */
export function recordJson(version: string, o: ObjectDef, row: Record<string, unknown>): JsonValue {
  const out: Record<string, JsonValue> = {
    attributes: { type: o.name, url: `/services/data/v${version}/sobjects/${o.name}/${row.Id}` },
  };
  for (const f of o.fields) {
    const v = row[f.name];
    if (v === undefined || v === null) out[f.name] = null;
    else if (f.type === 'boolean') out[f.name] = v === 1 || v === true;
    // Whole seconds, as the org keeps datetimes (rows from an earlier release may hold milliseconds).
    else if (f.type === 'datetime') out[f.name] = wholeSecondsIso(String(v)).replace(/Z$/, '+0000');
    else if (typeof v === 'number') out[f.name] = v;
    else out[f.name] = String(v);
  }
  return out;
}

export interface LimitUsage {
  dailyApiRequests: { max: number; used: number };
  dailyBulkApiBatches: { max: number; used: number };
}

export function limitsJson(u: LimitUsage): JsonValue {
  const pair = (max: number, used: number) => ({ Max: max, Remaining: Math.max(0, max - used) });
  return {
    DailyApiRequests: pair(u.dailyApiRequests.max, u.dailyApiRequests.used),
    DailyAsyncApexExecutions: pair(250000, 0),
    DailyBulkApiBatches: pair(u.dailyBulkApiBatches.max, u.dailyBulkApiBatches.used),
    DailyBulkV2QueryFileStorageMB: pair(976562, 0),
    DailyBulkV2QueryJobs: pair(10000, 0),
    DataStorageMB: pair(1024, 0),
    FileStorageMB: pair(1024, 0),
    HourlyODataCallout: pair(1000, 0),
    SingleEmail: pair(15, 0),
  };
}
