/**
 * The Today screen keeps its stock health up to date with `StockHealthTracker` instead of computing
 * it again for every sale (issue 15's "each later sale updates them in < 5 ms"). Whatever arrives —
 * sales, returns, voids (first or second), deliveries, late events from a device whose clock is
 * behind, in batches in any order — the tracker's figures must equal `stockHealth` computed from
 * scratch over the same books.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { DAY_MS, stockHealth, StockHealthTracker, summaryOf } from '../../src/domain/stock-health.ts';
import { CURRENCY, Device } from './support/event-factory.ts';

const NOW = Date.UTC(2026, 2, 20, 12);
const PRODUCTS = ['mug', 'tea', 'vase', 'card'] as const;
const LOCATIONS = ['floor', 'back'] as const;

/** Opening stock at both locations 90 days ago and a few sales spread over the last 60 days. */
function history(): { events: LedgerEvent[]; sales: LedgerEvent[] } {
  const till = new Device('dev-till', 'floor', NOW - 100 * DAY_MS);
  const events: LedgerEvent[] = PRODUCTS.map((id, i) => till.product(id, 100 * (i + 1), { at: NOW - 95 * DAY_MS + i }));
  for (const locationId of LOCATIONS) {
    events.push(till.receive(PRODUCTS.map((productId, i) => ({ productId, qty: 20, unitCost: 100 * (i + 1) })), { at: NOW - 90 * DAY_MS, locationId }));
  }
  const sales: LedgerEvent[] = [];
  for (let d = 60; d > 1; d -= 7) {
    const sale = till.sale([{ productId: PRODUCTS[d % 4] as string, qty: 1 + (d % 3), unitPrice: 500 + d }], { at: NOW - d * DAY_MS, locationId: LOCATIONS[d % 2] });
    sales.push(sale);
    events.push(sale);
  }
  return { events, sales };
}

type Step =
  | { kind: 'sale'; product: number; location: number; qty: number; price: number }
  | { kind: 'return'; sale: number; qty: number }
  | { kind: 'void'; sale: number }
  | { kind: 'receive'; product: number; location: number; qty: number; cost: number }
  | { kind: 'late-sale'; product: number; location: number; daysAgo: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('sale' as const), product: fc.nat(3), location: fc.nat(1), qty: fc.integer({ min: 1, max: 30 }), price: fc.integer({ min: 1, max: 5000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('return' as const), sale: fc.nat(), qty: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), sale: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('receive' as const), product: fc.nat(3), location: fc.nat(1), qty: fc.integer({ min: 1, max: 20 }), cost: fc.integer({ min: 1, max: 900 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('late-sale' as const), product: fc.nat(3), location: fc.nat(1), daysAgo: fc.integer({ min: 1, max: 70 }) }) },
);

describe('StockHealthTracker', () => {
  it('equals stockHealth from scratch after any appended, late or batched events', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 25, maxLength: 25 }), fc.nat(), (steps, batchSizes, seed) => {
        const { events, sales } = history();
        const books = Books.fromEvents(events, { valuation: 'fifo', currency: CURRENCY });
        // The anchor is the tracker's "now": every new event is recorded in the two hours before it.
        const tracker = new StockHealthTracker(books, NOW);
        const till = new Device('dev-till-2', 'floor', NOW - 2 * 3_600_000);
        let late = 0;
        const made: LedgerEvent[] = [];
        for (const s of steps) {
          const at = NOW - 2 * 3_600_000 + (made.length + 1) * 60_000;
          if (s.kind === 'sale') {
            const sale = till.sale([{ productId: PRODUCTS[s.product] as string, qty: s.qty, unitPrice: s.price }], { at, locationId: LOCATIONS[s.location] });
            sales.push(sale);
            made.push(sale);
          } else if (s.kind === 'return' || s.kind === 'void') {
            const sale = sales[s.sale % sales.length] as LedgerEvent & { kind: 'sale' };
            if (s.kind === 'void') made.push(till.voidSale(sale.id, { at, locationId: sale.locationId }));
            else made.push(till.returnGoods([{ productId: sale.lines[0]!.productId, qty: s.qty, saleLineId: 'line-1' }], { saleId: sale.id, at, locationId: sale.locationId }));
          } else if (s.kind === 'receive') {
            made.push(till.receive([{ productId: PRODUCTS[s.product] as string, qty: s.qty, unitCost: s.cost }], { at, locationId: LOCATIONS[s.location] }));
          } else {
            // A device whose clock is behind: its stamp sorts before what is already in the books.
            const behind = new Device(`dev-late-${late++}`, 'floor', NOW - s.daysAgo * DAY_MS);
            made.push(behind.sale([{ productId: PRODUCTS[s.product] as string, qty: 1 }], { at: NOW - s.daysAgo * DAY_MS, locationId: LOCATIONS[s.location] }));
          }
        }
        let i = 0;
        let b = 0;
        while (i < made.length) {
          const batch = made.slice(i, i + (batchSizes[b++ % batchSizes.length] as number));
          i += batch.length;
          for (const event of batch) books.apply(event);
          // The projection hands its listeners a page of events in arrival order, not ledger order.
          const shuffled = [...batch].sort((x, y) => ((x.id.charCodeAt(x.id.length - 1) + seed) % 7) - ((y.id.charCodeAt(y.id.length - 1) + seed) % 7));
          tracker.apply(shuffled, NOW);
          // The tiles after most batches, the full lists after some: both must match from scratch.
          const scratch = stockHealth(books, NOW);
          expect(tracker.summary()).toEqual(summaryOf(scratch));
          if ((b + seed) % 3 === 0) expect(tracker.health()).toEqual(scratch);
        }
        expect(tracker.health()).toEqual(stockHealth(books, NOW));
      }),
      { numRuns: 150 },
    );
  });

  it('follows sales, returns and voids without computing everything again', () => {
    const { events } = history();
    const books = Books.fromEvents(events, { valuation: 'fifo', currency: CURRENCY });
    const tracker = new StockHealthTracker(books, NOW);
    const till = new Device('dev-till-2', 'floor', NOW - 3_600_000);
    const sale = till.sale([{ productId: 'mug', qty: 2 }], { at: NOW - 3_000_000 });
    const followed = [sale, till.returnGoods([{ productId: 'mug', qty: 1, saleLineId: 'line-1' }], { saleId: sale.id, at: NOW - 2_000_000 }), till.voidSale(sale.id, { at: NOW - 1_000_000 })];
    for (const event of followed) {
      books.apply(event);
      tracker.apply([event], NOW + 60_000);
      expect(tracker.health()).toEqual(stockHealth(books, NOW));
    }
    expect(tracker.rebuilds).toBe(1);
    const delivery = till.receive([{ productId: 'mug', qty: 5, unitCost: 90 }], { at: NOW - 500_000 });
    books.apply(delivery);
    tracker.apply([delivery], NOW);
    expect(tracker.rebuilds).toBe(2);
  });

  it('rebuilds once its windows are an hour old, so figures slide with the clock', () => {
    const { events } = history();
    const books = Books.fromEvents(events, { valuation: 'fifo', currency: CURRENCY });
    const tracker = new StockHealthTracker(books, NOW);
    const later = NOW + 20 * DAY_MS;
    tracker.apply([], later);
    expect(tracker.anchor).toBe(later);
    expect(tracker.health()).toEqual(stockHealth(books, later));
    expect(tracker.health()).not.toEqual(stockHealth(books, NOW));
  });
});
