// Unit tests of the SOQL checker and the SQLite compiler on the standard schema (SOQL and SOSL Reference): the
// boolean tree rebuilt from the parser's flat WHERE chain, Salesforce's AND/OR rule, the caret-block messages real
// orgs answer with, what Bulk refuses (Bulk API Developer Guide, "Use Bulk Query"), literals typed into parameters,
// and the date literal ranges at a fixed `now` (UTC).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { checkSoql, type CheckOptions } from '../../src/soql/check.js';
import { compileSqlite } from '../../src/soql/sqlite.js';
import { SoqlError } from '../../src/soql/errors.js';
import type { CheckedQuery, Condition, FieldPath } from '../../src/soql/model.js';
import { standardSchema } from '../../src/org/registry.js';
import { ensureRecordTables } from '../../src/store/sqlite/database.js';

const ORG = '00DLf0000000001AAA';
const schema = standardSchema(ORG, true);
/** Wednesday 2024-05-15 12:00 UTC. */
const NOW = Date.UTC(2024, 4, 15, 12, 0, 0);

const bulk = (soql: string, now = NOW): CheckedQuery =>
  checkSoql(soql, schema, { surface: 'bulk', includeDeleted: false, now });
const restQ = (soql: string): CheckedQuery =>
  checkSoql(soql, schema, { surface: 'rest', includeDeleted: false, now: NOW });

/** The SoqlError a query raises (fails the test when it is accepted or throws anything else). */
function errorOf(soql: string, surface: CheckOptions['surface'] = 'bulk'): SoqlError {
  try {
    checkSoql(soql, schema, { surface, includeDeleted: false, now: NOW });
  } catch (err) {
    assert.ok(
      err instanceof SoqlError,
      `expected a SoqlError for ${soql}, got ${(err as Error)?.stack ?? String(err)}`,
    );
    return err;
  }
  assert.fail(`accepted: ${soql}`);
}

const pathText = (p: FieldPath) => [...p.hops.map((h) => h.reference.relationshipName), p.field.name].join('.');

/** The rebuilt tree as text: every AND/OR group in parentheses, NOT(...) for negation, values as JSON. */
function show(c: Condition | undefined): string {
  if (!c) return '';
  switch (c.kind) {
    case 'and':
    case 'or':
      return `(${c.items.map(show).join(c.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT(${show(c.item)})`;
    case 'compare':
      return `${pathText(c.path)} ${c.op} ${JSON.stringify(c.value)}`;
    case 'range':
      return `${pathText(c.path)} ${c.op} [${c.start},${c.end})`;
    case 'like':
      return `${pathText(c.path)} LIKE ${JSON.stringify(c.pattern)}`;
    case 'in':
      return `${pathText(c.path)} ${c.negate ? 'NOT IN' : 'IN'} ${JSON.stringify(c.values)}`;
    case 'includes':
      return `${pathText(c.path)} ${c.negate ? 'EXCLUDES' : 'INCLUDES'} ${JSON.stringify(c.sets)}`;
    case 'semijoin':
      return `${pathText(c.path)} ${c.negate ? 'NOT IN' : 'IN'} (SELECT ${c.query.columns.map((x) => pathText(x.path)).join(', ')} FROM ${c.query.object.name}${c.query.where ? ` WHERE ${show(c.query.where)}` : ''})`;
  }
}

/** 1-based column of the n-th (0-based) occurrence of `needle` in `text`. */
function columnOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} #${nth} not in ${text}`);
  }
  return at + 1;
}

/** Salesforce's caret block (`ERROR at Row:1:Column:c`) for a single-line query. */
const caretBlock = (soql: string, column: number, text: string) =>
  `\n${soql}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\n${text}`;

const NO_SUCH_COLUMN_TAIL =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

