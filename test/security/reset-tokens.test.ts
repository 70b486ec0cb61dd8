import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createResetToken,
  RESET_TOKEN_TTL_MS,
  type ResetTokenUser,
  verifyResetToken,
} from '../../src/security/reset-tokens.ts';

const secret = 'test-secret-key';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);

/** An in-memory user table; `lookups` records which ids were asked for. */
function usersOf(...users: ResetTokenUser[]) {
  const table = new Map(users.map((user) => [user.id, { ...user }]));
  const lookups: number[] = [];
  const load = async (id: number) => {
    lookups.push(id);
    return table.get(id) ?? null;
  };
  return { table, lookups, load };
}

const susan = { id: 7, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' };
const john = { id: 8, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$b3RoZXI$b3RoZXI' };

function flip(char: string): string {
  return char === 'A' ? 'B' : 'A';
}

describe('password-reset tokens', () => {
  test('a fresh token gives back the user id until it expires', async () => {
    const users = usersOf(susan, john);
    const token = createResetToken(susan, secret, now);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    assert.equal(await verifyResetToken(token, secret, users.load, now), 7);
    assert.equal(
      await verifyResetToken(token, secret, users.load, now + RESET_TOKEN_TTL_MS - 1),
      7,
    );
    assert.equal(
      await verifyResetToken(createResetToken(john, secret, now), secret, users.load, now),
      8,
    );
    assert.deepEqual(users.lookups, [7, 7, 8]);
  });

  test('expires after 15 minutes', async () => {
    assert.equal(RESET_TOKEN_TTL_MS, 15 * 60 * 1000);
    const users = usersOf(susan);
    const token = createResetToken(susan, secret, now);
    assert.equal(await verifyResetToken(token, secret, users.load, now + RESET_TOKEN_TTL_MS), null);
    assert.equal(await verifyResetToken(token, secret, users.load, now + 86_400_000), null);
    // Date.now() is the default clock: a token made an hour ago is dead today too.
    const old = createResetToken(susan, secret, Date.now() - 3_600_000);
    assert.equal(await verifyResetToken(old, secret, users.load), null);
    assert.equal(await verifyResetToken(createResetToken(susan, secret), secret, users.load), 7);
  });

  test('a tampered payload or signature is rejected', async () => {
    const users = usersOf(susan, john);
    const token = createResetToken(susan, secret, now);
    const [payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    assert.deepEqual(claims, { sub: 7, exp: now + RESET_TOKEN_TTL_MS });

    const forge = (changes: object) =>
      `${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${signature}`;
    assert.equal(await verifyResetToken(forge({ sub: 8 }), secret, users.load, now), null);
    assert.equal(await verifyResetToken(forge({ exp: now + 1e10 }), secret, users.load, now), null);
    const badSignatures = [
      `${payload}.${flip(signature[0])}${signature.slice(1)}`,
      `${payload}.${signature.slice(0, -1)}${flip(signature.at(-1) ?? '')}`,
      `${payload}.${signature.slice(1)}`,
      `${payload}.${signature}A`,
      `${payload}.`,
      payload,
    ];
    for (const bad of badSignatures) {
      assert.equal(await verifyResetToken(bad, secret, users.load, now), null, bad);
    }
    // The untouched token still works, so the nulls above come from the tampering.
    assert.equal(await verifyResetToken(token, secret, users.load, now), 7);
  });

  test('a token signed with another secret key is rejected', async () => {
    const users = usersOf(susan);
    const token = createResetToken(susan, 'another-secret', now);
    assert.equal(await verifyResetToken(token, secret, users.load, now), null);
    assert.equal(await verifyResetToken(token, 'another-secret', users.load, now), 7);
  });

  test('a token stops working once the password has changed', async () => {
    const users = usersOf(susan);
    const token = createResetToken(susan, secret, now);
    assert.equal(await verifyResetToken(token, secret, users.load, now), 7);
    const row = users.table.get(7);
    assert.ok(row);
    row.passwordHash = '$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3aGFzaA';
    assert.equal(await verifyResetToken(token, secret, users.load, now + 1000), null);
    // A user who had no password yet is bound to that state too.
    const noPassword = { id: 9, passwordHash: null };
    const users2 = usersOf(noPassword);
    const first = createResetToken(noPassword, secret, now);
    assert.equal(await verifyResetToken(first, secret, users2.load, now), 9);
    const row2 = users2.table.get(9);
    assert.ok(row2);
    row2.passwordHash = susan.passwordHash;
    assert.equal(await verifyResetToken(first, secret, users2.load, now), null);
  });

  test('an unknown user is rejected', async () => {
    const users = usersOf(john);
    const token = createResetToken(susan, secret, now);
    assert.equal(await verifyResetToken(token, secret, users.load, now), null);
    assert.deepEqual(users.lookups, [7]);
  });

  test('garbage never throws, returns null and touches no user', async () => {
    const users = usersOf(susan);
    const b64 = (value: string) => Buffer.from(value).toString('base64url');
    const signature = 'A'.repeat(43);
    const garbage: unknown[] = [
      '',
      '.',
      '..',
      'not a token',
      '!!!!.????',
      '%00.%00',
      'ü'.repeat(50),
      `${'A'.repeat(1_000_000)}.${signature}`,
      'x'.repeat(5_000_000),
      `${b64('{"sub":7')}.${signature}`,
      `${b64('null')}.${signature}`,
      `${b64('[7]')}.${signature}`,
      `${b64('"7"')}.${signature}`,
      `${b64('{"sub":"7","exp":9e15}')}.${signature}`,
      `${b64('{"sub":-1,"exp":9e15}')}.${signature}`,
      `${b64('{"sub":1.5,"exp":9e15}')}.${signature}`,
      `${b64('{"sub":7}')}.${signature}`,
      `${b64('{"sub":7,"exp":"later"}')}.${signature}`,
      `${b64('\u0000\u00ff\ufffd')}.${signature}`,
      `${createResetToken(susan, secret, now)}.extra`,
      undefined,
      null,
      42,
      {},
    ];
    for (const token of garbage) {
      const result = await verifyResetToken(token as string, secret, users.load, now);
      assert.equal(result, null, String(token).slice(0, 60));
    }
    assert.deepEqual(users.lookups, []);
  });
});
