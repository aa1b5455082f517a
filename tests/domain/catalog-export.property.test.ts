/**
 * Issue 15, item 4: the catalog export is a file the catalog import reads back into the very same
 * products (fast-check on generated products: names with commas and quotes, several barcodes, kg
 * and litre units with their per-kg cost, categories, favourites, tax rates with decimals; and, issue 16,
 * suppliers, pack sizes and minimum orders, in grams and millilitres for weighed products).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCatalogCsv, productIdForSku } from '../../src/domain/catalog-csv.ts';
import { QTY_PER_PRICE_UNIT, type ProductSnapshot, type StockUnit } from '../../src/domain/events.ts';
import { catalogCsv, catalogOf } from '../../src/domain/exports/catalog.ts';
import { reorderKey, type ReorderLevel } from '../../src/domain/reorder-levels.ts';
import { Device } from './support/event-factory.ts';

const text = (min: number, max: number) =>
  fc
    .string({ unit: fc.constantFrom(...'abcXYZ é,;"\'|-'.split('')), minLength: min, maxLength: max })
    .map((s) => s.trim())
    .filter((s) => s.length >= min);

const product = (currency: string): fc.Arbitrary<ProductSnapshot> =>
  fc
    .record({
      name: text(1, 20),
      sku: fc.stringMatching(/^[A-Z0-9-]{1,12}$/),
      barcodes: fc.array(fc.stringMatching(/^\d{8,14}$/), { maxLength: 3 }),
      price: fc.integer({ min: 0, max: 99_999_999 }),
      costPerPriceUnit: fc.integer({ min: 0, max: 9_999_999 }),
      taxRateBp: fc.integer({ min: 0, max: 10_000 }),
      unit: fc.constantFrom<StockUnit>('each', 'kg', 'l'),
      category: fc.option(text(1, 40), { nil: undefined }),
      favourite: fc.boolean(),
      // Issue 16: in stock units (pieces, grams, millilitres), at least one.
      supplier: fc.option(text(1, 80), { nil: undefined }),
      packSize: fc.option(fc.integer({ min: 1, max: 999_999_999 }), { nil: undefined }),
      minOrderQty: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
    })
    .map((p) => ({
      id: productIdForSku(p.sku),
      name: p.name,
      sku: p.sku,
      barcodes: p.barcodes,
      price: p.price,
      cost: p.costPerPriceUnit / QTY_PER_PRICE_UNIT[p.unit],
      currency,
      taxRateBp: p.taxRateBp,
      unit: p.unit,
      active: true,
      ...(p.category === undefined ? {} : { category: p.category }),
      ...(p.favourite ? { favourite: true } : {}),
      ...(p.supplier === undefined ? {} : { supplier: p.supplier }),
      ...(p.packSize === undefined ? {} : { packSize: p.packSize }),
      ...(p.minOrderQty === undefined ? {} : { minOrderQty: p.minOrderQty }),
    }));

/** A level in stock units the file can write: whole pieces, or grams / millilitres. */
const level = fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined });

