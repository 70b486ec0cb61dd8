import { createHash, randomBytes } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { TokenConfig } from '../../config.ts';
import { Token, User } from '../../db/entities/index.ts';
import { selectRows } from '../../db/rows.ts';

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

/** A new access/refresh pair for `user`; only their hashes are stored. */
export async function issueTokens(
  em: SqlEntityManager,
  user: User,
  config: TokenConfig,
): Promise<IssuedTokens> {
  const now = Date.now();
  await em.nativeDelete(Token, { refreshExpiration: { $lt: new Date(now - KEEP_EXPIRED_MS) } });
  const tokens = { accessToken: newToken(), refreshToken: newToken() };
  em.create(Token, {
    accessTokenHash: digest(tokens.accessToken),
    accessExpiration: new Date(now + config.accessMinutes * 60_000),
    refreshTokenHash: digest(tokens.refreshToken),
    refreshExpiration: new Date(now + config.refreshDays * 86_400_000),
    user,
  });
  await em.flush();
  return tokens;
}

/** The user an unexpired access token belongs to: one lookup on a unique index. */
export async function userForAccessToken(
  em: SqlEntityManager,
  accessToken: string,
): Promise<User | null> {
  const q = (name: string) => em.getPlatform().quoteIdentifier(name);
  const [row] = await selectRows<Record<string, unknown>>(
    em,
    `select u.* from ${q('token')} as t join ${q('user')} as u on u.id = t.user_id where t.access_token_hash = ? and t.access_expiration > ?`,
    [digest(accessToken), new Date()],
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
): Promise<IssuedTokens | null> {
  const token = await em.findOne(
    Token,
    { accessTokenHash: digest(accessToken), refreshTokenHash: digest(refreshToken) },
    { populate: ['user'] },
  );
  if (!token) return null;
  const now = Date.now();
  if (token.refreshExpiration.getTime() <= now) {
    await em.nativeDelete(Token, { user: token.user.id });
    return null;
  }
  const grace = new Date(now + GRACE_MS);
  if (token.accessExpiration > grace) token.accessExpiration = grace;
  token.refreshExpiration = grace;
  return issueTokens(em, token.user, config);
}

/** Revokes the pair an access token belongs to; true when there was one. */
export async function revokeAccessToken(
  em: SqlEntityManager,
  accessToken: string,
): Promise<boolean> {
  return (await em.nativeDelete(Token, { accessTokenHash: digest(accessToken) })) > 0;
}
