/**
 * Stock health and shrinkage (issue 15, item 1), on a small ledger worked out by hand below. Every
 * expected number is computed in the comments, not read back from the code.
 */
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { abcClasses, DAY_MS, shrinkage, stockHealth, type StockHealthLine } from '../../src/domain/stock-health.ts';
import { CURRENCY, Device } from './support/event-factory.ts';

/** 2026-03-20 12:00 UTC; `day(n)` is n days before it. */
const NOW = Date.UTC(2026, 2, 20, 12);
const day = (n: number): number => NOW - n * DAY_MS;
const HOUR = 3_600_000;
const back = (at: number) => ({ at, locationId: 'back' });

/**
 * The ledger, in the order it happened (FIFO). Sales are at `unitPrice` net + 20 % tax.
 *
 * mug @ floor: d90 in 10 @ 4.00 · d50 sold 4 (COGS 16.00, 6 @ 4.00 left) · d40 in 10 @ 5.00 ·
 *   d20 sold 6 (the 6 @ 4.00) · d10 sold 3 (3 @ 5.00 = 15.00; 7 @ 5.00 left) · d5 one of them returned
 *   to the shelf at its COGS 5.00 (refund 12.00 incl. 2.00 tax) · d3 sold 2, voided: back at 5.00.
 *   On hand 8, value 8 × 5.00 = 40.00. Sold in 28 days: 6 + 3 − 1 = 8 (the voided 2 left out).
 *   Revenue in 8 weeks: 40.00 + 60.00 + 30.00 − 10.00 = 120.00.
 * tea @ floor: d60 in 20 @ 2.50 · d15 sold 5 @ 6.00 (30.00) · d2 counted 12 of 15: −3 at 2.50 = −7.50 ·
 *   d0.9 one of the d15 sale returned and written off (refund 7.20 incl. 1.20 tax; cost 2.50).
 *   On hand 12, value 30.00. Sold in 28 days: 5 − 1 = 4. Revenue 30.00 − 6.00 = 24.00.
 * vase @ floor: d80 in 10 @ 10.00 · d12 sold 1 @ 25.00 · d1 damaged 1 (−10.00) · d0.1 found 1 (+10.00).
 *   On hand 9, value 90.00. Sold 1. Revenue 25.00.
 * card @ floor (catalog cost 1.00): d8 sold 3 @ 3.00 with none on hand: −3, provisional −3.00 ·
 *   d6 in 2 @ 1.20: fills 2 of the 3 (provisional 2.00 of the 3.00), 1 still oversold at −1.00.
 *   On hand −1, value −1.00. Sold 3. Revenue 9.00.
 * lamp @ back: d70 in 3 @ 30.00 · d59.9 one stolen (−30.00) · d45 sold 2 @ 50.00. On hand 0, value 0.
 *   Sold in 28 days: 0. Revenue 100.00.
 * bowl @ back: d35 in 5 @ 2.00 · d29 sold 2 @ 4.00 (inside 30 days, outside 28) · d1 count approved:
 *   4 counted of 3: +1 at 2.00. On hand 4, value 8.00. Sold in 28 days 0, in 30 days 2. Revenue 8.00.
 */
