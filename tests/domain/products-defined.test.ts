/**
 * `products-defined`: many products in one event (a catalog import). Validation (types, the product
 * limit, no repeated id / SKU / barcode inside one event), the fast path agreeing with zod, the
 * cutting of a product list into events, and the fold treating each product like `product-defined`.
 */
import { describe, expect, it } from 'vitest';
import { groupProductsForEvents, MAX_PRODUCTS_EVENT_CHARS } from '../../src/domain/catalog-events.ts';
import { MAX_PRODUCTS_PER_EVENT, type ProductSnapshot } from '../../src/domain/events.ts';
import { Books } from '../../src/domain/books/index.ts';
import { parseEvent, parseProduct } from '../../src/domain/validate.ts';
import { CURRENCY, Device } from './support/event-factory.ts';
import { expectFastPathSameAsSchema } from './support/fast-path.ts';

type Json = Record<string, unknown>;

function product(n: number, extra: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    id: `p-${n}`,
    name: `Product ${n}`,
    sku: `SKU-${n}`,
    // Valid EAN-13s: 200000000000 + n with its check digit is not needed here (non-GTIN-length codes
    // are compared as typed), so use short internal codes.
    barcodes: [`C${n}`],
    price: 100 + n,
    cost: 50.5 + n,
    currency: CURRENCY,
    taxRateBp: 700,
    unit: n % 3 === 0 ? 'kg' : 'each',
    active: n % 7 !== 0,
    ...extra,
  };
}

function catalogEvent(products: unknown[]): Json {
  return new Device('till-1').event({ kind: 'products-defined', products: products as ProductSnapshot[] }) as unknown as Json;
}

function errorOf(input: unknown): string {
  const result = parseEvent(input);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.error;
}

