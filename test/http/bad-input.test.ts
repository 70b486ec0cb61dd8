import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { currentDialect } from '../helpers.ts';
import { apiToken, basicAuth } from '../support/api.ts';
import { openPageTest, type PageTest, signIn } from '../support/pages.ts';
import type { WebClient } from '../support/web-client.ts';

/** Every route of the app, as `[method, path pattern]`, read from Fastify's route tree. */
function routesOf(app: FastifyInstance): [string, string][] {
  const routes: [string, string][] = [];
  const paths: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[└├]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    const segment = match[2];
    const parent = paths[depth - 1] ?? '';
    const path = segment.startsWith('/')
      ? `${parent.replace(/\/$/, '')}${segment}`
      : `${parent}/${segment}`.replace('//', '/');
    paths[depth] = path;
    paths.length = depth + 1;
    for (const method of match[3].split(', ')) routes.push([method, path]);
  }
  return routes;
}

const NUL = '\u0000';
const FIELDS = [
  'username',
  'email',
  'password',
  'password2',
  'current_password',
  'old_password',
  'new_password',
  'about_me',
  'post',
  'text',
  'token',
  'access_token',
  'refresh_token',
  'remember_me',
];
const QUERY = ['after', 'page', 'limit', 'offset', 'next', 'q', 's']
  .map((name) => `${name}=%00`)
  .join('&');

/**
 * "Bad input gets a clear error": NUL bytes and lone surrogates, which SQLite and PostgreSQL
 * refuse to store, reach every route in every place a client controls (the path, the query,
 * form and JSON fields, the credentials) and never cause a 5xx.
 */
describe(`no 5xx for text no database takes, on ${currentDialect()}`, () => {
  let page: PageTest;
  let browser: WebClient;
  let token: string;
  before(async () => {
    page = await openPageTest();
    browser = await signIn(page.app, 'mary');
    token = await apiToken(page.app, 'mary', 'correct horse');
    await browser.get('/index');
  });
  after(() => page?.close());

  test('every route, with NUL and a lone surrogate in every field', async () => {
    const routes = routesOf(page.app).filter(
      ([method, path]) => method !== 'OPTIONS' && path !== '*',
    );
    assert.ok(routes.length > 40, `found ${routes.length} routes`);
    const failures: string[] = [];
    // Each bad text, and how it is written in a URL (a surrogate as its UTF-8 bytes).
    for (const [bad, inUrl] of [
      [NUL, '%00'],
      ['a\u0000b', 'a%00b'],
      ['\ud800', '%ED%A0%80'],
    ]) {
      const fields = Object.fromEntries(FIELDS.map((name) => [name, bad]));
      for (const [method, pattern] of routes) {
        const path = pattern.replace(/:[^/]+/g, inUrl).replace(/\*$/, 'x');
        const api = path.startsWith('/api');
        const headers: Record<string, string> = api
          ? {
              authorization:
                path === '/api/tokens' && method === 'POST'
                  ? basicAuth(bad, bad)
                  : `Bearer ${token}`,
              'content-type': 'application/json',
            }
          : {
              'content-type': 'application/x-www-form-urlencoded',
              cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
            };
        const payload = ['GET', 'HEAD', 'DELETE'].includes(method)
          ? undefined
          : api
            ? JSON.stringify(fields)
            : new URLSearchParams({ ...fields, _csrf: browser.csrfToken }).toString();
        const response = await page.app.inject({
          method: method as 'GET',
          url: `${path}?${QUERY}`,
          headers,
          payload,
        });
        if (response.statusCode >= 500)
          failures.push(`${method} ${path} ${JSON.stringify(bad)}: ${response.statusCode}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