describe('the catalog export', () => {
  it('carries one location\'s reorder levels, which the import reads back for that location', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(product('EUR'), { selector: (p) => p.sku, minLength: 1, maxLength: 10 }),
        fc.array(fc.tuple(level, level), { minLength: 10, maxLength: 10 }),
        (products, pairs) => {
          const levels = new Map<string, ReorderLevel>();
          products.forEach((p, i) => {
            const [a, b] = pairs[i] as [number | undefined, number | undefined];
            if (a === undefined && b === undefined) return;
            // The import refuses an order-up-to below the reorder point.
            const [reorderPoint, orderUpTo] = a !== undefined && b !== undefined && b < a ? [b, a] : [a, b];
            levels.set(reorderKey(p.id, 'back'), { productId: p.id, locationId: 'back', reorderPoint, orderUpTo });
          });
          // Another location's levels stay out of the file.
          levels.set(reorderKey(products[0]!.id, 'floor'), { productId: products[0]!.id, locationId: 'floor', reorderPoint: 1, orderUpTo: 2 });
          const file = catalogCsv(products, 'EUR', { locationId: 'back', locationName: 'Back room', levels });
          const back = parseCatalogCsv(file.text, 'EUR');
          expect(back.problems).toEqual([]);
          expect(back.products).toEqual(products);
          const read = back.reorderLevels.map((r) => ({ productId: r.productId, location: r.location, reorderPoint: r.reorderPoint ?? undefined, orderUpTo: r.orderUpTo ?? undefined }));
          const written = [...levels.values()]
            .filter((l) => l.locationId === 'back')
            .map((l) => ({ productId: l.productId, location: 'Back room', reorderPoint: l.reorderPoint, orderUpTo: l.orderUpTo }));
          expect(read.filter((r) => r.location !== '' || r.reorderPoint !== undefined || r.orderUpTo !== undefined)).toEqual(
            products.map((p) => written.find((w) => w.productId === p.id)).filter((w) => w !== undefined),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  for (const currency of ['EUR', 'JPY']) {
    it(`reads back unchanged through the import (${currency})`, () => {
      fc.assert(
        fc.property(fc.uniqueArray(product(currency), { selector: (p) => p.sku, maxLength: 15 }), (products) => {
          const file = catalogCsv(products, currency);
          const back = parseCatalogCsv(file.text, currency);
          expect(back.problems).toEqual([]);
          expect(back.products).toEqual(products);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('writes headers only for no products, and leaves stopped products out', () => {
    expect(catalogCsv([], 'EUR').text).toBe('name,sku,barcode,price,cost,tax,unit,category,favourite\r\n');
    const device = new Device('dev-1');
    const events = [device.product('a', 150), device.product('b', 99), device.event({ kind: 'product-changed', productId: 'b', changes: { active: false, price: 5 } })];
    const catalog = catalogOf(events);
    expect(catalog.map((p) => [p.id, p.active, p.price])).toEqual([['a', true, 1000], ['b', false, 5]]);
    // By hand: 10.00, cost 1.50, 20 % tax.
    expect(catalogCsv(catalog, 'EUR').text).toBe('name,sku,barcode,price,cost,tax,unit,category,favourite\r\nProduct a,SKU-a,,10.00,1.50,20,each,,\r\n');
  });

  it('writes supplier, pack size and minimum order columns once a product has one, in the product’s unit', () => {
    const base = { barcodes: [], price: 100, cost: 5, currency: 'EUR', taxRateBp: 700, active: true };
    const products: ProductSnapshot[] = [
      { ...base, id: 'sku-FLOUR', name: 'Flour', sku: 'FLOUR', unit: 'kg', cost: 0.05, supplier: 'Mill, Ltd', packSize: 25_000, minOrderQty: 50_000 },
      { ...base, id: 'sku-PEN', name: 'Pen', sku: 'PEN', unit: 'each', packSize: 12 },
      { ...base, id: 'sku-TAPE', name: 'Tape', sku: 'TAPE', unit: 'each' },
    ];
    // By hand: 25,000 g is 25 kg; a cost of 0.05 cents per gram is 0.50 per kg; the comma is quoted.
    expect(catalogCsv(products, 'EUR').text).toBe(
      [
        'name,sku,barcode,price,cost,tax,unit,category,favourite,supplier,pack_size,min_order_qty',
        'Flour,FLOUR,,1.00,0.50,7,kg,,,"Mill, Ltd",25,50',
        'Pen,PEN,,1.00,0.05,7,each,,,,12,',
        'Tape,TAPE,,1.00,0.05,7,each,,,,,',
        '',
      ].join('\r\n'),
    );
    expect(parseCatalogCsv(catalogCsv(products, 'EUR').text, 'EUR').products).toEqual(products);
  });
});
