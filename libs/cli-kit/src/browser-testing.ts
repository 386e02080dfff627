/**
 * A page for the tests of gymlab's HTML output (report.html): Debian's Chromium driven by
 * playwright-core, offline. Every request that is not a file: URL is blocked and recorded, and so
 * is every page error and console error, for the test to expect none. Throws (the test fails, it
 * does not skip) when Chromium is missing.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface OfflinePage {
  readonly browser: Browser;
  readonly page: Page;
  /** URLs the page asked for that are not file: URLs (each one was blocked). */
  readonly blocked: string[];
  /** Uncaught page errors and console errors, in order. */
  readonly pageErrors: string[];
}

/** Opens `file` in a 1280x900 page of a fresh headless Chromium; close `browser` when done. */
export async function openOffline(file: string): Promise<OfflinePage> {
  if (!existsSync(CHROMIUM)) throw new Error(`report browser test: ${CHROMIUM} is missing; install it (Debian: apt-get install -y chromium)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const blocked: string[] = [];
  const pageErrors: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { browser, page, blocked, pageErrors };
}
