import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CsvError, CsvReader, csvLine, parseCsv } from '../../src/wire/csv.js';
import { readCsvRecords, invalidContent } from '../../src/wire/records.js';
import { prng } from '../helpers/prng.js';

/**
 * Reads `text` as a batch is read: every row skipped first (which checks it), then each read again from its start.
 * The rows are read forward, then again backward, which must give the same rows (seeking back forgets what the
 * reader had found ahead).
 */
function readBySkipping(text: string): (string[] | undefined)[] {
  const skipper = new CsvReader(text);
  const starts: number[] = [];
  for (let at = skipper.skipRow(); at >= 0; at = skipper.skipRow()) starts.push(at);
  const reader = new CsvReader(text);
  const readAt = (at: number) => {
    reader.seek(at);
    return reader.readRow();
  };
  const forward = starts.map(readAt);
  assert.deepEqual([...starts].reverse().map(readAt).reverse(), forward, JSON.stringify(text));
  return forward;
}

describe('CSV reader', () => {
  it('reads quoted commas, doubled quotes and newlines inside quotes', () => {
    assert.deepEqual(parseCsv('a,b,c\n"x, y","say ""hi""","line1\nline2"\n'), [
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\nline2'],
    ]);
  });

  it('accepts LF, CRLF and CR row ends, skips blank rows, keeps spaces, keeps a BOM as Salesforce does', () => {
    assert.deepEqual(parseCsv('\uFEFFName,City\r\n Acme ,Paris\r\n\r\nBeta,Rome\rGamma,Oslo'), [
      ['\uFEFFName', 'City'],
      [' Acme ', 'Paris'],
      ['Beta', 'Rome'],
      ['Gamma', 'Oslo'],
    ]);
  });

  it('keeps empty values, including a trailing empty one', () => {
    assert.deepEqual(parseCsv('a,b,c\n,,\nx,,\n1,2,'), [
      ['a', 'b', 'c'],
      ['', '', ''],
      ['x', '', ''],
      ['1', '2', ''],
    ]);
  });

  it("fails with Salesforce's CSV messages", () => {
    assert.throws(
      () => parseCsv('a,b\nx"y,z\n'),
      new CsvError('Found unescaped quote. A value with quote should be within a quote'),
    );
    assert.throws(() => parseCsv('a,b\n"open,z\n'), new CsvError('EOF reached before closing an opened quote'));
    assert.throws(() => parseCsv('a,b\n"x"y,z\n'), new CsvError('Not expecting more text after end quote'));
  });

  it('skips rows with the same rules as it reads them, and reads them again from where they start', () => {
    const texts = [
      'a,b,c\n"x, y","say ""hi""","line1\nline2"\n',
      '\uFEFFName,City\r\n Acme ,Paris\r\n\r\nBeta,Rome\rGamma,Oslo',
      'a,b,c\n,,\nx,,\n1,2,',
      'h\n""\n""""\n\n"",x\nlast,',
      'one\n\n\n',
    ];
    for (const text of texts) assert.deepEqual(readBySkipping(text), parseCsv(text), JSON.stringify(text));
    // A blank row is one empty value, quoted or not; a lone quoted quote is a value.
    assert.deepEqual(parseCsv('h\n""\n""""\n'), [['h'], ['"']]);
    const bad = [
      ['a,b\nx"y,z\n', 'Found unescaped quote. A value with quote should be within a quote'],
      ['a,b\n"open,z\n', 'EOF reached before closing an opened quote'],
      ['a,b\n"x"y,z\n', 'Not expecting more text after end quote'],
    ];
    for (const [text, message] of bad) {
      const reader = new CsvReader(text);
      reader.skipRow();
      assert.throws(() => reader.skipRow(), new CsvError(message));
    }
  });

  it('reads random texts as a regex-based oracle of the same rules does, and skips them alike', () => {
    // The oracle: the rules of this module's header comment, one regex per value. Errors carry the same messages.
    function oracle(input: string): string[][] {
      const text = input;
      const rows: string[][] = [];
      let row: string[] = [];
      const endRow = () => {
        if (!(row.length === 1 && row[0] === '')) rows.push(row);
        row = [];
      };
      let i = 0;
      while (i < text.length) {
        const rest = text.slice(i);
        if (rest[0] === '"') {
          const m = /^"((?:[^"]|"")*)"(?!")/.exec(rest);
          if (!m) throw new CsvError('EOF reached before closing an opened quote');
          row.push(m[1].replace(/""/g, '"'));
          i += m[0].length;
          if (i < text.length && !',\r\n'.includes(text[i]))
            throw new CsvError('Not expecting more text after end quote');
        } else {
          const value = /^[^,\r\n]*/.exec(rest)![0];
          if (value.includes('"'))
            throw new CsvError('Found unescaped quote. A value with quote should be within a quote');
          row.push(value);
          i += value.length;
        }
        if (text[i] === ',') {
          i++;
          if (i < text.length) continue;
          row.push('');
        } else if (text[i] === '\r') i += text[i + 1] === '\n' ? 2 : 1;
        else if (text[i] === '\n') i++;
        endRow();
      }
      return rows;
    }
    const outcome = (read: () => unknown) => {
      try {
        return read();
      } catch (err) {
        return `${(err as Error).constructor.name}: ${(err as Error).message}`;
      }
    };
    const pieces = ['a', 'b', 'xyz', ',', ',', '"', '""', '\n', '\n', '\r', '\r\n', ' ', '\uFEFF'];
    const rnd = prng(Number(process.env.LOCALFORCE_FUZZ_SEED ?? 4242));
    for (let t = 0; t < 20_000; t++) {
      let text = '';
      for (let k = Math.floor(rnd() * 16); k > 0; k--) text += pieces[Math.floor(rnd() * pieces.length)];
      const expected = outcome(() => oracle(text));
      assert.deepEqual(
        outcome(() => parseCsv(text)),
        expected,
        JSON.stringify(text),
      );
      assert.deepEqual(
        outcome(() => readBySkipping(text)),
        expected,
        JSON.stringify(text),
      );
    }
  });

  it('writes every value quoted', () => {
    assert.equal(csvLine(['a', 'b;c', 'say "x"', '']), '"a","b;c","say ""x""",""\n');
  });
});

