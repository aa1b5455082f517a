/** Reorder levels (issue 15): the owner's command, its refusals, and what it records; dead-stock days in the store settings. */
import { describe, expect, it } from 'vitest';
import { changeStoreSettings, setReorderLevels } from '../../src/app/commands/index.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { BACK, FLOOR, bodiesOf, errorsOf, product, Till } from './support.ts';

const owner = () => {
  const till = new Till('dev-owner', { role: 'owner' });
  till.stock(product('tea', { name: 'Tea' }), 10);
  return till;
};
const line = (locationId: string, reorderPoint: number | null, orderUpTo: number | null, productId = 'tea') => ({ productId, locationId, reorderPoint, orderUpTo });

describe('setReorderLevels', () => {
  it('records the lines that differ from the books, and the books then hold them', () => {
    const till = owner();
    const lines = [line(FLOOR.id, 5, 20), line(BACK.id, null, null)];
    // The back room had none: clearing it again is no change.
    expect(bodiesOf(till.run(setReorderLevels, { lines }))).toEqual([{ kind: 'reorder-levels-set', lines: [line(FLOOR.id, 5, 20)] }]);
    const [event] = till.act(setReorderLevels, { lines });
    expect(parseEvent(event).ok).toBe(true);
    expect([...till.books.reorderLevels().values()]).toEqual([{ productId: 'tea', locationId: FLOOR.id, reorderPoint: 5, orderUpTo: 20 }]);
    expect(bodiesOf(till.run(setReorderLevels, { lines }))).toEqual([]);
    // Clearing the floor's levels records a null line, and the books forget them.
    till.act(setReorderLevels, { lines: [line(FLOOR.id, null, null)] });
    expect([...till.books.reorderLevels().values()]).toEqual([]);
  });

  it('refuses bad levels, unknown products and locations, repeats, and a staff device, each with a sentence', () => {
    const till = owner();
    const refusal = (lines: ReturnType<typeof line>[]) => errorsOf(till.run(setReorderLevels, { lines }));
    expect(refusal([line(FLOOR.id, 10, 9)])).toEqual([
      { field: 'lines.0.orderUpTo', message: 'Tea at Shop floor: Order up to 9 is below the reorder point 10: order up to at least the reorder point.' },
    ]);
    expect(refusal([line(FLOOR.id, -1, null)])).toEqual([
      { field: 'lines.0.reorderPoint', message: 'Tea at Shop floor: The reorder point -1 is not a quantity: use a whole number from 0, or leave it empty for none.' },
    ]);
    expect(refusal([line(FLOOR.id, 1, 2.5)])).toEqual([
      { field: 'lines.0.orderUpTo', message: 'Tea at Shop floor: The order-up-to level 2.5 is not a quantity: use a whole number from 0, or leave it empty for none.' },
    ]);
    expect(refusal([line(FLOOR.id, 1, 2, 'ghost')])).toEqual([{ field: 'lines.0.productId', message: 'ghost is not in the catalog on this device. Sync, then try again.' }]);
    expect(refusal([line('loc-x', 1, 2)])).toEqual([{ field: 'lines.0.locationId', message: 'loc-x is not one of the store’s locations on this device. Sync, then try again.' }]);
    expect(refusal([line(FLOOR.id, 1, 2), line(FLOOR.id, 3, 4)])).toEqual([{ field: 'lines.1', message: 'Tea at Shop floor is listed twice: keep one line.' }]);
    expect(refusal([])).toEqual([{ field: 'lines', message: 'Give a reorder point or an order-up-to level for at least one product.' }]);
    till.role = 'staff';
    expect(refusal([line(FLOOR.id, 1, 2)])).toEqual([{ message: 'Only the owner’s device can set reorder points. Ask the owner to do it on their device.' }]);
  });
});

describe('the store’s dead-stock days', () => {
  it('defaults to 60, is the owner’s to change, from 1 to 3650 days', () => {
    const till = owner();
    expect(till.books.storeSettings().deadStockDays).toBe(60);
    expect(bodiesOf(till.run(changeStoreSettings, { deadStockDays: 90 }))).toEqual([{ kind: 'store-settings-changed', changes: { deadStockDays: 90 } }]);
    till.act(changeStoreSettings, { deadStockDays: 90 });
    expect(till.books.storeSettings().deadStockDays).toBe(90);
    for (const days of [0, 3651, 1.5]) {
      expect(errorsOf(till.run(changeStoreSettings, { deadStockDays: days }))).toEqual([{ field: 'deadStockDays', message: 'Dead stock after: enter a whole number of days from 1 to 3650.' }]);
    }
  });
});
