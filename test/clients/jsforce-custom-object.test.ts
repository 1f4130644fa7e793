// The custom-object scenario of issue 3, end to end with unmodified jsforce 3.10.16: a schema file (YAML) with a
// parent and a child custom object, parents (and one child) seeded from a folder of CSVs, children upserted by their
// external id with lookups by the parent's external id (`Warehouse__r.Code__c`), results read back, the stored
// lookups checked in the database, and the objects described through jsforce's REST calls.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import { startTestServer } from '../helpers/server.js';
import { dbAll, dbCount, dbGet } from '../helpers/db.js';
import { createOrg } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

const require = createRequire(import.meta.url);
const jsforce = require('jsforce') as { Connection: typeof Connection; VERSION: string };

const SCHEMA_YAML = `# A parent and a child custom object
objects:
  - name: Warehouse__c
    label: Warehouse
    fields:
      - { name: Code__c, type: text, length: 10, externalId: true, unique: true }
      - { name: City__c, type: text, length: 40 }
  - name: Shipment__c
    label: Shipment
    fields:
      - { name: Warehouse__c, type: lookup, referenceTo: Warehouse__c, childRelationshipName: Shipments__r }
      - { name: Ref__c, type: text, length: 20, externalId: true, unique: true }
      - { name: Weight__c, type: number, precision: 8, scale: 2 }
      - { name: Shipped__c, type: date }
`;

interface LoadResult {
  id: string | null;
  success: boolean;
  created: boolean;
  errors: string[];
}

let server: RunningServer;
let conn: Connection;
let warehouse: Record<string, string>; // Code__c -> Id

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localforce-jsforce-'));
  const schemaFile = join(dir, 'org.yaml');
  writeFileSync(schemaFile, SCHEMA_YAML);
  const seedDir = join(dir, 'seed');
  mkdirSync(seedDir);
  writeFileSync(join(seedDir, 'Warehouse__c.csv'), 'Name,Code__c,City__c\nNorth,W1,Oslo\nSouth,W2,Lisbon\n');
  // A seeded child whose lookup is resolved by the parent's external id (loaded after its parent).
  writeFileSync(join(seedDir, 'Shipment__c.csv'), 'Name,Ref__c,Warehouse__r.Code__c\nSeeded,S-0,W2\n');
  server = await startTestServer({ schemaFile, seedDir });
  warehouse = Object.fromEntries(
    (await dbAll<{ Code__c: string; Id: string }>(server, 'SELECT "Code__c", "Id" FROM "Warehouse__c"')).map((r) => [
      r.Code__c,
      r.Id,
    ]),
  );
  conn = new jsforce.Connection({
    oauth2: { loginUrl: server.url, clientId: 'localforce-test', clientSecret: 'secret' },
    version: '62.0',
  });
  await conn.login(server.org.username, 'localforce');
  conn.bulk.pollInterval = 100;
});
after(async () => server.close());

/**
 * conn.bulk.load, waiting also for the job close jsforce sends after reading the results (it does not await it), so
 * no request is left in flight when the server stops.
 */
async function load(
  type: string,
  operation: 'insert' | 'upsert' | 'delete',
  options: { extIdField?: string },
  records: Record<string, unknown>[],
): Promise<LoadResult[]> {
  const batch = conn.bulk.load(type, operation, options, records);
  const closed = new Promise<void>((resolve, reject) => {
    batch.job.once('close', () => resolve());
    batch.job.once('error', reject);
  });
  const results = (await batch) as unknown as LoadResult[];
  await closed;
  return results;
}

// Ref__c is an external id, which sorts case-insensitively (SQLite: COLLATE NOCASE): lower() sorts the same on both.
const stored = () =>
  dbAll(
    server,
    'SELECT s."Ref__c" AS ref, s."Name" AS name, s."Weight__c" AS weight, s."Shipped__c" AS shipped, s."Warehouse__c" AS "warehouseId", w."Code__c" AS code ' +
      'FROM "Shipment__c" s LEFT JOIN "Warehouse__c" w ON w."Id" = s."Warehouse__c" WHERE s."IsDeleted" = 0 ORDER BY lower(s."Ref__c")',
  );

