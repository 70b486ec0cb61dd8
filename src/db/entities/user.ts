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
