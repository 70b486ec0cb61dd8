import type { FastifyInstance } from 'fastify';
import type { WebClient } from './web-client.ts';

export interface StreamEvent {
  id?: string;
  event?: string;
  data: unknown;
}

/** An open Server-Sent Events stream, read as it arrives. */
export interface OpenStream {
  status: number;
  headers: Record<string, unknown>;
  /** The next event not yet taken, waiting at most `ms` for it. */
  next(ms?: number): Promise<StreamEvent>;
  /** Every event that arrives within `ms`. */
  drain(ms: number): Promise<StreamEvent[]>;
}

function parse(block: string): StreamEvent | undefined {
  const event: Record<string, string> = {};
  for (const line of block.split('\n')) {
    const match = /^(id|event|data): ?(.*)$/.exec(line);
    if (match) event[match[1]] = match[2];
  }
  if (event.data === undefined) return undefined; // a heartbeat comment
  return { id: event.id, event: event.event, data: JSON.parse(event.data) };
}

/** Opens `url` as `client` (its cookies) on `app`, as a browser's EventSource would. */
export async function openEventStream(
  app: FastifyInstance,
  client: WebClient,
  url: string,
  headers: Record<string, string> = {},
): Promise<OpenStream> {
  const response = await app.inject({
    url,
    payloadAsStream: true,
    headers: {
      accept: 'text/event-stream',
      cookie: [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      ...headers,
    },
  });
  const queue: StreamEvent[] = [];
  const waiting: ((event: StreamEvent) => void)[] = [];
  let buffer = '';
  response.stream().on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const event = parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      const waiter = waiting.shift();
      if (event && waiter) waiter(event);
      else if (event) queue.push(event);
      else if (waiter) waiting.unshift(waiter);
      end = buffer.indexOf('\n\n');
    }
  });
  const next = (ms = 2000) =>
    new Promise<StreamEvent>((resolve, reject) => {
      const ready = queue.shift();
      if (ready) return resolve(ready);
      const timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
      waiting.push((event) => {
        clearTimeout(timer);
        resolve(event);
      });
    });
  return {
    status: response.statusCode,
    headers: response.headers,
    next,
    async drain(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return queue.splice(0);
    },
  };
}
