/**
 * Issue 15, item 3: stock at a date. On random histories whose events arrive out of order (late
 * events included), the stock and value as at a moment T equal those of books folded from ONLY the
 * events up to T (HLC wall time ≤ T), built fresh. Plus hand-computed figures for FIFO and average.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { parseHlc } from '../../src/domain/hlc.ts';
import { Books, type ValuationMethod } from '../../src/domain/index.ts';
import { hlcBoundOf, stockAtDate, stockValueAtDate } from '../../src/domain/stock-at-date.ts';
import { Device } from './support/event-factory.ts';
import { history } from './support/histories.ts';

const wallOf = (event: LedgerEvent): number => parseHlc(event.hlc)?.wallMs ?? Number.NaN;

/** A history, the order its events arrive in, and a moment somewhere around its span. */
const scenario = history.filter((events) => events.length > 0).chain((events) => {
  const walls = events.map(wallOf);
  const first = Math.min(...walls);
  const last = Math.max(...walls);
  return fc.tuple(
    fc.constant(events),
    fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
    // Often exactly an event's wall time (the bound is inclusive), sometimes between or outside.
    fc.oneof(fc.constantFrom(...walls), fc.integer({ min: first - 1000, max: last + 1000 })),
  );
});

/** Rows by product × location; a row with nothing on hand and no value says nothing either way. */
function asMap(rows: readonly { productId: string; locationId: string; qty: number; value: number }[]): Map<string, { qty: number; value: number }> {
  return new Map(rows.filter((r) => r.qty !== 0 || r.value !== 0).map((r) => [`${r.productId}@${r.locationId}`, { qty: r.qty, value: r.value }]));
}

describe('stock at a date', () => {
  for (const valuation of ['fifo', 'average'] as ValuationMethod[]) {
    it(`equals folding only the events up to the moment (${valuation}, late events, any arrival order)`, () => {
      fc.assert(
        fc.property(scenario, ([events, arrival, at]) => {
          const books = new Books({ valuation });
          for (const event of arrival) books.apply(event);
          const upTo = Books.fromEvents(
            events.filter((e) => wallOf(e) <= at),
            { valuation },
          );
          const asAt = stockAtDate(books, at);
          expect(asMap(asAt)).toEqual(asMap(upTo.stockLevels()));
          expect(stockValueAtDate(asAt)).toBe(upTo.inventoryValue());
        }),
        { numRuns: 300 },
      );
    });
  }

  it('bounds by HLC wall time, inclusive of the whole millisecond', () => {
    expect(hlcBoundOf(1_700_000_000_123)).toBe('001700000000123-~');
    expect('001700000000123-zzzzzz-dev' <= hlcBoundOf(1_700_000_000_123)).toBe(true);
    expect('001700000000124-000000-dev' <= hlcBoundOf(1_700_000_000_123)).toBe(false);
  });

  /**
   * By hand. Opening 10 @ 2.00 (t1); received 10 @ 3.00 (t2); sold 12 (t3); a late delivery of
   * 4 @ 5.00 stamped at t2.5 arrives last.
   * FIFO as at t2: 20 units, 20.00 + 30.00 = 50.00. As at t2.5: 24, 70.00. As at t3: 12 left:
   *   sold 10 @ 2.00 + 2 @ 3.00 = 26.00, left 8 @ 3.00 + 4 @ 5.00 = 44.00; unit cost 44/12 = 3.67.
   * Average as at t2.5: 24 units, 70.00 (avg 2.9167); as at t3: 70.00 − 12 × 2.916667 = 35.00
   *   (COGS 35.00, 70 × 12 / 24), unit cost 2.92.
   */
  it('gives hand-computed figures for FIFO and average, with a late delivery', () => {
    const device = new Device('dev-1', 'A', 1_700_000_000_000);
    const t = (s: number) => 1_700_000_000_000 + s * 1000;
    const events = [
      device.product('p', 200, { at: t(1) }),
      device.opening([{ productId: 'p', qty: 10, unitCost: 200 }], { at: t(1) }),
      device.receive([{ productId: 'p', qty: 10, unitCost: 300 }], { at: t(2) }),
      device.sale([{ productId: 'p', qty: 12 }], { at: t(3) }),
    ];
    const late = new Device('dev-2', 'A', 1_700_000_000_000).receive([{ productId: 'p', qty: 4, unitCost: 500 }], { at: t(2.5) });
    const fifo = Books.fromEvents(events, { valuation: 'fifo' });
    fifo.apply(late);
    expect(stockAtDate(fifo, t(2))).toEqual([{ productId: 'p', locationId: 'A', qty: 20, value: 5000, unitCost: 250 }]);
    expect(stockAtDate(fifo, t(2.5))).toEqual([{ productId: 'p', locationId: 'A', qty: 24, value: 7000, unitCost: 292 }]);
    expect(stockAtDate(fifo, t(3))).toEqual([{ productId: 'p', locationId: 'A', qty: 12, value: 4400, unitCost: 367 }]);
    expect(stockAtDate(fifo, t(0))).toEqual([]);
    const average = Books.fromEvents([...events, late], { valuation: 'average' });
    expect(stockAtDate(average, t(3))).toEqual([{ productId: 'p', locationId: 'A', qty: 12, value: 3500, unitCost: 292 }]);
  });
});
