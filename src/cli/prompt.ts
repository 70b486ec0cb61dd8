import { createInterface } from 'node:readline/promises';
import { type Readable, Writable } from 'node:stream';
import { DomainError } from '../errors.ts';

/** Where a command asks its questions: a terminal's input, and stderr (stdout is for results). */
export interface Terminal {
  input: Readable & { isTTY?: boolean };
  output: Writable;
}

const processTerminal: Terminal = { input: process.stdin, output: process.stderr };

/** Where readline's echo of a secret goes: nowhere. */
const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() });

/**
 * Asks a question on the terminal. A secret answer is not echoed: the question is written
 * directly, and readline, which echoes what is typed, writes nowhere. Ctrl-C cancels.
 */
export async function ask(
  question: string,
  { secret = false, terminal = processTerminal } = {},
): Promise<string> {
  const output = secret ? nowhere : terminal.output;
  const prompt = createInterface({ input: terminal.input, output, terminal: true });
  const cancel = new AbortController();
  prompt.on('SIGINT', () => cancel.abort());
  try {
    const answer = prompt.question(secret ? '' : question, { signal: cancel.signal });
    if (secret) terminal.output.write(question);
    return await answer;
  } catch (error) {
    if (cancel.signal.aborted) throw new DomainError('Cancelled');
    throw error;
  } finally {
    prompt.close();
    if (secret) terminal.output.write('\n');
  }
}

/** Asks for a new password twice, without echo; the two must match. */
export async function askNewPassword(terminal = processTerminal): Promise<string> {
  const password = await ask('Password: ', { secret: true, terminal });
  const again = await ask('Repeat the password: ', { secret: true, terminal });
  if (password !== again) throw new DomainError('The passwords do not match');
  return password;
}

/** The first line of standard input, without its line break: a password piped in. */
export async function readFirstLine(input: Readable = process.stdin): Promise<string> {
  let text = '';
  input.setEncoding('utf8');
  for await (const chunk of input) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0];
  if (!line) throw new DomainError('No password on standard input');
  return line;
}

/** Whether the person at the terminal answered yes. */
export async function confirm(question: string, terminal = processTerminal): Promise<boolean> {
  const answer = await ask(`${question} [y/N] `, { terminal });
  return /^y(es)?$/i.test(answer.trim());
}
