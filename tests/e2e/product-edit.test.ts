/**
 * Editing a product on the owner's device (issue 14, item 14), on the built app with the real
 * server: a new price is sold at on Sell at once, a cart opened before the change keeps the price it
 * was rung up at through payment, the change reaches a staff device when it syncs, and the form
 * works at phone size; the supplier, pack size and minimum order (issue 16) at phone size, axe clean.
 * Build first: `npx vite build`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_SEED_DEVICE } from '../../src/domain/demo-store.ts';
import { PHONE, TABLET, demoProduct, eur, openApp, payExactCash, readLedger, readStore, wedgeScan, pairDevice } from './harness.ts';
import { appPerTest, devicesPerTest } from './app-per-test.ts';

const milk = demoProduct('Whole milk 1 l');
const coffee = demoProduct('Ground coffee 250 g');
const gouda = demoProduct('Gouda, by weight');
const MILK = milk.barcodes[0] ?? '';
const SHOTS = resolve(import.meta.dirname, '../../.tmp/e2e-product-edit');

interface SaleEvent {
  id: string;
  kind: string;
  lines: { productId: string; unitPrice: number; gross: number }[];
  totals: { gross: number };
}

const productEditHash = (id: string) => `#/product?id=${encodeURIComponent(id)}`;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe violations on the page, as "rule at target". */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated, not an inline <script>: the server's Content-Security-Policy refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const tile = (page: Page, name: string) => page.locator('.product-tile', { hasText: name }).locator('.price');
const editForm = (page: Page) => page.locator('form.product-edit-form');

/** Look up → search by name → "Edit product": the owner's way to the form. */
async function openEditFromLookup(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Look up', exact: true }).click();
  await page.getByLabel('Search or scan').fill(name);
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('link', { name: 'Edit product' }).click();
  await editForm(page).waitFor();
}

describe('the owner edits a price on a tablet', () => {
  const app = appPerTest({ path: '/#/sell', viewport: TABLET });

  it('sells at the new price at once, while a cart opened before keeps its price through payment', async () => {
    const { page } = app;
    const newPrice = milk.price + 20;
    // A cart is open with milk at the old price.
    await wedgeScan(page, MILK);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
    expect(await page.getByTestId('cart-total').textContent()).toBe(eur(milk.price));

    await openEditFromLookup(page, milk.name);
    const price = page.getByLabel('Selling price', { exact: true });
    expect(await price.inputValue()).toBe((milk.price / 100).toFixed(2));
    await price.fill((newPrice / 100).toFixed(2));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('product-edit-notice').textContent()).toContain(`New price ${eur(newPrice)} (was ${eur(milk.price)})`);
    // One event of this device's (the demo seed has its own), with the price only: the form sends
    // nothing the owner did not change.
    const changed = (await readLedger<{ id: string; kind: string; deviceId: string; changes?: object }>(page)).filter((e) => e.kind === 'product-changed' && e.deviceId !== DEMO_SEED_DEVICE);
    expect(changed.map((e) => e.changes)).toEqual([{ price: newPrice }]);

    await page.getByRole('link', { name: 'Sell', exact: true }).click();
    await expect.poll(() => tile(page, milk.name).textContent()).toBe(eur(newPrice));
    // The open cart still holds the milk at the price it was rung up at…
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(milk.price));
    // …and milk scanned now is a line of its own at the new price.
    await wedgeScan(page, MILK);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(2);
    expect(await page.locator('.cart-line .line-total').allTextContents()).toEqual([eur(milk.price), eur(newPrice)]);
    expect(await page.getByTestId('cart-total').textContent()).toBe(eur(milk.price + newPrice));

    await payExactCash(page);
    const sales = (await readLedger<SaleEvent>(page)).filter((e) => e.kind === 'sale');
    expect(sales).toHaveLength(1);
    expect(sales[0]?.lines.map((l) => [l.productId, l.unitPrice])).toEqual([
      [milk.id, milk.price],
      [milk.id, newPrice],
    ]);
    expect(sales[0]?.totals.gross).toBe(milk.price + newPrice);
  });

  it('stops selling a product made inactive, and says so on Sell', async () => {
    const { page } = app;
    await openEditFromLookup(page, coffee.name);
    await page.getByLabel('Sold at the till').uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('product-edit-notice').textContent()).toBe(`Saved ${coffee.name}.`);
    await page.getByRole('link', { name: 'Sell', exact: true }).click();
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await expect.poll(() => page.getByTestId('sell-notice').textContent()).toBe(`${coffee.name} is no longer sold (inactive in the catalog).`);
    expect(await page.locator('.cart-line').count()).toBe(0);
  });

  it('puts a product under a new category chip and the Favourites chip (issue 14, item 15)', async () => {
    const { page } = app;
    await openEditFromLookup(page, coffee.name);
    await page.getByLabel('Category on the Sell screen (empty for none)').fill('  Breakfast ');
    await page.getByLabel(/A favourite/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('product-edit-notice').textContent()).toBe(`Saved ${coffee.name}.`);
    const changed = (await readLedger<{ id: string; kind: string; deviceId: string; changes?: object }>(page)).filter((e) => e.kind === 'product-changed' && e.deviceId !== DEMO_SEED_DEVICE);
    expect(changed.map((e) => e.changes)).toEqual([{ category: 'Breakfast', favourite: true }]);
    await page.getByRole('link', { name: 'Sell', exact: true }).click();
    const chips = page.getByRole('list', { name: 'Categories' });
    await chips.getByRole('button', { name: 'Breakfast', exact: true }).click();
    expect(await page.locator('.product-tile').allTextContents()).toEqual([`${coffee.name}${eur(coffee.price)}`]);
    await chips.getByRole('button', { name: 'Favourites', exact: true }).click();
    await expect.poll(() => page.locator('.product-tile', { hasText: coffee.name }).count()).toBe(1);
  });
});

