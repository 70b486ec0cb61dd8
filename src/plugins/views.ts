import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

// biome-ignore lint/suspicious/noExplicitAny: a page component may take any props.
type Page = VNode<any>;

declare module 'fastify' {
  interface FastifyReply {
    /** Sends a server-rendered page. Preact escapes every interpolated value. */
    render(page: Page, statusCode?: number): FastifyReply;
  }
}

async function registerViews(app: FastifyInstance) {
  app.decorateReply('render', function render(page: Page, statusCode = 200) {
    return this.code(statusCode)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html>\n${renderToString(page)}`);
  });
}

export const viewsPlugin = fp(registerViews, { name: 'views' });
