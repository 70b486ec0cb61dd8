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

/** The events of a stream's chunks, queued as they arrive until a test takes them. */
function eventQueue() {
  const queue: StreamEvent[] = [];
  const waiting: ((event: StreamEvent) => void)[] = [];
  let buffer = '';
  const push = (chunk: Buffer | Uint8Array) => {
    buffer += Buffer.from(chunk).toString();
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
  };
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
  const drain = async (ms: number) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return queue.splice(0);
  };
  return { push, next, drain };
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
  const events = eventQueue();
  response.stream().on('data', events.push);
  return { status: response.statusCode, headers: response.headers, ...events };
}

/** A stream read over real HTTP. */
export interface HttpStream extends OpenStream {
  /** Once the stream is over: 'clean' when the server ended it, 'broken' otherwise. */
  ended: Promise<'clean' | 'broken'>;
  close(): void;
}

/** Opens a real server's stream at `url` with these request headers (e.g. a cookie). */
export async function openHttpEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<HttpStream> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const events = eventQueue();
  const body = response.body;
  const ended = (async () => {
    if (!body) return 'clean' as const;
    try {
      for await (const chunk of body) events.push(chunk);
      return 'clean' as const;
    } catch {
      return 'broken' as const;
    }
  })();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    ...events,
    ended,
    close: () => abort.abort(),
  };
}
