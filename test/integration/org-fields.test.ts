// Field types of the emulated org, over real HTTP into the real database: a custom object declared through the
// control plane with one field of each type; every accepted value is checked as the typed value stored in its column,
// every rejected value by its Salesforce status code, message and field list (Bulk API Developer Guide, "Prepare CSV
// Files", "Handle Failed Records in Batches"; issue 3).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminHeaders, freshDataLocation, startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { OrgBulk, csvOf, postSchema, rest, sObjectsXml, type Result } from '../helpers/org.js';
import { dbCount, dbGet, storedRow } from '../helpers/db.js';
import type { RunningServer } from '../../src/server/server.js';

/** Salesforce's INVALID_FIELD_FOR_INSERT_UPDATE message for read-only fields (docs/compatibility.md). */
const readOnly = (fields: string) =>
  `Unable to create/update fields: ${fields}. Please check the security settings of this field and verify that it ` +
  'is read/write for your profile or permission set.';

let server: RunningServer;
let bulk: OrgBulk;
let accountId: string; // an existing Account, for the lookup field
let contactId: string;

const INVOICE = {
  name: 'Invoice__c',
  label: 'Invoice',
  fields: [
    { name: 'Customer__c', type: 'string', length: 40, required: true, label: 'Customer' },
    { name: 'Code__c', type: 'string', length: 10, externalId: true, unique: true, label: 'Code' },
    { name: 'Serial__c', type: 'string', length: 20, unique: true, caseSensitive: true, label: 'Serial' },
    { name: 'Notes__c', type: 'textarea', length: 20, label: 'Notes' },
    {
      name: 'Status__c',
      type: 'picklist',
      values: ['Draft', 'Sent', 'Paid'],
      restricted: true,
      defaultValue: 'Draft',
      label: 'Status',
    },
    { name: 'Category__c', type: 'picklist', values: ['Hardware', 'Software'], label: 'Category' },
    { name: 'Tags__c', type: 'multipicklist', values: ['Red', 'Green', 'Blue'], restricted: true, label: 'Tags' },
    { name: 'Paid__c', type: 'boolean', label: 'Paid' },
    { name: 'Urgent__c', type: 'boolean', defaultValue: true, label: 'Urgent' },
    { name: 'Quantity__c', type: 'int', precision: 4, label: 'Quantity' },
    { name: 'Priority__c', type: 'int', defaultValue: 3, label: 'Priority' },
    { name: 'Weight__c', type: 'double', precision: 8, scale: 3, label: 'Weight' },
    { name: 'Rate__c', type: 'double', precision: 5, scale: 2, defaultValue: 1.5, label: 'Rate' },
    { name: 'Amount__c', type: 'currency', precision: 10, scale: 2, label: 'Amount' },
    { name: 'Discount__c', type: 'percent', precision: 5, scale: 2, label: 'Discount' },
    { name: 'Due__c', type: 'date', label: 'Due' },
    { name: 'Sent_At__c', type: 'datetime' }, // default label: "Sent At"
    { name: 'Start__c', type: 'time', label: 'Start' },
    { name: 'Billing_Email__c', type: 'email' }, // default label: "Billing Email"
    { name: 'Fax__c', type: 'phone', length: 20, label: 'Fax' },
    { name: 'Portal__c', type: 'url', length: 30, label: 'Portal' },
    { name: 'Account__c', type: 'reference', referenceTo: 'Account', label: 'Account' },
  ],
};

/** A custom object whose Name is an auto-number. */
const TICKET = {
  name: 'Ticket__c',
  label: 'Ticket',
  nameField: 'autonumber',
  nameFormat: 'T-{000}',
  fields: [{ name: 'Topic__c', type: 'string', length: 50 }],
};

before(async () => {
  server = await startTestServer();
  bulk = new OrgBulk(server.url, TEST_TOKEN);
  const applied = await postSchema(server.url, { objects: [INVOICE, TICKET] });
  const invoice = applied.objects.find((o) => o.name === 'Invoice__c');
  assert.deepEqual(
    { keyPrefix: invoice?.keyPrefix, custom: invoice?.custom, table: invoice?.table },
    { keyPrefix: 'a00', custom: true, table: 'Invoice__c' },
  );
  [accountId] = await bulk.insertOk('Account', 'Name\nLookup Target\n');
  [contactId] = await bulk.insertOk('Contact', 'LastName\nNot An Account\n');
});
after(async () => server.close());

/** Inserts one Invoice__c per case: `Customer__c` (required) plus the field under test. */
async function insertCases(
  cases: { field: string; value: string }[],
  customerFor = (i: number) => `Case ${i}`,
): Promise<Result[]> {
  const fields = [...new Set(cases.map((c) => c.field))].filter((f) => f !== 'Customer__c');
  const header = ['Customer__c', ...fields];
  const rows = cases.map((c, i) =>
    header.map((h) =>
      h === 'Customer__c' ? (c.field === 'Customer__c' ? c.value : customerFor(i)) : h === c.field ? c.value : '',
    ),
  );
  const run = await bulk.run({ operation: 'insert', object: 'Invoice__c' }, csvOf(header, rows));
  assert.equal(run.state, 'Completed', run.stateMessage);
  assert.equal(run.results.length, cases.length);
  return run.results;
}