function ledger(): LedgerEvent[] {
  const till = new Device('dev-till', 'floor', day(101));
  const events: LedgerEvent[] = [
    till.product('mug', 400, { at: day(100) }),
    till.product('tea', 250),
    till.product('vase', 1000),
    till.product('card', 100),
    till.product('lamp', 3000),
    till.product('bowl', 200),
    till.receive([{ productId: 'mug', qty: 10, unitCost: 400 }], { at: day(90) }),
    till.receive([{ productId: 'vase', qty: 10, unitCost: 1000 }], { at: day(80) }),
    till.receive([{ productId: 'lamp', qty: 3, unitCost: 3000 }], back(day(70))),
    till.receive([{ productId: 'tea', qty: 20, unitCost: 250 }], { at: day(60) }),
    till.adjust('theft', [{ productId: 'lamp', qty: -1 }], back(day(60) + HOUR)),
    till.sale([{ productId: 'mug', qty: 4, unitPrice: 1000 }], { at: day(50) }),
    till.sale([{ productId: 'lamp', qty: 2, unitPrice: 5000 }], back(day(45))),
    till.receive([{ productId: 'mug', qty: 10, unitCost: 500 }], { at: day(40) }),
    till.receive([{ productId: 'bowl', qty: 5, unitCost: 200 }], back(day(35))),
    till.sale([{ productId: 'bowl', qty: 2, unitPrice: 400 }], back(day(29))),
    till.sale([{ productId: 'mug', qty: 6, unitPrice: 1000 }], { at: day(20) }),
  ];
  const teaSale = till.sale([{ productId: 'tea', qty: 5, unitPrice: 600 }], { at: day(15) });
  events.push(teaSale, till.sale([{ productId: 'vase', qty: 1, unitPrice: 2500 }], { at: day(12) }));
  const mugSale = till.sale([{ productId: 'mug', qty: 3, unitPrice: 1000 }], { at: day(10) });
  events.push(
    mugSale,
    till.sale([{ productId: 'card', qty: 3, unitPrice: 300 }], { at: day(8) }),
    till.receive([{ productId: 'card', qty: 2, unitCost: 120 }], { at: day(6) }),
    till.returnGoods([{ productId: 'mug', qty: 1, saleLineId: 'line-1', refundPerUnit: 1200 }], { saleId: mugSale.id, at: day(5) }),
  );
  const voided = till.sale([{ productId: 'mug', qty: 2, unitPrice: 1000 }], { at: day(3) });
  events.push(
    voided,
    till.voidSale(voided.id, { at: day(3) + HOUR }),
    till.count([{ productId: 'tea', countedQty: 12 }], { at: day(2) }),
    till.openCount('count-1', back(day(1.5))),
    till.approveCount('count-1', [{ productId: 'bowl', countedQty: 4 }], back(day(1))),
    till.adjust('damage', [{ productId: 'vase', qty: -1 }], { at: day(1) + HOUR }),
    till.returnGoods([{ productId: 'tea', qty: 1, saleLineId: 'line-1', refundPerUnit: 720, disposition: 'write-off' }], { saleId: teaSale.id, at: day(0.9) }),
    till.adjust('found', [{ productId: 'vase', qty: 1 }], { at: day(0.1) }),
  );
  return events;
}

const books = Books.fromEvents(ledger(), { valuation: 'fifo', currency: CURRENCY });
const health = stockHealth(books, NOW);
const line = (productId: string, locationId: string): StockHealthLine | undefined =>
  health.lines.find((l) => l.productId === productId && l.locationId === locationId);