describe('the edit form on a phone', () => {
  const app = appPerTest({ path: '/#/product', viewport: PHONE });

  it('finds a product by name, shows errors next to their fields, takes a cost per kg, and fits the screen', async () => {
    const { page } = app;
    mkdirSync(SHOTS, { recursive: true });
    await page.getByLabel('Which product? Search or scan').fill('gouda');
    await page.getByRole('button', { name: new RegExp(`^${gouda.name}`) }).click();
    await editForm(page).waitFor();
    // Weighed: price and cost per kg (the cost is stored per gram).
    expect(await page.getByLabel('Selling price per kg').inputValue()).toBe((gouda.price / 100).toFixed(2));
    expect(await page.getByLabel('Cost per kg').inputValue()).toBe('8.80');

    // A code another product carries is refused with that product's name, before anything is saved.
    await page.getByLabel('Add a barcode (type or scan it)').fill(MILK);
    await page.getByLabel('Add a barcode (type or scan it)').press('Enter');
    await expect.poll(() => page.locator('#product-edit-new-code-error').textContent()).toBe(`${MILK} is already the code of ${milk.name}.`);
    // Text that is not an amount, and an empty name: each sentence next to its field.
    await page.getByLabel('Name', { exact: true }).fill(' ');
    await page.getByLabel('Selling price per kg').fill('twelve');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('#product-edit-price-error').textContent()).toMatch(/^Price: /);
    expect(await page.locator('#product-edit-name-error').textContent()).toBe('Enter the product name.');
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-describedby')).toBe('product-edit-name-error');
    await page.screenshot({ path: join(SHOTS, 'phone-errors.png'), fullPage: true });
    // Nothing fits sideways only: no horizontal scrolling at 390 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const save = await page.getByRole('button', { name: 'Save changes' }).boundingBox();
    expect(save?.height).toBeGreaterThanOrEqual(48);
    expect((save?.x ?? -1) >= 0 && (save?.x ?? 0) + (save?.width ?? 0) <= PHONE.width).toBe(true);

    await page.getByLabel('Name', { exact: true }).fill(gouda.name);
    await page.getByLabel('Selling price per kg').fill((gouda.price / 100).toFixed(2));
    await page.getByLabel('Cost per kg').fill('9.20');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('product-edit-notice').textContent()).toBe(`Saved ${gouda.name}.`);
    const changed = (await readLedger<{ id: string; kind: string; deviceId: string; changes?: object }>(page)).filter((e) => e.kind === 'product-changed' && e.deviceId !== DEMO_SEED_DEVICE);
    expect(changed.map((e) => e.changes)).toEqual([{ cost: 0.92 }]);
    await page.screenshot({ path: join(SHOTS, 'phone-saved.png'), fullPage: true });
  });
});