describe('accepted values are stored typed', () => {
  // [field, CSV value, stored value, storage class (SQLite's typeof(); on PostgreSQL, that of the column's type)]
  const accepted: [string, string, string | number, 'text' | 'integer' | 'real'][] = [
    ['Customer__c', 'x'.repeat(40), 'x'.repeat(40), 'text'],
    ['Code__c', 'ABC-000001', 'ABC-000001', 'text'],
    ['Notes__c', 'line one\nline two', 'line one\nline two', 'text'],
    ['Status__c', 'Sent', 'Sent', 'text'],
    ['Category__c', 'Services', 'Services', 'text'], // not restricted: any value
    ['Category__c', 'Hardware', 'Hardware', 'text'],
    ['Tags__c', 'Blue;Red', 'Blue;Red', 'text'],
    ['Tags__c', 'Red;Red;Green', 'Red;Green', 'text'],
    ['Paid__c', 'true', 1, 'integer'],
    ['Paid__c', 'FALSE', 0, 'integer'],
    ['Paid__c', '1', 1, 'integer'],
    ['Paid__c', '0', 0, 'integer'],
    ['Quantity__c', '42', 42, 'integer'],
    ['Quantity__c', '-9999', -9999, 'integer'],
    ['Quantity__c', '+7', 7, 'integer'],
    ['Weight__c', '1.23456', 1.235, 'real'],
    ['Weight__c', '1e3', 1000, 'real'],
    ['Weight__c', '.5', 0.5, 'real'],
    ['Weight__c', '99999.999', 99999.999, 'real'],
    ['Amount__c', '1234.567', 1234.57, 'real'],
    ['Amount__c', '-0.5', -0.5, 'real'],
    ['Amount__c', '99999999.99', 99999999.99, 'real'],
    ['Discount__c', '12.346', 12.35, 'real'],
    ['Discount__c', '999.99', 999.99, 'real'],
    ['Due__c', '2024-02-29', '2024-02-29', 'text'],
    ['Due__c', '1940-06-07Z', '1940-06-07', 'text'],
    ['Sent_At__c', '2024-01-15T10:30:00.000+02:00', '2024-01-15T08:30:00.000Z', 'text'],
    ['Sent_At__c', '2024-01-15T10:30:00Z', '2024-01-15T10:30:00.000Z', 'text'],
    // Milliseconds are dropped: datetimes are kept to the second (docs/compatibility.md).
    ['Sent_At__c', '2024-01-15T10:30:00.123-0500', '2024-01-15T15:30:00.000Z', 'text'],
    ['Start__c', '09:30:00.000Z', '09:30:00.000Z', 'text'],
    ['Start__c', '23:59', '23:59:00.000Z', 'text'],
    ['Start__c', '07:05:09.5Z', '07:05:09.500Z', 'text'],
    ['Billing_Email__c', 'ap@example.com', 'ap@example.com', 'text'],
    ['Fax__c', '+1 (555) 010-0000', '+1 (555) 010-0000', 'text'],
    ['Portal__c', 'https://example.com/pay', 'https://example.com/pay', 'text'],
  ];

  it('stores each type in its column with the right storage class', async () => {
    const results = await insertCases(accepted.map(([field, value]) => ({ field, value })));
    for (const [i, [field, value, stored, storage]] of accepted.entries()) {
      const r = results[i];
      assert.ok(r.success, `${field}=${JSON.stringify(value)}: ${JSON.stringify(r.errors)}`);
      assert.equal(r.created, true);
      assert.match(r.id, /^a00[0-9A-Za-z]{15}$/);
      const row = await storedRow(server, 'Invoice__c', r.id, [field]);
      assert.deepEqual(row, { [field]: stored, [`typeof_${field}`]: storage }, `${field}=${JSON.stringify(value)}`);
    }
  });

  it('stores a lookup given as a 15-character id as the 18-character id', async () => {
    const [r] = await insertCases([{ field: 'Account__c', value: accountId.slice(0, 15) }]);
    assert.ok(r.success, JSON.stringify(r.errors));
    assert.deepEqual(await storedRow(server, 'Invoice__c', r.id, ['Account__c']), {
      Account__c: accountId,
      typeof_Account__c: 'text',
    });
  });

  it('reads field names case-insensitively and stores them under their declared names', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'invoice__c' },
      'customer__c,QUANTITY__C,paid__C\nLower,5,true\n',
    );
    assert.ok(run.results[0].success, JSON.stringify(run.results[0].errors));
    assert.deepEqual(
      await storedRow(server, 'Invoice__c', run.results[0].id, ['Customer__c', 'Quantity__c', 'Paid__c']),
      {
        Customer__c: 'Lower',
        typeof_Customer__c: 'text',
        Quantity__c: 5,
        typeof_Quantity__c: 'integer',
        Paid__c: 1,
        typeof_Paid__c: 'integer',
      },
    );
  });

  it('takes typed JSON values (numbers, booleans, null)', async () => {
    const body = JSON.stringify([
      {
        Customer__c: 'Json',
        Quantity__c: 7,
        Paid__c: true,
        Amount__c: 12.346,
        Weight__c: '2.5',
        Due__c: '2024-03-01',
        Notes__c: null,
      },
    ]);
    const run = await bulk.run({ operation: 'insert', object: 'Invoice__c', contentType: 'JSON' }, body);
    assert.equal(run.state, 'Completed', run.stateMessage);
    const [r] = run.results;
    assert.ok(r.success, JSON.stringify(r.errors));
    assert.deepEqual(
      await storedRow(server, 'Invoice__c', r.id, [
        'Quantity__c',
        'Paid__c',
        'Amount__c',
        'Weight__c',
        'Due__c',
        'Notes__c',
      ]),
      {
        Quantity__c: 7,
        typeof_Quantity__c: 'integer',
        Paid__c: 1,
        typeof_Paid__c: 'integer',
        Amount__c: 12.35,
        typeof_Amount__c: 'real',
        Weight__c: 2.5,
        typeof_Weight__c: 'real',
        Due__c: '2024-03-01',
        typeof_Due__c: 'text',
        Notes__c: null,
        typeof_Notes__c: 'null',
      },
    );
  });

  it('takes XML values, xsi:nil as null', async () => {
    const body = sObjectsXml([
      '<Customer__c>Xml</Customer__c><Paid__c>false</Paid__c><Discount__c>5.5</Discount__c><Start__c>12:00:00.000Z</Start__c><Fax__c xsi:nil="true"/>',
    ]);
    const run = await bulk.run({ operation: 'insert', object: 'Invoice__c', contentType: 'XML' }, body);
    assert.equal(run.state, 'Completed', run.stateMessage);
    const [r] = run.results;
    assert.ok(r.success, JSON.stringify(r.errors));
    assert.deepEqual(await storedRow(server, 'Invoice__c', r.id, ['Paid__c', 'Discount__c', 'Start__c', 'Fax__c']), {
      Paid__c: 0,
      typeof_Paid__c: 'integer',
      Discount__c: 5.5,
      typeof_Discount__c: 'real',
      Start__c: '12:00:00.000Z',
      typeof_Start__c: 'text',
      Fax__c: null,
      typeof_Fax__c: 'null',
    });
  });

  it('applies Sforce-Line-Ending to textarea values', async () => {
    const toCrlf = await bulk.run(
      { operation: 'insert', object: 'Invoice__c' },
      'Customer__c,Notes__c\nCRLF,"a\nb"\n',
      { 'Sforce-Line-Ending': 'CRLF' },
    );
    const toLf = await bulk.run({ operation: 'insert', object: 'Invoice__c' }, 'Customer__c,Notes__c\nLF,"a\r\nb"\n', {
      'Sforce-Line-Ending': 'LF',
    });
    assert.ok(toCrlf.results[0].success && toLf.results[0].success);
    assert.equal((await storedRow(server, 'Invoice__c', toCrlf.results[0].id, ['Notes__c']))?.Notes__c, 'a\r\nb');
    assert.equal((await storedRow(server, 'Invoice__c', toLf.results[0].id, ['Notes__c']))?.Notes__c, 'a\nb');
  });
});

