import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { h } from 'preact';
import { ErrorPage } from '../views/error-page.tsx';

/** 404 and error pages. A 500 discards the request's unit of work and never shows a stack. */
async function registerErrorPages(app: FastifyInstance) {
  app.setNotFoundHandler((_request, reply) => reply.render(h(ErrorPage, { status: 404 }), 404));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      // Pending changes of a failed request must never reach a later flush.
      request.em?.clear();
      request.log.error({ err: error, reqId: request.id }, 'request failed');
      return reply.render(h(ErrorPage, { status: 500 }), 500);
    }
    return reply.render(h(ErrorPage, { status, message: error.message }), status);
  });
}

export const errorPagesPlugin = fp(registerErrorPages, { name: 'error-pages' });
