// Relationships of the emulated org over real HTTP and the real database: lookups by Id and by the parent's external
// id (CSV headers, nested XML, nested JSON), batch failures for bad relationship headers, upsert's three outcomes,
// duplicate keys in a chunk, delete / hardDelete and the hard-delete permission (Bulk API Developer Guide,
// "Relationship Fields in a Header Row", "Limits", "Handle Failed Records in Batches").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adminHeaders, startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { xmlText } from '../helpers/bulk.js';
import { OrgBulk, passwordLogin, postSchema, rest, sObjectsXml } from '../helpers/org.js';
import { dbCount, dbGet, storedRow } from '../helpers/db.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
let bulk: OrgBulk;
const acc: Record<string, string> = {}; // External_Id__c -> Account id
const depot: Record<string, string> = {}; // Code__c -> Depot__c id
let sharedDepots: string[] = []; // two Depot__c records with Batch_Ref__c = SHARED

const SCHEMA = {
  objects: [
    {
      name: 'Depot__c',
      fields: [
        { name: 'Code__c', type: 'string', length: 20, externalId: true, unique: true },
        { name: 'Batch_Ref__c', type: 'string', length: 20, externalId: true }, // external id, not unique
        { name: 'Label__c', type: 'string', length: 40 }, // not indexed
      ],
    },
    {
      name: 'Crate__c',
      fields: [
        { name: 'Parent__c', type: 'reference', referenceTo: 'Depot__c', label: 'Parent' }, // relationship Parent__r
        { name: 'Account__c', type: 'reference', referenceTo: 'Account', relationshipName: 'Account__r' },
        { name: 'Tag__c', type: 'string', length: 20, externalId: true }, // upsert key, not unique
        { name: 'Size__c', type: 'int' },
        { name: 'Lot__c', type: 'string', length: 20, externalId: true, caseSensitive: true }, // case-sensitive upsert key
      ],
    },
  ],
};

before(async () => {
  server = await startTestServer();
  bulk = new OrgBulk(server.url, TEST_TOKEN);
  await postSchema(server.url, SCHEMA);
  const accounts = await bulk.insertOk('Account', 'Name,External_Id__c\nExt One,ACC-1\nExt Two,ACC-2\n');
  [acc['ACC-1'], acc['ACC-2']] = accounts;
  const depots = await bulk.insertOk(
    'Depot__c',
    'Name,Code__c,Batch_Ref__c,Label__c\nNorth,D1,SOLO,north\nSouth,D2,SHARED,south\nEast,D3,SHARED,east\n',
  );
  [depot.D1, depot.D2, depot.D3] = depots;
  sharedDepots = [depot.D2, depot.D3];
});
after(async () => server.close());

const column = async (table: string, id: string, col: string) => (await storedRow(server, table, id, [col]))?.[col];

