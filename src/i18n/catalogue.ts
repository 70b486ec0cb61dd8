import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';

/**
 * The translator's workflow, as code (`npm run i18n`, and a check in `npm test`): the
 * messages of the sources are the first string of every `t('…')` and `msg('…')`; a
 * catalogue (`locales/es.json`) maps each to its translation.
 */

const CALL = /\b(?:t|msg)\(\s*(['"])((?:\\.|(?!\1)[^\\])*)\1/g;

function unescapeLiteral(literal: string): string {
  return literal.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every message of the sources under `folder`, sorted. */
export function extractMessages(folder: string): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(folder)) {
    // Comments mention t('…') too: only code counts.
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const match of code.matchAll(CALL)) found.add(unescapeLiteral(match[2]));
  }
  return [...found].sort();
}

/** The names of a message's placeholders, or an error when it is not valid ICU. */
export function placeholders(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: ReturnType<typeof parse>) => {
    for (const element of elements) {
      if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
      if ('value' in element && typeof element.value === 'string') names.add(element.value);
      if ('options' in element)
        for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(parse(message));
  return [...names].sort();
}

/** What is wrong with a catalogue for these messages: none is missing, stale or broken. */
export function catalogueProblems(messages: string[], catalogue: Record<string, string>): string[] {
  const problems: string[] = [];
  const wanted = new Set(messages);
  for (const message of messages) {
    const translation = catalogue[message];
    if (!translation) {
      problems.push(`not translated: ${JSON.stringify(message)}`);
      continue;
    }
    try {
      const [source, translated] = [placeholders(message), placeholders(translation)];
      if (source.join() !== translated.join())
        problems.push(
          `placeholders differ: ${JSON.stringify(message)} → ${JSON.stringify(translation)}`,
        );
    } catch (error) {
      problems.push(`not valid ICU: ${JSON.stringify(translation)} (${(error as Error).message})`);
    }
  }
  for (const message of Object.keys(catalogue)) {
    if (!wanted.has(message))
      problems.push(`stale (no longer in the sources): ${JSON.stringify(message)}`);
  }
  return problems;
}

/** The catalogue with every message of the sources: translations kept, new ones empty, stale ones gone. */
export function updatedCatalogue(
  messages: string[],
  catalogue: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(messages.map((message) => [message, catalogue[message] ?? '']));
}
