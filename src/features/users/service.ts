import type { SqlEntityManager } from '@mikro-orm/sql';
import { Follow, User } from '../../db/entities/index.ts';
import { DomainError } from '../../db/errors.ts';
import { assertAvailable } from '../auth/service.ts';
import type { Page } from '../main/service.ts';

export function findByUsername(em: SqlEntityManager, username: string): Promise<User | null> {
  return em.findOne(User, { username });
}

/** Follower and following counts: index-only counts on the two followers indexes. */
export async function followCounts(em: SqlEntityManager, user: User) {
  const [followers, following] = await Promise.all([
    em.count(Follow, { followed: user.id }),
    em.count(Follow, { follower: user.id }),
  ]);
  return { followers, following };
}

export async function isFollowing(
  em: SqlEntityManager,
  follower: User,
  followed: User,
): Promise<boolean> {
  return (await em.count(Follow, { follower: follower.id, followed: followed.id })) > 0;
}

/** Starts following; following someone already followed changes nothing. */
export async function follow(em: SqlEntityManager, follower: User, followed: User): Promise<void> {
  if (follower.id === followed.id) throw new DomainError('You cannot follow yourself!');
  if (await isFollowing(em, follower, followed)) return;
  em.create(Follow, { follower, followed });
  try {
    await em.flush();
  } catch (error) {
    // A concurrent request followed first: the outcome is the same.
    if (!(error instanceof DomainError)) throw error;
    em.clear();
  }
}

export async function unfollow(
  em: SqlEntityManager,
  follower: User,
  followed: User,
): Promise<void> {
  if (follower.id === followed.id) throw new DomainError('You cannot unfollow yourself!');
  await em.nativeDelete(Follow, { follower: follower.id, followed: followed.id });
}

/** A page of the users who follow `user` (or whom `user` follows), by username. */
export async function followList(
  em: SqlEntityManager,
  user: User,
  direction: 'followers' | 'following',
  page: number,
  limit: number,
): Promise<Page<User>> {
  const where = direction === 'followers' ? { following: user.id } : { followers: user.id };
  const users = await em.find(User, where, {
    orderBy: { username: 'asc' },
    limit: limit + 1,
    offset: (page - 1) * limit,
  });
  return { items: users.slice(0, limit), hasMore: users.length > limit };
}

export async function updateProfile(
  em: SqlEntityManager,
  user: User,
  changes: { username: string; about_me?: string },
): Promise<void> {
  if (changes.username !== user.username)
    await assertAvailable(em, { username: changes.username }, user.id);
  user.username = changes.username;
  user.aboutMe = changes.about_me?.trim() ? changes.about_me : null;
  await em.flush();
}
