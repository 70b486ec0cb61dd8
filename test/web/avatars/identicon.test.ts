import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { identiconSvg } from '../../../src/web/avatars/identicon.ts';
import { currentDialect } from '../../helpers.ts';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const MARY = md5('mary@mail.com');
const SUSAN = md5('susan@mail.com');

describe('identicons', { skip: currentDialect() !== 'sqlite' && 'dialect-independent' }, () => {
  test('an identicon is a deterministic, mirrored SVG of the requested size', () => {
    const svg = identiconSvg(MARY, 64);
    assert.equal(identiconSvg(MARY, 64), svg);
    assert.notEqual(identiconSvg(SUSAN, 64), svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="64" height="64" /);
    assert.match(svg, /viewBox="[-\d. ]+"/);
    assert.match(svg, /fill="#[0-9a-f]{6}" d="(M\d \dh1v1h-1z)+"/);
    const cells = [...svg.matchAll(/M(\d) (\d)/g)].map((m) => `${m[1]},${m[2]}`);
    for (const cell of cells) {
      const [x, y] = cell.split(',').map(Number);
      assert.ok(cells.includes(`${4 - x},${y}`), `cell ${cell} is mirrored`);
    }
    assert.throws(() => identiconSvg('<script>', 64), RangeError);
    assert.throws(() => identiconSvg(MARY, 0), RangeError);
  });
});
