import { inspect } from 'node:util';
import { defineEntity, p } from '@mikro-orm/core';
import { hashPassword, verifyPassword } from '../../security/passwords.ts';
import { Follow } from './follow.ts';
import { Post } from './post.ts';

const UserSchema = defineEntity({
  name: 'User',
  properties: {
    id: p.integer().primary(),
    username: p.string().length(64).unique(),
    email: p.string().length(120).unique(),
    passwordHash: p.string().length(256).nullable().hidden(),
    aboutMe: p.string().length(140).nullable(),
    // Nullable, so adding the column needs no SQLite table rebuild; set on creation.
    lastSeen: p
      .datetime()
      .length(3)
      .nullable()
      .onCreate(() => new Date()),
    // When the account was created; the API reports it. Nullable: older rows have none.
    firstSeen: p
      .datetime()
      .length(3)
      .nullable()
      .onCreate(() => new Date()),
    /** The language the pages speak to this user (`en`, `es`); null: the browser's choice. */
    locale: p.string().length(5).nullable(),
    /**
     * How many posts the user has, kept in the transaction that adds or removes one, so the
     * API's feed totals need no count over the posts.
     */
    postCount: p.integer().default(0),
    /** Received messages newer than this are unread. */
    lastMessageReadTime: p.datetime().length(3).nullable(),
    /** Admins see the controls that disable and enable accounts on profiles. */
    isAdmin: p.boolean().default(false),
    /** When the account was disabled; a disabled account cannot log in by any means. */
    disabledAt: p.datetime().length(3).nullable(),
    posts: () => p.oneToMany(Post).mappedBy('author'),
    following: () =>
      p
        .manyToMany(User)
        .pivotEntity(() => Follow)
        .joinColumn('follower_id')
        .inverseJoinColumn('followed_id'),
    followers: () => p.manyToMany(User).mappedBy('following'),
  },
});

export class User extends UserSchema.class {
  /** Stores an argon2id hash; the plain password is never kept. */
  async setPassword(password: string): Promise<void> {
    this.passwordHash = await hashPassword(password);
  }

  async checkPassword(password: string): Promise<boolean> {
    return this.passwordHash != null && verifyPassword(this.passwordHash, password);
  }

  override toString(): string {
    return `<User ${this.username}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

UserSchema.setClass(User);

export { UserSchema };
