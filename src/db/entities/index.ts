import { FollowSchema } from './follow.ts';
import { PostSchema } from './post.ts';
import { SessionSchema } from './session.ts';
import { TokenSchema } from './token.ts';
import { UserSchema } from './user.ts';

export { Follow } from './follow.ts';
export { Post } from './post.ts';
export { Session } from './session.ts';
export { Token } from './token.ts';
export { User } from './user.ts';

/** Every entity schema, in the order MikroORM should discover them. */
export const entities = [UserSchema, PostSchema, FollowSchema, SessionSchema, TokenSchema];
