import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type EventBus, memoryBus } from '../events/bus.ts';
import { redisBus } from '../events/redis-bus.ts';
import { connectRedis } from '../redis/connection.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Carries user events to the process holding the user's open pages. */
    events: EventBus;
  }
}

/** The event bus: through Redis with REDIS_URL, so every process hears every event. */
async function registerEvents(app: FastifyInstance) {
  const { url, prefix } = app.config.redis;
  const bus = url
    ? redisBus(connectRedis(url, app.log), connectRedis(url, app.log, { blocking: true }), prefix)
    : memoryBus();
  app.decorate('events', bus);
  app.addHook('onClose', () => bus.close());
}

export const eventsPlugin = fp(registerEvents, { name: 'events' });
