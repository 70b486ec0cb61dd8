import type { Redis } from 'ioredis';
import type { EventBus, UserEvent } from './bus.ts';

/**
 * Events through Redis pub/sub, so a page streaming from one process sees what happened in
 * another (as Mastodon's streaming server does). Every process subscribes to one channel and
 * hands each event to its own streams. While Redis is unreachable an event still reaches
 * this process's pages; the others' pages catch up by polling. `publisher` fails fast when
 * Redis is away; `subscriber` is a blocking connection (src/redis/connection.ts).
 */
export function redisBus(publisher: Redis, subscriber: Redis, prefix: string): EventBus {
  const channel = `${prefix}:events`;
  const listeners = new Set<(event: UserEvent) => void>();
  const deliver = (event: UserEvent) => {
    for (const listener of listeners) listener(event);
  };
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    try {
      deliver(JSON.parse(message) as UserEvent);
    } catch {
      // Not ours: another program on the same channel.
    }
  });
  // The subscriber queues commands while Redis is away (a `blocking` connection), and
  // ioredis subscribes again after a reconnection.
  void subscriber.subscribe(channel).catch(() => {});
  return {
    async publish(event) {
      try {
        await publisher.publish(channel, JSON.stringify(event));
      } catch {
        deliver(event);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
