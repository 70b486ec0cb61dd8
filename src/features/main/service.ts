import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post } from '../../db/entities/index.ts';

/** The newest posts with their authors, loaded in one query. */
export function latestPosts(em: SqlEntityManager, limit = 25) {
  return em.find(
    Post,
    {},
    { populate: ['author'], orderBy: { timestamp: 'desc', id: 'desc' }, limit },
  );
}
