/**
 * A real headless Chromium for the console's browser tests, driven by playwright-core (no browser is
 * downloaded: Debian's chromium package at /usr/bin/chromium, or CHROMIUM_PATH).
 *
 * No Chromium: with REQUIRE_BROWSER=1 (CI) the suites fail; otherwise they are skipped with a warning.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export const VIEWPORT = { width: 1366, height: 768 };

/** Why the browser tests cannot run here, or null when they can. */
export function browserUnavailableReason(): string | null {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
  } catch {
    return `no Chromium at ${CHROMIUM_PATH} (install it: apt-get install -y chromium, or set CHROMIUM_PATH)`;
  }
  try {
    require.resolve('playwright-core');
  } catch {
    return 'playwright-core is not installed (npm install)';
  }
  return null;
}

/**
 * describe() for browser suites: runs when Chromium is there; otherwise fails under REQUIRE_BROWSER=1,
 * or is skipped with a console warning saying why.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  const reason = browserUnavailableReason();
  if (reason === null) {
    describe(name, body);
  } else if (process.env.REQUIRE_BROWSER === '1') {
    describe(name, () => {
      it('needs Chromium (REQUIRE_BROWSER=1)', () => {
        throw new Error(`browser tests required but cannot run: ${reason}`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`Skipping browser tests "${name}": ${reason}. Set REQUIRE_BROWSER=1 to make this a failure.`);
    describe.skip(name, body);
  }
}

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own sessionStorage, downloads accepted) at 1366x768, with a page and its errors. */
  newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  /** Closes every context and the browser; the Chromium processes are gone when it resolves. */
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const { chromium } = await import('playwright-core');
  const downloadsPath = fs.mkdtempSync(path.join(os.tmpdir(), 'runlog-console-downloads-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    downloadsPath,
    timeout: 30_000,
    // Playwright gives the browser its own new, empty profile directory and removes it on close.
  });
  const contexts: BrowserContext[] = [];
  let closed = false;
  return {
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
      contexts.push(context);
      const page = await context.newPage();
      // Uncaught errors and CSP violations in the page: tests assert there are none.
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/status of (401|403|404|429)/.test(message.text())) errors.push(`console: ${message.text()}`);
      });
      return { context, page, errors };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      fs.rmSync(downloadsPath, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it stops throwing (or returns true), for what a page does in its own time. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return result;
      if (Date.now() > deadline) throw new Error('condition still false');
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The key the console keeps its token under (sessionStorage). */
export const TOKEN_KEY = 'runlog.console.token';

/** Signs the page in before any of its scripts run, as a reader who pasted this token earlier in the tab. */
export async function presetToken(page: Page, token: string): Promise<void> {
  await page.addInitScript(([key, value]) => {
    if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, value);
  }, [TOKEN_KEY, token] as const);
}
