// The REST surface clients call around Bulk (REST API Developer Guide, "Versions", "Resources by Version", "Describe
// Global", "sObject Describe", "Limits"), over real HTTP: versions, the resource map, describeGlobal, describe
// (Account and a custom object, field by field against the shapes sObject Describe shows), record reads, limits, and
// the JSON error arrays.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { http } from '../helpers/bulk.js';
import { OrgBulk, rest } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
let bulk: OrgBulk;

const SCHEMA = {
  objects: [
    {
      name: 'Invoice__c',
      label: 'Invoice',
      fields: [
        { name: 'Customer__c', type: 'string', length: 40, required: true, label: 'Customer' },
        { name: 'Code__c', type: 'string', length: 10, externalId: true, unique: true, label: 'Code' },
        { name: 'Notes__c', type: 'textarea', length: 1000, label: 'Notes' },
        {
          name: 'Status__c',
          type: 'picklist',
          values: ['Draft', 'Sent'],
          restricted: true,
          defaultValue: 'Draft',
          label: 'Status',
        },
        { name: 'Tags__c', type: 'multipicklist', values: ['Red', 'Blue'], label: 'Tags' },
        { name: 'Paid__c', type: 'boolean', label: 'Paid' },
        { name: 'Quantity__c', type: 'int', precision: 4, label: 'Quantity' },
        { name: 'Weight__c', type: 'double', precision: 8, scale: 3, label: 'Weight' },
        { name: 'Amount__c', type: 'currency', precision: 10, scale: 2, label: 'Amount' },
        { name: 'Discount__c', type: 'percent', precision: 5, scale: 2, label: 'Discount' },
        { name: 'Due__c', type: 'date', label: 'Due' },
        { name: 'Sent_At__c', type: 'datetime', label: 'Sent At' },
        { name: 'Start__c', type: 'time', label: 'Start' },
        { name: 'Email__c', type: 'email', length: 80, label: 'Email' },
        { name: 'Fax__c', type: 'phone', length: 40, label: 'Fax' },
        { name: 'Portal__c', type: 'url', length: 255, label: 'Portal' },
        { name: 'Account__c', type: 'reference', referenceTo: 'Account', label: 'Account' },
      ],
    },
  ],
};

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localforce-rest-'));
  const schemaFile = join(dir, 'org.json');
  writeFileSync(schemaFile, JSON.stringify(SCHEMA, null, 2));
  server = await startTestServer({ schemaFile });
  bulk = new OrgBulk(server.url, TEST_TOKEN);
});
after(async () => server.close());

const JSON_TYPE = 'application/json;charset=UTF-8';

interface Field {
  name: string;
  [key: string]: unknown;
}
async function describeOf(
  name: string,
  token = TEST_TOKEN,
): Promise<{ fields: Field[]; childRelationships: Record<string, unknown>[]; [key: string]: unknown }> {
  const r = await rest(server.url, token, `/v62.0/sobjects/${name}/describe`);
  assert.equal(r.status, 200, `${name}: ${r.body}`);
  assert.equal(r.headers.get('content-type'), JSON_TYPE);
  return r.json();
}
const fieldOf = (d: { fields: Field[] }, name: string): Field => {
  const f = d.fields.find((x) => x.name === name);
  assert.ok(f, `no field ${name}`);
  return f;
};
const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
/** "Required" in UI terms, read from sObject Describe's field flags: createable && !nillable && !defaultedOnCreate. */
const required = (d: { fields: Field[] }) =>
  d.fields.filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate).map((f) => f.name);

