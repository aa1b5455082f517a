/** The drawer, the catalog, the locations, and the one permission table the commands make. */
import { describe, expect, it } from 'vitest';
import type { EventKind } from '../../src/domain/events.ts';
import {
  changeProduct,
  closeShift,
  COMMANDS,
  commandNamed,
  defineLocation,
  defineProduct,
  importCatalog,
  moveCash,
  openShift,
  openShiftOf,
  refusalFor,
  requiredRole,
} from '../../src/app/commands/index.ts';
import { BACK, bodiesOf, errorsOf, FLOOR, product, Till } from './support.ts';

describe('the shift', () => {
  it('opens one shift per device, moves cash in and out of it, and closes it', () => {
    const till = new Till('dev-a');
    expect(errorsOf(till.run(moveCash, { direction: 'in', amount: 100, reason: 'Change' }))).toEqual([{ message: 'No shift is open on this device: open one first.' }]);
    expect(errorsOf(till.run(openShift, { float: -1 }))).toEqual([{ field: 'float', message: 'Enter the float as an amount of zero or more.' }]);
    const [opened] = till.act(openShift, { float: 10_000 });
    const shiftId = opened?.kind === 'shift-opened' ? opened.shiftId : 'missing';
    expect(openShiftOf(till.books, 'dev-a')?.shiftId).toBe(shiftId);
    expect(openShiftOf(till.books, 'dev-b')).toBeUndefined();
    expect(errorsOf(till.run(openShift, { float: 0 }))).toEqual([{ message: 'A shift is already open on this device: close it before opening another.' }]);
    expect(bodiesOf(till.run(moveCash, { direction: 'out', amount: 5000, reason: ' Safe drop ' }))).toEqual([{ kind: 'cash-moved', shiftId, amount: -5000, reason: 'Safe drop' }]);
    expect(errorsOf(till.run(moveCash, { direction: 'in', amount: 0, reason: '' }))).toEqual([
      { field: 'amount', message: 'Enter an amount above zero.' },
      { field: 'reason', message: 'Give a reason, such as "Safe drop" or "Change from the bank".' },
    ]);
    // The drawer holds the float (nothing above was recorded): taking out more than €100.00 is refused.
    expect(errorsOf(till.run(moveCash, { direction: 'out', amount: 10_001, reason: 'Bank' }))).toEqual([
      { field: 'amount', message: 'The drawer should hold only €100.00: take out at most that, or count the drawer and close the shift if it holds more.' },
    ]);
    till.act(moveCash, { direction: 'out', amount: 6_000, reason: 'Safe drop' });
    expect(errorsOf(till.run(moveCash, { direction: 'out', amount: 4_001, reason: 'Bank' }))[0]?.message).toMatch(/^The drawer should hold only €40\.00:/);
    expect(bodiesOf(till.run(moveCash, { direction: 'out', amount: 4_000, reason: 'Bank' }))).toEqual([{ kind: 'cash-moved', shiftId, amount: -4000, reason: 'Bank' }]);
    expect(errorsOf(till.run(closeShift, { countedCash: 1.5 }))).toEqual([{ field: 'countedCash', message: 'Enter the cash counted as an amount of zero or more.' }]);
    till.act(closeShift, { countedCash: 9_900 });
    expect(openShiftOf(till.books, 'dev-a')).toBeUndefined();
    expect(errorsOf(till.run(closeShift, { countedCash: 0 }))).toEqual([{ message: 'No shift is open on this device: open one first.' }]);
  });
});

