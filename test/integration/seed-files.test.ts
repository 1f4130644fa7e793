// Seed files (`localforce serve --seed DIR`) are localforce's own input, read from disk: a file saved with a UTF-8
// byte-order mark (as spreadsheets save CSV) loads like one without. A Bulk batch with the same bytes fails on its
// first header, as the org's does (strictness.test.ts); the difference is deliberate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../../src/server/server.js';
import { startTestServer } from '../helpers/server.js';
import { dbAll } from '../helpers/db.js';

describe('seed files', () => {
  let server: RunningServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'localforce-seed-bom-'));
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    writeFileSync(
      join(dir, 'Account.csv'),
      Buffer.concat([bom, Buffer.from('Name,Site\nBom One,Kiel\nBom Two,Ulm\n')]),
    );
    server = await startTestServer({ seedDir: dir });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a file that starts with a byte-order mark, its first column included', async () => {
    assert.equal(server.seeded, true);
    const rows = await dbAll<{ Name: string; Site: string }>(
      server,
      `SELECT "Name", "Site" FROM "Account" WHERE "Name" LIKE 'Bom %' ORDER BY "Name"`,
    );
    assert.deepEqual(
      rows.map((r) => [r.Name, r.Site]),
      [
        ['Bom One', 'Kiel'],
        ['Bom Two', 'Ulm'],
      ],
    );
  });
});
