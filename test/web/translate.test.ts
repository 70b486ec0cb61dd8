import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Post } from '../../src/db/entities/index.ts';
import { currentDialect, openTestDatabase, type TestContext } from '../helpers.ts';
import { logIn, seedUser, startApp } from '../support/pages.ts';
import { type FakeTranslator, startFakeTranslator } from '../support/translators.ts';
import type { WebClient } from '../support/web-client.ts';

const ENGLISH_POST = 'Good morning everyone, the coffee here is great today';
const SHORT_POST = 'my first post!';
const SPANISH = { 'accept-language': 'es' };

describe(`translating posts, on ${currentDialect()}`, () => {
  let db: TestContext;
  let microsoft: FakeTranslator;
  let libre: FakeTranslator;
  const apps: FastifyInstance[] = [];
  before(async () => {
    db = await openTestDatabase();
    await seedUser(db, 'writer', 'correct horse');
    await seedUser(db, 'reader', 'correct horse');
    [microsoft, libre] = await Promise.all([
      startFakeTranslator('microsoft'),
      startFakeTranslator('libretranslate'),
    ]);
  });
  after(async () => {
    for (const app of apps) await app.close();
    await Promise.all([microsoft.close(), libre.close(), db.close()]);
  });

  const appWith = async (env: Record<string, string>) => {
    const app = await startApp(db, { RATELIMIT_ENABLED: 'false', ...env });
    apps.push(app);
    return app;
  };
  const postId = async (body: string) => (await db.em().findOneOrFail(Post, { body })).id;
  /** The reader, in Spanish, asks for a post's translation as the page's script does. */
  async function translate(app: FastifyInstance, reader: WebClient, id: number, token?: string) {
    await reader.get('/explore', SPANISH);
    const csrf = token ?? reader.csrfToken;
    return app.inject({
      method: 'POST',
      url: '/translate',
      payload: { post_id: String(id), dest_language: 'es' },
      headers: {
        accept: 'application/json',
        'x-csrf-token': csrf,
        cookie: [...reader.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...SPANISH,
      },
    });
  }

  test("each post's language is detected when it is written; unsure ones have none", async () => {
    const app = await appWith({});
    const writer = await logIn(app, 'writer');
    for (const post of [ENGLISH_POST, SHORT_POST]) await writer.submit('/index', { post });
    assert.equal((await db.em().findOneOrFail(Post, { body: ENGLISH_POST })).language, 'en');
    assert.equal((await db.em().findOneOrFail(Post, { body: SHORT_POST })).language, null);
    // No service configured: no link anywhere, and nothing to ask for.
    const reader = await logIn(app, 'reader');
    assert.doesNotMatch((await reader.get('/explore', SPANISH)).body, /data-translate/);
    assert.equal((await translate(app, reader, await postId(ENGLISH_POST))).statusCode, 404);
  });

  test('Microsoft Translator: a link on posts in another language, and the translation', async () => {
    const app = await appWith({
      MS_TRANSLATOR_KEY: 'secret-key',
      MS_TRANSLATOR_URL: microsoft.url,
    });
    const reader = await logIn(app, 'reader');
    const spanishPage = (await reader.get('/explore', SPANISH)).body;
    const english = await postId(ENGLISH_POST);
    assert.match(spanishPage, new RegExp(`data-translate="${english}" data-to="es"`));
    assert.doesNotMatch(spanishPage, new RegExp(`data-translate="${await postId(SHORT_POST)}"`));
    assert.match(spanishPage, />Traducir</);
    // An English reader reads it as it is.
    assert.doesNotMatch(
      (await reader.get('/explore')).body,
      new RegExp(`data-translate="${english}"`),
    );
    microsoft.received.length = 0;
    const answer = await translate(app, reader, english);
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), { text: `[es] ${ENGLISH_POST}` });
    const [sent] = microsoft.received;
    assert.equal(sent.url, '/translate?api-version=3.0&from=en&to=es');
    assert.equal(sent.headers['ocp-apim-subscription-key'], 'secret-key');
    assert.deepEqual(sent.body, [{ Text: ENGLISH_POST }]);
    // Like every form, it needs the page's CSRF token.
    assert.equal((await translate(app, reader, english, 'forged')).statusCode, 403);
  });

  test('LibreTranslate speaks its own protocol', async () => {
    const app = await appWith({ LIBRETRANSLATE_URL: libre.url, LIBRETRANSLATE_API_KEY: 'lt-key' });
    const reader = await logIn(app, 'reader');
    const answer = await translate(app, reader, await postId(ENGLISH_POST));
    assert.deepEqual(JSON.parse(answer.body), { text: `[es] ${ENGLISH_POST}` });
    assert.deepEqual(libre.received.at(-1)?.body, {
      q: ENGLISH_POST,
      source: 'en',
      target: 'es',
      format: 'text',
      api_key: 'lt-key',
    });
  });

  test("a failing service is a clear message in the reader's language, never a 500", async () => {
    const app = await appWith({ MS_TRANSLATOR_KEY: 'k', MS_TRANSLATOR_URL: microsoft.url });
    const reader = await logIn(app, 'reader');
    const english = await postId(ENGLISH_POST);
    for (const failure of ['error', 'garbage'] as const) {
      microsoft.answer = failure;
      const answer = await translate(app, reader, english);
      assert.equal(answer.statusCode, 502, failure);
      assert.equal(
        JSON.parse(answer.body).description,
        'Error: el servicio de traducción ha fallado.',
      );
    }
    microsoft.answer = 'translate';
    const unreachable = await appWith({
      MS_TRANSLATOR_KEY: 'k',
      MS_TRANSLATOR_URL: 'http://127.0.0.1:1/',
    });
    assert.equal(
      (await translate(unreachable, await logIn(unreachable, 'reader'), english)).statusCode,
      502,
    );
  });
});
