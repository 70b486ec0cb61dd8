import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { HttpError } from '../errors.ts';
import { msg } from '../i18n/marker.ts';

/** Deeper than any body of this API: a request nested more is refused before parsing. */
const MAX_DEPTH = 32;

/** How deeply arrays and objects nest in a JSON text, without recursing. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '[' || char === '{') deepest = Math.max(deepest, ++depth);
    else if (char === ']' || char === '}') depth--;
  }
  return deepest;
}

/**
 * The API's body parsing: JSON only. A body of any other type (a form, text, none named)
 * is a 400, like malformed or absurdly nested JSON; never a crash.
 */
export function strictJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (String(body) === '') return done(null, undefined);
    const type = request.headers['content-type'] ?? 'none';
    done(
      new HttpError(
        400,
        msg('The body must be JSON (Content-Type: application/json), not {type}.'),
        {
          type,
        },
      ),
      undefined,
    );
  });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    if (jsonDepth(text) > MAX_DEPTH) {
      return done(
        new HttpError(400, msg('The JSON body is nested more than {depth} levels deep.'), {
          depth: MAX_DEPTH,
        }),
        undefined,
      );
    }
    try {
      // As Fastify's own parser: __proto__ and constructor.prototype keys are refused.
      done(
        null,
        secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }),
      );
    } catch {
      done(new HttpError(400, msg('The body is not valid JSON.')), undefined);
    }
  });
}
