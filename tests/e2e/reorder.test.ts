/**
 * Issue 16: the Reorder screen on the owner's phone (390×844), offline from the device's own books.
 * The back office's device recorded a product bought from "Dairy Co" in packs of 6 (100 on the floor
 * at 0.50, 35 days ago) and 3 sold a day for 30 days since (10 left): it reaches this device by sync.
 * The worker forecasts it; the screen suggests an order under Dairy Co; the owner sets the lead time,
 * sets a longer lead time, orders one pack more than suggested, and the Receive screen lists that order; the open order then
 * covers the need and the suggestion is gone. Green tea's floor surplus is sent to the back room.
 * A demo product that never sold says it has no forecast; with levels pinned by hand it is still
 * planned, under "No supplier set", and ordered once a supplier is typed. A staff device is told the screen is the owner's. Build first: `npx vite build`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.ts';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { eventRowOf } from '../../src/server/storage/store.ts';
import { Device } from '../domain/support/event-factory.ts';
import { appPerTest } from './app-per-test.ts';
import { FLOOR, PHONE, TABLET, becomeStaff, demoProduct, eur, readLedger, readMeta, scrollThroughToday, seriousViolations, noHorizontalOverflow } from './harness.ts';

/** Screenshots to look at after a run, in the repository's ignored .tmp folder. */
const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/shots');
const DAY = 86_400_000;
const OAT = 'p-oat-drink';
const TEA = 'p-green-tea';
const BACK = DEMO_LOCATIONS[1].id;
const UNIT_COST = 50;
const sourdough = demoProduct('Sourdough loaf 800 g'); // on the floor, never sold

const app = appPerTest({ viewport: PHONE, path: '/#/sell' });




/** The back office's history of the oat drink: defined, 100 in stock 35 days ago, 3 sold a day for 30 days. */
function oatHistory(storeId: string, now: number): LedgerEvent[] {
  const start = now - 35 * DAY;
  const office = new Device('back-office', FLOOR, start);
  const events = [
    office.event(
      {
        kind: 'product-defined',
        product: { id: OAT, name: 'Oat drink 1 l', sku: 'OAT-1', barcodes: [], price: 189, cost: UNIT_COST, currency: 'EUR', taxRateBp: 700, unit: 'each', active: true, supplier: 'Dairy Co', packSize: 6 },
      },
      { at: start },
    ),
    office.opening([{ productId: OAT, qty: 100, unitCost: UNIT_COST }], { at: start + 60_000 }),
  ];
  for (let day = 30; day >= 1; day--) events.push(office.sale([{ productId: OAT, qty: 3, unitPrice: 177 }], { at: now - day * DAY }));
  return events.map((event) => ({ ...event, storeId }));
}

/**
 * Green tea: 200 on the floor, pinned there at 10 / 20 (so 180 is surplus), and 70 in the back room
 * 35 days ago with 2 sold there a day for 30 days (10 left): the floor can cover the back room.
 */
function teaHistory(storeId: string, now: number): LedgerEvent[] {
  const start = now - 35 * DAY;
  const office = new Device('back-office-2', FLOOR, start);
  const events = [
    office.event(
      {
        kind: 'product-defined',
        product: { id: TEA, name: 'Green tea 20 bags', sku: 'TEA-20', barcodes: [], price: 249, cost: 120, currency: 'EUR', taxRateBp: 700, unit: 'each', active: true, supplier: 'Tea House' },
      },
      { at: start },
    ),
    office.opening([{ productId: TEA, qty: 200, unitCost: 120 }], { at: start + 60_000 }),
    office.opening([{ productId: TEA, qty: 70, unitCost: 120 }], { at: start + 120_000, locationId: BACK }),
    office.event({ kind: 'reorder-levels-set', lines: [{ productId: TEA, locationId: FLOOR, reorderPoint: 10, orderUpTo: 20 }] }, { at: start + 180_000 }),
  ];
  for (let day = 30; day >= 1; day--) events.push(office.sale([{ productId: TEA, qty: 2, unitPrice: 233 }], { at: now - day * DAY + 3_600_000, locationId: BACK }));
  return events.map((event) => ({ ...event, storeId }));
}

