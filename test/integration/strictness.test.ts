// Batch content a real org refuses, refused here too, over real HTTP (issue 13, "Strictness"): a CSV batch's leading
// byte-order mark, a delete/hardDelete batch with columns besides Id, a query whose FROM object is not the job's,
// and Salesforce's per-record limits (5,000 fields, 131,072 characters per field, 400,000 per record) in every batch
// format. Each case checks the batch's state, its exact stateMessage, and that no record was written or deleted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { OrgBulk, postSchema, sObjectsXml, type ContentType } from '../helpers/org.js';
import { batchList } from '../helpers/bulk.js';
import { dbCount, dbGet } from '../helpers/db.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
let bulk: OrgBulk;

before(async () => {
  server = await startTestServer();
  bulk = new OrgBulk(server.url, TEST_TOKEN);
  // A long text area as long as a Bulk API field can be, to show a value at that limit goes through.
  const notes = { name: 'Notes__c', type: 'textarea', length: 131_072 };
  await postSchema(server.url, { objects: [{ name: 'Account', fields: [notes] }] });
});
after(async () => server.close());

const accountsNamed = (name: string) => dbCount(server, 'SELECT COUNT(*) AS n FROM "Account" WHERE "Name" = ?', [name]);

async function insertAccount(name: string): Promise<string> {
  const [id] = await bulk.insertOk('Account', `Name\n${name}\n`);
  return id;
}

describe('a CSV batch starting with a UTF-8 byte-order mark', () => {
  it('keeps the mark in the first header name, which is then not found (forcedotcom/cli issue 720)', async () => {
    const run = await bulk.run({ operation: 'insert', object: 'Account' }, '\uFEFFName,Industry\nWith BOM,Energy\n');
    assert.equal(run.state, 'Failed');
    assert.equal(run.stateMessage, 'InvalidBatch : Field name not found : \uFEFFName');
    assert.equal(await accountsNamed('With BOM'), 0);
  });

  it('is the same batch without the mark: it inserts', async () => {
    const run = await bulk.run({ operation: 'insert', object: 'Account' }, 'Name,Industry\nWithout BOM,Energy\n');
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.equal(await accountsNamed('Without BOM'), 1);
  });
});

describe('a delete or hardDelete batch with a column besides Id', () => {
  const ONLY_IDS = "InvalidBatch : The 'delete' batch must contain only ids";
  const isDeleted = async (id: string) =>
    (await dbGet<{ IsDeleted: unknown }>(server, 'SELECT "IsDeleted" FROM "Account" WHERE "Id" = ?', [id]))?.IsDeleted;

  for (const operation of ['delete', 'hardDelete']) {
    const cases: [ContentType, string, (id: string) => string][] = [
      ['CSV', 'a field of the object beside Id', (id) => `Id,Name\n${id},Still Here\n`],
      ['CSV', 'a column that is no field', (id) => `Id,Bogus__c\n${id},x\n`],
      ['CSV', 'a header that is an id (a client that sent the ids alone)', (id) => `${id}\n${id}\n`],
      ['CSV', 'a relationship column', (id) => `Id,Owner.Id\n${id},${server.org.userId}\n`],
      ['XML', 'an element beside Id', (id) => sObjectsXml([`<Id>${id}</Id><Name>Still Here</Name>`])],
      ['JSON', 'a key beside Id', (id) => JSON.stringify([{ Id: id, Name: 'Still Here' }])],
    ];
    for (const [contentType, what, body] of cases) {
      it(`${operation}, ${contentType}: ${what} fails the batch and deletes nothing`, async () => {
        const id = await insertAccount(`Kept ${operation} ${contentType} ${what}`);
        const run = await bulk.run({ operation, object: 'Account', contentType }, body(id));
        assert.equal(run.state, 'Failed');
        assert.equal(run.stateMessage, ONLY_IDS);
        assert.equal(Number(await isDeleted(id)), 0, 'the record is neither deleted nor gone');
      });
    }

    it(`${operation}: an Id column alone, in any case, still deletes`, async () => {
      const id = await insertAccount(`Gone ${operation}`);
      const run = await bulk.run({ operation, object: 'Account' }, `ID\n${id}\n`);
      assert.equal(run.state, 'Completed', run.stateMessage);
      assert.equal(run.results[0].success, true);
      const left = await isDeleted(id);
      assert.ok(operation === 'delete' ? Number(left) === 1 : left === undefined, String(left));
    });
  }
});