describe('stock health', () => {
  it('values the stock at cost per location: floor 40.00 + 30.00 + 90.00 − 1.00 = 159.00, back 0 + 8.00 = 8.00', () => {
    expect(health.locations).toEqual([
      { locationId: 'back', value: 800 },
      { locationId: 'floor', value: 15_900 },
    ]);
    expect(health.totalValue).toBe(16_700);
    // The same as the Inventory account.
    expect(health.totalValue).toBe(books.inventoryValue());
  });

  it('lists the lamp at the back room as out of stock, and the card oversold by 1 waiting for a delivery', () => {
    expect(health.outOfStock.map((l) => [l.productId, l.locationId])).toEqual([['lamp', 'back']]);
    expect(health.oversold.map((l) => [l.productId, l.locationId, l.onHand, l.oversoldQty, l.value])).toEqual([['card', 'floor', -1, 1, -100]]);
  });

  it('works out sold, average daily sales, days of cover and sell-through over 28 days', () => {
    const figures = (productId: string, locationId: string) => {
      const l = line(productId, locationId);
      return l && { onHand: l.onHand, value: l.value, sold: l.sold, average: l.averageDailySales, cover: l.daysOfCover, sellThrough: l.sellThrough };
    };
    // mug: 8 sold ÷ 28 days; cover 8 ÷ (8/28) = 28 days; sell-through 8 ÷ (8 + 8) = 0.5.
    expect(figures('mug', 'floor')).toEqual({ onHand: 8, value: 4000, sold: 8, average: 8 / 28, cover: 28, sellThrough: 0.5 });
    // tea: 4 ÷ 28 = 1/7 a day; cover 12 × 7 = 84 days; sell-through 4 ÷ 16 = 0.25.
    const tea = figures('tea', 'floor');
    expect(tea).toMatchObject({ onHand: 12, value: 3000, sold: 4, sellThrough: 0.25 });
    expect(tea?.average).toBeCloseTo(1 / 7, 12);
    expect(tea?.cover).toBeCloseTo(84, 9);
    // vase: 1 ÷ 28; cover 9 × 28 = 252 days; sell-through 1 ÷ 10.
    const vase = figures('vase', 'floor');
    expect(vase).toMatchObject({ onHand: 9, value: 9000, sold: 1, average: 1 / 28, sellThrough: 0.1 });
    expect(vase?.cover).toBeCloseTo(252, 9);
    // card: nothing on hand, so no cover; everything there was sold: 3 ÷ (3 + 0) = 1.
    expect(figures('card', 'floor')).toEqual({ onHand: -1, value: -100, sold: 3, average: 3 / 28, cover: 0, sellThrough: 1 });
    // lamp: no sale in 28 days and none on hand: no sell-through to speak of.
    expect(figures('lamp', 'back')).toEqual({ onHand: 0, value: 0, sold: 0, average: 0, cover: 0, sellThrough: undefined });
    // bowl: 4 on hand, no sale in 28 days: cover unknown ("no sales"), sell-through 0 ÷ 4 = 0.
    expect(figures('bowl', 'back')).toEqual({ onHand: 4, value: 800, sold: 0, average: 0, cover: undefined, sellThrough: 0 });
  });

  it('calls a product slow when it sold through less than 20 % in 30 days: the vase (1 ÷ 10), not the bowl (2 ÷ 6)', () => {
    expect(health.slowMovers.map((l) => [l.productId, l.locationId])).toEqual([['vase', 'floor']]);
    expect(line('bowl', 'back')?.soldForSlowMover).toBe(2);
    expect(line('tea', 'floor')?.slowMover).toBe(false); // 4 ÷ 16 = 25 %
  });

  it('classes products by 8 weeks of revenue: A up to 80 %, B to 95 %, C the rest', () => {
    // Revenue: mug 120.00, lamp 100.00, vase 25.00, tea 24.00, card 9.00, bowl 8.00 = 286.00.
    // 80 % = 228.80, 95 % = 271.70. Revenue before each: mug 0 → A; lamp 120.00 → A; vase 220.00 → A;
    // tea 245.00 → B; card 269.00 → B; bowl 278.00 → C.
    expect(health.abc).toEqual([
      { productId: 'mug', revenue: 12_000, abc: 'A' },
      { productId: 'lamp', revenue: 10_000, abc: 'A' },
      { productId: 'vase', revenue: 2500, abc: 'A' },
      { productId: 'tea', revenue: 2400, abc: 'B' },
      { productId: 'card', revenue: 900, abc: 'B' },
      { productId: 'bowl', revenue: 800, abc: 'C' },
    ]);
    expect(health.abcCounts).toEqual({ A: 3, B: 2, C: 1 });
    expect(line('bowl', 'back')?.abc).toBe('C');
  });

  it('ABC: exactly 80 % before a product makes it B; products without revenue are C', () => {
    // Total 10.00: a 0 → A, b 5.00 → A, c 8.00 (= 80 %, not under) → B, d 9.00 → B, e 9.60 → C, f none → C.
    const classes = abcClasses(new Map([['f', 0], ['e', 40], ['d', 60], ['c', 100], ['b', 300], ['a', 500]]));
    expect(classes.map((p) => `${p.productId}${p.abc}`)).toEqual(['aA', 'bA', 'cB', 'dB', 'eC', 'fC']);
  });

  it('ABC tie rule: an equal revenue takes the class of the product before it', () => {
    // a 7.00 → A; b 1.50 (7.00 before, 70 %) → A; c 1.50 (8.50 before, 85 %) would be B, but ties b → A.
    const classes = abcClasses(new Map([['c', 150], ['b', 150], ['a', 700]]));
    expect(classes.map((p) => `${p.productId}${p.abc}`)).toEqual(['aA', 'bA', 'cA']);
    expect(abcClasses(new Map([['x', 0], ['y', -100]])).map((p) => p.abc)).toEqual(['C', 'C']);
  });

  it('moves windows with now: 10 days later the mug sold 3 − 1 = 2 in 28 days', () => {
    const later = stockHealth(books, day(-10));
    const mug = later.lines.find((l) => l.productId === 'mug');
    // The d20 sale is now 30 days old: only the d10 sale (3) and its return (1) remain.
    expect(mug?.sold).toBe(2);
    expect(mug?.daysOfCover).toBeCloseTo(112, 9); // 8 ÷ (2 ÷ 28)
  });
});