describe("SOQL: the WHERE tree rebuilt from the parser chain (@jetstreamapp/soql-parser-js's flat WHERE)", () => {
  const cases: [string, string, string][] = [
    [
      'Contact',
      "(Email != null AND NOT Name LIKE 'A%') OR Account.Industry IN ('Tech','Energy')",
      '((Email != null AND NOT(Name LIKE "A%")) OR Account.Industry IN ["Tech","Energy"])',
    ],
    ['Account', "NOT (Name = 'a' OR Name = 'b')", 'NOT((Name = "a" OR Name = "b"))'],
    [
      'Account',
      "((NumberOfEmployees = 1 OR AnnualRevenue = 2) AND Name = 'c') OR Site = 'd'",
      '(((NumberOfEmployees = 1 OR AnnualRevenue = 2) AND Name = "c") OR Site = "d")',
    ],
    [
      'Account',
      "Name NOT IN ('a') AND (NOT (Type = 'b' OR Type = 'c'))",
      '(Name NOT IN ["a"] AND NOT((Type = "b" OR Type = "c")))',
    ],
    ['Account', "(NOT Name = 'a') AND Type = 'b'", '(NOT(Name = "a") AND Type = "b")'],
    ['Account', "NOT Name = 'a' AND Type = 'b'", '(NOT(Name = "a") AND Type = "b")'],
    ['Account', "NOT (NOT (Name = 'a'))", 'NOT(NOT(Name = "a"))'],
    ['Account', "((Name = 'a'))", 'Name = "a"'],
    ['Account', "Name = 'a' AND Type = 'b' AND Site = 'c'", '(Name = "a" AND Type = "b" AND Site = "c")'],
    ['Account', "Name = 'a' OR Type = 'b' OR Site = 'c'", '(Name = "a" OR Type = "b" OR Site = "c")'],
    [
      'Account',
      "(Name = 'a' AND (Type = 'b' OR (Site = 'c' AND NOT Phone = 'd'))) OR Fax = 'e'",
      '((Name = "a" AND (Type = "b" OR (Site = "c" AND NOT(Phone = "d")))) OR Fax = "e")',
    ],
    [
      'Account',
      "(Name = 'a' OR Name = 'b') AND (Type = 'c' OR Type = 'd')",
      '((Name = "a" OR Name = "b") AND (Type = "c" OR Type = "d"))',
    ],
    ['Account', "NOT (Name = 'a' AND Type = 'b') OR Site = 'c'", '(NOT((Name = "a" AND Type = "b")) OR Site = "c")'],
  ];
  for (const [object, where, expected] of cases) {
    it(`${where}  =>  ${expected}`, () => {
      assert.equal(show(bulk(`SELECT Id FROM ${object} WHERE ${where}`).where), expected);
    });
  }

  it('compiles the tree with the same grouping: SQL parentheses follow the tree, not SQL precedence', () => {
    const c = compileSqlite(
      bulk("SELECT Id FROM Account WHERE (Name = 'a' OR Name = 'b') AND NOT (Type = 'c' OR Type = 'd')"),
    );
    assert.equal(
      c.sql,
      'SELECT t0."Id", t0."Id" FROM "Account" t0 WHERE t0."IsDeleted" = 0 AND ' +
        '(((t0."Name" = ? COLLATE NOCASE) OR (t0."Name" = ? COLLATE NOCASE)) AND ' +
        '(NOT coalesce(((t0."Type" = ? COLLATE NOCASE) OR (t0."Type" = ? COLLATE NOCASE)), 0))) ORDER BY t0."Id"',
    );
    assert.deepEqual(c.params, ['a', 'b', 'c', 'd']);
  });

  it('evaluates the rebuilt tree as SOQL does (run on SQLite)', () => {
    const db = new Database(':memory:');
    try {
      ensureRecordTables(db, [schema.object('Account')!]);
      const rows: [string, string, string | null, string | null][] = [
        ['001000000000001AAA', 'a', 'x', 'p'],
        ['001000000000002AAA', 'a', 'y', null],
        ['001000000000003AAA', 'b', 'x', 'p'],
        ['001000000000004AAA', 'b', null, null],
        ['001000000000005AAA', 'c', 'x', 'q'],
        ['001000000000006AAA', 'c', 'y', 'p'],
      ];
      const insert = db.prepare(
        'INSERT INTO "Account" ("Id", "IsDeleted", "Name", "Type", "Site") VALUES (?, 0, ?, ?, ?)',
      );
      for (const r of rows) insert.run(...r);
      db.prepare('INSERT INTO "Account" ("Id", "IsDeleted", "Name") VALUES (?, 1, ?)').run('001000000000007AAA', 'a');
      const names = (where: string) => {
        const c = compileSqlite(bulk(`SELECT Id FROM Account WHERE ${where}`));
        return (
          db
            .prepare(c.sql)
            .raw(true)
            .all(...c.params) as unknown[][]
        ).map((r) => Number(String(r[0]).slice(12, 15)));
      };
      assert.deepEqual(names("(Name = 'a' OR Name = 'b') AND Type = 'x'"), [1, 3]);
      assert.deepEqual(names("Name = 'a' OR (Name = 'b' AND Type = 'x')"), [1, 2, 3]);
      assert.deepEqual(names("NOT (Name = 'a' OR Name = 'b')"), [5, 6]);
      // Two-valued logic (docs/compatibility.md): null != 'x' is true, and NOT of a false null comparison is true.
      assert.deepEqual(names("Type != 'x'"), [2, 4, 6]);
      assert.deepEqual(names("NOT Type = 'x'"), [2, 4, 6]);
      assert.deepEqual(names('Site = null'), [2, 4]);
      assert.deepEqual(names('Site != null AND NOT (Site = null)'), [1, 3, 5, 6]);
      assert.deepEqual(names("NOT (NOT (Name = 'A'))"), [1, 2]); // case-insensitive, deleted row left out
    } finally {
      db.close();
    }
  });
});