describe('lookups by Id', () => {
  it('sets a lookup from a 15- or 18-character id, and from an Id relationship column', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Contact' },
      `LastName,AccountId\nFifteen,${acc['ACC-1'].slice(0, 15)}\nEighteen,${acc['ACC-2'].toLowerCase().slice(0, 15)}${acc['ACC-2'].slice(15)}\n`,
    );
    assert.ok(run.results[0].success, JSON.stringify(run.results[0].errors));
    assert.equal(await column('Contact', run.results[0].id, 'AccountId'), acc['ACC-1']);
    // A lower-cased 15-character head is another id (ids are case-sensitive): its checksum no longer matches.
    assert.equal(run.results[1].errors[0].statusCode, 'MALFORMED_ID');
    const rel = await bulk.run(
      { operation: 'insert', object: 'Contact' },
      `LastName,Account.Id\nBy Id Column,${acc['ACC-2']}\n`,
    );
    assert.ok(rel.results[0].success, JSON.stringify(rel.results[0].errors));
    assert.equal(await column('Contact', rel.results[0].id, 'AccountId'), acc['ACC-2']);
  });

  it('refuses an id of the wrong object with MALFORMED_ID and a missing record with INVALID_CROSS_REFERENCE_KEY', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Contact' },
      `LastName,AccountId\nWrong Prefix,${depot.D1}\nMissing,001Lf0000zzzzzz\n`,
    );
    assert.deepEqual(
      run.results.map((r) => r.errors),
      [
        [
          {
            statusCode: 'MALFORMED_ID',
            message: `Account ID: id value of incorrect type: ${depot.D1}`,
            fields: ['AccountId'],
          },
        ],
        [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: ['AccountId'] }],
      ],
    );
    const custom = await bulk.run(
      { operation: 'insert', object: 'Crate__c' },
      `Name,Parent__c\nOk,${depot.D1}\nWrong,${acc['ACC-1']}\nGone,${depot.D1.slice(0, 3)}Lf0000zzzzzz\n`,
    );
    assert.ok(custom.results[0].success, JSON.stringify(custom.results[0].errors));
    assert.equal(await column('Crate__c', custom.results[0].id, 'Parent__c'), depot.D1);
    assert.deepEqual(
      custom.results.slice(1).map((r) => r.errors),
      [
        [
          {
            statusCode: 'MALFORMED_ID',
            message: `Parent: id value of incorrect type: ${acc['ACC-1']}`,
            fields: ['Parent__c'],
          },
        ],
        [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: ['Parent__c'] }],
      ],
    );
  });
});

describe('lookups by the parent external id in CSV headers', () => {
  it('resolves Account.External_Id__c (case-insensitive values and header)', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Contact' },
      'LastName,Account.External_Id__c\nStd One,ACC-1\nStd Two,acc-2\nNo Parent,\n',
    );
    assert.deepEqual(
      run.results.map((r) => r.success),
      [true, true, true],
      JSON.stringify(run.results),
    );
    assert.deepEqual(await Promise.all(run.results.map((r) => column('Contact', r.id, 'AccountId'))), [
      acc['ACC-1'],
      acc['ACC-2'],
      null,
    ]);
    const lower = await bulk.run(
      { operation: 'insert', object: 'contact' },
      'lastname,account.external_id__c\nLower Header,ACC-1\n',
    );
    assert.ok(lower.results[0].success, JSON.stringify(lower.results[0].errors));
    assert.equal(await column('Contact', lower.results[0].id, 'AccountId'), acc['ACC-1']);
  });

  it('resolves custom Parent__r.Code__c and Account__r.External_Id__c on a custom object', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Crate__c' },
      'Name,Parent__r.Code__c,Account__r.External_Id__c\nBoth,D2,ACC-1\nParent Only,d3,\n',
    );
    assert.ok(
      run.results.every((r) => r.success),
      JSON.stringify(run.results),
    );
    assert.deepEqual(await storedRow(server, 'Crate__c', run.results[0].id, ['Parent__c', 'Account__c']), {
      Parent__c: depot.D2,
      typeof_Parent__c: 'text',
      Account__c: acc['ACC-1'],
      typeof_Account__c: 'text',
    });
    assert.deepEqual(await storedRow(server, 'Crate__c', run.results[1].id, ['Parent__c', 'Account__c']), {
      Parent__c: depot.D3,
      typeof_Parent__c: 'text',
      Account__c: null,
      typeof_Account__c: 'null',
    });
  });

  it('changes and clears (#N/A) a lookup on update through the relationship column', async () => {
    const [id] = await bulk.insertOk('Contact', 'LastName,Account.External_Id__c\nMover,ACC-1\n');
    await bulk.run({ operation: 'update', object: 'Contact' }, `Id,Account.External_Id__c\n${id},ACC-2\n`);
    assert.equal(await column('Contact', id, 'AccountId'), acc['ACC-2']);
    const cleared = await bulk.run(
      { operation: 'update', object: 'Contact' },
      `Id,Account.External_Id__c\n${id},#N/A\n`,
    );
    assert.ok(cleared.results[0].success, JSON.stringify(cleared.results[0].errors));
    assert.equal(await column('Contact', id, 'AccountId'), null);
  });

  it('uses standard idLookup fields: ReportsTo.Email, and a polymorphic User:Owner.Username', async () => {
    const [boss] = await bulk.insertOk('Contact', 'LastName,Email\nBoss,boss@example.com\n');
    const run = await bulk.run(
      { operation: 'insert', object: 'Contact' },
      'LastName,ReportsTo.Email\nReport,BOSS@example.com\n',
    );
    assert.ok(run.results[0].success, JSON.stringify(run.results[0].errors));
    assert.equal(await column('Contact', run.results[0].id, 'ReportsToId'), boss);
    const owned = await bulk.run(
      { operation: 'insert', object: 'Case' },
      `Subject,User:Owner.Username\nOwned,${server.org.username}\n`,
    );
    assert.ok(owned.results[0].success, JSON.stringify(owned.results[0].errors));
    assert.equal(await column('Case', owned.results[0].id, 'OwnerId'), server.org.userId);
  });
});

