// STRING_TOO_LONG with a huge value (issue 12, item 14): the message names the field and its length as the org's
// does (`<label>: data value too large: <value> (max length=N)`), but echoes at most 1,000 characters of the value,
// so a batch of values of the longest a field may carry (131,072 characters) does not come back at that size.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_TOKEN } from '../helpers/server.js';
import { OrgBulk } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

let server: RunningServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

describe('STRING_TOO_LONG', () => {
  it('echoes at most 1,000 characters of a value over the length', async () => {
    // The longest value a batch may carry: one character more fails the whole batch (strictness.test.ts).
    const huge = `${'a'.repeat(999)}b${'c'.repeat(131_072 - 1000)}`;
    const run = await new OrgBulk(server.url, TEST_TOKEN).run(
      { operation: 'insert', object: 'Account' },
      `Name\n${huge}\n${'x'.repeat(1000)}\n`,
    );
    assert.equal(run.state, 'Completed', run.stateMessage);
    assert.ok(run.body.length < 4000, `results of ${run.body.length} characters`);
    const errors = run.results.map((r) => r.errors?.[0]);
    assert.equal(errors[0]?.statusCode, 'STRING_TOO_LONG');
    assert.equal(errors[0]?.message, `Account Name: data value too large: ${'a'.repeat(999)}b... (max length=255)`);
    assert.deepEqual(errors[0]?.fields, ['Name']);
    assert.equal(errors[1]?.message, `Account Name: data value too large: ${'x'.repeat(1000)} (max length=255)`);
  });
});
