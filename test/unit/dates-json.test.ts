import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  dateEpochMillis,
  datetimeEpochMillis,
  jsonDateTime,
  parseSfDate,
  parseSfDateTime,
  parseSfDateTimeIso,
  toSeconds,
  wholeSecondsIso,
  xmlDateTime,
} from '../../src/wire/dates.js';
import { OneDecimal, writeJson } from '../../src/wire/json.js';
import { acceptsGzip } from '../../src/server/compression.js';

describe('dates', () => {
  const t = Date.UTC(2015, 11, 15, 21, 41, 45, 678);
  it('formats XML and JSON timestamps at second precision', () => {
    assert.equal(xmlDateTime(toSeconds(t)), '2015-12-15T21:41:45.000Z');
    assert.equal(jsonDateTime(toSeconds(t)), '2015-12-15T21:41:45.000+0000');
  });
  it('parses the Salesforce date and datetime forms', () => {
    assert.equal(parseSfDate('1940-06-07'), '1940-06-07');
    assert.equal(parseSfDate('1940-06-07Z'), '1940-06-07');
    assert.equal(parseSfDate('2023-02-30'), undefined);
    assert.equal(parseSfDateTime('2015-12-15T21:41:45.678Z'), t);
    assert.equal(parseSfDateTime('2015-12-15T23:41:45.678+02:00'), t);
    assert.equal(parseSfDateTime('2015-12-15T13:41:45.678-0800'), t);
    assert.equal(parseSfDateTime('2015-12-15T21:41:45Z'), t - 678);
    assert.equal(parseSfDateTime('2015-12-15T25:41:45Z'), undefined);
    assert.equal(parseSfDateTime('yesterday'), undefined);
  });
});

