// Debian's headless Chromium driven by playwright-core, for the web UI's browser tests: every
// page checked for console errors and with axe-core (no serious or critical violation), and
// photographed at desktop width and at the front-desk tablet's 768 px under test-output/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** test-output/ at the top of the checkout (dist/test/helpers/ -> ../../../). */
export const TEST_OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url));
export const DESKTOP = { width: 1280, height: 860 };
export const TABLET = { width: 768, height: 1024 };

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The recording player is started by the test, not by a person's click.
    args: ['--autoplay-policy=no-user-gesture-required', '--mute-audio'],
  });
}

/** A page that collects console errors, uncaught exceptions and failed requests as it goes. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Everything wrong seen so far (console errors, page errors, CSP reports). */
  problems: string[];
}

export async function openPage(browser: Browser): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol: the page's CSP (no inline script) does not apply to it.
  await page.evaluate(AXE_SOURCE);
  // (Browser-side code as text: this project's TypeScript has no DOM types.)
  const violations = await page.evaluate<AxeViolation[]>("axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)");
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3).join(', ')})`);
}

/**
 * The checks every page gets: screenshots at desktop width and at 768 px (axe at both), nothing
 * wider than the 768 px viewport, and no console error so far. Returns the problems found.
 */
export async function checkPage(w: WatchedPage, name: string): Promise<string[]> {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const found: string[] = [];
  for (const [label, size] of [['desktop', DESKTOP], ['768', TABLET]] as const) {
    await w.page.setViewportSize(size);
    await w.page.evaluate('new Promise((r) => requestAnimationFrame(() => r(null)))');
    for (const v of await axeViolations(w.page)) found.push(`${name} at ${label}: ${v}`);
    if (label === '768') {
      const overflow = await w.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      if (overflow > 0) found.push(`${name} at 768 px: ${overflow} px wider than the screen`);
    }
    await w.page.screenshot({ path: join(TEST_OUTPUT, `${name}-${label}.png`), fullPage: true });
  }
  await w.page.setViewportSize(DESKTOP);
  found.push(...w.problems.map((p) => `${name}: ${p}`));
  return found;
}

/**
 * Waits until a browser-side expression is true, polling (playwright's waitForFunction builds a
 * Function in the page, which the app's CSP forbids; evaluate() over DevTools is not affected).
 */
export async function pageUntil(page: Page, expression: string, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fills the sign-in form at `baseUrl` and submits it (the caller waits for the page it expects next). */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
