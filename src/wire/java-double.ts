// Doubles as the org's Java side prints them (`Double.toString`): Bulk 1.0 CSV and XML query results write double,
// currency and percent fields this way (`9.0E7`, `5000.0`, `9.9213206E7`; docs/compatibility.md).
//
// Java (JDK 19 on, the shortest-decimal algorithm) picks the shortest decimal that reads back as the same double —
// the same digits as JavaScript's `Number.prototype.toExponential()` without an argument — except that where one digit
// would do, it takes the two-digit decimal closest to the double (`4.9E-324` for the smallest subnormal, where
// JavaScript writes `5e-324`; for every normal double that is the one digit and a `0`). It lays it out as:
//   - plain notation when 10^-3 <= |x| < 10^7, with at least one digit after the point (`5000.0`, `0.001`);
//   - otherwise `d.dddE±n` with at least one fractional digit and no `+` on the exponent (`9.0E7`, `1.0E-4`);
//   - `0.0` and `-0.0` for the zeros, `NaN`, `Infinity`, `-Infinity`.

/** The text Java's `Double.toString(x)` gives for `x`. */
export function javaDoubleString(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const sign = x < 0 ? '-' : '';
  // `d.ddde±n`: the shortest digits that round-trip, and the decimal exponent of the first one.
  const shortest = Math.abs(x).toExponential();
  const exp = shortest.includes('.') ? shortest : Math.abs(x).toExponential(1);
  const e = exp.indexOf('e');
  // Trailing zeros say nothing (`9.0e+7` is the digit 9); the layout adds the `.0` Java requires.
  const digits = (exp[0] + exp.slice(2, e)).replace(/(?<=.)0+$/, '');
  const power = Number(exp.slice(e + 1));
  return sign + (power >= -3 && power < 7 ? plain(digits, power) : scientific(digits, power));
}

/** `digits` × 10^(power - digits.length + 1) in plain notation, at least one digit after the point. */
function plain(digits: string, power: number): string {
  if (power < 0) return `0.${'0'.repeat(-power - 1)}${digits}`;
  const whole = digits.length > power + 1 ? digits.slice(0, power + 1) : digits.padEnd(power + 1, '0');
  const fraction = digits.slice(power + 1);
  return `${whole}.${fraction === '' ? '0' : fraction}`;
}

function scientific(digits: string, power: number): string {
  return `${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${power}`;
}
