import type { SqlEntityManager } from '@mikro-orm/sql';
import { Post, type User } from '../../db/entities/index.ts';
import { inTransaction } from '../../db/transaction.ts';
import { DomainError } from '../../errors.ts';
import { assertCleanText } from '../input.ts';
import { detectLanguage } from '../languages.ts';
import { POST_MAX, saySomething } from '../rules.ts';

/** 1 to 280 characters (code points, not UTF-16 units), not all blank, nothing forbidden. */
function checkedBody(text: string): string {
  assertCleanText(text, 'body');
  const length = [...text].length;
  if (length === 0 || length > POST_MAX || !/\S/.test(text)) {
    const { template, values } = saySomething(POST_MAX);
    throw new DomainError(template, 'body', values);
  }
  return text;
}

/** Adds `change` to the author's post count, in SQL, so concurrent posts never lose one. */
function countPosts(em: SqlEntityManager, authorId: number, change: 1 | -1) {
  const user = em.getPlatform().quoteIdentifier('user');
  return em.execute(`update ${user} set post_count = post_count + ? where id = ?`, [
    change,
    authorId,
  ]);
}

/** Sets every user's post count from their posts: after a bulk load that bypassed createPost. */
export async function recountPosts(em: SqlEntityManager): Promise<void> {
  const q = (name: string) => em.getPlatform().quoteIdentifier(name);
  await em.execute(
    `update ${q('user')} set post_count = (select count(*) from ${q('post')} as p where p.user_id = ${q('user')}.id)`,
  );
}

/**
 * A new post, and its author's post count, in one transaction. The count goes first: it
 * locks the author's row before the post's foreign key takes a shared lock on it, which on
 * MariaDB would deadlock two posts of one author written at once.
 */
export async function createPost(em: SqlEntityManager, author: User, body: string): Promise<Post> {
  const post = em.create(Post, {
    body: checkedBody(body),
    author,
    language: detectLanguage(body),
  });
  await inTransaction(em, async () => {
    await countPosts(em, author.id, 1);
    await em.flush();
  });
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
  if (body !== undefined) {
    post.body = checkedBody(body);
    post.language = detectLanguage(body);
  }
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
  await inTransaction(em, async () => {
    await countPosts(em, user.id, -1);
    await em.flush();
  });
  return 'deleted';
}
