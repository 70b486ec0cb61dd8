import { createHmac, timingSafeEqual } from 'node:crypto';

// Only HS256 is made or accepted: a token naming another algorithm, "none" included, fails.
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const SEGMENT = '[A-Za-z0-9_-]+';
const JWT_FORMAT = new RegExp(`^(${SEGMENT})\\.(${SEGMENT})\\.([A-Za-z0-9_-]{43})$`);

const sign = (signingInput: string, key: string) =>
  createHmac('sha256', key).update(signingInput).digest('base64url');

/** A compact JSON Web Token (RFC 7519) of `claims`, signed with HMAC-SHA256. */
export function signJwt(claims: Record<string, unknown>, key: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${HEADER}.${payload}.${sign(`${HEADER}.${payload}`, key)}`;
}

/** The claims of a well-formed HS256 token signed with `key`, or null; never throws. */
export function verifyJwt(token: string, key: string): Record<string, unknown> | null {
  const match = JWT_FORMAT.exec(token);
  if (!match) return null;
  const [, header, payload, signature] = match;
  const expected = Buffer.from(sign(`${header}.${payload}`, key));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const decoded = [parseObject(header), parseObject(payload)];
  if (decoded[0]?.alg !== 'HS256') return null;
  return decoded[1];
}

function parseObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
