/**
 * Shared set-up for browser end-to-end tests: Debian's Chromium driven by playwright-core, against
 * the real server (src/server) serving the built app from dist/ on a loopback port.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import { formatMoney } from '../../src/domain/money.ts';

import { CHROMIUM, CHROMIUM_ARGS } from '../chromium.ts';

export { CHROMIUM, CHROMIUM_ARGS };

/** The demo store's shop floor, where the till sells. */
export const FLOOR = DEMO_LOCATIONS[0].id;

/** An amount as the app shows it in the tests' en-US locale. */
export const eur = (minor: number): string => formatMoney(minor, 'EUR', 'en-US');

/** A demo product by its name (src/domain/demo-store.ts). */
export function demoProduct(name: string): (typeof DEMO_PRODUCTS)[number] {
  const found = DEMO_PRODUCTS.find((p) => p.name === name);
  if (!found) throw new Error(`demo product ${name} missing`);
  return found;
}

export const TABLET = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** The real server on a loopback port, with its own fresh data directory. */
export class AppServer {
  private running: RunningServer | null = null;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'perpetua-e2e-'));
  port = 0;
  /** `demo: false` starts a real store: devices pair with the setup code, then with pairing codes. */
  private readonly demo: boolean;
  /** The built app it serves: `dist` unless a test deploys its own copy. */
  private readonly staticDir: string;

  /** `port`: a port to start on (another server's, stopped: the same address); any free one otherwise. */
  constructor(options: { demo?: boolean; staticDir?: string; port?: number } = {}) {
    this.demo = options.demo ?? true;
    this.staticDir = options.staticDir ?? 'dist';
    this.port = options.port ?? 0;
  }

  /** The running server (its storage, setup code); throws while stopped. */
  get server(): RunningServer {
    if (!this.running) throw new Error('The test server is not running.');
    return this.running;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.running = await startServer({ port: this.port, host: '127.0.0.1', dataDir: this.dataDir, staticDir: this.staticDir, demo: this.demo, logLevel: 'silent' });
    this.port = this.running.port;
  }

  async stop(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Opens the app and waits until the service worker controls the page (so it can load offline). */
export async function openApp(context: BrowserContext, url: string, path = '/'): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  await page.goto(url + path);
  await page.waitForSelector('.app', { timeout: 60_000 });
  // Poll rather than wait for 'controllerchange': the event can fire before a listener is attached.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000, polling: 100 });
  return page;
}

/** How `wedgeScan` types: the scanner's rhythm, and what it sends around the code. */
export interface WedgeTiming {
  /** Gap between keys (default 5 ms, a USB scanner). */
  gapMs?: number;
  /** Gap between the first key and the second, when the scanner sends its first key late. */
  firstKeyDelayMs?: number;
  /** Sent before the code, e.g. an AIM symbology identifier such as "]E0". */
  prefix?: string;
  suffix?: 'Enter' | 'Tab';
}

/**
 * Types like a USB scanner: real (trusted) key events 5 ms apart, then Enter. The events carry
 * explicit timestamps, so a loaded test machine that sends them late still presents the page with
 * a scanner's rhythm; the keys still go to whatever has focus, as a scanner's would.
 */
export async function wedgeScan(page: Page, code: string, timing: WedgeTiming = {}): Promise<void> {
  await page.waitForSelector('[data-scanner-ready="true"]', { state: 'attached' });
  const keys = [...(timing.prefix ?? ''), ...code, timing.suffix ?? 'Enter'];
  const gapMs = timing.gapMs ?? 5;
  await typeKeysAt(
    page,
    keys.map((key, i) => ({ key, atMs: i === 0 ? 0 : i * gapMs + (timing.firstKeyDelayMs === undefined ? 0 : timing.firstKeyDelayMs - gapMs) })),
  );
}

