import { describe, expect, it } from 'vitest';
import { sellGroups } from '../../src/domain/sell-groups.ts';
import { CatalogIndex } from '../../src/db/catalog.ts';
import type { ProductSnapshot } from '../../src/domain/events.ts';

const product = (id: string, over: Partial<ProductSnapshot> = {}): ProductSnapshot => ({
  id, name: id, sku: id.toUpperCase(), barcodes: [], price: 100, cost: 50, currency: 'EUR', taxRateBp: 0, unit: 'each', active: true, ...over,
});

describe('the Sell grid’s chips', () => {
  it('groups sold products by category (trimmed, sorted) and lists favourites, both by name', () => {
    const groups = sellGroups([
      product('rye', { name: 'Rye bread', category: 'Bakery' }),
      product('bun', { name: 'bun', category: ' Bakery ', favourite: true }),
      product('tea', { name: 'Tea', category: 'Drinks' }),
      product('cola', { name: 'Cola', category: 'Drinks', active: false, favourite: true }),
      product('apple', { name: 'Apple', favourite: true, category: '' }),
      product('pear', { name: 'Pear', favourite: false }),
      product('item10', { name: 'Item 10', category: 'apples' }),
      product('item9', { name: 'Item 9', category: 'apples' }),
    ]);
    expect(groups.favourites.map((p) => p.id)).toEqual(['apple', 'bun']);
    expect([...groups.categories.entries()].map(([name, list]) => [name, list.map((p) => p.id)])).toEqual([
      ['apples', ['item9', 'item10']],
      ['Bakery', ['bun', 'rye']],
      ['Drinks', ['tea']],
    ]);
  });

  it('is built once for a large catalog and again only after a product changes', () => {
    const products = Array.from({ length: 20_000 }, (_, i) => product(`p${i}`, { name: `Product ${i}`, category: `Category ${i % 40}`, favourite: i % 500 === 0 }));
    const catalog = new CatalogIndex(products);
    const started = performance.now();
    const groups = catalog.sellGroups();
    // Generous on a loaded 2-core machine; typically a few milliseconds.
    expect(performance.now() - started).toBeLessThan(500);
    expect(groups.categories.size).toBe(40);
    expect(groups.favourites).toHaveLength(40);
    expect(catalog.sellGroups()).toBe(groups);
    catalog.put({ ...products[1]!, favourite: true });
    expect(catalog.sellGroups()).not.toBe(groups);
    expect(catalog.sellGroups().favourites).toHaveLength(41);
  });
});
