/**
 * The usual set-up of an app test file: one Chromium per file, and for every test its own server
 * (its own store and data directory) and its own browser profile, so no test sees another's sales.
 * Returns a live object: read `app.page` etc. inside hooks and tests.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AppServer, TABLET, launchBrowser, openApp } from './harness.ts';

export interface AppPerTest {
  browser: Browser;
  server: AppServer;
  context: BrowserContext;
  page: Page;
}

export interface AppPerTestOptions {
  /** Where each test starts, e.g. '/#/receive'. */
  path?: string;
  viewport?: { width: number; height: number };
  /** Extra Chromium flags (e.g. a fake camera), computed once before the browser starts. */
  browserArgs?: () => string[];
}

export function appPerTest(options: AppPerTestOptions = {}): AppPerTest {
  const app = {} as AppPerTest;
  beforeAll(async () => {
    app.browser = await launchBrowser(options.browserArgs?.() ?? []);
  });
  afterAll(async () => {
    await app.browser?.close();
  });
  beforeEach(async () => {
    app.server = new AppServer();
    await app.server.start();
    app.context = await app.browser.newContext({ viewport: options.viewport ?? TABLET, locale: 'en-US' });
    app.page = await openApp(app.context, app.server.url, options.path);
  });
  afterEach(async () => {
    await app.context?.close();
    await app.server?.dispose();
  });
  return app;
}
