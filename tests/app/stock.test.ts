/** Buying, transfers, counts, adjustments and the opening balance as commands. */
import { describe, expect, it } from 'vitest';
import {
  adjustStock,
  approveCount,
  closePurchaseOrder,
  countStock,
  createPurchaseOrder,
  openCount,
  receiveGoods,
  receiveTransfer,
  recordCount,
  recordOpeningBalance,
  sendTransfer,
} from '../../src/app/commands/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { BACK, bodiesOf, errorsOf, FLOOR, product, Till } from './support.ts';

const TEA = product('tea', { cost: 250 });
const RICE = product('rice', { name: 'Rice', unit: 'kg', price: 400, cost: 0.2 });

describe('receive goods', () => {
  it('records the delivery with its lines, naming the order it fills', () => {
    const till = new Till('dev-a');
    till.stock(TEA, 0);
    till.role = 'owner';
    const [order] = till.act(createPurchaseOrder, { supplier: 'Tea Co', expectedAt: '', lines: [{ productId: 'tea', qty: 10, unitCost: 250 }] });
    const purchaseOrderId = order?.kind === 'purchase-order-created' ? order.purchaseOrderId : 'missing';
    till.role = 'staff';
    expect(bodiesOf(till.run(receiveGoods, { supplier: ' Tea Co ', reference: '', purchaseOrderId, lines: [{ productId: 'tea', qty: 10, unitCost: 250 }] }))).toEqual([
      { kind: 'goods-received', supplier: 'Tea Co', reference: 'no delivery note', purchaseOrderId, lines: [{ productId: 'tea', qty: 10, unitCost: 250 }] },
    ]);
  });

  it('refuses a location the store lacks, no supplier, no lines, bad lines and an unknown order', () => {
    const till = new Till('dev-a', { locationId: 'loc-gone' });
    till.stock(TEA, 0);
    expect(errorsOf(till.run(receiveGoods, { supplier: ' ', reference: '', purchaseOrderId: 'po-x', lines: [] }))).toEqual([
      { field: 'location', message: "This device's location (loc-gone) is not one of the store's locations. Choose the location in Settings first." },
      { field: 'supplier', message: 'Enter the supplier.' },
      { field: 'purchaseOrderId', message: 'This purchase order is not on this device. Sync, then try again, or receive without an order.' },
      { field: 'lines', message: 'Add at least one product: scan it or search for it.' },
    ]);
    till.locationId = FLOOR.id;
    expect(errorsOf(till.run(receiveGoods, { supplier: 'Tea Co', reference: 'DN-1', lines: [{ productId: 'tea', qty: 0, unitCost: -1 }] }))).toEqual([
      { field: 'lines.0.qty', message: 'Product tea: 0 is not a quantity to record: use a whole number from 1, or remove the line.' },
      { field: 'lines.0.unitCost', message: 'Product tea, cost: enter a cost of zero or more.' },
    ]);
  });
});

describe('purchase orders (the owner’s)', () => {
  it('creates an order with a new id and an expected date; a staff device is told to ask the owner', () => {
    const till = new Till('dev-a', { role: 'owner' });
    till.stock(TEA, 0);
    const input = { supplier: 'Tea Co', expectedAt: '2024-05-01', lines: [{ productId: 'tea', qty: 5, unitCost: 250 }] };
    const [body] = bodiesOf(till.run(createPurchaseOrder, input));
    expect(body).toMatchObject({ kind: 'purchase-order-created', supplier: 'Tea Co', expectedAt: '2024-05-01', lines: input.lines });
    expect(body?.kind === 'purchase-order-created' && body.purchaseOrderId).toMatch(/^id-\d+$/);
    expect(errorsOf(till.run(createPurchaseOrder, { ...input, expectedAt: 'May 1st' }))).toEqual([
      { field: 'expectedAt', message: '"May 1st" is not a date: use the date picker or write it like 2024-05-01.' },
    ]);
    till.role = 'staff';
    expect(errorsOf(till.run(createPurchaseOrder, input))).toEqual([{ message: 'Only the owner’s device can create purchase orders. Ask the owner to do it on their device.' }]);
  });

  it('closes an open order with a reason, once', () => {
    const till = new Till('dev-a', { role: 'owner' });
    till.stock(TEA, 0);
    const [order] = till.act(createPurchaseOrder, { supplier: 'Tea Co', expectedAt: '', lines: [{ productId: 'tea', qty: 5, unitCost: 250 }] });
    const purchaseOrderId = order?.kind === 'purchase-order-created' ? order.purchaseOrderId : 'missing';
    expect(errorsOf(till.run(closePurchaseOrder, { purchaseOrderId, reason: ' ' }))).toEqual([
      { field: 'reason', message: 'Give a reason for closing the order, such as "Complete" or "Rest cancelled".' },
    ]);
    till.act(closePurchaseOrder, { purchaseOrderId, reason: ' Rest cancelled ' });
    expect(errorsOf(till.run(closePurchaseOrder, { purchaseOrderId, reason: 'Again' }))).toEqual([
      { field: 'purchaseOrderId', message: 'This order is closed already (Rest cancelled).' },
    ]);
    expect(errorsOf(till.run(closePurchaseOrder, { purchaseOrderId: 'po-x', reason: 'Complete' }))).toEqual([
      { field: 'purchaseOrderId', message: 'This purchase order is not on this device. Sync, then try again.' },
    ]);
  });
});

