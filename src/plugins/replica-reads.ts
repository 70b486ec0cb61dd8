import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { allowReplicaReads } from '../db/read-routing.ts';

/** The signed cookie that pins a client that just wrote to the primary; it holds the expiry. */
export const PIN_COOKIE = 'primary_until';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * With read replicas (DATABASE_REPLICA_URLS), the one switch between replica and primary:
 * a successful write pins its client to the primary for REPLICA_PIN_SECONDS, so it reads
 * its own writes; any other safe request lets its handler's raw reads use a replica, which
 * may lag.
 * docs/decisions/0035-read-replicas.md
 */
async function registerReplicaReads(app: FastifyInstance) {
  const { databaseReplicas, replicaPinSeconds } = app.config;
  if (!databaseReplicas?.length) return;

  // At preHandler, after every onRequest hook: who the client is (its session, its user, its
  // API token) is read from the primary, so a revoked session or token is never let through.
  app.addHook('preHandler', async (request, reply) => {
    if (!SAFE_METHODS.has(request.method)) return;
    const cookie = request.cookies[PIN_COOKIE];
    const until = cookie ? reply.unsignCookie(cookie) : undefined;
    const pinned = until?.valid === true && Number(until.value) > Date.now();
    if (!pinned) allowReplicaReads(request.em);
  });

  app.addHook('onSend', async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || reply.statusCode >= 400) return;
    reply.setCookie(PIN_COOKIE, String(Date.now() + replicaPinSeconds * 1000), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: 'auto',
      signed: true,
      maxAge: replicaPinSeconds,
    });
  });
}

export const replicaReadsPlugin = fp(registerReplicaReads, {
  name: 'replica-reads',
  dependencies: ['orm', 'session'],
});
