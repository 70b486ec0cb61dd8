import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { User } from '../../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../../helpers.ts';
import { seedUser, startApp } from '../../support/pages.ts';
import { WebClient } from '../../support/web-client.ts';

const PASSWORD = 'correct horse battery';

/**
 * The limits stop guessing and mass sign-ups without locking out the people they protect:
 * typos do not use up the registration limit, and an account under attack still lets in
 * its owner from where they logged in before.
 */
describe(`rate limits that do not lock people out, on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  before(async () => {
    db = await openTestDatabase();
  });
  afterEach(() => app?.close());
  after(() => db.close());

  const from = (ip: string) => new WebClient(app, { ip });
  const users = () => db.em().count(User, {});

  test('register: mistyped forms do not count; only accounts created do', async () => {
    app = await startApp(db, { RATELIMIT_REGISTER: '3/hour' });
    const client = from('10.9.0.1');
    const before = await users();
    for (let typo = 0; typo < 6; typo++) {
      const response = await client.register(`typo${typo}`, PASSWORD, 'not-an-email');
      assert.equal(response.statusCode, 400, `typo ${typo}`);
    }
    for (const name of ['first', 'second', 'third']) {
      const response = await client.register(`${name}user`, PASSWORD);
      assert.equal(response.statusCode, 302, name);
    }
    assert.equal(await users(), before + 3);
    // Mass sign-ups are still stopped: a fourth account from the address is refused.
    const fourth = await client.register('fourthuser', PASSWORD);
    assert.equal(fourth.statusCode, 429);
    assert.equal(await users(), before + 3);
  });

  test("login: the owner's right password works again and again; only failures count", async () => {
    await seedUser(db, 'owner', PASSWORD);
    app = await startApp(db, { RATELIMIT_LOGIN: '3/minute' });
    for (let login = 0; login < 5; login++) {
      const response = await from(`10.9.1.${login}`).login('owner', PASSWORD);
      assert.equal(response.statusCode, 302, `login ${login}`);
    }
  });

  test('login: guessing locks the account, but not for an address that logged in before', async () => {
    await seedUser(db, 'target', PASSWORD);
    app = await startApp(db, { RATELIMIT_LOGIN: '3/minute' });
    const home = from('10.9.2.1');
    assert.equal((await home.login('target', PASSWORD)).statusCode, 302);
    for (const ip of ['10.9.3.1', '10.9.3.2', '10.9.3.3']) {
      assert.equal((await from(ip).login('target', 'guess')).statusCode, 401, ip);
    }
    // A new address is refused, even with the right password: guessing has stopped.
    const stranger = await from('10.9.3.4').login('target', PASSWORD);
    assert.equal(stranger.statusCode, 429);
    assert.ok(Number(stranger.headers['retry-after']) >= 1);
    // The owner, from where they logged in before, still gets in.
    const owner = await from('10.9.2.1').login('target', PASSWORD);
    assert.equal(owner.statusCode, 302);
    assert.equal(owner.headers.location, '/index');
  });
});
