import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { NO_NEWS, PageContext, type PageContextValue } from '../views/context.ts';

// biome-ignore lint/suspicious/noExplicitAny: a page component may take any props.
type Page = VNode<any>;

declare module 'fastify' {
  interface FastifyReply {
    /** Sends a server-rendered page. Preact escapes every interpolated value. */
    render(page: Page, statusCode?: number): Promise<FastifyReply>;
    /** Sends a piece of a page (a popover's content), without the layout or its news. */
    renderFragment(fragment: Page): FastifyReply;
  }
}

export interface ViewsOptions {
  /** What every page shows a signed-in user beyond its content; the domain supplies it. */
  pageNews(request: FastifyRequest): Promise<PageContextValue['news']>;
}

async function registerViews(app: FastifyInstance, { pageNews }: ViewsOptions) {
  const { avatarProvider, translation } = app.config;
  const canTranslate = Boolean(translation.microsoftKey || translation.libreTranslateUrl);
  const newsFor = async (request: FastifyRequest) => {
    if (!request.user) return NO_NEWS;
    try {
      return await pageNews(request);
    } catch (error) {
      // A page (an error page above all) still renders without its badge.
      request.log.warn({ err: error }, 'could not read the page news');
      return NO_NEWS;
    }
  };
  const contextOf = (
    reply: FastifyReply,
    news: PageContextValue['news'],
    flashes: PageContextValue['flashes'],
  ): PageContextValue => {
    let csrfToken: string | undefined;
    return {
      user: reply.request.user,
      // Made only when a form asks for it: most pages a visitor sees have none.
      get csrfToken() {
        csrfToken ??= reply.generateCsrf();
        return csrfToken;
      },
      flashes,
      avatarProvider,
      news,
      translator: reply.request.translator,
      path: reply.request.url,
      canTranslate,
    };
  };
  const html = (context: PageContextValue, page: Page) =>
    renderToString(h(PageContext.Provider, { value: context }, page));
  app.decorateReply('render', async function render(page: Page, statusCode = 200) {
    const news = await newsFor(this.request);
    const context = contextOf(this, news, this.request.takeFlashes(this));
    return this.code(statusCode)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html>\n${html(context, page)}`);
  });
  // A fragment leaves the flash messages for the next whole page.
  app.decorateReply('renderFragment', function renderFragment(fragment: Page) {
    return this.type('text/html; charset=utf-8').send(html(contextOf(this, NO_NEWS, []), fragment));
  });
}

export const viewsPlugin = fp(registerViews, {
  name: 'views',
  dependencies: ['auth', 'csrf', 'flash', 'i18n'],
});
