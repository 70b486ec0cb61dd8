import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimitConfig } from '../config/load.ts';
import type { RateLimit } from '../config/parsers.ts';
import { HttpError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';
import { connectRedis, untilReady } from '../redis/connection.ts';
import { type Counters, memoryCounters } from '../security/counters.ts';
import { redisCounters } from '../security/redis-counters.ts';

export type LimitName = Exclude<keyof RateLimitConfig, 'enabled'>;

/** For each limit, whose account an attempt is against (undefined: only the IP counts). */
export type AccountKeys = Record<
  LimitName,
  (request: FastifyRequest) => Promise<string | undefined>
>;

/**
 * What a limit counts, per client IP and per account: every attempt, only the ones that
 * fail (answered 400 or more), or only the ones that succeed.
 */
type Counting = 'attempts' | 'failures' | 'successes';

interface Policy {
  ip: Counting;
  account: Counting;
  /** After a successful login, the account's limit no longer applies to that IP. */
  trustsProvenIps?: boolean;
}

/**
 * Login: every attempt per IP; per account only failures, and not from an IP that recently
 * logged in to it, so guessing stops without locking out the owner. Registration: only
 * accounts created, per IP (a mistyped form costs nothing), and every attempt at one
 * username. Password changes and resets, and private messages sent: every attempt.
 */
const POLICIES: Record<LimitName, Policy> = {
  login: { ip: 'attempts', account: 'failures', trustsProvenIps: true },
  register: { ip: 'successes', account: 'attempts' },
  password: { ip: 'attempts', account: 'attempts' },
  messages: { ip: 'attempts', account: 'attempts' },
};

/** How long an IP that logged in to an account stays exempt from that account's limit. */
const TRUST: RateLimit = { max: 1, windowSeconds: 30 * 86_400 };

/**
 * The counters: on Redis with REDIS_URL, so every process counts into the same windows;
 * in this process's memory without it.
 */
async function openCounters(app: FastifyInstance): Promise<Counters> {
  const { url, prefix } = app.config.redis;
  if (!url) return memoryCounters();
  const redis = connectRedis(url, app.log);
  // Serve the first requests counted, unless Redis is down (then they fail open).
  app.addHook('onReady', () => untilReady(redis).catch(() => {}));
  return redisCounters(redis, prefix, app.log);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandlers that limit attempts per client IP and per account. */
    rateLimits: Record<LimitName, preHandlerAsyncHookHandler>;
  }
  interface FastifyRequest {
    /** The counts this request's attempt took, settled by its outcome. */
    rateLimitCounts?: { key: string; counting: Counting }[];
    rateLimitTrust?: string;
  }
}

/**
 * Limits login, registration, password changes and messages, per IP and per account (our own
 * counters: @fastify/rate-limit runs only one limiter per request, and each of these
 * routes needs two). RATELIMIT_ENABLED=false turns them all off.
 * docs/decisions/0004-rate-limits.md, 0031-shared-rate-limits.md
 */
async function registerRateLimits(
  app: FastifyInstance,
  { accountKeys }: { accountKeys: AccountKeys },
) {
  const limits = app.config.rateLimits;
  const counters = await openCounters(app);
  app.addHook('onClose', () => counters.close());

  const tooMany = (seconds: number) =>
    new HttpError(
      429,
      msg(
        'Too many attempts. Please try again in {seconds, plural, one {# second} other {# seconds}}.',
      ),
      { seconds },
    );

  const guard = (name: LimitName): preHandlerAsyncHookHandler =>
    async function rateLimit(request, reply) {
      if (!limits.enabled) return;
      const policy = POLICIES[name];
      const taken: { key: string; counting: Counting }[] = [];
      const refuse = async (seconds: number) => {
        // A refused attempt is not an outcome: it takes back what only outcomes count.
        for (const { key, counting } of taken)
          if (counting !== 'attempts') await counters.refund(key);
        reply.header('retry-after', String(seconds));
        return tooMany(seconds);
      };
      const ipKey = `${name}:ip:${request.ip}`;
      // A client already over its IP limit is refused without touching the database.
      let seconds = await counters.hit(ipKey, limits[name]);
      taken.push({ key: ipKey, counting: policy.ip });
      if (seconds !== undefined) throw await refuse(seconds);
      const account = await accountKeys[name](request);
      if (account) {
        const trustKey = `${name}:trust:${account}:${request.ip}`;
        const trusted = policy.trustsProvenIps && (await counters.count(trustKey)) > 0;
        if (policy.trustsProvenIps) request.rateLimitTrust = trustKey;
        if (!trusted) {
          const accountKey = `${name}:account:${account}`;
          seconds = await counters.hit(accountKey, limits[name]);
          taken.push({ key: accountKey, counting: policy.account });
          if (seconds !== undefined) throw await refuse(seconds);
        }
      }
      request.rateLimitCounts = taken;
    };

  // Settles each attempt by its outcome: counts that only failures (or only successes)
  // should hold are taken back when the attempt turned out the other way.
  app.addHook('onResponse', async (request, reply) => {
    const counts = request.rateLimitCounts;
    if (!counts) return;
    const succeeded = reply.statusCode < 400;
    for (const { key, counting } of counts) {
      if ((counting === 'failures' && succeeded) || (counting === 'successes' && !succeeded))
        await counters.refund(key);
    }
    if (succeeded && request.rateLimitTrust) await counters.hit(request.rateLimitTrust, TRUST);
  });

  app.decorate('rateLimits', {
    login: guard('login'),
    register: guard('register'),
    password: guard('password'),
    messages: guard('messages'),
  });
}

export const rateLimitPlugin = fp(registerRateLimits, {
  name: 'rate-limit',
  dependencies: ['auth'],
});
