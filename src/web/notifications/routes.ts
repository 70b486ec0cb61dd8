import { fastifySSE, type SSEReplyInterface } from '@fastify/sse';
import type { FastifyInstance } from 'fastify';
import { notificationsSince } from '../../domain/notifications.ts';
import type { UserEvent } from '../../events/bus.ts';
import { requireLogin, signedIn } from '../../plugins/auth.ts';

/** A notification as polling clients of the Flask Microblog read it. */
const asJson = ({ name, data, timestamp }: UserEvent) => ({ name, data, timestamp });

/** `since` as the Flask Microblog reads it: seconds since the epoch, anything else 0. */
function sinceOf(value: unknown): number {
  const since = typeof value === 'string' ? Number(value) : 0;
  return Number.isFinite(since) && since > 0 ? since : 0;
}

/**
 * Notifications for the signed-in user: `GET /notifications?since=` as JSON, for polling
 * clients, and `GET /notifications/stream`, Server-Sent Events pushed to every open page of
 * the user as they happen (from any process, with Redis), resumed after a reconnection from
 * the `Last-Event-ID` the browser sends.
 */
export async function notificationRoutes(app: FastifyInstance) {
  await app.register(fastifySSE, { heartbeatInterval: 15_000 });

  app.get<{ Querystring: { since?: string } }>(
    '/notifications',
    { preHandler: requireLogin },
    async (request) => {
      const list = await notificationsSince(
        request.em,
        signedIn(request).id,
        sinceOf(request.query.since),
      );
      return list.map(asJson);
    },
  );

  // Every open stream of every user this process serves, fed by one subscription.
  const streams = new Map<number, Set<SSEReplyInterface>>();
  const send = (stream: SSEReplyInterface, event: UserEvent) =>
    stream.send({ id: String(event.timestamp), event: 'notification', data: asJson(event) });
  const unsubscribe = app.events.subscribe((event) => {
    for (const stream of streams.get(event.userId) ?? []) {
      if (stream.isConnected) void send(stream, event).catch(() => {});
    }
  });
  // An open stream would hold app.close() forever: end them first.
  app.addHook('preClose', async () => {
    unsubscribe();
    for (const open of streams.values()) for (const stream of open) stream.close();
  });

  app.get(
    '/notifications/stream',
    { preHandler: requireLogin, sse: 'only' },
    async (request, reply) => {
      const userId = signedIn(request).id;
      const stream = reply.sse;
      stream.keepAlive();
      // Open the stream now, even with nothing to send yet: the browser counts it as open
      // (and stops polling) only once it has the headers.
      stream.sendHeaders();
      reply.raw.flushHeaders();
      const open = streams.get(userId) ?? new Set();
      streams.set(userId, open);
      open.add(stream);
      app.metrics.openStreams.inc();
      stream.onClose(() => {
        app.metrics.openStreams.dec();
        open.delete(stream);
        if (open.size === 0) streams.delete(userId);
      });
      // What happened since the last event this page saw (a reconnection), or everything now.
      const since = sinceOf(stream.lastEventId);
      for (const event of await notificationsSince(request.em, userId, since))
        await send(stream, event);
    },
  );
}
