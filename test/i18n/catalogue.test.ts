import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { projectRoot } from '../../src/config/load.ts';
import { catalogueProblems, extractMessages, updatedCatalogue } from '../../src/i18n/catalogue.ts';
import { negotiateLocale } from '../../src/i18n/locales.ts';
import { translatorFor } from '../../src/i18n/translator.ts';
import { currentDialect } from '../helpers.ts';

const messages = extractMessages(join(projectRoot, 'src'));

describe('the translation catalogues', {
  skip: currentDialect() !== 'sqlite' && 'dialect-independent',
}, () => {
  test('locales/es.json translates every message of the sources, and nothing else', () => {
    assert.ok(messages.length > 100, `${messages.length} messages found`);
    const catalogue = JSON.parse(readFileSync(join(projectRoot, 'locales/es.json'), 'utf8'));
    assert.deepEqual(
      catalogueProblems(messages, catalogue),
      [],
      'run npm run i18n, then translate',
    );
  });

  test('the check finds a missing, a stale, an empty and a broken translation', () => {
    const problems = catalogueProblems(['Home', 'Hi, {username}!', 'Save', 'Bye'], {
      Home: 'Inicio',
      'Hi, {username}!': '¡Hola, {nombre}!',
      Save: '',
      Gone: 'Ido',
      Bye: '{broken',
    });
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems.join('\n'), /not translated: "Save"/);
    assert.match(problems.join('\n'), /placeholders differ/);
    assert.match(problems.join('\n'), /stale .*"Gone"/);
    assert.match(problems.join('\n'), /not valid ICU/);
    assert.deepEqual(updatedCatalogue(['Home', 'New'], { Home: 'Inicio', Gone: 'Ido' }), {
      Home: 'Inicio',
      New: '',
    });
  });

  test('plurals are right in both languages', () => {
    const followers = '{count, plural, one {# follower} other {# followers}}';
    const en = translatorFor('en');
    const es = translatorFor('es');
    assert.equal(en.t(followers, { count: 1 }), '1 follower');
    assert.equal(en.t(followers, { count: 2 }), '2 followers');
    assert.equal(en.t(followers, { count: 0 }), '0 followers');
    assert.equal(es.t(followers, { count: 1 }), '1 seguidor');
    assert.equal(es.t(followers, { count: 2 }), '2 seguidores');
    assert.equal(es.t('Home'), 'Inicio');
    assert.equal(es.dateTime(new Date('2026-01-02T03:04:00Z')), '2 ene 2026, 3:04');
  });

  test('Accept-Language picks the best language we speak, English otherwise', () => {
    assert.equal(negotiateLocale(undefined), 'en');
    assert.equal(negotiateLocale('es'), 'es');
    assert.equal(negotiateLocale('es-AR,es;q=0.9'), 'es');
    assert.equal(negotiateLocale('fr,es;q=0.5,en;q=0.4'), 'es');
    assert.equal(negotiateLocale('en-GB,es;q=0.8'), 'en');
    assert.equal(negotiateLocale('fr,de'), 'en');
  });
});
