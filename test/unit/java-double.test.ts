// Java's Double.toString layout for the Bulk query CSV and XML results (docs/compatibility.md), pinned by a table of
// values and the text Java 19+ prints for each.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { javaDoubleString } from '../../src/wire/java-double.js';

const TABLE: [number, string][] = [
  // zeros and small integers: plain, with `.0`
  [0, '0.0'],
  [-0, '-0.0'],
  [1, '1.0'],
  [-1, '-1.0'],
  [5000, '5000.0'],
  [1000000, '1000000.0'],
  [250000, '250000.0'],
  // fractions in the plain range
  [100.5, '100.5'],
  [-5.25, '-5.25'],
  [0.5, '0.5'],
  [123.456, '123.456'],
  // the 10^7 boundary: below plain, from it scientific
  [9999999, '9999999.0'],
  [9999999.5, '9999999.5'],
  [9999999.999999998, '9999999.999999998'],
  [1e7, '1.0E7'],
  [-1e7, '-1.0E7'],
  [10000001, '1.0000001E7'],
  [12345678, '1.2345678E7'],
  // the captures (Data Loader issue 1204, sf CLI issue 3367)
  [9e7, '9.0E7'],
  [99213206, '9.9213206E7'],
  [16147805824397, '1.6147805824397E13'],
  [912260031, '9.12260031E8'],
  // the 10^-3 boundary: from it plain, below scientific
  [0.001, '0.001'],
  [-0.001, '-0.001'],
  [0.0015, '0.0015'],
  [0.00123, '0.00123'],
  [0.000999, '9.99E-4'],
  [0.0009999999999999998, '9.999999999999998E-4'],
  [1e-4, '1.0E-4'],
  [-1e-4, '-1.0E-4'],
  [0.00012345, '1.2345E-4'],
  // very large and very small
  [1e21, '1.0E21'],
  [1.5e300, '1.5E300'],
  [-2.5e-300, '-2.5E-300'],
  [Number.MAX_VALUE, '1.7976931348623157E308'],
  [Number.MIN_VALUE, '4.9E-324'],
  [2 * Number.MIN_VALUE, '9.9E-324'],
  [2.2250738585072014e-308, '2.2250738585072014E-308'],
  [Number.MAX_SAFE_INTEGER, '9.007199254740991E15'],
  // 15 to 17 significant digits
  [0.1 + 0.2, '0.30000000000000004'],
  [1 / 3, '0.3333333333333333'],
  [2 / 3, '0.6666666666666666'],
  [123456789012345.67, '1.2345678901234567E14'],
  [1234567.891011121, '1234567.891011121'],
  [-9876543.21098765, '-9876543.21098765'],
  [0.0012345678901234567, '0.0012345678901234567'],
  [Math.PI, '3.141592653589793'],
  [Math.PI * 1e10, '3.141592653589793E10'],
  // not numbers
  [Number.NaN, 'NaN'],
  [Number.POSITIVE_INFINITY, 'Infinity'],
  [Number.NEGATIVE_INFINITY, '-Infinity'],
];

describe("javaDoubleString: Java's Double.toString", () => {
  for (const [value, text] of TABLE) {
    it(`${Object.is(value, -0) ? '-0' : String(value)} → ${text}`, () => {
      assert.equal(javaDoubleString(value), text);
    });
  }

  it('reads back as the same double for every row of the table', () => {
    for (const [value, text] of TABLE) if (!Number.isNaN(value)) assert.ok(Object.is(Number(text), value), text);
  });
});
