import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signJwt, verifyJwt } from '../../src/security/jwt.ts';

const KEY = 'k'.repeat(64);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('a signed JWT is three base64url parts with an HS256 header, and verifies', () => {
  const jwt = signJwt({ token: 'abc' }, KEY);
  const [header, payload] = jwt.split('.');
  assert.equal(jwt.split('.').length, 3);
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), {
    alg: 'HS256',
    typ: 'JWT',
  });
  assert.deepEqual(JSON.parse(Buffer.from(payload, 'base64url').toString()), { token: 'abc' });
  assert.deepEqual(verifyJwt(jwt, KEY), { token: 'abc' });
});

test('a JWT made by any standard HS256 library verifies', () => {
  // Signed by hand, as PyJWT or jsonwebtoken would: header and payload in another key order.
  const signingInput = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64({ token: 'xyz' })}`;
  const signature = createHmac('sha256', KEY).update(signingInput).digest('base64url');
  assert.deepEqual(verifyJwt(`${signingInput}.${signature}`, KEY), { token: 'xyz' });
});

test('tampered, foreign, unsigned and malformed tokens are refused without throwing', () => {
  const jwt = signJwt({ token: 'abc' }, KEY);
  const [header, , signature] = jwt.split('.');
  const forgedPayload = `${header}.${b64({ token: 'other' })}.${signature}`;
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ token: 'abc' })}.`;
  const otherAlg = `${b64({ alg: 'HS512' })}.${b64({ token: 'abc' })}`;
  const otherAlgSigned = `${otherAlg}.${createHmac('sha256', KEY).update(otherAlg).digest('base64url')}`;
  const arrayPayload = `${header}.${b64([1])}`;
  const arraySigned = `${arrayPayload}.${createHmac('sha256', KEY).update(arrayPayload).digest('base64url')}`;
  for (const token of [
    signJwt({ token: 'abc' }, 'another key'),
    forgedPayload,
    none,
    otherAlgSigned,
    arraySigned,
    'null',
    '',
    'a.b.c',
    `${jwt}x`,
  ]) {
    assert.equal(verifyJwt(token, KEY), null, token);
  }
});
