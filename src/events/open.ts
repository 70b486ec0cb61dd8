import type { Config } from '../config/load.ts';
import { connectRedis, type RedisLog } from '../redis/connection.ts';
import { type EventBus, memoryBus } from './bus.ts';
import { redisBus } from './redis-bus.ts';

/**
 * The event bus of a process (the server, or a `microblog worker`): through Redis with
 * REDIS_URL, so every process hears every event; within the process without it.
 */
export function openEventBus({ url, prefix }: Config['redis'], log: RedisLog): EventBus {
  if (!url) return memoryBus();
  return redisBus(connectRedis(url, log), connectRedis(url, log, { blocking: true }), prefix);
}