describe('SOQL: AND and OR mixed without parentheses (SOQL reference, "Logical Operators")', () => {
  const cases: [string, string, number][] = [
    ["SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b' AND Type = 'c'", ' AND ', 0],
    ["SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Type = 'c'", ' OR ', 0],
    [
      "SELECT Id FROM Account WHERE (Name = 'a' AND Name = 'b') OR (Type = 'c' AND Site = 'x' OR Site = 'y')",
      ' OR ',
      1,
    ],
    ["SELECT Id FROM Account WHERE NOT (Name = 'a' OR Name = 'b' AND Type = 'c')", ' AND ', 0],
    ["SELECT Id FROM Account WHERE Name = 'a' OR Name = 'b' OR Type = 'c' AND Site = 'd'", ' AND ', 0],
  ];
  for (const [soql, op, nth] of cases) {
    it(`rejects ${soql.slice(29)} with the caret under the offending${op}`, () => {
      const err = errorOf(soql);
      assert.equal(err.code, 'MALFORMED_QUERY');
      const column = columnOf(soql, op, nth) + 1;
      assert.equal(err.message, caretBlock(soql, column, `unexpected token: '${op.trim()}'`));
    });
  }

  it('puts the caret under the operator, not under the same word inside a string literal', () => {
    const soql = "SELECT Id FROM Account WHERE Name = 'x AND y' OR Name = 'b' AND Type = 'c'";
    const err = errorOf(soql);
    assert.equal(err.code, 'MALFORMED_QUERY');
    assert.equal(err.message, caretBlock(soql, columnOf(soql, "' AND ") + 2, "unexpected token: 'AND'"));
  });

  it('rejects the mix on REST too, and before looking at names', () => {
    const soql = "SELECT Id FROM Account WHERE Bacon__c = 'a' OR Name = 'b' AND Type = 'c'";
    assert.equal(errorOf(soql, 'rest').code, 'MALFORMED_QUERY');
    assert.equal(errorOf(soql).code, 'MALFORMED_QUERY');
  });
});

