/**
 * Editing a product on the owner's device (issue 14, item 14): every rule of `changeProduct`, and
 * that a cart rung up before a price change is paid at the price it was rung up at.
 */
import { describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/domain/cart.ts';
import { changeProduct, completeSale } from '../../src/app/commands/index.ts';
import type { ProductSnapshot } from '../../src/domain/events.ts';
import { bodiesOf, errorsOf, product, Till } from './support.ts';

const TEA = '4006381333931';
const MUG = '96385074';
/** One code in two prints: UPC-A and its EAN-13 form. */
const UPC = '036000291452';
const UPC_AS_EAN = '0036000291452';

function ownerTill(): { till: Till; tea: ProductSnapshot } {
  const till = new Till('dev-a', { role: 'owner' });
  const tea = till.stock(product('tea', { name: 'Green tea', barcodes: [TEA], price: 1200, cost: 500, taxRateBp: 2000 }), 0);
  till.stock(product('mug', { name: 'Blue mug', barcodes: [MUG] }), 0);
  return { till, tea };
}

/** The form sends every field it shows; `edit` is what the owner changed. */
const formOf = (p: ProductSnapshot, edit: Partial<ProductSnapshot> = {}) => ({
  name: p.name,
  price: p.price,
  cost: p.cost,
  barcodes: p.barcodes,
  taxRateBp: p.taxRateBp,
  active: p.active,
  ...edit,
});

describe('changing a product (the owner’s)', () => {
  it('records only the fields that differ from the catalog', () => {
    const { till, tea } = ownerTill();
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: formOf(tea, { price: 1350 }) }))).toEqual([
      { kind: 'product-changed', productId: 'tea', changes: { price: 1350 } },
    ]);
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: formOf(tea, { name: '  Green tea 20 bags ', taxRateBp: 700, active: false }) }))).toEqual([
      { kind: 'product-changed', productId: 'tea', changes: { name: 'Green tea 20 bags', taxRateBp: 700, active: false } },
    ]);
  });

  it('says nothing was changed when every field is as it was (spaces around the name do not count)', () => {
    const { till, tea } = ownerTill();
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: formOf(tea, { name: ' Green tea ', barcodes: [` ${TEA}`] }) }))).toEqual([
      { message: 'Nothing was changed: edit a field first.' },
    ]);
  });

  it('refuses an empty name, a negative or fractional price, a negative cost and a tax rate out of range, each at its field', () => {
    const { till, tea } = ownerTill();
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: formOf(tea, { name: '  ', price: 12.5, cost: -1, taxRateBp: 10_001 }) }))).toEqual([
      { field: 'name', message: 'Enter the product name.' },
      { field: 'price', message: 'Price: enter an amount in EUR of zero or more.' },
      { field: 'cost', message: 'Cost: enter an amount in EUR of zero or more.' },
      { field: 'taxRateBp', message: 'Choose a tax rate from 0 % to 100 %.' },
    ]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { price: -1 } }))).toEqual([{ field: 'price', message: 'Price: enter an amount in EUR of zero or more.' }]);
  });

  it('takes a weighed product’s cost per gram, a fraction of a cent', () => {
    const till = new Till('dev-a', { role: 'owner' });
    till.stock(product('cheese', { unit: 'kg', price: 1890, cost: 0.9 }), 0);
    // €4.59 per kg is 0.459 cents per gram.
    expect(bodiesOf(till.run(changeProduct, { productId: 'cheese', changes: { cost: 0.459 } }))).toEqual([{ kind: 'product-changed', productId: 'cheese', changes: { cost: 0.459 } }]);
  });

  it('adds and removes barcodes; a product may have none (it is found by name and SKU)', () => {
    const { till } = ownerTill();
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: [TEA, UPC] } }))).toEqual([
      { kind: 'product-changed', productId: 'tea', changes: { barcodes: [TEA, UPC] } },
    ]);
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: [] } }))).toEqual([{ kind: 'product-changed', productId: 'tea', changes: { barcodes: [] } }]);
  });

  it('refuses a code with a wrong check digit, one another product has (naming it), an empty one and one listed twice', () => {
    const { till } = ownerTill();
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: [TEA, '4006381333932'] } }))).toEqual([
      { field: 'barcodes', message: '4006381333932 has a wrong check digit: scan it again, or check the digits.' },
    ]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: [TEA, MUG] } }))).toEqual([
      { field: 'barcodes', message: '96385074 is already the code of Blue mug.' },
    ]);
    // Another product's SKU is a code the scanner finds too.
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: ['sku-mug'] } }))).toEqual([
      { field: 'barcodes', message: 'sku-mug is already the code of Blue mug.' },
    ]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: [TEA, ' '] } }))).toEqual([
      { field: 'barcodes', message: 'A barcode is empty: type or scan the code, or remove it.' },
    ]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: [TEA, UPC, UPC] } }))).toEqual([
      { field: 'barcodes', message: `${UPC} is listed twice: remove one.` },
    ]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: [UPC, UPC_AS_EAN] } }))).toEqual([
      { field: 'barcodes', message: `${UPC_AS_EAN} and ${UPC} are the same code: remove one.` },
    ]);
  });

  it('keeps a code the product already had, even one an old import brought with a wrong check digit', () => {
    const till = new Till('dev-a', { role: 'owner' });
    till.stock(product('old', { barcodes: ['4006381333932'] }), 0);
    expect(bodiesOf(till.run(changeProduct, { productId: 'old', changes: { barcodes: ['4006381333932', TEA] } }))).toEqual([
      { kind: 'product-changed', productId: 'old', changes: { barcodes: ['4006381333932', TEA] } },
    ]);
  });

  it('refuses another currency, a product this device does not have, and a staff device', () => {
    const { till, tea } = ownerTill();
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { currency: 'USD' } }))).toEqual([{ field: 'currency', message: "Prices are in EUR, the store's currency." }]);
    expect(errorsOf(till.run(changeProduct, { productId: 'gone', changes: formOf(tea) }))).toEqual([
      { field: 'productId', message: 'This product is not in the catalog on this device. Sync, then try again.' },
    ]);
    till.role = 'staff';
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { price: 1 } }))).toEqual([
      { message: 'Only the owner’s device can change products or prices. Ask the owner to do it on their device.' },
    ]);
  });
});

