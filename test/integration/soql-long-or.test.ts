// A query whose WHERE is a 5,000-term OR (`Name = 'a0' OR Name = 'a1' …`, as tools build from a key list). It failed
// with an internal error: the compiled SQL's OR chain was one expression as deep as the list, past SQLite's limit of
// 1,000. Over real HTTP on the backend under test: the query completes with exactly the matching records.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, testBackend, TEST_TOKEN } from '../helpers/server.js';
import { BulkClient, xmlText } from '../helpers/bulk.js';
import { parseCsv } from '../../src/wire/csv.js';

describe(`a 5,000-term OR query on ${testBackend()}`, () => {
  it('returns the matching records', { timeout: 60_000 }, async () => {
    const server = await startTestServer();
    try {
      const bulk = new BulkClient(server.url, TEST_TOKEN);
      const insert = await bulk.createJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
      const loaded = await bulk.waitForBatch(insert, await bulk.addBatch(insert, 'Name\na0\na2500\na4999\na5000\n'));
      assert.equal(xmlText(loaded, 'state'), 'Completed', loaded);

      const terms = Array.from({ length: 5_000 }, (_, i) => `Name = 'a${i}'`);
      const soql = `SELECT Name FROM Account WHERE ${terms.join(' OR ')} ORDER BY Name`;
      const job = await bulk.createJob({ operation: 'query', object: 'Account', contentType: 'CSV' });
      const batch = await bulk.addBatch(job, soql, 'text/csv');
      const info = await bulk.waitForBatch(job, batch);
      assert.equal(xmlText(info, 'state'), 'Completed', info);
      const list = (await bulk.get(`/job/${job}/batch/${batch}/result`)).body;
      const resultId = xmlText(list, 'result');
      assert.ok(resultId, list);
      const rows = parseCsv((await bulk.get(`/job/${job}/batch/${batch}/result/${resultId}`)).body);
      assert.deepEqual(rows.slice(1), [['a0'], ['a2500'], ['a4999']]);
    } finally {
      await server.close();
    }
  });
});
