/**
 * Issue 14 item 15 at the till (tablet, 1280×800): categories and favourites on the Sell grid ring
 * up an item without a barcode in two taps, and percentage discounts reach payment and the receipt.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { appPerTest } from './app-per-test.ts';
import { AppServer, PHONE, demoProduct, eur, readStore, wedgeScan } from './harness.ts';

const app = appPerTest();
let server: AppServer;
let page: Page;
beforeEach(async () => {
  ({ server, page } = app);
});

const csv = (text: string) => ({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
const chip = (name: string) => page.getByRole('list', { name: 'Categories' }).getByRole('button', { name, exact: true });
const tile = (name: string) => page.locator('.product-tile').filter({ hasText: name });
/** The cart's rule for a percentage: rounded once to whole cents, half away from zero. */
const percentOf = (base: number, bp: number) => Math.floor((base * bp * 2 + 10_000) / 20_000);

describe('the Sell grid’s categories and favourites', () => {
  it('rings up a product without a barcode in two taps: its category’s chip, then its tile', async () => {
    // The owner's list: a paper bag has no barcode and belongs to a category of its own.
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('Product list (CSV)').setInputFiles(csv('name,sku,price,tax,category,favourite\nPaper bag,BAG,0.10,19,Sundries,no\nGift wrap,WRAP,1.50,19,Sundries,yes\n'));
    await expect.poll(() => page.getByTestId('import-result').textContent()).toContain('Imported 2 products');
    await page.goto(`${server.url}/#/sell`);

    // The chips: Favourites first (pressed, as the owner marked some), then the categories by name.
    await expect.poll(() => page.getByRole('list', { name: 'Categories' }).getByRole('button').allTextContents()).toEqual([
      'Favourites', 'Bakery', 'Dairy', 'Drinks', 'Flowers', 'Fruit & veg', 'Household', 'Snacks', 'Sundries',
    ]);
    expect(await chip('Favourites').getAttribute('aria-pressed')).toBe('true');
    expect(await tile('Butter croissant').count()).toBe(1);
    expect(await tile('Gift wrap').count()).toBe(1);
    expect(await tile('Paper bag').count()).toBe(0);

    await chip('Sundries').click();
    await tile('Paper bag').click();
    await expect.poll(() => page.locator('.cart-line .name').allTextContents()).toEqual(['Paper bag']);
    expect(await page.getByTestId('cart-total').textContent()).toBe(eur(10));
    // Only that category's products are tiles now, and tapping the chip again shows the usual grid.
    expect(await page.locator('.product-tile .name').allTextContents()).toEqual(['Gift wrap', 'Paper bag']);
    await chip('Sundries').click();
    expect(await chip('Sundries').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('.product-tile').count()).toBe(24);

    // A search replaces the chips while it is typed.
    await page.locator('#product-search').fill('paper');
    await expect.poll(() => page.getByRole('list', { name: 'Categories' }).count()).toBe(0);
    await page.locator('#product-search').fill('');

    // The phone: the chips stay one swipeable row above the tiles.
    await page.setViewportSize(PHONE);
    await chip('Bakery').click();
    await expect.poll(() => page.locator('.product-tile .name').allTextContents()).toEqual(['Butter croissant', 'Sourdough loaf 800 g', 'Wholemeal toast bread']);
    const row = await page.getByRole('list', { name: 'Categories' }).boundingBox();
    expect(row?.height).toBeLessThan(80);
    // The row scrolls inside its panel rather than widening the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });

  it('a 10 % line discount and a 5 % cart discount give the right total through payment and on the receipt', async () => {
    const coffee = demoProduct('Ground coffee 250 g');
    const milk = demoProduct('Whole milk 1 l');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(2 * coffee.price + milk.price));

    // Typed, then switched to percent: "10" is read again as 10 %.
    const lineDiscount = page.getByLabel(`Discount on ${coffee.name}`);
    await lineDiscount.fill('10');
    await page.getByRole('button', { name: `Percent off ${coffee.name}` }).click();
    // Percent first, then typed.
    await page.getByRole('button', { name: 'Percent off the whole cart' }).click();
    const cartDiscount = page.getByLabel('Cart discount');
    await cartDiscount.fill('5');
    await cartDiscount.press('Enter');
    const total = (qty: number) => {
      const lineOff = percentOf(qty * coffee.price, 1000);
      const afterLines = qty * coffee.price - lineOff + milk.price;
      return { lineOff, cartOff: percentOf(afterLines, 500), gross: afterLines - percentOf(afterLines, 500) };
    };
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(total(2).gross));

    // A third coffee: the line's 10 % stays 10 %, the cart's 5 % follows.
    await page.getByRole('button', { name: `One more ${coffee.name}` }).click();
    const expected = total(3);
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(expected.gross));
    expect(await page.getByRole('button', { name: `Percent off ${coffee.name}` }).getAttribute('aria-pressed')).toBe('true');

    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => page.getByTestId('receipt-total').textContent()).toBe(eur(expected.gross));
    const receipt = await page.getByRole('dialog').textContent();
    const coffeeShare = (await readStore<LedgerEvent>(page, 'events')).flatMap((e) => (e.kind === 'sale' ? e.lines : [])).find((l) => l.productId === coffee.id);
    expect(receipt).toContain(`discount −${eur(expected.lineOff + (coffeeShare?.cartDiscountShare ?? NaN))}`);

    const [sale] = (await readStore<LedgerEvent>(page, 'events')).filter((e) => e.kind === 'sale');
    if (sale?.kind !== 'sale') throw new Error('no sale recorded');
    expect(sale.totals).toMatchObject({ gross: expected.gross, discount: expected.lineOff + expected.cartOff });
    expect(sale.lines.map((l) => l.lineDiscount)).toEqual([expected.lineOff, 0]);
    expect(sale.lines.reduce((s, l) => s + l.cartDiscountShare, 0)).toBe(expected.cartOff);
    expect(sale.tenders).toEqual([{ method: 'cash', amount: expected.gross }]);

    // The next sale starts with empty amount fields, not a leftover percentage.
    await page.getByRole('button', { name: 'New sale' }).click();
    expect(await page.getByRole('button', { name: 'Percent off the whole cart' }).getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByLabel('Cart discount').inputValue()).toBe('');
  });
});