describe('SOQL: caret messages (Salesforce\'s "ERROR at Row:r:Column:c" block)', () => {
  it('INVALID_FIELD exactly as Salesforce words it', () => {
    const err = errorOf('SELECT Bacon__c FROM Account LIMIT 2', 'rest');
    assert.equal(err.code, 'INVALID_FIELD');
    assert.equal(
      err.message,
      `\nSELECT Bacon__c FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column 'Bacon__c' on entity 'Account'. ${NO_SUCH_COLUMN_TAIL}`,
    );
    assert.equal(errorOf('SELECT Bacon__c FROM Account LIMIT 2').message, err.message);
  });

  it('INVALID_TYPE exactly as Salesforce words it', () => {
    const soql = "SELECT Id, Name, AccountNumber FROM AccountOpps WHERE Name like 'okToDelete%'";
    const err = errorOf(soql, 'rest');
    assert.equal(err.code, 'INVALID_TYPE');
    assert.equal(
      err.message,
      "\nSELECT Id, Name, AccountNumber FROM AccountOpps WHERE Name like 'okToDelete%'\n                                    ^\nERROR at Row:1:Column:37\nsObject type 'AccountOpps' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    );
  });

  it('points at the second field of a list, at a WHERE field and at an ORDER BY field', () => {
    for (const [soql, bad] of [
      ['SELECT Id, Nmae FROM Account', 'Nmae'],
      ["SELECT Id FROM Account WHERE Industy = 'x'", 'Industy'],
      ['SELECT Id FROM Account ORDER BY Cases DESC', 'Cases'],
      ['SELECT Id FROM Account WHERE Id IN (SELECT Acount FROM Contact)', 'Acount'],
    ]) {
      const err = errorOf(soql);
      assert.equal(err.code, 'INVALID_FIELD', soql);
      const entity = bad === 'Acount' ? 'Contact' : 'Account';
      assert.equal(
        err.message,
        caretBlock(soql, columnOf(soql, bad), `No such column '${bad}' on entity '${entity}'. ${NO_SUCH_COLUMN_TAIL}`),
      );
    }
  });

  it('points at the field, not at the same text inside an earlier string literal', () => {
    const soql = "SELECT Id FROM Account WHERE Name = 'Bacon__c' OR Bacon__c = 'b'";
    const err = errorOf(soql);
    assert.equal(err.code, 'INVALID_FIELD');
    assert.equal(
      err.message,
      caretBlock(
        soql,
        columnOf(soql, 'Bacon__c', 1),
        `No such column 'Bacon__c' on entity 'Account'. ${NO_SUCH_COLUMN_TAIL}`,
      ),
    );
  });

  it('gives the row and column of a multi-line query and echoes that line', () => {
    const soql = 'SELECT Id,\n  Bacon__c\nFROM Account';
    const err = errorOf(soql);
    assert.equal(err.code, 'INVALID_FIELD');
    assert.equal(
      err.message,
      `\n  Bacon__c\n  ^\nERROR at Row:2:Column:3\nNo such column 'Bacon__c' on entity 'Account'. ${NO_SUCH_COLUMN_TAIL}`,
    );
  });

  it("reports an unknown relationship with Salesforce's relationship message", () => {
    const soql = 'SELECT Id, Acount.Name FROM Contact';
    const err = errorOf(soql);
    assert.equal(err.code, 'INVALID_FIELD');
    assert.equal(
      err.message,
      caretBlock(
        soql,
        12,
        "Didn't understand relationship 'Acount' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
      ),
    );
    // A lookup's field name is not its relationship name.
    assert.equal(errorOf('SELECT AccountId.Name FROM Contact').code, 'INVALID_FIELD');
  });

  it('MALFORMED_QUERY with the unexpected token under the caret', () => {
    const soql = 'SELECT Id, FROM Account';
    const err = errorOf(soql);
    assert.equal(err.code, 'MALFORMED_QUERY');
    assert.equal(err.message, caretBlock(soql, 12, "unexpected token: 'FROM'"));
    for (const bad of [
      'SELECT Id Account',
      'SELECT FROM Account',
      "SELECT Id FROM Account WHERE Name = 'unterminated",
      'SELECT Id FROM Account WHERE',
      'SELECT Id FROM Account LIMIT abc',
      "SELECT Id FROM Account WHERE Name == 'x'",
      'DELETE FROM Account',
      '',
      '   ',
      'SELECT Id FROM Account WHERE NumberOfEmployees = 1e3',
    ]) {
      const e = errorOf(bad);
      assert.equal(e.code, 'MALFORMED_QUERY', bad);
      if (bad.trim()) assert.match(e.message, /^\n[^\n]*\n *\^\nERROR at Row:\d+:Column:\d+\nunexpected token: '/, bad);
    }
  });

  it('refuses values of the wrong type for the field, with the caret at the field', () => {
    for (const [soql, field] of [
      ["SELECT Id FROM Account WHERE NumberOfEmployees = 'ten'", 'NumberOfEmployees'],
      ['SELECT Id FROM Account WHERE Name = 5', 'Name'],
      ["SELECT Id FROM Contact WHERE Birthdate = '2024-01-01'", 'Birthdate'],
      ['SELECT Id FROM Contact WHERE Birthdate = 2024-13-45', 'Birthdate'],
      ['SELECT Id FROM Contact WHERE HasOptedOutOfEmail = 1', 'HasOptedOutOfEmail'],
      ['SELECT Id FROM Account WHERE Name = TODAY', 'Name'],
      ["SELECT Id FROM Account WHERE Name INCLUDES ('a')", 'Name'],
    ]) {
      const err = errorOf(soql);
      assert.match(
        err.message,
        new RegExp(
          `^\\n${soql.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n {${columnOf(soql, field) - 1}}\\^\\nERROR at Row:1:Column:${columnOf(soql, field)}\\n`,
        ),
        soql,
      );
    }
  });
});

describe('SOQL: what Bulk refuses (Bulk API guide, "Use Bulk Query")', () => {
  const refused: [string, string][] = [
    ['GROUP BY', 'SELECT Industry FROM Account GROUP BY Industry'],
    ['HAVING', 'SELECT Industry FROM Account GROUP BY Industry HAVING COUNT(Id) > 1'],
    ['COUNT()', 'SELECT COUNT() FROM Account'],
    ['COUNT(Id)', 'SELECT COUNT(Id) FROM Account'],
    ['SUM', 'SELECT SUM(AnnualRevenue) FROM Account'],
    ['TYPEOF', 'SELECT TYPEOF Owner WHEN User THEN Name ELSE Name END FROM Account'],
    ['a parent-to-child subquery', 'SELECT Id, (SELECT Id FROM Contacts) FROM Account'],
    ['OFFSET', 'SELECT Id FROM Account LIMIT 5 OFFSET 10'],
    ['FIELDS(ALL)', 'SELECT FIELDS(ALL) FROM Account LIMIT 200'],
    ['FIELDS(STANDARD)', 'SELECT FIELDS(STANDARD) FROM Account'],
    ['toLabel()', 'SELECT toLabel(Industry) FROM Account'],
    ['FOR VIEW', 'SELECT Id FROM Account FOR VIEW'],
    ['WITH SECURITY_ENFORCED', 'SELECT Id FROM Account WITH SECURITY_ENFORCED'],
  ];
  for (const [what, soql] of refused) {
    it(`refuses ${what} in a Bulk query: ${soql}`, () => {
      const err = errorOf(soql, 'bulk');
      assert.equal(err.code, 'FUNCTIONALITY_NOT_ENABLED');
      assert.match(err.message, /not supported in Bulk Query$/);
    });
  }

  it('allows OFFSET up to 2000 in REST and refuses more with NUMBER_OUTSIDE_VALID_RANGE', () => {
    const q = restQ('SELECT Id FROM Account ORDER BY Name LIMIT 5 OFFSET 2000');
    assert.equal(q.offset, 2000);
    const c = compileSqlite(q);
    assert.match(c.sql, / LIMIT \? OFFSET \?$/);
    assert.deepEqual(c.params, [5, 2000]);
    const err = errorOf('SELECT Id FROM Account OFFSET 2001', 'rest');
    assert.equal(err.code, 'NUMBER_OUTSIDE_VALID_RANGE');
    assert.equal(err.message, 'Maximum SOQL offset allowed is 2000');
  });

  it('allows child-to-parent paths and semi-joins in Bulk', () => {
    const q = bulk(
      "SELECT Id, Account.Owner.Name FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Name = 'a')",
    );
    assert.deepEqual(
      q.columns.map((c) => c.header),
      ['Id', 'Account.Owner.Name'],
    );
    assert.equal(show(q.where), 'AccountId IN (SELECT Id FROM Account WHERE Name = "a")');
  });
});

describe('SOQL: semi-join restrictions (SOQL reference, "Comparison Operators")', () => {
  it('refuses a semi-join whose left operand is neither an Id nor a reference field', () => {
    const err = errorOf('SELECT Id FROM Account WHERE Name IN (SELECT LastName FROM Contact)');
    assert.equal(err.code, 'INVALID_QUERY_FILTER_OPERATOR');
    assert.match(
      err.message,
      /ERROR at Row:1:Column:30\nsemi join sub-selects are only allowed on Id and reference fields, not on Name$/,
    );
  });
  it('refuses OR next to a semi-join', () => {
    const err = errorOf("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact) OR Name = 'x'");
    assert.deepEqual(
      [err.code, err.message],
      ['MALFORMED_QUERY', "Semi join sub-selects are not allowed with the 'OR' operator"],
    );
  });
  it('refuses a nested semi-join', () => {
    const err = errorOf(
      'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE AccountId IN (SELECT Id FROM Account))',
    );
    assert.deepEqual([err.code, err.message], ['MALFORMED_QUERY', 'Nested semi join sub-selects are not supported']);
  });
  it('takes two semi-joins in one query and refuses a third', () => {
    const two =
      'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact) AND Id IN (SELECT AccountId FROM Opportunity)';
    assert.equal(checkSoql(two, schema, { surface: 'bulk', includeDeleted: false, now: NOW }).object.name, 'Account');
    const err = errorOf(`${two} AND OwnerId IN (SELECT Id FROM User)`);
    assert.deepEqual([err.code, err.message], ['MALFORMED_QUERY', 'Maximum of 2 semi join sub-selects are allowed']);
  });
  it('refuses a semi-join subquery selecting more than one field', () => {
    assert.equal(
      errorOf('SELECT Id FROM Account WHERE Id IN (SELECT AccountId, Id FROM Contact)').code,
      'MALFORMED_QUERY',
    );
  });
});

describe('SOQL: literals become typed parameters', () => {
  const params = (soql: string) => compileSqlite(bulk(soql)).params;

  it('unescapes string literals (SOQL reference, "Quoted String Escape Sequences")', () => {
    assert.deepEqual(params(String.raw`SELECT Id FROM Account WHERE Name = 'O\'Brien'`), ["O'Brien"]);
    assert.deepEqual(params(String.raw`SELECT Id FROM Account WHERE Name = 'a\\b\"c\n\r\t'`), ['a\\b"c\n\r\t']);
    assert.deepEqual(params(String.raw`SELECT Id FROM Account WHERE Name = 'x\by\fz'`), ['x\by\fz']);
    assert.deepEqual(params("SELECT Id FROM Account WHERE Name = 'é😀 -- ; /*'"), ['é😀 -- ; /*']);
  });

  it('decodes \\uXXXX escapes', () => {
    assert.deepEqual(params(String.raw`SELECT Id FROM Account WHERE Name = 'caf\u00e9'`), ['café']);
  });

  it('keeps \\% and \\_ escaped in LIKE and plain elsewhere', () => {
    assert.deepEqual(params(String.raw`SELECT Id FROM Account WHERE Name LIKE 'a\%b\_c%'`), [String.raw`a\%b\_c%`]);
    assert.deepEqual(params(String.raw`SELECT Id FROM Account WHERE Name = 'a\%b\_c'`), ['a%b_c']);
  });

  it('matches a literal backslash in LIKE (\\\\ in the SOQL string)', () => {
    const c = compileSqlite(bulk(String.raw`SELECT Id FROM Account WHERE Name LIKE 'a\\b%'`));
    assert.match(c.sql, /LIKE \? ESCAPE '\\'/);
    const db = new Database(':memory:');
    try {
      const [matchesBackslash, matchesPlain] = ['a\\bc', 'abc'].map(
        (v) => (db.prepare(`SELECT ? LIKE ? ESCAPE '\\' AS m`).get(v, c.params[0]) as { m: number }).m,
      );
      assert.deepEqual({ matchesBackslash, matchesPlain }, { matchesBackslash: 1, matchesPlain: 0 });
    } finally {
      db.close();
    }
  });

  it('types numbers, booleans, dates, datetimes, null and ids', () => {
    assert.deepEqual(
      params('SELECT Id FROM Account WHERE NumberOfEmployees > -5 AND AnnualRevenue <= 1000.50'),
      [-5, 1000.5],
    );
    assert.deepEqual(params('SELECT Id FROM Contact WHERE HasOptedOutOfEmail = true AND DoNotCall = FALSE'), [1, 0]);
    assert.deepEqual(params('SELECT Id FROM Contact WHERE Birthdate >= 2024-01-01'), ['2024-01-01']);
    assert.deepEqual(
      params(
        'SELECT Id FROM Contact WHERE CreatedDate < 2024-01-15T10:00:00+05:00 AND LastModifiedDate > 2024-01-15T10:00:00.123Z',
      ),
      ['2024-01-15T05:00:00.000Z', '2024-01-15T10:00:00.123Z'],
    );
    assert.deepEqual(params("SELECT Id FROM Contact WHERE Id = '003D000000Q89kQ'"), ['003D000000Q89kQIAR']); // 15 → 18
    const nulls = compileSqlite(bulk('SELECT Id FROM Account WHERE Site = null AND Phone != null'));
    assert.deepEqual(nulls.params, []);
    assert.match(nulls.sql, /\(t0\."Site" IS NULL\) AND \(t0\."Phone" IS NOT NULL\)/);
  });

  it('keeps the header as written and resolves names case-insensitively', () => {
    const q = bulk(
      "select id, NAME, account.owner.NAME from contact where lastname = 'x' order by NAME desc nulls first",
    );
    assert.equal(q.object.name, 'Contact');
    assert.deepEqual(
      q.columns.map((c) => [c.header, pathText(c.path)]),
      [
        ['id', 'Id'],
        ['NAME', 'Name'],
        ['account.owner.NAME', 'Account.Owner.Name'],
      ],
    );
    assert.deepEqual(
      q.orderBy.map((o) => [pathText(o.path), o.descending, o.nullsLast]),
      [['Name', true, false]],
    );
  });

  it('orders nulls first ascending and last descending unless NULLS is given (SOQL reference, "ORDER BY")', () => {
    const sql = compileSqlite(
      bulk('SELECT Id FROM Account ORDER BY Name, Site DESC, Phone ASC NULLS LAST, Fax DESC NULLS FIRST'),
    ).sql;
    assert.match(
      sql,
      /ORDER BY t0\."Name" COLLATE NOCASE ASC NULLS FIRST, t0\."Site" COLLATE NOCASE DESC NULLS LAST, t0\."Phone" COLLATE NOCASE ASC NULLS LAST, t0\."Fax" COLLATE NOCASE DESC NULLS FIRST$/,
    );
  });

  it('joins each relationship once, by its path', () => {
    const c = compileSqlite(bulk('SELECT Account.Name, Account.Owner.Name, Owner.Name, Account.Industry FROM Contact'));
    assert.equal(
      c.sql,
      'SELECT t1."Name", t2."Name", t3."Name", t1."Industry", t0."Id", t1."Id", t2."Id", t3."Id" FROM "Contact" t0 ' +
        'LEFT JOIN "Account" t1 ON t1."Id" = t0."AccountId" LEFT JOIN "User" t2 ON t2."Id" = t1."OwnerId" LEFT JOIN "User" t3 ON t3."Id" = t0."OwnerId" ' +
        'WHERE t0."IsDeleted" = 0 ORDER BY t0."Id"',
    );
  });

  it('fails a date literal whose range leaves the calendar with a SoqlError, not a crash', () => {
    const err = errorOf('SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:999999999');
    assert.equal(err.code, 'MALFORMED_QUERY');
    assert.match(err.message, /ERROR at Row:1:Column:44\nunexpected token: 'LAST_N_DAYS:999999999'$/);
  });
});

describe('SOQL: date literal ranges, UTC, at a fixed now (SOQL reference, "Date Formats and Date Literals")', () => {
  // NOW = Wednesday 2024-05-15 12:00Z; weeks start on Sunday (2024-05-12).
  const ranges: [string, string, string][] = [
    ['TODAY', '2024-05-15', '2024-05-16'],
    ['YESTERDAY', '2024-05-14', '2024-05-15'],
    ['TOMORROW', '2024-05-16', '2024-05-17'],
    ['THIS_WEEK', '2024-05-12', '2024-05-19'],
    ['LAST_WEEK', '2024-05-05', '2024-05-12'],
    ['NEXT_WEEK', '2024-05-19', '2024-05-26'],
    ['THIS_MONTH', '2024-05-01', '2024-06-01'],
    ['LAST_MONTH', '2024-04-01', '2024-05-01'],
    ['NEXT_MONTH', '2024-06-01', '2024-07-01'],
    ['THIS_QUARTER', '2024-04-01', '2024-07-01'],
    ['LAST_QUARTER', '2024-01-01', '2024-04-01'],
    ['NEXT_QUARTER', '2024-07-01', '2024-10-01'],
    ['THIS_YEAR', '2024-01-01', '2025-01-01'],
    ['LAST_YEAR', '2023-01-01', '2024-01-01'],
    ['NEXT_YEAR', '2025-01-01', '2026-01-01'],
    ['LAST_N_DAYS:1', '2024-05-14', '2024-05-16'], // includes today
    ['LAST_N_DAYS:7', '2024-05-08', '2024-05-16'],
    ['NEXT_N_DAYS:1', '2024-05-16', '2024-05-17'], // starts tomorrow
    ['NEXT_N_DAYS:7', '2024-05-16', '2024-05-23'],
    ['N_DAYS_AGO:3', '2024-05-12', '2024-05-13'],
    ['LAST_N_WEEKS:2', '2024-04-28', '2024-05-12'],
    ['NEXT_N_WEEKS:2', '2024-05-19', '2024-06-02'],
    ['LAST_N_MONTHS:2', '2024-03-01', '2024-05-01'],
    ['NEXT_N_MONTHS:2', '2024-06-01', '2024-08-01'],
    ['LAST_N_QUARTERS:2', '2023-10-01', '2024-04-01'],
    ['NEXT_N_QUARTERS:1', '2024-07-01', '2024-10-01'],
    ['LAST_N_YEARS:2', '2022-01-01', '2024-01-01'],
    ['NEXT_N_YEARS:1', '2025-01-01', '2026-01-01'],
  ];
  const rangeOf = (literal: string, op = '=', now = NOW) => {
    const w = bulk(`SELECT Id FROM Contact WHERE Birthdate ${op} ${literal}`, now).where!;
    assert.equal(w.kind, 'range', literal);
    return w as Extract<Condition, { kind: 'range' }>;
  };
  for (const [literal, start, end] of ranges) {
    it(`${literal} = [${start}, ${end})`, () => {
      const r = rangeOf(literal);
      assert.deepEqual([r.start, r.end], [start, end]);
      // On a datetime field the same range, at midnight UTC.
      const dt = bulk(`SELECT Id FROM Account WHERE CreatedDate = ${literal}`).where as Extract<
        Condition,
        { kind: 'range' }
      >;
      assert.deepEqual([dt.start, dt.end], [`${start}T00:00:00.000Z`, `${end}T00:00:00.000Z`]);
    });
  }

  // Listed in "Date Formats and Date Literals" but not in the table above: these are the ones localforce must also
  // know.
  const more: [string, string, string][] = [
    ['LAST_90_DAYS', '2024-02-15', '2024-05-16'],
    ['NEXT_90_DAYS', '2024-05-16', '2024-08-14'],
    ['N_WEEKS_AGO:1', '2024-05-05', '2024-05-12'],
    ['N_MONTHS_AGO:1', '2024-04-01', '2024-05-01'],
    ['N_QUARTERS_AGO:1', '2024-01-01', '2024-04-01'],
    ['N_YEARS_AGO:1', '2023-01-01', '2024-01-01'],
    ['THIS_FISCAL_YEAR', '2024-01-01', '2025-01-01'], // fiscal = calendar in localforce
    ['THIS_FISCAL_QUARTER', '2024-04-01', '2024-07-01'],
    ['LAST_FISCAL_YEAR', '2023-01-01', '2024-01-01'],
    ['NEXT_N_FISCAL_QUARTERS:2', '2024-07-01', '2025-01-01'],
  ];
  for (const [literal, start, end] of more) {
    it(`${literal} = [${start}, ${end})`, () => {
      let r: Extract<Condition, { kind: 'range' }>;
      try {
        r = rangeOf(literal);
      } catch (err) {
        assert.fail(`${literal} refused: ${(err as Error).message}`);
      }
      assert.deepEqual([r.start, r.end], [start, end]);
    });
  }

  it('is case-insensitive (today)', () => {
    assert.deepEqual([rangeOf('today').start, rangeOf('today').end], ['2024-05-15', '2024-05-16']);
  });

  it('= inside, < before the start, > after the end, compiled to half-open comparisons', () => {
    const sqlOf = (op: string) => {
      const c = compileSqlite(bulk(`SELECT Id FROM Contact WHERE Birthdate ${op} THIS_MONTH`));
      return [c.sql.slice(c.sql.indexOf('AND (') + 4, c.sql.indexOf(' ORDER BY')), c.params];
    };
    assert.deepEqual(sqlOf('='), ['(t0."Birthdate" >= ? AND t0."Birthdate" < ?)', ['2024-05-01', '2024-06-01']]);
    assert.deepEqual(sqlOf('!='), [
      '(t0."Birthdate" IS NULL OR t0."Birthdate" < ? OR t0."Birthdate" >= ?)',
      ['2024-05-01', '2024-06-01'],
    ]);
    assert.deepEqual(sqlOf('<'), ['(t0."Birthdate" < ?)', ['2024-05-01']]);
    assert.deepEqual(sqlOf('<='), ['(t0."Birthdate" < ?)', ['2024-06-01']]);
    assert.deepEqual(sqlOf('>'), ['(t0."Birthdate" >= ?)', ['2024-06-01']]);
    assert.deepEqual(sqlOf('>='), ['(t0."Birthdate" >= ?)', ['2024-05-01']]);
  });

  it('uses the UTC day of now: one millisecond before midnight, a Sunday, a new year', () => {
    const lastMs = Date.UTC(2024, 4, 15, 23, 59, 59, 999);
    assert.deepEqual(
      [rangeOf('TODAY', '=', lastMs).start, rangeOf('TODAY', '=', lastMs).end],
      ['2024-05-15', '2024-05-16'],
    );
    const sunday = Date.UTC(2024, 4, 12, 0, 0, 0);
    assert.deepEqual(
      [rangeOf('THIS_WEEK', '=', sunday).start, rangeOf('THIS_WEEK', '=', sunday).end],
      ['2024-05-12', '2024-05-19'],
    );
    const saturday = Date.UTC(2024, 4, 18, 23, 0, 0);
    assert.deepEqual(
      [rangeOf('THIS_WEEK', '=', saturday).start, rangeOf('THIS_WEEK', '=', saturday).end],
      ['2024-05-12', '2024-05-19'],
    );
    const jan = Date.UTC(2024, 0, 10, 8, 0, 0);
    assert.deepEqual(
      [rangeOf('LAST_MONTH', '=', jan).start, rangeOf('LAST_MONTH', '=', jan).end],
      ['2023-12-01', '2024-01-01'],
    );
    assert.deepEqual(
      [rangeOf('LAST_QUARTER', '=', jan).start, rangeOf('LAST_QUARTER', '=', jan).end],
      ['2023-10-01', '2024-01-01'],
    );
    assert.deepEqual(
      [rangeOf('LAST_N_DAYS:10', '=', jan).start, rangeOf('LAST_N_DAYS:10', '=', jan).end],
      ['2023-12-31', '2024-01-11'],
    );
    const leap = Date.UTC(2024, 2, 1, 0, 0, 0);
    assert.deepEqual(
      [rangeOf('YESTERDAY', '=', leap).start, rangeOf('YESTERDAY', '=', leap).end],
      ['2024-02-29', '2024-03-01'],
    );
  });

  it('refuses a date literal on a non-date field and an unknown literal', () => {
    const onText = errorOf('SELECT Id FROM Account WHERE Name = TODAY');
    assert.equal(onText.code, 'INVALID_QUERY_FILTER_OPERATOR');
    assert.match(
      onText.message,
      /ERROR at Row:1:Column:30\nDate literals are only valid on date and datetime fields: Name$/,
    );
    assert.equal(errorOf('SELECT Id FROM Account WHERE CreatedDate = LAST_N_FORTNIGHTS:2').code, 'MALFORMED_QUERY');
  });
});

describe('IN lists of mixed literal types', () => {
  const inValues = (soql: string) => {
    const w = bulk(soql).where!;
    assert.equal(w.kind, 'in');
    return (w as Extract<Condition, { kind: 'in' }>).values;
  };
  it('reads each value with its own type: decimals, negatives, null among strings, booleans', () => {
    assert.deepEqual(inValues('SELECT Id FROM Account WHERE AnnualRevenue IN (2.5, 3.5)'), [2.5, 3.5]);
    assert.deepEqual(inValues('SELECT Id FROM Account WHERE NumberOfEmployees IN (1, -2)'), [1, -2]);
    assert.deepEqual(inValues("SELECT Id FROM Account WHERE Name IN ('a', null)"), ['a', null]);
    assert.deepEqual(inValues('SELECT Id FROM Account WHERE IsDeleted IN (true, false)'), [1, 0]);
  });
});
