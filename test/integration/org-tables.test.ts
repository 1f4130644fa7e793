// Record tables per org at any count (issue 12, item 1). Org ids are case-sensitive and SQLite's table names are not:
// the 10th and the 36th org (…0A, …0a) once got the same tables. Hundreds of orgs each see exactly their own records,
// and a data directory where two orgs share tables (an earlier release) is split at start by who wrote the rows.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { adminHeaders, freshDataLocation, startTestServer, testBackend, type DataLocation } from '../helpers/server.js';
import { http } from '../helpers/bulk.js';
import { createOrg, rest, type Login } from '../helpers/org.js';
import type { RunningServer } from '../../src/server/server.js';

const ORGS = 300;

async function seedAccount(base: string, orgId: string, name: string): Promise<void> {
  const r = await http(`${base}/_localforce/orgs/${orgId}/seed/Account`, {
    method: 'POST',
    headers: adminHeaders({ 'Content-Type': 'text/csv' }),
    body: `Name\n${name}\n`,
  });
  assert.equal(r.status, 200, `seed: ${r.status} ${r.body}`);
  assert.match(r.body, /"true","true"/, r.body);
}

async function accountNames(base: string, token: string): Promise<string[]> {
  const r = await rest(base, token, '/v62.0/query?q=SELECT+Name+FROM+Account');
  assert.equal(r.status, 200, r.body);
  return (r.json().records as { Name: string }[]).map((x) => x.Name).sort();
}

async function userIds(base: string, token: string): Promise<string[]> {
  const r = await rest(base, token, '/v62.0/query?q=SELECT+Id+FROM+User');
  assert.equal(r.status, 200, r.body);
  return (r.json().records as { Id: string }[]).map((x) => x.Id).sort();
}

/** Runs `fn` over `items`, `width` at a time. */
async function inParallel<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return out;
}

describe(`${ORGS} orgs on one server`, () => {
  let server: RunningServer;
  let logins: Login[];

  before(async () => {
    server = await startTestServer();
    const numbers = Array.from({ length: ORGS }, (_, i) => i);
    logins = await inParallel(numbers, 4, (i) => createOrg(server.url, `Org ${i}`, `admin@org-${i}.test`, 'pw'));
    await inParallel(numbers, 4, (i) => seedAccount(server.url, logins[i].orgId, `Account of org ${i}`));
  });
  after(async () => server?.close());

  it('gives org ids that differ only in case (the collisions that once shared tables)', () => {
    const lower = new Set(logins.map((l) => l.orgId.slice(0, 15).toLowerCase()));
    assert.ok(lower.size < ORGS, 'the test must include org ids differing only in case');
  });

  it('lets each org read exactly its own record and its own user', async () => {
    const wrong: string[] = [];
    await inParallel(
      logins.map((l, i) => ({ l, i })),
      4,
      async ({ l, i }) => {
        const names = await accountNames(server.url, l.token);
        if (names.join('|') !== `Account of org ${i}`) wrong.push(`org ${i} (${l.orgId}) reads ${names.join(', ')}`);
        const users = await userIds(server.url, l.token);
        if (users.join('|') !== l.userId) wrong.push(`org ${i} (${l.orgId}) lists users ${users.join(', ')}`);
      },
    );
    assert.deepEqual(wrong, []);
  });
});

/** Every table of the org, moved under the 15-character prefix earlier releases gave it (SQLite file). */
function makeLegacy(file: string, id18: string, into?: string): void {
  const db = new Database(file);
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 19) = ?`)
      .pluck(true)
      .all(`${id18}_`) as string[];
    for (const table of tables) {
      const object = table.slice(19);
      for (const index of db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
        .pluck(true)
        .all(table) as string[])
        db.exec(`DROP INDEX "${index}"`);
      if (into) {
        // A second org with the same id but for case: earlier releases put its rows in the first one's table.
        db.exec(`INSERT INTO "${into.slice(0, 15)}_${object}" SELECT * FROM "${table}"`);
        db.exec(`DROP TABLE "${table}"`);
      } else db.exec(`ALTER TABLE "${table}" RENAME TO "${id18.slice(0, 15)}_${object}"`);
    }
  } finally {
    db.close();
  }
}

describe('a data directory from a release whose orgs shared tables', { skip: testBackend() !== 'sqlite' }, () => {
  let location: DataLocation;
  let pair: Login[] = [];
  let alone: Login;

  before(async () => {
    location = await freshDataLocation();
    const first = await startTestServer(location.config);
    const logins: Login[] = [];
    for (let i = 0; i < 40; i++) logins.push(await createOrg(first.url, `Org ${i}`, `admin@old-${i}.test`, 'pw'));
    for (const [i, l] of logins.entries()) await seedAccount(first.url, l.orgId, `Account of org ${i}`);
    await first.close();
    const byLower = new Map<string, Login[]>();
    for (const l of logins) {
      const key = l.orgId.slice(0, 15).toLowerCase();
      byLower.set(key, [...(byLower.get(key) ?? []), l]);
    }
    pair = [...byLower.values()].find((g) => g.length === 2) ?? [];
    assert.equal(pair.length, 2, 'two of 40 org ids differ only in case');
    alone = logins.find((l) => !pair.includes(l)) as Login;
    makeLegacy(location.dbFile as string, pair[0].orgId);
    makeLegacy(location.dbFile as string, pair[1].orgId, pair[0].orgId);
    makeLegacy(location.dbFile as string, alone.orgId);
  });
  after(async () => location?.remove());

  it('says so at start and gives each org back its own records and users', async () => {
    const server = await startTestServer(location.config);
    try {
      assert.ok(
        server.notices.some((n) => n.includes(pair[0].orgId) && n.includes(pair[1].orgId) && n.includes('Account')),
        server.notices.join('\n'),
      );
      for (const l of [...pair, alone]) {
        const token = (await http(`${server.url}/_localforce/orgs/${l.orgId}/users`, {
          method: 'POST',
          headers: adminHeaders({ 'Content-Type': 'application/json' }),
          body: JSON.stringify({ username: `again-${l.username}`, password: 'pw' }),
        })) as { body: string };
        const login = JSON.parse(token.body) as Login;
        const names = await accountNames(server.url, login.token);
        assert.equal(names.length, 1, `${l.orgId}: ${names.join(', ')}`);
        assert.deepEqual((await userIds(server.url, login.token)).sort(), [l.userId, login.userId].sort());
      }
    } finally {
      await server.close();
    }
  });
});
