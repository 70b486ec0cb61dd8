import { PostSchema } from './post.ts';
import { UserSchema } from './user.ts';

export { Post } from './post.ts';
export { User } from './user.ts';

/** Every entity schema, in the order MikroORM should discover them. */
export const entities = [UserSchema, PostSchema];