describe('transfers', () => {
  it('sends what is on hand here, and receives it at the other end from the right location', () => {
    const floor = new Till('dev-floor');
    floor.stock(TEA, 4);
    const [sent] = floor.act(sendTransfer, { toLocationId: BACK.id, lines: [{ productId: 'tea', qty: 4 }] });
    expect(sent).toMatchObject({ kind: 'transfer-out', toLocationId: BACK.id, lines: [{ productId: 'tea', qty: 4 }] });
    const transferId = sent?.kind === 'transfer-out' ? sent.transferId : 'missing';
    const back = new Till('dev-back', { locationId: BACK.id, catalog: floor.catalog, books: floor.books });
    expect(bodiesOf(back.run(receiveTransfer, { transferId, lines: [{ productId: 'tea', qty: 3 }, { productId: 'mug', qty: 0 }] }))).toEqual([
      { kind: 'transfer-in', transferId, fromLocationId: FLOOR.id, lines: [{ productId: 'tea', qty: 3 }] },
    ]);
    // The floor cannot receive its own transfer to the back room.
    expect(errorsOf(floor.run(receiveTransfer, { transferId, lines: [{ productId: 'tea', qty: 3 }] }))).toEqual([
      { field: 'transferId', message: 'This transfer goes to Back room, but this device is at Shop floor.' },
    ]);
  });

  it('refuses to send more than is on hand, in the product’s unit, and to send to itself', () => {
    const till = new Till('dev-floor');
    till.stock(TEA, 2);
    till.stock(RICE, 1500);
    expect(errorsOf(till.run(sendTransfer, { toLocationId: FLOOR.id, lines: [{ productId: 'tea', qty: 3 }, { productId: 'rice', qty: 2000 }] }))).toEqual([
      { field: 'toLocationId', message: 'Choose the location to send to.' },
      { field: 'lines.0.qty', message: 'Product tea: only 2 on hand at Shop floor, so 3 cannot be sent. Count the shelf, or send less.' },
      { field: 'lines.1.qty', message: 'Rice: only 1500 g on hand at Shop floor, so 2000 g cannot be sent. Count the shelf, or send less.' },
    ]);
    expect(errorsOf(till.run(sendTransfer, { toLocationId: BACK.id, lines: [] }))).toEqual([{ field: 'lines', message: 'Add at least one product: scan it or search for it.' }]);
    till.booksLoaded = false;
    expect(errorsOf(till.run(sendTransfer, { toLocationId: BACK.id, lines: [{ productId: 'tea', qty: 1 }] }))[0]?.message).toBe('The books are still loading on this device; try again in a moment.');
  });

  it('refuses to receive an unknown transfer or nothing at all', () => {
    const till = new Till('dev-back', { locationId: BACK.id });
    expect(errorsOf(till.run(receiveTransfer, { transferId: 't-x', lines: [{ productId: 'tea', qty: 0 }] }))).toEqual([
      { field: 'transferId', message: 'This transfer is not known on this device yet. Sync, then try again.' },
    ]);
    const floor = new Till('dev-floor', { books: till.books, catalog: till.catalog });
    floor.stock(TEA, 1);
    const [sent] = floor.act(sendTransfer, { toLocationId: BACK.id, lines: [{ productId: 'tea', qty: 1 }] });
    const transferId = sent?.kind === 'transfer-out' ? sent.transferId : 'missing';
    expect(errorsOf(till.run(receiveTransfer, { transferId, lines: [{ productId: 'tea', qty: 0 }] }))).toEqual([
      { field: 'lines', message: 'Nothing to receive: enter the quantity that arrived for at least one product.' },
    ]);
  });
});

