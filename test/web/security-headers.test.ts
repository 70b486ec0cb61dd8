import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { currentDialect } from '../helpers.ts';
import { openPageTest, type PageTest, signIn } from '../support/pages.ts';

describe(`security headers and cookies on ${currentDialect()}`, () => {
  let page: PageTest;
  before(async () => {
    page = await openPageTest({ TRUST_PROXY: 'true' });
  });
  after(() => page.close());

  const sessionCookie = (
    cookies: { name: string; secure?: boolean; httpOnly?: boolean; sameSite?: string }[],
  ) => cookies.find((cookie) => cookie.name === 'session');

  test('pages carry a CSP without inline scripts, and anti-framing headers', async () => {
    const response = await page.app.inject('/explore');
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(?: 'nonce-[^']+')?;/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['referrer-policy'], 'same-origin');
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    assert.doesNotMatch(response.body, /<script>(?!<\/script>)/, 'no inline script bodies');
  });

  test('the session cookie is HttpOnly and SameSite=Lax, and Secure only over HTTPS', async () => {
    await signIn(page.app, 'carol');
    const login = async (proto: string) => {
      const form = await page.app.inject({
        url: '/auth/login',
        headers: { 'x-forwarded-proto': proto },
      });
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const csrf = form.cookies.find((cookie) => cookie.name === '_csrf');
      return page.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: {
          'x-forwarded-proto': proto,
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `_csrf=${csrf?.value}`,
        },
        payload: new URLSearchParams({
          _csrf: token,
          username: 'carol',
          password: 'correct horse',
        }).toString(),
      });
    };
    const plain = sessionCookie((await login('http')).cookies);
    assert.ok(plain, 'a session cookie over HTTP');
    assert.equal(plain.httpOnly, true);
    assert.equal(plain.sameSite, 'Lax');
    assert.notEqual(plain.secure, true);
    const secure = sessionCookie((await login('https')).cookies);
    assert.ok(secure, 'a session cookie over HTTPS');
    assert.equal(secure.secure, true);
    assert.equal(secure.httpOnly, true);
  });
});
