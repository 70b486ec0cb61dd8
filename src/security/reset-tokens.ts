import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a password-reset link works. */
export const RESET_TOKEN_TTL_MS = 15 * 60 * 1000;

// A real token is about 100 characters; anything much longer is rejected before parsing.
const MAX_TOKEN_LENGTH = 512;
// base64url payload, a dot, and a 32-byte HMAC-SHA256 in unpadded base64url (43 characters).
const TOKEN_FORMAT = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/;

export interface ResetTokenUser {
  id: number;
  passwordHash?: string | null;
}

/**
 * A signed, self-contained token: `base64url({ sub, exp }).signature`. Nothing is stored.
 * The signature covers the user's current password hash, so once the password changes
 * every link issued before stops working: the token is single-use without a table.
 */
export function createResetToken(
  user: ResetTokenUser,
  secretKey: string,
  now = Date.now(),
): string {
  const payload = Buffer.from(
    JSON.stringify({ sub: user.id, exp: now + RESET_TOKEN_TTL_MS }),
  ).toString('base64url');
  return `${payload}.${sign(payload, secretKey, user.passwordHash)}`;
}

/**
 * The user id for a valid token, or null when the token is malformed, tampered with,
 * expired, for an unknown user, or already used. Never throws on the token itself;
 * errors from `loadUser` (a database failure) are passed on, since they are not the
 * user's fault.
 */
export async function verifyResetToken(
  token: string,
  secretKey: string,
  loadUser: (id: number) => Promise<ResetTokenUser | null>,
  now = Date.now(),
): Promise<number | null> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const match = TOKEN_FORMAT.exec(token);
  if (!match) return null;
  const [, payload, signature] = match;
  const claims = parseClaims(payload);
  // Checked before the signature only to spare a database lookup; the signature still
  // decides, because these claims are not trusted until it matches.
  if (!claims || claims.exp <= now) return null;
  const user = await loadUser(claims.sub);
  if (!user || user.id !== claims.sub) return null;
  const expected = Buffer.from(sign(payload, secretKey, user.passwordHash));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? user.id : null;
}

function sign(payload: string, secretKey: string, passwordHash: string | null | undefined): string {
  // The purpose prefix keeps these signatures from matching any other HMAC made with the
  // same SECRET_KEY. The payload is base64url, so the dot cannot be forged into it.
  return createHmac('sha256', secretKey)
    .update(`password-reset:${payload}.${passwordHash ?? ''}`)
    .digest('base64url');
}

function parseClaims(payload: string): { sub: number; exp: number } | null {
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return null;
    const { sub, exp } = claims as Record<string, unknown>;
    if (typeof sub !== 'number' || !Number.isSafeInteger(sub) || sub < 1) return null;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
    return { sub, exp };
  } catch {
    return null;
  }
}
