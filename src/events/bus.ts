import { EventEmitter } from 'node:events';

/** News for one user's open pages: a notification as the JSON list and the stream show it. */
export interface UserEvent {
  userId: number;
  name: string;
  data: unknown;
  /** Seconds since the epoch, with a fraction; also the stream's event id. */
  timestamp: number;
}

/**
 * Carries user events to whichever process holds the user's open pages: within the process
 * by default, through Redis pub/sub with REDIS_URL (src/events/redis-bus.ts).
 */
export interface EventBus {
  publish(event: UserEvent): Promise<void>;
  /** Calls `listener` with every event published from now on; returns the unsubscribe. */
  subscribe(listener: (event: UserEvent) => void): () => void;
  close(): Promise<void>;
}

/** The single-process bus: events never leave the process that raised them. */
export function memoryBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(event) {
      emitter.emit('event', event);
    },
    subscribe(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
