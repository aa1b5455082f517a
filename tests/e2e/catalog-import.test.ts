/** Loading a product list from a CSV file in Settings, then selling one of the new products. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest } from './app-per-test.ts';
import { AppServer, readStore, wedgeScan } from './harness.ts';

const app = appPerTest({ path: '/#/settings' });
let server: AppServer;
let page: Page;
// Short names for this test's app (see app-per-test.ts).
beforeEach(async () => {
  ({ server, page } = app);
});

const csv = (text: string) => ({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

describe('catalog import', () => {
  it('imports a CSV as a products-defined event and a catalog chunk, and the new products can be sold at once', async () => {
    await page.getByLabel('Product list (CSV)').setInputFiles(
      csv('name,sku,barcode,price,cost,tax,unit\n"Herbal tea, 20 bags",TEA-20,96385074,2.95,1.40,7,each\nHoney 500 g,HONEY-500,,6.50,3.90,7,each\n'),
    );
    await expect.poll(() => page.getByTestId('import-result').textContent()).toContain('Imported 2 products');
    type Product = { sku: string; price: number; cost: number };
    const events = await readStore<{ kind: string; products?: Product[] }>(page, 'events');
    // Both rows in one event (an import makes one event per 1,000 products).
    const defined = events.filter((e) => e.kind === 'products-defined');
    expect(defined).toHaveLength(1);
    const chunks = await readStore<{ id: number; products: Product[] }>(page, 'catalogChunks');
    expect(chunks[chunks.length - 1]?.products).toEqual(defined[0]?.products);
    expect([...(defined[0]?.products ?? [])].sort((a, b) => a.sku.localeCompare(b.sku))).toEqual([
      expect.objectContaining({ sku: 'HONEY-500', price: 650, cost: 390 }),
      expect.objectContaining({ sku: 'TEA-20', price: 295, cost: 140 }),
    ]);
    await page.goto(`${server.url}/#/sell`);
    await wedgeScan(page, '96385074');
    await expect.poll(() => page.locator('.cart-line .name').textContent()).toBe('Herbal tea, 20 bags');
  });

  it('imports each product’s supplier, pack size and minimum order, a weighed one in kg, and refuses a bad pack by its line (issue 16)', async () => {
    const header = 'name,sku,price,unit,supplier,pack_size,min_order_qty';
    const before = (await readStore(page, 'events')).length;
    await page.getByLabel('Product list (CSV)').setInputFiles(csv(`${header}\nPens,PEN-10,4.50,each,Office Direct,12,48\nRice,RICE,2.20,kg,Grain Co,0,5\n`));
    await expect.poll(() => page.getByTestId('import-problems').textContent()).toContain('Line 3: the pack size "0" is not a number of kilograms above 0 with up to 3 decimals.');
    expect((await readStore(page, 'events')).length).toBe(before);
    await page.getByLabel('Product list (CSV)').setInputFiles(csv(`${header}\nPens,PEN-10,4.50,each,Office Direct,12,48\nRice,RICE,2.20,kg,Grain Co,2.5,5\n`));
    await expect.poll(() => page.getByTestId('import-result').textContent()).toContain('Imported 2 products');
    type Product = { sku: string; supplier?: string; packSize?: number; minOrderQty?: number };
    const defined = (await readStore<{ kind: string; products?: Product[] }>(page, 'events')).filter((e) => e.kind === 'products-defined').flatMap((e) => e.products ?? []);
    // Stock units: 2.5 kg is 2,500 g and 5 kg 5,000 g.
    expect(defined.filter((p) => p.sku === 'PEN-10' || p.sku === 'RICE').map((p) => [p.sku, p.supplier, p.packSize, p.minOrderQty])).toEqual([
      ['PEN-10', 'Office Direct', 12, 48],
      ['RICE', 'Grain Co', 2500, 5000],
    ]);
  });

  it('lists the bad rows with their line numbers and imports nothing', async () => {
    const before = (await readStore(page, 'events')).length;
    await page.getByLabel('Product list (CSV)').setInputFiles(csv('name,sku,price\nTea,T1,abc\n,T2,1.00\n'));
    await expect.poll(() => page.getByTestId('import-problems').textContent()).toContain('Line 2: price');
    expect(await page.getByTestId('import-problems').textContent()).toContain('Line 3: the name is empty');
    expect((await readStore(page, 'events')).length).toBe(before);
  });
});