describe('a query batch whose FROM object is not the job object', () => {
  const mismatch = (query: string, job: string) =>
    'InvalidBatch : Failed to process query: INVALID_TYPE_FOR_OPERATION: The root entity of the requested query ' +
    `(${query}) does not match the entity of the requested Bulk API Job (${job}).`;

  for (const operation of ['query', 'queryAll']) {
    it(`${operation}: fails (simple-salesforce issue 502) instead of returning the other object's rows`, async () => {
      await bulk.insertOk('Contact', 'LastName\nNot Returned\n');
      const run = await bulk.run({ operation, object: 'Account' }, 'SELECT Id, LastName FROM Contact');
      assert.equal(run.state, 'Failed');
      assert.equal(run.stateMessage, mismatch('Contact', 'Account'));
      const results = await bulk.client.get(`/job/${run.jobId}/batch/${run.batchId}/result`);
      assert.notEqual(results.status, 200, 'a failed query batch has no result list');
    });
  }

  it('names both objects as the schema spells them, whatever case the query used', async () => {
    const run = await bulk.run({ operation: 'query', object: 'contact' }, 'SELECT Id FROM account');
    assert.equal(run.stateMessage, mismatch('Account', 'Contact'));
  });

  it('with PK chunking: the batch fails whole, before it is split into chunks', async () => {
    await insertAccount('Chunked Account');
    const jobId = await bulk.createJob(
      { operation: 'query', object: 'Contact' },
      { 'Sforce-Enable-PKChunking': 'chunkSize=1000' },
    );
    const run = await bulk.runBatch(jobId, 'CSV', 'SELECT Id, Name FROM Account');
    assert.equal(run.state, 'Failed');
    assert.equal(run.stateMessage, mismatch('Account', 'Contact'));
    assert.deepEqual(
      (await batchList(bulk.client, jobId)).map((b) => b.state),
      ['Failed'],
    );
  });

  it('the same query on its own object still runs', async () => {
    await bulk.insertOk('Contact', 'LastName\nReturned\n');
    const jobId = await bulk.createJob({ operation: 'query', object: 'Contact' });
    const batchId = await bulk.addBatch(jobId, 'CSV', "SELECT LastName FROM Contact WHERE LastName = 'Returned'");
    const { state, stateMessage } = await bulk.waitForBatch(jobId, batchId, 'CSV');
    assert.equal(state, 'Completed', stateMessage);
    const list = await bulk.client.get(`/job/${jobId}/batch/${batchId}/result`);
    const resultId = /<result>([^<]+)<\/result>/.exec(list.body)?.[1];
    const file = await bulk.client.get(`/job/${jobId}/batch/${batchId}/result/${resultId}`);
    assert.equal(file.body, '"LastName"\n"Returned"\n');
  });
});

describe("Salesforce's per-record limits", () => {
  const fieldTooLong = 'InvalidBatch : Exceeded max field size: 131073';
  const tooManyFields = 'InvalidBatch : Exceeded max number of columns per record : 5000';
  const recordTooLong =
    'InvalidBatch : Exceeded max length for one record: 400001. ' +
    'Max length for one record should be less than or equal to 400000';
  /** Four values of `total` characters together, none past the per-field limit. */
  const quarters = (total: number) => ['a', 'b', 'c', 'd'].map((c, k) => c.repeat(k < 3 ? 100_000 : total - 300_000));
  const extraKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, k) => [`X${k}__c`, 'x']));

  const cases: [string, ContentType, string, string][] = [
    ['a field of 131,073 characters', 'CSV', `Name,Description\nTooLong CSV,${'d'.repeat(131_073)}\n`, fieldTooLong],
    ['5,001 fields in a record', 'CSV', `Name\nTooWide CSV${',x'.repeat(5_000)}\n`, tooManyFields],
    [
      'a record of 400,001 characters',
      'CSV',
      `Name,Description,Site,Phone\n${quarters(400_001).join(',')}\n`,
      recordTooLong,
    ],
    [
      'a field of 131,073 characters',
      'JSON',
      JSON.stringify([{ Name: 'TooLong JSON', Description: 'd'.repeat(131_073) }]),
      fieldTooLong,
    ],
    [
      '5,001 fields in a record',
      'JSON',
      JSON.stringify([{ Name: 'TooWide JSON', ...extraKeys(5_000) }]),
      tooManyFields,
    ],
    [
      'a record of 400,001 characters',
      'XML',
      sObjectsXml([
        quarters(400_001)
          .map((v, k) => `<F${k}__c>${v}</F${k}__c>`)
          .join(''),
      ]),
      recordTooLong,
    ],
  ];
  for (const [what, contentType, body, message] of cases) {
    it(`${contentType}: ${what} fails the batch with no record written`, async () => {
      const before = await dbCount(server, 'SELECT COUNT(*) AS n FROM "Account"');
      const run = await bulk.run({ operation: 'insert', object: 'Account', contentType }, body);
      assert.equal(run.state, 'Failed');
      assert.equal(run.stateMessage, message);
      assert.equal(await dbCount(server, 'SELECT COUNT(*) AS n FROM "Account"'), before);
    });
  }

  it('CSV: a record at two limits at once (5,000 fields, a 131,072-character field) is inserted', async () => {
    // The columns past Notes__c repeat a field Account has, so the header resolves; they are empty and set nothing.
    const header = ['Name', 'Notes__c', ...Array.from({ length: 4_998 }, () => 'Site')].join(',');
    const row = ['At The Limits', 'd'.repeat(131_072), ...Array.from({ length: 4_998 }, () => '')].join(',');
    const run = await bulk.run({ operation: 'insert', object: 'Account' }, `${header}\n${row}\n`);
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.equal(run.results[0].success, true, JSON.stringify(run.results[0].errors));
    const stored = await dbGet<{ Notes__c: string }>(server, 'SELECT "Notes__c" FROM "Account" WHERE "Name" = ?', [
      'At The Limits',
    ]);
    assert.equal(stored?.Notes__c, 'd'.repeat(131_072));
  });
});

describe('a CSV header naming a field twice', () => {
  it('is accepted, as no capture shows an org refusing it: the later non-blank cell wins', async () => {
    const run = await bulk.run(
      { operation: 'insert', object: 'Account' },
      'Name,Industry,Industry\nTwice A,Energy,Banking\nTwice B,Energy,\n',
    );
    assert.equal(run.state, 'Completed', run.stateMessage);
    const industry = async (name: string) =>
      (await dbGet<{ Industry: string }>(server, 'SELECT "Industry" FROM "Account" WHERE "Name" = ?', [name]))
        ?.Industry;
    assert.equal(await industry('Twice A'), 'Banking');
    assert.equal(await industry('Twice B'), 'Energy');
  });
});
