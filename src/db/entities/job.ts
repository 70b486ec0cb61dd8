import { defineEntity, p } from '@mikro-orm/core';

/**
 * A job of the queue kept in the application's own database, used when no Redis is
 * configured (src/jobs/database-queue.ts). Workers claim the oldest due `waiting` job, or an
 * `active` one whose lock ran out (its worker died), and renew the lock while they run it.
 */
export const JobSchema = defineEntity({
  name: 'Job',
  properties: {
    id: p.integer().primary(),
    name: p.string().length(64),
    payload: p.text(),
    /** waiting, active, completed, failed or cancelled. */
    status: p.string().length(16),
    attempts: p.integer(),
    maxAttempts: p.integer(),
    runAt: p.datetime().length(3),
    lockedUntil: p.datetime().length(3).nullable(),
    lockedBy: p.string().length(64).nullable(),
    lastError: p.text().nullable(),
    createdAt: p
      .datetime()
      .length(3)
      .onCreate(() => new Date()),
    finishedAt: p.datetime().length(3).nullable(),
  },
  // The claim: due jobs of a status, oldest first.
  indexes: [{ properties: ['status', 'runAt'] }],
});

export class Job extends JobSchema.class {}
JobSchema.setClass(Job);
