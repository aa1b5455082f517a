/**
 * Store operations (issue 7): purchase orders, count sessions, the cashier's shift, transfers,
 * returnable quantities and cash rounding. Expected numbers are worked by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/domain/events.ts';
import {
  Books,
  applyUnknown,
  approvalLines,
  cashRounding,
  countSession,
  countedTotals,
  parseEvent,
  purchaseOrders,
  returnableQty,
  shiftReport,
  transfers,
  type ValuationMethod,
} from '../../src/domain/index.ts';
import { settle } from '../../src/domain/cart.ts';
import { Device } from './support/event-factory.ts';
import { balanceOf, journalEntries, journalEntryOf } from '../../src/domain/journal.ts';
import { cardThenCash, euroRules } from './support/payment.ts';

function ledgerOf(events: LedgerEvent[], method: ValuationMethod = 'fifo'): Books {
  const ledger = new Books({ valuation: method, currency: 'EUR' });
  for (const event of events) expect(ledger.apply(event).status).toBe('applied');
  return ledger;
}

function expectBooksBalance(ledger: Books): void {
  for (const entry of journalEntries(ledger)) {
    const debit = entry.lines.reduce((s, l) => s + l.debit, 0);
    const credit = entry.lines.reduce((s, l) => s + l.credit, 0);
    expect(debit, `${entry.kind} ${entry.eventId}`).toBe(credit);
  }
  expect(balanceOf(ledger, 'inventory')).toBe(ledger.inventoryValue());
}

describe('purchase orders', () => {
  const owner = new Device('office');
  const floor = new Device('tablet');
  // PO-1: tea 10 @ 2.50, mug 5 @ 4.00.
  const order = owner.purchaseOrder('PO-1', [
    { productId: 'tea', qty: 10, unitCost: 250 },
    { productId: 'mug', qty: 5, unitCost: 400 },
  ]);
  const first = floor.receiveAgainst('PO-1', [{ productId: 'tea', qty: 4, unitCost: 250 }]);
  const second = floor.receiveAgainst('PO-1', [
    { productId: 'tea', qty: 6, unitCost: 250 },
    { productId: 'mug', qty: 6, unitCost: 400 },
    { productId: 'jam', qty: 2, unitCost: 300 },
  ]);

  it('is open until something arrives, and has no stock effect', () => {
    const ledger = ledgerOf([order]);
    expect(purchaseOrders(ledger)).toEqual([
      {
        purchaseOrderId: 'PO-1',
        supplier: 'Supplier',
        expectedAt: '2024-05-01',
        status: 'open',
        closedReason: undefined,
        receiptIds: [],
        lines: [
          { productId: 'tea', ordered: 10, received: 0, outstanding: 10, over: 0, unitCost: 250 },
          { productId: 'mug', ordered: 5, received: 0, outstanding: 5, over: 0, unitCost: 400 },
        ],
      },
    ]);
    expect(ledger.stockLevels()).toEqual([]);
    expect(journalEntries(ledger)).toEqual([]);
  });

  it('is partially received after the first delivery', () => {
    const [po] = purchaseOrders(ledgerOf([order, first]));
    expect(po?.status).toBe('partially-received');
    expect(po?.lines[0]).toMatchObject({ productId: 'tea', received: 4, outstanding: 6 });
  });

  it('is over-delivered when more (or a product not ordered) arrives; receipts still post stock', () => {
    const ledger = ledgerOf([order, first, second]);
    const [po] = purchaseOrders(ledger);
    expect(po?.status).toBe('over-delivered');
    expect(po?.receiptIds).toEqual([first.id, second.id]);
    expect(po?.lines).toEqual([
      { productId: 'tea', ordered: 10, received: 10, outstanding: 0, over: 0, unitCost: 250 },
      { productId: 'mug', ordered: 5, received: 6, outstanding: 0, over: 1, unitCost: 400 },
      { productId: 'jam', ordered: 0, received: 2, outstanding: 0, over: 2, unitCost: undefined },
    ]);
    // Inventory: 10×250 + 6×400 + 2×300 = 2500 + 2400 + 600 = 5500, against GRNI.
    expect(balanceOf(ledger, 'inventory')).toBe(5500);
    expect(balanceOf(ledger, 'goodsReceivedNotInvoiced')).toBe(-5500);
  });

  it('is received when every line is complete, closed once closed, in any arrival order', () => {
    const exact = floor.receiveAgainst('PO-1', [
      { productId: 'tea', qty: 6, unitCost: 250 },
      { productId: 'mug', qty: 5, unitCost: 400 },
    ]);
    expect(purchaseOrders(ledgerOf([exact, first, order]))[0]?.status).toBe('received');
    const closed = owner.closePurchaseOrder('PO-1');
    const view = purchaseOrders(ledgerOf([closed, order, first]))[0];
    expect(view?.status).toBe('closed');
    expect(view?.closedReason).toBe('Supplier cannot deliver the rest');
    expect(view?.lines[0]).toMatchObject({ outstanding: 6 });
  });
});

describe('count sessions', () => {
  const office = new Device('office');
  const phoneA = new Device('phone-a');
  const phoneB = new Device('phone-b');
  // 20 tea on hand at 1.00.
  const opening = office.opening([{ productId: 'tea', qty: 20, unitCost: 100 }], { at: 1_700_000_001_000 });
  const open = office.openCount('C-1', { at: 1_700_000_002_000, productIds: ['tea', 'mug'] });
  const a1 = phoneA.recordCount('C-1', 'tea', 3, { at: 1_700_000_003_000 });
  const a2 = phoneA.recordCount('C-1', 'tea', 4, { at: 1_700_000_004_000 });
  const b1 = phoneB.recordCount('C-1', 'tea', 10, { at: 1_700_000_003_500 });
  const bUndo = phoneB.recordCount('C-1', 'tea', -1, { at: 1_700_000_004_500 });
  const counts = [opening, open, a1, a2, b1, bUndo];

  it('merges increments from several devices and shows the variance before approval', () => {
    // Counted 3 + 4 + 10 − 1 = 16; expected 20; variance −4 × 1.00 = −4.00. Mug is in scope, not counted.
    const view = countSession(ledgerOf([...counts].reverse()), 'C-1');
    expect(view).toEqual({
      countSessionId: 'C-1',
      name: 'Aisle 3',
      locationId: 'loc-1',
      blind: true,
      uncounted: 'leave',
      status: 'open',
      approvalId: undefined,
      lateIncrements: 0,
      // As at each product's latest count (tea: phone B's undo); nothing moved since.
      lines: [
        { productId: 'mug', counted: 0, expected: 0, varianceQty: 0, varianceValue: 0, recorded: false, countedAt: undefined, movedSince: 0, resulting: 0 },
        { productId: 'tea', counted: 16, expected: 20, varianceQty: -4, varianceValue: -400, recorded: true, countedAt: bUndo.hlc, movedSince: 0, resulting: 16 },
      ],
    });
    expect(countedTotals(ledgerOf(counts), 'C-1')).toEqual([{ productId: 'tea', countedQty: 16 }]);
  });

  it('approval is a count at its place in ledger order; shrinkage goes to its account', () => {
    const approve = office.approveCount('C-1', [{ productId: 'tea', countedQty: 16 }], { at: 1_700_000_010_000 });
    const ledger = ledgerOf([...counts, approve]);
    expect(ledger.onHand('tea', 'loc-1')).toBe(16);
    // 4 units out at 1.00: Dr Shrinkage 400, Cr Inventory 400.
    expect(journalEntryOf(ledger, approve.id)?.lines).toEqual([
      { account: 'inventoryShrinkage', code: '5100', debit: 400, credit: 0, productId: 'tea', locationId: 'loc-1' },
      { account: 'inventory', code: '1200', debit: 0, credit: 400, productId: 'tea', locationId: 'loc-1' },
    ]);
    expect(countSession(ledger, 'C-1')).toMatchObject({
      status: 'approved',
      approvalId: approve.id,
      lines: [{ productId: 'tea', counted: 16, expected: 20, varianceQty: -4, varianceValue: -400, recorded: true }],
    });
    expectBooksBalance(ledger);
  });

  it('a sale made before the approval but synced after it reduces the variance, not the stock', () => {
    const approve = office.approveCount('C-1', [{ productId: 'tea', countedQty: 16 }], { at: 1_700_000_010_000 });
    const till = new Device('till');
    const sale = till.sale([{ productId: 'tea', qty: 2 }], { at: 1_700_000_005_000 });
    const ledger = ledgerOf([...counts, approve, sale]);
    // Projected at the approval: 20 − 2 = 18; counted 16 → adjustment −2 (200 shrinkage).
    expect(ledger.onHand('tea', 'loc-1')).toBe(16);
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(200);
    expect(countSession(ledger, 'C-1')?.lines[0]).toMatchObject({ expected: 18, varianceQty: -2, varianceValue: -200 });
  });

  it('only the first approval counts, whichever arrives first; late increments change nothing', () => {
    const first = office.approveCount('C-1', [{ productId: 'tea', countedQty: 16 }], { at: 1_700_000_010_000 });
    const second = phoneA.approveCount('C-1', [{ productId: 'tea', countedQty: 30 }], { at: 1_700_000_020_000 });
    const late = phoneB.recordCount('C-1', 'tea', 1, { at: 1_700_000_030_000 });
    for (const order of [
      [...counts, first, second, late],
      [late, second, ...counts, first],
    ]) {
      const ledger = ledgerOf(order);
      expect(ledger.onHand('tea', 'loc-1')).toBe(16);
      expect(journalEntryOf(ledger, second.id)?.lines).toEqual([]);
      expect(countSession(ledger, 'C-1')).toMatchObject({ approvalId: first.id, lateIncrements: 1 });
      expectBooksBalance(ledger);
    }
  });
});

describe('a count takes effect as at the moment each product was counted (issue 14, item 7)', () => {
  const office = new Device('office');
  const phone = new Device('phone');
  const dock = new Device('dock');
  const till = new Device('till');
  // 20 tea at 1.00; a full count opens; the phone counts 12 + 4 = 16 tea (4 short); then 48 tea
  // arrive at 1.00 and 2 are sold before the owner approves.
  const opening = office.opening([{ productId: 'tea', qty: 20, unitCost: 100 }, { productId: 'mug', qty: 5, unitCost: 400 }], { at: 1_700_000_001_000 });
  const open = office.openCount('C-7', { at: 1_700_000_002_000 });
  const first = phone.recordCount('C-7', 'tea', 12, { at: 1_700_000_003_000 });
  const second = phone.recordCount('C-7', 'tea', 4, { at: 1_700_000_004_000 });
  const delivery = dock.receive([{ productId: 'tea', qty: 48, unitCost: 100 }], { at: 1_700_000_005_000 });
  const sale = till.sale([{ productId: 'tea', qty: 2 }], { at: 1_700_000_006_000 });
  const before = [opening, open, first, second, delivery, sale];

  it('keeps a delivery and a sale made between counting and approving; the shrinkage is only the real variance', () => {
    const lines = approvalLines(ledgerOf(before), 'C-7');
    expect(lines).toEqual([{ productId: 'tea', countedQty: 16, countedAt: second.hlc }]);
    const approve = office.approveCount('C-7', lines, { at: 1_700_000_010_000 });
    for (const order of [[...before, approve], [approve, sale, delivery, ...before.slice(0, 4)]]) {
      const ledger = ledgerOf(order);
      // 16 counted + 48 received − 2 sold since = 62; the adjustment is 16 − 20 = −4 (4.00 shrinkage).
      expect(ledger.onHand('tea', 'loc-1')).toBe(62);
      expect(ledger.onHand('mug', 'loc-1')).toBe(5); // not counted: left as it was
      expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(400);
      expect(countSession(ledger, 'C-7')?.lines).toEqual([
        { productId: 'tea', counted: 16, expected: 20, varianceQty: -4, varianceValue: -400, recorded: true, countedAt: second.hlc, movedSince: 46, resulting: 62 },
      ]);
      expectBooksBalance(ledger);
    }
  });

  it('shows the same before approving: expected at count time, moved since, resulting stock', () => {
    const view = countSession(ledgerOf(before), 'C-7');
    expect(view?.uncounted).toBe('leave');
    expect(view?.lines).toEqual([
      { productId: 'tea', counted: 16, expected: 20, varianceQty: -4, varianceValue: -400, recorded: true, countedAt: second.hlc, movedSince: 46, resulting: 62 },
    ]);
  });

  it('takes the expected quantity at the latest increment: a sale between two increments is in the count', () => {
    // Devices' clocks only go forward: a till of its own for a sale back in time.
    const between = new Device('till-2').sale([{ productId: 'tea', qty: 1 }], { at: 1_700_000_003_500 });
    const ledger = ledgerOf([...before, between]);
    // Expected at the second increment: 20 − 1 = 19; counted 16 → −3.
    expect(countSession(ledger, 'C-7')?.lines[0]).toMatchObject({ expected: 19, varianceQty: -3, movedSince: 46, resulting: 62 });
  });

  it('folds an approval recorded before this rule (no countedAt) exactly as before: the count is the stock at the approval', () => {
    const approve = office.approveCount('C-7', [{ productId: 'tea', countedQty: 16 }], { at: 1_700_000_010_000 });
    const ledger = ledgerOf([...before, approve]);
    expect(ledger.onHand('tea', 'loc-1')).toBe(16);
    // 66 expected at the approval: 50 units of shrinkage at 1.00.
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(5000);
    expect(countSession(ledger, 'C-7')?.lines[0]).toMatchObject({ counted: 16, expected: 66, varianceQty: -50, countedAt: undefined, movedSince: 0, resulting: 16 });
  });

  it('sets products nobody counted to zero as at the opening when the count was opened so; later movements are kept', () => {
    const [owner, counter, supplier] = [new Device('office-2'), new Device('phone-2'), new Device('dock-2')];
    const zeroing = owner.openCount('C-8', { at: 1_700_000_002_000, uncounted: 'set-to-zero' });
    const counted = counter.recordCount('C-8', 'tea', 16, { at: 1_700_000_004_100 });
    const mugs = supplier.receive([{ productId: 'mug', qty: 3, unitCost: 400 }], { at: 1_700_000_005_500 });
    const events = [opening, zeroing, counted, delivery, mugs];
    const view = countSession(ledgerOf(events), 'C-8');
    expect(view?.uncounted).toBe('set-to-zero');
    // Mug: 5 at the opening, nobody counted it → 0 then; the 3 received since are kept.
    expect(view?.lines).toEqual([
      { productId: 'mug', counted: 0, expected: 5, varianceQty: -5, varianceValue: -2000, recorded: false, countedAt: zeroing.hlc, movedSince: 3, resulting: 3 },
      { productId: 'tea', counted: 16, expected: 20, varianceQty: -4, varianceValue: -400, recorded: true, countedAt: counted.hlc, movedSince: 48, resulting: 64 },
    ]);
    const lines = approvalLines(ledgerOf(events), 'C-8');
    expect(lines).toEqual([
      { productId: 'mug', countedQty: 0, countedAt: zeroing.hlc },
      { productId: 'tea', countedQty: 16, countedAt: counted.hlc },
    ]);
    const ledger = ledgerOf([...events, owner.approveCount('C-8', lines, { at: 1_700_000_010_000 })]);
    expect(ledger.onHand('mug', 'loc-1')).toBe(3);
    expect(ledger.onHand('tea', 'loc-1')).toBe(64);
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(2000 + 400);
    expectBooksBalance(ledger);
  });

  it('validates the new fields: countedAt is an HLC stamp, uncounted is leave or set-to-zero', () => {
    const approve = office.approveCount('C-7', [{ productId: 'tea', countedQty: 16, countedAt: second.hlc }]);
    expect(parseEvent(approve).ok).toBe(true);
    expect(parseEvent({ ...approve, lines: [{ productId: 'tea', countedQty: 16, countedAt: 'yesterday' }] })).toMatchObject({ ok: false, error: expect.stringContaining('lines[0].countedAt: must be an HLC stamp') });
    expect(parseEvent(office.openCount('C-9', { uncounted: 'set-to-zero' })).ok).toBe(true);
    expect(parseEvent({ ...open, uncounted: 'zero' })).toMatchObject({ ok: false, error: expect.stringContaining('uncounted') });
  });
});

describe('cashier shift', () => {
  const till = new Device('till-1');
  const opening = till.opening([{ productId: 'tea', qty: 50, unitCost: 100 }]);
  const open = till.openShift('S-1', 10_000);
  // Tea sells at 10.00 + 20 % tax = 12.00 a unit.
  const cashSale = till.sale([{ productId: 'tea', qty: 2 }], { shiftId: 'S-1' }); // cash 2400
  const cardSale = till.sale([{ productId: 'tea', qty: 1 }], { shiftId: 'S-1', tender: 'card' }); // card 1200
  const voided = till.sale([{ productId: 'tea', qty: 1 }], { shiftId: 'S-1' }); // cash 1200, voided
  const voidIt = till.voidSale(voided.id); // no shiftId: counts in the sale's shift
  const refund = till.returnGoods([{ productId: 'tea', qty: 1 }], { shiftId: 'S-1', saleId: cashSale.id }); // cash −1200
  const drop = till.moveCash('S-1', -5_000);
  const change = till.moveCash('S-1', 1_000);
  const during = [opening, open, cashSale, cardSale, voided, voidIt, refund, drop, change];

  it('X report while open', () => {
    // Expected = 10000 + (2400 + 1200) − 1200 (void) − 1200 (refund) + 1000 − 5000 = 7200.
    expect(shiftReport(ledgerOf(during), 'S-1')).toEqual({
      shiftId: 'S-1',
      report: 'X',
      status: 'open',
      opened: true,
      openedAt: open.recordedAt,
      closedAt: undefined,
      closeEventId: undefined,
      float: 10_000,
      cashSales: 3_600,
      cardSales: 1_200,
      cashVoids: 1_200,
      cardVoids: 0,
      cashRefunds: 1_200,
      cardRefunds: 0,
      cashIn: 1_000,
      cashOut: 5_000,
      expectedCash: 7_200,
      countedCash: undefined,
      difference: undefined,
      sales: 3,
      voids: 1,
      returns: 1,
    });
  });

  it('Z report at close; a short drawer posts to Cash over and short', () => {
    const close = till.closeShift('S-1', 7_150);
    const ledger = ledgerOf([...during, close]);
    expect(shiftReport(ledger, 'S-1')).toMatchObject({ report: 'Z', status: 'closed', countedCash: 7_150, difference: -50 });
    expect(journalEntryOf(ledger, close.id)?.lines).toEqual([
      { account: 'cash', code: '1000', debit: 0, credit: 50 },
      { account: 'cashOverShort', code: '5200', debit: 50, credit: 0 },
    ]);
    // Float and drops post nothing: the drawer is part of Cash.
    expect(journalEntryOf(ledger, open.id)?.lines).toEqual([]);
    expect(journalEntryOf(ledger, drop.id)?.lines).toEqual([]);
    expectBooksBalance(ledger);
  });

  it('a sale synced after the close is attached to its shift and the difference follows', () => {
    const close = till.closeShift('S-1', 7_150);
    const offline = new Device('till-2');
    const late = offline.sale([{ productId: 'tea', qty: 1 }], { shiftId: 'S-1' }); // cash 1200
    const ledger = ledgerOf([...during, close, late]);
    // Expected 7200 + 1200 = 8400; counted 7150 → short 1250.
    expect(shiftReport(ledger, 'S-1')).toMatchObject({ expectedCash: 8_400, difference: -1_250, sales: 4 });
    expect(balanceOf(ledger, 'cashOverShort')).toBe(1_250);
    expectBooksBalance(ledger);
  });

  it('an over drawer credits over and short; a second close changes nothing', () => {
    const close = till.closeShift('S-1', 7_300);
    const again = till.closeShift('S-1', 9_999);
    const ledger = ledgerOf([...during, close, again]);
    expect(shiftReport(ledger, 'S-1')).toMatchObject({ closeEventId: close.id, difference: 100 });
    expect(balanceOf(ledger, 'cashOverShort')).toBe(-100);
    expect(journalEntryOf(ledger, again.id)?.lines).toEqual([]);
  });

  it('knows nothing of a shift no event names', () => {
    expect(shiftReport(ledgerOf(during), 'S-2')).toBeUndefined();
  });
});

describe('transfers', () => {
  const warehouse = new Device('wh', 'A');
  const shop = new Device('shop', 'B');
  const opening = warehouse.opening([{ productId: 'tea', qty: 30, unitCost: 100 }]);
  const out = warehouse.transferOut('T-1', 'B', [{ productId: 'tea', qty: 10 }]);
  const part = shop.transferIn('T-1', 'A', [{ productId: 'tea', qty: 6 }]);

  it('shows sent vs received, the discrepancy and the value still in transit', () => {
    expect(transfers(ledgerOf([opening, out]))[0]).toEqual({
      transferId: 'T-1',
      fromLocationId: 'A',
      toLocationId: 'B',
      status: 'sent',
      lines: [{ productId: 'tea', sent: 10, received: 0, discrepancy: 10, valueInTransit: 1000 }],
    });
    // 6 arrived: 4 × 1.00 still in transit.
    expect(transfers(ledgerOf([opening, out, part]))[0]).toMatchObject({
      status: 'partially-received',
      lines: [{ sent: 10, received: 6, discrepancy: 4, valueInTransit: 400 }],
    });
    const rest = shop.transferIn('T-1', 'A', [{ productId: 'tea', qty: 4 }]);
    expect(transfers(ledgerOf([opening, out, part, rest]))[0]?.status).toBe('received');
  });

  it('flags more received than sent, and a receipt whose dispatch has not synced', () => {
    const extra = shop.transferIn('T-1', 'A', [{ productId: 'tea', qty: 5 }]);
    const view = transfers(ledgerOf([opening, out, part, extra]));
    expect(view[0]).toMatchObject({ status: 'over-received', lines: [{ sent: 10, received: 11, discrepancy: -1 }] });
    expect(transfers(ledgerOf([part]))[0]).toMatchObject({ status: 'not-sent', fromLocationId: 'A', toLocationId: 'B' });
  });
});

describe('returnableQty', () => {
  const till = new Device('till');
  const opening = till.opening([
    { productId: 'tea', qty: 10, unitCost: 100 },
    { productId: 'mug', qty: 10, unitCost: 300 },
  ]);
  const sale = till.sale([
    { productId: 'tea', qty: 3 },
    { productId: 'mug', qty: 2 },
  ]);

  it('is sold minus already returned, per line', () => {
    const byLine = till.returnGoods([{ productId: 'tea', qty: 1, saleLineId: 'line-1' }], { saleId: sale.id });
    const byProduct = till.returnGoods([{ productId: 'mug', qty: 2 }], { saleId: sale.id });
    expect(returnableQty(ledgerOf([opening, sale, byLine, byProduct]), sale.id)).toEqual([
      { lineId: 'line-1', productId: 'tea', sold: 3, returned: 1, returnable: 2 },
      { lineId: 'line-2', productId: 'mug', sold: 2, returned: 2, returnable: 0 },
    ]);
  });

  it('is zero after a void; an over-return is kept by the ledger without failing', () => {
    expect(returnableQty(ledgerOf([opening, sale, till.voidSale(sale.id)]), sale.id)?.map((l) => l.returnable)).toEqual([0, 0]);
    const tooMany = till.returnGoods([{ productId: 'tea', qty: 5, saleLineId: 'line-1' }], { saleId: sale.id });
    const ledger = ledgerOf([opening, sale, tooMany]);
    expect(returnableQty(ledger, sale.id)?.[0]).toMatchObject({ returned: 5, returnable: 0 });
    expect(ledger.onHand('tea', 'loc-1')).toBe(10 - 3 + 5);
    expectBooksBalance(ledger);
  });

  it('is undefined for a sale not known yet', () => {
    expect(returnableQty(ledgerOf([opening]), sale.id)).toBeUndefined();
  });
});

describe('cashRounding', () => {
  it.each([
    [1232, 5, 1230],
    [1233, 5, 1235],
    [1235, 5, 1235],
    [-1233, 5, -1235],
    [1235, 10, 1240], // exact half: away from zero
    [-1235, 10, -1240],
    [1234, 10, 1230],
    [-2, 5, 0],
    [4999, 100, 5000],
    [1234, 1, 1234],
  ])('rounds %i to steps of %i: %i', (amount, increment, expected) => {
    expect(cashRounding(amount, increment)).toBe(expected);
  });

  it('refuses a fractional amount or a non-positive increment', () => {
    expect(() => cashRounding(12.5, 5)).toThrow(/whole number of minor units/);
    expect(() => cashRounding(100, 0)).toThrow(/positive whole increment/);
    expect(() => cashRounding(100, 2.5)).toThrow(/positive whole increment/);
  });
});

describe('cash rounding at the till', () => {
  // Francs paid in 5-rappen steps. Tea at 10.26 net + 20 % tax = 12.31 (tax 2.05, rounded per line).
  const till = new Device('till-chf');
  const opening = till.opening([{ productId: 'tea', qty: 10, unitCost: 500 }]);
  const open = till.openShift('S-CHF', 10_000);

  it('settle rounds only the cash part, half away from zero', () => {
    expect(settle(1231, cardThenCash(0, 1230), euroRules(5))).toEqual({
      ok: true,
      value: { tenders: [{ method: 'cash', amount: 1230 }], change: 0, cashRounding: -1, cashDue: 1230 },
    });
    // 12.33 → 12.35: the customer pays 2 more; 20.00 handed over gives 7.65 change.
    expect(settle(1233, cardThenCash(0, 2000), euroRules(5))).toEqual({
      ok: true,
      value: { tenders: [{ method: 'cash', amount: 1235, received: 2000 }], change: 765, cashRounding: 2, cashDue: 1235 },
    });
    // Split: the card pays 10.00 exactly; the cash rest 2.31 rounds to 2.30.
    expect(settle(1231, cardThenCash(1000, 230), euroRules(5))).toMatchObject({
      ok: true,
      value: { tenders: [{ method: 'card', amount: 1000 }, { method: 'cash', amount: 230 }], cashRounding: -1 },
    });
    // All by card: nothing is rounded.
    expect(settle(1231, cardThenCash(1231, 0), euroRules(5))).toMatchObject({ ok: true, value: { tenders: [{ method: 'card', amount: 1231 }], cashRounding: 0 } });
    // 0.02 in cash rounds to nothing: the cash tender of 0 carries the rounding.
    expect(settle(2, cardThenCash(0, 0), euroRules(5))).toMatchObject({ ok: true, value: { tenders: [{ method: 'cash', amount: 0 }], cashRounding: -2 } });
    expect(settle(1233, cardThenCash(0, 1233), euroRules(5))).toEqual({ ok: false, error: 'Not enough paid yet: the customer still owes money.' });
    // Step 1 (the default) changes nothing.
    expect(settle(1231, cardThenCash(0, 1231), euroRules())).toMatchObject({ ok: true, value: { cashRounding: 0, cashDue: 1231 } });
  });

  it('a rounded sale, its void and a rounded refund post the rounding to 5200 and keep the books balanced', () => {
    const down = till.sale([{ productId: 'tea', qty: 1, unitPrice: 1026 }], { shiftId: 'S-CHF', cashRounding: -1 }); // gross 1231, cash 1230
    const up = till.sale([{ productId: 'tea', qty: 1, unitPrice: 1028 }], { shiftId: 'S-CHF', cashRounding: 1 }); // gross 1234, cash 1235
    const voidUp = till.voidSale(up.id);
    // Refund of 12.31 in cash, paid out as 12.30.
    const refund = till.returnGoods([{ productId: 'tea', qty: 1, refundPerUnit: 1231 }], { shiftId: 'S-CHF', saleId: down.id, cashRounding: -1 });
    for (const event of [down, up, voidUp, refund]) expect(parseEvent(event)).toEqual({ ok: true, event, exact: true });
    const ledger = ledgerOf([opening, open, down, up, voidUp, refund]);
    expect(journalEntryOf(ledger, down.id)?.lines).toEqual(
      expect.arrayContaining([
        { account: 'cash', code: '1000', debit: 1230, credit: 0 },
        { account: 'cashOverShort', code: '5200', debit: 1, credit: 0 },
        { account: 'revenue', code: '4000', debit: 0, credit: 1026 },
      ]),
    );
    expect(journalEntryOf(ledger, up.id)?.lines).toEqual(expect.arrayContaining([{ account: 'cashOverShort', code: '5200', debit: 0, credit: 1 }]));
    expect(journalEntryOf(ledger, voidUp.id)?.lines).toEqual(expect.arrayContaining([{ account: 'cashOverShort', code: '5200', debit: 1, credit: 0 }]));
    expect(journalEntryOf(ledger, refund.id)?.lines).toEqual(
      expect.arrayContaining([
        { account: 'cash', code: '1000', debit: 0, credit: 1230 },
        { account: 'cashOverShort', code: '5200', debit: 0, credit: 1 },
      ]),
    );
    // down −1, up +1, void of up −1, refund +1: 5200 nets to 0.
    expect(balanceOf(ledger, 'cashOverShort')).toBe(0);
    // The drawer holds what changed hands: 100.00 + 12.30 + 12.35 − 12.35 (void) − 12.30 (refund).
    expect(shiftReport(ledger, 'S-CHF')).toMatchObject({ cashSales: 2465, cashVoids: 1235, cashRefunds: 1230, expectedCash: 10_000 });
    expectBooksBalance(ledger);
  });

  const sale = till.sale([{ productId: 'tea', qty: 1, unitPrice: 1026 }], { cashRounding: -1 });
  const edit = (patch: Record<string, unknown>): unknown => ({ ...structuredClone(sale), ...patch });
  it.each([
    ['a rounding the tenders do not include', edit({ cashRounding: -2 }), 'tenders: amounts must add up to totals.gross plus cashRounding (1231 + -2), got 1230'],
    ['a rounding of zero', edit({ cashRounding: 0, tenders: [{ method: 'cash', amount: 1231 }] }), 'cashRounding: must be a non-zero rounding of at most 50 minor units either way'],
    ['a rounding larger than half the largest coin step', edit({ cashRounding: -51, tenders: [{ method: 'cash', amount: 1180 }] }), 'cashRounding: must be a non-zero rounding of at most 50 minor units either way'],
    ['a rounded card payment', edit({ tenders: [{ method: 'card', amount: 1230 }] }), 'cashRounding: needs a cash tender: only cash is rounded'],
    ['an unrounded cash payment short of the total', edit({ cashRounding: undefined }), 'tenders: amounts must add up to totals.gross (1231), got 1230'],
  ])('rejects %s', (_name, input, message) => {
    const result = parseEvent(JSON.parse(JSON.stringify(input)));
    expect(result.ok ? 'accepted' : result.error).toBe(message);
  });

  it('rejects a rounded card refund', () => {
    const refund = till.returnGoods([{ productId: 'tea', qty: 1 }], { refundMethod: 'card', cashRounding: 1 });
    const result = parseEvent(refund);
    expect(result.ok ? 'accepted' : result.error).toBe('cashRounding: needs refundMethod cash: only cash is rounded');
  });
});

describe('validation of the store-operation events', () => {
  const device = new Device('till-9');
  const valid: LedgerEvent[] = [
    device.purchaseOrder('PO-9', [{ productId: 'tea', qty: 3, unitCost: 120.5 }]),
    device.closePurchaseOrder('PO-9'),
    device.openCount('C-9'),
    device.openCount('C-10', { productIds: ['tea', 'mug'], blind: false }),
    device.recordCount('C-9', 'tea', -1),
    device.approveCount('C-9', [{ productId: 'tea', countedQty: 0 }]),
    device.approveCount('C-11', []),
    device.openShift('S-9', 0),
    device.moveCash('S-9', -2_000),
    device.closeShift('S-9', 0),
    device.voidSale('0190a1b2-c3d4-7000-8000-000000000001', { shiftId: 'S-9' }),
    device.returnGoods([{ productId: 'tea', qty: 1 }], { shiftId: 'S-9', refundMethod: 'card' }),
  ];

  it('accepts well-formed events unchanged', () => {
    for (const event of valid) expect(parseEvent(event)).toEqual({ ok: true, event, exact: true });
  });

  const [order, closed, opened, , recorded, approved, , shiftOpened, moved, shiftClosed] = valid as [
    LedgerEvent, LedgerEvent, LedgerEvent, LedgerEvent, LedgerEvent, LedgerEvent, LedgerEvent, LedgerEvent, LedgerEvent, LedgerEvent,
  ];
  const withField = (event: LedgerEvent, field: string, value: unknown): unknown => {
    const copy = structuredClone(event) as unknown as Record<string, unknown>;
    if (value === undefined) delete copy[field];
    else copy[field] = value;
    return copy;
  };
  const twoTeaLines = [
    { productId: 'tea', qty: 1, unitCost: 100 },
    { productId: 'tea', qty: 2, unitCost: 100 },
  ];

  it.each([
    ['an order line for the same product twice', withField(order, 'lines', twoTeaLines), 'lines[1].productId: product tea is on the order twice; put the whole quantity on one line'],
    ['an order without lines', withField(order, 'lines', []), 'lines: a purchase order needs at least one line'],
    ['an order line of zero', withField(order, 'lines', [{ productId: 'tea', qty: 0, unitCost: 1 }]), 'lines[0].qty: must be a positive quantity'],
    ['an expected date that is not a date', withField(order, 'expectedAt', 'next week'), 'expectedAt: must be an ISO 8601 date such as 2024-05-01, or a date-time with an offset'],
    ['a close without a reason', withField(closed, 'reason', undefined), 'reason: is missing'],
    ['a count session without blind', withField(opened, 'blind', undefined), 'blind: is missing'],
    ['a count session with an empty scope', withField(opened, 'productIds', []), 'productIds: must list at least one product, or be left out to count every product'],
    ['a count session listing a product twice', withField(opened, 'productIds', ['tea', 'tea']), 'productIds[1]: product tea is listed twice'],
    ['a count increment of zero', withField(recorded, 'qty', 0), 'qty: must not be zero (a negative number undoes earlier counts)'],
    ['a fractional count increment', withField(recorded, 'qty', 1.5), 'qty: must be a whole number of stock units'],
    ['a negative approved count', withField(approved, 'lines', [{ productId: 'tea', countedQty: -1 }]), 'lines[0].countedQty: must not be negative'],
    [
      'an approval counting a product twice',
      withField(approved, 'lines', [
        { productId: 'tea', countedQty: 1 },
        { productId: 'tea', countedQty: 2 },
      ]),
      'lines[1].productId: product tea is counted twice in one approval; merge the counts first',
    ],
    ['a negative float', withField(shiftOpened, 'float', -1), 'float: must not be negative'],
    ['a float in fractions of a cent', withField(shiftOpened, 'float', 10.5), 'float: must be a whole number of minor units (cents)'],
    ['a cash movement of zero', withField(moved, 'amount', 0), 'amount: must not be zero (positive puts cash into the drawer, negative takes it out)'],
    ['a close without counted cash', withField(shiftClosed, 'countedCash', undefined), 'countedCash: is missing'],
  ])('rejects %s', (_name, input, message) => {
    const result = parseEvent(input);
    expect(result.ok ? 'accepted' : result.error).toBe(message);
  });

  it('a rejected event changes nothing already projected', () => {
    const ledger = ledgerOf([order]);
    const before = purchaseOrders(ledger);
    expect(applyUnknown(ledger, withField(order, 'lines', twoTeaLines)).status).toBe('rejected');
    expect(purchaseOrders(ledger)).toEqual(before);
    expect(ledger.size).toBe(1);
  });
});
