import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type JobQueue, openJobQueue } from '../jobs/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where routes enqueue background jobs: BullMQ with REDIS_URL, the database without. */
    jobs: JobQueue;
  }
}

async function registerJobs(app: FastifyInstance) {
  const queue = openJobQueue(app.config, app.orm, app.log);
  app.decorate('jobs', queue);
  app.addHook('onClose', () => queue.close());
}

export const jobsPlugin = fp(registerJobs, { name: 'jobs', dependencies: ['orm'] });