describe('lookups in nested XML and JSON', () => {
  it('resolves <Account><sObject><External_Id__c> and a custom <Parent__r>', async () => {
    const body = sObjectsXml([
      '<LastName>Xml Nested</LastName><Account><sObject><External_Id__c>ACC-2</External_Id__c></sObject></Account>',
      '<LastName>Xml Missing</LastName><Account><sObject><External_Id__c>NOPE</External_Id__c></sObject></Account>',
    ]);
    const run = await bulk.run({ operation: 'insert', object: 'Contact', contentType: 'XML' }, body);
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.ok(run.results[0].success, JSON.stringify(run.results[0].errors));
    assert.equal(await column('Contact', run.results[0].id, 'AccountId'), acc['ACC-2']);
    assert.deepEqual(run.results[1].errors, [
      {
        statusCode: 'INVALID_FIELD',
        message: 'Foreign key external ID: NOPE not found for field External_Id__c in entity Account',
        fields: [],
      },
    ]);
    const crate = await bulk.run(
      { operation: 'insert', object: 'Crate__c', contentType: 'XML' },
      sObjectsXml(['<Name>Xml Crate</Name><Parent__r><sObject><Code__c>D1</Code__c></sObject></Parent__r>']),
    );
    assert.ok(crate.results[0].success, JSON.stringify(crate.results[0].errors));
    assert.equal(await column('Crate__c', crate.results[0].id, 'Parent__c'), depot.D1);
  });

  it('resolves "Account": {"External_Id__c": …}, a custom "Parent__r", and a typed polymorphic Owner', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Contact', contentType: 'JSON' },
      JSON.stringify([
        { LastName: 'Json Nested', Account: { External_Id__c: 'ACC-1' } },
        { LastName: 'Json Missing', Account: { External_Id__c: 'NOPE' } },
      ]),
    );
    assert.ok(run.results[0].success, JSON.stringify(run.results[0].errors));
    assert.equal(await column('Contact', run.results[0].id, 'AccountId'), acc['ACC-1']);
    assert.deepEqual(run.results[1].errors, [
      {
        statusCode: 'INVALID_FIELD',
        message: 'Foreign key external ID: NOPE not found for field External_Id__c in entity Account',
        fields: [],
      },
    ]);
    const crate = await bulk.run(
      { operation: 'insert', object: 'Crate__c', contentType: 'JSON' },
      JSON.stringify([{ Name: 'Json Crate', Parent__r: { Code__c: 'D3' }, Account__r: { External_Id__c: 'ACC-2' } }]),
    );
    assert.ok(crate.results[0].success, JSON.stringify(crate.results[0].errors));
    assert.deepEqual(await storedRow(server, 'Crate__c', crate.results[0].id, ['Parent__c', 'Account__c']), {
      Parent__c: depot.D3,
      typeof_Parent__c: 'text',
      Account__c: acc['ACC-2'],
      typeof_Account__c: 'text',
    });
    const owned = await bulk.run(
      { operation: 'insert', object: 'Case', contentType: 'JSON' },
      JSON.stringify([
        { Subject: 'Json Owned', Owner: { attributes: { type: 'User' }, Username: server.org.username } },
      ]),
    );
    assert.ok(owned.results[0].success, JSON.stringify(owned.results[0].errors));
    assert.equal(await column('Case', owned.results[0].id, 'OwnerId'), server.org.userId);
  });
});