describe('counts', () => {
  it('opens a named count, records increments in its scope, and the owner approves the merged totals', () => {
    const till = new Till('dev-a');
    till.stock(TEA, 5);
    till.stock(RICE, 0);
    expect(errorsOf(till.run(openCount, { name: ' ', blind: true, productIds: [] }))).toEqual([
      { field: 'name', message: 'Give the count a name, such as "Aisle 3" or "Dairy fridge".' },
      { field: 'productIds', message: 'Pick at least one product to count, or count every product at this location.' },
    ]);
    const [opened] = till.act(openCount, { name: ' Aisle 3 ', blind: true, productIds: ['tea', 'tea'] });
    expect(opened).toMatchObject({ kind: 'count-session-opened', name: 'Aisle 3', blind: true, productIds: ['tea'] });
    const countSessionId = opened?.kind === 'count-session-opened' ? opened.countSessionId : 'missing';
    till.act(recordCount, { countSessionId, productId: 'tea', qty: 1 });
    till.act(recordCount, { countSessionId, productId: 'tea', qty: 3 });
    expect(errorsOf(till.run(recordCount, { countSessionId, productId: 'rice', qty: 1 }))).toEqual([{ field: 'productId', message: 'Rice is not part of "Aisle 3". Nothing was counted.' }]);
    expect(errorsOf(till.run(recordCount, { countSessionId, productId: 'tea', qty: 0 }))).toEqual([
      { field: 'qty', message: '0 is not a count: use a whole number other than 0 (a negative one takes back).' },
    ]);
    expect(errorsOf(till.run(approveCount, { countSessionId }))).toEqual([{ message: 'Only the owner’s device can approve counts. Ask the owner to do it on their device.' }]);
    till.role = 'owner';
    const lastIncrement = till.books.eventsFor('count-session', countSessionId).at(-1);
    expect(bodiesOf(till.run(approveCount, { countSessionId }))).toEqual([
      { kind: 'count-session-approved', countSessionId, lines: [{ productId: 'tea', countedQty: 4, countedAt: lastIncrement?.hlc }] },
    ]);
    till.act(approveCount, { countSessionId });
    expect(errorsOf(till.run(approveCount, { countSessionId }))).toEqual([{ field: 'countSessionId', message: 'This count is approved already: start a new count to count again.' }]);
    expect(errorsOf(till.run(recordCount, { countSessionId, productId: 'tea', qty: 1 }))).toEqual([
      { field: 'countSessionId', message: 'This count was approved; Product tea was not counted. Start a new count to count again.' },
    ]);
  });

  it('takes a typed quantity (a case of 24) as one increment, and refuses to take back more than was counted', () => {
    const till = new Till('dev-a');
    till.stock(TEA, 30);
    const [opened] = till.act(openCount, { name: 'Tea shelf', blind: false });
    const countSessionId = opened?.kind === 'count-session-opened' ? opened.countSessionId : 'missing';
    expect(bodiesOf(till.run(recordCount, { countSessionId, productId: 'tea', qty: 24 }))).toEqual([{ kind: 'count-recorded', countSessionId, productId: 'tea', qty: 24 }]);
    till.act(recordCount, { countSessionId, productId: 'tea', qty: 24 });
    expect(errorsOf(till.run(recordCount, { countSessionId, productId: 'tea', qty: -25 }))).toEqual([
      { field: 'qty', message: 'Only 24 × Product tea counted so far: you cannot take back 25. Nothing was changed.' },
    ]);
    expect(errorsOf(till.run(recordCount, { countSessionId, productId: 'tea', qty: 2.5 }))).toEqual([
      { field: 'qty', message: '2.5 is not a count: use a whole number other than 0 (a negative one takes back).' },
    ]);
    till.act(recordCount, { countSessionId, productId: 'tea', qty: -24 });
    expect(till.books.eventsFor('count-session', countSessionId).filter((e) => e.kind === 'count-recorded')).toHaveLength(2);
  });

  it('records what happens to products nobody counts; a count opened before this choice leaves them', () => {
    const till = new Till('dev-a');
    till.stock(TEA, 5);
    const [zeroing] = till.act(openCount, { name: 'Full count', blind: true, uncounted: 'set-to-zero' });
    expect(zeroing).toMatchObject({ kind: 'count-session-opened', name: 'Full count', uncounted: 'set-to-zero' });
    expect(zeroing && 'productIds' in zeroing).toBe(false);
    const [leaving] = till.act(openCount, { name: 'Old style', blind: true });
    expect(leaving && 'uncounted' in leaving).toBe(false);
    const id = (e: LedgerEvent | undefined) => (e?.kind === 'count-session-opened' ? e.countSessionId : 'missing');
    till.role = 'owner';
    // Nobody counted tea: the zeroing count's approval sets it to 0 as at its opening; the other leaves it.
    expect(bodiesOf(till.run(approveCount, { countSessionId: id(zeroing) }))).toEqual([
      { kind: 'count-session-approved', countSessionId: id(zeroing), lines: [{ productId: 'tea', countedQty: 0, countedAt: zeroing?.hlc }] },
    ]);
    expect(bodiesOf(till.run(approveCount, { countSessionId: id(leaving) }))).toEqual([{ kind: 'count-session-approved', countSessionId: id(leaving), lines: [] }]);
    till.act(approveCount, { countSessionId: id(zeroing) });
    expect(till.books.onHand('tea', FLOOR.id)).toBe(0);
  });

  it('approves as at the moment of counting: a delivery received after the count and before the approval is kept', () => {
    const till = new Till('dev-a');
    till.stock(TEA, 20);
    const [opened] = till.act(openCount, { name: 'Dairy fridge', blind: false });
    const countSessionId = opened?.kind === 'count-session-opened' ? opened.countSessionId : 'missing';
    till.act(recordCount, { countSessionId, productId: 'tea', qty: 17 });
    till.act(receiveGoods, { supplier: 'Tea Co', reference: 'DN-9', lines: [{ productId: 'tea', qty: 48, unitCost: 250 }] });
    till.role = 'owner';
    const [approval] = till.act(approveCount, { countSessionId });
    // 17 counted (3 short of 20) + 48 delivered since = 65; shrinkage 3 × 2.50 only.
    expect(till.books.onHand('tea', FLOOR.id)).toBe(65);
    expect(till.books.movementsOf(approval?.id ?? '')).toMatchObject([{ qty: -3, value: -750, qtyAfter: 65 }]);
  });

  it('refuses to record or approve a count this device does not know', () => {
    const till = new Till('dev-a', { role: 'owner' });
    expect(errorsOf(till.run(recordCount, { countSessionId: 'c-x', productId: 'tea', qty: 1 }))).toEqual([{ field: 'countSessionId', message: 'This count is not on this device. Sync, then try again.' }]);
    expect(errorsOf(till.run(approveCount, { countSessionId: 'c-x' }))).toEqual([{ field: 'countSessionId', message: 'This count is not on this device. Sync, then try again.' }]);
  });
});