describe('products-defined validation', () => {
  it('accepts up to the limit of products and returns them unchanged', () => {
    const one = catalogEvent([product(1)]);
    expect(parseEvent(one)).toEqual({ ok: true, event: one, exact: true });
    const full = catalogEvent(Array.from({ length: MAX_PRODUCTS_PER_EVENT }, (_, i) => product(i)));
    expect(parseEvent(full)).toEqual({ ok: true, event: full, exact: true });
  });

  it('refuses an empty list, a list over the limit, and a list that is not an array', () => {
    expect(errorOf(catalogEvent([]))).toBe('products: needs at least one product');
    const over = catalogEvent(Array.from({ length: MAX_PRODUCTS_PER_EVENT + 1 }, (_, i) => product(i)));
    expect(errorOf(over)).toBe(`products: must hold at most ${MAX_PRODUCTS_PER_EVENT} products; split them over several events`);
    expect(errorOf({ ...catalogEvent([product(1)]), products: { 0: product(1) } })).toBe('products: must be an array, got an object');
    expect(errorOf({ ...catalogEvent([product(1)]), products: undefined })).toBe('products: is missing');
  });

  it('names the product and field of a wrongly typed value', () => {
    expect(errorOf(catalogEvent([product(1), { ...product(2), price: 1.5 }]))).toBe('products[1].price: must be a whole number of minor units (cents)');
    expect(errorOf(catalogEvent([product(1), { ...product(2), price: '3.00' }]))).toMatch(/^products\[1\]\.price: /);
    expect(errorOf(catalogEvent([{ ...product(1), barcodes: 'C1' }]))).toBe('products[0].barcodes: must be an array, got the string "C1"');
    expect(errorOf(catalogEvent([{ ...product(1), unit: 'box' }]))).toBe('products[0].unit: must be one of each, kg, l');
    expect(errorOf(catalogEvent([{ ...product(1), cost: -1 }]))).toBe('products[0].cost: must not be negative');
    expect(errorOf(catalogEvent([{ ...product(1), active: 'yes' }]))).toMatch(/^products\[0\]\.active: /);
    expect(errorOf(catalogEvent([null]))).toMatch(/^products\[0\]: /);
  });

  it('refuses two products with one id, one SKU (any case) or one barcode (as GTIN-14) in an event', () => {
    expect(errorOf(catalogEvent([product(1), { ...product(2), id: 'p-1' }]))).toBe('products[1].id: product id p-1 appears twice (also products[0])');
    expect(errorOf(catalogEvent([product(1), { ...product(2), sku: ' sku-1' }]))).toBe('products[1].sku: SKU  sku-1 is also on products[0]');
    // The UPC-A 036000291452 and the EAN-13 0036000291452 are one code.
    const upc = catalogEvent([product(1, { barcodes: ['036000291452'] }), product(2, { barcodes: ['C2', '0036000291452'] })]);
    expect(errorOf(upc)).toBe('products[1].barcodes[1]: barcode 0036000291452 is also on products[0]');
    // One product may carry both prints of its own code.
    expect(parseEvent(catalogEvent([product(1, { barcodes: ['036000291452', '0036000291452'] })])).ok).toBe(true);
  });

  it('the fast path returns exactly what zod returns, and accepts nothing zod rejects', () => {
    const base = catalogEvent([product(1), product(2, { barcodes: [] }), product(3, { barcodes: ['036000291452', 'X'] })]);
    const extra = structuredClone(base);
    extra.unknown = 1;
    (extra.products as Json[])[0] = { ...product(1), note: 'dropped' };
    const reordered = Object.fromEntries(Object.entries(structuredClone(base)).reverse());
    for (const event of [base, extra, reordered]) {
      expect(parseEvent(event).ok).toBe(true);
      expectFastPathSameAsSchema(event);
    }
    const BAD: unknown[] = [undefined, null, '', 'x', -1, 1.5, Number.NaN, Infinity, true, [], {}, 10_001, 'EURO'];
    let checked = 0;
    const walk = (node: unknown, path: (string | number)[]): (string | number)[][] =>
      (typeof node === 'object' && node !== null ? Object.entries(node).flatMap(([k, v]) => walk(v, [...path, Array.isArray(node) ? Number(k) : k])) : []).concat(path.length > 0 ? [path] : []);
    for (const path of walk(base, [])) {
      for (const value of [...BAD, 'REMOVE']) {
        const copy = structuredClone(base);
        let at = copy as Json;
        for (const key of path.slice(0, -1)) at = at[key as string] as Json;
        if (value === 'REMOVE') delete at[path[path.length - 1] as string];
        else at[path[path.length - 1] as string] = value;
        expectFastPathSameAsSchema(copy);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('accepts an optional category and favourite flag, on both paths, and products without them', () => {
    const withBoth = product(1, { category: 'Bakery', favourite: true });
    const base = catalogEvent([withBoth, product(2), product(3, { category: '' , favourite: false })]);
    const parsed = parseEvent(base);
    expect(parsed.ok && parsed.event.kind === 'products-defined' ? parsed.event.products.map((p) => [p.category, p.favourite]) : 'rejected').toEqual([
      ['Bakery', true],
      [undefined, undefined],
      ['', false],
    ]);
    expectFastPathSameAsSchema(base);
    for (const [field, value] of [['category', 'x'.repeat(41)], ['category', 7], ['category', null], ['favourite', 'yes'], ['favourite', 1]] as const) {
      const bad = catalogEvent([{ ...withBoth, [field]: value }]);
      expect(parseEvent(bad).ok).toBe(false);
      expectFastPathSameAsSchema(bad);
    }
    expect(errorOf(catalogEvent([{ ...withBoth, category: 'x'.repeat(41) }]))).toContain('category: must be at most 40 characters');
    expect(parseEvent(new Device('owner').event({ kind: 'product-changed', productId: 'p-1', changes: { category: '', favourite: false } })).ok).toBe(true);
  });

  it('accepts an optional supplier, pack size and minimum order (issue 16), on both paths, and refuses bad ones on both', () => {
    const withAll = product(1, { supplier: 'Leaf & Co', packSize: 12, minOrderQty: 24 });
    // Written in another key order than the schema's: both paths give the schema's order.
    const shuffled = { minOrderQty: 1_000_000_000, packSize: 1, supplier: 'y'.repeat(80), ...product(2) };
    const base = catalogEvent([withAll, shuffled, product(3, { supplier: '' }), product(4)]);
    const parsed = parseEvent(base);
    expect(parsed.ok && parsed.event.kind === 'products-defined' ? parsed.event.products.map((p) => [p.supplier, p.packSize, p.minOrderQty]) : 'rejected').toEqual([
      ['Leaf & Co', 12, 24],
      ['y'.repeat(80), 1, 1_000_000_000],
      ['', undefined, undefined],
      [undefined, undefined, undefined],
    ]);
    expectFastPathSameAsSchema(base);
    const BAD = [
      ['supplier', 'x'.repeat(81)], ['supplier', 7], ['supplier', null],
      ['packSize', 0], ['packSize', -6], ['packSize', 2.5], ['packSize', '12'], ['packSize', 1_000_000_001], ['packSize', Number.NaN], ['packSize', null],
      ['minOrderQty', 0], ['minOrderQty', 0.5], ['minOrderQty', Infinity], ['minOrderQty', '24'], ['minOrderQty', true],
    ] as const;
    for (const [field, value] of BAD) {
      const bad = catalogEvent([{ ...withAll, [field]: value }]);
      expect(parseEvent(bad).ok).toBe(false);
      expectFastPathSameAsSchema(bad);
    }
    expect(errorOf(catalogEvent([{ ...withAll, supplier: 'x'.repeat(81) }]))).toBe('products[0].supplier: must be at most 80 characters');
    expect(errorOf(catalogEvent([{ ...withAll, packSize: 0 }]))).toBe('products[0].packSize: must be 1 or more');
    expect(errorOf(catalogEvent([{ ...withAll, minOrderQty: 2.5 }]))).toBe('products[0].minOrderQty: must be a whole number of stock units');
    expect(parseEvent(new Device('owner').event({ kind: 'product-changed', productId: 'p-1', changes: { supplier: '', packSize: 6, minOrderQty: 6 } })).ok).toBe(true);
    expect(parseEvent(new Device('owner').event({ kind: 'product-changed', productId: 'p-1', changes: { packSize: 0 } })).ok).toBe(false);
  });

  it('parseProduct checks one product as the events carry it', () => {
    expect(parseProduct(product(4))).toEqual({ ok: true, product: product(4) });
    expect(parseProduct({ ...product(4), extra: 1 })).toEqual({ ok: true, product: product(4) });
    expect(parseProduct({ ...product(4), taxRateBp: 10_001 })).toEqual({ ok: false, error: 'taxRateBp: must be at most 10000 (100 %)' });
  });
});

describe('cutting a product list into events', () => {
  it('cuts at the product limit and at the size cap, never leaving an event empty', () => {
    const products = Array.from({ length: 2_500 }, (_, i) => product(i));
    expect(groupProductsForEvents(products).map((g) => g.length)).toEqual([1_000, 1_000, 500]);
    expect(groupProductsForEvents(products).flat()).toEqual(products);
    const long = Array.from({ length: 10 }, (_, i) => product(i, { name: 'x'.repeat(MAX_PRODUCTS_EVENT_CHARS / 4) }));
    const groups = groupProductsForEvents(long);
    expect(groups.map((g) => g.length)).toEqual([3, 3, 3, 1]);
    for (const group of groups) expect(JSON.stringify(group).length).toBeLessThanOrEqual(MAX_PRODUCTS_EVENT_CHARS);
    // A single product over the cap still makes an event of its own.
    expect(groupProductsForEvents([product(1, { name: 'y'.repeat(MAX_PRODUCTS_EVENT_CHARS) })]).map((g) => g.length)).toEqual([1]);
  });
});

describe('products-defined in the ledger', () => {
  it('sets each product’s catalog cost like product-defined, and moves no stock', () => {
    // A count that finds stock of a product never received is valued at the catalog cost in force.
    const asOne = new Device('till-1');
    const asMany = new Device('till-1');
    const one = [asOne.product('tea', 250), asOne.product('jam', 180)];
    const many = asMany.event({
      kind: 'products-defined',
      products: [product(1, { id: 'tea', sku: 'T', cost: 250 }), product(2, { id: 'jam', sku: 'J', cost: 180 })],
    });
    const found = (d: Device) => d.event({ kind: 'stock-adjusted', reason: 'found', lines: [{ productId: 'jam', qty: 4 }] });
    const a = Books.fromEvents([...one, found(asOne)], { valuation: 'fifo' });
    const b = Books.fromEvents([many, found(asMany)], { valuation: 'fifo' });
    expect(b.inventoryValue()).toBe(4 * 180);
    expect(b.inventoryValue()).toBe(a.inventoryValue());
    expect(b.stockLevels()).toEqual(a.stockLevels());
    expect(b.movementsOf(many.id)).toEqual([]);
  });
});
