import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { h } from 'preact';
import { describeError } from '../errors.ts';
import { ErrorPage } from '../views/error-page.tsx';

/**
 * 404 and error pages (src/errors.ts decides what to show). A 500 discards the request's
 * unit of work and never shows a stack.
 */
async function registerErrorPages(app: FastifyInstance) {
  app.setNotFoundHandler((_request, reply) => reply.render(h(ErrorPage, { status: 404 }), 404));

  app.setErrorHandler((error, request, reply) => {
    const { status, message, unexpected } = describeError(error, 'form');
    if (unexpected) {
      // Pending changes of a failed request must never reach a later flush.
      request.em?.clear();
      request.log.error({ err: error, reqId: request.id }, 'request failed');
      return reply.render(h(ErrorPage, { status }), status);
    }
    return reply.render(h(ErrorPage, { status, message }), status);
  });
}

export const errorPagesPlugin = fp(registerErrorPages, { name: 'error-pages' });
