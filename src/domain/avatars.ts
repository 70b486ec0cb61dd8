import { createHash } from 'node:crypto';

export type AvatarProvider = 'identicon' | 'gravatar';

const recentHashes = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

/**
 * MD5 of the trimmed, lower-cased address: what Gravatar expects, so both providers
 * draw the same key and switching providers keeps each user's identicon.
 */
export function emailHash(email: string): string {
  let hash = recentHashes.get(email);
  if (hash === undefined) {
    hash = createHash('md5').update(email.trim().toLowerCase()).digest('hex');
    // A page shows the same few authors again and again: remember recent ones.
    if (recentHashes.size >= MAX_REMEMBERED) recentHashes.clear();
    recentHashes.set(email, hash);
  }
  return hash;
}

/**
 * The avatar image URL for an address. It always carries a query string, because API
 * clients append `&s=<px>` for other sizes. `d=identicon` makes Gravatar fall back to an
 * identicon for addresses it does not know, and our own route ignores it. Identicons are
 * served by this server: `origin` makes their URL absolute, for clients on other origins.
 */
export function avatarUrl(
  email: string,
  provider: AvatarProvider,
  { size, origin = '' }: { size?: number; origin?: string } = {},
): string {
  const path = `/avatar/${emailHash(email)}?d=identicon${size ? `&s=${size}` : ''}`;
  return provider === 'gravatar' ? `https://www.gravatar.com${path}` : `${origin}${path}`;
}
