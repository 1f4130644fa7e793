import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { base62, idChecksum, normalizeId, to18 } from '../../src/wire/ids.js';
import { IdGenerator } from '../../src/org/ids.js';

describe('ids', () => {
  it('computes the 18-character checksum of published ids', () => {
    // Test vectors: ids printed in the Bulk API Developer Guide's examples, ids in CumulusCI's and Jetstream's recorded
    // responses, and published 15-to-18 conversions.
    const vectors = [
      '751D0000000004rIAA',
      '003D000000Q89kQIAR',
      '750D00000004SkLIAU',
      '003x0000004ouM4AAI',
      '750Kf00000R1wzRIAR',
      '751Kf000018uaV7IAI',
      '0015800001ZD7pDAAT',
      '750P0000006HoSQIA0',
      '70130000001tcyIAAQ',
      'a0BA0000000L2ZCMA0',
      '00558000001N0KeAAK',
    ];
    for (const id of vectors) assert.equal(to18(id.slice(0, 15)), id);
    assert.equal(idChecksum('00000000000000A'), 'AAQ');
  });

  it('normalises 15- and 18-character ids and rejects malformed ones', () => {
    assert.equal(normalizeId('003D000000Q89kQ'), '003D000000Q89kQIAR');
    assert.equal(normalizeId('003D000000Q89kQiar'), '003D000000Q89kQIAR'); // the suffix is case-insensitive
    assert.equal(normalizeId('003d000000Q89kQIAR'), undefined); // the first 15 chars disagree with the checksum
    assert.equal(normalizeId('003D000000Q89k'), undefined);
    assert.equal(normalizeId('003D000000Q89k!'), undefined);
    assert.equal(normalizeId(''), undefined);
    // 18 characters in canonical form (checked without building a string) and near misses of it.
    assert.equal(normalizeId('003D000000Q89kQIAR'), '003D000000Q89kQIAR');
    assert.equal(normalizeId('003D000000Q89kQIAS'), undefined); // wrong checksum
    assert.equal(normalizeId('003D000000Q89kQIaR'), '003D000000Q89kQIAR'); // lower-case suffix: the slow path
    assert.equal(normalizeId('003D00000-Q89kQIAR'), undefined);
    assert.equal(normalizeId('003D000000Q89kQIA!'), undefined);
  });

  it('encodes base-62 counters with a fixed width', () => {
    assert.equal(base62(0, 3), '000');
    assert.equal(base62(61, 2), '0z');
    assert.equal(base62(62, 2), '10');
    assert.throws(() => base62(62 * 62, 2));
  });

  it('generates unique ids with the key prefix from reserved blocks', async () => {
    let next = 1;
    const reservations: number[] = [];
    const gen = new IdGenerator(
      {
        reserveIds: async (_p, count) => {
          reservations.push(count);
          const start = next;
          next += count;
          return start;
        },
      },
      'Lf',
      10,
    );
    const ids = await gen.next('001', 25);
    assert.equal(new Set(ids).size, 25);
    for (const id of ids) {
      assert.match(id, /^001Lf0[0-9A-Za-z]{9}[A-Z0-5]{3}$/);
      assert.equal(normalizeId(id), id);
    }
    assert.equal(ids[0], to18('001Lf0000000001'));
    assert.deepEqual(reservations, [25]); // one reservation covers a request larger than a block
    await gen.next('001', 1);
    assert.deepEqual(reservations, [25, 10]);
  });
});
