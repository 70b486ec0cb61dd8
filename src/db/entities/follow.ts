import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.ts';

/**
 * The `followers` association table. An explicit pivot entity rather than a plain
 * many-to-many, so `followed_id` gets its own index on every database: follower
 * counts and lists query by it (docs/decisions/0011-followers-pivot-entity.md).
 */
export const FollowSchema = defineEntity({
  name: 'Follow',
  tableName: 'followers',
  properties: {
    follower: () => p.manyToOne(User).primary().fieldName('follower_id'),
    followed: () => p.manyToOne(User).primary().fieldName('followed_id').index(),
  },
});

export class Follow extends FollowSchema.class {}
FollowSchema.setClass(Follow);
