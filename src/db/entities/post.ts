import { inspect } from 'node:util';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.ts';

const PostSchema = defineEntity({
  name: 'Post',
  properties: {
    id: p.integer().primary(),
    // 280 for the API; the web form keeps its 140-character rule.
    body: p.string().length(280),
    // Set by the ORM rather than a column default: MariaDB rewrites
    // current_timestamp to current_timestamp(3), which SQLite rejects (decision 0002, rule 1).
    timestamp: p
      .datetime()
      .length(3)
      .index()
      .onCreate(() => new Date()),
    author: () => p.manyToOne(User).fieldName('user_id'),
    /** The language detected when it was written (ISO 639-1); null when it could not be told. */
    language: p.string().length(5).nullable(),
  },
  // A user's posts newest first, and the feed's newest posts per followed author, walk this
  // index; it also serves the foreign key. `id` ends it because every list orders by
  // (timestamp, id): without it PostgreSQL sorts each author's rows again (decision 0022).
  indexes: [{ properties: ['author', 'timestamp', 'id'] }],
});

export class Post extends PostSchema.class {
  override toString(): string {
    return `<Post ${this.body}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

PostSchema.setClass(Post);

export { PostSchema };