describe('parent not found, or found twice', () => {
  it('fails the row with INVALID_FIELD naming the value, the field and the entity', async () => {
    const run = await bulk.run({ operation: 'insert', object: 'Crate__c' }, 'Name,Parent__r.Code__c\nOrphan,D9\n');
    assert.deepEqual(run.results[0].errors, [
      {
        statusCode: 'INVALID_FIELD',
        message: 'Foreign key external ID: D9 not found for field Code__c in entity Depot__c',
        fields: [],
      },
    ]);
  });

  // The CSV error cell of the Bulk API guide's "Handle Failed Records in Batches".
  it('writes an error without fields as CODE:message:-- in a CSV result, as Salesforce does', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Contact' },
      'LastName,Account.External_Id__c\nNo Such Parent,NOPE\n',
    );
    assert.equal(
      run.results[0].raw,
      'INVALID_FIELD:Foreign key external ID: NOPE not found for field External_Id__c in entity Account:--',
    );
  });

  it('fails the row with DUPLICATE_EXTERNAL_ID when two parents carry the value', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Crate__c' },
      'Name,Parent__r.Batch_Ref__c\nAmbiguous,SHARED\nClear,SOLO\n',
    );
    const [e] = run.results[0].errors;
    assert.equal(e.statusCode, 'DUPLICATE_EXTERNAL_ID');
    assert.deepEqual(e.fields, ['Parent__c']);
    const m = /^Depot__c - Batch_Ref__c: more than one record found for external id field: \[(.*)\]$/.exec(e.message);
    assert.ok(m, e.message);
    assert.deepEqual(m[1].split(', ').sort(), [...sharedDepots].sort());
    assert.ok(run.results[1].success);
    assert.equal(await column('Crate__c', run.results[1].id, 'Parent__c'), depot.D1);
  });
});

describe('bad relationship headers fail the batch', () => {
  const cases: [object: string, header: string, stateMessage: string][] = [
    ['Contact', 'LastName,Bogus.External_Id__c', 'InvalidBatch : Unable to find relationship: Bogus'],
    ['Crate__c', 'Name,Bogus__r.Code__c', 'InvalidBatch : Unable to find relationship: Bogus__r'],
    [
      'Contact',
      'LastName,Account.Name',
      'InvalidBatch : Field name provided, Name does not match an External ID, Salesforce Id, or indexed field for Account',
    ],
    [
      'Crate__c',
      'Name,Parent__r.Label__c',
      'InvalidBatch : Field name provided, Label__c does not match an External ID, Salesforce Id, or indexed field for Depot__c',
    ],
    [
      'Contact',
      'LastName,Account:Account.External_Id__c',
      'InvalidBatch : type is not needed for non polymorphic foreign key references: Account',
    ],
    [
      'Crate__c',
      'Name,Depot__c:Parent__r.Code__c',
      'InvalidBatch : type is not needed for non polymorphic foreign key references: Parent__r',
    ],
    ['Contact', 'LastName,Account.Nothing__c', 'InvalidBatch : Field name not found : Account.Nothing__c'],
  ];

  it('reports each bad header in the batch stateMessage, with no results', async () => {
    for (const [object, header, stateMessage] of cases) {
      const run = await bulk.run({ operation: 'insert', object }, `${header}\nx,y\n`);
      assert.equal(run.state, 'Failed', header);
      assert.equal(run.stateMessage, stateMessage, header);
      const results = await bulk.client.get(`/job/${run.jobId}/batch/${run.batchId}/result`);
      assert.equal(results.status, 400);
      assert.equal(xmlText(results.body, 'exceptionCode'), 'InvalidBatch');
    }
  });

  it('fails nested JSON and XML relationships that name more than one field', async () => {
    const json = await bulk.run(
      { operation: 'insert', object: 'Contact', contentType: 'JSON' },
      JSON.stringify([{ LastName: 'Two Keys', Account: { External_Id__c: 'ACC-1', Name: 'Ext One' } }]),
    );
    assert.deepEqual(
      [json.state, json.stateMessage],
      ['Failed', 'InvalidBatch : Unable to find relationship: Account'],
    );
    const xml = await bulk.run(
      { operation: 'insert', object: 'Contact', contentType: 'XML' },
      sObjectsXml([
        '<LastName>Bad Nested</LastName><Bogus><sObject><External_Id__c>ACC-1</External_Id__c></sObject></Bogus>',
      ]),
    );
    assert.deepEqual([xml.state, xml.stateMessage], ['Failed', 'InvalidBatch : Unable to find relationship: Bogus']);
  });
});

