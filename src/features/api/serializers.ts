import type { Config } from '../../config.ts';
import type { User } from '../../db/entities/index.ts';
import { emailHash } from '../avatars/service.ts';

/** What avatar URLs depend on: the provider, and the public origin when there is one. */
export type AvatarSettings = Pick<Config, 'avatarProvider' | 'baseUrl'>;

/**
 * The avatar URL for API clients: it already holds a `?`, because clients append
 * `&s=<px>` for the size they want (the avatar route and Gravatar both honour it).
 * Identicons are served here: with BASE_URL set, their URL is absolute, so a client
 * served from another origin loads them from this server rather than from its own.
 */
export function apiAvatarUrl(email: string, settings: AvatarSettings): string {
  const path = `/avatar/${emailHash(email)}?d=identicon`;
  if (settings.avatarProvider === 'gravatar') return `https://www.gravatar.com${path}`;
  return `${settings.baseUrl ?? ''}${path}`;
}

/** Datetimes as ISO 8601 with `Z`, or null. */
const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** A user as microblog-api serializes one; never a password or its hash. */
export function userJson(user: User, avatars: AvatarSettings) {
  return {
    id: user.id,
    url: `/api/users/${user.id}`,
    username: user.username,
    email: user.email,
    has_password: Boolean(user.passwordHash),
    avatar_url: apiAvatarUrl(user.email, avatars),
    about_me: user.aboutMe ?? '',
    first_seen: iso(user.firstSeen),
    last_seen: iso(user.lastSeen),
    posts_url: `/api/users/${user.id}/posts`,
  };
}
