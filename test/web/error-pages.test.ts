import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { currentDialect } from '../helpers.ts';
import { heading } from '../support/html.ts';
import { openPageTest, type PageTest, signIn } from '../support/pages.ts';
import { flashes, WebClient } from '../support/web-client.ts';

describe(`web error pages and old links, on ${currentDialect()}`, () => {
  let page: PageTest;
  let app: FastifyInstance;
  before(async () => {
    page = await openPageTest();
    app = page.app;
  });
  after(() => page?.close());

  test('a wrong method on a known page is a 405 page with Allow, not a 404', async () => {
    for (const [method, url, allowed] of [
      ['PUT', '/explore', 'GET, HEAD'],
      ['DELETE', '/user/anyone', 'GET, HEAD'],
      ['POST', '/healthz', 'GET, HEAD'],
    ] as const) {
      const response = await app.inject({ method, url });
      assert.equal(response.statusCode, 405, `${method} ${url}`);
      assert.equal(response.headers.allow, allowed);
      assert.equal(heading(response.body), 'Method not allowed');
    }
    // The CSRF check is for routes that change something: none took this request.
    const client = new WebClient(app);
    assert.equal((await client.post('/explore', {})).statusCode, 405);
    assert.equal((await app.inject({ method: 'PUT', url: '/nowhere' })).statusCode, 404);
  });

  test('a JSON client gets JSON errors from the web pages, as in the Flask Microblog', async () => {
    const json = { accept: 'application/json' };
    const missing = await app.inject({ url: '/no/such/page', headers: json });
    assert.equal(missing.statusCode, 404);
    assert.match(String(missing.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(missing.body), {
      code: 404,
      message: 'Not Found',
      description: 'There is nothing at this address.',
    });
    const wrong = await app.inject({ method: 'PUT', url: '/explore', headers: json });
    assert.equal(wrong.statusCode, 405);
    assert.equal(JSON.parse(wrong.body).message, 'Method Not Allowed');
    const badPage = await app.inject({ url: '/explore?page=x', headers: json });
    assert.equal(badPage.statusCode, 400);
    assert.equal(JSON.parse(badPage.body).code, 400);
    // A browser ranks HTML first, and a request with no Accept gets the page.
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    for (const headers of [{ accept: browser }, {}]) {
      const response = await app.inject({ url: '/no/such/page', headers });
      assert.match(String(response.headers['content-type']), /^text\/html/);
    }
  });

  test('GET /auth/logout shows a logout button; the POST logs out', async () => {
    const client = await signIn(app, 'leaver');
    const form = await client.get('/auth/logout');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<form method="post" action="\/auth\/logout"/);
    assert.match(form.body, /name="_csrf" value="[^"]+"/);
    assert.equal((await client.get('/edit_profile')).statusCode, 200, 'still signed in');
    const out = await client.post('/auth/logout');
    assert.equal(out.statusCode, 302);
    const after = await client.get('/edit_profile');
    assert.equal(after.statusCode, 302, 'signed out');
    // A visitor following an old link just goes home.
    const visitor = await new WebClient(app).get('/auth/logout');
    assert.equal(visitor.statusCode, 302);
    assert.equal(visitor.headers.location, '/index');
    assert.deepEqual(flashes(out.body), []);
  });
});
