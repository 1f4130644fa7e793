// The default org's schema: the standard objects of docs/schema.md with their system fields, after the Object
// Reference for the Salesforce Platform and real orgs' describe output.
// Names are case-insensitive, as in Salesforce: lookups go through lower-cased maps.

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'reference';

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  /** Required on create: createable, not nillable and not defaulted. */
  readonly required: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly defaultValue?: string | boolean;
  readonly referenceTo?: readonly string[];
  readonly relationshipName?: string;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly idLookup: boolean;
  readonly picklistValues?: readonly string[];
  /** A restricted picklist refuses values outside its list (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  readonly restrictedPicklist: boolean;
  /** External ids and unique fields compare case-insensitively unless this is set. */
  readonly caseSensitive: boolean;
  readonly custom: boolean;
  readonly nameField: boolean;
  readonly autoNumber: boolean;
  /** Auto-number display format, `{0000}` standing for the counter (`INV-{0000}`); and the first number. */
  readonly autoNumberFormat?: string;
  readonly autoNumberStart?: number;
  /** Integer fields: digits allowed. */
  readonly digits?: number;
  /** The parent's name for the list of children pointing here through this lookup (`Contacts`, `Invoices__r`). */
  readonly childRelationshipName?: string;
  readonly cascadeDelete: boolean;
}

export interface ObjectDef {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly custom: boolean;
  /** The storage table of this object in this org (the default org's tables are named after the objects). */
  readonly table: string;
  readonly fields: readonly FieldDef[];
  field(name: string): FieldDef | undefined;
  /** The lookup field whose relationship name is `name` (`Account` → AccountId, `Parent__r` → Parent__c). */
  relationship(name: string): FieldDef | undefined;
}

export interface FieldOpts {
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  required?: boolean;
  readOnly?: boolean;
  createOnly?: boolean;
  defaultValue?: string | boolean;
  referenceTo?: string[];
  relationshipName?: string;
  externalId?: boolean;
  unique?: boolean;
  idLookup?: boolean;
  values?: string[];
  restricted?: boolean;
  caseSensitive?: boolean;
  custom?: boolean;
  nameField?: boolean;
  autoNumber?: boolean;
  autoNumberFormat?: string;
  autoNumberStart?: number;
  childRelationshipName?: string;
  cascadeDelete?: boolean;
}

function labelFrom(name: string): string {
  const base = name.replace(/__c$/, '').replace(/Id$/, '').replace(/_/g, ' ');
  return base.replace(/([a-z])([A-Z])/g, '$1 $2').trim() || name;
}

export function field(name: string, type: FieldType, o: FieldOpts = {}): FieldDef {
  const createable = !o.readOnly && !o.autoNumber;
  return {
    name,
    label: o.label ?? labelFrom(name),
    type,
    length:
      o.length ??
      (type === 'string' ||
      type === 'textarea' ||
      type === 'email' ||
      type === 'phone' ||
      type === 'url' ||
      type === 'picklist'
        ? 255
        : type === 'reference' || type === 'id'
          ? 18
          : undefined),
    precision: o.precision,
    scale: o.scale,
    required: !!o.required,
    createable,
    updateable: createable && !o.createOnly,
    defaultValue: o.defaultValue,
    referenceTo: o.referenceTo,
    relationshipName: o.relationshipName,
    externalId: !!o.externalId,
    unique: !!o.unique,
    idLookup: !!o.idLookup || !!o.externalId,
    picklistValues: o.values,
    restrictedPicklist: !!o.restricted,
    caseSensitive: !!o.caseSensitive,
    custom: o.custom ?? name.endsWith('__c'),
    nameField: !!o.nameField,
    autoNumber: !!o.autoNumber,
    autoNumberFormat: o.autoNumber ? (o.autoNumberFormat ?? '{00000000}') : undefined,
    autoNumberStart: o.autoNumber ? (o.autoNumberStart ?? 1) : undefined,
    digits: type === 'int' ? (o.precision ?? 9) : undefined,
    childRelationshipName: o.childRelationshipName,
    cascadeDelete: !!o.cascadeDelete,
  };
}