describe('buying a product: supplier, pack size and minimum order (issue 16)', () => {
  const app = appPerTest({ path: '/#/receive', viewport: PHONE });

  it('offers the suppliers of purchase orders, takes a weighed product’s pack in kg, and refuses a bad one at its field', async () => {
    const { page } = app;
    // A purchase order names a supplier: the Supplier field offers it from then on.
    await page.getByRole('button', { name: 'New purchase order' }).click();
    await page.getByLabel('Supplier').fill('Dairy Co');
    await wedgeScan(page, MILK);
    await page.getByLabel(`Quantity of ${milk.name}`).fill('24');
    await page.getByRole('button', { name: 'Create purchase order' }).click();
    await expect.poll(() => page.getByTestId('order-status').first().textContent()).toBe('Open');

    await page.goto(`${app.server.url}/${productEditHash(gouda.id)}`);
    await editForm(page).waitFor();
    const supplier = page.getByLabel('Supplier', { exact: true });
    expect(await supplier.inputValue()).toBe('');
    expect(await page.locator('#product-edit-suppliers option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['Dairy Co']);
    // Gouda is sold by the kg: its pack and minimum order are typed in kg, as its price is.
    const pack = page.getByLabel('Pack size (kg)');
    const minimum = page.getByLabel('Minimum order (kg)');
    await supplier.fill('  Cheese Direct ');
    await pack.fill('2,5');
    await minimum.fill('half a wheel');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('#product-edit-min-order-error').textContent()).toBe('Minimum order: “half a wheel” is not a number of kilograms above 0 with up to 3 decimals.');
    expect(await minimum.getAttribute('aria-describedby')).toBe('product-edit-min-order-error');
    await minimum.fill('0');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // Read, but not a pack: the command's own sentence, in the product's unit.
    await expect.poll(() => page.locator('#product-edit-min-order-error').textContent()).toBe(
      'Minimum order: enter a number of kilograms above 0 with up to 3 decimals, the least the supplier sells of it.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    for (const field of [supplier, pack, minimum]) expect((await field.boundingBox())?.height).toBeGreaterThanOrEqual(44);

    await minimum.fill('10');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('product-edit-notice').textContent()).toBe(`Saved ${gouda.name}.`);
    const changed = (await readLedger<{ id: string; kind: string; deviceId: string; changes?: object }>(page)).filter((e) => e.kind === 'product-changed' && e.deviceId !== DEMO_SEED_DEVICE);
    // Stock units: 2.5 kg is 2,500 g; 10 kg is 10,000 g.
    expect(changed.map((e) => e.changes)).toEqual([{ supplier: 'Cheese Direct', packSize: 2500, minOrderQty: 10_000 }]);
    // The form, drawn afresh from the catalog, shows them in kg, and offers the new supplier too.
    expect(await page.getByLabel('Pack size (kg)').inputValue()).toBe('2.5');
    expect(await page.getByLabel('Minimum order (kg)').inputValue()).toBe('10');
    expect(await page.getByLabel('Supplier', { exact: true }).inputValue()).toBe('Cheese Direct');
    expect(await page.locator('#product-edit-suppliers option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['Cheese Direct', 'Dairy Co']);

    // Emptied, the pack is back to none: one stock unit, as a product that never had one.
    await page.getByLabel('Pack size (kg)').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const ownChanges = async () => (await readLedger<{ id: string; kind: string; deviceId: string; changes?: object }>(page)).filter((e) => e.kind === 'product-changed' && e.deviceId !== DEMO_SEED_DEVICE).map((e) => e.changes);
    await expect.poll(ownChanges).toEqual([{ supplier: 'Cheese Direct', packSize: 2500, minOrderQty: 10_000 }, { packSize: 1 }]);
  });
});

describe('a price change reaches a staff device', () => {
  const devices = devicesPerTest();

  async function meta(page: Page, key: string): Promise<unknown> {
    return (await readStore<{ key: string; value: unknown }>(page, 'meta')).find((row) => row.key === key)?.value;
  }


  it('after sync, the staff till shows and sells the owner’s new price, and offers no editing', async () => {
    const server = await devices.server({ demo: false });
    const TEA = '4006381333931';

    // The owner's device pairs with the setup code and creates a product for an unknown code.
    const owner = await openApp(await devices.device(TABLET), server.url, '/#/settings');
    await pairDevice(owner, server.server.setupCode ?? '');
    await owner.getByRole('link', { name: 'Look up', exact: true }).click();
    await wedgeScan(owner, TEA);
    await owner.getByRole('button', { name: `Create a product for ${TEA}` }).click();
    await owner.getByLabel('Name', { exact: true }).fill('Green tea');
    await owner.getByLabel('Selling price', { exact: true }).fill('2.49');
    await owner.getByLabel('Unit cost').fill('1.20');
    await owner.getByRole('button', { name: 'Create product' }).click();
    await owner.getByTestId('lookup-product').waitFor();
    await owner.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => owner.getByTestId('pending-count').textContent(), { timeout: 30_000 }).toBe('All synced');

    // A staff till pairs with a code the owner made, and gets the product when it syncs.
    await owner.getByRole('link', { name: 'More', exact: true }).click();
    await owner.getByRole('link', { name: /^Settings/ }).click();
    await owner.getByRole('button', { name: 'Create pairing code' }).click();
    const code = (await owner.getByTestId('pairing-code').textContent()) ?? '';
    const till = await openApp(await devices.device(TABLET), server.url, '/#/settings');
    await pairDevice(till, code, 'Till 2');
    await expect.poll(() => meta(till, 'deviceRole')).toBe('staff');
    await till.reload();
    await till.waitForSelector('.app');
    const syncUntil = async (check: () => Promise<string | null>, expected: string) => {
      await expect
        .poll(
          async () => {
            if ((await check()) !== expected) await till.getByRole('button', { name: 'Sync now' }).click();
            return check();
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBe(expected);
    };
    await till.getByRole('link', { name: 'Sell', exact: true }).click();
    await syncUntil(() => tile(till, 'Green tea').textContent({ timeout: 1000 }).catch(() => null), eur(249));

    // Staff devices see no way to edit: no link in Look up, and the screen says whose it is.
    await till.getByRole('link', { name: 'Look up', exact: true }).click();
    await till.getByLabel('Search or scan').fill('Green tea');
    await till.getByRole('button', { name: /^Green tea/ }).click();
    await till.getByTestId('lookup-product').waitFor();
    expect(await till.getByRole('link', { name: 'Edit product' }).count()).toBe(0);
    await till.goto(`${server.url}/#/product`);
    await till.getByTestId('product-edit-owner-only').waitFor();
    expect(await till.locator('form.product-edit-form').count()).toBe(0);

    // The owner changes the price; the till sells at it once it has synced.
    await openEditFromLookup(owner, 'Green tea');
    await owner.getByLabel('Selling price', { exact: true }).fill('2.79');
    await owner.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => owner.getByTestId('product-edit-notice').textContent()).toContain(`New price ${eur(279)}`);
    await owner.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => owner.getByTestId('pending-count').textContent(), { timeout: 30_000 }).toBe('All synced');

    await till.getByRole('link', { name: 'Sell', exact: true }).click();
    await syncUntil(() => tile(till, 'Green tea').textContent({ timeout: 1000 }).catch(() => null), eur(279));
    await wedgeScan(till, TEA);
    await expect.poll(() => till.getByTestId('cart-total').textContent()).toBe(eur(279));
  });
});