describe('rejected values get Salesforce status codes and messages', () => {
  const contactPrefixed = () => contactId;
  // [field, CSV value, statusCode, message]; the field list is always [field].
  const rejected: [string, string | (() => string), string, string | ((v: string) => string)][] = [
    [
      'Customer__c',
      'y'.repeat(41),
      'STRING_TOO_LONG',
      `Customer: data value too large: ${'y'.repeat(41)} (max length=40)`,
    ],
    ['Code__c', 'ABCDEFGHIJK', 'STRING_TOO_LONG', 'Code: data value too large: ABCDEFGHIJK (max length=10)'],
    ['Notes__c', 'n'.repeat(21), 'STRING_TOO_LONG', `Notes: data value too large: ${'n'.repeat(21)} (max length=20)`],
    [
      'Status__c',
      'Void',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Status: bad value for restricted picklist field: Void',
    ],
    [
      'Tags__c',
      'Red;Pink',
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Tags: bad value for restricted picklist field: Pink',
    ],
    ['Paid__c', 'yes', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Paid: value not of required type: yes'],
    ['Quantity__c', '12.5', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Quantity: value not of required type: 12.5'],
    ['Quantity__c', 'ten', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Quantity: value not of required type: ten'],
    [
      'Quantity__c',
      '10000',
      'NUMBER_OUTSIDE_VALID_RANGE',
      'Quantity: value outside of valid range on numeric field: 10000',
    ],
    ['Weight__c', 'heavy', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Weight: value not of required type: heavy'],
    [
      'Weight__c',
      '100000',
      'NUMBER_OUTSIDE_VALID_RANGE',
      'Weight: value outside of valid range on numeric field: 100000',
    ],
    ['Amount__c', '$5', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Amount: value not of required type: $5'],
    [
      'Amount__c',
      '100000000',
      'NUMBER_OUTSIDE_VALID_RANGE',
      'Amount: value outside of valid range on numeric field: 100000000',
    ],
    [
      'Discount__c',
      '1000',
      'NUMBER_OUTSIDE_VALID_RANGE',
      'Discount: value outside of valid range on numeric field: 1000',
    ],
    [
      'Discount__c',
      '999.999',
      'NUMBER_OUTSIDE_VALID_RANGE',
      'Discount: value outside of valid range on numeric field: 999.999',
    ],
    ['Discount__c', '5%', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Discount: value not of required type: 5%'],
    ['Due__c', '2023-02-29', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Due: value not of required type: 2023-02-29'],
    ['Due__c', '15/01/2024', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Due: value not of required type: 15/01/2024'],
    ['Sent_At__c', 'tomorrow', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Sent At: value not of required type: tomorrow'],
    [
      'Sent_At__c',
      '2024-01-15T24:00:00Z',
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      'Sent At: value not of required type: 2024-01-15T24:00:00Z',
    ],
    ['Start__c', '9:30', 'INVALID_TYPE_ON_FIELD_IN_RECORD', 'Start: value not of required type: 9:30'],
    [
      'Start__c',
      '24:00:00.000Z',
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      'Start: value not of required type: 24:00:00.000Z',
    ],
    ['Billing_Email__c', 'not-an-email', 'INVALID_EMAIL_ADDRESS', 'Billing Email: invalid email address: not-an-email'],
    [
      'Billing_Email__c',
      'a b@example.com',
      'INVALID_EMAIL_ADDRESS',
      'Billing Email: invalid email address: a b@example.com',
    ],
    ['Fax__c', '1'.repeat(21), 'STRING_TOO_LONG', `Fax: data value too large: ${'1'.repeat(21)} (max length=20)`],
    [
      'Portal__c',
      `https://example.com/${'p'.repeat(11)}`,
      'STRING_TOO_LONG',
      `Portal: data value too large: https://example.com/${'p'.repeat(11)} (max length=30)`,
    ],
    ['Account__c', contactPrefixed, 'MALFORMED_ID', (v) => `Account: id value of incorrect type: ${v}`],
    ['Account__c', 'not-an-id', 'MALFORMED_ID', 'Account: id value of incorrect type: not-an-id'],
    ['Account__c', '001Lf0000zzzzzzAAA', 'MALFORMED_ID', 'Account: id value of incorrect type: 001Lf0000zzzzzzAAA'], // checksum disagrees
    ['Account__c', '001Lf0000zzzzzz', 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id'], // well-formed, no such Account
  ];

  it('fails each bad value alone, with the exact status code, message and field', async () => {
    const cases = rejected.map(([field, value]) => ({ field, value: typeof value === 'function' ? value() : value }));
    const results = await insertCases(cases, (i) => `Rejected ${i}`);
    for (const [i, [field, , statusCode, message]] of rejected.entries()) {
      const value = cases[i].value;
      const r = results[i];
      assert.equal(r.success, false, `${field}=${value} was accepted`);
      assert.equal(r.id, '');
      assert.deepEqual(
        r.errors,
        [{ statusCode, message: typeof message === 'function' ? message(value) : message, fields: [field] }],
        `${field}=${value}`,
      );
    }
    const count = await dbCount(
      server,
      `SELECT count(*) AS n FROM "Invoice__c" WHERE "Customer__c" IN (${cases.map(() => '?').join(',')})`,
      cases.map((_, i) => `Rejected ${i}`),
    );
    assert.equal(count, 0, 'no rejected row is stored');
  });

  it('reports every bad field of a row in XML and JSON results', async () => {
    const json = await bulk.run(
      { operation: 'insert', object: 'Invoice__c', contentType: 'JSON' },
      JSON.stringify([{ Customer__c: 'Two Bad', Quantity__c: 7.5, Status__c: 'Void' }]),
    );
    assert.deepEqual(json.results, [
      {
        id: '',
        success: false,
        created: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
            message: 'Quantity: value not of required type: 7.5',
            fields: ['Quantity__c'],
          },
          {
            statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            message: 'Status: bad value for restricted picklist field: Void',
            fields: ['Status__c'],
          },
        ],
      },
    ]);
    const xml = await bulk.run(
      { operation: 'insert', object: 'Invoice__c', contentType: 'XML' },
      sObjectsXml(['<Customer__c>X</Customer__c><Paid__c>maybe</Paid__c><Billing_Email__c>nope</Billing_Email__c>']),
    );
    assert.deepEqual(xml.results[0].errors, [
      {
        statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
        message: 'Paid: value not of required type: maybe',
        fields: ['Paid__c'],
      },
      {
        statusCode: 'INVALID_EMAIL_ADDRESS',
        message: 'Billing Email: invalid email address: nope',
        fields: ['Billing_Email__c'],
      },
    ]);
  });

  it('writes the first error in the CSV result cell as CODE:message:fields --', async () => {
    const run = await bulk.run({ operation: 'insert', object: 'Invoice__c' }, 'Customer__c,Quantity__c\nCsv,abc\n');
    assert.equal(
      run.body,
      '"Id","Success","Created","Error"\n"","false","false","INVALID_TYPE_ON_FIELD_IN_RECORD:Quantity: value not of required type: abc:Quantity__c --"\n',
    );
  });
});

describe('required fields', () => {
  it('fails an insert without the required field with REQUIRED_FIELD_MISSING', async () => {
    const run = await bulk.run({ operation: 'insert', object: 'Invoice__c' }, 'Code__c,Quantity__c\nREQ-1,1\n');
    assert.equal(
      run.results[0].raw,
      'REQUIRED_FIELD_MISSING:Required fields are missing: [Customer__c]:Customer__c --',
    );
  });

  it('fails an update that sets it to null (#N/A) and leaves it alone when the cell is empty', async () => {
    const [id] = await bulk.insertOk('Invoice__c', 'Customer__c,Quantity__c\nKeep Me,1\n');
    const upd = await bulk.run(
      { operation: 'update', object: 'Invoice__c' },
      `Id,Customer__c,Quantity__c\n${id},#N/A,2\n`,
    );
    assert.deepEqual(upd.results[0].errors, [
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Customer__c]',
        fields: ['Customer__c'],
      },
    ]);
    const ok = await bulk.run({ operation: 'update', object: 'Invoice__c' }, `Id,Customer__c,Quantity__c\n${id},,3\n`);
    assert.ok(ok.results[0].success, JSON.stringify(ok.results[0].errors));
    assert.deepEqual(await storedRow(server, 'Invoice__c', id, ['Customer__c', 'Quantity__c']), {
      Customer__c: 'Keep Me',
      typeof_Customer__c: 'text',
      Quantity__c: 3,
      typeof_Quantity__c: 'integer',
    });
  });

  it('fills a required field that has a default when it is left out, and refuses it set to null', async () => {
    await postSchema(server.url, {
      objects: [
        {
          name: 'Term__c',
          label: 'Term',
          fields: [{ name: 'Days__c', type: 'int', required: true, defaultValue: 30, label: 'Days' }],
        },
      ],
    });
    const run = await bulk.run(
      { operation: 'insert', object: 'Term__c' },
      'Name,Days__c\nDefaulted,\nGiven,45\nNulled,#N/A\n',
    );
    assert.deepEqual(
      run.results.map((r) => r.success),
      [true, true, false],
    );
    assert.deepEqual(run.results[2].errors, [
      { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Days__c]', fields: ['Days__c'] },
    ]);
    assert.deepEqual(await storedRow(server, 'Term__c', run.results[0].id!, ['Days__c']), {
      Days__c: 30,
      typeof_Days__c: 'integer',
    });
    assert.deepEqual(await storedRow(server, 'Term__c', run.results[1].id!, ['Days__c']), {
      Days__c: 45,
      typeof_Days__c: 'integer',
    });
  });

  it('inserts and updates an Opportunity given its required fields, typed', async () => {
    const [id] = await bulk.insertOk(
      'Opportunity',
      `Name,StageName,CloseDate,Amount,Probability,AccountId\nBig Deal,Prospecting,2026-12-31,125000.456,10,${accountId}\n`,
    );
    assert.match(id, /^006\w{15}$/);
    const cols = ['Name', 'StageName', 'CloseDate', 'Amount', 'Probability', 'AccountId'];
    assert.deepEqual(await storedRow(server, 'Opportunity', id, cols), {
      Name: 'Big Deal',
      typeof_Name: 'text',
      StageName: 'Prospecting',
      typeof_StageName: 'text',
      CloseDate: '2026-12-31',
      typeof_CloseDate: 'text',
      Amount: 125000.46,
      typeof_Amount: 'real',
      Probability: 10,
      typeof_Probability: 'real',
      AccountId: accountId,
      typeof_AccountId: 'text',
    });
    const upd = await bulk.run(
      { operation: 'update', object: 'Opportunity' },
      `Id,StageName,Probability\n${id},Closed Won,100\n`,
    );
    assert.ok(upd.results[0].success, JSON.stringify(upd.results[0].errors));
    assert.deepEqual(await storedRow(server, 'Opportunity', id, ['StageName', 'Probability']), {
      StageName: 'Closed Won',
      typeof_StageName: 'text',
      Probability: 100,
      typeof_Probability: 'real',
    });
  });

  it('stores a default in its field\'s form: a text "false" checkbox, a number rounded to its scale, a datetime in UTC', async () => {
    await postSchema(server.url, {
      objects: [
        {
          name: 'Preset__c',
          label: 'Preset',
          fields: [
            { name: 'Flag__c', type: 'boolean', defaultValue: 'false' },
            { name: 'Rate__c', type: 'double', precision: 6, scale: 2, defaultValue: '1.239' },
            { name: 'At__c', type: 'datetime', defaultValue: '2026-01-02T03:04:05+02:00' },
          ],
        },
      ],
    });
    const [id] = await bulk.insertOk('Preset__c', 'Name\nDefaults Only\n');
    assert.deepEqual(await storedRow(server, 'Preset__c', id, ['Flag__c', 'Rate__c', 'At__c']), {
      Flag__c: 0,
      typeof_Flag__c: 'integer',
      Rate__c: 1.24,
      typeof_Rate__c: 'real',
      At__c: '2026-01-02T01:04:05.000Z',
      typeof_At__c: 'text',
    });
  });

  it('lists every missing required field of a standard object', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Opportunity' },
      'Description\nno name, stage or close date\n',
    );
    assert.deepEqual(run.results[0].errors, [
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Name, StageName, CloseDate]',
        fields: ['Name', 'StageName', 'CloseDate'],
      },
    ]);
  });
});

describe('defaults', () => {
  it('fills declared defaults when the field is not given, and keeps given values', async () => {
    const [plain, given] = await bulk.insertOk(
      'Invoice__c',
      'Customer__c,Status__c,Urgent__c,Priority__c,Rate__c\nDefaults,,,,\nGiven,Paid,false,1,2.25\n',
    );
    const cols = ['Status__c', 'Urgent__c', 'Priority__c', 'Rate__c'];
    assert.deepEqual(await storedRow(server, 'Invoice__c', plain, cols), {
      Status__c: 'Draft',
      typeof_Status__c: 'text',
      Urgent__c: 1,
      typeof_Urgent__c: 'integer',
      Priority__c: 3,
      typeof_Priority__c: 'integer',
      Rate__c: 1.5,
      typeof_Rate__c: 'real',
    });
    assert.deepEqual(await storedRow(server, 'Invoice__c', given, cols), {
      Status__c: 'Paid',
      typeof_Status__c: 'text',
      Urgent__c: 0,
      typeof_Urgent__c: 'integer',
      Priority__c: 1,
      typeof_Priority__c: 'integer',
      Rate__c: 2.25,
      typeof_Rate__c: 'real',
    });
  });

  it('defaults a checkbox without a declared default to false, as Salesforce (checkboxes are never null)', async () => {
    const [id] = await bulk.insertOk('Invoice__c', 'Customer__c\nNo Checkbox Given\n');
    assert.deepEqual(await storedRow(server, 'Invoice__c', id, ['Paid__c']), { Paid__c: 0, typeof_Paid__c: 'integer' });
    const record = await rest(server.url, TEST_TOKEN, `/v62.0/sobjects/Invoice__c/${id}`);
    assert.equal(record.status, 200);
    assert.equal(record.json().Paid__c, false);
  });

  it('sets the system fields of a new record', async () => {
    const [id] = await bulk.insertOk('Invoice__c', 'Customer__c\nSystem Fields\n');
    const row = (await dbGet(
      server,
      'SELECT "IsDeleted", "OwnerId", "CreatedById", "LastModifiedById", "CreatedDate", "SystemModstamp" FROM "Invoice__c" WHERE "Id" = ?',
      [id],
    ))!;
    assert.equal(row.IsDeleted, 0);
    assert.equal(row.OwnerId, server.org.userId);
    assert.equal(row.CreatedById, server.org.userId);
    assert.equal(row.LastModifiedById, server.org.userId);
    assert.match(String(row.CreatedDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(row.SystemModstamp, row.CreatedDate);
  });
});

describe('read-only fields', () => {
  it('refuses read-only fields on insert with INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const cases: [field: string, value: string][] = [
      ['CreatedDate', '2020-01-01T00:00:00Z'],
      ['IsDeleted', 'true'],
      ['SystemModstamp', '2020-01-01T00:00:00Z'],
      ['LastModifiedById', server.org.userId],
    ];
    for (const [field, value] of cases) {
      const run = await bulk.run({ operation: 'insert', object: 'Invoice__c' }, `Customer__c,${field}\nRO,${value}\n`);
      assert.deepEqual(
        run.results[0].errors,
        [
          {
            statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
            message: readOnly(field),
            fields: [field],
          },
        ],
        field,
      );
    }
  });

  it('refuses an Id on insert, and read-only fields on update', async () => {
    const ins = await bulk.run({ operation: 'insert', object: 'Invoice__c' }, `Id,Customer__c\n${accountId},With Id\n`);
    assert.equal(ins.results[0].success, false);
    assert.equal(ins.results[0].errors[0].statusCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
    assert.equal(ins.results[0].errors[0].message, 'cannot specify Id in an insert call');
    const [id] = await bulk.insertOk('Invoice__c', 'Customer__c\nRead Only Update\n');
    const upd = await bulk.run(
      { operation: 'update', object: 'Invoice__c' },
      `Id,CreatedDate\n${id},2020-01-01T00:00:00Z\n`,
    );
    assert.deepEqual(upd.results[0].errors, [
      {
        statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: readOnly('CreatedDate'),
        fields: ['CreatedDate'],
      },
    ]);
  });

  it("refuses a standard object's read-only field (Contact.Name is derived)", async () => {
    const run = await bulk.run({ operation: 'insert', object: 'Contact' }, 'LastName,Name\nSmith,John Smith\n');
    assert.deepEqual(run.results[0].errors, [
      {
        statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: readOnly('Name'),
        fields: ['Name'],
      },
    ]);
  });
});

describe('external id and unique fields', () => {
  it('refuses a value another record holds with DUPLICATE_VALUE naming that record, case-insensitively', async () => {
    const [first] = await bulk.insertOk('Invoice__c', 'Customer__c,Code__c\nUnique One,UQ-1\n');
    const run = await bulk.run(
      { operation: 'insert', object: 'Invoice__c' },
      'Customer__c,Code__c\nClash,uq-1\nFree,UQ-2\n',
    );
    assert.deepEqual(run.results[0].errors, [
      {
        statusCode: 'DUPLICATE_VALUE',
        message: `duplicate value found: Code__c duplicates value on record with id: ${first}`,
        fields: ['Code__c'],
      },
    ]);
    assert.equal(
      run.results[0].raw,
      `DUPLICATE_VALUE:duplicate value found: Code__c duplicates value on record with id: ${first}:Code__c --`,
    );
    assert.ok(run.results[1].success);
  });

  it('refuses the second of two equal values in one batch, naming the first', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Invoice__c' },
      'Customer__c,Code__c\nTwin A,TW-1\nTwin B,tw-1\n',
    );
    assert.ok(run.results[0].success, JSON.stringify(run.results[0].errors));
    assert.deepEqual(run.results[1].errors, [
      {
        statusCode: 'DUPLICATE_VALUE',
        message: `duplicate value found: Code__c duplicates value on record with id: ${run.results[0].id}`,
        fields: ['Code__c'],
      },
    ]);
  });

  it('lets a record keep its own unique value on update, and refuses taking another one', async () => {
    const [a, b] = await bulk.insertOk('Invoice__c', 'Customer__c,Code__c\nOwn A,OWN-A\nOwn B,OWN-B\n');
    const run = await bulk.run({ operation: 'update', object: 'Invoice__c' }, `Id,Code__c\n${a},OWN-A\n${b},own-a\n`);
    assert.ok(run.results[0].success, JSON.stringify(run.results[0].errors));
    assert.deepEqual(run.results[1].errors, [
      {
        statusCode: 'DUPLICATE_VALUE',
        message: `duplicate value found: Code__c duplicates value on record with id: ${a}`,
        fields: ['Code__c'],
      },
    ]);
  });

  it('compares a case-sensitive unique field exactly: same case clashes, other case does not', async () => {
    const [first] = await bulk.insertOk('Invoice__c', 'Customer__c,Serial__c\nSerial One,AB-1\n');
    const again = await bulk.run(
      { operation: 'insert', object: 'Invoice__c' },
      'Customer__c,Serial__c\nSerial Clash,AB-1\nSerial Other Case,ab-1\n',
    );
    assert.deepEqual(
      again.results[0].errors,
      [
        {
          statusCode: 'DUPLICATE_VALUE',
          message: `duplicate value found: Serial__c duplicates value on record with id: ${first}`,
          fields: ['Serial__c'],
        },
      ],
      'same value, same case',
    );
    assert.equal(
      again.results[1].success,
      true,
      `other case must be accepted: ${JSON.stringify(again.results[1].errors)}`,
    );
  });

  it('accepts values differing only in case inside one batch for a case-sensitive unique field', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Invoice__c' },
      'Customer__c,Serial__c\nCase A,XY-1\nCase B,xy-1\n',
    );
    assert.deepEqual(
      run.results.map((r) => [r.success, r.errors]),
      [
        [true, []],
        [true, []],
      ],
    );
  });
});

