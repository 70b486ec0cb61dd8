import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.ts';

/**
 * A background job a user started (exporting their posts), as the Flask Microblog records
 * it: pages show it while it runs, and a second one of the same kind is refused meanwhile.
 */
export const TaskSchema = defineEntity({
  name: 'Task',
  properties: {
    id: p.string().length(36).primary(),
    name: p.string().length(128).index(),
    description: p.string().length(128).nullable(),
    user: () => p.manyToOne(User).fieldName('user_id').deleteRule('cascade'),
    complete: p.boolean().default(false),
  },
  // Every page of a signed-in user asks for their running tasks.
  indexes: [{ properties: ['user', 'complete'] }],
});

export class Task extends TaskSchema.class {}
TaskSchema.setClass(Task);