describe('shrinkage', () => {
  const march = { fromMs: Date.UTC(2026, 2, 1), toMs: NOW };

  it('this month: the count (−7.50 tea, +2.00 bowl), damage −10.00, found +10.00, written off −2.50', () => {
    const result = shrinkage(books, march);
    expect(result.byReason).toEqual([
      { reason: 'count', lines: 2, qty: -2, value: -550 },
      { reason: 'damage', lines: 1, qty: -1, value: -1000 },
      { reason: 'theft', lines: 0, qty: 0, value: 0 },
      { reason: 'expiry', lines: 0, qty: 0, value: 0 },
      { reason: 'found', lines: 1, qty: 1, value: 1000 },
      { reason: 'correction', lines: 0, qty: 0, value: 0 },
      { reason: 'return-write-off', lines: 1, qty: -1, value: -250 },
    ]);
    expect(result.totalValue).toBe(-800);
    expect(result.lines.map((l) => [l.reason, l.productId, l.locationId, l.qty, l.value])).toEqual([
      ['count', 'tea', 'floor', -3, -750],
      ['count', 'bowl', 'back', 1, 200],
      ['damage', 'vase', 'floor', -1, -1000],
      ['return-write-off', 'tea', 'floor', -1, -250],
      ['found', 'vase', 'floor', 1, 1000],
    ]);
  });

  it('today: only what was recorded since midnight (the vase found, +10.00)', () => {
    const today = shrinkage(books, { fromMs: Date.UTC(2026, 2, 20), toMs: NOW });
    expect(today.lines.map((l) => [l.reason, l.productId, l.value])).toEqual([['found', 'vase', 1000]]);
    expect(today.totalValue).toBe(1000);
  });

  it('January–February: the lamp stolen, −30.00, and nothing of March', () => {
    const earlier = shrinkage(books, { fromMs: Date.UTC(2026, 0, 1), toMs: Date.UTC(2026, 2, 1) });
    expect(earlier.lines.map((l) => [l.reason, l.productId, l.locationId, l.qty, l.value])).toEqual([['theft', 'lamp', 'back', -1, -3000]]);
  });
});

describe('dates as the events wrote them', () => {
  it('reads a recordedAt with an offset as its instant: 13:30+02:00 is 11:30 UTC, inside a period from 11:00 UTC', () => {
    const till = new Device('dev-offset', 'floor', day(3));
    const received = till.receive([{ productId: 'milk', qty: 10, unitCost: 80 }], { at: day(2) });
    const adjusted = till.adjust('expiry', [{ productId: 'milk', qty: -2 }], { at: NOW - HOUR / 2 });
    const events = [received, { ...adjusted, recordedAt: '2026-03-20T13:30:00.000+02:00' } as LedgerEvent];
    const offsetBooks = Books.fromEvents(events, { valuation: 'fifo', currency: CURRENCY });
    // 2 expired at 0.80 = −1.60.
    expect(shrinkage(offsetBooks, { fromMs: NOW - HOUR, toMs: NOW }).lines.map((l) => [l.reason, l.qty, l.value])).toEqual([['expiry', -2, -160]]);
    // 11:30 UTC is before a period that starts at 11:45 UTC.
    expect(shrinkage(offsetBooks, { fromMs: NOW - HOUR / 4, toMs: NOW }).lines).toEqual([]);
  });

  it('Books.eventsSince gives the events stamped from an HLC (or its wall-time prefix) on, in ledger order', () => {
    const all = books.events();
    const since = books.eventsSince(String(day(1.5)).padStart(15, '0'));
    // d1.5 opened the count; after it: the approval, the damage, the write-off and the found vase.
    expect(since.map((e) => e.kind)).toEqual(['count-session-opened', 'count-session-approved', 'stock-adjusted', 'return', 'stock-adjusted']);
    expect(since).toEqual(all.slice(all.length - 5));
    expect(books.eventsSince('9')).toEqual([]);
    expect(books.eventsSince('')).toEqual(all);
  });
});
