/**
 * Stock alerts end to end (issue 15): the owner sets reorder points on Edit product, Today lists the
 * low stock and the navigation shows the count; a sale on ANOTHER device, synced, takes a product
 * below its reorder point and the owner's phone shows exactly one system notification through the
 * service worker, and no second one for the next sale while it stays low, nor after a reload. The
 * permission is asked only when the owner taps; a staff device never asks. The catalog CSV sets
 * reorder levels in bulk and refuses a bad one with its line number; the dead-stock days are the
 * store's setting.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path, { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { stockAlertsOf } from '../../src/domain/stock-alerts.ts';
import { FLOOR, PHONE, TABLET, demoProduct, onHandOf, openApp, payExactCash, readLedger, readStore, scrollThroughToday, wedgeScan, pairDevice } from './harness.ts';
import { devicesPerTest } from './app-per-test.ts';

/** Screenshots to look at after a run, in the repository's ignored .tmp folder. */
const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/shots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const devices = devicesPerTest();
const coffee = demoProduct('Ground coffee 250 g');
const milk = demoProduct('Whole milk 1 l');

/**
 * Counts, in the page, the calls to Notification.requestPermission and to showNotification: the
 * browser's own list (getNotifications) keeps one per tag, so a repeat would not show there.
 */
async function countNotificationCalls(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const counts = { asked: 0, shown: [] as string[] };
    (window as unknown as { notificationCalls: typeof counts }).notificationCalls = counts;
    if (typeof Notification !== 'undefined') {
      const ask = Notification.requestPermission.bind(Notification);
      Notification.requestPermission = (...args: Parameters<typeof Notification.requestPermission>) => {
        counts.asked++;
        return ask(...args);
      };
    }
    const show = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title: string, options?: NotificationOptions) {
      counts.shown.push(title);
      return show.call(this, title, options);
    };
  });
}

const calls = (page: Page) => page.evaluate(() => (window as unknown as { notificationCalls: { asked: number; shown: string[] } }).notificationCalls);
const shownBySw = (page: Page) =>
  page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag })));

async function meta(page: Page, key: string): Promise<unknown> {
  return (await readStore<{ key: string; value: unknown }>(page, 'meta')).find((row) => row.key === key)?.value;
}

async function waitUntilPairedAndSynced(page: Page): Promise<void> {
  await expect.poll(() => meta(page, 'deviceToken'), { timeout: 30_000 }).toEqual(expect.any(String));
  await expect.poll(() => meta(page, 'lastSyncAt'), { timeout: 30_000 }).toEqual(expect.any(String));
}

async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated, not an inline <script>: the server's Content-Security-Policy refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function setReorderLevels(page: Page, url: string, productId: string, reorderPoint: number, orderUpTo: number): Promise<void> {
  await page.goto(`${url}/#/product?id=${encodeURIComponent(productId)}`);
  const floor = page.locator(`fieldset[data-location-id="${FLOOR}"]`);
  await floor.getByLabel('Reorder point').fill(String(reorderPoint));
  await floor.getByLabel('Order up to').fill(String(orderUpTo));
  await page.getByRole('button', { name: 'Save reorder levels' }).click();
  await expect.poll(() => page.getByTestId('reorder-levels-notice').textContent()).toBe('Saved the reorder levels.');
}

/** The alerts the owner's books hold now, computed in the test from the device's own ledger. */
async function alertsInLedger(page: Page): Promise<{ low: number; dead: number }> {
  const { low, dead } = stockAlertsOf(Books.fromEvents(await readLedger<LedgerEvent>(page), { valuation: 'fifo' }), Date.now());
  return { low: low.length, dead: dead.length };
}

async function sell(page: Page, barcode: string): Promise<void> {
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await wedgeScan(page, barcode);
  await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
  await payExactCash(page);
  await page.getByRole('button', { name: 'New sale' }).click();
}