describe('upsert', () => {
  it('inserts when no record matches, updates when one does, and fails with DUPLICATE_EXTERNAL_ID when several do', async () => {
    const [one, dupA, dupB] = await bulk.insertOk(
      'Crate__c',
      'Name,Tag__c,Size__c\nOne,ONE,1\nDup A,DUP,1\nDup B,DUP,1\n',
    );
    const run = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Tag__c' },
      'Tag__c,Name,Size__c\nNEW-1,Fresh,5\none,One Updated,6\nDUP,Ambiguous,7\n',
    );
    const [created, updated, dup] = run.results;
    assert.deepEqual([created.success, created.created], [true, true]);
    assert.match(created.id, /^a01[0-9A-Za-z]{15}$/);
    assert.deepEqual(updated, { id: one, success: true, created: false, errors: [], raw: '' });
    assert.equal(dup.success, false);
    assert.equal(dup.errors[0].statusCode, 'DUPLICATE_EXTERNAL_ID');
    assert.deepEqual(dup.errors[0].fields, ['Tag__c']);
    const m = /^Crate__c - Tag__c: more than one record found for external id field: \[(.*)\]$/.exec(
      dup.errors[0].message,
    );
    assert.ok(m, dup.errors[0].message);
    assert.deepEqual(m[1].split(', ').sort(), [dupA, dupB].sort());
    assert.deepEqual(await storedRow(server, 'Crate__c', one, ['Name', 'Size__c']), {
      Name: 'One Updated',
      typeof_Name: 'text',
      Size__c: 6,
      typeof_Size__c: 'integer',
    });
    assert.deepEqual(await storedRow(server, 'Crate__c', created.id, ['Name', 'Size__c']), {
      Name: 'Fresh',
      typeof_Name: 'text',
      Size__c: 5,
      typeof_Size__c: 'integer',
    });
    assert.deepEqual(
      [await column('Crate__c', dupA, 'Size__c'), await column('Crate__c', dupB, 'Size__c')],
      [1, 1],
      'neither duplicate is touched',
    );
  });

  it('fails every row of a chunk that repeats a key, and a row without its key', async () => {
    const run = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Tag__c' },
      'Tag__c,Name\nTWIN,Twin 1\ntwin,Twin 2\n,No Key\nSINGLE,Single\n',
    );
    assert.deepEqual(
      run.results.slice(0, 3).map((r) => r.errors),
      [
        [{ statusCode: 'DUPLICATE_VALUE', message: 'Duplicate external id specified: TWIN', fields: ['Tag__c'] }],
        [{ statusCode: 'DUPLICATE_VALUE', message: 'Duplicate external id specified: twin', fields: ['Tag__c'] }],
        [{ statusCode: 'MISSING_ARGUMENT', message: 'Tag__c not specified', fields: ['Tag__c'] }],
      ],
    );
    assert.deepEqual([run.results[3].success, run.results[3].created], [true, true]);
    // Tag__c matches case-insensitively (SQLite: COLLATE NOCASE; PostgreSQL: binary text): lower() counts any case on both.
    assert.equal(await dbCount(server, `SELECT count(*) AS n FROM "Crate__c" WHERE lower("Tag__c") = 'twin'`), 0);
  });

  it('applies the same key in two different 200-record chunks one after the other', async () => {
    const rows = ['Tag__c,Size__c', 'SPLIT,1'];
    for (let i = 0; i < 199; i++) rows.push(`FILL-${i},0`);
    rows.push('SPLIT,2'); // row 201: the second chunk
    const run = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Tag__c' },
      `${rows.join('\n')}\n`,
    );
    assert.equal(run.results.length, 201);
    assert.deepEqual([run.results[0].success, run.results[0].created], [true, true]);
    assert.deepEqual(
      [run.results[200].success, run.results[200].created, run.results[200].id],
      [true, false, run.results[0].id],
    );
    assert.equal(await column('Crate__c', run.results[0].id, 'Size__c'), 2);
  });

  it('upserts with relationship columns and by a unique standard-object external id', async () => {
    const first = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Tag__c' },
      'Tag__c,Parent__r.Code__c\nREL-1,D1\n',
    );
    const second = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Tag__c' },
      'Tag__c,Parent__r.Code__c\nREL-1,D2\n',
    );
    assert.deepEqual(
      [first.results[0].created, second.results[0].created, second.results[0].id],
      [true, false, first.results[0].id],
    );
    assert.equal(await column('Crate__c', first.results[0].id, 'Parent__c'), depot.D2);
    const a1 = await bulk.run(
      { operation: 'upsert', object: 'Account', externalIdFieldName: 'external_id__c' },
      'External_Id__c,Name\nACC-1,Renamed One\nACC-9,Brand New\n',
    );
    assert.deepEqual(
      a1.results.map((r) => [r.success, r.created]),
      [
        [true, false],
        [true, true],
      ],
    );
    assert.equal(a1.results[0].id, acc['ACC-1']);
    assert.equal(await column('Account', acc['ACC-1'], 'Name'), 'Renamed One');
  });

  it('matches a case-sensitive external id exactly: same case updates, other case inserts', async () => {
    const first = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Lot__c' },
      'Lot__c,Size__c\nLOT-A,1\n',
    );
    assert.deepEqual(
      [first.results[0].success, first.results[0].created],
      [true, true],
      JSON.stringify(first.results[0].errors),
    );
    const again = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Lot__c' },
      'Lot__c,Size__c\nLOT-A,2\n',
    );
    assert.deepEqual(
      [again.results[0].success, again.results[0].created, again.results[0].id],
      [true, false, first.results[0].id],
      'the same key, same case, must update',
    );
    const other = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Lot__c' },
      'Lot__c,Size__c\nlot-a,3\n',
    );
    assert.deepEqual([other.results[0].success, other.results[0].created], [true, true], 'another case is another key');
    assert.equal(await dbCount(server, `SELECT count(*) AS n FROM "Crate__c" WHERE "Lot__c" = 'LOT-A'`), 1);
  });

  it('upserts on Id: a blank Id inserts, a known Id updates, an unknown Id fails', async () => {
    const [known] = await bulk.insertOk('Crate__c', 'Name\nBy Id\n');
    const run = await bulk.run(
      { operation: 'upsert', object: 'Crate__c', externalIdFieldName: 'Id' },
      `Id,Name\n,Inserted On Id\n${known},Updated On Id\n${known.slice(0, 3)}Lf0000zzzzzz,Unknown\n`,
    );
    assert.deepEqual(
      run.results.map((r) => [r.success, r.created]),
      [
        [true, true],
        [true, false],
        [false, false],
      ],
    );
    assert.equal(run.results[1].id, known);
    assert.deepEqual(run.results[2].errors, [
      { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] },
    ]);
    assert.equal(await column('Crate__c', known, 'Name'), 'Updated On Id');
  });
});