describe('a product’s supplier, pack size and minimum order (issue 16)', () => {
  it('records the supplier trimmed, and the pack and minimum order in stock units; the catalog then holds them', () => {
    const { till, tea } = ownerTill();
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: formOf(tea, { supplier: '  Leaf & Co ', packSize: 12, minOrderQty: 24 }) }))).toEqual([
      { kind: 'product-changed', productId: 'tea', changes: { supplier: 'Leaf & Co', packSize: 12, minOrderQty: 24 } },
    ]);
    till.act(changeProduct, { productId: 'tea', changes: { supplier: ' Leaf & Co', packSize: 12, minOrderQty: 24 } });
    expect(till.catalog.get('tea')).toMatchObject({ supplier: 'Leaf & Co', packSize: 12, minOrderQty: 24 });
    // The same supplier with spaces around it is no change; '' clears it (no usual supplier).
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { supplier: 'Leaf & Co ' } }))).toEqual([{ message: 'Nothing was changed: edit a field first.' }]);
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: { supplier: '  ' } }))).toEqual([{ kind: 'product-changed', productId: 'tea', changes: { supplier: '' } }]);
  });

  it('takes a weighed product’s pack in grams: a 2.5 kg sack is 2500', () => {
    const till = new Till('dev-a', { role: 'owner' });
    till.stock(product('flour', { unit: 'kg', price: 180, cost: 0.09 }), 0);
    expect(bodiesOf(till.run(changeProduct, { productId: 'flour', changes: { packSize: 2500, minOrderQty: 25_000 } }))).toEqual([
      { kind: 'product-changed', productId: 'flour', changes: { packSize: 2500, minOrderQty: 25_000 } },
    ]);
  });

  it('refuses a supplier name too long, and a pack or minimum order that is not whole stock units of 1 or more, in the product’s unit', () => {
    const { till } = ownerTill();
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { supplier: 'x'.repeat(81), packSize: 0, minOrderQty: 2.5 } }))).toEqual([
      { field: 'supplier', message: 'Supplier: use at most 80 characters, the name as it is on the supplier’s invoices.' },
      { field: 'packSize', message: 'Pack size: enter a whole number of pieces, 1 or more, what one pack from the supplier holds.' },
      { field: 'minOrderQty', message: 'Minimum order: enter a whole number of pieces, 1 or more, the least the supplier sells of it.' },
    ]);
    // 80 characters is the most, and fits.
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: { supplier: 'y'.repeat(80) } }))).toHaveLength(1);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { packSize: -6 } }))).toEqual([
      { field: 'packSize', message: 'Pack size: enter a whole number of pieces, 1 or more, what one pack from the supplier holds.' },
    ]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { minOrderQty: 1_000_000_001 } }))).toEqual([
      { field: 'minOrderQty', message: 'Minimum order: enter a whole number of pieces, 1 or more, the least the supplier sells of it.' },
    ]);
    const weighed = new Till('dev-a', { role: 'owner' });
    weighed.stock(product('milk', { unit: 'l', price: 120, cost: 0.08 }), 0);
    // 0.0005 l is half a millilitre: not a stock unit.
    expect(errorsOf(weighed.run(changeProduct, { productId: 'milk', changes: { packSize: 0.5 } }))).toEqual([
      { field: 'packSize', message: 'Pack size: enter a number of litres above 0 with up to 3 decimals, what one pack from the supplier holds.' },
    ]);
  });
});

describe('a cart rung up before a price change', () => {
  it('is paid at the price it was rung up at; the same product scanned after the change is a line at the new price', () => {
    const { till, tea } = ownerTill();
    let cart = addToCart(emptyCart, tea, 2, 'line-1');
    till.act(changeProduct, { productId: 'tea', changes: { price: 1500 } });
    const changed = till.catalog.get('tea');
    expect(changed?.price).toBe(1500);
    if (!changed) throw new Error('tea missing');
    cart = addToCart(cart, changed, 1, 'line-2');
    expect(cart.lines.map((l) => [l.lineId, l.qty, l.unitPrice])).toEqual([
      ['line-1', 2, 1200],
      ['line-2', 1, 1500],
    ]);
    const [sale] = bodiesOf(till.run(completeSale, { cart, withoutShift: true, payment: [{ method: 'cash', amount: 3900 }] }));
    if (sale?.kind !== 'sale') throw new Error('expected a sale');
    expect(sale.lines.map((l) => [l.qty, l.unitPrice, l.gross])).toEqual([
      [2, 1200, 2400],
      [1, 1500, 1500],
    ]);
    expect(sale.totals.gross).toBe(3900);
    expect(sale.change).toBe(0);
  });
});