describe('stock set outside a sale', () => {
  it('adjusts by signed whole numbers with a reason and an optional note', () => {
    const till = new Till('dev-a');
    till.stock(TEA, 5);
    expect(bodiesOf(till.run(adjustStock, { reason: 'damage', note: ' dropped ', lines: [{ productId: 'tea', qty: -2 }] }))).toEqual([
      { kind: 'stock-adjusted', reason: 'damage', note: 'dropped', lines: [{ productId: 'tea', qty: -2 }] },
    ]);
    expect(errorsOf(till.run(adjustStock, { reason: 'found', lines: [{ productId: 'tea', qty: 0 }] }))).toEqual([
      { field: 'lines.0.qty', message: 'Product tea: 0 is not an adjustment: use a whole number, negative to take stock out.' },
    ]);
  });

  it('counts a shelf directly, 0 allowed', () => {
    const till = new Till('dev-a');
    till.stock(TEA, 3);
    expect(bodiesOf(till.run(countStock, { lines: [{ productId: 'tea', countedQty: 0 }] }))).toEqual([{ kind: 'stock-counted', lines: [{ productId: 'tea', countedQty: 0 }] }]);
    expect(errorsOf(till.run(countStock, { lines: [{ productId: 'tea', countedQty: -1 }] }))).toEqual([
      { field: 'lines.0.countedQty', message: 'Product tea: -1 is not a count: use a whole number from 0.' },
    ]);
  });

  it('records an opening balance on the owner’s device only', () => {
    const till = new Till('dev-a', { role: 'owner' });
    const lines = [{ productId: 'tea', qty: 12, unitCost: 250 }];
    expect(bodiesOf(till.run(recordOpeningBalance, { lines }))).toEqual([{ kind: 'opening-balance', lines }]);
    till.role = 'staff';
    expect(errorsOf(till.run(recordOpeningBalance, { lines }))).toEqual([{ message: 'Only the owner’s device can record opening balances. Ask the owner to do it on their device.' }]);
  });
});