describe('products (the owner’s)', () => {
  const input = { code: '4006381333931', name: ' Green tea ', price: 1200, cost: 500, taxRateBp: 2000, unit: 'each' as const };

  it('defines a product for a code the catalog lacks', () => {
    const till = new Till('dev-a', { role: 'owner' });
    const [body] = bodiesOf(till.run(defineProduct, input));
    expect(body).toMatchObject({
      kind: 'product-defined',
      product: { name: 'Green tea', sku: '4006381333931', barcodes: ['4006381333931'], price: 1200, cost: 500, currency: 'EUR', taxRateBp: 2000, unit: 'each', active: true },
    });
    expect(body?.kind === 'product-defined' && body.product.id).toMatch(/^p-id-\d+$/);
  });

  it('refuses a staff device, a code in use or with a wrong check digit, and bad fields', () => {
    const till = new Till('dev-a', { role: 'staff' });
    expect(errorsOf(till.run(defineProduct, input))).toEqual([{ message: 'Only the owner’s device can create products. Ask the owner to do it on their device.' }]);
    till.role = 'owner';
    till.stock(product('tea', { name: 'Black tea', barcodes: ['04006381333931'] }), 0);
    expect(errorsOf(till.run(defineProduct, input))).toEqual([{ field: 'code', message: '4006381333931 is already the code of Black tea.' }]);
    expect(errorsOf(till.run(defineProduct, { ...input, code: '4006381333932', name: '', price: -1, cost: Number.NaN, taxRateBp: 20_000 }))).toEqual([
      { field: 'code', message: '4006381333932 has a wrong check digit: scan it again, or check the digits.' },
      { field: 'name', message: 'Enter the product name.' },
      { field: 'price', message: 'Price: enter an amount in EUR of zero or more.' },
      { field: 'cost', message: 'Cost: enter an amount in EUR of zero or more.' },
      { field: 'taxRateBp', message: 'Choose a tax rate from 0 % to 100 %.' },
    ]);
  });

  it('changes a price; a staff device may not', () => {
    const till = new Till('dev-a', { role: 'owner' });
    till.stock(product('tea'), 0);
    till.stock(product('mug', { barcodes: ['96385074'] }), 0);
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: { price: 1500 } }))).toEqual([{ kind: 'product-changed', productId: 'tea', changes: { price: 1500 } }]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { barcodes: ['96385074'] } }))).toEqual([{ field: 'barcodes', message: '96385074 is already the code of Product mug.' }]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: {} }))).toEqual([{ message: 'Nothing was changed: edit a field first.' }]);
    expect(errorsOf(till.run(changeProduct, { productId: 'nope', changes: { price: 1 } }))).toEqual([
      { field: 'productId', message: 'This product is not in the catalog on this device. Sync, then try again.' },
    ]);
    till.role = 'staff';
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { price: 1 } }))).toEqual([
      { message: 'Only the owner’s device can change products or prices. Ask the owner to do it on their device.' },
    ]);
  });
});

describe('category and favourite (the owner’s, issue 14 item 15)', () => {
  it('sets, trims and clears a category and marks a favourite; refuses a long name and a staff device', () => {
    const till = new Till('dev-a', { role: 'owner' });
    till.stock(product('tea'), 0);
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: { category: ' Hot drinks ', favourite: true } }))).toEqual([
      { kind: 'product-changed', productId: 'tea', changes: { category: 'Hot drinks', favourite: true } },
    ]);
    expect(bodiesOf(till.run(changeProduct, { productId: 'tea', changes: { category: '' } }))).toEqual([{ kind: 'product-changed', productId: 'tea', changes: { category: '' } }]);
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { category: 'x'.repeat(41) } }))).toEqual([
      { field: 'category', message: 'Category: use at most 40 characters, a name that fits on a button.' },
    ]);
    till.role = 'staff';
    expect(errorsOf(till.run(changeProduct, { productId: 'tea', changes: { favourite: false } }))).toEqual([
      { message: 'Only the owner’s device can change products or prices. Ask the owner to do it on their device.' },
    ]);
  });
});

describe('catalog import (the owner’s)', () => {
  it('cuts the products into products-defined events of at most 1,000', () => {
    const till = new Till('dev-a', { role: 'owner' });
    const products = Array.from({ length: 2500 }, (_, i) => product(`p${i}`));
    const bodies = bodiesOf(till.run(importCatalog, { products }));
    expect(bodies.map((b) => (b.kind === 'products-defined' ? b.products.length : 0))).toEqual([1000, 1000, 500]);
    expect(bodies.flatMap((b) => (b.kind === 'products-defined' ? b.products.map((p) => p.id) : []))).toEqual(products.map((p) => p.id));
  });

  it('refuses the whole file for a repeated SKU, an id already in the catalog, or no rows', () => {
    const till = new Till('dev-a', { role: 'owner' });
    till.stock(product('old'), 0);
    expect(errorsOf(till.run(importCatalog, { products: [product('a', { sku: 'X' }), product('b', { sku: 'x' }), product('old', { sku: 'Y' })] }))).toEqual([
      { field: 'products.1', message: 'Nothing was imported: product 2: SKU "x" appears twice. Fix the file and import it again.' },
      { field: 'products.2', message: 'Nothing was imported: product 3: id "old" is already in the catalog. Fix the file and import it again.' },
    ]);
    expect(errorsOf(till.run(importCatalog, { products: [] }))).toEqual([{ field: 'products', message: 'The file has no product rows.' }]);
    till.role = 'staff';
    expect(errorsOf(till.run(importCatalog, { products: [product('a')] }))).toEqual([
      { message: 'Only the owner’s device can create products. Ask the owner to do it on their device.' },
    ]);
  });
});