describe('the Reorder screen on the owner’s phone', () => {
  it('suggests transfers first, then an order under its supplier; sends one, orders an edited quantity, and the covered lines leave', async () => {
    const { page, server } = app;
    await expect.poll(() => readMeta(page, 'deviceToken'), { timeout: 30_000 }).toEqual(expect.any(String));
    await expect.poll(() => readMeta(page, 'lastSyncAt'), { timeout: 30_000 }).toEqual(expect.any(String));
    const now = Date.now();
    const history = [...oatHistory(server.server.storeId, now), ...teaHistory(server.server.storeId, now)];
    await server.server.storage.appendEvents(
      history.map((event) => eventRowOf(event, JSON.stringify(event))),
      new Date(now).toISOString(),
    );
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await readLedger(page)).filter((e) => e.kind === 'sale').length, { timeout: 30_000 }).toBe(60);

    // From Today's stock alerts, the owner's link to Reorder.
    await page.goto(`${server.url}/#/today`);
    await scrollThroughToday(page);
    await page.getByTestId('reorder-link').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/reorder');
    const dairy = page.locator('li.reorder-supplier[data-supplier="Dairy Co"]');
    await dairy.waitFor({ timeout: 30_000 });
    const line = dairy.locator(`tr[data-product-id="${OAT}"]`);
    expect(await line.count()).toBe(1);
    expect(await dairy.getByTestId('lead-time').textContent()).toContain('7 days, the store’s default');

    // Transfers first: the floor's surplus tea covers the back room, so none is bought.
    const tea = page.locator(`.reorder-transfers li[data-product-id="${TEA}"]`);
    expect(await tea.textContent()).toContain('Shop floor → Back room');
    expect(await page.locator(`li.reorder-supplier tr[data-product-id="${TEA}"]`).count()).toBe(0);

    // The owner knows Dairy Co takes 10 days to deliver.
    expect(await line.getByTestId('on-hand-on-order').textContent()).toBe('10 / 0');
    await dairy.getByText('Change the lead time').click();
    await dairy.getByLabel('Lead time in days').fill('10');
    await dairy.getByRole('button', { name: 'Set' }).click();
    await expect.poll(() => dairy.getByTestId('lead-time').textContent()).toContain('10 days, set by you');

    // The suggestion is a whole number of packs of 6; one pack more is ordered.
    const qtyInput = dairy.getByLabel('Quantity of Oat drink 1 l to order');
    const suggested = Number(await qtyInput.inputValue());
    expect(suggested).toBeGreaterThan(0);
    expect(suggested % 6).toBe(0);
    const ordered = suggested + 6;
    await qtyInput.fill(String(ordered));
    await expect.poll(() => line.getByTestId('line-value').textContent()).toBe(eur(ordered * UNIT_COST));
    expect(await dairy.getByTestId('supplier-total').textContent()).toBe(eur(ordered * UNIT_COST));

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/reorder-phone.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/reorder-phone-view.png` });
    expect(await seriousViolations(page)).toEqual([]);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await page.setViewportSize(TABLET);
    await page.screenshot({ path: `${SHOTS}/reorder-tablet.png`, fullPage: true });
    expect(await noHorizontalOverflow(page)).toBe(true);
    await page.setViewportSize(PHONE);

    const asOf = (await page.locator('section.reorder').getAttribute('data-as-of')) ?? '';
    await dairy.getByRole('button', { name: 'Create purchase order' }).click();
    await expect.poll(() => page.getByTestId('order-notice').textContent().catch(() => '')).toContain('Purchase order for Dairy Co created with 1 line');
    const order = (await readLedger<LedgerEvent>(page)).find((e) => e.kind === 'purchase-order-created');
    expect(order).toMatchObject({ supplier: 'Dairy Co', expectedAt: addDays(asOf, 10), lines: [{ productId: OAT, qty: ordered, unitCost: UNIT_COST }] });

    // The open order covers the need: the oat drink leaves the suggestions.
    await expect.poll(() => page.locator(`li.reorder-supplier tr[data-product-id="${OAT}"]`).count(), { timeout: 30_000 }).toBe(0);

    // The tea is sent; once on its way it covers the back room and leaves the transfers.
    await tea.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByTestId('transfer-notice').textContent().catch(() => '')).toContain('Green tea 20 bags to Back room');
    const sent = (await readLedger<LedgerEvent>(page)).find((e) => e.kind === 'transfer-out');
    expect(sent).toMatchObject({ locationId: FLOOR, toLocationId: BACK, lines: [{ productId: TEA }] });
    await expect.poll(() => tea.count()).toBe(0);

    // Its forecast: 7 days of expected sales, its class and method in words, levels computed.
    await page.getByLabel('Find a product to see its forecast').fill('Oat');
    await page.getByTestId('planned-products').locator(`li[data-product-id="${OAT}"] button`).click();
    const detail = page.getByTestId('series-detail');
    expect(await detail.getByTestId('forecast-days').locator('tr').count()).toBe(7);
    expect(await detail.getByTestId('detail-on-order').textContent()).toBe(String(ordered));
    expect(await detail.getByTestId('detail-lead-time').textContent()).toContain('10 days, set by you');
    expect(await detail.getByTestId('detail-class').textContent()).toContain('Smooth');
    const point = detail.getByTestId('level-reorderPoint');
    expect(await point.getByTestId('level-source').textContent()).toBe('computed');
    // Pinned by hand, then handed back to the forecast.
    await point.getByRole('button', { name: 'Pin a level' }).click();
    await point.getByLabel('Reorder point of Oat drink 1 l in pieces').fill('40');
    await point.getByRole('button', { name: 'Pin', exact: true }).click();
    await expect.poll(() => point.getByTestId('level-source').textContent()).toBe('pinned by you');
    expect(await point.getByTestId('level-value').textContent()).toBe('40');
    await point.getByRole('button', { name: 'Unpin: compute it' }).click();
    await expect.poll(() => point.getByTestId('level-source').textContent()).toBe('computed');
    expect(await seriousViolations(page)).toEqual([]);

    // Look up leads to the same forecast: the product's link opens its detail straight away.
    await page.goto(`${server.url}/#/lookup`);
    await page.getByLabel('Search or scan').fill('Oat drink');
    await page.getByRole('button', { name: 'Oat drink 1 l €1.89' }).click(); // the demo store sells another oat drink
    await page.getByTestId('lookup-forecast').click();
    await expect.poll(() => page.getByTestId('series-detail').getByTestId('detail-class').textContent().catch(() => '')).toContain('Smooth');
    await page.getByRole('button', { name: '← Back to the suggestions' }).click();
    await page.getByLabel('Find a product to see its forecast').fill('Oat');
    await page.getByTestId('planned-products').locator(`li[data-product-id="${OAT}"] button`).click();
    await page.screenshot({ path: `${SHOTS}/reorder-detail-phone.png`, fullPage: true });
    await page.setViewportSize(TABLET);
    await page.screenshot({ path: `${SHOTS}/reorder-detail-tablet.png`, fullPage: true });
    expect(await noHorizontalOverflow(page)).toBe(true);
    await page.setViewportSize(PHONE);

    // A product that never sold here: said plainly.
    await detail.getByRole('button', { name: '← Back to the suggestions' }).click();
    await page.getByLabel('Find a product to see its forecast').fill('Sourdough');
    await page.getByTestId('planned-products').locator(`li[data-product-id="${sourdough.id}"][data-location-id="${FLOOR}"] button`).click();
    expect(await page.getByTestId('no-forecast').textContent()).toContain('No sales history here yet: no forecast');
    // Levels pinned by hand still plan it: 12 on hand, below 20, so 30 − 12 = 18 to buy, from no supplier yet.
    const loafPoint = page.getByTestId('level-reorderPoint');
    expect(await loafPoint.getByTestId('level-source').textContent()).toBe('no forecast to compute it');
    await loafPoint.getByRole('button', { name: 'Pin a level' }).click();
    await loafPoint.getByLabel(`Reorder point of ${sourdough.name} in pieces`).fill('20');
    await loafPoint.getByRole('button', { name: 'Pin', exact: true }).click();
    await expect.poll(() => loafPoint.getByTestId('level-source').textContent()).toBe('pinned by you');
    const loafUpTo = page.getByTestId('level-orderUpTo');
    await loafUpTo.getByRole('button', { name: 'Pin a level' }).click();
    await loafUpTo.getByLabel(`Order up to of ${sourdough.name} in pieces`).fill('30');
    await loafUpTo.getByRole('button', { name: 'Pin', exact: true }).click();
    await expect.poll(() => loafUpTo.getByTestId('level-source').textContent()).toBe('pinned by you');
    expect(await loafPoint.getByTestId('level-value').textContent()).toBe('20');
    await page.getByRole('button', { name: '← Back to the suggestions' }).click();
    const none = page.locator('li.reorder-supplier[data-supplier=""]');
    expect(await none.locator('h3').textContent()).toBe('No supplier set');
    expect(await none.getByLabel(`Quantity of ${sourdough.name} to order`).inputValue()).toBe('18');
    // An order needs a supplier: refused in words until one is typed.
    await none.getByRole('button', { name: 'Create purchase order' }).click();
    await expect.poll(() => none.getByRole('alert').textContent().catch(() => '')).toContain('Enter the supplier.');
    await none.getByLabel('Supplier for this order').fill('Bakery Ltd');
    await none.getByRole('button', { name: 'Create purchase order' }).click();
    await expect.poll(() => page.getByTestId('order-notice').textContent().catch(() => '')).toContain('Purchase order for Bakery Ltd created with 1 line');
    await expect.poll(() => none.count()).toBe(0);

    // An order for the back room, placed from this shop-floor phone, is recorded for the back room:
    // the tea's reorder point there pinned far above what the floor's surplus can cover.
    await page.getByLabel('Find a product to see its forecast').fill('Green tea');
    await page.getByTestId('planned-products').locator(`li[data-product-id="${TEA}"][data-location-id="${BACK}"] button`).click();
    const backPoint = page.getByTestId('level-reorderPoint');
    await backPoint.getByRole('button', { name: 'Pin a level' }).click();
    await backPoint.getByLabel('Reorder point of Green tea 20 bags in pieces').fill('500');
    await backPoint.getByRole('button', { name: 'Pin', exact: true }).click();
    await expect.poll(() => backPoint.getByTestId('level-source').textContent()).toBe('pinned by you');
    await page.getByRole('button', { name: '← Back to the suggestions' }).click();
    const back = page.locator(`li.reorder-supplier[data-supplier="Tea House"] section[data-location-id="${BACK}"]`);
    await back.waitFor();
    expect(await back.locator('h4').textContent()).toBe('For Back room');
    await back.getByRole('button', { name: 'Create purchase order' }).click();
    await expect.poll(() => page.getByTestId('order-notice').textContent().catch(() => '')).toContain('for Back room');
    const backOrder = (await readLedger<LedgerEvent>(page)).find((e) => e.kind === 'purchase-order-created' && e.supplier === 'Tea House');
    expect(backOrder).toMatchObject({ locationId: BACK, lines: [{ productId: TEA }] });
    await expect.poll(() => back.count()).toBe(0);

    // The Receive screen lists the order with that quantity.
    await page.goto(`${server.url}/#/receive`);
    const row = page.locator('li.ops-order', { hasText: 'Dairy Co' });
    await row.waitFor();
    expect(await row.getByTestId('order-status').textContent()).toBe('Open');
    expect(await row.locator('tbody td').first().textContent()).toBe(String(ordered));

    // A staff device is told whose screen this is.
    await becomeStaff(page, 'staff-token-for-the-test');
    await page.goto(`${server.url}/#/reorder`);
    await page.reload();
    expect(await page.getByTestId('reorder-staff').textContent()).toContain('owner’s screen');
  });
});

describe('the first screen’s JS', () => {
  it('holds neither the Reorder screen, its worker nor comlink (loaded when Reorder first opens)', () => {
    const dist = path.resolve(import.meta.dirname, '../../dist');
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    const eager = [
      ...[...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? ''),
      ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1] ?? ''),
    ];
    expect(eager.length).toBeGreaterThan(0);
    for (const file of eager) {
      const text = readFileSync(path.join(dist, file.replace(/^\//, '')), 'utf8');
      expect(text, file).not.toContain('replenish.worker');
      expect(text, file).not.toContain('Comlink.proxy');
      expect(text, file).not.toContain('Working out forecasts');
    }
  });
});
