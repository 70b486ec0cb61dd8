import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { EventBus } from '../events/bus.ts';
import { openEventBus } from '../events/open.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Carries user events to the process holding the user's open pages. */
    events: EventBus;
  }
}

/** The event bus: through Redis with REDIS_URL, so every process hears every event. */
async function registerEvents(app: FastifyInstance) {
  const bus = openEventBus(app.config.redis, app.log);
  app.decorate('events', bus);
  app.addHook('onClose', () => bus.close());
}

export const eventsPlugin = fp(registerEvents, { name: 'events' });