const ref = (name: string, to: string, rel: string, o: FieldOpts = {}) =>
  field(name, 'reference', { referenceTo: [to], relationshipName: rel, ...o });

/** System fields every object has (Object Reference, "System Fields"). OwnerId is added per object. */
export function systemFields(owned: boolean, ownerTo: string[] = ['User']): FieldDef[] {
  return [
    field('Id', 'id', { readOnly: true, idLookup: true, label: 'Record ID' }),
    field('IsDeleted', 'boolean', { readOnly: true, label: 'Deleted' }),
    field('CreatedDate', 'datetime', { readOnly: true, label: 'Created Date' }),
    ref('CreatedById', 'User', 'CreatedBy', { readOnly: true, label: 'Created By ID' }),
    field('LastModifiedDate', 'datetime', { readOnly: true, label: 'Last Modified Date' }),
    ref('LastModifiedById', 'User', 'LastModifiedBy', { readOnly: true, label: 'Last Modified By ID' }),
    field('SystemModstamp', 'datetime', { readOnly: true, label: 'System Modstamp' }),
    ...(owned
      ? [field('OwnerId', 'reference', { referenceTo: ownerTo, relationshipName: 'Owner', label: 'Owner ID' })]
      : []),
  ];
}

export interface ObjectShape {
  name: string;
  label: string;
  labelPlural?: string;
  keyPrefix: string;
  custom?: boolean;
  fields: FieldDef[];
}

/** Builds an object for one org's storage table. */
export function makeObject(shape: ObjectShape, table: string): ObjectDef {
  const byLower = new Map(shape.fields.map((f) => [f.name.toLowerCase(), f]));
  const byRelationship = new Map(
    shape.fields.filter((f) => f.relationshipName).map((f) => [f.relationshipName!.toLowerCase(), f]),
  );
  return {
    name: shape.name,
    label: shape.label,
    labelPlural: shape.labelPlural ?? `${shape.label}s`,
    keyPrefix: shape.keyPrefix,
    custom: !!shape.custom,
    table,
    fields: shape.fields,
    field: (n) => byLower.get(n.toLowerCase()),
    relationship: (n) => byRelationship.get(n.toLowerCase()),
  };
}

function defineObject(
  name: string,
  label: string,
  keyPrefix: string,
  fields: FieldDef[],
  labelPlural?: string,
): ObjectShape {
  return { name, label, labelPlural, keyPrefix, fields };
}

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];
const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];

function address(prefix: string, streetLabel: string): FieldDef[] {
  return [
    field(`${prefix}Street`, 'textarea', { length: 255, label: streetLabel }),
    field(`${prefix}City`, 'string', { length: 40 }),
    field(`${prefix}State`, 'string', { length: 80 }),
    field(`${prefix}PostalCode`, 'string', { length: 20 }),
    field(`${prefix}Country`, 'string', { length: 80 }),
  ];
}

/**
 * localforce's default org adds one custom field to Account and Contact, `External_Id__c` (text 255, External ID,
 * unique), so upsert by external id works out of the box. Standard objects in a real org have none.
 */
const externalIdField = () =>
  field('External_Id__c', 'string', { length: 255, externalId: true, unique: true, label: 'External Id' });

