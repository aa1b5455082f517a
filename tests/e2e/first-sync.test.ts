/**
 * A first sync you can watch (issue 19, item 4), in Chromium against the real server: a store's
 * server holds a little more than three of the device's pull pages of events, written straight
 * into its storage; a new device pairs and must show the pull rising to the total (pairing screen
 * and status bar), mark its stock as still syncing until the whole history is here, sell meanwhile,
 * and end with on-hand equal to the server's GET /api/v1/stock.
 *
 * The device talks to the server through a small proxy on 127.0.0.1 that holds each pull page until
 * the test lets it go: on this machine a page takes a few milliseconds, too fast to look at. The
 * proxy only delays; every byte is the server's. (The page runs the pull, not the service worker:
 * Settings' "Pair this device" starts it. A proxy in front of everything works either way.)
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AppServer, PHONE, TABLET, launchBrowser, openApp, pairDevice, payExactCash, readMeta, scrollThroughToday, seriousViolations } from './harness.ts';
import { locationDefined, openingBalance, productsDefined, saleEvent } from '../server/fixtures.ts';
import { canonicalJson } from '../../src/server/canonical-json.ts';
import { eventRowOf } from '../../src/server/storage/store.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { DEFAULT_PULL_PAGE } from '../../src/sync/pull.ts';

/** Three full pages and part of a fourth. */
const PAGE = DEFAULT_PULL_PAGE;
const SALES = 3 * PAGE + 1000;
const PRODUCTS = 4;
const HISTORY_DEVICE = 'dev-first-sync-history';
const FLOOR = { id: 'loc-floor', name: 'Shop floor' };
const BACK = { id: 'loc-back', name: 'Back room' };
const LOCATIONS = [FLOOR, BACK];

/** A year-ish of one other till's history: the catalog, two locations, opening stock, then sales. */
function history(storeId: string): LedgerEvent[] {
  const device = { storeId, deviceId: HISTORY_DEVICE };
  const events: LedgerEvent[] = [
    productsDefined({ ...device, seq: 1, count: PRODUCTS }),
    locationDefined({ ...device, seq: 2, ...FLOOR }),
    locationDefined({ ...device, seq: 3, ...BACK }),
  ];
  LOCATIONS.forEach((location, i) => {
    const lines = Array.from({ length: PRODUCTS }, (_, p) => ({ productId: `p-cat-${p}`, qty: 100_000 + 1000 * p + i, unitCost: 100 + p }));
    events.push(openingBalance({ ...device, seq: 4 + i, lines, locationId: location.id }));
  });
  for (let n = 0; n < SALES; n++) {
    // Mostly from the floor, some from the back room; 1 to 3 of a product each.
    const location = n % 5 === 0 ? BACK : FLOOR;
    events.push(saleEvent({ ...device, seq: 6 + n, productId: `p-cat-${n % PRODUCTS}`, qty: 1 + (n % 3), locationId: location.id }));
  }
  return events;
}

async function fill(server: AppServer, events = history(server.server.storeId)): Promise<number> {
  const { storage } = server.server;
  for (let i = 0; i < events.length; i += 1000) {
    const rows = events.slice(i, i + 1000).map((e) => eventRowOf(e, canonicalJson(e)));
    const outcomes = await storage.appendEvents(rows, new Date().toISOString());
    const refused = outcomes.filter((o) => o.status !== 'accepted');
    if (refused.length > 0) throw new Error(`the server's storage refused ${refused.length} events: ${JSON.stringify(refused[0])}`);
  }
  return events.length;
}

/**
 * Forwards everything to the app server; pull pages wait for `release()` (one page each), so the
 * test sees the device between pages. `open()` lets the rest through at once.
 */
class PullGate {
  private server: Server | null = null;
  /** Held pull requests, oldest first; `gone` once the browser dropped it (the page that asked reloaded). */
  private waiting: { forward: () => void; gone: () => boolean }[] = [];
  private credit = 0;
  private opened = false;
  port = 0;
  pulls = 0;

  constructor(private readonly target: AppServer) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const forward = () => {
        const upstream = request({ host: '127.0.0.1', port: this.target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
      };
      if (!req.url?.startsWith('/api/v1/sync/pull')) return forward();
      this.pulls += 1;
      if (this.opened) return forward();
      if (this.credit > 0) {
        this.credit -= 1;
        return forward();
      }
      this.waiting.push({ forward, gone: () => req.socket.destroyed });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server?.address() as AddressInfo).port;
  }

