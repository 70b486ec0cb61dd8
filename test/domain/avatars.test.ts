import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { avatarUrl, emailHash } from '../../src/domain/avatars.ts';
import { currentDialect } from '../helpers.ts';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const MARY = md5('mary@mail.com');

describe('avatar URLs', { skip: currentDialect() !== 'sqlite' && 'dialect-independent' }, () => {
  test('emailHash is the md5 of the trimmed, lower-cased address', () => {
    assert.equal(emailHash(' Mary@Mail.com '), MARY);
  });

  test('avatarUrl points at our route or at Gravatar, always with a query string', () => {
    const local = avatarUrl('Mary@Mail.com', 'identicon', { size: 128 });
    assert.equal(local, `/avatar/${MARY}?d=identicon&s=128`);
    const gravatar = avatarUrl('mary@mail.com', 'gravatar', { size: 36 });
    assert.equal(gravatar, `https://www.gravatar.com/avatar/${MARY}?d=identicon&s=36`);
    for (const url of [local, gravatar]) {
      assert.ok(url.includes('?'), url);
      assert.match(url, /[?&]s=\d+/);
    }
  });

  test('without a size the URL is relative, absolute with an origin, or Gravatar; it holds a ?', () => {
    assert.equal(avatarUrl('Mary@Mail.com', 'identicon'), `/avatar/${MARY}?d=identicon`);
    const origin = 'https://blog.example.com';
    assert.equal(
      avatarUrl('mary@mail.com', 'identicon', { origin }),
      `https://blog.example.com/avatar/${MARY}?d=identicon`,
    );
    assert.equal(
      avatarUrl('mary@mail.com', 'gravatar', { origin }),
      `https://www.gravatar.com/avatar/${MARY}?d=identicon`,
    );
  });
});
