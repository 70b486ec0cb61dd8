import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, needsRehash, verifyPassword } from '../../src/security/passwords.ts';
import { currentDialect } from '../helpers.ts';

// Made with Python's hashlib, as Werkzeug's generate_password_hash('cat') makes them.
const WERKZEUG_SCRYPT =
  'scrypt:32768:8:1$saltsaltsalt1234$3b047b3803e4cf0ccd192f40ca5a3b59bf4c7ec933adac13bc454d01bbe228799cdcfd687272db4598a1f2cc809c99f154ecfc542f936f10ea091f5bd26a8ce4';
const WERKZEUG_PBKDF2 =
  'pbkdf2:sha256:600000$saltsaltsalt1234$c2491408cc32be74e6b9b77b34e8d6dd6703b7f9a98bb59d19fefb65808b22ec';
// "cat" in methods older Werkzeugs used by default, as databases begun with the tutorial in
// 2017 may still hold (made with Werkzeug 3.1's generate_password_hash and those methods).
const WERKZEUG_2017 = [
  'pbkdf2:sha256:50000$hEwhxCofUTi466sH$f7f80862d90aab09a0d74bac091aad08d840d30ca3ccdf7e1f66aab6544f37c4',
  'pbkdf2:sha1:1000$yfct61PGFslyd44h$8765ea77c69fc9cbef5c58f0a9f600fdb8b677b6',
];

describe('password hashes', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  test('argon2id hashes verify and are not rehashed', async () => {
    const hash = await hashPassword('cat');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(hash, 'cat'), true);
    assert.equal(await verifyPassword(hash, 'dog'), false);
    assert.equal(needsRehash(hash), false);
  });

  test("a Flask Microblog's Werkzeug hashes verify, and ask to be rehashed", async () => {
    for (const hash of [WERKZEUG_SCRYPT, WERKZEUG_PBKDF2, ...WERKZEUG_2017]) {
      assert.equal(await verifyPassword(hash, 'cat'), true, hash.slice(0, 20));
      assert.equal(await verifyPassword(hash, 'dog'), false, hash.slice(0, 20));
      assert.equal(needsRehash(hash), true);
    }
  });

  test('unreadable or hostile hashes are simply wrong, never an exception', async () => {
    for (const hash of [
      '',
      'plain',
      '$argon2id$broken',
      'scrypt:99999999999:8:1$s$00',
      'pbkdf2:md5:1$s$00',
      'scrypt:16384:8:1$s$zz',
    ]) {
      assert.equal(await verifyPassword(hash, 'cat'), false, hash);
    }
  });
});
