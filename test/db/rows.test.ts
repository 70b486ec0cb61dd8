import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toDate } from '../../src/db/rows.ts';
import { currentDialect } from '../helpers.ts';

describe('datetimes read as plain rows', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  test('every driver form becomes the same instant', () => {
    const instant = '2026-11-26T21:00:00.123Z';
    for (const value of [
      new Date(instant),
      Date.parse(instant),
      '2026-11-26 21:00:00.123+00',
      '2026-11-26 22:00:00.123+01:00',
      '2026-11-26 21:00:00.123',
      instant,
    ]) {
      assert.equal(toDate(value).toISOString(), instant, String(value));
    }
  });
});
