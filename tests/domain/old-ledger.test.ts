/**
 * A ledger from before issue 17 (who acted is the till's free-text cashier name, nobody approved
 * anything, shifts closed without the till's expected cash) folds to the same figures as it always
 * did, in any arrival order, and staff defined afterwards neither changes them nor refuses any of
 * its events. Every figure is worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { trialBalance } from '../../src/domain/journal.ts';
import { salesCostsOf, salesSummary } from '../../src/domain/sales-summary.ts';
import { shiftReport } from '../../src/domain/shifts.ts';
import { actorName, staffRefusal } from '../../src/domain/staff.ts';
import { DEFAULT_STORE_SETTINGS } from '../../src/domain/store-settings.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { CURRENCY, Device } from './support/event-factory.ts';

const by = (userId: string, event: LedgerEvent): LedgerEvent => ({ ...event, userId });

function oldLedger(): LedgerEvent[] {
  const office = new Device('dev-office', 'loc-1', 1_700_000_000_000);
  const till = new Device('dev-till', 'loc-1', 1_700_000_100_000);
  const product = by('Owner', office.product('p1', 400));
  const opening = by('Owner', office.opening([{ productId: 'p1', qty: 10, unitCost: 400 }]));
  const opened = by('Till Tom', till.openShift('shift-1', 10_000));
  // 2 × 1000 net + 20 % tax = 2400 in cash; 1 × 1000 + 200 = 1200 by card, then voided.
  const cashSale = by('Till Tom', till.sale([{ productId: 'p1', qty: 2 }], { shiftId: 'shift-1', tender: 'cash' }));
  const cardSale = by('Till Tom', till.sale([{ productId: 'p1', qty: 1 }], { shiftId: 'shift-1', tender: 'card' }));
  const voided = by('Till Tom', till.voidSale(cardSale.id, { shiftId: 'shift-1' }));
  // One of the cash sale's two back on the shelf: 1200 refunded in cash (200 of it tax).
  const returned = by('Mary at the back', till.returnGoods([{ productId: 'p1', qty: 1, saleLineId: 'line-1' }], { saleId: cashSale.id, shiftId: 'shift-1' }));
  const dropped = by('Till Tom', till.moveCash('shift-1', -5000));
  const closed = by('Till Tom', till.closeShift('shift-1', 6100));
  return [product, opening, opened, cashSale, cardSale, voided, returned, dropped, closed];
}

function figures(books: Books) {
  const balance = trialBalance(books);
  return {
    stock: books.stockLevels().map((v) => ({ productId: v.productId, qty: v.qty, value: v.value })),
    inventoryValue: books.inventoryValue(),
    shift: shiftReport(books, 'shift-1'),
    sales: salesSummary(books.events(), salesCostsOf(books)),
    balanced: balance.totalDebit === balance.totalCredit,
    trialBalance: balance.rows.filter((r) => r.balance !== 0).map((r) => [r.account, r.balance]),
  };
}

describe('a ledger from before issue 17', () => {
  const events = oldLedger();

  it('is valid as it was stored: free-text cashier names, no approvers, no expected cash', () => {
    for (const event of events) expect(parseEvent(event)).toEqual({ ok: true, event, exact: true });
    expect(events.some((e) => 'approvedBy' in e)).toBe(false);
    expect(events.at(-1)).not.toHaveProperty('expectedCash');
  });

  it('folds to the figures worked out by hand', () => {
    const books = Books.fromEvents(events, { valuation: 'fifo', currency: CURRENCY });
    const f = figures(books);
    // 10 opened − 2 − 1 sold + 1 (the void puts the card sale's back) + 1 returned = 9, at 400 each.
    expect(f.stock).toEqual([{ productId: 'p1', qty: 9, value: 3600 }]);
    expect(f.inventoryValue).toBe(3600);
    // Expected in the drawer: 10000 float + 2400 cash sales − 1200 cash refund − 5000 dropped = 6200; 6100 counted: 100 short.
    expect(f.shift).toMatchObject({
      status: 'closed',
      float: 10_000,
      cashSales: 2400,
      cardSales: 1200,
      cardVoids: 1200,
      cashRefunds: 1200,
      cashOut: 5000,
      expectedCash: 6200,
      countedCash: 6100,
      difference: -100,
      sales: 2,
      voids: 1,
      returns: 1,
    });
    // The cash sale stands (2400 gross, 2000 net, COGS 800); the card sale is voided (1200); the
    // return refunds 1200 (1000 net) and brings back 400 of cost: revenue 1000, COGS 400, margin 600.
    expect(f.sales).toEqual({ sales: 1, voids: 1, voidedGross: 1200, grossSales: 2400, returns: 1, refunds: 1200, netSales: 1200, netRevenue: 1000, cogs: 400, margin: 600 });
    expect(f.balanced).toBe(true);
    // Cash 2400 − 1200 refunded − 100 short; tax 400 − 200 refunded; opening 10 × 400; COGS 800 − 400 returned.
    expect(f.trialBalance).toEqual([
      ['cash', 1100],
      ['inventory', 3600],
      ['salesTaxPayable', -200],
      ['openingBalanceEquity', -4000],
      ['revenue', -2000],
      ['returns', 1000],
      ['cogs', 400],
      ['cashOverShort', 100],
    ]);
  });

  it('folds alike in any arrival order, and staff defined afterwards changes no figure and refuses none of its events', () => {
    const inOrder = Books.fromEvents(events, { valuation: 'fifo', currency: CURRENCY });
    const reversed = Books.fromEvents([...events].reverse(), { valuation: 'fifo', currency: CURRENCY });
    expect(figures(reversed)).toEqual(figures(inOrder));

    const owner = new Device('dev-office', 'loc-1', 1_700_001_000_000);
    const ann = owner.event({
      kind: 'staff-member-defined',
      member: { id: '018f3a2b-4c5d-7e6f-8a9b-0c1d2e3f4a5b', name: 'Ann', role: 'manager', pin: { algorithm: 'PBKDF2-SHA-256', iterations: 200_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: `${'A'.repeat(43)}=` }, active: true },
    });
    const withStaff = Books.fromEvents([ann, ...events], { valuation: 'fifo', currency: CURRENCY });
    expect(figures(withStaff)).toEqual(figures(inOrder));
    const roster = withStaff.staff();
    expect(roster.hasStaff).toBe(true);
    for (const event of events) expect(staffRefusal(event, roster, DEFAULT_STORE_SETTINGS)).toBeUndefined();
    // Who acted reads as it was recorded.
    expect(actorName(roster, 'Till Tom')).toBe('Till Tom');
    expect(actorName(roster, 'Mary at the back')).toBe('Mary at the back');
    // Without staff, nothing is refused either (the store's rules are the old ones).
    for (const event of events) expect(staffRefusal(event, inOrder.staff(), DEFAULT_STORE_SETTINGS)).toBeUndefined();
    expect(inOrder.staff().hasStaff).toBe(false);
  });
});
