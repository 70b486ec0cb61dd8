import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post, type User } from '../../db/entities/index.ts';
import { DomainError } from '../../errors.ts';
import { assertCleanText } from '../input.ts';
import { POST_MAX } from '../rules.ts';

/** 1 to 280 characters (code points, not UTF-16 units), not all blank, nothing forbidden. */
function checkedBody(text: string): string {
  assertCleanText(text, 'body');
  const length = [...text].length;
  if (length === 0 || length > POST_MAX || !/\S/.test(text)) {
    throw new DomainError(`Say something in 1 to ${POST_MAX} characters.`, 'body');
  }
  return text;
}

export async function createPost(em: SqlEntityManager, author: User, body: string): Promise<Post> {
  const post = em.create(Post, { body: checkedBody(body), author });
  await em.flush();
  return post;
}

/** The post, if it exists and `user` wrote it: only its author may change it. */
async function ownPost(em: SqlEntityManager, user: User, id: number) {
  const post = await em.findOne(Post, id);
  if (!post) return 'missing';
  return post.author.id === user.id ? post : 'forbidden';
}

/** Changes a post's text (none given: nothing changes). */
export async function editPost(
  em: SqlEntityManager,
  user: User,
  id: number,
  body: string | undefined,
): Promise<Post | 'missing' | 'forbidden'> {
  const post = await ownPost(em, user, id);
  if (typeof post === 'string') return post;
  if (body !== undefined) post.body = checkedBody(body);
  await em.flush();
  return post;
}

export async function deletePost(
  em: SqlEntityManager,
  user: User,
  id: number,
): Promise<'deleted' | 'missing' | 'forbidden'> {
  const post = await ownPost(em, user, id);
  if (typeof post === 'string') return post;
  em.remove(post);
  await em.flush();
  return 'deleted';
}
