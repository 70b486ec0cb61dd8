import type { SqlEntityManager } from '@mikro-orm/sql';
import type { TranslationService } from '../translation/services.ts';
import { findPost } from './posts/lists.ts';

/**
 * A post's text in another language, through the configured service. `'untranslatable'`
 * when its language could not be told or is already `to`. The service's failures (a
 * TranslationFailed) are passed on for the page to say so.
 */
export async function translatePost(
  em: SqlEntityManager,
  service: TranslationService,
  postId: number,
  to: string,
): Promise<string | 'missing' | 'untranslatable'> {
  const post = await findPost(em, postId);
  if (!post) return 'missing';
  if (!post.language || post.language === to) return 'untranslatable';
  return service.translate(post.body, post.language, to);
}
