// Driving Debian's Chromium with playwright-core for the tests of the hosted pages. One browser per
// test, closed in every case; a watcher turns console errors (CSP violations among them), page
// errors and failed requests into test failures. A missing Chromium fails the tests: it is a broken
// test machine, and a skipped browser test would pass a run that never looked at the pages.
import { existsSync } from 'node:fs';
import { type Browser, type ConsoleMessage, chromium, type Locator, type Page, type Response } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium; TEST_CHROMIUM_PATH may point elsewhere (e.g. at nothing, to see the failure). */
export const CHROMIUM_PATH = process.env.TEST_CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** How long one browser action (a click, a navigation, waiting for a heading) may take. */
const ACTION_TIMEOUT_MS = 10_000;

/** Launches Chromium, or fails with what to install: browser tests never skip. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: the browser tests cannot run on this machine. Install Debian's "chromium" ` +
        'package (apt-get install chromium; .ci/run does) or set TEST_CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: ACTION_TIMEOUT_MS });
}

/** What went wrong in a page that a test did not ask for. */
export class PageWatch {
  readonly problems: string[] = [];
  /** Main-frame navigations, whose status each test asserts itself (a 400 page can be expected). */
  readonly navigations: Response[] = [];
  /** "Failed to load resource" console errors, judged once the navigations are known. */
  private readonly loadErrors: { text: string; url: string }[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => this.onConsole(message));
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => this.problems.push(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      const request = response.request();
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) this.navigations.push(response);
      else if (response.status() >= 400) this.problems.push(`sub-request answered ${response.status()}: ${request.method()} ${response.url()}`);
    });
  }

  private onConsole(message: ConsoleMessage): void {
    const text = message.text();
    // Chromium reports a CSP violation as a console error ("Applying inline style violates the
    // following Content Security Policy directive ..."); any mention of the CSP fails the test.
    if (/Content[- ]Security[- ]Policy/i.test(text)) {
      this.problems.push(`CSP violation: ${text}`);
      return;
    }
    if (message.type() !== 'error') return;
    const url = message.location().url;
    // Chromium also logs a 4xx document as "Failed to load resource"; the tests check those
    // navigations' statuses themselves, so such a message counts only for other resources
    // (decided at the end: the console event may arrive before the response event).
    if (/^Failed to load resource: the server responded with a status of \d+/.test(text)) this.loadErrors.push({ text, url });
    else this.problems.push(`console error: ${text}${url ? ` (${url})` : ''}`);
  }

  /** Everything that went wrong so far. */
  allProblems(): string[] {
    const documentUrls = new Set(this.navigations.map((response) => response.url()));
    const loadErrors = this.loadErrors.filter(({ url }) => !documentUrls.has(url)).map(({ text, url }) => `console error: ${text} (${url})`);
    return [...this.problems, ...loadErrors];
  }

  /** Fails the test if anything went wrong so far. */
  expectClean(): void {
    expect(this.allProblems(), 'console errors, CSP violations or failed requests in the page').toEqual([]);
  }
}

/**
 * Runs `fn` with a fresh page in a freshly launched Chromium, fails on any problem the watcher
 * saw, and closes the browser whatever happens.
 */
export async function withPage(fn: (page: Page, watch: PageWatch) => Promise<void>): Promise<void> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
    const watch = new PageWatch(page);
    await fn(page, watch);
    watch.expectClean();
  } finally {
    await browser.close();
  }
}

/** Opens `url`, waits for the page to load, and returns the document's response. */
export async function open(page: Page, url: string): Promise<Response> {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response) throw new Error(`No response for ${url}`);
  return response;
}

/** Clicks the button named `name` and returns the response of the navigation it starts (a form post). */
export async function submit(page: Page, name: string | RegExp): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()),
    page.getByRole('button', { name }).click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Waits for the page's h1 to read `name` and returns it. */
export async function heading(page: Page, name: string): Promise<string> {
  const h1 = page.getByRole('heading', { level: 1, name, exact: true });
  await h1.waitFor({ state: 'visible' });
  return (await h1.textContent()) ?? '';
}

/**
 * The inline stylesheet took effect: the CSP allowed it by its hash. (A refused stylesheet also
 * shows up as a console error, which the watcher reports.)
 */
export async function expectStylesheetApplied(page: Page): Promise<void> {
  // An expression run in the page (this project's TypeScript has no DOM library).
  const maxWidth: unknown = await page.evaluate('getComputedStyle(document.querySelector("main")).maxWidth');
  expect(maxWidth, 'the page stylesheet was not applied (blocked by the CSP?)').toBe('420px');
}

/** The texts of the elements an element's aria-describedby points at, as a screen reader reads them. */
export async function accessibleDescription(page: Page, locator: Locator): Promise<string> {
  const ids = ((await locator.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.map((text) => text?.trim() ?? '').join(' ');
}
