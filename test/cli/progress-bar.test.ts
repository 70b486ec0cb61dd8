import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createProgressBar } from '../../src/cli/progress-bar.ts';

describe('the progress bar', () => {
  function fakeTerminal(isTTY: boolean) {
    const output: string[] = [];
    let clock = 0;
    const bar = createProgressBar(
      { isTTY, write: (text: string | Uint8Array) => output.push(String(text)) > 0 },
      () => clock,
    );
    return { bar, output, tick: (ms: number) => (clock += ms) };
  }

  test('redraws in place at most every 100 ms and ends its line when done', () => {
    const { bar, output, tick } = fakeTerminal(true);
    bar?.update('posts', 570, 1000);
    tick(50);
    bar?.update('posts', 600, 1000);
    tick(60);
    bar?.update('posts', 700, 1000);
    bar?.update('posts', 1000, 1000);
    bar?.end();
    assert.deepEqual(output, [
      `\rposts  [${'#'.repeat(17)}${'-'.repeat(13)}]  57% 570/1000`,
      `\rposts  [${'#'.repeat(21)}${'-'.repeat(9)}]  70% 700/1000`,
      `\rposts  [${'#'.repeat(30)}] 100% 1000/1000\n`,
    ]);
  });

  test('an interrupted bar ends its line so an error starts on its own', () => {
    const { bar, output } = fakeTerminal(true);
    bar?.update('follows', 10, 100);
    bar?.end();
    assert.equal(output.at(-1), '\n');
  });

  test('draws nothing off a terminal', () => {
    assert.equal(fakeTerminal(false).bar, undefined);
  });
});
