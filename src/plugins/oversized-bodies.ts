import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Past this much, or this long, an oversized upload is cut off rather than read to its end. */
const DRAIN_BYTES = 256 * 1024 * 1024;
const DRAIN_MS = 30_000;

/** Reads the rest of a request and throws it away, within the bounds above. */
function drain(raw: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    const finish = () => {
      clearTimeout(timer);
      raw.off('data', count);
      resolve();
    };
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > DRAIN_BYTES) finish();
    };
    const timer = setTimeout(finish, DRAIN_MS);
    raw.on('data', count);
    raw.once('end', finish);
    raw.once('close', finish);
    raw.resume();
  });
}

/**
 * A body over BODY_LIMIT is refused with a 413 before it is read. Answering while the client
 * is still sending makes most clients see a reset connection instead of the answer, so the
 * rest of the upload is read and discarded first; then the connection closes.
 */
async function registerOversizedBodies(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 413 || request.raw.complete) return payload;
    reply.header('connection', 'close');
    await drain(request.raw);
    return payload;
  });
}

export const oversizedBodiesPlugin = fp(registerOversizedBodies, { name: 'oversized-bodies' });
