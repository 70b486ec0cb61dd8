import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { ask, askNewPassword, confirm, readFirstLine } from '../../src/cli/prompt.ts';
import { DomainError } from '../../src/errors.ts';

/** A terminal over streams: what is typed goes in `type`, what it shows collects in `shown`. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk) => {
    shown += chunk;
  });
  return {
    terminal: { input, output },
    shown: () => shown,
    /** Types each line once the previous question has been asked. */
    type(...lines: string[]) {
      let asked = 0;
      output.on('data', () => {
        const questions = (shown.match(/: |\] /g) ?? []).length;
        while (asked < questions && asked < lines.length) input.write(`${lines[asked++]}\r`);
      });
    },
  };
}

describe('terminal prompts', () => {
  test('a secret answer is read but never shown', async () => {
    const tty = fakeTerminal();
    tty.type('hunter2 secret');
    const answer = await ask('Password: ', { secret: true, terminal: tty.terminal });
    assert.equal(answer, 'hunter2 secret');
    assert.equal(tty.shown(), 'Password: \n');
  });

  test('an ordinary answer is echoed as typed', async () => {
    const tty = fakeTerminal();
    tty.type('yes');
    assert.equal(await confirm('Delete?', tty.terminal), true);
    assert.match(tty.shown(), /Delete\? \[y\/N\] yes/);
    const other = fakeTerminal();
    other.type('');
    assert.equal(await confirm('Delete?', other.terminal), false, 'no is the default');
  });

  test('a new password is typed twice and must match', async () => {
    const same = fakeTerminal();
    same.type('long password', 'long password');
    assert.equal(await askNewPassword(same.terminal), 'long password');
    assert.ok(!same.shown().includes('long password'));
    const different = fakeTerminal();
    different.type('long password', 'long passwort');
    await assert.rejects(askNewPassword(different.terminal), {
      name: 'DomainError',
      message: 'The passwords do not match',
    });
  });

  test('Ctrl-C cancels with a user error', async () => {
    const tty = fakeTerminal();
    const asked = ask('Password: ', { secret: true, terminal: tty.terminal });
    tty.terminal.input.write('\x03');
    await assert.rejects(
      asked,
      (error) => error instanceof DomainError && error.message === 'Cancelled',
    );
  });

  test('a piped password is the first line, without its line break', async () => {
    const piped = (text: string) => {
      const input = new PassThrough();
      input.end(text);
      return readFirstLine(input);
    };
    assert.equal(await piped('pass word\r\nnext\n'), 'pass word');
    assert.equal(await piped('no newline at all'), 'no newline at all');
    await assert.rejects(piped(''), { message: 'No password on standard input' });
    await assert.rejects(piped('\nsecond'), { message: 'No password on standard input' });
  });
});
