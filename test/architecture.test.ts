import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { projectRoot } from '../src/config/load.ts';
import { currentDialect } from './helpers.ts';

/** Every source file, relative to the project (`src/…`). */
function sourceFiles(dir = join(projectRoot, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [relative(projectRoot, path)] : [];
  });
}

/** The project files a source file imports, statically or dynamically, types included. */
function importsOf(file: string, { withTypes = true } = {}): string[] {
  const text = readFileSync(join(projectRoot, file), 'utf8');
  const found = [...text.matchAll(/(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/g)]
    .filter((match) => withTypes || !match[2])
    .map((match) => match[3]);
  const dynamic = [...text.matchAll(/import\('(\.[^']+)'\)/g)].map((match) => match[1]);
  return [...found, ...dynamic].map((spec) =>
    relative(projectRoot, resolve(projectRoot, dirname(file), spec)),
  );
}

const FILES = sourceFiles();
const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);

/** The files in `from` that import anything in one of `forbidden`, as "a -> b" lines. */
function violations(from: string, forbidden: string[]): string[] {
  return FILES.filter(under(from)).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((folder) => target === folder || under(folder)(target)))
      .map((target) => `${file} -> ${target}`),
  );
}

describe('architecture', { skip: currentDialect() !== 'sqlite' && 'dialect-independent' }, () => {
  test('plugins never import the domain or the adapters: it is injected', () => {
    const adapters = ['src/domain', 'src/web', 'src/api', 'src/cli', 'src/http'];
    assert.deepEqual(violations('src/plugins', adapters), []);
  });

  test('views never import plugins or adapters', () => {
    const above = ['src/plugins', 'src/web', 'src/api', 'src/cli', 'src/http'];
    assert.deepEqual(violations('src/views', above), []);
  });

  test('the domain never imports adapters, plugins or views', () => {
    const above = ['src/web', 'src/api', 'src/cli', 'src/http', 'src/plugins', 'src/views'];
    assert.deepEqual(violations('src/domain', above), []);
  });

  test('src/db imports nothing above it', () => {
    const above = [
      'src/domain',
      'src/web',
      'src/api',
      'src/cli',
      'src/http',
      'src/plugins',
      'src/views',
      'src/mail',
      'src/app.ts',
      'src/server.ts',
    ];
    assert.deepEqual(violations('src/db', above), []);
  });

  test('no import cycles, but between the entities (their relations are thunks)', () => {
    const graph = new Map(FILES.map((file) => [file, importsOf(file, { withTypes: false })]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        const cycle = path.slice(path.indexOf(file));
        if (!cycle.every(under('src/db/entities'))) cycles.push([...cycle, file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of FILES) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  test('no source file is longer than 250 lines', () => {
    const long = FILES.map((file) => ({
      file,
      lines: readFileSync(join(projectRoot, file), 'utf8').split('\n').length - 1,
    })).filter(({ lines }) => lines > 250);
    assert.deepEqual(long, []);
  });
});