const KEY_CODES: Record<string, { code: string; windowsVirtualKeyCode: number; text?: string }> = {
  Enter: { code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' },
  Tab: { code: 'Tab', windowsVirtualKeyCode: 9 },
  ']': { code: 'BracketRight', windowsVirtualKeyCode: 221, text: ']' },
};

/**
 * Real (trusted) key events, each stamped `atMs` after the first: the page sees exactly this
 * rhythm however late a busy test machine delivers them. Characters and 'Enter' / 'Tab'.
 */
export async function typeKeysAt(page: Page, keys: readonly { key: string; atMs: number }[]): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const start = Date.now() / 1000;
  for (const { key, atMs } of keys) {
    const named = KEY_CODES[key];
    const code = named?.code ?? (/\d/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`);
    const text = named ? named.text : key;
    const base = { key, code, timestamp: start + atMs / 1000, ...(named ? { windowsVirtualKeyCode: named.windowsVirtualKeyCode } : {}) };
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...(text === undefined ? {} : { text }), ...base });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
  }
  await cdp.detach();
}

/** Reads a whole object store with the raw IndexedDB API, independent of the app's code. */
export async function readStore<T = Record<string, unknown>>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        // page.evaluate has no timeout of its own: a read IndexedDB never answers must fail saying so,
        // not run out the test's time in silence.
        const timer = setTimeout(() => reject(new Error(`IndexedDB did not answer a read of "${name}" within 30 s`)), 30_000);
        const fail = (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        };
        const open = indexedDB.open('perpetua');
        open.onerror = () => fail(open.error);
        open.onblocked = () => fail(new Error(`Opening the database to read "${name}" was blocked by another connection`));
        open.onsuccess = () => {
          try {
            const request = open.result.transaction(name, 'readonly').objectStore(name).getAll();
            request.onsuccess = () => {
              clearTimeout(timer);
              open.result.close();
              resolve(request.result as T[]);
            };
            request.onerror = () => fail(request.error);
          } catch (error) {
            open.result.close();
            fail(error);
          }
        };
      }),
    store,
  );
}

/**
 * The device's whole local ledger with the raw IndexedDB API: own events (`events`) and pulled ones
 * (`pulled`, one record per page), each id once.
 */
export async function readLedger<T extends { id: string } = { id: string; kind: string }>(page: Page): Promise<T[]> {
  const own = await readStore<T>(page, 'events');
  return [...new Map([...own, ...(await readPulledEvents<T>(page))].map((e) => [e.id, e])).values()];
}

/**
 * The events of every pulled page, read in the page itself: a page holds the server's answer as
 * sent (`asSent`, a Blob of its JSON), or its events as one JSON text (`eventsJson`), or, written
 * by an older version, as objects (src/db/db.ts `PulledPage`).
 */
export async function readPulledEvents<T>(page: Page): Promise<T[]> {
  const json = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('perpetua');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => resolve(open.result);
    });
    const pages = await new Promise<{ asSent?: Blob; eventsJson?: string; events?: unknown[] }[]>((resolve, reject) => {
      const request = db.transaction('pulled', 'readonly').objectStore('pulled').getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    const events: unknown[] = [];
    for (const p of pages) {
      if (p.asSent) events.push(...(JSON.parse(await p.asSent.text()) as { events: unknown[] }).events);
      else events.push(...(p.events ?? (JSON.parse(p.eventsJson ?? '[]') as unknown[])));
    }
    return JSON.stringify(events);
  });
  return JSON.parse(json) as T[];
}

/**
 * On-hand as the device's ledger makes it: the page's stored events (own and pulled) folded with
 * the domain's `Books`, as the app's projection does. (The `stock` table is only the projection's
 * cache, written after the fold, so it may trail a sale by a moment.)
 */
export async function onHandOf(page: Page, productId: string, locationId: string): Promise<number> {
  const events = await readLedger<LedgerEvent>(page);
  return Books.fromEvents(events, { valuation: 'fifo' }).onHand(productId, locationId);
}

export async function payExactCash(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: 'Exact cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('button', { name: 'New sale' }).waitFor();
}

/**
 * Scrolls the open Today screen down, as an owner's thumb does, until its last part (stock health)
 * is drawn: below the sales figures, Today draws each part only once its place nears the screen.
 */
export async function scrollThroughToday(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const last = page.locator('.today .stock-health');
  while ((await last.count()) === 0) {
    if (Date.now() > deadline) throw new Error(`Today's stock health was not drawn within ${timeoutMs} ms of scrolling to the end`);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(50);
  }
}

/** Pairs the page's device in Settings → Server and sync with `code`, and waits until it is paired. */
export async function pairDevice(page: Page, code: string, deviceName?: string): Promise<void> {
  const panel = page.getByRole('region', { name: 'Server and sync' });
  await panel.getByLabel('Pairing code').fill(code);
  if (deviceName) await panel.getByLabel('Name of this device').fill(deviceName);
  await panel.getByRole('button', { name: 'Pair this device' }).click();
  await panel.locator('[data-testid="sync-enrolled"][data-enrolled="true"]').waitFor({ timeout: 30_000 });
}

/**
 * Makes the open app's device a staff device without a second server pairing: its stored role (and,
 * with `token`, a device token, as a paired staff device has). Reload the page after it.
 */
export async function becomeStaff(page: Page, token?: string): Promise<void> {
  await page.evaluate(
    (token) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('perpetua');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('meta', 'readwrite');
          if (token) tx.objectStore('meta').put({ key: 'deviceToken', value: token });
          tx.objectStore('meta').put({ key: 'deviceRole', value: 'staff' });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    token,
  );
}

/** A value of the device's `meta` store (its identity, settings, flags), read from IndexedDB. */
export async function readMeta(page: Page, key: string): Promise<unknown> {
  return page.evaluate(
    (k) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('perpetua');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('meta', 'readonly').objectStore('meta').get(k);
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as { value?: unknown } | undefined)?.value);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    key,
  );
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's serious and critical violations on the page as it is, one sentence each (empty: clean). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated, not an inline <script>: the server's Content-Security-Policy refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The page fits its width: nothing scrolls sideways. */
export const noHorizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
