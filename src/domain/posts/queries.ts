import type { Quote } from '../../db/rows.ts';
import { userColumns } from '../user-rows.ts';

/**
 * The SQL behind every list of posts, exported so `bench/plans.ts` can EXPLAIN exactly what
 * runs. Each reads the post and its author in one query, and walks an index:
 * `post(timestamp)` for all posts, `post(user_id, timestamp)` for one author and the feed.
 * docs/decisions/0003-raw-rows-on-hot-paths.md
 */

/** `select <post and author columns> from <from> join user …`, for the post alias `post`. */
export const withAuthor = (q: Quote, from: string, post: string) =>
  `select ${post}.id, ${post}.body, ${post}.timestamp, ${post}.language, ${userColumns('u', 'author_')} from ${from} join ${q('user')} as u on u.id = ${post}.user_id`;

/**
 * `limit … offset …` as literals, not parameters: SQLite sorts a bounded number of rows only
 * when it knows the limit while planning (a bound limit made the timeline 2.4x slower).
 * Both are integers computed here, never user text.
 */
export const windowSql = (limit: number, offset = 0) =>
  `limit ${Math.trunc(limit)} offset ${Math.trunc(offset)}`;

const newestFirst = 'order by p.timestamp desc, p.id desc';

export const postQueries = {
  one: (q: Quote) => `${withAuthor(q, `${q('post')} as p`, 'p')} where p.id = ?`,
  all: (q: Quote, after: boolean, window: string) =>
    `${withAuthor(q, `${q('post')} as p`, 'p')}${after ? ' where p.timestamp < ?' : ''} ${newestFirst} ${window}`,
  byAuthor: (q: Quote, after: boolean, window: string) =>
    `${withAuthor(q, `${q('post')} as p`, 'p')} where p.user_id = ?${after ? ' and p.timestamp < ?' : ''} ${newestFirst} ${window}`,
  /**
   * A list's total from the authors' post counts (`user.post_count`, kept in each post's
   * transaction), not by counting posts: counting a feed read every post of its authors
   * (12 ms at 1,000,000 posts on PostgreSQL). `who` is a condition on `user.id`, or empty.
   */
  total: (q: Quote, who: string) =>
    `select coalesce(sum(post_count), 0) as total from ${q('user')}${who ? ` where ${who}` : ''}`,
  /**
   * How many posts (of `where`) are at or newer than an `after` cursor: the offset an `after`
   * page starts at, as microblog-api reports it. An index range up to the newest post.
   */
  newer: (q: Quote, where: string) =>
    `select count(*) as newer from ${q('post')} where ${where ? `${where} and ` : ''}timestamp >= ?`,
};
