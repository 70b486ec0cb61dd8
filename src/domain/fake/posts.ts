import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post } from '../../db/entities/index.ts';
import { DomainError } from '../../errors.ts';
import { recountPosts } from '../posts/posts.ts';
import type { ProgressListener } from '../progress.ts';
import { allUserIds, insertStream, prepareBulkLoad, refreshStatistics } from './bulk.ts';
import { assertCount } from './users.ts';
import { fakePostBody, pick, randomInt } from './words.ts';

const DAY_MS = 86_400_000;

/**
 * Creates `count` posts by random existing users, at random times over the past year
 * (not in id order), so timelines, profiles and Explore look lived-in.
 */
export async function createFakePosts(
  em: SqlEntityManager,
  count: number,
  options: { onProgress?: ProgressListener } = {},
): Promise<number> {
  assertCount(count, 'posts');
  await prepareBulkLoad(em);
  const authors = await allUserIds(em);
  if (authors.length === 0) throw new DomainError('No users: run "microblog fake users N" first');
  const now = Date.now();
  function* rows() {
    for (;;) {
      yield {
        body: fakePostBody(),
        timestamp: new Date(now - randomInt(365 * DAY_MS)),
        author: pick(authors),
      };
    }
  }
  const report = (done: number) => options.onProgress?.('posts', done, count);
  await insertStream(em, Post, rows(), count, report);
  await recountPosts(em.fork());
  await refreshStatistics(em, ['post', 'user']);
  return count;
}