describe('stored datetime values', () => {
  it('keeps a canonical UTC value as it is and converts every other form to it', () => {
    assert.equal(parseSfDateTimeIso('2015-12-15T21:41:45.000Z'), '2015-12-15T21:41:45.000Z');
    assert.equal(parseSfDateTimeIso('2015-12-15T23:41:45.678+02:00'), '2015-12-15T21:41:45.000Z');
    assert.equal(parseSfDateTimeIso('2015-12-15T21:41:45Z'), '2015-12-15T21:41:45.000Z');
    assert.equal(parseSfDateTimeIso('2015-12-15 21:41'), '2015-12-15T21:41:00.000Z');
  });
  it('keeps whole seconds: milliseconds are dropped, never rounded up, in every form and before 1970', () => {
    assert.equal(parseSfDateTimeIso('2024-01-02T03:04:05.678Z'), '2024-01-02T03:04:05.000Z');
    assert.equal(parseSfDateTimeIso('2024-01-02T03:04:05.999Z'), '2024-01-02T03:04:05.000Z');
    assert.equal(parseSfDateTimeIso('2024-12-31T23:59:59.999Z'), '2024-12-31T23:59:59.000Z');
    assert.equal(parseSfDateTimeIso('2024-01-02T03:04:05.9999Z'), '2024-01-02T03:04:05.000Z');
    assert.equal(parseSfDateTimeIso('2024-01-02T03:04:05.5+00:00'), '2024-01-02T03:04:05.000Z');
    assert.equal(parseSfDateTimeIso('2024-01-02T05:04:05.678+02:00'), '2024-01-02T03:04:05.000Z');
    assert.equal(parseSfDateTimeIso('1969-12-31T23:59:58.500Z'), '1969-12-31T23:59:58.000Z');
    assert.equal(parseSfDateTimeIso('1969-12-31T23:59:58.500+00:00'), '1969-12-31T23:59:58.000Z');
    assert.equal(toSeconds(-1500), -2000);
    assert.equal(toSeconds(1500), 1000);
    assert.equal(toSeconds(-1000), -1000);
  });
  it('reads a stored value with milliseconds (an earlier release wrote them) at whole seconds', () => {
    assert.equal(wholeSecondsIso('2024-01-02T03:04:05.678Z'), '2024-01-02T03:04:05.000Z');
    assert.equal(wholeSecondsIso('2024-01-02T03:04:05.000Z'), '2024-01-02T03:04:05.000Z');
    assert.equal(datetimeEpochMillis('2019-01-05T03:41:05.000Z'), 1546659665000);
    assert.equal(datetimeEpochMillis('2019-01-05T03:41:05.678Z'), 1546659665000);
    assert.equal(datetimeEpochMillis('1969-12-31T23:59:58.500Z'), -2000);
    assert.equal(dateEpochMillis('2019-01-05'), 1546646400000);
    assert.equal(dateEpochMillis('1960-02-29'), -310521600000);
  });
  it('checks the calendar without a Date: leap years, month lengths, hours', () => {
    assert.equal(parseSfDateTimeIso('2024-02-29T10:00:00.000Z'), '2024-02-29T10:00:00.000Z');
    assert.equal(parseSfDateTimeIso('2000-02-29T10:00:00.000Z'), '2000-02-29T10:00:00.000Z');
    assert.equal(parseSfDateTimeIso('2023-02-29T10:00:00.000Z'), undefined);
    assert.equal(parseSfDateTimeIso('1900-02-29T10:00:00.000Z'), undefined);
    assert.equal(parseSfDateTimeIso('2024-04-31T10:00:00.000Z'), undefined);
    assert.equal(parseSfDateTimeIso('2024-04-30T24:00:00.000Z'), undefined);
    assert.equal(parseSfDateTimeIso('2024-04-30T23:60:00.000Z'), undefined);
    assert.equal(parseSfDateTimeIso('2024-13-01T10:00:00.000Z'), undefined);
    assert.equal(parseSfDateTimeIso('2024-0a-01T10:00:00.000Z'), undefined);
    assert.equal(parseSfDate('2024-02-29'), '2024-02-29');
    assert.equal(parseSfDate('2100-02-29'), undefined);
    // Near misses of the canonical forms, which are checked character by character.
    assert.equal(parseSfDate('2024-00-10'), undefined);
    assert.equal(parseSfDate('2024-01-00'), undefined);
    assert.equal(parseSfDate('2024/01/10'), undefined);
    assert.equal(parseSfDate('20x4-01-10'), undefined);
    assert.equal(parseSfDate('0099-01-10'), '0099-01-10');
    assert.equal(parseSfDateTimeIso('2015-12-15T21:41:45.67xZ'), undefined);
    assert.equal(parseSfDateTimeIso('2015-12-15T21:4a:45.678Z'), undefined);
    assert.equal(parseSfDateTimeIso('2015-12-15T21:41:4 .678Z'), undefined);
    assert.equal(parseSfDateTimeIso('2015-12-15T21-41-45.678Z'), undefined);
    // Years below 100 are the years written, on the fast path and the slow one alike.
    assert.equal(parseSfDateTimeIso('0050-03-01T00:00:00.000Z'), '0050-03-01T00:00:00.000Z');
    assert.equal(parseSfDateTimeIso('0050-03-01T02:00:00+02:00'), '0050-03-01T00:00:00.000Z');
  });
});

describe('JSON writer', () => {
  it('keeps key order, omits undefined, and writes one-decimal numbers', () => {
    assert.equal(
      writeJson({ b: 1, a: 'x', skip: undefined, v: new OneDecimal(36), n: null, list: [true, false] }),
      '{"b":1,"a":"x","v":36.0,"n":null,"list":[true,false]}',
    );
  });
});

describe('Accept-Encoding', () => {
  it('recognises gzip in the forms clients send, and not other encodings', () => {
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('gzip,deflate'), true);
    assert.equal(acceptsGzip('gzip, deflate, br'), true);
    assert.equal(acceptsGzip('deflate, gzip;q=0.5'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('deflate, br'), false);
    assert.equal(acceptsGzip(undefined), false);
  });
});
