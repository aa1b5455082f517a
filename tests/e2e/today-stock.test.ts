/**
 * The Today screen's stock health (issue 15, item 1), at phone and tablet size, on a fresh device
 * with the demo store: a sale at the till, a count approved on the Count screen and a damage
 * adjustment recorded by another device (pulled by sync), then the figures on #/today checked against
 * numbers worked out by hand from the demo store (src/domain/demo-store.ts), a tap through to a list,
 * axe, the page width, and a staff device that sees quantities but no value at cost.
 */
import path from 'node:path';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import { DEMO_PRODUCTS, demoSeedEvents } from '../../src/domain/demo-catalog.ts';
import { EVENT_SCHEMA_VERSION, type LedgerEvent } from '../../src/domain/events.ts';
import { encodeHlc } from '../../src/domain/hlc.ts';
import { roundHalfAwayFromZero } from '../../src/domain/money.ts';
import { eventRowOf } from '../../src/server/storage/store.ts';
import { testUuidV7 } from '../domain/support/event-factory.ts';
import { appPerTest } from './app-per-test.ts';
import { FLOOR, PHONE, TABLET, demoProduct, eur, payExactCash, wedgeScan, becomeStaff, readMeta, scrollThroughToday } from './harness.ts';

const BACK = DEMO_LOCATIONS[1].id;
const milk = demoProduct('Whole milk 1 l'); // floor 48 at 0.71
const sourdough = demoProduct('Sourdough loaf 800 g'); // floor 12 at 1.70, none in the back room
const croissant = demoProduct('Butter croissant'); // floor 30 at 0.35, none in the back room
const code = (p: { barcodes: string[] }) => p.barcodes[0] ?? '';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Screenshots to look at after a run, in the repository's ignored .tmp folder. */
const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/shots');

/** The demo store's opening lines: value at cost per location, and how many product × location lines. */
function demoOpenings(): { value: Map<string, number>; lines: number } {
  const value = new Map<string, number>();
  let lines = 0;
  for (const event of demoSeedEvents()) {
    if (event.kind !== 'opening-balance') continue;
    for (const line of event.lines) {
      value.set(event.locationId, (value.get(event.locationId) ?? 0) + roundHalfAwayFromZero(line.qty * line.unitCost));
      lines++;
    }
  }
  return { value, lines };
}

async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated, not an inline <script>: the server's Content-Security-Policy refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    interface Violation {
      id: string;
      impact: string | null;
      nodes: { target: string[] }[];
    }
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const noHorizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);


/** Makes this device a staff device, as pairing with a staff code would have (meta 'deviceRole'). */

