import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { connectRedis, untilReady } from '../../redis/connection.ts';

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function bearerMatches(request: FastifyRequest, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * `/healthz`: liveness, 200 while the process answers at all (a supervisor restarts it
 * otherwise; a database outage is no reason to). `/readyz`: readiness, 200 when the
 * database and Redis (with REDIS_URL) answer, 503 naming what does not, so a balancer
 * sends no traffic. `/metrics`: Prometheus text, only with METRICS_TOKEN as a bearer
 * token (404 when unset). docs/decisions/0033-health-and-metrics.md
 */
export async function healthRoutes(app: FastifyInstance) {
  const { url: redisUrl } = app.config.redis;
  const redis = redisUrl ? connectRedis(redisUrl, app.log) : undefined;
  if (redis) {
    // Ready once connected, unless Redis is down at start-up (then not ready until it is up).
    app.addHook('onReady', () => untilReady(redis).catch(() => {}));
    app.addHook('onClose', async () => redis.disconnect());
  }

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const checks: Record<string, 'ok' | 'unreachable'> = {};
    try {
      await request.em.getConnection().execute('select 1');
      checks.database = 'ok';
    } catch (error) {
      request.log.error({ err: error }, 'readiness: database unreachable');
      checks.database = 'unreachable';
    }
    if (redis) {
      // Not connected is unreachable now: ioredis would otherwise wait for it.
      const ok = redis.status === 'ready' && (await redis.ping().catch(() => '')) === 'PONG';
      checks.redis = ok ? 'ok' : 'unreachable';
    }
    const ready = Object.values(checks).every((check) => check === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'error', ...checks });
  });

  const token = app.config.metricsToken;
  if (token) {
    app.get('/metrics', async (request, reply) => {
      if (!bearerMatches(request, token)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send({ error: 'A valid METRICS_TOKEN bearer token is needed.' });
      }
      const { registry } = app.metrics;
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  }
}