  /**
   * Lets one pull page through (now, or as soon as it is asked for). A request whose page has
   * since reloaded is let through too (nobody reads its answer), but does not count as the page.
   */
  release(): void {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      next.forward();
      if (!next.gone()) return;
    }
    this.credit += 1;
  }

  open(): void {
    this.opened = true;
    for (const { forward } of this.waiting.splice(0)) forward();
  }

  async stop(): Promise<void> {
    this.open();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Every value the status bar's progress element takes, recorded in the page as it changes. */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { value: number; max: number }[] = [];
    (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
    const look = () => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="pull-progress-bar"] progress');
      if (!bar) return;
      const last = seen[seen.length - 1];
      if (!last || last.value !== bar.value || last.max !== bar.max) seen.push({ value: bar.value, max: bar.max });
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    look();
  });
}

const progressSeen = (page: Page) => page.evaluate(() => (window as unknown as { progressSeen: { value: number; max: number }[] }).progressSeen);
const shownReceived = async (page: Page) => Number((await page.getByTestId('pull-progress-bar').getAttribute('data-received')) ?? -1);
const stillSyncing = (page: Page) => page.getByTestId('stock-still-syncing').count();

async function serverStock(server: AppServer, token: string): Promise<Map<string, number>> {
  const response = await fetch(`${server.url}/api/v1/stock`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { stock: { productId: string; locationId: string; onHand: number }[] };
  return new Map(body.stock.map((row) => [`${row.productId}|${row.locationId}`, row.onHand]));
}

/** On-hand as the device's Stock screen shows it, per product × location. */
async function shownStock(page: Page): Promise<Map<string, number>> {
  const cells = await page.locator('.stock-table tbody td[data-location-id]').evaluateAll((tds) =>
    tds.map((td) => ({ productId: td.closest('tr')?.getAttribute('data-product-id') ?? '', locationId: td.getAttribute('data-location-id') ?? '', text: td.textContent ?? '' })),
  );
  return new Map(cells.map((c) => [`${c.productId}|${c.locationId}`, Number.parseInt(c.text, 10)]));
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `.tmp/shots/first-sync-${name}.png`, fullPage: false });
}

/** A browser, a server with no demo store and a PullGate in front of it, started and stopped around one describe block. */
function gatedServer(): { browser: Browser; server: AppServer; gate: PullGate } {
  const setup = { server: new AppServer({ demo: false }) } as { browser: Browser; server: AppServer; gate: PullGate };
  beforeAll(async () => {
    setup.browser = await launchBrowser();
    await setup.server.start();
    setup.gate = new PullGate(setup.server);
    await setup.gate.start();
  });
  afterAll(async () => {
    await setup.browser?.close();
    await setup.gate?.stop();
    await setup.server.dispose();
  });
  return setup;
}

