/**
 * The owner's sales figures (issue 15, item 1): every figure hand-computed below, then a property
 * that the incremental accumulator fed in any order is the one built from scratch, and that its
 * totals are `salesSummary`'s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import { addDays, StoreClock, weekdayOf } from '../../src/domain/calendar.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { eventsFrom, periodsOf, SalesAnalytics, windowStart, type Period } from '../../src/domain/sales-analytics.ts';
import { salesCostsOf, salesSummary } from '../../src/domain/sales-summary.ts';
import { CURRENCY, Device } from './support/event-factory.ts';

const booksOf = (events: LedgerEvent[]) => Books.fromEvents(events, { valuation: 'fifo', currency: CURRENCY });
const at = (iso: string) => ({ at: Date.parse(iso) });
const BERLIN = 'Europe/Berlin';

describe('the store calendar', () => {
  it('puts an instant on the store’s wall clock: Berlin is UTC+1 in winter, UTC+2 from 29 March 2026 01:00 UTC', () => {
    const clock = new StoreClock(BERLIN);
    expect(clock.of('2026-03-10T23:30:00.000Z')).toEqual({ date: '2026-03-11', day: 20523, hour: 0 });
    expect(clock.of('2026-03-29T00:30:00.000Z')?.hour).toBe(1);
    expect(clock.of('2026-03-29T01:30:00.000Z')?.hour).toBe(3);
    expect(new StoreClock('America/New_York').of('2026-03-11T03:00:00.000Z')?.date).toBe('2026-03-10');
    expect(new StoreClock('Not/A_Zone').timeZone).toBe('UTC');
  });

  it('counts weeks from Monday', () => {
    expect(weekdayOf('2026-03-11')).toBe(3);
    expect(weekdayOf('2026-03-15')).toBe(7);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('compares today with yesterday and last week’s same weekday, a week or month so far with the same days before', () => {
    expect(periodsOf({ kind: 'today' }, '2026-03-11')).toEqual({
      current: { from: '2026-03-11', to: '2026-03-11' },
      comparisons: [
        { kind: 'yesterday', period: { from: '2026-03-10', to: '2026-03-10' } },
        { kind: 'same-weekday-last-week', period: { from: '2026-03-04', to: '2026-03-04' } },
      ],
    });
    expect(periodsOf({ kind: 'week' }, '2026-03-11')).toEqual({
      current: { from: '2026-03-09', to: '2026-03-11' },
      comparisons: [{ kind: 'last-week', period: { from: '2026-03-02', to: '2026-03-04' } }],
    });
    // 31 March: February has 28 days, so the month before is compared whole.
    expect(periodsOf({ kind: 'month' }, '2026-03-31').comparisons[0]?.period).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodsOf({ kind: 'month' }, '2026-03-11')).toEqual({
      current: { from: '2026-03-01', to: '2026-03-11' },
      comparisons: [{ kind: 'last-month', period: { from: '2026-02-01', to: '2026-02-11' } }],
    });
    expect(periodsOf({ kind: 'range', from: '2026-03-05', to: '2026-03-04' }, '2026-03-11')).toEqual({
      current: { from: '2026-03-04', to: '2026-03-05' },
      comparisons: [{ kind: 'previous-range', period: { from: '2026-03-02', to: '2026-03-03' } }],
    });
  });
});

describe('a Berlin store’s figures on Wednesday 11 March 2026', () => {
  // Mugs cost 10.00, tea 3.00. The factory prices lines net + 20 % tax.
  const till = new Device('dev-till');
  const stock = [
    till.product('mug', 1000, at('2026-03-01T08:00:00Z')),
    till.product('tea', 300, at('2026-03-01T08:01:00Z')),
    till.receive([{ productId: 'mug', qty: 20, unitCost: 1000 }], at('2026-03-01T08:02:00Z')),
    till.receive([{ productId: 'tea', qty: 40, unitCost: 300 }], at('2026-03-01T08:03:00Z')),
  ];
  // Last Wednesday: 3 mugs, card: net 75.00, tax 15.00, gross 90.00, COGS 30.00.
  const w1 = till.sale([{ productId: 'mug', qty: 3, unitPrice: 2500 }], { ...at('2026-03-04T12:00:00Z'), tender: 'card' });
  // Yesterday: 4 teas at 11:00, cash (net 20.00, tax 4.00, COGS 12.00); a mug at 23:30, card (net 25.00, tax 5.00, COGS 10.00).
  const y2 = till.sale([{ productId: 'tea', qty: 4, unitPrice: 500 }], at('2026-03-10T10:00:00Z'));
  const y1 = till.sale([{ productId: 'mug', qty: 1, unitPrice: 2500 }], { ...at('2026-03-10T22:30:00Z'), tender: 'card' });
  // Today. 23:30 UTC on the 10th is 00:30 in Berlin on the 11th: 2 teas, cash (net 10.00, tax 2.00, COGS 6.00).
  const s4 = till.sale([{ productId: 'tea', qty: 2, unitPrice: 500 }], at('2026-03-10T23:30:00Z'));
  // 09:15: 2 mugs, cash (net 50.00, tax 10.00, gross 60.00, COGS 20.00).
  const s1 = till.sale([{ productId: 'mug', qty: 2, unitPrice: 2500 }], at('2026-03-11T08:15:00Z'));
  // 10:40: 3 teas + a mug, card (net 15.00 + 25.00, tax 3.00 + 5.00, gross 48.00, COGS 9.00 + 10.00).
  const s2 = till.sale(
    [
      { productId: 'tea', qty: 3, unitPrice: 500 },
      { productId: 'mug', qty: 1, unitPrice: 2500 },
    ],
    { ...at('2026-03-11T09:40:00Z'), tender: 'card' },
  );
  // 11:05: a tea, voided at 11:10 (gross 6.00): in no figure but the voids.
  const s3 = till.sale([{ productId: 'tea', qty: 1, unitPrice: 500 }], at('2026-03-11T10:05:00Z'));
  const v3 = till.voidSale(s3.id, at('2026-03-11T10:10:00Z'));
  // 13:00: one of S1's mugs back for 30.00 cash (tax 5.00), restocked at its cost 10.00.
  const r1 = till.returnGoods([{ productId: 'mug', qty: 1, saleLineId: 'line-1', refundPerUnit: 3000 }], { ...at('2026-03-11T12:00:00Z'), saleId: s1.id });
  const events = [...stock, w1, y2, y1, s4, s1, s2, s3, v3, r1];
  const analytics = SalesAnalytics.of(events, BERLIN, salesCostsOf(booksOf(events)));
  const day = (date: string): Period => ({ from: date, to: date });

  it('today: gross, net, tax, sales, basket, returns, voids, cash vs card, COGS and margin', () => {
    expect(analytics.figures(day('2026-03-11'))).toEqual({
      sales: 3, // S4, S1, S2
      voids: 1,
      voidedGross: 600,
      grossSales: 12_000, // 12.00 + 60.00 + 48.00
      returns: 1,
      refunds: 3000,
      netSales: 9000, // 120.00 − 30.00
      netRevenue: 7500, // (10.00 + 50.00 + 40.00) − (30.00 − 5.00)
      tax: 1500, // 20.00 − 5.00
      discounts: 0,
      averageBasket: 4000, // 120.00 ÷ 3
      cash: 4200, // 12.00 + 60.00 − 30.00
      card: 4800,
      cogs: 3500, // 6.00 + 20.00 + 19.00 − 10.00
      margin: 4000, // 75.00 − 35.00
      marginBp: 5333, // 40 ÷ 75 = 53.33 %
    });
  });

  it('yesterday and the same weekday last week, the comparisons', () => {
    expect(analytics.figures(day('2026-03-10'))).toMatchObject({ sales: 2, grossSales: 5400, netRevenue: 4500, tax: 900, averageBasket: 2700, cash: 2400, card: 3000, cogs: 2200, margin: 2300, marginBp: 5111 });
    expect(analytics.figures(day('2026-03-04'))).toMatchObject({ sales: 1, grossSales: 9000, netRevenue: 7500, cash: 0, card: 9000, cogs: 3000, margin: 4500, marginBp: 6000 });
  });

  it('this week so far against last week’s same days, and a month against an empty one', () => {
    const week = periodsOf({ kind: 'week' }, '2026-03-11');
    expect(analytics.figures(week.current)).toMatchObject({ sales: 5, voids: 1, grossSales: 17_400, netRevenue: 12_000, cogs: 5700, margin: 6300, marginBp: 5250 });
    expect(analytics.figures(week.comparisons[0]!.period)).toMatchObject({ sales: 1, grossSales: 9000 });
    const month = periodsOf({ kind: 'month' }, '2026-03-11');
    expect(analytics.figures(month.current)).toMatchObject({ sales: 6, grossSales: 26_400, netRevenue: 19_500, cogs: 8700, margin: 10_800 });
    expect(analytics.figures(month.comparisons[0]!.period)).toMatchObject({ sales: 0, grossSales: 0, averageBasket: 0, cogs: 0, margin: 0, marginBp: undefined });
  });

  it('sales by hour on the store’s clock: midnight’s sale in hour 0, the void nowhere, the refund in its hour', () => {
    const hours = analytics.byHour('2026-03-11');
    expect(hours).toHaveLength(24);
    expect(hours.filter((h) => h.sales !== 0 || h.netSales !== 0)).toEqual([
      { hour: 0, sales: 1, netSales: 1200 },
      { hour: 9, sales: 1, netSales: 6000 },
      { hour: 10, sales: 1, netSales: 4800 },
      { hour: 13, sales: 0, netSales: -3000 },
    ]);
    expect(analytics.byHour('2026-03-10').filter((h) => h.sales > 0)).toEqual([
      { hour: 11, sales: 1, netSales: 2400 },
      { hour: 23, sales: 1, netSales: 3000 },
    ]);
  });

  it('sales by day for the last 30 days', () => {
    const days = analytics.byDay({ from: '2026-02-10', to: '2026-03-11' });
    expect(days).toHaveLength(30);
    expect(days.filter((d) => d.sales > 0)).toEqual([
      { date: '2026-03-04', sales: 1, netSales: 9000 },
      { date: '2026-03-10', sales: 2, netSales: 5400 },
      { date: '2026-03-11', sales: 3, netSales: 9000 },
    ]);
  });

  it('top and bottom products by revenue and by margin, net of returns', () => {
    const today = day('2026-03-11');
    // Mug: 2 + 1 − 1 = 2; revenue 50.00 + 25.00 − 25.00 = 50.00; COGS 20.00 + 10.00 − 10.00 = 20.00.
    const mug = { productId: 'mug', qty: 2, revenue: 5000, cogs: 2000, margin: 3000 };
    // Tea: 2 + 3 (the voided one not); revenue 10.00 + 15.00; COGS 6.00 + 9.00.
    const tea = { productId: 'tea', qty: 5, revenue: 2500, cogs: 1500, margin: 1000 };
    expect(analytics.ranked(today, 'revenue', 'top', 5)).toEqual([mug, tea]);
    expect(analytics.ranked(today, 'revenue', 'bottom', 1)).toEqual([tea]);
    expect(analytics.ranked(today, 'margin', 'top', 1)).toEqual([mug]);
    expect(analytics.ranked(today, 'margin', 'bottom', 5)).toEqual([tea, mug]);
  });

  it('lists the sales and returns behind the figures, the voided one marked', () => {
    const today = day('2026-03-11');
    expect(analytics.salesIn(today).map((s) => s.id)).toEqual([s3.id, s2.id, s1.id, s4.id]);
    expect(analytics.isVoided(s3.id)).toBe(true);
    expect(analytics.returnsIn(today).map((r) => r.id)).toEqual([r1.id]);
  });

  it('updates a period already shown when a sale, a late sale for yesterday and a void arrive', () => {
    const live = SalesAnalytics.of(events, BERLIN, salesCostsOf(booksOf(events)));
    const week = { from: '2026-03-09', to: '2026-03-11' };
    expect(live.figures(week).sales).toBe(5);
    const late = till.sale([{ productId: 'mug', qty: 1, unitPrice: 2500 }], at('2026-03-10T07:00:00Z'));
    const after = [...events, late, till.voidSale(s1.id, at('2026-03-11T14:00:00Z'))];
    const costs = salesCostsOf(booksOf(after));
    const fed = SalesAnalytics.of(events, BERLIN, costs);
    fed.figures(week);
    for (const event of after.slice(events.length)) fed.add(event);
    // +1 late sale (gross 30.00), −S1 (gross 60.00), +1 void.
    expect(fed.figures(week)).toMatchObject({ sales: 5, voids: 2, grossSales: 17_400 + 3000 - 6000 });
    expect(fed.figures(day('2026-03-10')).sales).toBe(3);
    expect(fed.figures(week)).toEqual(SalesAnalytics.of(after, BERLIN, costs).figures(week));
  });

  it('counts its changes: a sale, a void or a return moves the revision; a repeat or a stock event does not', () => {
    const live = SalesAnalytics.of(events, BERLIN);
    const before = live.revision;
    const late = till.sale([{ productId: 'mug', qty: 1, unitPrice: 2500 }], at('2026-03-11T15:00:00Z'));
    expect(live.add(late)).toBe(true);
    expect(live.revision).toBe(before + 1);
    expect(live.add(late)).toBe(false);
    expect(live.add(till.voidSale(late.id, at('2026-03-11T15:05:00Z')))).toBe(true);
    expect(live.revision).toBe(before + 2);
    expect(live.add(till.receive([{ productId: 'mug', qty: 5, unitCost: 1000 }], at('2026-03-11T16:00:00Z')))).toBe(false);
    expect(live.revision).toBe(before + 2);
  });

  it('counts from a first day only, and takes from the ledger only the events that can fall on it', () => {
    const books = booksOf(events);
    const recent = eventsFrom(books.events(), '2026-03-10');
    expect(recent.map((e) => e.id)).toEqual([y2, y1, s4, s1, s2, s3, v3, r1].map((e) => e.id));
    const windowed = SalesAnalytics.of(recent, BERLIN, salesCostsOf(books), '2026-03-10');
    expect(windowed.covers({ from: '2026-03-09', to: '2026-03-11' })).toBe(false);
    expect(windowed.figures({ from: '2026-03-10', to: '2026-03-11' })).toEqual(analytics.figures({ from: '2026-03-10', to: '2026-03-11' }));
    // Fed everything, it still leaves last Wednesday out.
    expect(SalesAnalytics.of(events, BERLIN, undefined, '2026-03-10').figures(day('2026-03-04')).sales).toBe(0);
    expect(windowStart('2026-03-11')).toBe('2026-02-01');
    expect(windowStart('2026-03-31')).toBe('2026-02-01');
    expect(windowStart('2026-04-02')).toBe('2026-02-26');
  });

  it('has no COGS or margin without costs, the money all the same', () => {
    const figures = SalesAnalytics.of(events, BERLIN).figures(day('2026-03-11'));
    expect(figures).toMatchObject({ netRevenue: 7500, cash: 4200, cogs: undefined, margin: undefined, marginBp: undefined });
    expect(SalesAnalytics.of(events, BERLIN).ranked(day('2026-03-11'), 'margin', 'top', 5)).toEqual([]);
  });
});

describe('property: the accumulator', () => {
  const ZONES = ['Europe/Dublin', 'America/New_York', 'Asia/Kolkata'];
  const action = fc.oneof(
    fc.record({ kind: fc.constant('sell' as const), qty: fc.integer({ min: 1, max: 3 }), price: fc.integer({ min: 100, max: 5000 }), card: fc.boolean(), hours: fc.integer({ min: 0, max: 60 }) }),
    fc.record({ kind: fc.constant('void' as const), pick: fc.nat(), hours: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant('return' as const), pick: fc.nat(), refund: fc.integer({ min: 1, max: 6000 }), hours: fc.integer({ min: 0, max: 30 }) }),
  );

  it('fed the events in any order, with repeats and a period watched midway, is the one built from scratch; its totals are salesSummary’s', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), fc.constantFrom(...ZONES), fc.nat(), fc.nat(), (actions, zone, seed, watchAfter) => {
        const device = new Device('dev-prop');
        let wall = Date.parse('2026-03-01T00:00:00Z');
        const events: LedgerEvent[] = [device.product('mug', 1000, { at: wall }), device.receive([{ productId: 'mug', qty: 200, unitCost: 1000 }], { at: wall + 1 })];
        const sales: LedgerEvent[] = [];
        const closed = new Set<string>();
        for (const a of actions) {
          wall += a.hours * 3_600_000 + 60_000;
          if (a.kind === 'sell') {
            const sale = device.sale([{ productId: 'mug', qty: a.qty, unitPrice: a.price }], { at: wall, tender: a.card ? 'card' : 'cash' });
            sales.push(sale);
            events.push(sale);
            continue;
          }
          const open = sales.filter((s) => !closed.has(s.id));
          const sale = open[a.pick % Math.max(open.length, 1)];
          if (!sale) continue;
          closed.add(sale.id);
          events.push(
            a.kind === 'void'
              ? device.voidSale(sale.id, { at: wall })
              : device.returnGoods([{ productId: 'mug', qty: 1, saleLineId: 'line-1', refundPerUnit: a.refund }], { at: wall, saleId: sale.id, refundMethod: a.pick % 2 === 0 ? 'cash' : 'card' }),
          );
        }
        const costs = salesCostsOf(booksOf(events));
        const scratch = SalesAnalytics.of(events, zone, costs);
        const clock = new StoreClock(zone);
        const all: Period = { from: clock.today(Date.parse('2026-02-28T00:00:00Z')), to: clock.today(wall + 86_400_000) };
        const middle: Period = { from: addDays(all.from, 2), to: addDays(all.from, 4) };

        // A shuffle (seeded), each event twice, and the periods asked for partway through.
        const shuffled = [...events, ...events].map((event, i) => ({ event, key: (i * 2654435761 + seed) % 4294967291 })).sort((a, b) => a.key - b.key);
        const fed = new SalesAnalytics(zone, costs);
        shuffled.forEach(({ event }, i) => {
          if (i === watchAfter % (shuffled.length + 1)) {
            fed.figures(all);
            fed.figures(middle);
            fed.ranked(middle, 'revenue', 'top', 3);
          }
          fed.add(event);
        });
        for (const period of [all, middle]) {
          expect(fed.figures(period)).toEqual(scratch.figures(period));
          expect(fed.products(period)).toEqual(scratch.products(period));
          expect(fed.byDay(period)).toEqual(scratch.byDay(period));
        }
        for (const { date } of scratch.byDay(all)) expect(fed.byHour(date)).toEqual(scratch.byHour(date));

        // Built from the books as the app does (window events by binary search, costs in one walk):
        // the same as searching each sale line's cost.
        const books = booksOf(events);
        const fromBooks = SalesAnalytics.fromBooks(books, zone, middle.from);
        const searched = SalesAnalytics.of(eventsFrom(books.events(), middle.from), zone, salesCostsOf(books), middle.from);
        const rest: Period = { from: middle.from, to: all.to };
        expect(fromBooks.figures(rest)).toEqual(searched.figures(rest));
        expect(fromBooks.products(rest)).toEqual(searched.products(rest));

        const { tax, discounts, averageBasket, cash, card, marginBp, ...summary } = scratch.figures(all);
        expect(summary).toEqual(salesSummary(events, costs));
        expect([tax, discounts, averageBasket, cash, card, marginBp].every((value) => value === undefined || Number.isInteger(value))).toBe(true);
      }),
      { numRuns: 80 },
    );
  });
});
