import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { poolStats } from '../db/pool-stats.ts';
import { JOB_STATUSES } from '../jobs/queue.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's Prometheus metrics; features add to them (e.g. open streams). */
    metrics: { registry: Registry; openStreams: Gauge };
  }
}

/**
 * Prometheus metrics of this process (prom-client), each app its own registry: requests and
 * their latency per route, Node's own (event loop, memory, GC), open event streams, the
 * database pool, and the job queue by status. `/metrics` serves them (src/web/health/routes.ts).
 * docs/decisions/0033-health-and-metrics.md
 */
async function registerMetrics(app: FastifyInstance) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status code.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const openStreams = new Gauge({
    name: 'microblog_event_streams_open',
    help: 'Server-Sent Events streams this process holds open.',
    registers: [registry],
  });
  const jobs = app.jobs;
  new Gauge({
    name: 'microblog_jobs',
    help: 'Background jobs in the queue, by status (failed: failed for good, kept).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      try {
        const counts = await jobs.counts();
        for (const status of JOB_STATUSES) this.set({ status }, counts[status]);
      } catch {
        // The queue's store is unreachable: the scrape still answers, without these.
        this.reset();
      }
    },
  });
  const orm = app.orm;
  new Gauge({
    name: 'microblog_database_connections',
    help: "The database pool's connections: open, idle, and queries waiting for one (none on SQLite).",
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const stats = await poolStats(orm).catch(() => null);
      if (!stats) return;
      for (const state of ['total', 'idle', 'waiting'] as const) this.set({ state }, stats[state]);
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, never the raw URL: one series per route, not per user or post.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    requests.inc({ ...labels, status: String(reply.statusCode) });
    latency.observe(labels, reply.elapsedTime / 1000);
  });
  app.decorate('metrics', { registry, openStreams });
}

export const metricsPlugin = fp(registerMetrics, {
  name: 'metrics',
  dependencies: ['jobs', 'orm'],
});