describe('auto-number names', () => {
  it('numbers records in order, continues across batches and refuses a given Name', async () => {
    const first = await bulk.insertOk('Ticket__c', 'Topic__c\nfirst\nsecond\nthird\n');
    const [fourth] = await bulk.insertOk('Ticket__c', 'Topic__c\nfourth\n');
    const names: string[] = [];
    for (const id of [...first, fourth])
      names.push((await dbGet<{ Name: string }>(server, 'SELECT "Name" FROM "Ticket__c" WHERE "Id" = ?', [id]))!.Name);
    assert.deepEqual(names, ['T-001', 'T-002', 'T-003', 'T-004']);
    const given = await bulk.run({ operation: 'insert', object: 'Ticket__c' }, 'Name,Topic__c\nT-999,named\n');
    assert.deepEqual(given.results[0].errors, [
      {
        statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message: readOnly('Name'),
        fields: ['Name'],
      },
    ]);
    const describe = (await rest(server.url, TEST_TOKEN, '/v62.0/sobjects/Ticket__c/describe')).json();
    const name = describe.fields.find((f: { name: string }) => f.name === 'Name');
    assert.deepEqual(
      {
        autoNumber: name.autoNumber,
        createable: name.createable,
        updateable: name.updateable,
        nameField: name.nameField,
        type: name.type,
      },
      { autoNumber: true, createable: false, updateable: false, nameField: true, type: 'string' },
    );
  });

  it('numbers Case.CaseNumber from 00001001', async () => {
    const [id] = await bulk.insertOk('Case', 'Subject\nBroken\n');
    assert.equal(
      (await dbGet<{ CaseNumber: string }>(server, 'SELECT "CaseNumber" FROM "Case" WHERE "Id" = ?', [id]))!.CaseNumber,
      '00001001',
    );
  });
});