describe('CSV record limits', () => {
  // Every case is read both ways: read row by row, and skipped then read again (the way a batch is checked whole).
  const outcomes = (text: string) => {
    const attempt = (read: () => unknown) => {
      try {
        read();
        return 'ok';
      } catch (err) {
        assert.ok(err instanceof CsvError, String(err));
        return err.message;
      }
    };
    return [attempt(() => parseCsv(text)), attempt(() => readBySkipping(text))];
  };
  const both = (message: string) => [message, message];
  const fields = (n: number) => Array.from({ length: n }, (_, k) => `f${k}`).join(',');

  it('takes 5,000 fields in a record and refuses 5,001, in a data row or the header', () => {
    assert.deepEqual(outcomes(`Name\n${fields(5_000)}\n`), both('ok'));
    assert.equal(parseCsv(`${fields(5_000)}\n`)[0].length, 5_000);
    const tooMany = both('Exceeded max number of columns per record : 5000');
    assert.deepEqual(outcomes(`Name\n${fields(5_001)}\n`), tooMany);
    assert.deepEqual(outcomes(`${fields(5_001)}\nx\n`), tooMany);
    // Empty values count: 5,001 of them are 5,000 commas, a row of exactly 5,000 characters.
    assert.deepEqual(outcomes(`Name\nx${','.repeat(4_999)}\n`), both('ok'));
    assert.deepEqual(outcomes(`Name\n${','.repeat(5_000)}\n`), tooMany);
  });

  it('takes a field of 131,072 characters and refuses 131,073, quoted or not', () => {
    assert.deepEqual(outcomes(`Name\n${'a'.repeat(131_072)},b\n`), both('ok'));
    assert.deepEqual(outcomes(`Name\nb,${'a'.repeat(131_073)}\n`), both('Exceeded max field size: 131073'));
    // Quoted: the value's characters count (a doubled quote is one), not the quotes around it.
    const quoted = (n: number) => `"${'a'.repeat(n)}"""`;
    assert.deepEqual(outcomes(`Name\n${quoted(131_071)},x\n`), both('ok'));
    assert.deepEqual(outcomes(`Name\n${quoted(131_072)},x\n`), both('Exceeded max field size: 131073'));
  });

  it('takes a record of 400,000 characters and refuses 400,001 (its values summed, delimiters not counted)', () => {
    const record = (total: number) => ['a', 'b', 'c', 'd'].map((v, k) => v.repeat(k < 3 ? 100_000 : total - 300_000));
    assert.deepEqual(outcomes(`Name\n${record(400_000).join(',')}\n`), both('ok'));
    const over =
      'Exceeded max length for one record: 400001. Max length for one record should be less than or equal to 400000';
    assert.deepEqual(outcomes(`Name\n${record(400_001).join(',')}\n`), both(over));
    assert.deepEqual(
      outcomes(
        `Name\n${record(400_001)
          .map((v) => `"${v}"`)
          .join(',')}\n`,
      ),
      both(over),
    );
  });

  it("fails a batch past a limit with the reader's words as its InvalidBatch reason, before any row is read", () => {
    const text = `Name\n${'x\n'.repeat(300)}${'a'.repeat(131_073)}\n`;
    assert.throws(() => readCsvRecords(text), invalidContent('Exceeded max field size: 131073'));
  });
});

describe('CSV records', () => {
  it('maps empty cells to "leave alone" and #N/A to null', () => {
    const t = readCsvRecords('Name,Phone,Fax\nAcme,,#N/A\nShort\n');
    assert.deepEqual(t.header, ['Name', 'Phone', 'Fax']);
    assert.equal(t.rowCount, 2);
    assert.deepEqual(t.rows(0, 2), [
      ['Acme', undefined, null],
      ['Short', undefined, undefined],
    ]);
    assert.deepEqual(t.rows(1, 5), [['Short', undefined, undefined]]);
    assert.deepEqual(t.rows(2, 3), []);
  });

  it('fails a batch over 10,000 records the way Salesforce words it', () => {
    const text = `Name\n${'x\n'.repeat(10_001)}`;
    const expected = 'Exceeded number of records: 10002. Number of records should be less than or equal to 10001';
    assert.throws(() => readCsvRecords(text), invalidContent(expected));
    assert.equal(readCsvRecords(`Name\n${'x\n'.repeat(10_000)}`).rowCount, 10_000);
  });

  it('prefixes parse errors with InvalidBatch', () => {
    assert.throws(() => readCsvRecords('Name\n"x\n'), invalidContent('EOF reached before closing an opened quote'));
    // The whole payload is checked when it is read, before any row is handed out: a bad last row fails the batch.
    const unescaped = invalidContent('Found unescaped quote. A value with quote should be within a quote');
    assert.throws(() => readCsvRecords(`Name\n${'x\n'.repeat(5000)}x"y\n`), unescaped);
    assert.throws(() => readCsvRecords(''), invalidContent('Records not found'));
  });
});