describe('locations (the owner’s)', () => {
  it('adds a location with a new id and renames one, refusing a name in use', () => {
    const till = new Till('dev-a', { role: 'owner' });
    const [added] = bodiesOf(till.run(defineLocation, { name: '  Van  ' }));
    expect(added).toMatchObject({ kind: 'location-defined', location: { name: 'Van' } });
    expect(added?.kind === 'location-defined' && added.location.id).toMatch(/^loc-id-\d+$/);
    expect(bodiesOf(till.run(defineLocation, { locationId: BACK.id, name: 'Store room' }))).toEqual([{ kind: 'location-defined', location: { id: BACK.id, name: 'Store room' } }]);
    expect(errorsOf(till.run(defineLocation, { locationId: BACK.id, name: 'shop floor' }))).toEqual([{ field: 'name', message: `There is already a location called “${FLOOR.name}”.` }]);
    expect(errorsOf(till.run(defineLocation, { locationId: 'loc-x', name: 'Van' }))).toEqual([
      { field: 'locationId', message: 'This location is not one of the store’s locations on this device. Sync, then try again.' },
    ]);
    till.role = 'staff';
    expect(errorsOf(till.run(defineLocation, { name: 'Van' }))).toEqual([{ message: 'Only the owner’s device can add or rename locations. Ask the owner to do it on their device.' }]);
  });
});

describe('the command registry: one permission table for app and server', () => {
  // Every kind, so adding one to events.ts without a command fails to compile here.
  const KINDS: Record<EventKind, true> = {
    'product-defined': true, 'products-defined': true, 'product-changed': true, 'location-defined': true, 'store-settings-changed': true, 'reorder-levels-set': true, 'supplier-lead-time-set': true, 'opening-balance': true,
    'staff-member-defined': true, 'pin-rejected': true,
    sale: true, 'sale-voided': true, return: true, 'goods-received': true, 'stock-counted': true, 'stock-adjusted': true,
    'transfer-out': true, 'transfer-in': true, 'purchase-order-created': true, 'purchase-order-closed': true,
    'count-session-opened': true, 'count-recorded': true, 'count-session-approved': true, 'shift-opened': true, 'cash-moved': true, 'shift-closed': true,
  };

  it('has a command recording every event kind, under a unique name', () => {
    const recorded = new Set(COMMANDS.flatMap((c) => c.records));
    expect(Object.keys(KINDS).filter((k) => !recorded.has(k as EventKind))).toEqual([]);
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    expect(commandNamed('complete-sale')?.records).toEqual(['sale']);
  });

  it('keeps the owner-only events the owner’s, in the same words as before', () => {
    const ownerOnly = Object.keys(KINDS).filter((k) => requiredRole(k as EventKind) === 'owner').sort();
    expect(ownerOnly).toEqual(
      ['count-session-approved', 'location-defined', 'opening-balance', 'product-changed', 'product-defined', 'products-defined', 'purchase-order-closed', 'purchase-order-created', 'store-settings-changed', 'reorder-levels-set', 'supplier-lead-time-set', 'staff-member-defined'].sort(),
    );
    expect(refusalFor('staff', 'product-changed')).toBe('Only the owner’s device can change products or prices.');
    expect(refusalFor('staff', 'products-defined')).toBe('Only the owner’s device can create products.');
    expect(refusalFor('staff', 'count-session-approved')).toBe('Only the owner’s device can approve counts.');
    expect(refusalFor('owner', 'product-changed')).toBeUndefined();
    for (const kind of Object.keys(KINDS) as EventKind[]) {
      if (requiredRole(kind) === 'anyone') expect(refusalFor('staff', kind), kind).toBeUndefined();
    }
  });

  it('refuses a staff device at the command with the table’s sentence, before any rule', () => {
    const till = new Till('dev-a', { role: 'staff' });
    for (const command of COMMANDS.filter((c) => c.permission === 'owner')) {
      const result = command.run(undefined as never, till.context());
      const kind = command.records[0] as EventKind;
      expect(result).toEqual({ ok: false, errors: [{ message: `${refusalFor('staff', kind)} Ask the owner to do it on their device.` }] });
    }
  });
});
