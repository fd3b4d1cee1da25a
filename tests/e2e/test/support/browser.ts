import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { repoRoot } from './repo.js';

/** Debian's Chromium; the tests never let a tool download a browser of its own. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A failure the current step is allowed to cause: "POST /api/users/sessions/browser/refresh 401". */
export interface ExpectedFailure {
  method: string;
  path: string | RegExp;
  status: number;
}

/**
 * Watches a page for what a person would call broken: console errors, uncaught exceptions,
 * failed requests and HTTP errors. Each step declares the failures it expects (a wrong password
 * answering 401, say); anything else fails the step.
 */
export class PageWatcher {
  private problems: string[] = [];
  private expected: ExpectedFailure[] = [];

  constructor(page: Page) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium logs every HTTP error response too; those are judged by their request below.
      if (/^Failed to load resource: the server responded with a status of \d+/.test(message.text())) return;
      this.problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.problems.push(`uncaught exception: ${error.message}`));
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText ?? 'failed';
      // Navigating away aborts what the old page still had in flight (polls): not a failure anyone sees.
      if (reason === 'net::ERR_ABORTED') return;
      this.problems.push(`request failed: ${request.method()} ${request.url()} (${reason})`);
    });
    page.on('response', (response) => this.judge(response));
  }

  private judge(response: Response): void {
    if (response.status() < 400) return;
    const url = new URL(response.url());
    const method = response.request().method();
    const index = this.expected.findIndex(
      (e) => e.method === method && e.status === response.status() && (typeof e.path === 'string' ? e.path === url.pathname : e.path.test(url.pathname)),
    );
    if (index >= 0) return;
    this.problems.push(`unexpected HTTP ${response.status()}: ${method} ${url.pathname}${url.search}`);
  }

  /** Allows these failures until the next `check()`. */
  allow(...failures: ExpectedFailure[]): void {
    this.expected.push(...failures);
  }

  /** Fails with everything that went wrong since the last check, then starts afresh. */
  check(step: string): void {
    const problems = this.problems;
    this.problems = [];
    this.expected = [];
    if (problems.length > 0) throw new Error(`${step}:\n  ${problems.join('\n  ')}`);
  }
}

export const screenshotDir = join(repoRoot, 'apps/web/.local/screenshots');

/** Screenshots of the page as it is, 360 px (a phone) and 1280 px wide (a desktop), kept as artifacts (in a git-ignored `dir`). */
export async function screenshots(page: Page, name: string, o: { dir?: string; checkOverflow?: boolean } = {}): Promise<string[]> {
  const dir = o.dir ?? screenshotDir;
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  const files: string[] = [];
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    const file = join(dir, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
    if (o.checkOverflow === false) continue;
    // Nothing may stick out sideways at either width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) throw new Error(`${name} scrolls sideways by ${overflow} px at ${width} px wide`);
  }
  await page.setViewportSize(original);
  return files;
}

/** axe-core on the page as it is: serious and critical violations fail, with what and where. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join('; ')}`);
}

export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC' });
}