describe('a new device’s first sync, watched', () => {
  const setup = gatedServer();

  it('shows the pull rising to the total, marks stock as still syncing, sells meanwhile, and ends with the server’s stock', async () => {
    const total = await fill(setup.server);
    const context = await setup.browser.newContext({ viewport: TABLET, locale: 'en-US' });
    const page = await openApp(context, setup.gate.url, '/#/settings');
    await recordProgress(page);
    await pairDevice(page, setup.server.server.setupCode ?? '', 'New till');
    const panel = page.getByRole('region', { name: 'Server and sync' });

    // Page 1 of 4: the pairing screen and the status bar say how far, and what is left.
    setup.gate.release();
    await expect.poll(() => shownReceived(page), { timeout: 30_000 }).toBe(PAGE);
    const progressText = panel.getByTestId('pull-progress');
    await expect.poll(() => progressText.textContent(), { timeout: 15_000 }).toContain(`${PAGE.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events · ${(total - PAGE).toLocaleString('en-US')} left`);
    await expect.poll(() => page.getByTestId('sync-history').getAttribute('data-complete'), { timeout: 15_000 }).toBe('false');
    await shot(page, 'pairing-tablet');
    expect(await seriousViolations(page)).toEqual([]);

    // The till sells from what has come so far (the catalog was in page 1).
    await page.goto(`${setup.gate.url}/#/sell`);
    const tile = page.locator('.product-tile').filter({ hasText: 'Catalog product 1' });
    await tile.first().waitFor({ timeout: 30_000 });
    await tile.first().click();
    await payExactCash(page);
    await page.getByRole('button', { name: 'New sale' }).click();

    // Page 2: the Stock screen says its figures may be incomplete, once.
    setup.gate.release();
    await expect.poll(() => shownReceived(page), { timeout: 30_000 }).toBe(2 * PAGE);
    await page.goto(`${setup.gate.url}/#/stock`);
    await expect.poll(() => stillSyncing(page), { timeout: 15_000 }).toBe(1);
    await shot(page, 'stock-tablet');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await expect.poll(() => page.getByTestId('pull-progress-bar').locator('.status-short').textContent(), { timeout: 15_000 }).toBe(`Syncing ${Math.floor(((2 * PAGE) / total) * 100)} %`);
    await shot(page, 'stock-phone');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${setup.gate.url}/#/settings`);
    await panel.getByTestId('pull-progress').waitFor();
    await shot(page, 'pairing-phone');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(TABLET);
    await page.goto(`${setup.gate.url}/#/stock`);

    // Page 3, then the rest.
    setup.gate.release();
    await expect.poll(() => shownReceived(page), { timeout: 30_000 }).toBe(3 * PAGE);
    expect(await stillSyncing(page)).toBe(1);
    // Today (the owner's home) marks each of its two stock parts, at both sizes.
    const todayStock = page.locator('.today').getByTestId('stock-still-syncing');
    await page.goto(`${setup.gate.url}/#/today`);
    await scrollThroughToday(page);
    await expect.poll(() => todayStock.count(), { timeout: 15_000 }).toBe(2);
    expect(await todayStock.first().textContent()).toContain('Still syncing');
    await todayStock.first().scrollIntoViewIfNeeded();
    await shot(page, 'today-tablet');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await todayStock.first().scrollIntoViewIfNeeded();
    await shot(page, 'today-phone');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(TABLET);
    await todayStock.first().scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    // From here the parts on screen must not move as the mark goes (it did, when it was a notice above them).
    await page.evaluate(() => {
      const w = window as unknown as { shiftsSince: number };
      w.shiftsSince = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!entry.hadRecentInput) w.shiftsSince += entry.value;
      }).observe({ type: 'layout-shift' });
    });
    setup.gate.open();
    // …and drops the mark once the history is complete.
    await expect.poll(() => todayStock.count(), { timeout: 30_000 }).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { shiftsSince: number }).shiftsSince)).toBeLessThan(0.01);
    await expect.poll(() => page.locator('.today .stock-health').count(), { timeout: 15_000 }).toBe(1);
    await page.goto(`${setup.gate.url}/#/stock`);
    await expect.poll(() => stillSyncing(page), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => readMeta(page, 'historyComplete'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('pull-progress-bar').count(), { timeout: 15_000 }).toBe(0);

    // The bar rose step by step, never back, to the total.
    const seen = await progressSeen(page);
    const values = seen.map((s) => s.value);
    expect(values.filter((v) => v < total).length).toBeGreaterThanOrEqual(3);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(seen.map((s) => s.max))).toEqual(new Set([total]));
    expect(values[values.length - 1]).toBe(total);
    expect(new Set(values).size).toBe(values.length);

    // The sale made during the pull reached the server (the device sends it with its next sync).
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => page.getByTestId('pending-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    await page.getByRole('button', { name: 'Sync now' }).click();

    // Stock as shown equals the server's, for every product × location the server has.
    const token = String(await readMeta(page, 'deviceToken'));
    await expect
      .poll(async () => {
        const [theirs, ours] = await Promise.all([serverStock(setup.server, token), shownStock(page)]);
        return [...theirs].filter(([key, qty]) => ours.get(key) !== qty);
      }, { timeout: 30_000 })
      .toEqual([]);
    const theirs = await serverStock(setup.server, token);
    expect(theirs.size).toBe(PRODUCTS * LOCATIONS.length);
    // Catalog product 1 in all: the opening 202,001, less the history's sales, less the one sold here.
    const soldInHistory = history(setup.server.server.storeId)
      .flatMap((e) => (e.kind === 'sale' ? e.lines : []))
      .filter((l) => l.productId === 'p-cat-1')
      .reduce((sum, l) => sum + l.qty, 0);
    expect(LOCATIONS.reduce((sum, l) => sum + (theirs.get(`p-cat-1|${l.id}`) ?? 0), 0)).toBe(101_000 + 101_001 - soldInHistory - 1);
    await shot(page, 'stock-done-tablet');
    await context.close();
  });
});

