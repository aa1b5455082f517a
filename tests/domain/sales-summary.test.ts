/**
 * A period's sales net of returns and voids (issue 14, item 3: after €52.99 of refunds, today's net
 * revenue and margin did not move).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { balanceOf } from '../../src/domain/journal.ts';
import { salesCostsOf, salesSummary } from '../../src/domain/sales-summary.ts';
import { CURRENCY, Device } from './support/event-factory.ts';

const booksOf = (events: LedgerEvent[]) => Books.fromEvents(events, { valuation: 'fifo', currency: CURRENCY });

describe('today’s sales', () => {
  // Mugs cost 10.00; sold at 25.00 + 20 % tax = 30.00.
  const till = new Device('dev-till');
  const before: LedgerEvent[] = [till.product('mug', 1000), till.receive([{ productId: 'mug', qty: 10, unitCost: 1000 }])];
  const saleA = till.sale([{ productId: 'mug', qty: 2, unitPrice: 2500 }]);
  const saleB = till.sale([{ productId: 'mug', qty: 1, unitPrice: 2500 }]);
  const saleC = till.sale([{ productId: 'mug', qty: 1, unitPrice: 2500 }]);
  const sold = [...before, saleA, saleB, saleC, till.voidSale(saleC.id)];
  // €52.99 refunded: 29.99 (tax 5.00) restocked, 23.00 (tax 3.83) written off.
  const refunds = [
    till.returnGoods([{ productId: 'mug', qty: 1, saleLineId: 'line-1', refundPerUnit: 2999 }], { saleId: saleA.id }),
    till.returnGoods([{ productId: 'mug', qty: 1, saleLineId: 'line-1', refundPerUnit: 2300, disposition: 'write-off' }], { saleId: saleB.id }),
  ];

  it('leaves a voided sale out and counts it', () => {
    expect(salesSummary(sold, salesCostsOf(booksOf(sold)))).toEqual({
      sales: 2,
      voids: 1,
      voidedGross: 3000,
      grossSales: 9000,
      returns: 0,
      refunds: 0,
      netSales: 9000,
      netRevenue: 7500,
      cogs: 3000,
      margin: 4500,
    });
  });

  it('takes €52.99 of refunds off, shown on their own line: net revenue −44.16, COGS −20.00, margin −24.16', () => {
    const all = [...sold, ...refunds];
    expect(salesSummary(all, salesCostsOf(booksOf(all)))).toEqual({
      sales: 2,
      voids: 1,
      voidedGross: 3000,
      grossSales: 9000,
      returns: 2,
      refunds: 5299,
      netSales: 3701,
      netRevenue: 3084,
      cogs: 1000,
      margin: 2084,
    });
  });

  it('has no COGS or margin while the costs are unknown, and the money all the same', () => {
    const summary = salesSummary([...sold, ...refunds]);
    expect(summary).toMatchObject({ netRevenue: 3084, refunds: 5299, cogs: undefined, margin: undefined });
    const unknownSale = salesSummary([...sold, ...refunds], { saleCogs: () => undefined, returnedCost: () => 0 });
    expect(unknownSale.cogs).toBeUndefined();
  });

  it('property: over the whole ledger, net revenue and COGS are what the journal posts to Revenue − Returns and to COGS', () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('sell' as const), qty: fc.integer({ min: 1, max: 3 }), price: fc.integer({ min: 100, max: 5000 }) }),
      fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
      fc.record({
        kind: fc.constant('return' as const),
        pick: fc.nat(),
        refund: fc.integer({ min: 1, max: 6000 }),
        writeOff: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 20 }), (actions) => {
        const device = new Device('dev-prop');
        // Enough stock that nothing is oversold: no cost correction muddies COGS.
        const events: LedgerEvent[] = [device.product('mug', 1000), device.receive([{ productId: 'mug', qty: 100, unitCost: 1000 }])];
        const sales: LedgerEvent[] = [];
        const voided = new Set<string>();
        const returned = new Set<string>();
        for (const a of actions) {
          if (a.kind === 'sell') {
            const sale = device.sale([{ productId: 'mug', qty: a.qty, unitPrice: a.price }]);
            sales.push(sale);
            events.push(sale);
            continue;
          }
          // A void or a return of a sale neither voided nor returned before (the commands refuse the rest).
          const open = sales.filter((s) => !voided.has(s.id) && !returned.has(s.id));
          const sale = open[a.pick % Math.max(open.length, 1)];
          if (!sale) continue;
          if (a.kind === 'void') {
            voided.add(sale.id);
            events.push(device.voidSale(sale.id));
          } else {
            returned.add(sale.id);
            events.push(device.returnGoods([{ productId: 'mug', qty: 1, saleLineId: 'line-1', refundPerUnit: a.refund, disposition: a.writeOff ? 'write-off' : 'restock' }], { saleId: sale.id }));
          }
        }
        const books = booksOf(events);
        const summary = salesSummary(events, salesCostsOf(books));
        // Revenue is a credit (negative balance), Returns a debit: the two sum to minus the net revenue.
        expect(summary.netRevenue + balanceOf(books, 'revenue') + balanceOf(books, 'returns')).toBe(0);
        expect(summary.cogs).toBe(balanceOf(books, 'cogs'));
        expect(summary.sales + summary.voids).toBe(sales.length);
        expect(summary.netSales).toBe(summary.grossSales - summary.refunds);
      }),
      { numRuns: 60 },
    );
  });
});
