import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { projectRoot } from '../../src/config.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when Debian's Chromium is installed. */
export function chromiumProblem(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium`;
}

/** Debian's Chromium, started as DESIGN.md says; no browser is ever downloaded. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface RunningServer {
  url: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `microblog run` on a free port, as a person would, and resolves once it listens. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'bin', 'microblog.js'), 'run', '--host', '127.0.0.1', '--port', '0'],
    { env: { ...process.env, LOG_LEVEL: 'info', ...env } },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    exited.then(() => reject(new Error(`the server exited before listening:\n${output}`)));
  });
  return {
    url,
    output: () => output,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** What the reader sees in the page's main landmark; quoted in failure messages. */
export async function mainText(page: Page): Promise<string> {
  const main = page.getByRole('main');
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text, on purpose.
  const text = await main.innerText({ timeout: 1_000 }).catch(() => '(no main landmark)');
  return text.trim();
}

/** Waits until `locator` is visible; fails with the page's URL and visible text otherwise. */
export async function see(locator: Locator, what: string): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    const page = locator.page();
    assert.fail(
      `expected to see ${what} on ${page.url()}; the page shows:\n${await mainText(page)}`,
    );
  }
}

/** The flash messages currently shown (role="status" alerts). */
export async function flashes(page: Page): Promise<string[]> {
  return (await page.getByRole('status').allInnerTexts()).map((text) => text.trim());
}
