// Debian's chromium driven by playwright-core: no browser download, the system's own build.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { latestRuntime, type Credentials } from './runtime.ts';

/** Where browser tests keep their screenshots. */
export const ARTIFACTS = fileURLToPath(new URL('../../.data/e2e-artifacts', import.meta.url));

/** The chromium binary: CHROMIUM_PATH, or Debian's. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Launches headless chromium with the flags a container needs. A page made with `browser.newPage()`
 * is logged in to the running runtime as its organisation admin (the editor asks for a login
 * otherwise); contexts made with `browser.newContext()` start logged out, for tests that log in as
 * someone else (`rt.logIn(context, who)`).
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const newContext = browser.newContext.bind(browser);
  browser.newPage = async (options) => {
    const context = await newContext(options);
    await latestRuntime()?.logIn(context);
    const page = await context.newPage();
    // As with the browser's own newPage, the page's context goes with it.
    page.once('close', () => void context.close().catch(() => undefined));
    return page;
  };
  return browser;
}

/** A page in a context of its own, logged in to the running runtime as `who`. */
export async function pageAs(browser: Browser, who: Credentials, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const rt = latestRuntime();
  if (!rt) throw new Error('no runtime is running to log in to');
  await rt.logIn(context, who);
  return context.newPage();
}

/** Keeps a screenshot of the page as a test artifact, named after the step. */
export async function keepScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
