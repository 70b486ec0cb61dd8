import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config, RateLimitConfig } from '../config.ts';
import { findUserByLogin } from '../features/auth/service.ts';
import { basicCredentials } from '../security/basic-auth.ts';
import { RateLimiter } from '../security/rate-limiter.ts';

type LimitName = Exclude<keyof RateLimitConfig, 'enabled'>;

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandlers that limit attempts per client IP and per account. */
    rateLimits: Record<LimitName, preHandlerAsyncHookHandler>;
  }
}

/**
 * Whose account an attempt is against. Usernames are unique regardless of case, so the
 * lower-cased username names the account; an email login is resolved to its account's
 * username, so "mary", "MARY" and "mary@example.com" share one count, whether they come
 * from the web form or from the API's Basic credentials.
 */
const ACCOUNT_KEYS: Record<LimitName, (request: FastifyRequest) => Promise<string | undefined>> = {
  login: async (request) => {
    const login =
      formField(request, 'username') ??
      plausible(basicCredentials(request.headers.authorization)?.[0]);
    if (!login) return undefined;
    if (!login.includes('@')) return `name:${login.toLowerCase()}`;
    const user = await findUserByLogin(request.em, login);
    return user ? `name:${user.username.toLowerCase()}` : `email:${login.toLowerCase()}`;
  },
  register: async (request) => formField(request, 'username')?.toLowerCase(),
  password: async (request) => {
    const user = request.user ?? request.apiUser;
    return user ? `user:${user.id}` : formField(request, 'email')?.toLowerCase();
  },
};

/** A plausible login, username or email from the form or JSON body, or undefined. */
function formField(request: FastifyRequest, name: string): string | undefined {
  return plausible((request.body as Record<string, unknown> | undefined)?.[name]);
}

/**
 * `value` trimmed, if it could name an account. Anything longer than a real one, or with
 * control characters, is not looked up and gets no counter of its own (the per-IP limit
 * still applies).
 */
function plausible(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point.
  if (!trimmed || trimmed.length > 120 || /[\u0000-\u001f\u007f]/.test(trimmed)) return undefined;
  return trimmed;
}

class TooManyAttemptsError extends Error {
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
      // A client already over its IP limit is refused without touching the database.
      let seconds = limiter.hit(`${name}:ip:${request.ip}`, limits[name]);
      if (seconds === undefined) {
        const account = await ACCOUNT_KEYS[name](request);
        if (account) seconds = limiter.hit(`${name}:account:${account}`, limits[name]);
      }
      if (seconds === undefined) return;
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