describe.each([
  ['phone', PHONE],
  ['tablet', TABLET],
])('stock health on the Today screen at %s size', (sizeName, viewport) => {
  const app = appPerTest({ viewport, path: '/#/sell' });
  let page: Page;
  beforeEach(() => {
    page = app.page;
  });

  it('shows value per location, out of stock, slow movers, ABC and today’s shrinkage as worked out by hand; each taps through; staff sees no value', async () => {
    const server = app.server;
    // Paired with the demo server and synced once, so "Sync now" can later pull the back office's event.
    await expect.poll(() => readMeta(page, 'deviceToken'), { timeout: 30_000 }).toEqual(expect.any(String));
    await expect.poll(() => readMeta(page, 'lastSyncAt'), { timeout: 30_000 }).toEqual(expect.any(String));

    // 1. The till sells 2 milk: floor 48 → 46, cost 2 × 0.71 = 1.42 out.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await wedgeScan(page, code(milk));
    await wedgeScan(page, code(milk));
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(2 * milk.price));
    await payExactCash(page);

    // 2. A count of the sourdough: 10 on the shelf of 12 expected, −2 at 1.70 = −3.40.
    await page.goto(`${server.url}/#/count`);
    await page.getByLabel('Name of the count').fill('Bakery');
    await page.getByRole('button', { name: 'Start count' }).click();
    await page.getByRole('heading', { name: 'Counting: Bakery' }).waitFor();
    for (let i = 0; i < 10; i++) await wedgeScan(page, code(sourdough));
    await expect.poll(() => page.locator(`.count-table tr[data-product-id="${sourdough.id}"] [data-testid="counted"]`).textContent()).toBe('10');
    await page.getByRole('button', { name: '← All counts' }).click();
    await page.getByRole('button', { name: 'Review Bakery' }).click();
    await page.getByRole('button', { name: 'Approve count' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve 1 product' }).click();
    await expect.poll(() => page.locator('.review').getAttribute('data-status')).toBe('approved');

    // 3. The back office's device writes off all 30 croissants as damaged: −30 × 0.35 = −10.50, and
    //    the floor is out of croissants. It reaches this device by sync.
    const now = Date.now();
    const damage = {
      id: testUuidV7(now),
      schema: EVENT_SCHEMA_VERSION,
      storeId: server.server.storeId,
      locationId: FLOOR,
      deviceId: 'back-office',
      seq: 1,
      hlc: encodeHlc({ wallMs: now, counter: 0, deviceId: 'back-office' }),
      recordedAt: new Date(now).toISOString(),
      userId: 'owner',
      currency: 'EUR',
      kind: 'stock-adjusted',
      reason: 'damage',
      lines: [{ productId: croissant.id, qty: -30 }],
    } as LedgerEvent;
    await server.server.storage.appendEvents([eventRowOf(damage, JSON.stringify(damage))], new Date(now).toISOString());
    await page.getByRole('button', { name: 'Sync now' }).click();

    await page.goto(`${server.url}/#/today`);
    await scrollThroughToday(page);
    const health = page.locator('.stock-health');
    await expect.poll(() => health.getByTestId('health-out-of-stock').locator('.tile-figure').textContent(), { timeout: 30_000 }).toBe('1');

    // Value at cost: the demo openings, less 1.42 (milk) + 3.40 (count) + 10.50 (croissants) = 15.32 on the floor.
    const openings = demoOpenings();
    const floorValue = (openings.value.get(FLOOR) ?? 0) - 142 - 340 - 1050;
    const backValue = openings.value.get(BACK) ?? 0;
    expect(await health.getByTestId(`health-value-${FLOOR}`).locator('.tile-figure').textContent()).toBe(eur(floorValue));
    expect(await health.getByTestId(`health-value-${BACK}`).locator('.tile-figure').textContent()).toBe(eur(backValue));
    expect(await health.getByTestId('health-total-value').locator('.tile-figure').textContent()).toBe(eur(floorValue + backValue));

    // Nothing oversold. Slow movers: every opening line still on hand (sold under 20 % in 30 days; the
    // milk sold 2 of 48, 4 %), less the croissants, now at 0.
    expect(await health.getByTestId('health-oversold').locator('.tile-figure').textContent()).toBe('0');
    expect(await health.getByTestId('health-slow').locator('.tile-figure').textContent()).toBe(String(openings.lines - 1));
    // ABC: the milk is the only product with revenue, so A; every other product is C.
    expect(await health.getByTestId('health-abc-A').locator('.tile-figure').textContent()).toBe('1');
    expect(await health.getByTestId('health-abc-B').locator('.tile-figure').textContent()).toBe('0');
    expect(await health.getByTestId('health-abc-C').locator('.tile-figure').textContent()).toBe(String(DEMO_PRODUCTS.length - 1));

    // Shrinkage today: the count −3.40 (2 loaves), damage −10.50 (30 croissants), net −13.90.
    expect(await health.getByTestId('shrinkage-count').getByTestId('shrinkage-figure').textContent()).toBe(eur(-340));
    expect(await health.getByTestId('shrinkage-count').textContent()).toContain('-2 units');
    expect(await health.getByTestId('shrinkage-damage').getByTestId('shrinkage-figure').textContent()).toBe(eur(-1050));
    expect(await health.getByTestId('shrinkage-total').locator('.tile-figure').textContent()).toBe(eur(-1390));
    // This month holds today: the same, and nothing from before (the demo store only has opening stock).
    await health.getByRole('button', { name: 'This month' }).click();
    await expect.poll(() => health.getByRole('button', { name: 'This month' }).getAttribute('aria-pressed')).toBe('true');
    expect(await health.getByTestId('shrinkage-total').locator('.tile-figure').textContent()).toBe(eur(-1390));
    await health.getByRole('button', { name: 'Today' }).click();

    // Tap through: out of stock lists the croissants on the floor.
    await health.getByTestId('health-out-of-stock').click();
    const list = health.getByTestId('health-list');
    expect(await list.locator('h3').textContent()).toBe('Out of stock (1)');
    const croissantRow = list.locator(`li[data-product-id="${croissant.id}"][data-location-id="${FLOOR}"]`);
    expect(await croissantRow.locator('.row-title').textContent()).toContain(croissant.name);
    expect(await croissantRow.getByTestId('on-hand').textContent()).toBe('0');
    expect(await croissantRow.getByTestId('cover').textContent()).toBe('0 days');
    expect(await croissantRow.getByTestId('value').textContent()).toBe(eur(0));

    // Class A: the milk (a row per location). On the floor 46 on hand; 2 sold in 28 days: cover 46 ÷ (2/28) = 644 days, sell-through 2 ÷ 48 = 4 %.
    await health.getByTestId('health-abc-A').click();
    expect(await list.locator('h3').textContent()).toBe('Class A: 1 product');
    const milkRow = list.locator(`li[data-product-id="${milk.id}"][data-location-id="${FLOOR}"]`);
    expect(await milkRow.getByTestId('on-hand').textContent()).toBe('46');
    expect(await milkRow.getByTestId('cover').textContent()).toBe('644 days');
    expect(await milkRow.getByTestId('sell-through').textContent()).toBe('4 %');
    expect(await milkRow.getByTestId('class').textContent()).toBe('A');
    expect(await milkRow.getByTestId('value').textContent()).toBe(eur(46 * 71));

    // The damage, as a list of its lines.
    await health.getByTestId('shrinkage-damage').click();
    expect(await list.locator('h3').textContent()).toBe('Damaged, today (1)');
    expect(await list.locator(`li[data-product-id="${croissant.id}"]`).getByTestId('qty').textContent()).toBe('-30');

    expect(await seriousViolations(page)).toEqual([]);
    expect(await noHorizontalOverflow(page)).toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/today-stock-${sizeName}.png`, fullPage: true });

    // A staff device: the same counts and quantities, no value at cost anywhere.
    await becomeStaff(page);
    await page.reload();
    await scrollThroughToday(page);
    await expect.poll(() => health.getByTestId('health-out-of-stock').locator('.tile-figure').textContent(), { timeout: 30_000 }).toBe('1');
    expect(await health.locator('[data-testid^="health-value-"]').count()).toBe(0);
    expect(await health.getByTestId('health-total-value').count()).toBe(0);
    expect(await health.getByTestId('shrinkage-total').count()).toBe(0);
    expect(await health.getByTestId('shrinkage-damage').getByTestId('shrinkage-figure').textContent()).toBe('-30');
    await health.getByTestId('health-abc-A').click();
    expect(await list.locator(`li[data-product-id="${milk.id}"][data-location-id="${FLOOR}"]`).getByTestId('on-hand').textContent()).toBe('46');
    expect(await list.getByTestId('value').count()).toBe(0);
    expect(await health.textContent()).not.toContain('€');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/today-stock-${sizeName}-staff.png`, fullPage: true });
  });
});
