// Bulk API 1.0 end to end with the real, unmodified jsforce 3.10.16: SOAP and OAuth2 password logins, conn.bulk.load
// for insert / update / upsert / delete / hardDelete, the manual job API (createJob, createBatch, list, check, close,
// abort), a bad token, the re-login jsforce does after a session is revoked, and a 1,000-row batch. Every test checks
// what jsforce hands back and, where it matters, the rows stored in the database.
import type { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import jsforce from 'jsforce';
import type { JobInfo, BatchInfo } from 'jsforce/api/bulk';
import { adminHeaders, startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { sessionTokenHash } from '../../src/org/auth.js';
import { dbAll, dbCount, dbGet } from '../helpers/db.js';
import { BulkClient, http, xmlText } from '../helpers/bulk.js';
import type { RunningServer } from '../../src/server/server.js';

type Conn = InstanceType<typeof jsforce.Connection>;

const VERSION = '62.0';
const USERNAME = 'admin@localforce.local';
const PASSWORD = 'localforce';
const TOKEN_SHAPE = /^00D\w{12,15}!/;
const ACCOUNT_ID = /^001[0-9A-Za-z]{15}$/;

interface IngestResult {
  id: string | null;
  success: boolean;
  created: boolean;
  errors: string[];
}

interface LoadOutcome {
  results: IngestResult[];
  jobId: string;
  batchId: string;
  /** The jobInfo of the Closed job (jsforce closes the job after reading the results). */
  closed: JobInfo;
}

/** An 18-character id from 15 characters (Salesforce's case checksum), written here independently of src/. */
function id18(id15: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) if (/[A-Z]/.test(id15[chunk * 5 + i])) bits |= 1 << i;
    suffix += alphabet[bits];
  }
  return id15 + suffix;
}

function tune(conn: Conn): Conn {
  conn.bulk.pollInterval = 100;
  conn.bulk.pollTimeout = 20_000;
  return conn;
}

/**
 * conn.bulk.load, also waiting for the close jsforce sends after reading the results (it does not await it), so no
 * request is in flight when the next test (or the server shutdown) starts. The job and batch ids come from the
 * batchInfo of the 'queue' event (jsforce clears job.id when it closes the job).
 */
async function load(
  conn: Conn,
  type: string,
  operation: 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete',
  options: { extIdField?: string },
  records: Record<string, unknown>[],
): Promise<LoadOutcome> {
  const batch = conn.bulk.load(type, operation, options, records);
  let jobId = '';
  let batchId = '';
  batch.on('queue', (info: BatchInfo) => {
    jobId = info.jobId;
    batchId = info.id;
  });
  const closed = new Promise<JobInfo>((resolve, reject) => {
    batch.job.once('close', resolve);
    batch.job.once('error', reject);
  });
  closed.catch(() => {}); // awaited below only when the load succeeded
  const results = (await batch) as unknown as IngestResult[];
  return { results, jobId, batchId, closed: await closed };
}

interface AccountRow {
  Id: string;
  Name: string | null;
  Description: string | null;
  AccountNumber: string | null;
  External_Id__c: string | null;
  IsDeleted: number;
}

async function accountRow(server: RunningServer, id: string): Promise<AccountRow | undefined> {
  return dbGet<AccountRow>(
    server,
    'SELECT "Id", "Name", "Description", "AccountNumber", "External_Id__c", "IsDeleted" FROM "Account" WHERE "Id" = ?',
    [id],
  );
}

/**
 * Account rows matching `where` (column names double-quoted). External_Id__c matches case-insensitively (SQLite:
 * COLLATE NOCASE), so conditions on it compare lower() on both sides; the same goes for LIKE, which ignores ASCII case
 * on SQLite only.
 */
async function countWhere(server: RunningServer, where: string, ...args: unknown[]): Promise<number> {
  return dbCount(server, `SELECT count(*) AS n FROM "Account" WHERE ${where}`, args);
}

/** Resolves with the results of a batch whose poll was started by hand, or rejects with the batch's error. */
function settled(batch: EventEmitter): Promise<IngestResult[]> {
  return new Promise((resolve, reject) => {
    batch.once('response', resolve);
    batch.once('error', reject);
  });
}

