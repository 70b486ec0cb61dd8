import type { FastifyRequest } from 'fastify';

/**
 * The public origin of links this server hands out (emailed links, the API's avatar URLs):
 * BASE_URL when set; else the request's own, as the client reached it (with TRUST_PROXY,
 * as the proxy reports it).
 */
export function publicOrigin(request: FastifyRequest): string {
  return request.server.config.baseUrl ?? `${request.protocol}://${request.host}`;
}
