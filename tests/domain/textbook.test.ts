/**
 * Textbook examples beyond the golden files: a return, a count with variance (and a sale synced
 * after the count), a transfer through transit, a void, an oversell under moving average.
 * Every expected number is worked by hand in the comments, from the rules in
 * tests/fixtures/golden/README.md — never read back from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { Books, type ValuationMethod } from '../../src/domain/books/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { Device } from './support/event-factory.ts';
import { balanceOf, journalEntries, journalEntryOf, tAccount, trialBalance } from '../../src/domain/journal.ts';

function ledgerOf(method: ValuationMethod, events: LedgerEvent[]): Books {
  const ledger = new Books({ valuation: method, currency: 'EUR' });
  for (const event of events) expect(ledger.apply(event).status).toBe('applied');
  return ledger;
}

function expectBooksBalance(ledger: Books): void {
  const trial = trialBalance(ledger);
  expect(trial.totalDebit).toBe(trial.totalCredit);
  for (const entry of journalEntries(ledger)) {
    const debit = entry.lines.reduce((s, l) => s + l.debit, 0);
    const credit = entry.lines.reduce((s, l) => s + l.credit, 0);
    expect(debit, `${entry.kind} ${entry.eventId}`).toBe(credit);
  }
  expect(balanceOf(ledger, 'inventory')).toBe(ledger.inventoryValue());
}

describe('return with receipt (FIFO)', () => {
  // Receive 10 @ 5.00 and 10 @ 7.00; sell 15: COGS = 10×500 + 5×700 = 8500; left 5 @ 700 = 3500.
  // The customer brings 3 back (receipt, resaleable): the line's unit COGS is 8500 / 15 = 566.67,
  // so the return restocks round(3 × 566.666…) = round(1700) = 1700 as a new layer.
  // Stock: 8 units, 3500 + 1700 = 5200. Refund 3 × 12.00 incl. 20 % tax = 3600 (tax 600).
  // Then sell 6: FIFO takes 5 @ 700 = 3500 and 1 @ 566.67 → round(566.67) = 567: COGS 4067,
  // left 2 units worth 1700 − 567 = 1133. Net COGS = 8500 − 1700 + 4067 = 10867.
  const shop = new Device('till-1');
  const product = shop.product('tea', 500);
  const r1 = shop.receive([{ productId: 'tea', qty: 10, unitCost: 500 }]);
  const r2 = shop.receive([{ productId: 'tea', qty: 10, unitCost: 700 }]);
  const sale = shop.sale([{ productId: 'tea', qty: 15 }]);
  const ret = shop.returnGoods([{ productId: 'tea', qty: 3, saleLineId: 'line-1' }], { saleId: sale.id });
  const sale2 = shop.sale([{ productId: 'tea', qty: 6 }]);

  it('restocks at the COGS of the returned line', () => {
    const ledger = ledgerOf('fifo', [product, r1, r2, sale, ret]);
    expect(ledger.saleCogs(sale.id)?.[0]?.cogs).toBe(8500);
    expect(ledger.valuationOf('tea', 'loc-1')).toMatchObject({ qty: 8, value: 5200 });
    expect(ledger.movementsOf(ret.id)[0]).toMatchObject({ qty: 3, amount: 1700 });
    const journal = journalEntryOf(ledger, ret.id)?.lines ?? [];
    expect(journal).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ account: 'returns', debit: 3000 }),
        expect.objectContaining({ account: 'salesTaxPayable', debit: 600 }),
        expect.objectContaining({ account: 'cash', credit: 3600 }),
        expect.objectContaining({ account: 'inventory', debit: 1700 }),
        expect.objectContaining({ account: 'cogs', credit: 1700 }),
      ]),
    );
    expectBooksBalance(ledger);
  });

  it('sells the returned layer after the older one', () => {
    const ledger = ledgerOf('fifo', [product, r1, r2, sale, ret, sale2]);
    expect(ledger.saleCogs(sale2.id)?.[0]?.cogs).toBe(4067);
    expect(ledger.valuationOf('tea', 'loc-1')).toMatchObject({ qty: 2, value: 1133 });
    expect(balanceOf(ledger, 'cogs')).toBe(10867);
    expectBooksBalance(ledger);
  });

  it('a written-off return moves its cost from COGS to shrinkage and leaves stock alone', () => {
    // 2 damaged units come back: cost round(2 × 566.67) = 1133 moves from COGS to shrinkage.
    const damaged = shop.returnGoods([{ productId: 'tea', qty: 2, saleLineId: 'line-1', disposition: 'write-off' }], {
      saleId: sale.id,
    });
    const ledger = ledgerOf('fifo', [product, r1, r2, sale, damaged]);
    expect(ledger.valuationOf('tea', 'loc-1')).toMatchObject({ qty: 5, value: 3500 });
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(1133);
    expect(balanceOf(ledger, 'cogs')).toBe(8500 - 1133);
    expectBooksBalance(ledger);
  });
});

describe('count with variance (moving average)', () => {
  // Receive 100 @ 2.50 = 25000 and 50 @ 2.80 = 14000: average (25000 + 14000) / 150 = 260.
  // Sell 30: COGS 30 × 260 = 7800; 120 left, 31200.
  // Count: 115 on the shelf → adjustment 115 − 120 = −5 at 260 = 1300 to shrinkage; 115 left, 29900.
  const till = new Device('till-1', 'loc-1', 1_700_000_000_000);
  const offline = new Device('till-2', 'loc-1', 1_700_000_000_000);
  const events = [
    till.product('rice', 250),
    till.receive([{ productId: 'rice', qty: 100, unitCost: 250 }]),
    till.receive([{ productId: 'rice', qty: 50, unitCost: 280 }]),
    till.sale([{ productId: 'rice', qty: 30 }]),
  ];
  // A second till sold 2 units *before* the count but was offline; its sale syncs after the count.
  const lateSale = offline.sale([{ productId: 'rice', qty: 2 }], { at: 1_700_000_004_500 });
  const count = till.count([{ productId: 'rice', countedQty: 115 }], { at: 1_700_000_010_000 });

  it('posts counted minus projected', () => {
    const ledger = ledgerOf('average', [...events, count]);
    expect(ledger.movementsOf(count.id)[0]).toMatchObject({ qty: -5, amount: 1300 });
    expect(ledger.valuationOf('rice', 'loc-1')).toMatchObject({ qty: 115, value: 29900, unitCost: 260 });
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(1300);
    expectBooksBalance(ledger);
  });

  it('a sale made before the count but synced after it reduces the variance, not the stock', () => {
    // In ledger order the late sale comes before the count: 120 − 2 = 118 projected at the count,
    // so the variance is 115 − 118 = −3 (780). Sale COGS 2 × 260 = 520. Stock still 115 / 29900.
    const ledger = ledgerOf('average', [...events, count, lateSale]);
    expect(ledger.movementsOf(count.id)[0]).toMatchObject({ qty: -3, amount: 780 });
    expect(ledger.saleCogs(lateSale.id)?.[0]?.cogs).toBe(520);
    expect(ledger.valuationOf('rice', 'loc-1')).toMatchObject({ qty: 115, value: 29900 });
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(780);
    expect(balanceOf(ledger, 'cogs')).toBe(7800 + 520);
    expectBooksBalance(ledger);
  });
});

describe('transfer through transit (FIFO)', () => {
  // Warehouse receives 20 @ 3.00 = 6000 and 10 @ 3.60 = 3600. It sends 25 to the shop:
  // FIFO cost 20 × 300 + 5 × 360 = 7800; warehouse keeps 5 @ 360 = 1800; in transit 25 / 7800.
  // The shop receives 15, then 10: 15 × 312 = 4680 (7800 / 25 = 312 a unit), then the rest 3120.
  // The shop sells 10 at 312 = 3120 COGS; it keeps 15 worth 7800 − 3120 = 4680.
  // Books: Inventory 1800 + 4680 = 6480, In transit 0, COGS 3120, GRNI credit 9600.
  const warehouse = new Device('wh-1', 'loc-wh');
  const shop = new Device('shop-1', 'loc-shop');
  const product = warehouse.product('jam', 300);
  const r1 = warehouse.receive([{ productId: 'jam', qty: 20, unitCost: 300 }]);
  const r2 = warehouse.receive([{ productId: 'jam', qty: 10, unitCost: 360 }]);
  const out = warehouse.transferOut('T-1', 'loc-shop', [{ productId: 'jam', qty: 25 }]);
  const in1 = shop.transferIn('T-1', 'loc-wh', [{ productId: 'jam', qty: 15 }], { at: 1_700_000_100_000 });
  const in2 = shop.transferIn('T-1', 'loc-wh', [{ productId: 'jam', qty: 10 }]);
  const sale = shop.sale([{ productId: 'jam', qty: 10 }]);

  it('holds the goods in transit at the sender’s cost', () => {
    const ledger = ledgerOf('fifo', [product, r1, r2, out]);
    expect(ledger.valuationOf('jam', 'loc-wh')).toMatchObject({ qty: 5, value: 1800 });
    expect(ledger.inTransit()).toEqual([
      { transferId: 'T-1', productId: 'jam', fromLocationId: 'loc-wh', toLocationId: 'loc-shop', qty: 25, value: 7800 },
    ]);
    expect(balanceOf(ledger, 'inventoryInTransit')).toBe(7800);
    expect(balanceOf(ledger, 'inventory')).toBe(1800);
    expectBooksBalance(ledger);
  });

  it('receives in parts and sells at the transferred cost', () => {
    const ledger = ledgerOf('fifo', [product, r1, r2, out, in1]);
    expect(ledger.valuationOf('jam', 'loc-shop')).toMatchObject({ qty: 15, value: 4680 });
    expect(ledger.inTransit()).toMatchObject([{ qty: 10, value: 3120 }]);
    for (const event of [in2, sale]) ledger.apply(event);
    expect(ledger.inTransit()).toEqual([]);
    expect(ledger.saleCogs(sale.id)?.[0]?.cogs).toBe(3120);
    expect(ledger.valuationOf('jam', 'loc-shop')).toMatchObject({ qty: 15, value: 4680 });
    expect(balanceOf(ledger, 'inventory')).toBe(6480);
    expect(balanceOf(ledger, 'inventoryInTransit')).toBe(0);
    expect(balanceOf(ledger, 'goodsReceivedNotInvoiced')).toBe(-9600);
    expectBooksBalance(ledger);
  });

  it('gives the same numbers when the shop’s events sync before the warehouse’s', () => {
    const inOrder = ledgerOf('fifo', [product, r1, r2, out, in1, in2, sale]);
    const shopFirst = ledgerOf('fifo', [in1, in2, sale, product, r2, out, r1]);
    expect(shopFirst.stockLevels()).toEqual(inOrder.stockLevels());
    expect(journalEntries(shopFirst)).toEqual(journalEntries(inOrder));
  });
});

describe('sale void', () => {
  // Receive 10 @ 4.00; sell 4 (COGS 1600, cash 4 × 12.00 = 4800); void it: stock back to 10 / 4000,
  // COGS, revenue, tax and cash all back to zero.
  const till = new Device('till-1');
  const events = [till.product('soap', 400), till.receive([{ productId: 'soap', qty: 10, unitCost: 400 }])];
  const sale = till.sale([{ productId: 'soap', qty: 4 }]);
  const voided = till.voidSale(sale.id);

  it('reverses stock, COGS and money', () => {
    const ledger = ledgerOf('fifo', [...events, sale, voided]);
    expect(ledger.valuationOf('soap', 'loc-1')).toMatchObject({ qty: 10, value: 4000 });
    for (const account of ['cogs', 'revenue', 'salesTaxPayable', 'cash'] as const) expect(balanceOf(ledger, account)).toBe(0);
    expect(tAccount(ledger, 'cogs')).toMatchObject({ debits: [{ eventId: sale.id, amount: 1600 }], credits: [{ eventId: voided.id, amount: 1600 }] });
    expectBooksBalance(ledger);
  });

  it('a second void, or a void that arrives before its sale, is handled once', () => {
    const again = till.voidSale(sale.id);
    const ledger = ledgerOf('fifo', [voided, again, ...events, sale]);
    expect(ledger.valuationOf('soap', 'loc-1')).toMatchObject({ qty: 10, value: 4000 });
    expect(journalEntryOf(ledger, again.id)?.lines).toEqual([]);
    expect(balanceOf(ledger, 'cash')).toBe(0);
    expectBooksBalance(ledger);
  });
});

describe('oversell under moving average', () => {
  // Catalog cost 8.00; sell 5 with nothing on hand: COGS 5 × 800 = 4000, stock −5 / −4000 (flagged).
  // Receive 10 @ 10.00 = 10000: it fills the 5 short first; their provisional cost was 4000, their
  // real cost round(5 × 1000) = 5000, so 1000 is posted to COGS at once. The other 5 units stay,
  // worth 5000 (average 1000). COGS in total 5000 = 5 units at their true cost.
  const till = new Device('till-1');
  const product = till.product('oil', 800);
  const sale = till.sale([{ productId: 'oil', qty: 5 }]);
  const events = [product, sale];
  const receipt = till.receive([{ productId: 'oil', qty: 10, unitCost: 1000 }]);

  it('sells at the last known cost and flags the oversell', () => {
    const ledger = ledgerOf('average', events);
    expect(ledger.valuationOf('oil', 'loc-1')).toMatchObject({ qty: -5, value: -4000, oversoldQty: 5 });
    expect(ledger.oversells()).toMatchObject([{ eventId: sale.id, oversoldQty: 5, amount: 4000 }]);
    expectBooksBalance(ledger);
  });

  it('trues up COGS when stock with a real cost arrives', () => {
    const ledger = ledgerOf('average', [...events, receipt]);
    expect(ledger.movementsOf(receipt.id)[0]).toMatchObject({ correction: 1000, value: 9000 });
    expect(ledger.valuationOf('oil', 'loc-1')).toMatchObject({ qty: 5, value: 5000, unitCost: 1000, oversoldQty: 0 });
    expect(balanceOf(ledger, 'cogs')).toBe(5000);
    expect(balanceOf(ledger, 'goodsReceivedNotInvoiced')).toBe(-10000);
    expectBooksBalance(ledger);
  });
});
