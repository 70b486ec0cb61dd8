import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when Debian's Chromium is installed. */
export function chromiumProblem(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium`;
}

/** Debian's Chromium, with background networking off; no browser is ever downloaded. */
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

/**
 * What axe-core (from node_modules; nothing downloaded) finds wrong with the page as it is
 * now, one line per rule and element; empty when nothing. axe is evaluated through the
 * DevTools protocol: the site's CSP refuses the inline script `addScriptTag` would add,
 * and turning the CSP off (`bypassCSP`) would test a different page.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8'));
  }
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: {
        run(): Promise<{
          violations: { id: string; help: string; nodes: { target: unknown[] }[] }[];
        }>;
      };
    };
    return (await axe.run()).violations;
  });
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${violation.help} (${node.target.join(' ')})`),
  );
}