/**
 * The other screens that show stock, and the pairing panel, while a first pull is held at the gate:
 * small history, one page. Each of Receive, Returns, Transfers and Reorder marks its figures as
 * still syncing, once, until the history is here; the pairing panel says connected and syncing, not
 * the error the device had before it was paired.
 */
describe('while the first pull is held: the other stock screens and the pairing panel', () => {
  const setup = gatedServer();
  const SCREENS = ['receive', 'returns', 'transfers', 'reorder'];

  it('marks Receive, Returns, Transfers and Reorder as still syncing until the history is here, and the panel shows connected and syncing', async () => {
    const device = { storeId: setup.server.server.storeId, deviceId: HISTORY_DEVICE };
    const lines = Array.from({ length: PRODUCTS }, (_, p) => ({ productId: `p-cat-${p}`, qty: 50, unitCost: 100 }));
    await fill(setup.server, [
      productsDefined({ ...device, seq: 1, count: PRODUCTS }),
      locationDefined({ ...device, seq: 2, ...FLOOR }),
      locationDefined({ ...device, seq: 3, ...BACK }),
      openingBalance({ ...device, seq: 4, lines, locationId: FLOOR.id }),
      ...Array.from({ length: 20 }, (_, n) => saleEvent({ ...device, seq: 5 + n, productId: `p-cat-${n % PRODUCTS}`, locationId: FLOOR.id })),
    ]);
    const context = await setup.browser.newContext({ viewport: TABLET, locale: 'en-US' });
    const page = await openApp(context, setup.gate.url, '/#/settings');
    const panel = page.getByRole('region', { name: 'Server and sync' });
    // Unpaired, the device's own syncs fail: that error is true until it is paired.
    await expect.poll(() => readMeta(page, 'lastSyncError'), { timeout: 15_000 }).toMatch(/not connected to a server yet/);
    await expect.poll(() => panel.getByTestId('sync-panel-error').textContent(), { timeout: 15_000 }).toMatch(/not connected/);

    await pairDevice(page, setup.server.server.setupCode ?? '', 'New till');
    // The first pull is asked for and held: connected, syncing, no old error (here and in the status bar).
    await expect.poll(() => setup.gate.pulls, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => panel.getByTestId('sync-panel-error').textContent(), { timeout: 15_000 }).toBe('None');
    await expect.poll(() => panel.getByTestId('sync-enrolled').getAttribute('data-connection'), { timeout: 15_000 }).toBe('online');
    await expect.poll(() => panel.getByTestId('sync-last').getAttribute('data-syncing'), { timeout: 15_000 }).toBe('true');
    expect(await panel.getByTestId('sync-last').textContent()).toContain('Syncing now');
    expect(await panel.getByTestId('sync-enrolled').textContent()).toContain('connected');
    expect(await panel.getByTestId('sync-history').textContent()).toContain('Coming in now');
    expect(await page.getByTestId('sync-error').count()).toBe(0);
    expect(await page.getByTestId('network-status').getAttribute('data-connection')).toBe('online');
    await shot(page, 'held-pairing-tablet');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await shot(page, 'held-pairing-phone');
    await page.setViewportSize(TABLET);

    // One tab per screen, each showing the mark, so each is seen to drop it when the history is here.
    const screens: Page[] = [];
    for (const screen of SCREENS) {
      const tab = await openApp(context, setup.gate.url, `/#/${screen}`);
      screens.push(tab);
      await expect.poll(() => stillSyncing(tab), { timeout: 15_000 }).toBe(1);
      await shot(tab, `held-${screen}-tablet`);
      expect(await seriousViolations(tab)).toEqual([]);
      await tab.setViewportSize(PHONE);
      expect(await stillSyncing(tab)).toBe(1);
      await shot(tab, `held-${screen}-phone`);
      expect(await seriousViolations(tab)).toEqual([]);
      await tab.setViewportSize(TABLET);
    }

    setup.gate.open();
    await expect.poll(() => readMeta(page, 'historyComplete'), { timeout: 30_000 }).toBe(true);
    for (const tab of screens) await expect.poll(() => stillSyncing(tab), { timeout: 15_000 }).toBe(0);
    await page.goto(`${setup.gate.url}/#/settings`);
    await expect.poll(() => panel.getByTestId('sync-last').getAttribute('data-syncing'), { timeout: 15_000 }).toBe('false');
    expect(await panel.getByTestId('sync-last').textContent()).not.toBe('Never');
    await context.close();
  });
});
