import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PageContext } from '../views/context.ts';

// biome-ignore lint/suspicious/noExplicitAny: a page component may take any props.
type Page = VNode<any>;

declare module 'fastify' {
  interface FastifyReply {
    /** Sends a server-rendered page. Preact escapes every interpolated value. */
    render(page: Page, statusCode?: number): FastifyReply;
  }
}

async function registerViews(app: FastifyInstance) {
  const { avatarProvider } = app.config;
  app.decorateReply('render', function render(page: Page, statusCode = 200) {
    const reply = this;
    let csrfToken: string | undefined;
    const context = {
      user: this.request.user,
      // Made only when a form asks for it: most pages a visitor sees have none.
      get csrfToken() {
        csrfToken ??= reply.generateCsrf();
        return csrfToken;
      },
      flashes: this.request.takeFlashes(this),
      avatarProvider,
    };
    const html = renderToString(h(PageContext.Provider, { value: context }, page));
    return this.code(statusCode).type('text/html; charset=utf-8').send(`<!doctype html>\n${html}`);
  });
}

export const viewsPlugin = fp(registerViews, {
  name: 'views',
  dependencies: ['auth', 'csrf', 'flash'],
});
