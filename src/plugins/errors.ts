import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { h } from 'preact';
import { apiErrorBody, describeError } from '../errors.ts';
import { ErrorPage } from '../views/error-page.tsx';

/** How much a client's Accept header wants `type` (0 to 1), wildcards included. */
function quality(accept: string, type: string): number {
  const [group] = type.split('/');
  let best = 0;
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().split(';');
    const matches = range === type || range === `${group}/*` || range === '*/*';
    if (!matches) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    best = Math.max(best, q === undefined ? 1 : Number(q));
  }
  return best;
}

/**
 * Whether to answer an error in JSON, as the Flask Microblog does: when the client ranks
 * JSON at least as high as HTML. A browser ranks HTML first; a request with no Accept at
 * all gets the page.
 */
function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (!accept) return false;
  return quality(accept, 'application/json') >= quality(accept, 'text/html');
}

/**
 * Error pages for the web, or JSON errors for clients that want them (src/errors.ts decides
 * what to show). A path that exists under other methods is a 405 with an Allow header. A 500
 * discards the request's unit of work and never shows a stack.
 */
async function registerErrorPages(app: FastifyInstance) {
  /** `message` is in the request's language already. */
  const send = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) =>
    wantsJson(request)
      ? reply.code(status).send(apiErrorBody(status, message))
      : reply.render(h(ErrorPage, { status, message }), status);

  app.setNotFoundHandler((request, reply) => {
    const { t } = request.translator;
    const allowed = app.allowedMethods(request.url);
    if (allowed.length === 0)
      return send(request, reply, 404, t('There is nothing at this address.'));
    reply.header('allow', allowed.join(', '));
    return send(request, reply, 405, t('The method is not allowed for this address.'));
  });

  app.setErrorHandler((error, request, reply) => {
    const { t } = request.translator;
    const { status, message, unexpected } = describeError(error, 'form', t);
    if (!unexpected) return send(request, reply, status, message);
    // Pending changes of a failed request must never reach a later flush.
    request.em?.clear();
    request.log.error({ err: error, reqId: request.id }, 'request failed');
    const told = app.errorsReachAdmins
      ? t('The administrator has been notified. Sorry for the inconvenience!')
      : t('It has been logged. Sorry for the inconvenience!');
    return send(request, reply, status, told);
  });
}

export const errorPagesPlugin = fp(registerErrorPages, {
  name: 'error-pages',
  dependencies: ['allowed-methods', 'error-reports', 'views', 'i18n'],
});