describe('GET /services/data', () => {
  it('lists the versions in ascending order without a session, with their release labels', async () => {
    const r = await http(`${server.url}/services/data`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), JSON_TYPE);
    const list = JSON.parse(r.body) as { label: string; url: string; version: string }[];
    assert.equal(list.length, 36);
    assert.deepEqual(
      list.map((v) => v.version),
      Array.from({ length: 36 }, (_, i) => `${31 + i}.0`),
    );
    for (const v of list) {
      assert.deepEqual(Object.keys(v).sort(), ['label', 'url', 'version']);
      assert.equal(v.url, `/services/data/v${v.version}`);
    }
    const label = (version: string) => list.find((v) => v.version === version)?.label;
    assert.deepEqual(['31.0', '32.0', '33.0', '46.0', '50.0', '62.0', '66.0'].map(label), [
      "Summer '14",
      "Winter '15",
      "Spring '15",
      "Summer '19",
      "Winter '21",
      "Winter '25",
      "Spring '26",
    ]);
    assert.deepEqual(list[0], { label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    assert.deepEqual(list[list.length - 1], { label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
  });

  it('answers retired versions with 410 and unknown ones with 404', async () => {
    const old = await rest(server.url, TEST_TOKEN, '/v30.0/sobjects');
    assert.equal(old.status, 410);
    assert.equal(old.json()[0].errorCode, 'UNSUPPORTED_API_VERSION');
    for (const path of ['/v67.0/sobjects', '/v62/sobjects', '/vX/sobjects']) {
      const r = await rest(server.url, TEST_TOKEN, path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json()[0].errorCode, 'NOT_FOUND', path);
    }
    for (const v of ['46.0', '50.0', '66.0'])
      assert.equal((await rest(server.url, TEST_TOKEN, `/v${v}/sobjects`)).status, 200, v);
  });
});

describe('GET /services/data/vXX.X', () => {
  it('returns the resource map with relative URLs and an absolute identity URL', async () => {
    const r = await rest(server.url, TEST_TOKEN, '/v62.0');
    assert.equal(r.status, 200);
    const map = r.json();
    for (const key of ['sobjects', 'query', 'queryAll', 'limits', 'jobs', 'composite', 'search', 'tooling']) {
      assert.equal(map[key], `/services/data/v62.0/${key}`, key);
    }
    assert.equal(map.identity, `${server.url}/id/${server.org.orgId}/${server.org.userId}`);
  });
});

describe('GET /sobjects (describeGlobal)', () => {
  const GLOBAL_KEYS = [
    'activateable',
    'createable',
    'custom',
    'customSetting',
    'deepCloneable',
    'deletable',
    'deprecatedAndHidden',
    'feedEnabled',
    'hasSubtypes',
    'idEnabled',
    'isInterface',
    'isSubtype',
    'keyPrefix',
    'label',
    'labelPlural',
    'layoutable',
    'mergeable',
    'mruEnabled',
    'name',
    'queryable',
    'replicateable',
    'retrieveable',
    'searchable',
    'triggerable',
    'undeletable',
    'updateable',
    'urls',
  ];

  it('lists every object with the keys of Describe Global (REST API Developer Guide)', async () => {
    const r = await rest(server.url, TEST_TOKEN, '/v62.0/sobjects');
    assert.equal(r.status, 200);
    const doc = r.json();
    assert.equal(doc.encoding, 'UTF-8');
    assert.equal(doc.maxBatchSize, 200);
    const names = doc.sobjects.map((o: { name: string }) => o.name);
    for (const n of ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'User', 'Invoice__c'])
      assert.ok(names.includes(n), n);
    for (const o of doc.sobjects) assert.deepEqual(Object.keys(o).sort(), GLOBAL_KEYS, o.name);
    const account = doc.sobjects.find((o: { name: string }) => o.name === 'Account');
    assert.deepEqual(account, {
      activateable: false,
      createable: true,
      custom: false,
      customSetting: false,
      deepCloneable: false,
      deletable: true,
      deprecatedAndHidden: false,
      feedEnabled: true,
      hasSubtypes: false,
      idEnabled: true,
      isInterface: false,
      isSubtype: false,
      keyPrefix: '001',
      label: 'Account',
      labelPlural: 'Accounts',
      layoutable: true,
      mergeable: true,
      mruEnabled: true,
      name: 'Account',
      queryable: true,
      replicateable: true,
      retrieveable: true,
      searchable: true,
      triggerable: true,
      undeletable: true,
      updateable: true,
      urls: {
        rowTemplate: '/services/data/v62.0/sobjects/Account/{ID}',
        describe: '/services/data/v62.0/sobjects/Account/describe',
        sobject: '/services/data/v62.0/sobjects/Account',
      },
    });
    const keyPrefixes = Object.fromEntries(
      doc.sobjects.map((o: { name: string; keyPrefix: string }) => [o.name, o.keyPrefix]),
    );
    assert.deepEqual(pick(keyPrefixes, ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'User']), {
      Account: '001',
      Contact: '003',
      Lead: '00Q',
      Opportunity: '006',
      Case: '500',
      User: '005',
    });
  });

  it('shows a custom object as custom with an org key prefix', async () => {
    const doc = (await rest(server.url, TEST_TOKEN, '/v62.0/sobjects')).json();
    const invoice = doc.sobjects.find((o: { name: string }) => o.name === 'Invoice__c');
    assert.deepEqual(
      pick(invoice, ['custom', 'keyPrefix', 'label', 'labelPlural', 'name', 'createable', 'queryable', 'idEnabled']),
      {
        custom: true,
        keyPrefix: 'a00',
        label: 'Invoice',
        labelPlural: 'Invoices',
        name: 'Invoice__c',
        createable: true,
        queryable: true,
        idEnabled: true,
      },
    );
    assert.equal(invoice.urls.describe, '/services/data/v62.0/sobjects/Invoice__c/describe');
  });
});

describe('GET /sobjects/{name}/describe', () => {
  const TOP_LEVEL_KEYS = [
    'actionOverrides',
    'activateable',
    'associateEntityType',
    'associateParentEntity',
    'childRelationships',
    'compactLayoutable',
    'createable',
    'custom',
    'customSetting',
    'deepCloneable',
    'defaultImplementation',
    'deletable',
    'deprecatedAndHidden',
    'extendedBy',
    'extendsInterfaces',
    'feedEnabled',
    'fields',
    'hasSubtypes',
    'implementedBy',
    'implementsInterfaces',
    'isInterface',
    'isSubtype',
    'keyPrefix',
    'label',
    'labelPlural',
    'layoutable',
    'listviewable',
    'lookupLayoutable',
    'mergeable',
    'mruEnabled',
    'name',
    'namedLayoutInfos',
    'networkScopeFieldName',
    'queryable',
    'recordTypeInfos',
    'replicateable',
    'retrieveable',
    'searchLayoutable',
    'searchable',
    'sobjectDescribeOption',
    'supportedScopes',
    'triggerable',
    'undeletable',
    'updateable',
    'urls',
  ];
  const URL_KEYS = [
    'sobject',
    'describe',
    'rowTemplate',
    'listviews',
    'layouts',
    'compactLayouts',
    'approvalLayouts',
    'quickActions',
    'uiDetailTemplate',
    'uiEditTemplate',
    'uiNewRecord',
  ];

  /**
   * sObject Describe, real v62 Account.Name, for an org without person accounts (nillable false, no extraTypeInfo or
   * compound name).
   */
  const ACCOUNT_NAME = {
    aggregatable: true,
    aiPredictionField: false,
    autoNumber: false,
    byteLength: 765,
    calculated: false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: true,
    custom: false,
    defaultValue: null,
    defaultValueFormula: null,
    defaultedOnCreate: false,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: false,
    extraTypeInfo: null,
    filterable: true,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: true,
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: false,
    inlineHelpText: null,
    label: 'Account Name',
    length: 255,
    mask: null,
    maskType: null,
    name: 'Name',
    nameField: true,
    namePointing: false,
    nillable: false,
    permissionable: false,
    picklistValues: [],
    polymorphicForeignKey: false,
    precision: 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: [],
    relationshipName: null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: false,
    scale: 0,
    searchPrefilterable: false,
    soapType: 'xsd:string',
    sortable: true,
    type: 'string',
    unique: false,
    updateable: true,
    writeRequiresMasterRead: false,
  };

  it('has the top-level keys of a real v62 describe', async () => {
    const d = await describeOf('Account');
    const missing = TOP_LEVEL_KEYS.filter((k) => !(k in d));
    assert.deepEqual(missing, [], 'top-level keys missing from the describe');
    assert.deepEqual(pick(d, ['name', 'label', 'labelPlural', 'keyPrefix', 'custom', 'createable', 'queryable']), {
      name: 'Account',
      label: 'Account',
      labelPlural: 'Accounts',
      keyPrefix: '001',
      custom: false,
      createable: true,
      queryable: true,
    });
  });

  it('has the urls of a real v62 describe', async () => {
    const d = await describeOf('Account');
    const urls = d.urls as Record<string, string>;
    assert.deepEqual(pick(urls, ['sobject', 'describe', 'rowTemplate']), {
      sobject: '/services/data/v62.0/sobjects/Account',
      describe: '/services/data/v62.0/sobjects/Account/describe',
      rowTemplate: '/services/data/v62.0/sobjects/Account/{ID}',
    });
    assert.deepEqual(
      URL_KEYS.filter((k) => !(k in urls)),
      [],
      'url keys missing from the describe',
    );
  });

  it('describes Account.Name exactly as the real field object, key for key', async () => {
    const d = await describeOf('Account');
    const name = fieldOf(d, 'Name');
    assert.deepEqual(Object.keys(name).sort(), Object.keys(ACCOUNT_NAME).sort());
    assert.deepEqual(name, ACCOUNT_NAME);
    for (const f of d.fields) assert.deepEqual(Object.keys(f).sort(), Object.keys(ACCOUNT_NAME).sort(), f.name);
  });

  it('puts Id first and describes it as the id', async () => {
    const d = await describeOf('Account');
    assert.equal(d.fields[0].name, 'Id');
    assert.deepEqual(
      pick(d.fields[0], [
        'type',
        'soapType',
        'length',
        'byteLength',
        'createable',
        'updateable',
        'nillable',
        'defaultedOnCreate',
        'idLookup',
      ]),
      {
        type: 'id',
        soapType: 'tns:ID',
        length: 18,
        byteLength: 18,
        createable: false,
        updateable: false,
        nillable: false,
        defaultedOnCreate: true,
        idLookup: true,
      },
    );
  });

  it('describes references: Account.ParentId, polymorphic Lead.OwnerId', async () => {
    const account = await describeOf('Account');
    assert.deepEqual(
      pick(fieldOf(account, 'ParentId'), [
        'name',
        'type',
        'length',
        'byteLength',
        'referenceTo',
        'relationshipName',
        'soapType',
        'nillable',
        'createable',
        'updateable',
        'polymorphicForeignKey',
        'cascadeDelete',
      ]),
      {
        name: 'ParentId',
        type: 'reference',
        length: 18,
        byteLength: 18,
        referenceTo: ['Account'],
        relationshipName: 'Parent',
        soapType: 'tns:ID',
        nillable: true,
        createable: true,
        updateable: true,
        polymorphicForeignKey: false,
        cascadeDelete: false,
      },
    );
    const lead = await describeOf('Lead');
    assert.deepEqual(
      pick(fieldOf(lead, 'OwnerId'), [
        'type',
        'referenceTo',
        'relationshipName',
        'polymorphicForeignKey',
        'soapType',
        'defaultedOnCreate',
      ]),
      {
        type: 'reference',
        referenceTo: ['Group', 'User'],
        relationshipName: 'Owner',
        polymorphicForeignKey: true,
        soapType: 'tns:ID',
        defaultedOnCreate: true,
      },
    );
    assert.deepEqual(fieldOf(await describeOf('Case'), 'OwnerId').referenceTo, ['Group', 'User']);
  });

  it("lists Account's child relationships, Contacts with cascadeDelete", async () => {
    const d = await describeOf('Account');
    const contacts = d.childRelationships.find((c) => c.childSObject === 'Contact' && c.field === 'AccountId');
    assert.deepEqual(contacts, {
      cascadeDelete: true,
      childSObject: 'Contact',
      deprecatedAndHidden: false,
      field: 'AccountId',
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: 'Contacts',
      restrictedDelete: false,
    });
    const names = d.childRelationships.map((c) => `${c.childSObject}.${c.field}:${c.relationshipName}`);
    for (const n of [
      'Account.ParentId:ChildAccounts',
      'Opportunity.AccountId:Opportunities',
      'Case.AccountId:Cases',
      'Invoice__c.Account__c:Invoices__r',
    ])
      assert.ok(names.includes(n), n);
  });

  it('describes numbers, picklists and booleans as sObject Describe shows', async () => {
    const account = await describeOf('Account');
    assert.deepEqual(
      pick(fieldOf(account, 'AnnualRevenue'), ['type', 'precision', 'scale', 'soapType', 'digits', 'length']),
      { type: 'currency', precision: 18, scale: 0, soapType: 'xsd:double', digits: 0, length: 0 },
    );
    assert.deepEqual(
      pick(fieldOf(account, 'NumberOfEmployees'), ['type', 'digits', 'precision', 'scale', 'soapType']),
      { type: 'int', digits: 8, precision: 0, scale: 0, soapType: 'xsd:int' },
    );
    const industry = fieldOf(account, 'Industry');
    const [first] = industry.picklistValues as Record<string, unknown>[];
    assert.deepEqual(Object.keys(first), ['active', 'defaultValue', 'label', 'validFor', 'value']);
    assert.deepEqual(first, {
      active: true,
      defaultValue: false,
      label: 'Agriculture',
      validFor: null,
      value: 'Agriculture',
    });
    const status = fieldOf(await describeOf('Lead'), 'Status');
    assert.deepEqual(
      (status.picklistValues as { value: string; defaultValue: boolean }[])
        .filter((p) => p.defaultValue)
        .map((p) => p.value),
      ['Open - Not Contacted'],
    );
    assert.equal(status.defaultedOnCreate, true);
    const optOut = fieldOf(await describeOf('Contact'), 'HasOptedOutOfEmail');
    assert.deepEqual(
      pick(optOut, ['type', 'soapType', 'nillable', 'defaultedOnCreate', 'defaultValue', 'createable']),
      {
        type: 'boolean',
        soapType: 'xsd:boolean',
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: false,
        createable: true,
      },
    );
    assert.equal(fieldOf(await describeOf('Contact'), 'Email').idLookup, true);
  });

  it('marks exactly the required fields of the standard objects (Salesforce Object Reference)', async () => {
    assert.deepEqual(required(await describeOf('Account')), ['Name']);
    assert.deepEqual(required(await describeOf('Contact')), ['LastName']);
    assert.deepEqual(required(await describeOf('Lead')).sort(), ['Company', 'LastName']);
    assert.deepEqual(required(await describeOf('Opportunity')).sort(), ['CloseDate', 'Name', 'StageName']);
    assert.deepEqual(required(await describeOf('Case')), []);
    assert.deepEqual(required(await describeOf('User')).sort(), [
      'Alias',
      'Email',
      'EmailEncodingKey',
      'LanguageLocaleKey',
      'LastName',
      'LocaleSidKey',
      'ProfileId',
      'TimeZoneSidKey',
      'Username',
    ]);
  });

  it('describes a custom object: system fields, then its custom fields, each typed as describe says', async () => {
    const d = await describeOf('Invoice__c');
    assert.deepEqual(pick(d, ['name', 'label', 'labelPlural', 'keyPrefix', 'custom']), {
      name: 'Invoice__c',
      label: 'Invoice',
      labelPlural: 'Invoices',
      keyPrefix: 'a00',
      custom: true,
    });
    const names = d.fields.map((f) => f.name);
    assert.deepEqual(names.slice(0, 1), ['Id']);
    for (const n of [
      'IsDeleted',
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'LastModifiedById',
      'SystemModstamp',
      'OwnerId',
      'Name',
    ])
      assert.ok(names.includes(n), n);
    assert.deepEqual(
      d.fields.filter((f) => f.custom).map((f) => f.name),
      SCHEMA.objects[0].fields.map((f) => f.name),
      'custom fields after the standard ones, in declared order',
    );
    assert.ok(names.indexOf('Customer__c') > names.indexOf('SystemModstamp'));
    const nameField = fieldOf(d, 'Name');
    assert.deepEqual(
      pick(nameField, ['type', 'length', 'byteLength', 'nameField', 'custom', 'createable', 'autoNumber']),
      {
        type: 'string',
        length: 80,
        byteLength: 240,
        nameField: true,
        custom: false,
        createable: true,
        autoNumber: false,
      },
    );

    // name -> [type, soapType, length, byteLength, precision, scale, digits]
    const shapes: Record<string, [string, string, number, number, number, number, number]> = {
      Customer__c: ['string', 'xsd:string', 40, 120, 0, 0, 0],
      Code__c: ['string', 'xsd:string', 10, 30, 0, 0, 0],
      Notes__c: ['textarea', 'xsd:string', 1000, 3000, 0, 0, 0],
      Status__c: ['picklist', 'xsd:string', 255, 765, 0, 0, 0],
      Tags__c: ['multipicklist', 'xsd:string', 255, 765, 0, 0, 0],
      Paid__c: ['boolean', 'xsd:boolean', 0, 0, 0, 0, 0],
      Quantity__c: ['int', 'xsd:int', 0, 0, 0, 0, 4],
      Weight__c: ['double', 'xsd:double', 0, 0, 8, 3, 0],
      Amount__c: ['currency', 'xsd:double', 0, 0, 10, 2, 0],
      Discount__c: ['percent', 'xsd:double', 0, 0, 5, 2, 0],
      Due__c: ['date', 'xsd:date', 0, 0, 0, 0, 0],
      Sent_At__c: ['datetime', 'xsd:dateTime', 0, 0, 0, 0, 0],
      Start__c: ['time', 'xsd:time', 0, 0, 0, 0, 0],
      Email__c: ['email', 'xsd:string', 80, 240, 0, 0, 0],
      Fax__c: ['phone', 'xsd:string', 40, 120, 0, 0, 0],
      Portal__c: ['url', 'xsd:string', 255, 765, 0, 0, 0],
      Account__c: ['reference', 'tns:ID', 18, 18, 0, 0, 0],
    };
    for (const [name, [type, soapType, length, byteLength, precision, scale, digits]] of Object.entries(shapes)) {
      const f = fieldOf(d, name);
      assert.deepEqual(
        pick(f, ['type', 'soapType', 'length', 'byteLength', 'precision', 'scale', 'digits', 'custom']),
        { type, soapType, length, byteLength, precision, scale, digits, custom: true },
        name,
      );
    }
    assert.deepEqual(pick(fieldOf(d, 'Code__c'), ['externalId', 'unique', 'idLookup', 'caseSensitive']), {
      externalId: true,
      unique: true,
      idLookup: true,
      caseSensitive: false,
    });
    assert.deepEqual(
      pick(fieldOf(d, 'Account__c'), ['referenceTo', 'relationshipName', 'polymorphicForeignKey', 'nillable']),
      { referenceTo: ['Account'], relationshipName: 'Account__r', polymorphicForeignKey: false, nillable: true },
    );
    const status = fieldOf(d, 'Status__c');
    assert.equal(status.restrictedPicklist, true);
    assert.deepEqual(status.picklistValues, [
      { active: true, defaultValue: true, label: 'Draft', validFor: null, value: 'Draft' },
      { active: true, defaultValue: false, label: 'Sent', validFor: null, value: 'Sent' },
    ]);
    assert.equal(fieldOf(d, 'Tags__c').restrictedPicklist, false);
    assert.deepEqual(pick(fieldOf(d, 'Paid__c'), ['nillable', 'defaultedOnCreate', 'defaultValue']), {
      nillable: false,
      defaultedOnCreate: true,
      defaultValue: false,
    });
    assert.deepEqual(
      required(d).filter((n) => n.endsWith('__c')),
      ['Customer__c'],
    );
    assert.deepEqual(
      pick(fieldOf(d, 'Customer__c'), ['nillable', 'createable', 'updateable', 'defaultedOnCreate', 'label']),
      { nillable: false, createable: true, updateable: true, defaultedOnCreate: false, label: 'Customer' },
    );
  });

  it('finds objects case-insensitively and answers GET /sobjects/{name} with the basic info', async () => {
    assert.equal((await describeOf('account')).name, 'Account');
    assert.equal((await describeOf('INVOICE__C')).name, 'Invoice__c');
    const basic = await rest(server.url, TEST_TOKEN, '/v62.0/sobjects/Contact');
    assert.equal(basic.status, 200);
    assert.deepEqual(basic.json().recentItems, []);
    assert.equal(basic.json().objectDescribe.name, 'Contact');
    assert.equal(basic.json().objectDescribe.keyPrefix, '003');
  });
});

describe('GET /sobjects/{name}/{id}', () => {
  it("returns the session's User, with Username, as the sf CLI reads it", async () => {
    for (const id of [server.org.userId, server.org.userId.slice(0, 15)]) {
      const r = await rest(server.url, TEST_TOKEN, `/v62.0/sobjects/User/${id}`);
      assert.equal(r.status, 200, id);
      const user = r.json();
      assert.deepEqual(user.attributes, {
        type: 'User',
        url: `/services/data/v62.0/sobjects/User/${server.org.userId}`,
      });
      assert.deepEqual(pick(user, ['Id', 'Username', 'IsActive', 'IsDeleted']), {
        Id: server.org.userId,
        Username: 'admin@localforce.local',
        IsActive: true,
        IsDeleted: false,
      });
      assert.match(user.CreatedDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    }
  });

  it('returns a record with every field, typed', async () => {
    const [id] = await bulk.insertOk(
      'Invoice__c',
      'Customer__c,Quantity__c,Amount__c,Paid__c,Due__c\nAcme,3,10.5,true,2024-05-01\n',
    );
    const r = await rest(server.url, TEST_TOKEN, `/v62.0/sobjects/Invoice__c/${id}`);
    assert.equal(r.status, 200);
    const rec = r.json();
    assert.equal(Object.keys(rec)[0], 'attributes');
    assert.deepEqual(
      pick(rec, ['Id', 'Customer__c', 'Quantity__c', 'Amount__c', 'Paid__c', 'Due__c', 'Notes__c', 'OwnerId']),
      {
        Id: id,
        Customer__c: 'Acme',
        Quantity__c: 3,
        Amount__c: 10.5,
        Paid__c: true,
        Due__c: '2024-05-01',
        Notes__c: null,
        OwnerId: server.org.userId,
      },
    );
  });

  it('answers 404 NOT_FOUND for unknown objects and records', async () => {
    for (const path of [
      '/v62.0/sobjects/Bogus__c/describe',
      '/v62.0/sobjects/Bogus__c',
      `/v62.0/sobjects/Bogus__c/${server.org.userId}`,
      '/v62.0/sobjects/Account/001Lf0000zzzzzzAAA',
      '/v62.0/sobjects/Account/not-an-id',
    ]) {
      const r = await rest(server.url, TEST_TOKEN, path);
      assert.equal(r.status, 404, path);
      assert.equal(r.headers.get('content-type'), JSON_TYPE, path);
      assert.deepEqual(r.json(), [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }], path);
    }
  });
});

describe('GET /limits', () => {
  it('has the counters connectors check, each {Max, Remaining}, in alphabetical order', async () => {
    const r = await rest(server.url, TEST_TOKEN, '/v62.0/limits');
    assert.equal(r.status, 200);
    const limits = r.json();
    const keys = Object.keys(limits);
    assert.deepEqual(keys, [...keys].sort());
    for (const k of [
      'DailyApiRequests',
      'DailyBulkApiBatches',
      'DailyBulkV2QueryJobs',
      'DailyBulkV2QueryFileStorageMB',
    ]) {
      assert.deepEqual(Object.keys(limits[k]), ['Max', 'Remaining'], k);
      assert.ok(Number.isInteger(limits[k].Max) && limits[k].Remaining <= limits[k].Max, k);
    }
    assert.equal(limits.DailyBulkApiBatches.Max, 15000);
    assert.equal(limits.DailyApiRequests.Max, 15000);
  });

  it('takes one DailyBulkApiBatches off per batch added, and counts API requests', async () => {
    const before = (await rest(server.url, TEST_TOKEN, '/v62.0/limits')).json();
    const jobId = await bulk.createJob({ operation: 'insert', object: 'Account' });
    await bulk.addBatch(jobId, 'CSV', 'Name\nCounted\n');
    const after = (await rest(server.url, TEST_TOKEN, '/v62.0/limits')).json();
    assert.equal(after.DailyBulkApiBatches.Remaining, before.DailyBulkApiBatches.Remaining - 1);
    assert.ok(
      after.DailyApiRequests.Remaining < before.DailyApiRequests.Remaining,
      `${after.DailyApiRequests.Remaining} < ${before.DailyApiRequests.Remaining}`,
    );
    await bulk.addBatch(jobId, 'CSV', 'Name\nCounted Again\n');
    assert.equal(
      (await rest(server.url, TEST_TOKEN, '/v62.0/limits')).json().DailyBulkApiBatches.Remaining,
      before.DailyBulkApiBatches.Remaining - 2,
    );
  });
});

describe('sessions', () => {
  it('answers a bad or missing token with 401 INVALID_SESSION_ID on every authenticated resource', async () => {
    for (const path of [
      '/v62.0',
      '/v62.0/sobjects',
      '/v62.0/sobjects/Account/describe',
      `/v62.0/sobjects/User/${server.org.userId}`,
      '/v62.0/limits',
    ]) {
      for (const token of ['00DLf0000000001!AQnotARealToken', undefined]) {
        const r = await rest(server.url, token, path);
        assert.equal(r.status, 401, `${path} ${token}`);
        assert.equal(r.headers.get('content-type'), JSON_TYPE);
        assert.equal(r.body, '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]');
      }
    }
  });

  it('accepts "Authorization: OAuth <token>" as well as Bearer', async () => {
    const r = await http(`${server.url}/services/data/v62.0/sobjects`, {
      headers: { Authorization: `OAuth ${TEST_TOKEN}` },
    });
    assert.equal(r.status, 200);
  });
});