export const STANDARD_OBJECTS: readonly ObjectShape[] = [
  defineObject('Account', 'Account', '001', [
    ...systemFields(true),
    field('Name', 'string', { length: 255, required: true, label: 'Account Name', nameField: true }),
    field('Type', 'picklist', {
      label: 'Account Type',
      values: [
        'Prospect',
        'Customer - Direct',
        'Customer - Channel',
        'Channel Partner / Reseller',
        'Installation Partner',
        'Technology Partner',
        'Other',
      ],
    }),
    ref('ParentId', 'Account', 'Parent', { label: 'Parent Account ID', childRelationshipName: 'ChildAccounts' }),
    ref('MasterRecordId', 'Account', 'MasterRecord', { readOnly: true, label: 'Master Record ID' }),
    ...address('Billing', 'Billing Street'),
    ...address('Shipping', 'Shipping Street'),
    field('Phone', 'phone', { length: 40, label: 'Account Phone' }),
    field('Fax', 'phone', { length: 40, label: 'Account Fax' }),
    field('AccountNumber', 'string', { length: 40, label: 'Account Number' }),
    field('Website', 'url', { length: 255 }),
    field('Sic', 'string', { length: 20, label: 'SIC Code' }),
    field('Industry', 'picklist', { values: INDUSTRIES }),
    field('AnnualRevenue', 'currency', { precision: 18, scale: 0, label: 'Annual Revenue' }),
    field('NumberOfEmployees', 'int', { precision: 8, label: 'Employees' }),
    field('Ownership', 'picklist', { values: ['Public', 'Private', 'Subsidiary', 'Other'] }),
    field('TickerSymbol', 'string', { length: 20, label: 'Ticker Symbol' }),
    field('Description', 'textarea', { length: 32000, label: 'Account Description' }),
    field('Rating', 'picklist', { label: 'Account Rating', values: ['Hot', 'Warm', 'Cold'] }),
    field('Site', 'string', { length: 80, label: 'Account Site' }),
    field('AccountSource', 'picklist', { label: 'Account Source', values: LEAD_SOURCES }),
    externalIdField(),
  ]),
  defineObject('Contact', 'Contact', '003', [
    ...systemFields(true),
    ref('MasterRecordId', 'Contact', 'MasterRecord', { readOnly: true, label: 'Master Record ID' }),
    ref('AccountId', 'Account', 'Account', {
      label: 'Account ID',
      childRelationshipName: 'Contacts',
      cascadeDelete: true,
    }),
    field('LastName', 'string', { length: 80, required: true, label: 'Last Name' }),
    field('FirstName', 'string', { length: 40, label: 'First Name' }),
    field('Salutation', 'picklist', { values: SALUTATIONS }),
    field('Name', 'string', { length: 121, readOnly: true, label: 'Full Name', nameField: true }),
    ...address('Other', 'Other Street'),
    ...address('Mailing', 'Mailing Street'),
    field('Phone', 'phone', { length: 40, label: 'Business Phone' }),
    field('Fax', 'phone', { length: 40, label: 'Business Fax' }),
    field('MobilePhone', 'phone', { length: 40, label: 'Mobile Phone' }),
    field('HomePhone', 'phone', { length: 40, label: 'Home Phone' }),
    field('OtherPhone', 'phone', { length: 40, label: 'Other Phone' }),
    ref('ReportsToId', 'Contact', 'ReportsTo', { label: 'Reports To ID', childRelationshipName: 'ReportsTo' }),
    field('Email', 'email', { length: 80, idLookup: true }),
    field('Title', 'string', { length: 128 }),
    field('Department', 'string', { length: 80 }),
    field('LeadSource', 'picklist', { label: 'Lead Source', values: LEAD_SOURCES }),
    field('Birthdate', 'date'),
    field('Description', 'textarea', { length: 32000, label: 'Contact Description' }),
    field('HasOptedOutOfEmail', 'boolean', { defaultValue: false, label: 'Email Opt Out' }),
    field('DoNotCall', 'boolean', { defaultValue: false, label: 'Do Not Call' }),
    externalIdField(),
  ]),
  defineObject('Lead', 'Lead', '00Q', [
    ...systemFields(true, ['Group', 'User']),
    field('LastName', 'string', { length: 80, required: true, label: 'Last Name' }),
    field('FirstName', 'string', { length: 40, label: 'First Name' }),
    field('Salutation', 'picklist', { values: SALUTATIONS }),
    field('Name', 'string', { length: 121, readOnly: true, label: 'Full Name', nameField: true }),
    field('Title', 'string', { length: 128 }),
    field('Company', 'string', { length: 255, required: true }),
    ...address('', 'Street'),
    field('Phone', 'phone', { length: 40 }),
    field('MobilePhone', 'phone', { length: 40, label: 'Mobile Phone' }),
    field('Email', 'email', { length: 80, idLookup: true }),
    field('Website', 'url', { length: 255 }),
    field('Description', 'textarea', { length: 32000 }),
    field('LeadSource', 'picklist', { label: 'Lead Source', values: LEAD_SOURCES }),
    field('Status', 'picklist', {
      defaultValue: 'Open - Not Contacted',
      values: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'],
    }),
    field('Industry', 'picklist', { values: INDUSTRIES }),
    field('Rating', 'picklist', { values: ['Hot', 'Warm', 'Cold'] }),
    field('AnnualRevenue', 'currency', { precision: 18, scale: 0, label: 'Annual Revenue' }),
    field('NumberOfEmployees', 'int', { precision: 8, label: 'Employees' }),
    field('IsConverted', 'boolean', { defaultValue: false, label: 'Converted' }),
    field('ConvertedDate', 'date', { readOnly: true, label: 'Converted Date' }),
    ref('ConvertedAccountId', 'Account', 'ConvertedAccount', { readOnly: true, label: 'Converted Account ID' }),
    ref('ConvertedContactId', 'Contact', 'ConvertedContact', { readOnly: true, label: 'Converted Contact ID' }),
    ref('ConvertedOpportunityId', 'Opportunity', 'ConvertedOpportunity', {
      readOnly: true,
      label: 'Converted Opportunity ID',
    }),
    field('IsUnreadByOwner', 'boolean', { defaultValue: true, label: 'Unread By Owner' }),
  ]),
  defineObject(
    'Opportunity',
    'Opportunity',
    '006',
    [
      ...systemFields(true),
      ref('AccountId', 'Account', 'Account', { label: 'Account ID', childRelationshipName: 'Opportunities' }),
      field('IsPrivate', 'boolean', { defaultValue: false, label: 'Private' }),
      field('Name', 'string', { length: 120, required: true, idLookup: true, nameField: true }),
      field('Description', 'textarea', { length: 32000 }),
      field('StageName', 'picklist', {
        required: true,
        label: 'Stage',
        values: [
          'Prospecting',
          'Qualification',
          'Needs Analysis',
          'Value Proposition',
          'Id. Decision Makers',
          'Perception Analysis',
          'Proposal/Price Quote',
          'Negotiation/Review',
          'Closed Won',
          'Closed Lost',
        ],
      }),
      field('Amount', 'currency', { precision: 18, scale: 2 }),
      field('Probability', 'percent', { precision: 3, scale: 0, label: 'Probability (%)' }),
      field('ExpectedRevenue', 'currency', { precision: 18, scale: 2, readOnly: true, label: 'Expected Amount' }),
      field('CloseDate', 'date', { required: true, label: 'Close Date' }),
      field('Type', 'picklist', {
        label: 'Opportunity Type',
        values: [
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
          'Existing Customer - Downgrade',
          'New Customer',
        ],
      }),
      field('NextStep', 'string', { length: 255, label: 'Next Step' }),
      field('LeadSource', 'picklist', { label: 'Lead Source', values: LEAD_SOURCES }),
      field('IsClosed', 'boolean', { readOnly: true, label: 'Closed' }),
      field('IsWon', 'boolean', { readOnly: true, label: 'Won' }),
      ref('CampaignId', 'Campaign', 'Campaign', { label: 'Campaign ID' }),
    ],
    'Opportunities',
  ),
  defineObject('Case', 'Case', '500', [
    ...systemFields(true, ['Group', 'User']),
    field('CaseNumber', 'string', {
      length: 30,
      autoNumber: true,
      autoNumberStart: 1001,
      idLookup: true,
      label: 'Case Number',
      nameField: true,
    }),
    ref('ContactId', 'Contact', 'Contact', { label: 'Contact ID', childRelationshipName: 'Cases' }),
    ref('AccountId', 'Account', 'Account', { label: 'Account ID', childRelationshipName: 'Cases' }),
    ref('ParentId', 'Case', 'Parent', { label: 'Parent Case ID', childRelationshipName: 'Cases' }),
    field('SuppliedName', 'string', { length: 80, label: 'Web Name' }),
    field('SuppliedEmail', 'email', { length: 80, label: 'Web Email' }),
    field('SuppliedPhone', 'phone', { length: 40, label: 'Web Phone' }),
    field('SuppliedCompany', 'string', { length: 80, label: 'Web Company' }),
    field('Type', 'picklist', {
      label: 'Case Type',
      values: ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'],
    }),
    field('Status', 'picklist', { defaultValue: 'New', values: ['New', 'Working', 'Escalated', 'Closed'] }),
    field('Reason', 'picklist', {
      label: 'Case Reason',
      values: [
        'Installation',
        'Equipment Complexity',
        'Performance',
        'Breakdown',
        'Equipment Design',
        'Feedback',
        'Other',
      ],
    }),
    field('Origin', 'picklist', { label: 'Case Origin', values: ['Phone', 'Email', 'Web'] }),
    field('Subject', 'string', { length: 255 }),
    field('Priority', 'picklist', { defaultValue: 'Medium', values: ['High', 'Medium', 'Low'] }),
    field('Description', 'textarea', { length: 32000 }),
    field('IsClosed', 'boolean', { readOnly: true, label: 'Closed' }),
    field('ClosedDate', 'datetime', { readOnly: true, label: 'Closed Date' }),
    field('IsEscalated', 'boolean', { defaultValue: false, label: 'Escalated' }),
  ]),
  defineObject('User', 'User', '005', [
    ...systemFields(false),
    field('Username', 'string', { length: 80, required: true, unique: true, idLookup: true }),
    field('LastName', 'string', { length: 80, required: true, label: 'Last Name' }),
    field('FirstName', 'string', { length: 40, label: 'First Name' }),
    field('Name', 'string', { length: 121, readOnly: true, label: 'Full Name', nameField: true }),
    field('Alias', 'string', { length: 8, required: true }),
    field('Email', 'email', { length: 128, required: true }),
    field('CommunityNickname', 'string', { length: 40, label: 'Nickname' }),
    field('TimeZoneSidKey', 'picklist', { length: 40, required: true, label: 'Time Zone' }),
    field('LocaleSidKey', 'picklist', { length: 40, required: true, label: 'Locale' }),
    field('EmailEncodingKey', 'picklist', { length: 40, required: true, label: 'Email Encoding' }),
    field('LanguageLocaleKey', 'picklist', { length: 40, required: true, label: 'Language' }),
    field('ProfileId', 'reference', {
      required: true,
      referenceTo: ['Profile'],
      relationshipName: 'Profile',
      label: 'Profile ID',
    }),
    ref('ManagerId', 'User', 'Manager', { label: 'Manager ID' }),
    field('IsActive', 'boolean', { defaultValue: true, label: 'Active' }),
    field('UserType', 'picklist', { readOnly: true, label: 'User Type' }),
    field('Title', 'string', { length: 80 }),
    field('Department', 'string', { length: 80 }),
    field('CompanyName', 'string', { length: 80, label: 'Company Name' }),
    field('Phone', 'phone', { length: 40 }),
    field('MobilePhone', 'phone', { length: 40, label: 'Mobile' }),
  ]),
];
