import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config, RateLimitConfig } from '../config.ts';
import { findUserByLogin } from '../features/auth/service.ts';
import { RateLimiter } from '../security/rate-limiter.ts';

type LimitName = Exclude<keyof RateLimitConfig, 'enabled'>;

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandlers that limit attempts per client IP and per account. */
    rateLimits: Record<LimitName, preHandlerAsyncHookHandler>;
  }
}

/**
 * Whose account an attempt is against. A login resolves to the account's id, so that
 * "mary" and "mary@example.com" share one count.
 */
const ACCOUNT_KEYS: Record<LimitName, (request: FastifyRequest) => Promise<string | undefined>> = {
  login: async (request) => {
    const login = formField(request, 'username');
    if (!login) return undefined;
    const user = await findUserByLogin(request.em, login);
    return user ? `user:${user.id}` : `login:${login}`;
  },
  register: async (request) => formField(request, 'username'),
  password: async (request) =>
    request.user ? `user:${request.user.id}` : formField(request, 'email'),
};

function formField(request: FastifyRequest, name: string): string | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.trim() ? value.trim().toLowerCase() : undefined;
}

export class TooManyAttemptsError extends Error {
  readonly statusCode = 429;
  override name = 'TooManyAttemptsError';
}

/**
 * Limits login, registration and password changes, per IP and per account (our own
 * counters: @fastify/rate-limit runs only one limiter per request, and each of these
 * routes needs two). RATELIMIT_ENABLED=false turns them all off.
 */
async function registerRateLimits(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
  const limits = config.rateLimits;
  const limiter = new RateLimiter();
  const sweep = setInterval(() => limiter.sweep(), 60_000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  const guard = (name: LimitName): preHandlerAsyncHookHandler =>
    async function rateLimit(request, reply) {
      if (!limits.enabled) return;
      const account = await ACCOUNT_KEYS[name](request);
      const waits = [
        limiter.hit(`${name}:ip:${request.ip}`, limits[name]),
        account ? limiter.hit(`${name}:account:${account}`, limits[name]) : undefined,
      ].filter((wait) => wait !== undefined);
      if (waits.length === 0) return;
      const seconds = Math.max(...waits);
      reply.header('retry-after', String(seconds));
      throw new TooManyAttemptsError(`Too many attempts. Please try again in ${seconds} seconds.`);
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
