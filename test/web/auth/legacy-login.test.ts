import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { User } from '../../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../../helpers.ts';
import { setUpPageTest } from '../../support/pages.ts';
import { WebClient } from '../../support/web-client.ts';

// Werkzeug's pbkdf2 hash of "cat", as a Flask Microblog database holds it.
const FLASK_HASH =
  'pbkdf2:sha256:600000$saltsaltsalt1234$c2491408cc32be74e6b9b77b34e8d6dd6703b7f9a98bb59d19fefb65808b22ec';

let db: TestContext;
let app: FastifyInstance;
setUpPageTest({}, (opened) => {
  ({ db, app } = opened);
});

test(`a user adopted from a Flask Microblog logs in and is rehashed to argon2id on ${currentDialect()}`, async () => {
  const em = db.em();
  em.create(User, { username: 'flask', email: 'flask@example.com', passwordHash: FLASK_HASH });
  await em.flush();
  const client = new WebClient(app);
  const wrong = await client.login('flask', 'dog');
  assert.equal(wrong.statusCode, 401);
  assert.equal((await db.em().findOneOrFail(User, { username: 'flask' })).passwordHash, FLASK_HASH);
  const right = await client.login('flask', 'cat');
  assert.equal(right.statusCode, 302);
  const stored = await db.em().findOneOrFail(User, { username: 'flask' });
  assert.match(stored.passwordHash ?? '', /^\$argon2id\$/);
  assert.equal(await stored.checkPassword('cat'), true);
});
