import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimitConfig } from '../config/load.ts';
import { HttpError } from '../errors.ts';
import { RateLimiter } from '../security/rate-limiter.ts';

export type LimitName = Exclude<keyof RateLimitConfig, 'enabled'>;

/** For each limit, whose account an attempt is against (undefined: only the IP counts). */
export type AccountKeys = Record<
  LimitName,
  (request: FastifyRequest) => Promise<string | undefined>
>;

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandlers that limit attempts per client IP and per account. */
    rateLimits: Record<LimitName, preHandlerAsyncHookHandler>;
  }
}

/**
 * Limits login, registration and password changes, per IP and per account (our own
 * counters: @fastify/rate-limit runs only one limiter per request, and each of these
 * routes needs two). RATELIMIT_ENABLED=false turns them all off.
 * docs/decisions/0004-rate-limits.md
 */
async function registerRateLimits(
  app: FastifyInstance,
  { accountKeys }: { accountKeys: AccountKeys },
) {
  const limits = app.config.rateLimits;
  const limiter = new RateLimiter();
  const sweep = setInterval(() => limiter.sweep(), 60_000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  const guard = (name: LimitName): preHandlerAsyncHookHandler =>
    async function rateLimit(request, reply) {
      if (!limits.enabled) return;
      // A client already over its IP limit is refused without touching the database.
      let seconds = limiter.hit(`${name}:ip:${request.ip}`, limits[name]);
      if (seconds === undefined) {
        const account = await accountKeys[name](request);
        if (account) seconds = limiter.hit(`${name}:account:${account}`, limits[name]);
      }
      if (seconds === undefined) return;
      reply.header('retry-after', String(seconds));
      throw new HttpError(429, `Too many attempts. Please try again in ${seconds} seconds.`);
    };
  app.decorate('rateLimits', {
    login: guard('login'),
    register: guard('register'),
    password: guard('password'),
  });
}

export const rateLimitPlugin = fp(registerRateLimits, {
  name: 'rate-limit',
  dependencies: ['auth'],
});
