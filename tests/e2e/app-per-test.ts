/**
 * The usual set-up of an app test file: one Chromium per file, and for every test its own server
 * (its own store and data directory) and its own browser profile, so no test sees another's sales.
 * Returns a live object: read `app.page` etc. inside hooks and tests.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AppServer, CHROMIUM, CHROMIUM_ARGS, TABLET, launchBrowser, openApp } from './harness.ts';

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

/** Several devices against servers a test starts itself (sync between tills, a staff phone). */
export interface DevicesPerTest {
  /** A server of its own for this test (a demo store unless `demo: false`), stopped after it. */
  server(options?: { demo?: boolean; port?: number }): Promise<AppServer>;
  /** A new browser profile, i.e. a new device, closed after the test. */
  device(viewport?: { width: number; height: number }): Promise<BrowserContext>;
}

/** One Chromium per file; the servers and devices a test makes are disposed of after it. */
export function devicesPerTest(): DevicesPerTest {
  let browser: Browser | undefined;
  const servers: AppServer[] = [];
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    for (const server of servers.splice(0)) await server.dispose();
  });
  return {
    async server(options = {}) {
      const server = new AppServer(options);
      servers.push(server);
      await server.start();
      return server;
    },
    async device(viewport = TABLET) {
      if (!browser) throw new Error('The browser is not running: call device() inside a test.');
      const context = await browser.newContext({ viewport, locale: 'en-US' });
      contexts.push(context);
      return context;
    },
  };
}

export interface ProfilePerTest {
  server: AppServer;
  /** This test's on-disk Chromium profile (a fresh directory per test). */
  profile: string;
  /** Starts Chromium on the profile; whatever is still open is closed after the test. */
  launch(): Promise<BrowserContext>;
}

/**
 * For tests that close, kill and restart the browser: per test, its own server and an on-disk
 * Chromium profile, so what IndexedDB and the origin's files committed survives (an in-memory
 * profile would not). The profile is deleted after the test.
 */
export function profilePerTest(prefix: string): ProfilePerTest {
  const opened: BrowserContext[] = [];
  const env: ProfilePerTest = {
    server: new AppServer(),
    profile: '',
    async launch() {
      const context = await chromium.launchPersistentContext(env.profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: TABLET, locale: 'en-US' });
      opened.push(context);
      return context;
    },
  };
  beforeEach(async () => {
    await env.server.start();
    env.profile = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    // A context closed (or its browser killed) by the test closes again without complaint.
    for (const context of opened.splice(0)) await context.close().catch(() => undefined);
    await env.server.dispose();
    rmSync(env.profile, { recursive: true, force: true });
  });
  return env;
}
