import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { User } from '../../../src/db/entities/index.ts';
import { currentDialect } from '../../helpers.ts';
import { heading, pagerOf, postsOf } from '../../support/html.ts';
import { type PageTest, seedPosts, seedUsers, setUpPageTest, signIn } from '../../support/pages.ts';
import { WebClient } from '../../support/web-client.ts';

const START = Date.UTC(2026, 0, 1);
const at = (minutes: number) => new Date(START + minutes * 60_000);

describe(`searching posts on ${currentDialect()}`, () => {
  let page: PageTest;
  let author: User;
  let visitor: WebClient;
  setUpPageTest({}, async (opened) => {
    page = opened;
    [author] = await seedUsers(page.db, 'susan');
    visitor = new WebClient(page.app);
    // Words that most posts lack, so every engine weighs them (InnoDB gives a word that is
    // in every post no weight at all).
    await seedPosts(
      page.db,
      [
        'The weather is fine today',
        'Reading a book about gardens',
        'Nothing to report',
        'Lunch was soup again',
        'Off to the mountains for the weekend',
      ].map((body, i) => ({ author, body, timestamp: at(i) })),
    );
  });

  const search = (q: string, number?: number) =>
    visitor.get(
      `/search?q=${encodeURIComponent(q)}${number === undefined ? '' : `&page=${number}`}`,
    );
  const bodies = async (q: string) => {
    const response = await search(q);
    assert.equal(response.statusCode, 200, `${q}: ${response.body.slice(0, 200)}`);
    return postsOf(response.body).map((post) => post.body);
  };

  test('the best match comes first, and every word must be there', async () => {
    await seedPosts(page.db, [
      { author, body: 'coffee once, then tea all afternoon', timestamp: at(10) },
      { author, body: 'coffee, coffee and more coffee', timestamp: at(11) },
      { author, body: 'tea only', timestamp: at(12) },
    ]);
    assert.deepEqual(await bodies('coffee'), [
      'coffee, coffee and more coffee',
      'coffee once, then tea all afternoon',
    ]);
    assert.deepEqual(await bodies('TEA coffee'), ['coffee once, then tea all afternoon']);
    const response = await search('coffee');
    assert.equal(heading(response.body), 'Search results for “coffee”');
  });

  test('results come 25 a page, with links that keep the query', async () => {
    await seedPosts(
      page.db,
      Array.from({ length: 30 }, (_, i) => ({
        author,
        body: `kiwi number ${i}`,
        timestamp: at(100 + i),
      })),
    );
    const first = await search('kiwi');
    const second = await search('kiwi', 2);
    assert.deepEqual(pagerOf(first.body), { newer: null, older: '/search?q=kiwi&page=2' });
    assert.deepEqual(pagerOf(second.body), { newer: '/search?q=kiwi', older: null });
    const firstIds = postsOf(first.body).map((post) => post.id);
    const secondIds = postsOf(second.body).map((post) => post.id);
    assert.equal(firstIds.length, 25);
    assert.equal(secondIds.length, 5);
    assert.equal(new Set([...firstIds, ...secondIds]).size, 30, 'no post twice, none missing');
    const spaced = await search('kiwi?! & number');
    assert.equal(pagerOf(spaced.body)?.older, '/search?q=kiwi%3F%21+%26+number&page=2');
  });

  test('words of one or two letters are found', async () => {
    await seedPosts(page.db, [
      { author, body: 'I go to la playa, a lot', timestamp: at(200) },
      { author, body: 'x marks the spot', timestamp: at(201) },
    ]);
    assert.deepEqual(await bodies('x'), ['x marks the spot']);
    assert.deepEqual(await bodies('to la'), ['I go to la playa, a lot']);
    assert.deepEqual(await bodies('i a'), ['I go to la playa, a lot']);
  });

  test('punctuation and operators are only word separators, never an error', async () => {
    await seedPosts(page.db, [
      { author, body: "don't panic: it's (only) 42!", timestamp: at(300) },
    ]);
    for (const q of [
      '"',
      "'",
      '(',
      'a AND (b OR',
      'NEAR(x y',
      '-x*',
      '+-~<>@()"',
      ':*',
      '\\',
      '&|!',
      '%_',
      '🎉',
      '¿?',
    ]) {
      assert.equal((await search(q)).statusCode, 200, q);
    }
    for (const q of ["don't", 'PANIC!!!', '"only" 42', '(panic) -it*']) {
      assert.deepEqual(await bodies(q), ["don't panic: it's (only) 42!"], q);
    }
  });

  test('a post is found as soon as it is written, and edits and deletions follow', async () => {
    const writer = await signIn(page.app, 'writer');
    const posted = await writer.submit('/index', { post: 'a brand new zeppelin' });
    assert.equal(posted.statusCode, 302);
    assert.deepEqual(await bodies('zeppelin'), ['a brand new zeppelin']);
    const em = page.db.em();
    await em.execute("update post set body = 'a brand new balloon' where body like '%zeppelin'");
    assert.deepEqual(await bodies('zeppelin'), []);
    assert.deepEqual(await bodies('balloon'), ['a brand new balloon']);
    await em.execute("delete from post where body = 'a brand new balloon'");
    assert.deepEqual(await bodies('balloon'), []);
  });

  test('an empty search goes to Explore', async () => {
    for (const url of ['/search', '/search?q=', '/search?q=%20%20']) {
      const response = await visitor.get(url);
      assert.equal(response.statusCode, 302, url);
      assert.equal(response.headers.location, '/explore', url);
    }
  });

  test('a search that finds nothing says so; a repeated q is a 400', async () => {
    const response = await search('!!!');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(postsOf(response.body), []);
    assert.match(response.body, /No posts match your search\./);
    const twice = await visitor.get('/search?q=a&q=b');
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /Search for one piece of text\./);
  });

  test('every page has a labelled search box in the navbar', async () => {
    const response = await visitor.get('/explore');
    assert.match(
      response.body,
      /<search[^>]*><form class="d-flex" method="get" action="\/search"><label class="visually-hidden" for="navbar-search">Search posts<\/label><input[^>]*id="navbar-search" name="q"/,
    );
  });
});
