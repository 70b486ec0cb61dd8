import { FollowSchema } from './follow.ts';
import { JobSchema } from './job.ts';
import { MessageSchema } from './message.ts';
import { NotificationSchema } from './notification.ts';
import { PostSchema } from './post.ts';
import { SessionSchema } from './session.ts';
import { TaskSchema } from './task.ts';
import { TokenSchema } from './token.ts';
import { UserSchema } from './user.ts';

export { Follow } from './follow.ts';
export { Job } from './job.ts';
export { Message } from './message.ts';
export { Notification } from './notification.ts';
export { Post } from './post.ts';
export { Session } from './session.ts';
export { Task } from './task.ts';
export { Token } from './token.ts';
export { User } from './user.ts';

/** Every entity schema, in the order MikroORM should discover them. */
export const entities = [
  UserSchema,
  PostSchema,
  FollowSchema,
  SessionSchema,
  TokenSchema,
  MessageSchema,
  NotificationSchema,
  TaskSchema,
  JobSchema,
];
