import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeTranslator {
  url: string;
  received: ReceivedRequest[];
  /** How the next requests are answered: a translation, an HTTP error, or broken JSON. */
  answer: 'translate' | 'error' | 'garbage';
  close(): Promise<void>;
}

/**
 * A local HTTP server that speaks one translation service's documented protocol
 * (Microsoft Translator v3, or LibreTranslate), since the real ones are out of reach here.
 * It "translates" by wrapping the text: `[es] Hello`.
 */
export async function startFakeTranslator(
  kind: 'microsoft' | 'libretranslate',
): Promise<FakeTranslator> {
  const received: ReceivedRequest[] = [];
  const fake = { received, answer: 'translate' } as FakeTranslator;
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const body = JSON.parse(raw || 'null');
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      });
      if (fake.answer === 'error') return response.writeHead(503).end('{"error":"down"}');
      if (fake.answer === 'garbage') return response.writeHead(200).end('<html>oops');
      const url = new URL(request.url ?? '/', 'http://fake');
      if (kind === 'microsoft') {
        const to = url.searchParams.get('to');
        const translations = (body as { Text: string }[]).map(({ Text }) => ({
          translations: [{ text: `[${to}] ${Text}`, to }],
        }));
        return response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(translations));
      }
      const { q, target } = body as { q: string; target: string };
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ translatedText: `[${target}] ${q}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