describe('jsforce 3.10.16 against localforce: Bulk API 1.0', () => {
  let server: RunningServer;
  let conn: Conn;

  before(async () => {
    server = await startTestServer();
    conn = tune(new jsforce.Connection({ instanceUrl: server.url, accessToken: TEST_TOKEN, version: VERSION }));
  });
  after(async () => server.close());

  it('is jsforce 3.10.16, imported as the default export under ESM', () => {
    assert.equal(jsforce.VERSION, '3.10.16');
    assert.equal(typeof jsforce.Connection, 'function');
  });

  describe('login', () => {
    it('logs in through SOAP: a 00D…! token, the org and user ids, the instance URL', async () => {
      const c = new jsforce.Connection({ loginUrl: server.url, version: VERSION });
      const info = await c.login(USERNAME, PASSWORD);
      assert.match(c.accessToken ?? '', TOKEN_SHAPE);
      assert.equal(info.organizationId, server.org.orgId);
      assert.equal(info.id, server.org.userId);
      assert.equal(c.userInfo?.organizationId, server.org.orgId);
      assert.equal(c.instanceUrl, server.url);
      assert.equal(info.url, `${server.url}/id/${server.org.orgId}/${server.org.userId}`);
      assert.notEqual(c.accessToken, TEST_TOKEN, 'a login issues a new session');
      assert.equal(
        await dbCount(server, 'SELECT count(*) AS n FROM lf_session WHERE token = ?', [
          sessionTokenHash(c.accessToken ?? ''),
        ]),
        1,
      );
      // The token works for Bulk 1.0 right away.
      const job = await tune(c).bulk.createJob('Account', 'insert').open();
      assert.match(job.id, /^750[0-9A-Za-z]{15}$/);
      assert.equal(job.state, 'Open');
      assert.equal(job.createdById, server.org.userId);
      await c.bulk.job(job.id).abort();
    });

    it('logs in through the OAuth2 username-password flow', async () => {
      const c = new jsforce.Connection({
        oauth2: { loginUrl: server.url, clientId: 'x', clientSecret: 'y' },
        version: VERSION,
      });
      const info = await c.login(USERNAME, PASSWORD);
      assert.match(c.accessToken ?? '', TOKEN_SHAPE);
      assert.equal(info.organizationId, server.org.orgId);
      assert.equal(info.id, server.org.userId);
      assert.equal(c.userInfo?.organizationId, server.org.orgId);
      assert.equal(c.instanceUrl, server.url);
      const job = await tune(c).bulk.createJob('Contact', 'insert').open();
      assert.equal(job.object, 'Contact');
      await c.bulk.job(job.id).abort();
    });

    it('rejects a bad password: INVALID_LOGIN through SOAP', async () => {
      const c = new jsforce.Connection({ loginUrl: server.url, version: VERSION });
      await assert.rejects(c.login(USERNAME, 'wrong-password'), (err: Error) => {
        assert.match(err.message, /^INVALID_LOGIN: Invalid username, password, security token; or user locked out\.$/);
        return true;
      });
      assert.ok(!c.accessToken, 'no session after a failed login');
    });

    it('rejects a bad password: invalid_grant through OAuth2', async () => {
      const c = new jsforce.Connection({
        oauth2: { loginUrl: server.url, clientId: 'x', clientSecret: 'y' },
        version: VERSION,
      });
      await assert.rejects(c.login(USERNAME, 'wrong-password'), (err: Error) => {
        assert.equal(err.name, 'invalid_grant');
        assert.equal(err.message, 'authentication failure');
        return true;
      });
      await assert.rejects(c.login('nobody@example.com', PASSWORD), { name: 'invalid_grant' });
    });
  });

  // Values that need CSV quoting on the way in, and that break jsforce's delimiter sniffing on the way back unless
  // the server quotes every result field.
  const SPECIAL: Record<string, unknown>[] = [
    { Name: 'Acme, Inc.', Description: 'He said "hi"; then left | again', AccountNumber: 'A-1' },
    { Name: 'Quote "Q" Co', Description: 'line one\nline two\nline three', AccountNumber: 'A-2' },
    { Description: 'this row has no Name', AccountNumber: 'A-3' },
    { Name: 'Semi;colon|pipe^caret`tick', Description: 'tab\there, comma, "quote"', AccountNumber: 'A-4' },
    { Name: 'Ünïcødé ☃ 名前', Description: 'multi\r\nline with CRLF', AccountNumber: 'A-5' },
  ];
  let ids: string[] = [];

  describe('insert', () => {
    it('inserts through conn.bulk.load: results in input order, the row without Name fails REQUIRED_FIELD_MISSING', async () => {
      const { results, jobId, batchId, closed } = await load(conn, 'Account', 'insert', {}, SPECIAL);
      assert.equal(results.length, 5);
      assert.deepEqual(
        results.map((r) => [r.success, r.created]),
        [
          [true, true],
          [true, true],
          [false, false],
          [true, true],
          [true, true],
        ],
      );
      assert.deepEqual(results[2], {
        id: null,
        success: false,
        created: false,
        errors: ['REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --'],
      });
      for (const i of [0, 1, 3, 4]) {
        assert.match(results[i].id!, ACCOUNT_ID);
        assert.deepEqual(results[i].errors, []);
      }
      ids = [0, 1, 3, 4].map((i) => results[i].id!);
      assert.equal(new Set(ids).size, 4, 'ids are distinct');
      assert.match(jobId, /^750/);
      assert.match(batchId, /^751/);
      assert.equal(closed.state, 'Closed');
      assert.equal(closed.numberRecordsProcessed, '5');
      assert.equal(closed.numberRecordsFailed, '1');
    });

    it('stored every value exactly as jsforce sent it', async () => {
      const expected = [SPECIAL[0], SPECIAL[1], SPECIAL[3], SPECIAL[4]];
      for (const [i, id] of ids.entries()) {
        const row = await accountRow(server, id);
        assert.ok(row, id);
        assert.deepEqual(
          { Name: row.Name, Description: row.Description, AccountNumber: row.AccountNumber, IsDeleted: row.IsDeleted },
          { ...expected[i], IsDeleted: 0 },
        );
      }
      assert.equal(await countWhere(server, '"AccountNumber" = ?', 'A-3'), 0, 'the failed row was not stored');
    });
  });

  describe('update', () => {
    it('updates by Id: created false, same ids, #N/A clears a field; the batch jsforce sent starts with Id', async () => {
      const records = [
        { Id: ids[0], Name: 'Acme, Inc. (updated)', Description: null },
        { Id: ids[1], Name: 'Quote "Q" Co', Description: 'now; one | line' },
      ];
      const { results, jobId, batchId } = await load(conn, 'Account', 'update', {}, records);
      assert.deepEqual(results, [
        { id: ids[0], success: true, created: false, errors: [] },
        { id: ids[1], success: true, created: false, errors: [] },
      ]);
      const a = (await accountRow(server, ids[0]))!;
      const b = (await accountRow(server, ids[1]))!;
      assert.deepEqual([a.Name, a.Description, a.AccountNumber], ['Acme, Inc. (updated)', null, 'A-1']);
      assert.deepEqual([b.Name, b.Description, b.AccountNumber], ['Quote "Q" Co', 'now; one | line', 'A-2']);
      // What jsforce put on the wire, read back through GET …/batch/{id}/request.
      const raw = await new BulkClient(server.url, TEST_TOKEN, VERSION).get(`/job/${jobId}/batch/${batchId}/request`);
      assert.equal(raw.status, 200);
      assert.equal(
        raw.body,
        `Id,Name,Description\n${ids[0]},"Acme, Inc. (updated)",#N/A\n${ids[1]},"Quote ""Q"" Co",now; one | line\n`,
      );
    });

    it('fails an unknown well-formed id with INVALID_CROSS_REFERENCE_KEY and a malformed id with MALFORMED_ID', async () => {
      const unknown = id18('001ZZ9999999999');
      assert.equal(await countWhere(server, '"Id" = ?', unknown), 0);
      // An 18-char id whose first 15 characters disagree in case with its checksum (Salesforce answers MALFORMED_ID).
      const letter = ids[3].slice(3, 15).search(/[A-Za-z]/) + 3;
      assert.ok(letter >= 3, `no letter to flip in ${ids[3]}`);
      const flipped =
        ids[3][letter] === ids[3][letter].toUpperCase() ? ids[3][letter].toLowerCase() : ids[3][letter].toUpperCase();
      const wrongCase = ids[3].slice(0, letter) + flipped + ids[3].slice(letter + 1);
      const contactId = id18('003Lf0000000001');
      const records = [
        { Id: unknown, Name: 'Nobody' },
        { Id: '001notAnId', Name: 'Bad' },
        { Id: ids[3], Name: 'Still fine' },
        { Id: contactId, Name: 'A Contact id' },
        { Id: wrongCase, Name: 'Wrong case' },
      ];
      const { results } = await load(conn, 'Account', 'update', {}, records);
      assert.deepEqual(results, [
        {
          id: null,
          success: false,
          created: false,
          errors: ['INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--'],
        },
        {
          id: null,
          success: false,
          created: false,
          errors: ['MALFORMED_ID:Account ID: id value of incorrect type: 001notAnId:Id --'],
        },
        { id: ids[3], success: true, created: false, errors: [] },
        {
          id: null,
          success: false,
          created: false,
          errors: [`MALFORMED_ID:Account ID: id value of incorrect type: ${contactId}:Id --`],
        },
        {
          id: null,
          success: false,
          created: false,
          errors: [`MALFORMED_ID:Account ID: id value of incorrect type: ${wrongCase}:Id --`],
        },
      ]);
      assert.equal((await accountRow(server, ids[3]))!.Name, 'Still fine');
      assert.equal(await countWhere(server, `"Name" IN ('Nobody', 'Bad', 'A Contact id', 'Wrong case')`), 0);
    });
  });

  describe('upsert by External_Id__c', () => {
    let upserted: string[] = [];

    it('creates on the first run (created true)', async () => {
      const records = [
        { External_Id__c: 'ext-1', Name: 'Ext One', Description: 'a, b' },
        { External_Id__c: 'ext-2', Name: 'Ext Two', Description: 'c; d' },
      ];
      const { results, closed } = await load(conn, 'Account', 'upsert', { extIdField: 'External_Id__c' }, records);
      assert.equal(results.length, 2);
      for (const r of results) {
        assert.deepEqual([r.success, r.created, r.errors], [true, true, []]);
        assert.match(r.id!, ACCOUNT_ID);
      }
      upserted = results.map((r) => r.id!);
      assert.equal(closed.state, 'Closed');
      assert.deepEqual(
        (await Promise.all(upserted.map((id) => accountRow(server, id)))).map((row) => row!.External_Id__c),
        ['ext-1', 'ext-2'],
      );
    });

    it('updates on the second run with the same keys (created false, same ids, no new rows)', async () => {
      const records = [
        { External_Id__c: 'ext-2', Name: 'Ext Two v2', Description: 'changed' },
        { External_Id__c: 'ext-1', Name: 'Ext One v2', Description: 'changed too' },
        { External_Id__c: 'ext-3', Name: 'Ext Three', Description: 'new' },
      ];
      const { results } = await load(conn, 'Account', 'upsert', { extIdField: 'External_Id__c' }, records);
      assert.deepEqual(results.slice(0, 2), [
        { id: upserted[1], success: true, created: false, errors: [] },
        { id: upserted[0], success: true, created: false, errors: [] },
      ]);
      assert.deepEqual([results[2].success, results[2].created], [true, true]);
      assert.match(results[2].id!, ACCOUNT_ID);
      assert.deepEqual(
        [(await accountRow(server, upserted[0]))!.Name, (await accountRow(server, upserted[1]))!.Name],
        ['Ext One v2', 'Ext Two v2'],
      );
      assert.equal(await countWhere(server, `lower("External_Id__c") IN ('ext-1', 'ext-2', 'ext-3')`), 3);
    });

    it('fails both rows that carry the same key in one batch with DUPLICATE_VALUE', async () => {
      const records = [
        { External_Id__c: 'dup-1', Name: 'First copy' },
        { External_Id__c: 'ext-9', Name: 'Unrelated' },
        { External_Id__c: 'dup-1', Name: 'Second copy' },
      ];
      const { results } = await load(conn, 'Account', 'upsert', { extIdField: 'External_Id__c' }, records);
      const dup = {
        id: null,
        success: false,
        created: false,
        errors: ['DUPLICATE_VALUE:Duplicate external id specified: dup-1:External_Id__c --'],
      };
      assert.deepEqual(results[0], dup);
      assert.deepEqual(results[2], dup);
      assert.deepEqual([results[1].success, results[1].created], [true, true]);
      assert.equal(await countWhere(server, 'lower("External_Id__c") = lower(?)', 'dup-1'), 0);
      assert.equal(await countWhere(server, 'lower("External_Id__c") = lower(?)', 'ext-9'), 1);
    });
  });

  describe('delete and hardDelete', () => {
    it('deletes (soft): success, the rows stay with IsDeleted = 1', async () => {
      const targets = [ids[2], ids[3]];
      const { results } = await load(
        conn,
        'Account',
        'delete',
        {},
        targets.map((Id) => ({ Id, Name: 'ignored for delete' })),
      );
      assert.deepEqual(
        results,
        targets.map((id) => ({ id, success: true, created: false, errors: [] })),
      );
      for (const id of targets) assert.equal((await accountRow(server, id))!.IsDeleted, 1);
    });

    it('deleting the same ids again fails with ENTITY_IS_DELETED', async () => {
      const { results } = await load(conn, 'Account', 'delete', {}, [{ Id: ids[2] }, { Id: ids[3] }]);
      assert.deepEqual(
        results,
        [ids[2], ids[3]].map(() => ({
          id: null,
          success: false,
          created: false,
          errors: ['ENTITY_IS_DELETED:entity is deleted:--'],
        })),
      );
    });

    it('updating a deleted record fails with ENTITY_IS_DELETED', async () => {
      const { results } = await load(conn, 'Account', 'update', {}, [{ Id: ids[2], Name: 'Zombie' }]);
      assert.deepEqual(results, [
        { id: null, success: false, created: false, errors: ['ENTITY_IS_DELETED:entity is deleted:--'] },
      ]);
    });

    it('hardDelete removes live and soft-deleted rows from the table', async () => {
      const { results } = await load(conn, 'Account', 'hardDelete', {}, [{ Id: ids[0] }, { Id: ids[2] }]);
      assert.deepEqual(
        results,
        [ids[0], ids[2]].map((id) => ({ id, success: true, created: false, errors: [] })),
      );
      assert.equal(await accountRow(server, ids[0]), undefined);
      assert.equal(await accountRow(server, ids[2]), undefined);
      assert.ok(await accountRow(server, ids[1]), 'other rows are untouched');
    });

    it('deleting a hard-deleted id fails with INVALID_CROSS_REFERENCE_KEY', async () => {
      const { results } = await load(conn, 'Account', 'delete', {}, [{ Id: ids[0] }]);
      assert.deepEqual(results, [
        {
          id: null,
          success: false,
          created: false,
          errors: ['INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--'],
        },
      ]);
    });
  });

  describe('manual job API', () => {
    it('createJob, two batches, poll, list, check, close', async () => {
      const job = conn.bulk.createJob('Account', 'insert');
      const first = job.createBatch();
      first.execute([{ Name: 'Manual 1' }, { Name: 'Manual 2' }, { Name: 'Manual 3' }]);
      const [queued] = (await once(first, 'queue')) as [BatchInfo];
      assert.match(queued.id, /^751[0-9A-Za-z]{15}$/);
      assert.equal(queued.jobId, job.id);
      assert.equal(queued.state, 'Queued');
      first.poll(conn.bulk.pollInterval, conn.bulk.pollTimeout);
      const firstResults = (await first) as unknown as IngestResult[];
      assert.equal(firstResults.length, 3);
      for (const r of firstResults) assert.deepEqual([r.success, r.created, r.errors], [true, true, []]);
      assert.deepEqual(
        (await Promise.all(firstResults.map((r) => accountRow(server, r.id!)))).map((row) => row?.Name),
        ['Manual 1', 'Manual 2', 'Manual 3'],
      );

      const second = job.createBatch();
      // Two columns: a one-column row with an empty value would serialise as a blank line, which CSV readers skip.
      second.execute([
        { Name: 'Manual 4', AccountNumber: 'M-4' },
        { Name: '', AccountNumber: 'M-5' },
      ]);
      await once(second, 'queue');
      second.poll(conn.bulk.pollInterval, conn.bulk.pollTimeout);
      const secondResults = (await second) as unknown as IngestResult[];
      assert.deepEqual(
        secondResults.map((r) => r.success),
        [true, false],
      );
      assert.deepEqual(secondResults[1].errors, ['REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --']);

      const list = await job.list();
      assert.equal(list.length, 2);
      assert.deepEqual(
        list.map((b) => [b.id, b.jobId, b.state, b.numberRecordsProcessed, b.numberRecordsFailed]),
        [
          [first.id, job.id, 'Completed', '3', '0'],
          [second.id, job.id, 'Completed', '2', '1'],
        ],
      );

      const info = await job.check();
      assert.deepEqual(
        [
          info.id,
          info.object,
          info.operation,
          info.state,
          info.contentType,
          info.numberBatchesTotal,
          info.numberBatchesCompleted,
          info.numberBatchesQueued,
          info.numberRecordsProcessed,
          info.numberRecordsFailed,
        ],
        [job.id, 'Account', 'insert', 'Open', 'CSV', '2', '2', '0', '5', '1'],
      );

      const jobId = job.id!;
      const closed = await job.close();
      assert.equal(closed?.state, 'Closed');
      assert.equal(closed?.id, jobId);
      const again = await conn.bulk.job(jobId).check();
      assert.equal(again.state, 'Closed');

      // A closed job takes no more batches: the error comes back as jsforce's errorCode.
      const late = conn.bulk.job(jobId).createBatch();
      late.on('error', () => {});
      await assert.rejects(Promise.resolve(late.execute([{ Name: 'Too late' }])), { errorCode: 'InvalidJobState' });
      assert.equal(await countWhere(server, '"Name" = ?', 'Too late'), 0);
    });

    it('reports an unknown job as InvalidJob', async () => {
      await assert.rejects(conn.bulk.job('750Lf00000000ZZZZZ').check(), { errorCode: 'InvalidJob' });
    });
  });

  describe('sessions', () => {
    it('rejects a bogus token with InvalidSessionId (no refresh possible without a login)', async () => {
      const bad = tune(new jsforce.Connection({ instanceUrl: server.url, accessToken: 'bogus', version: VERSION }));
      const batch = bad.bulk.load('Account', 'insert', [{ Name: 'Never stored' }]);
      await assert.rejects(Promise.resolve(batch), (err: Error & { errorCode?: string }) => {
        assert.equal(err.name, 'InvalidSessionId');
        assert.equal(err.errorCode, 'InvalidSessionId');
        assert.equal(err.message, 'Invalid session id');
        return true;
      });
      await assert.rejects(bad.bulk.job('750Lf00000000ZZZZZ').check(), { errorCode: 'InvalidSessionId' });
      assert.equal(await countWhere(server, '"Name" = ?', 'Never stored'), 0);
    });

    it('logs in again and retries when the session was revoked (SOAP login keeps the credentials)', async () => {
      const c = tune(new jsforce.Connection({ loginUrl: server.url, version: VERSION }));
      await c.login(USERNAME, PASSWORD);
      const first = c.accessToken!;
      const refreshed: string[] = [];
      c.on('refresh', (token: string) => refreshed.push(token));

      const revoke = async (token: string) => {
        const r = await http(`${server.url}/_localforce/sessions/revoke`, {
          method: 'POST',
          headers: adminHeaders({ 'Content-Type': 'application/json' }),
          body: JSON.stringify({ token }),
        });
        assert.equal(r.status, 204, r.body);
      };
      await revoke(first);
      // The old token is dead on the wire (400 InvalidSessionId, which is what jsforce's Bulk refresh keys on).
      const dead = await new BulkClient(server.url, first, VERSION).get('/job/750Lf00000000ZZZZZ');
      assert.equal(dead.status, 400);
      assert.equal(xmlText(dead.body, 'exceptionCode'), 'InvalidSessionId');
      assert.equal(
        await dbGet(server, 'SELECT token FROM lf_session WHERE token = ?', [sessionTokenHash(first)]),
        undefined,
      );

      // POST /job fails with the dead token, jsforce logs in again and replays the request.
      const { results, jobId } = await load(c, 'Account', 'insert', {}, [{ Name: 'After re-login' }]);
      assert.equal(refreshed.length, 1);
      const second = c.accessToken!;
      assert.notEqual(second, first);
      assert.match(second, TOKEN_SHAPE);
      assert.equal(refreshed[0], second);
      assert.equal(results.length, 1);
      assert.deepEqual([results[0].success, results[0].created], [true, true]);
      assert.equal((await accountRow(server, results[0].id!))?.Name, 'After re-login');

      // The same on a GET (job check).
      await revoke(second);
      const info = await c.bulk.job(jobId).check();
      assert.equal(info.state, 'Closed');
      assert.equal(refreshed.length, 2);
      assert.notEqual(c.accessToken, second);
    });
  });

  describe('connection variants', () => {
    it('works with an instance URL that ends in a slash (jsforce then requests //services/async/…)', async () => {
      const c = tune(
        new jsforce.Connection({ instanceUrl: `${server.url}/`, accessToken: TEST_TOKEN, version: VERSION }),
      );
      const { results, closed } = await load(c, 'Account', 'insert', {}, [{ Name: 'Trailing slash' }]);
      assert.deepEqual([results[0].success, results[0].created], [true, true]);
      assert.equal((await accountRow(server, results[0].id!))?.Name, 'Trailing slash');
      assert.equal(closed.state, 'Closed');
    });

    it("works with jsforce's default API version (50.0) when none is given", async () => {
      const c = tune(new jsforce.Connection({ instanceUrl: server.url, accessToken: TEST_TOKEN }));
      assert.equal(c.version, '50.0');
      const { results, closed } = await load(c, 'Account', 'insert', {}, [{ Name: 'Default version' }]);
      assert.deepEqual([results[0].success, results[0].created], [true, true]);
      assert.equal(closed.apiVersion, '50.0');
    });
  });

  describe('a large batch', () => {
    it('inserts 1,000 rows in one batch: 1,000 successes in input order', async () => {
      const records = Array.from({ length: 1000 }, (_, i) => ({
        Name: `Bulk ${String(i).padStart(4, '0')}`,
        AccountNumber: `N${i}`,
        Description: i % 7 === 0 ? `row ${i}, with "quotes"; and | pipes` : `row ${i}`,
      }));
      const { results, closed } = await load(conn, 'Account', 'insert', {}, records);
      assert.equal(results.length, 1000);
      assert.equal(results.filter((r) => r.success && r.created && r.errors.length === 0).length, 1000);
      for (const r of results) assert.match(r.id!, ACCOUNT_ID);
      assert.equal(new Set(results.map((r) => r.id)).size, 1000);
      assert.equal(closed.numberRecordsProcessed, '1000');
      assert.equal(closed.numberRecordsFailed, '0');
      const stored = new Map(
        (
          await dbAll<{ Id: string; Name: string; AccountNumber: string; Description: string }>(
            server,
            `SELECT "Id", "Name", "AccountNumber", "Description" FROM "Account" WHERE lower("Name") LIKE 'bulk %'`,
          )
        ).map((r) => [r.Id, r]),
      );
      assert.equal(stored.size, 1000);
      results.forEach((r, i) => {
        const row = stored.get(r.id!);
        assert.deepEqual(
          row && [row.Name, row.AccountNumber, row.Description],
          [records[i].Name, records[i].AccountNumber, records[i].Description],
          `row ${i}`,
        );
      });
    });
  });

  describe('query', () => {
    it('reads records back through conn.bulk.query, special characters intact', async () => {
      const records = [
        { Name: 'Query, "one"', Description: 'semi; pipe | caret ^ tick ` tab\t', AccountNumber: 'Q-1' },
        { Name: 'Query two', Description: 'multi\r\nline\nvalue', AccountNumber: 'Q-2' },
      ];
      const { results } = await load(conn, 'Account', 'insert', {}, records);
      assert.deepEqual(
        results.map((r) => r.success),
        [true, true],
      );
      const stream = await conn.bulk.query(
        "SELECT Id, Name, Description, AccountNumber FROM Account WHERE AccountNumber IN ('Q-1', 'Q-2') ORDER BY AccountNumber",
      );
      const rows: Record<string, unknown>[] = [];
      // Listening to 'record' is what starts jsforce's CSV parse of the result files.
      const ended = once(stream, 'end');
      stream.on('record', (r: Record<string, unknown>) => rows.push(r));
      await ended;
      assert.deepEqual(
        rows,
        records.map((r, i) => ({ Id: results[i].id, ...r })),
      );
      // jsforce closes the query job while it reads the results, without waiting: wait for that close to land.
      const openQueries = () =>
        dbCount(server, "SELECT count(*) AS n FROM lf_job WHERE operation = 'query' AND state <> 'Closed'");
      for (let i = 0; i < 100 && (await openQueries()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await openQueries(), 0);
    });
  });
});

describe('jsforce 3.10.16: aborting a job whose batches are still Queued', () => {
  let server: RunningServer;
  let conn: Conn;

  before(async () => {
    server = await startTestServer({ processingDelayMs: 3000 });
    conn = tune(new jsforce.Connection({ instanceUrl: server.url, accessToken: TEST_TOKEN, version: VERSION }));
  });
  after(async () => server.close());

  it('turns both Queued batches NotProcessed, and jsforce rejects when it polls one', async () => {
    const job = conn.bulk.createJob('Account', 'insert');
    const b1 = job.createBatch();
    b1.execute([{ Name: 'Aborted 1' }, { Name: 'Aborted 2' }]);
    const [q1] = (await once(b1, 'queue')) as [BatchInfo];
    const b2 = job.createBatch();
    b2.execute([{ Name: 'Aborted 3' }]);
    const [q2] = (await once(b2, 'queue')) as [BatchInfo];
    assert.deepEqual([q1.state, q2.state], ['Queued', 'Queued']);
    const jobId = job.id!;

    const before = await job.list();
    assert.deepEqual(
      before.map((b) => b.state),
      ['Queued', 'Queued'],
    );

    const aborted = await job.abort();
    assert.equal(aborted?.state, 'Aborted');
    assert.equal(aborted?.id, jobId);

    // jsforce forgets the id of an aborted job, so the job is looked at again through conn.bulk.job(id).
    const same = conn.bulk.job(jobId);
    const list = await same.list();
    assert.deepEqual(
      list.map((b) => [b.id, b.state]),
      [
        [q1.id, 'NotProcessed'],
        [q2.id, 'NotProcessed'],
      ],
    );
    const info = await same.check();
    assert.deepEqual(
      [
        info.state,
        info.numberBatchesTotal,
        info.numberBatchesQueued,
        info.numberBatchesCompleted,
        info.numberRecordsProcessed,
      ],
      ['Aborted', '2', '0', '0', '0'],
    );

    const polled = same.batch(q1.id);
    const outcome = settled(polled);
    polled.poll(conn.bulk.pollInterval, conn.bulk.pollTimeout);
    await assert.rejects(outcome, { message: 'Job has been aborted' });

    // An aborted job takes no more batches.
    const late = same.createBatch();
    late.on('error', () => {});
    await assert.rejects(Promise.resolve(late.execute([{ Name: 'Aborted late' }])), { errorCode: 'InvalidJobState' });

    // Past the processing delay the batches are still NotProcessed and nothing was stored.
    await new Promise((r) => setTimeout(r, 3500));
    assert.deepEqual(
      (await same.list()).map((b) => b.state),
      ['NotProcessed', 'NotProcessed'],
    );
    assert.equal(await countWhere(server, `lower("Name") LIKE 'aborted %'`), 0);
  });
});
