import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { User } from '../../src/db/entities/index.ts';
import { quoter, selectRows, toDate } from '../../src/db/rows.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';

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

describe(`plain-row reads on ${currentDialect()}`, () => {
  let db: TestContext;
  before(async () => {
    db = await openTestDatabase();
  });
  after(() => db.close());

  test('a prepared read sees the same rows outside and inside a transaction, and its own writes', async () => {
    const em = db.em();
    const ann = em.create(User, { username: 'rows-ann', email: 'rows-ann@example.com' });
    const bob = em.create(User, { username: 'rows-bob', email: 'rows-bob@example.com' });
    await em.flush();
    const q = quoter(em);
    const sql = `select username from ${q('user')} where id in (?, ?) and first_seen <= ? order by username`;
    const params = [ann.id, bob.id, new Date(Date.now() + 60_000)];
    const read = async () =>
      (await selectRows<{ username: string }>(em, sql, params)).map((row) => row.username);
    // Twice: the second run reuses the prepared statement.
    assert.deepEqual(await read(), ['rows-ann', 'rows-bob']);
    assert.deepEqual(await read(), ['rows-ann', 'rows-bob']);
    await inTransaction(em, async () => {
      await em.execute(`update ${q('user')} set username = 'rows-abe' where id = ?`, [ann.id]);
      // Inside the transaction, the read runs on its connection and sees the update.
      assert.deepEqual(await read(), ['rows-abe', 'rows-bob']);
    });
  });

  test('PostgreSQL: an array parameter stays an array, in and out of a transaction', {
    skip: currentDialect() !== 'postgresql' && 'PostgreSQL only',
  }, async () => {
    const em = db.em();
    const sql = `select count(*) as n from unnest(?::int[]) as a(x) where x > ?`;
    const count = async () =>
      Number((await selectRows<{ n: string }>(em, sql, [[1, 2, 3], 1]))[0].n);
    assert.equal(await count(), 2);
    await inTransaction(em, async () => assert.equal(await count(), 2));
  });
});
