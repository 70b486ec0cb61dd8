import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { projectRoot } from '../../src/config/load.ts';
import { User } from '../../src/db/entities/index.ts';
import { currentDialect, type TestContext } from '../helpers.ts';
import { seedFollowing, setUpPageTest, signIn, userNamed } from '../support/pages.ts';
import { WebClient } from '../support/web-client.ts';

const SPANISH = { 'accept-language': 'es-ES,es;q=0.9' };
const catalogue = JSON.parse(readFileSync(join(projectRoot, 'locales/es.json'), 'utf8')) as Record<
  string,
  string
>;

/** What a reader of the page reads: its text and the words of its attributes. */
function readable(html: string): string {
  const attributes = [...html.matchAll(/\b(?:alt|title|aria-label|placeholder)="([^"]*)"/g)]
    .map((match) => match[1])
    .join('\n');
  const text = html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
  return `${text}\n${attributes}`;
}

/** English messages of the catalogue that a Spanish page still shows. */
function englishLeft(html: string): string[] {
  const text = readable(html);
  return Object.entries(catalogue)
    .filter(([english, spanish]) => english !== spanish && english.length > 3)
    .filter(([english]) => {
      const pattern = english
        .split(/\{[^}]*\}/)
        .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('.*?');
      return new RegExp(`(^|\\n)\\s*${pattern}\\s*($|\\n)`).test(text);
    })
    .map(([english]) => english);
}

describe(`Spanish and English pages, on ${currentDialect()}`, () => {
  let db: TestContext;
  let app: FastifyInstance;
  setUpPageTest({ POSTS_PER_PAGE: '2' }, (opened) => {
    ({ db, app } = opened);
  });

  test('a Spanish browser gets every page in Spanish, with no English string left', async () => {
    const ana = await signIn(app, 'ana');
    const luis = await signIn(app, 'luis');
    await seedFollowing(db, await userNamed(db, 'ana'), [await userNamed(db, 'luis')]);
    for (const text of ['hola mundo', 'otra vez', 'y otra más'])
      await ana.submit('/index', { post: text });
    await luis.submit('/send_message/ana', { message: 'hola ana' });
    const visitor = new WebClient(app);
    const pages: [WebClient, string][] = [
      [ana, '/index'],
      [ana, '/index?page=2'],
      [ana, '/explore'],
      [ana, '/user/ana'],
      [ana, '/user/luis'],
      [ana, '/user/luis/popup'],
      [ana, '/user/ana/following'],
      [ana, '/user/ana/followers'],
      [ana, '/edit_profile'],
      [ana, '/auth/change_password'],
      [ana, '/messages'],
      [ana, '/send_message/luis'],
      [ana, '/auth/logout'],
      [ana, '/no/such/page'],
      [ana, '/explore?page=x'],
      [visitor, '/auth/login'],
      [visitor, '/auth/register'],
      [visitor, '/auth/reset_password_request'],
    ];
    for (const [client, url] of pages) {
      const response = await client.get(url, SPANISH);
      assert.ok(!/<html lang="en"/.test(response.body), `${url} says it is English`);
      if (!url.endsWith('/popup')) assert.match(response.body, /<html lang="es">/, url);
      assert.deepEqual(englishLeft(response.body), [], `English left on ${url}`);
    }
    // Forms sent back with mistakes, and flash messages, are Spanish too.
    await visitor.get('/auth/register', SPANISH);
    const mistakes = await visitor.post(
      '/auth/register',
      { username: '1', email: 'x', password: 'a', password2: 'b' },
      SPANISH,
    );
    assert.equal(mistakes.statusCode, 400);
    assert.deepEqual(englishLeft(mistakes.body), []);
    assert.match(mistakes.body, /Escribe una dirección de correo válida/);
    await ana.get('/index', SPANISH);
    await ana.post('/index', { post: 'más' }, SPANISH);
    const flashed = await ana.get('/index', SPANISH);
    assert.match(flashed.body, /¡Tu publicación ya está publicada!/);
  });

  test('plurals: "1 follower", "2 followers"; "1 seguidor", "2 seguidores"', async () => {
    for (const name of ['uno', 'dos', 'target']) await signIn(app, name);
    const users = await Promise.all(['uno', 'dos', 'target'].map((name) => userNamed(db, name)));
    await seedFollowing(db, users[0], [users[2]]);
    const visitor = new WebClient(app);
    const english = (await visitor.get('/user/target')).body;
    assert.match(english, />1 follower</);
    assert.match((await visitor.get('/user/target', SPANISH)).body, />1 seguidor</);
    await seedFollowing(db, users[1], [users[2]]);
    assert.match((await visitor.get('/user/target')).body, />2 followers</);
    assert.match((await visitor.get('/user/target', SPANISH)).body, />2 seguidores</);
  });

  test("a visitor's switch, and a user's setting, win over the browser's language", async () => {
    const visitor = new WebClient(app);
    await visitor.get('/explore');
    const switched = await visitor.post('/language', { locale: 'es', next: '/explore' });
    assert.equal(switched.statusCode, 302);
    assert.equal(switched.headers.location, '/explore');
    assert.match(
      (await visitor.get('/explore', { 'accept-language': 'en' })).body,
      /<html lang="es">/,
    );
    // A signed-in user's choice lives in their account, on every browser.
    const pia = await signIn(app, 'pia');
    await pia.get('/edit_profile');
    const saved = await pia.post('/edit_profile', { username: 'pia', about_me: '', locale: 'es' });
    assert.equal(saved.statusCode, 302);
    assert.equal((await userNamed(db, 'pia')).locale, 'es');
    const elsewhere = new WebClient(app);
    await elsewhere.login('pia');
    const page = await elsewhere.get('/explore', { 'accept-language': 'en-US' });
    assert.match(page.body, /<html lang="es">/);
    assert.match(page.body, />Explorar</);
    // Back to the browser's language.
    await pia.get('/edit_profile');
    await pia.post('/edit_profile', { username: 'pia', about_me: '', locale: '' });
    assert.equal((await db.em().findOneOrFail(User, { username: 'pia' })).locale, null);
  });

  test("the API's words follow Accept-Language; its codes stay", async () => {
    const missing = await app.inject({ url: '/api/nothing', headers: SPANISH });
    assert.equal(missing.statusCode, 404);
    const body = JSON.parse(missing.body);
    assert.equal(body.message, 'Not Found');
    assert.equal(body.description, 'No existe GET /api/nothing en la API.');
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'x' },
      headers: SPANISH,
    });
    const errors = JSON.parse(invalid.body).errors.json;
    assert.deepEqual(errors.email, ['Faltan datos en un campo obligatorio.']);
    assert.match(errors.username[0], /^Usa de 3 a 64 letras/);
  });
});