describe('delete and hardDelete', () => {
  it('delete marks IsDeleted and keeps the row; the record is gone for REST, updates and lookups', async () => {
    const [keep, gone] = await bulk.insertOk('Depot__c', 'Name,Code__c\nTo Delete,DEL-1\nOther,DEL-2\n');
    const run = await bulk.run(
      { operation: 'delete', object: 'Depot__c' },
      `Id\n${keep}\n${keep.slice(0, 15)}\n001Lf0000zzzzzz\n${gone.slice(0, 3)}Lf0000zzzzzz\n`,
    );
    assert.deepEqual(
      run.results.map((r) => [r.id, r.success, r.created]),
      [
        [keep, true, false],
        ['', false, false],
        ['', false, false],
        ['', false, false],
      ],
    );
    assert.deepEqual(
      run.results.slice(1).map((r) => r.errors[0]),
      [
        { statusCode: 'DUPLICATE_VALUE', message: `Duplicate id specified: ${keep}`, fields: [] },
        { statusCode: 'MALFORMED_ID', message: 'bad id 001Lf0000zzzzzz', fields: [] },
        { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] },
      ],
    );
    const row = await dbGet(server, 'SELECT "Name", "IsDeleted", "LastModifiedById" FROM "Depot__c" WHERE "Id" = ?', [
      keep,
    ]);
    assert.deepEqual(row, { Name: 'To Delete', IsDeleted: 1, LastModifiedById: server.org.userId });
    const again = await bulk.run({ operation: 'delete', object: 'Depot__c' }, `Id\n${keep}\n`);
    assert.deepEqual(again.results[0].errors, [
      { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] },
    ]);
    const update = await bulk.run({ operation: 'update', object: 'Depot__c' }, `Id,Name\n${keep},Revived\n`);
    assert.equal(update.results[0].errors[0].statusCode, 'ENTITY_IS_DELETED');
    const read = await rest(server.url, TEST_TOKEN, `/v62.0/sobjects/Depot__c/${keep}`);
    assert.equal(read.status, 404);
    const lookup = await bulk.run(
      { operation: 'insert', object: 'Crate__c' },
      'Name,Parent__r.Code__c\nTo Deleted Parent,DEL-1\n',
    );
    assert.equal(
      lookup.results[0].errors[0].message,
      'Foreign key external ID: DEL-1 not found for field Code__c in entity Depot__c',
    );
  });

  it('hardDelete removes rows, soft-deleted ones included', async () => {
    const [a, b] = await bulk.insertOk('Depot__c', 'Name\nHard A\nHard B\n');
    await bulk.run({ operation: 'delete', object: 'Depot__c' }, `Id\n${b}\n`);
    const run = await bulk.run({ operation: 'hardDelete', object: 'Depot__c' }, `Id\n${a}\n${b}\n`);
    assert.deepEqual(
      run.results.map((r) => [r.id, r.success, r.created, r.errors]),
      [
        [a, true, false, []],
        [b, true, false, []],
      ],
    );
    const left = await dbGet(server, 'SELECT count(*) AS n FROM "Depot__c" WHERE "Id" IN (?, ?)', [a, b]);
    assert.deepEqual(left, { n: 0 });
  });

  it("delete takes an Account's Contacts with it (cascadeDelete), not its Opportunities; hardDelete removes them", async () => {
    const [soft, hard] = await bulk.insertOk('Account', 'Name\nCascade Soft\nCascade Hard\n');
    const contacts = await bulk.insertOk(
      'Contact',
      `LastName,AccountId\nChild One,${soft}\nChild Two,${soft}\nOther Child,${hard}\n`,
    );
    const [opportunity] = await bulk.insertOk(
      'Opportunity',
      `Name,StageName,CloseDate,AccountId\nStays,Prospecting,2026-12-31,${soft}\n`,
    );
    const run = await bulk.run({ operation: 'delete', object: 'Account' }, `Id\n${soft}\n`);
    assert.deepEqual(
      run.results.map((r) => [r.id, r.success]),
      [[soft, true]],
      'one result per input row: children are not reported',
    );
    const state = async (table: string, id: string) =>
      (await dbGet(server, `SELECT "IsDeleted" FROM "${table}" WHERE "Id" = ?`, [id]))?.IsDeleted;
    assert.deepEqual(
      [await state('Contact', contacts[0]), await state('Contact', contacts[1]), await state('Contact', contacts[2])],
      [1, 1, 0],
    );
    assert.equal(await state('Opportunity', opportunity), 0, 'Opportunity.AccountId does not cascade');
    const listed = await rest(
      server.url,
      TEST_TOKEN,
      `/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE AccountId = '${soft}'`)}`,
    );
    assert.equal(listed.json().totalSize, 0);
    const all = await rest(
      server.url,
      TEST_TOKEN,
      `/v62.0/queryAll?q=${encodeURIComponent(`SELECT Id, IsDeleted FROM Contact WHERE AccountId = '${soft}'`)}`,
    );
    assert.equal(all.json().totalSize, 2, 'queryAll still sees the deleted children');

    const hardRun = await bulk.run({ operation: 'hardDelete', object: 'Account' }, `Id\n${hard}\n${soft}\n`);
    assert.deepEqual(
      hardRun.results.map((r) => r.success),
      [true, true],
      JSON.stringify(hardRun.results),
    );
    // The live child of the one, and the children of the other already in the recycle bin: no orphans left.
    assert.equal(await dbCount(server, 'SELECT count(*) AS n FROM "Contact" WHERE "Id" IN (?, ?, ?)', contacts), 0);
    assert.equal(await state('Opportunity', opportunity), 0, 'the Opportunity still has no cascade');
  });

  it('refuses to delete Users', async () => {
    const run = await bulk.run({ operation: 'delete', object: 'User' }, `Id\n${server.org.userId}\n`);
    assert.equal(run.results[0].errors[0].statusCode, 'INVALID_OPERATION');
  });

  it('refuses a hardDelete job to a user without the Bulk API Hard Delete permission', async () => {
    const created = await fetch(`${server.url}/_localforce/orgs/default/users`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ username: 'soft@localforce.local', password: 'soft-pass', hardDelete: false }),
    });
    assert.equal(created.status, 201);
    const user = (await created.json()) as { userId: string; orgId: string };
    assert.equal(user.orgId, server.org.orgId);
    const login = await passwordLogin(server.url, 'soft@localforce.local', 'soft-pass');
    assert.ok(login.id.endsWith(`/${user.userId}`), login.id);
    const soft = new OrgBulk(server.url, login.access_token);
    const hard = await soft.createJobRaw({ operation: 'hardDelete', object: 'Depot__c', contentType: 'CSV' });
    assert.equal(hard.status, 400);
    assert.equal(xmlText(hard.body, 'exceptionCode'), 'FeatureNotEnabled');
    assert.equal(
      xmlText(hard.body, 'exceptionMessage'),
      'hardDelete operation requires special user profile permission, please contact your system administrator',
    );
    // The same user may insert and (soft) delete; its records are owned and created by it.
    const [id] = await soft.insertOk('Depot__c', 'Name\nSoft Owned\n');
    assert.deepEqual(await dbGet(server, 'SELECT "OwnerId", "CreatedById" FROM "Depot__c" WHERE "Id" = ?', [id]), {
      OwnerId: user.userId,
      CreatedById: user.userId,
    });
    const del = await soft.run({ operation: 'delete', object: 'Depot__c' }, `Id\n${id}\n`);
    assert.ok(del.results[0].success, JSON.stringify(del.results[0].errors));
    // A user created with the default permission may hardDelete.
    await fetch(`${server.url}/_localforce/orgs/default/users`, {
      method: 'POST',
      headers: adminHeaders({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ username: 'hard@localforce.local', password: 'hard-pass' }),
    });
    const hardUser = new OrgBulk(
      server.url,
      (await passwordLogin(server.url, 'hard@localforce.local', 'hard-pass')).access_token,
    );
    const ok = await hardUser.run({ operation: 'hardDelete', object: 'Depot__c' }, `Id\n${id}\n`);
    assert.ok(ok.results[0].success, JSON.stringify(ok.results[0].errors));
  });
});
