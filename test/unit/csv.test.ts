import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CsvError, CsvTooManyRows, csvLine, parseCsv } from '../../src/wire/csv.js';
import { readCsvRecords, BatchFailure } from '../../src/wire/records.js';

describe('CSV reader', () => {
  it('reads quoted commas, doubled quotes and newlines inside quotes', () => {
    assert.deepEqual(parseCsv('a,b,c\n"x, y","say ""hi""","line1\nline2"\n'), [['a', 'b', 'c'], ['x, y', 'say "hi"', 'line1\nline2']]);
  });

  it('accepts LF, CRLF and CR row ends, skips blank rows, keeps spaces, drops a BOM', () => {
    assert.deepEqual(parseCsv('\uFEFFName,City\r\n Acme ,Paris\r\n\r\nBeta,Rome\rGamma,Oslo'), [['Name', 'City'], [' Acme ', 'Paris'], ['Beta', 'Rome'], ['Gamma', 'Oslo']]);
  });

  it('keeps empty values, including a trailing empty one', () => {
    assert.deepEqual(parseCsv('a,b,c\n,,\nx,,\n1,2,'), [['a', 'b', 'c'], ['', '', ''], ['x', '', ''], ['1', '2', '']]);
  });

  it("fails with Salesforce's CSV messages", () => {
    assert.throws(() => parseCsv('a,b\nx"y,z\n'), new CsvError('Found unescaped quote. A value with quote should be within a quote'));
    assert.throws(() => parseCsv('a,b\n"open,z\n'), new CsvError('EOF reached before closing an opened quote'));
    assert.throws(() => parseCsv('a,b\n"x"y,z\n'), new CsvError('Not expecting more text after end quote'));
  });

  it('stops at the row limit', () => {
    assert.throws(() => parseCsv('h\n1\n2\n3\n', ',', { maxRows: 3 }), (e: unknown) => e instanceof CsvTooManyRows && e.rows === 4);
  });

  it('writes every value quoted', () => {
    assert.equal(csvLine(['a', 'b;c', 'say "x"', '']), '"a","b;c","say ""x""",""\n');
  });
});

describe('CSV records', () => {
  it('maps empty cells to "leave alone" and #N/A to null', () => {
    const t = readCsvRecords('Name,Phone,Fax\nAcme,,#N/A\nShort\n');
    assert.deepEqual(t.header, ['Name', 'Phone', 'Fax']);
    assert.deepEqual(t.rows, [['Acme', undefined, null], ['Short', undefined, undefined]]);
  });

  it('fails a batch over 10,000 records the way Salesforce words it', () => {
    const text = 'Name\n' + 'x\n'.repeat(10_001);
    assert.throws(() => readCsvRecords(text), new BatchFailure('InvalidBatch : Exceeded number of records: 10002. Number of records should be less than or equal to 10001'));
    assert.equal(readCsvRecords('Name\n' + 'x\n'.repeat(10_000)).rows.length, 10_000);
  });

  it('prefixes parse errors with InvalidBatch', () => {
    assert.throws(() => readCsvRecords('Name\n"x\n'), new BatchFailure('InvalidBatch : EOF reached before closing an opened quote'));
  });
});
