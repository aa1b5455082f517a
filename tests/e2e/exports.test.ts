/**
 * Issue 15, items 3 and 4 on a phone (390×844): the owner's Exports screen makes every file on the
 * device. A sale, then the sales-by-day and Xero journal downloads (the browser's download event)
 * parsed back and compared with the screen; an empty range's message and headers-only file; stock
 * at a date on screen and as CSV; a Shopify-layout product file imported; axe clean at both sizes.
 */
import path from 'node:path';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parseCsv, parseMinorUnits } from '../../src/domain/exports/index.ts';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import { appPerTest } from './app-per-test.ts';
import { AppServer, PHONE, TABLET, demoProduct, eur, payExactCash, wedgeScan } from './harness.ts';

const app = appPerTest({ path: '/#/sell', viewport: PHONE });
let server: AppServer;
let page: Page;
beforeEach(async () => {
  ({ server, page } = app);
});

/** Screenshots to look at after a run, in the repository's ignored .tmp folder. */
const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/shots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const money = (text: string | undefined) => parseMinorUnits(text ?? '', 'EUR') ?? Number.NaN;

async function seriousViolations(): Promise<string[]> {
  // Evaluated, not an inline <script>: the server's Content-Security-Policy refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Clicks a download button and returns the file's name and rows (header first). */
async function downloaded(testId: string): Promise<{ name: string; rows: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const text = readFileSync(await download.path(), 'utf8');
  return { name: download.suggestedFilename(), rows: parseCsv(text).map((r) => r.fields) };
}

describe('exports on the owner’s phone', () => {
  it('downloads files made on the device that match the screen, and says when a range is empty', async () => {
    const milk = demoProduct('Whole milk 1 l');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await payExactCash(page);
    // Offline from here: everything below is made from the device's own books.
    await server.stop();
    await page.goto(`${server.url}/#/exports`).catch(() => page.evaluate(() => (location.hash = '#/exports')));
    await page.getByTestId('range-figures').waitFor();
    expect(await page.getByTestId('range-sales').textContent()).toBe('1');
    const netSales = await page.getByTestId('range-net-sales').textContent();
    expect(netSales).toBe(eur(2 * milk.price));

    const byDay = await downloaded('download-sales-by-day');
    expect(byDay.name).toMatch(/^sales-by-day-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(byDay.rows[0]?.[6]).toBe('Net Sales');
    expect(eur(byDay.rows.slice(1).reduce((s, r) => s + money(r[6]), 0))).toBe(netSales);

    const xero = await downloaded('download-journal-xero');
    expect(xero.rows[0]).toEqual(['*Narration', '*Date', 'Description', '*AccountCode', '*TaxRate', '*Amount']);
    const amounts = xero.rows.slice(1).map((r) => money(r[5]));
    expect(amounts.reduce((s, a) => s + a, 0)).toBe(0);
    expect(eur(amounts.filter((a) => a > 0).reduce((s, a) => s + a, 0))).toBe(await page.getByTestId('range-debits').textContent());

    // Stock as at now: the table's total equals the downloaded file's values.
    const stock = await downloaded('download-stock-valuation');
    expect(stock.rows[0]).toEqual(['Product', 'SKU', 'Location', 'Quantity', 'Unit', 'Unit Cost', 'Value']);
    const stockValue = stock.rows.slice(1).reduce((s, r) => s + money(r[6]), 0);
    expect(await page.getByTestId('stock-at-date-total').textContent()).toContain(eur(stockValue));
    expect(stockValue).toBeGreaterThan(0);

    mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/exports-390x844.png` });
    expect(await seriousViolations()).toEqual([]);

    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-31');
    await expect.poll(() => page.getByTestId('exports-empty').textContent()).toBe('No entries between 2020-01-01 and 2020-01-31: the files will have their headers only.');
    const empty = await downloaded('download-trial-balance');
    expect(empty.rows).toEqual([['Account Code', 'Account Name', 'Opening Balance', 'Debits', 'Credits', 'Closing Balance']]);
    // Stock before the sale (the demo store's opening stock is stamped at the start of HLC time, so
    // 2020 is after it): the milk on the shop floor is 2 more than now.
    const milkOnFloor = () => page.locator('.stock-at-date-table tr', { hasText: milk.name }).filter({ hasText: DEMO_LOCATIONS[0].name }).locator('td').nth(2).textContent();
    const now = Number(await milkOnFloor());
    await page.getByLabel('As at (store time)').fill('2020-01-01T00:00');
    await expect.poll(async () => Number(await milkOnFloor())).toBe(now + 2);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/exports-empty-390x844.png` });

    await page.setViewportSize(TABLET);
    await page.getByLabel('From', { exact: true }).fill(new Date().toISOString().slice(0, 8) + '01');
    await page.getByLabel('To', { exact: true }).fill('2099-12-31');
    await page.getByLabel('As at (store time)').fill('2099-12-31T23:59');
    await page.getByTestId('range-figures').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/exports-1280x800.png` });
    expect(await seriousViolations()).toEqual([]);
  });

  it('imports a Shopify product file, saying which layout it read and which columns it ignored', async () => {
    await page.goto(`${server.url}/#/settings`);
    const shopify = [
      'Handle,Title,Body (HTML),Vendor,Type,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Taxable,Variant Barcode,Cost per item,Status',
      'oat-bar,Oat Bar,"<p>Chewy,\nwith honey</p>",Acme,Snacks,Title,Default Title,OAT-BAR,1.80,TRUE,4006381333931,0.70,active',
      'tote,Tote Bag,,Acme,Bags,Size,Large,TOTE-L,9.00,FALSE,,3.00,active',
    ].join('\n');
    await page.getByLabel('Product list (CSV)').setInputFiles({ name: 'products_export.csv', mimeType: 'text/csv', buffer: Buffer.from(shopify) });
    await expect.poll(() => page.getByTestId('import-result').textContent()).toContain('Imported 2 products from a Shopify product CSV file.');
    // Vendor is read since issue 16: it is the products' supplier.
    expect(await page.getByTestId('import-result').textContent()).toContain('Columns not read: Body (HTML), Option1 Name, Status.');
    await page.screenshot({ path: `${SHOTS}/catalog-import-shopify-390x844.png`, fullPage: true });

    // A bad row: nothing imported, the line it starts on named.
    await page.getByLabel('Product list (CSV)').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(shopify.replace('TOTE-L,9.00', 'TOTE-X,nine')) });
    await expect.poll(() => page.getByTestId('import-problems').textContent()).toContain('Line 4: price');
  });
});
