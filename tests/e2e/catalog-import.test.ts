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

  it('lists the bad rows with their line numbers and imports nothing', async () => {
    const before = (await readStore(page, 'events')).length;
    await page.getByLabel('Product list (CSV)').setInputFiles(csv('name,sku,price\nTea,T1,abc\n,T2,1.00\n'));
    await expect.poll(() => page.getByTestId('import-problems').textContent()).toContain('Line 2: price');
    expect(await page.getByTestId('import-problems').textContent()).toContain('Line 3: the name is empty');
    expect((await readStore(page, 'events')).length).toBe(before);
  });
});