describe('changing the schema of a running org', () => {
  it('adds a field to an existing custom object without losing records', async () => {
    const [id] = await bulk.insertOk('Invoice__c', 'Customer__c,Quantity__c\nBefore Change,11\n');
    const applied = await postSchema(server.url, {
      objects: [
        {
          name: 'invoice__c',
          fields: [{ name: 'Region__c', type: 'picklist', values: ['EMEA', 'AMER'], restricted: true }],
        },
      ],
    });
    const invoice = applied.objects.find((o) => o.name === 'Invoice__c')!;
    assert.equal(invoice.keyPrefix, 'a00', 'the key prefix stays');
    assert.ok(invoice.fields.includes('Region__c') && invoice.fields.includes('Quantity__c'));
    assert.deepEqual(await storedRow(server, 'Invoice__c', id, ['Customer__c', 'Quantity__c', 'Region__c']), {
      Customer__c: 'Before Change',
      typeof_Customer__c: 'text',
      Quantity__c: 11,
      typeof_Quantity__c: 'integer',
      Region__c: null,
      typeof_Region__c: 'null',
    });
    const upd = await bulk.run(
      { operation: 'update', object: 'Invoice__c' },
      `Id,Region__c\n${id},EMEA\n${id.slice(0, 15)},AMER\n`,
    );
    assert.ok(upd.results[0].success, JSON.stringify(upd.results[0].errors));
    assert.equal(upd.results[1].errors[0].statusCode, 'DUPLICATE_VALUE'); // same id twice in one batch
    assert.equal((await storedRow(server, 'Invoice__c', id, ['Region__c']))?.Region__c, 'EMEA');
    const total = await dbCount(server, 'SELECT count(*) AS n FROM "Invoice__c"');
    assert.ok(total > 40, `records kept: ${total}`);
  });

  it('adds a custom field to a standard object', async () => {
    const [id] = await bulk.insertOk('Account', 'Name\nOld Account\n');
    await postSchema(server.url, {
      objects: [{ name: 'Account', fields: [{ name: 'Tier__c', type: 'int', precision: 2 }] }],
    });
    const run = await bulk.run({ operation: 'update', object: 'Account' }, `Id,Tier__c\n${id},7\n`);
    assert.ok(run.results[0].success, JSON.stringify(run.results[0].errors));
    assert.deepEqual(await storedRow(server, 'Account', id, ['Name', 'Tier__c']), {
      Name: 'Old Account',
      typeof_Name: 'text',
      Tier__c: 7,
      typeof_Tier__c: 'integer',
    });
    const bad = await bulk.run({ operation: 'update', object: 'Account' }, `Id,Tier__c\n${id},100\n`);
    assert.deepEqual(bad.results[0].errors, [
      {
        statusCode: 'NUMBER_OUTSIDE_VALID_RANGE',
        message: 'Tier: value outside of valid range on numeric field: 100',
        fields: ['Tier__c'],
      },
    ]);
  });

  it('keeps custom objects, key prefixes, auto-numbers and records across a restart, and adds what a schema file declares', async (t) => {
    // One data location (a directory, or a PostgreSQL database) for two servers one after the other.
    const data = await freshDataLocation();
    t.after(() => data.remove());
    const first = await startTestServer(data.config);
    let id: string;
    try {
      await postSchema(first.url, {
        objects: [
          { name: 'Alpha__c', fields: [{ name: 'Qty__c', type: 'int' }] },
          { name: 'Beta__c', nameField: 'autonumber', nameFormat: 'B-{00}' },
        ],
      });
      const client = new OrgBulk(first.url, TEST_TOKEN);
      [id] = await client.insertOk('Alpha__c', 'Name,Qty__c\nKept,4\n');
      await client.insertOk('Beta__c', `OwnerId\n${first.org.userId}\n`);
    } finally {
      await first.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'localforce-schema-'));
    const schemaFile = join(dir, 'org.yaml');
    writeFileSync(
      schemaFile,
      'objects:\n  - name: Gamma__c\n  - name: Alpha__c\n    fields:\n      - { name: Note__c, type: text, length: 10 }\n',
    );
    const second = await startTestServer({ ...data.config, schemaFile });
    try {
      const client = new OrgBulk(second.url, TEST_TOKEN);
      const global = (await rest(second.url, TEST_TOKEN, '/v62.0/sobjects')).json();
      const prefixes = Object.fromEntries(
        global.sobjects
          .filter((o: { custom: boolean }) => o.custom)
          .map((o: { name: string; keyPrefix: string }) => [o.name, o.keyPrefix]),
      );
      assert.deepEqual(prefixes, { Alpha__c: 'a00', Beta__c: 'a01', Gamma__c: 'a02' });
      assert.deepEqual(await storedRow(second, 'Alpha__c', id, ['Name', 'Qty__c', 'Note__c']), {
        Name: 'Kept',
        typeof_Name: 'text',
        Qty__c: 4,
        typeof_Qty__c: 'integer',
        Note__c: null,
        typeof_Note__c: 'null',
      });
      const upd = await client.run({ operation: 'update', object: 'Alpha__c' }, `Id,Note__c\n${id},added\n`);
      assert.ok(upd.results[0].success, JSON.stringify(upd.results[0].errors));
      const [beta] = await client.insertOk('Beta__c', `OwnerId\n${second.org.userId}\n`);
      assert.equal(
        (await dbGet<{ Name: string }>(second, 'SELECT "Name" FROM "Beta__c" WHERE "Id" = ?', [beta]))!.Name,
        'B-02',
      );
    } finally {
      await second.close();
    }
  });

  it('refuses bad declarations with 400 and the reason', async () => {
    const cases: [unknown, string][] = [
      [{ objects: [{ name: 'NoSuffix', fields: [] }] }, 'Custom object names end in __c: NoSuffix'],
      [
        { objects: [{ name: 'Sqlite_Stat1__c', fields: [] }] },
        'Custom object names cannot start with sqlite_: Sqlite_Stat1__c',
      ],
      [
        { objects: [{ name: 'Bad__c', fields: [{ name: 'Plain', type: 'string' }] }] },
        'Bad__c: custom field names end in __c: Plain',
      ],
      [
        { objects: [{ name: 'Bad__c', fields: [{ name: 'X__c', type: 'blob' }] }] },
        'Bad__c.X__c: unknown field type blob',
      ],
      [
        { objects: [{ name: 'Bad__c', fields: [{ name: 'P__c', type: 'picklist' }] }] },
        'Bad__c.P__c: a picklist needs values',
      ],
      [
        { objects: [{ name: 'Bad__c', fields: [{ name: 'L__c', type: 'reference', referenceTo: 'Nothing__c' }] }] },
        'Bad__c.L__c: referenceTo names an unknown object: Nothing__c',
      ],
      [
        { objects: [{ name: 'Bad__c', fields: [{ name: 'N__c', type: 'int', defaultValue: 'ten' }] }] },
        'Bad__c.N__c: the default value "ten" is not a valid int (INVALID_TYPE_ON_FIELD_IN_RECORD)',
      ],
      [
        {
          objects: [
            {
              name: 'Bad__c',
              fields: [{ name: 'S__c', type: 'picklist', values: ['A'], restricted: true, defaultValue: 'B' }],
            },
          ],
        },
        'Bad__c.S__c: the default value "B" is not a valid picklist (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST)',
      ],
      [
        { objects: [{ name: 'Invoice__c', fields: [{ name: 'Quantity__c', type: 'string', length: 10 }] }] },
        "Invoice__c.Quantity__c: an existing field's column cannot change from integer (plain) to text (plain)",
      ],
      [
        { objects: [{ name: 'Invoice__c', fields: [{ name: 'Paid__c', type: 'int' }] }] },
        "Invoice__c.Paid__c: an existing field's column cannot change from checkbox (plain) to integer (plain)",
      ],
      [
        {
          objects: [{ name: 'Invoice__c', fields: [{ name: 'Serial__c', type: 'string', length: 20, unique: true }] }],
        },
        "Invoice__c.Serial__c: an existing field's column cannot change from text (case-sensitive key) to text (case-insensitive key)",
      ],
    ];
    for (const [spec, message] of cases) {
      const r = await fetch(`${server.url}/_localforce/orgs/default/schema`, {
        method: 'POST',
        headers: adminHeaders({ 'Content-Type': 'application/json' }),
        body: JSON.stringify(spec),
      });
      assert.equal(r.status, 400, message);
      assert.deepEqual(await r.json(), { error: message });
    }
    const job = await bulk.createJobRaw({ operation: 'insert', object: 'Bad__c', contentType: 'CSV' });
    assert.equal(job.status, 400, 'a refused declaration adds nothing');
  });
});
