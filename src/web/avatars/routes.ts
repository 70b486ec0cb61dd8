import type { FastifyInstance } from 'fastify';
import { identiconSvg } from './identicon.ts';

const DEFAULT_SIZE = 80;
const MAX_SIZE = 512;

const schema = {
  params: {
    type: 'object',
    required: ['hash'],
    properties: { hash: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
  },
  // `s` stays a string of digits so that huge values can be clamped instead of failing
  // a numeric maximum. Signs, decimals, words and a repeated `s` (an array that cannot
  // become one string) fail here with 400. `d` (Gravatar's fallback style) is ignored.
  querystring: {
    type: 'object',
    properties: { s: { type: 'string', pattern: '^[0-9]+$' } },
  },
} as const;

interface AvatarRequest {
  Params: { hash: string };
  Querystring: { s?: string };
}

/** Any non-negative integer is accepted and clamped to 1..512 pixels, as Gravatar does. */
function clampSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SIZE;
  return Math.min(MAX_SIZE, Math.max(1, Number(value)));
}

/** True when an `If-None-Match` list names this entity tag (weak comparison, RFC 9110). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/** `/avatar/<md5>`: the identicon behind `avatarUrl` when AVATAR_PROVIDER is identicon. */
export async function avatarRoutes(app: FastifyInstance) {
  // Avatars are public images: API clients served from other origins show them in <img>,
  // which the site-wide Cross-Origin-Resource-Policy: same-origin would block.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cross-origin-resource-policy', 'cross-origin');
  });
  app.get<AvatarRequest>(
    '/avatar/:hash',
    // Validation errors are handled here: a bad hash is an unknown page, not a bad request.
    { schema, attachValidation: true },
    async (request, reply) => {
      const invalid = request.validationError;
      if (invalid?.validationContext === 'params') {
        reply.callNotFound();
        return reply;
      }
      if (invalid) throw invalid;

      const size = clampSize(request.query.s);
      // The image depends only on the hash and the size, and never changes for them.
      const etag = `"${request.params.hash}-${size}"`;
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag);
      if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply
        .type('image/svg+xml; charset=utf-8')
        .send(identiconSvg(request.params.hash, size));
    },
  );
}