describe('stock alerts', () => {
  it('shows low stock on Today and in the badge, and tells once when a synced sale crosses the reorder point', async () => {
    const server = await devices.server();
    const ownerContext = await devices.device(PHONE);
    await countNotificationCalls(ownerContext);
    const owner = await openApp(ownerContext, server.url, '/#/today');
    const till = await openApp(await devices.device(TABLET), server.url, '/#/sell');
    await Promise.all([waitUntilPairedAndSynced(owner), waitUntilPairedAndSynced(till)]);

    // Coffee sits exactly at its reorder point (not low); milk is set above what is on hand (low at once).
    const coffeeOnHand = await onHandOf(owner, coffee.id, FLOOR);
    const milkOnHand = await onHandOf(owner, milk.id, FLOOR);
    await setReorderLevels(owner, server.url, coffee.id, coffeeOnHand, coffeeOnHand + 10);
    await setReorderLevels(owner, server.url, milk.id, milkOnHand + 5, milkOnHand + 20);
    await owner.locator('#reorder-levels-title').scrollIntoViewIfNeeded();
    await owner.screenshot({ path: join(SHOTS, 'reorder-levels-390x844.png') });
    const levels = (await readLedger<LedgerEvent>(owner)).filter((e) => e.kind === 'reorder-levels-set');
    expect(levels.map((e) => e.kind === 'reorder-levels-set' && e.lines)).toEqual([
      [{ productId: coffee.id, locationId: FLOOR, reorderPoint: coffeeOnHand, orderUpTo: coffeeOnHand + 10 }],
      [{ productId: milk.id, locationId: FLOOR, reorderPoint: milkOnHand + 5, orderUpTo: milkOnHand + 20 }],
    ]);

    await owner.goto(`${server.url}/#/today`);
    await scrollThroughToday(owner);
    const alerts = owner.getByTestId('stock-alerts');
    await expect.poll(() => alerts.getByTestId('low-stock-count').textContent()).toBe('1');
    const lowRows = alerts.getByTestId('low-stock-list').locator('li');
    expect(await lowRows.allTextContents()).toEqual([`${milk.name}Shop floor${milkOnHand} on hand · reorder at ${milkOnHand + 5} · order 20 (up to ${milkOnHand + 20})`]);
    expect(await lowRows.locator('a').getAttribute('href')).toBe(`#/product?id=${encodeURIComponent(milk.id)}`);
    // The demo's opening stock never sold and is older than 60 days: dead stock, counted too.
    const expected = await alertsInLedger(owner);
    expect(expected.low).toBe(1);
    expect(await alerts.getByTestId('dead-stock-count').textContent()).toBe(String(expected.dead));
    const total = expected.low + expected.dead;
    await expect.poll(() => owner.getByRole('link', { name: `Today (${total} alerts)`, exact: true }).count()).toBe(1);
    expect(await owner.getByTestId('alert-badge').textContent()).toBe(String(total));
    // Setting a reorder point above the stock is no fall: nothing told, nothing asked without a tap.
    expect(await calls(owner)).toEqual({ asked: 0, shown: [] });
    expect(await seriousViolations(owner)).toEqual([]);

    // The owner taps to be told; the test's Chromium grants it.
    await ownerContext.grantPermissions(['notifications'], { origin: server.url });
    await alerts.getByRole('button', { name: 'Tell me when stock runs low' }).click();
    await expect.poll(() => alerts.getByTestId('notify-when-low').textContent()).toContain('This device shows a notification');
    expect((await calls(owner)).asked).toBe(1);
    // Dead stock shows the most value first, five rows until asked for all.
    expect(await alerts.getByTestId('dead-stock-list').locator('li').count()).toBe(Math.min(5, expected.dead));
    await alerts.locator('#stock-alerts-title').scrollIntoViewIfNeeded();
    await owner.screenshot({ path: join(SHOTS, 'stock-alerts-390x844.png') });
    await alerts.getByTestId('notify-when-low').scrollIntoViewIfNeeded();
    await owner.screenshot({ path: join(SHOTS, 'stock-alerts-390x844-bottom.png') });

    // Another device sells one coffee: synced, the owner's coffee falls below its reorder point.
    await sell(till, coffee.barcodes[0] ?? '');
    await expect.poll(() => till.getByTestId('pending-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    await owner.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => onHandOf(owner, coffee.id, FLOOR), { timeout: 30_000 }).toBe(coffeeOnHand - 1);
    await expect.poll(() => shownBySw(owner), { timeout: 10_000 }).toEqual([
      {
        title: `Low stock: ${coffee.name}`,
        body: `Shop floor: ${coffeeOnHand - 1} on hand, below the reorder point ${coffeeOnHand}. Order 11 to be back at ${coffeeOnHand + 10}.`,
        tag: `low-stock:${coffee.id}@${FLOOR}`,
      },
    ]);
    expect((await calls(owner)).shown).toEqual([`Low stock: ${coffee.name}`]);
    await expect.poll(() => alerts.getByTestId('low-stock-count').textContent()).toBe('2');
    // Coffee is low now, and no longer dead stock: it has just sold.
    const afterSale = await alertsInLedger(owner);
    expect(afterSale).toEqual({ low: 2, dead: expected.dead - 1 });
    await expect.poll(() => owner.getByRole('link', { name: `Today (${afterSale.low + afterSale.dead} alerts)`, exact: true }).count()).toBe(1);

    // A second sale while it is still low: no second notification.
    await sell(till, coffee.barcodes[0] ?? '');
    await expect.poll(() => till.getByTestId('pending-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    await owner.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => onHandOf(owner, coffee.id, FLOOR), { timeout: 30_000 }).toBe(coffeeOnHand - 2);
    await expect.poll(() => alerts.getByTestId('low-stock-list').locator('li').filter({ hasText: coffee.name }).textContent()).toContain(`${coffeeOnHand - 2} on hand`);
    expect((await calls(owner)).shown).toHaveLength(1);
    expect(await shownBySw(owner)).toHaveLength(1);

    // A reload repeats nothing: what was told is kept in IndexedDB.
    await owner.reload();
    await scrollThroughToday(owner);
    await expect.poll(() => owner.getByTestId('low-stock-count').textContent()).toBe('2');
    await expect.poll(async () => ((await meta(owner, 'stockAlertWatch')) as { told: string[] } | undefined)?.told.length).toBe(1);
    expect((await calls(owner)).shown).toEqual([]);
    expect(await shownBySw(owner)).toHaveLength(1);

    await owner.setViewportSize(TABLET);
    await alerts.locator('#stock-alerts-title').scrollIntoViewIfNeeded();
    await owner.screenshot({ path: join(SHOTS, 'stock-alerts-1280x800.png') });
    await alerts.getByRole('button', { name: `Show all ${afterSale.dead} dead-stock lines` }).click();
    expect(await alerts.getByTestId('dead-stock-list').locator('li').count()).toBe(Math.min(50, afterSale.dead));
    expect(await seriousViolations(owner)).toEqual([]);

    // The low-stock row taps through to the product, whose reorder levels show per location.
    await alerts.getByTestId('low-stock-list').getByRole('link', { name: new RegExp(coffee.name) }).click();
    await expect.poll(() => owner.locator(`fieldset[data-location-id="${FLOOR}"]`).getByLabel('Reorder point').inputValue()).toBe(String(coffeeOnHand));
    await owner.locator('#reorder-levels-title').scrollIntoViewIfNeeded();
    await owner.screenshot({ path: join(SHOTS, 'reorder-levels-1280x800.png') });
    expect(await seriousViolations(owner)).toEqual([]);
  });

  it('sets reorder levels from the catalog CSV, refuses a bad one by line; a staff device never asks', async () => {
    const server = await devices.server({ demo: false });
    const ownerContext = await devices.device(PHONE);
    await countNotificationCalls(ownerContext);
    const owner = await openApp(ownerContext, server.url, '/#/settings');
    await pairDevice(owner, server.server.setupCode ?? '', 'Owner phone');

    const csv = (text: string) => ({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    const input = owner.getByLabel('Product list (CSV)');
    await input.setInputFiles(csv('name,sku,price,unit,reorder_point,order_up_to,location\nTea,TEA,3.49,each,3,12,\nGouda,GOUDA,14.99,kg,2.5,1,Back room\n'));
    await expect.poll(() => owner.getByTestId('import-problems').textContent()).toContain('Line 3: order up to 1 is below the reorder point 2.5.');
    await input.setInputFiles(csv('name,sku,price,unit,reorder_point,order_up_to,location\nTea,TEA,3.49,each,3,12,\nGouda,GOUDA,14.99,kg,0.5,,Nowhere\n'));
    await expect.poll(() => owner.getByTestId('import-problems').textContent()).toContain('Line 3: the location "Nowhere" is not one of the store’s');
    expect((await readLedger<LedgerEvent>(owner)).filter((e) => e.kind === 'products-defined')).toEqual([]);
    await input.setInputFiles(csv('name,sku,price,unit,reorder_point,order_up_to,location\nTea,TEA,3.49,each,3,12,\nGouda,GOUDA,14.99,kg,0.5,,Back room\n'));
    await expect.poll(() => owner.getByTestId('import-result').textContent()).toContain('Imported 2 products');
    const levels = (await readLedger<LedgerEvent>(owner)).filter((e) => e.kind === 'reorder-levels-set');
    expect(levels.map((e) => e.kind === 'reorder-levels-set' && e.lines)).toEqual([
      [
        { productId: 'sku-TEA', locationId: FLOOR, reorderPoint: 3, orderUpTo: 12 },
        { productId: 'sku-GOUDA', locationId: 'loc-back', reorderPoint: 500, orderUpTo: null },
      ],
    ]);
    // Nothing on hand yet: both are low at once, Gouda in kilograms.
    await owner.goto(`${server.url}/#/today`);
    await scrollThroughToday(owner);
    await expect.poll(() => owner.getByTestId('low-stock-list').locator('li').allTextContents()).toEqual([
      'GoudaBack room0 kg on hand · reorder at 0.5 kg · order 0.5 kg',
      'TeaShop floor0 on hand · reorder at 3 · order 12 (up to 12)',
    ]);

    // The store's dead-stock days: refused out of range at the field, saved in range, read on Today.
    await owner.goto(`${server.url}/#/settings`);
    const deadDays = owner.getByLabel('Dead stock: stock with no sale for this many days (shown on Today)');
    await deadDays.fill('0');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => owner.getByRole('alert').allTextContents()).toContainEqual(expect.stringContaining('Dead stock after: enter a whole number of days from 1 to 3650.'));
    await deadDays.fill('30');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const changes = (await readLedger<LedgerEvent>(owner)).filter((e) => e.kind === 'store-settings-changed');
    expect(changes.map((e) => e.kind === 'store-settings-changed' && e.changes)).toEqual([{ deadStockDays: 30 }]);
    await owner.goto(`${server.url}/#/today`);
    await scrollThroughToday(owner);
    await expect.poll(() => owner.locator('#dead-stock-title').textContent()).toBe('Dead stock: no sale for 30 days');

    // A staff phone, paired with the owner's code: the same list, no value, no button, never asked.
    await owner.goto(`${server.url}/#/settings`);
    await owner.getByRole('button', { name: 'Create pairing code' }).click();
    const code = (await owner.getByTestId('pairing-code').textContent()) ?? '';
    const staffContext = await devices.device(PHONE);
    await countNotificationCalls(staffContext);
    const staff = await openApp(staffContext, server.url, '/#/settings');
    await pairDevice(staff, code, 'Floor phone');
    await expect.poll(() => meta(staff, 'deviceRole')).toBe('staff');
    await staff.reload();
    await staff.getByRole('button', { name: 'Sync now' }).click();
    await staff.goto(`${server.url}/#/today`);
    await scrollThroughToday(staff);
    await expect.poll(() => staff.getByTestId('low-stock-count').textContent(), { timeout: 30_000 }).toBe('2');
    expect(await staff.getByTestId('notify-when-low').count()).toBe(0);
    expect(await staff.getByTestId('alert-badge').count()).toBe(0);
    expect(await staff.getByText('tied up at cost').count()).toBe(0);
    expect(await calls(staff)).toEqual({ asked: 0, shown: [] });
    expect(await staff.evaluate(() => Notification.permission)).toBe('default');
  });
});