describe('jsforce against a custom-object org', () => {
  it('runs jsforce 3.10.16 logged in through OAuth', () => {
    assert.equal(jsforce.VERSION, '3.10.16');
    assert.equal(conn.userInfo?.id, server.org.userId);
    assert.equal(conn.userInfo?.organizationId, server.org.orgId);
  });

  it('starts from the seeded parents and the seeded child', async () => {
    assert.deepEqual(Object.keys(warehouse).sort(), ['W1', 'W2']);
    assert.match(warehouse.W1, /^a00[0-9A-Za-z]{15}$/);
    assert.deepEqual(await stored(), [
      { ref: 'S-0', name: 'Seeded', weight: null, shipped: null, warehouseId: warehouse.W2, code: 'W2' },
    ]);
  });

  let ids: string[] = [];

  it('upserts children by Ref__c with lookups by Warehouse__r.Code__c: created the first time', async () => {
    const records = [
      { Ref__c: 'S-1', Name: 'First', 'Warehouse__r.Code__c': 'W1', Weight__c: 12.5, Shipped__c: '2024-06-01' },
      { Ref__c: 'S-2', Name: 'Second', 'Warehouse__r.Code__c': 'w2', Weight__c: 3, Shipped__c: '2024-06-02' },
      { Ref__c: 'S-3', Name: 'Nowhere', 'Warehouse__r.Code__c': 'W9' },
    ];
    const results = await load('Shipment__c', 'upsert', { extIdField: 'Ref__c' }, records);
    assert.equal(results.length, 3);
    assert.deepEqual(
      results.slice(0, 2).map((r) => [r.success, r.created, r.errors]),
      [
        [true, true, []],
        [true, true, []],
      ],
    );
    ids = results.slice(0, 2).map((r) => r.id!);
    for (const id of ids) assert.match(id, /^a01[0-9A-Za-z]{15}$/);
    assert.deepEqual([results[2].id, results[2].success, results[2].created], [null, false, false]);
    assert.equal(results[2].errors.length, 1);
    assert.match(
      results[2].errors[0],
      /^INVALID_FIELD:Foreign key external ID: W9 not found for field Code__c in entity Warehouse__c:/,
    );
    assert.deepEqual(await stored(), [
      { ref: 'S-0', name: 'Seeded', weight: null, shipped: null, warehouseId: warehouse.W2, code: 'W2' },
      { ref: 'S-1', name: 'First', weight: 12.5, shipped: '2024-06-01', warehouseId: warehouse.W1, code: 'W1' },
      { ref: 'S-2', name: 'Second', weight: 3, shipped: '2024-06-02', warehouseId: warehouse.W2, code: 'W2' },
    ]);
  });

  it('updates the same records the second time (created false), moving a lookup', async () => {
    const records = [
      { Ref__c: 'S-1', Name: 'First', 'Warehouse__r.Code__c': 'W2', Weight__c: 13 },
      { Ref__c: 's-2', Name: 'Second Again', 'Warehouse__r.Code__c': 'W2' },
    ];
    const results = await load('Shipment__c', 'upsert', { extIdField: 'Ref__c' }, records);
    assert.deepEqual(
      results.map((r) => [r.id, r.success, r.created, r.errors]),
      [
        [ids[0], true, false, []],
        [ids[1], true, false, []],
      ],
    );
    const rows = (await stored()) as { ref: string; name: string; weight: number; warehouseId: string; code: string }[];
    assert.deepEqual(
      rows.map((r) => [r.name, r.weight, r.warehouseId]),
      [
        ['Seeded', null, warehouse.W2],
        ['First', 13, warehouse.W2],
        ['Second Again', 3, warehouse.W2],
      ],
    );
    assert.equal(await dbCount(server, 'SELECT count(*) AS n FROM "Shipment__c"'), 3, 'no record was added');
  });

  it('reads a record back through jsforce retrieve (GET /sobjects/Shipment__c/{id})', async () => {
    const rec = (await conn.sobject('Shipment__c').retrieve(ids[0])) as Record<string, unknown>;
    assert.equal(rec.Id, ids[0]);
    assert.equal(rec.Ref__c, 'S-1');
    assert.equal(rec.Warehouse__c, warehouse.W2);
    assert.equal(rec.Weight__c, 13);
  });

  it('describes the custom objects through jsforce (REST describe and describeGlobal)', async () => {
    const d = await conn.describe('Shipment__c');
    assert.equal(d.name, 'Shipment__c');
    assert.equal(d.custom, true);
    assert.equal(d.keyPrefix, 'a01');
    const field = (name: string) => d.fields.find((f) => f.name === name);
    for (const n of ['Id', 'Name', 'OwnerId', 'CreatedDate', 'Warehouse__c', 'Ref__c', 'Weight__c', 'Shipped__c'])
      assert.ok(field(n), n);
    assert.deepEqual(
      {
        type: field('Warehouse__c')?.type,
        referenceTo: field('Warehouse__c')?.referenceTo,
        relationshipName: field('Warehouse__c')?.relationshipName,
      },
      { type: 'reference', referenceTo: ['Warehouse__c'], relationshipName: 'Warehouse__r' },
    );
    assert.deepEqual(
      {
        externalId: field('Ref__c')?.externalId,
        unique: field('Ref__c')?.unique,
        idLookup: field('Ref__c')?.idLookup,
        length: field('Ref__c')?.length,
      },
      { externalId: true, unique: true, idLookup: true, length: 20 },
    );
    assert.deepEqual(
      { type: field('Weight__c')?.type, precision: field('Weight__c')?.precision, scale: field('Weight__c')?.scale },
      { type: 'double', precision: 8, scale: 2 },
    );
    assert.equal(field('Shipped__c')?.type, 'date');
    const parent = await conn.describe('Warehouse__c');
    assert.ok(
      parent.childRelationships.some(
        (c) => c.childSObject === 'Shipment__c' && c.field === 'Warehouse__c' && c.relationshipName === 'Shipments__r',
      ),
      JSON.stringify(parent.childRelationships),
    );
    const global = await conn.describeGlobal();
    const custom = global.sobjects.filter((o) => o.custom).map((o) => [o.name, o.keyPrefix]);
    assert.deepEqual(custom, [
      ['Warehouse__c', 'a00'],
      ['Shipment__c', 'a01'],
    ]);
  });

  it("reports a refused value through jsforce: the row fails with the field type's status code, the others load", async () => {
    const results = await load('Shipment__c', 'upsert', { extIdField: 'Ref__c' }, [
      // Every record carries every field: jsforce writes the CSV header from the first record's keys.
      { Ref__c: 'BAD-WEIGHT', Weight__c: 'heavy', Shipped__c: '2026-02-28' },
      { Ref__c: 'BAD-DATE', Weight__c: 2, Shipped__c: '2026-02-30' },
      { Ref__c: 'GOOD-ONE', Weight__c: 1.25, Shipped__c: '2026-03-01' },
    ]);
    assert.deepEqual(
      results.map((r) => r.success),
      [false, false, true],
    );
    assert.match(
      results[0].errors.join(' '),
      /^INVALID_TYPE_ON_FIELD_IN_RECORD:Weight: value not of required type: heavy:Weight__c/,
    );
    assert.match(
      results[1].errors.join(' '),
      /^INVALID_TYPE_ON_FIELD_IN_RECORD:Shipped: value not of required type: 2026-02-30:Shipped__c/,
    );
  });

  it('sees nothing of another org through jsforce: its token gets no job, no record, no custom object', async () => {
    await createOrg(server.url, 'Other Org', 'other@isolated.test', 'other-secret');
    const other = new jsforce.Connection({
      oauth2: { loginUrl: server.url, clientId: 'localforce-test', clientSecret: 'secret' },
      version: '62.0',
    });
    await other.login('other@isolated.test', 'other-secret');
    assert.notEqual(other.userInfo?.organizationId, conn.userInfo?.organizationId);
    // A record of the first org, read by the first and not found for the second.
    const [created] = await load('Account', 'insert', {}, [{ Name: 'First Org Only' }]);
    assert.ok(created.success && created.id, JSON.stringify(created));
    assert.equal(((await conn.sobject('Account').retrieve(created.id!)) as { Name: string }).Name, 'First Org Only');
    await assert.rejects(other.sobject('Account').retrieve(created.id!), /NOT_FOUND|not found/i);
    await assert.rejects(other.sobject('Shipment__c').retrieve(warehouse.W1), (err: Error & { errorCode?: string }) =>
      /NOT_FOUND|INVALID_TYPE/.test(`${err.errorCode} ${err.message}`),
    );
    // The first org's job, asked for with the second org's session.
    const job = conn.bulk.createJob('Shipment__c', 'upsert', { extIdField: 'Ref__c' });
    const info = await job.open();
    try {
      await assert.rejects(other.bulk.job(info.id!).info(), (err: Error & { name?: string }) =>
        /InvalidJob/.test(`${err.name} ${err.message}`),
      );
    } finally {
      await job.close();
    }
    const theirAccounts = await other.query('SELECT Id FROM Account');
    assert.equal(theirAccounts.totalSize, 0, 'the second org starts empty');
  });

  it('deletes through jsforce: the row stays with IsDeleted = 1', async () => {
    const results = await load('Shipment__c', 'delete', {}, [{ Id: ids[1] }]);
    assert.deepEqual(
      results.map((r) => [r.id, r.success]),
      [[ids[1], true]],
    );
    assert.deepEqual(await dbGet(server, 'SELECT "Name", "IsDeleted" FROM "Shipment__c" WHERE "Id" = ?', [ids[1]]), {
      Name: 'Second Again',
      IsDeleted: 1,
    });
  });
});
