import type { Config } from '../../config.ts';
import type { User } from '../../db/entities/index.ts';
import { emailHash } from '../avatars/service.ts';

/**
 * The avatar URL for API clients: it already holds a `?`, because clients append
 * `&s=<px>` for the size they want (the avatar route and Gravatar both honour it).
 */
export function apiAvatarUrl(email: string, provider: Config['avatarProvider']): string {
  const path = `/avatar/${emailHash(email)}?d=identicon`;
  return provider === 'gravatar' ? `https://www.gravatar.com${path}` : path;
}

/** Datetimes as ISO 8601 with `Z`, or null. */
const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** A user as microblog-api serializes one; never a password or its hash. */
export function userJson(user: User, provider: Config['avatarProvider']) {
  return {
    id: user.id,
    url: `/api/users/${user.id}`,
    username: user.username,
    email: user.email,
    has_password: Boolean(user.passwordHash),
    avatar_url: apiAvatarUrl(user.email, provider),
    about_me: user.aboutMe ?? '',
    first_seen: iso(user.firstSeen),
    last_seen: iso(user.lastSeen),
    posts_url: `/api/users/${user.id}/posts`,
  };
}
