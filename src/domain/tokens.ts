import { createHash, randomBytes } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { TokenConfig } from '../config/load.ts';
import { Token, User } from '../db/entities/index.ts';
import { columnsOf, type Quote, quoter, selectRows } from '../db/rows.ts';
import { signJwt, verifyJwt } from '../security/jwt.ts';

/** A replaced pair keeps working this long, so requests already in flight still pass. */
const GRACE_MS = 5000;
/** Expired tokens are kept a day, so a reused refresh token is recognised, then purged. */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/**
 * Access tokens are JWTs, as microblog-api's: `{"token": <random>}` signed with `key`. The
 * JWT carries no expiry or user of its own; the row found by the random part decides.
 * Returns the hash of that random part, as stored, or null for a JWT that is not ours.
 */
export function accessTokenHash(jwt: string, key: string): string | null {
  const token = verifyJwt(jwt, key)?.token;
  return typeof token === 'string' ? digest(token) : null;
}

/** A new access/refresh pair for `user`; only hashes of their random parts are stored. */
export async function issueTokens(
  em: SqlEntityManager,
  user: User,
  config: TokenConfig,
  key: string,
): Promise<IssuedTokens> {
  const now = Date.now();
  await em.nativeDelete(Token, { refreshExpiration: { $lt: new Date(now - KEEP_EXPIRED_MS) } });
  const access = newToken();
  const tokens = { accessToken: signJwt({ token: access }, key), refreshToken: newToken() };
  em.create(Token, {
    accessTokenHash: digest(access),
    accessExpiration: new Date(now + config.accessMinutes * 60_000),
    refreshTokenHash: digest(tokens.refreshToken),
    refreshExpiration: new Date(now + config.refreshDays * 86_400_000),
    user,
  });
  await em.flush();
  return tokens;
}

/** The user of an unexpired access token's hash; exported for `bench/plans.ts`. */
export const tokenUserQuery = (q: Quote, userColumns: string) =>
  `select ${userColumns} from ${q('token')} as t join ${q('user')} as u on u.id = t.user_id where t.access_token_hash = ? and t.access_expiration > ? and u.disabled_at is null`;

/**
 * The user an unexpired access token belongs to, unless disabled: an HMAC, then one
 * unique-index lookup.
 */
export async function userForAccessToken(
  em: SqlEntityManager,
  accessToken: string,
  key: string,
): Promise<User | null> {
  const hash = accessTokenHash(accessToken, key);
  if (!hash) return null;
  const [row] = await selectRows<Record<string, unknown>>(
    em,
    tokenUserQuery(quoter(em), columnsOf(em, User, 'u')),
    [hash, new Date()],
  );
  return row ? em.map(User, row) : null;
}

/**
 * Exchanges a pair for a new one. The old pair keeps working for a few seconds. Reusing
 * an expired refresh token means it leaked: every token of that user is revoked.
 */
export async function rotateTokens(
  em: SqlEntityManager,
  accessToken: string,
  refreshToken: string,
  config: TokenConfig,
  key: string,
): Promise<IssuedTokens | null> {
  const hash = accessTokenHash(accessToken, key);
  if (!hash) return null;
  const token = await em.findOne(
    Token,
    { accessTokenHash: hash, refreshTokenHash: digest(refreshToken) },
    { populate: ['user'] },
  );
  // Disabling an account deletes its tokens; this covers a pair issued as it happened.
  if (!token || token.user.disabledAt) return null;
  const now = Date.now();
  if (token.refreshExpiration.getTime() <= now) {
    await em.nativeDelete(Token, { user: token.user.id });
    return null;
  }
  const grace = new Date(now + GRACE_MS);
  if (token.accessExpiration > grace) token.accessExpiration = grace;
  token.refreshExpiration = grace;
  return issueTokens(em, token.user, config, key);
}

/** Revokes the pair an access token belongs to; true when there was one. */
export async function revokeAccessToken(
  em: SqlEntityManager,
  accessToken: string,
  key: string,
): Promise<boolean> {
  const hash = accessTokenHash(accessToken, key);
  return hash !== null && (await em.nativeDelete(Token, { accessTokenHash: hash })) > 0;
}
