/**
 * Stock alerts (issue 15): reorder levels folded from the owner's events, low stock with the
 * suggested order, dead stock with the value tied up at cost, and crossings told once until the
 * product recovers. Every expected figure is worked out by hand in the comments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent, ReorderLevelLine } from '../../src/domain/events.ts';
import { reorderKey, reorderLevelsOf } from '../../src/domain/reorder-levels.ts';
import {
  DAY_MS,
  alertsToTell,
  crossedBelowReorder,
  deadStock,
  lowStock,
  reorderStatusesOf,
  stockAlertsOf,
  type ReorderStatus,
} from '../../src/domain/stock-alerts.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { Device } from './support/event-factory.ts';

const T0 = 1_700_000_000_000;
const FLOOR = 'loc-1';
const BACK = 'loc-2';

function levels(owner: Device, lines: ReorderLevelLine[], at?: number): LedgerEvent {
  return owner.event({ kind: 'reorder-levels-set', lines }, at === undefined ? {} : { at });
}
const line = (productId: string, locationId: string, reorderPoint: number | null, orderUpTo: number | null): ReorderLevelLine => ({ productId, locationId, reorderPoint, orderUpTo });

describe('reorder-levels-set validation', () => {
  const owner = new Device('owner-1');
  it('accepts levels and cleared levels, and refuses order-up-to below the point, negatives and repeats', () => {
    const good = levels(owner, [line('p1', FLOOR, 5, 20), line('p1', BACK, null, null), line('p2', FLOOR, 0, null)]);
    expect(parseEvent(good)).toEqual({ ok: true, event: good, exact: true });
    const error = (lines: unknown) => {
      const result = parseEvent({ ...good, lines });
      return result.ok ? 'accepted' : result.error;
    };
    expect(error([line('p1', FLOOR, 10, 9)])).toMatch(/orderUpTo must be at least the reorderPoint/);
    expect(error([line('p1', FLOOR, -1, null)])).toMatch(/must not be negative/);
    expect(error([line('p1', FLOOR, 1.5, null)])).toMatch(/whole number/);
    expect(error([line('p1', FLOOR, 1, 2), line('p1', FLOOR, 3, 4)])).toMatch(/p1 at loc-1 is set twice/);
    expect(error([])).toMatch(/needs at least one line/);
    expect(error([{ productId: 'p1', locationId: FLOOR, reorderPoint: 1 }])).toMatch(/orderUpTo/);
  });
});

describe('reorderLevelsOf: the line latest in ledger order wins, per product × location', () => {
  it('folds the same whatever the arrival order; null clears', () => {
    const owner = new Device('owner-1');
    const tablet = new Device('owner-2');
    const first = levels(owner, [line('p1', FLOOR, 5, 20), line('p1', BACK, 2, 6)], T0 + 1000);
    const later = levels(tablet, [line('p1', FLOOR, 8, null)], T0 + 2000);
    const cleared = levels(owner, [line('p1', BACK, null, null)], T0 + 3000);
    const expected = [{ productId: 'p1', locationId: FLOOR, reorderPoint: 8, orderUpTo: undefined }];
    expect([...reorderLevelsOf([first, later, cleared]).values()]).toEqual(expected);
    expect([...reorderLevelsOf([cleared, later, first]).values()]).toEqual(expected);
    // Without the clearing: the back room keeps 2 / 6.
    expect(reorderLevelsOf([later, first]).get(reorderKey('p1', BACK))).toEqual({ productId: 'p1', locationId: BACK, reorderPoint: 2, orderUpTo: 6 });
    // The books keep the same fold, arrival order or not.
    const books = new Books({ valuation: 'fifo' });
    for (const e of [cleared, first, later]) books.apply(e);
    expect([...books.reorderLevels().values()]).toEqual(expected);
  });
});

describe('reorderLevelsOf on random histories (property)', () => {
  it('gives the same levels, from the fold and from the books, whatever order the events arrive in', () => {
    const level = fc.option(fc.integer({ min: 0, max: 5 }), { nil: null });
    const lineArb = fc.record({ productId: fc.constantFrom('p1', 'p2'), locationId: fc.constantFrom(FLOOR, BACK), a: level, b: level });
    const eventArb = fc.record({ device: fc.constantFrom('owner-1', 'owner-2'), at: fc.integer({ min: 0, max: 20 }), lines: fc.uniqueArray(lineArb, { minLength: 1, maxLength: 4, selector: (l) => `${l.productId}@${l.locationId}` }) });
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 8 }), fc.integer(), (specs, seed) => {
        const devices = new Map([['owner-1', new Device('owner-1')], ['owner-2', new Device('owner-2')]]);
        const events = specs.map((spec, i) =>
          levels(
            devices.get(spec.device) ?? new Device(spec.device),
            spec.lines.map((l) => line(l.productId, l.locationId, l.a === null || l.b === null ? l.a ?? l.b : Math.min(l.a, l.b), l.a === null || l.b === null ? null : Math.max(l.a, l.b))),
            T0 + spec.at * 1000 + i,
          ),
        );
        const shuffled = [...events].sort((x, y) => ((x.seq * 7919 + seed) % 13) - ((y.seq * 7919 + seed) % 13) || x.id.localeCompare(y.id));
        const books = new Books({ valuation: 'fifo' });
        for (const e of shuffled) books.apply(e);
        const expected = [...reorderLevelsOf(events).entries()];
        expect([...reorderLevelsOf(shuffled).entries()]).toEqual(expected);
        expect([...books.reorderLevels().entries()]).toEqual(expected);
        // The latest line in ledger order per product × location, worked out the plain way.
        const byKey = new Map<string, ReorderLevelLine>();
        for (const e of [...events].sort((x, y) => (x.hlc < y.hlc ? -1 : x.hlc > y.hlc ? 1 : x.deviceId < y.deviceId ? -1 : x.deviceId > y.deviceId ? 1 : x.seq - y.seq))) {
          if (e.kind === 'reorder-levels-set') for (const l of e.lines) byKey.set(reorderKey(l.productId, l.locationId), l);
        }
        const plain = [...byKey.values()].filter((l) => l.reorderPoint !== null || l.orderUpTo !== null);
        expect(expected.map(([, l]) => `${l.productId}@${l.locationId}:${l.reorderPoint}/${l.orderUpTo}`).sort()).toEqual(
          plain.map((l) => `${l.productId}@${l.locationId}:${l.reorderPoint ?? undefined}/${l.orderUpTo ?? undefined}`).sort(),
        );
      }),
    );
  });
});

describe('low stock', () => {
  it('lists on hand below the reorder point, with order-up-to − on hand to order', () => {
    const owner = new Device('owner-1', FLOOR);
    const books = Books.fromEvents(
      [
        owner.product('tea', 300),
        owner.product('jam', 200),
        owner.product('oil', 500),
        owner.receive([{ productId: 'tea', qty: 12, unitCost: 300 }, { productId: 'jam', qty: 4, unitCost: 200 }, { productId: 'oil', qty: 3, unitCost: 500 }]),
        owner.sale([{ productId: 'tea', qty: 9 }]),
        // tea: 12 − 9 = 3 < 5 → low, order 20 − 3 = 17. jam: 4 = 4 → not low (below, not at).
        // oil: 3 < 6 with no order-up-to → order back to the point, 6 − 3 = 3. Back room tea: 0 < 1 → 2 − 0 = 2.
        levels(owner, [line('tea', FLOOR, 5, 20), line('jam', FLOOR, 4, 10), line('oil', FLOOR, 6, null), line('tea', BACK, 1, 2)]),
      ],
      { valuation: 'fifo' },
    );
    expect(lowStock(reorderStatusesOf(books))).toEqual([
      { productId: 'oil', locationId: FLOOR, onHand: 3, reorderPoint: 6, orderUpTo: undefined, suggestedQty: 3 },
      { productId: 'tea', locationId: FLOOR, onHand: 3, reorderPoint: 5, orderUpTo: 20, suggestedQty: 17 },
      { productId: 'tea', locationId: BACK, onHand: 0, reorderPoint: 1, orderUpTo: 2, suggestedQty: 2 },
    ]);
  });
});

describe('dead stock', () => {
  it('is stock with no sale here for N days (from the first movement when never sold), valued at cost', () => {
    const owner = new Device('owner-1', FLOOR);
    const day = (n: number) => T0 + n * DAY_MS;
    const books = Books.fromEvents(
      [
        owner.product('tea', 300, { at: day(0) }),
        owner.product('jam', 200, { at: day(0) + 1 }),
        owner.product('oil', 500, { at: day(0) + 2 }),
        owner.product('salt', 100, { at: day(0) + 3 }),
        // Day 1: tea 10 at 3.00, jam 5 at 2.00, oil 2 at 5.00.
        owner.receive([{ productId: 'tea', qty: 10, unitCost: 300 }, { productId: 'jam', qty: 5, unitCost: 200 }, { productId: 'oil', qty: 2, unitCost: 500 }], { at: day(1) }),
        // Day 2: tea sells 4 (6 left, FIFO value 6 × 300 = 1800). Day 50: jam sells 5 (none left).
        owner.sale([{ productId: 'tea', qty: 4 }], { at: day(2) }),
        owner.sale([{ productId: 'jam', qty: 5 }], { at: day(50) }),
        // Day 40: tea 2 more at 3.60 → value 1800 + 720 = 2520. Day 70: salt 7 at 1.00, arrived 10 days before "now".
        owner.receive([{ productId: 'tea', qty: 2, unitCost: 360 }], { at: day(40) }),
        owner.receive([{ productId: 'salt', qty: 7, unitCost: 100 }], { at: day(70) }),
      ],
      { valuation: 'fifo' },
    );
    // Now = day 80, N = 60 (the default). tea: last sale day 2 → 78 days idle, dead, 8 on hand, 2520.
    // oil: never sold, first moved day 1 → 79 days, dead, 2 × 500 = 1000. jam: none on hand.
    // salt: never sold, here since day 70 → 10 days, not dead.
    const { dead, low } = stockAlertsOf(books, day(80));
    expect(low).toEqual([]);
    expect(dead).toEqual([
      { productId: 'tea', locationId: FLOOR, onHand: 8, value: 2520, idleSince: new Date(day(2)).toISOString(), idleDays: 78, everSold: true },
      { productId: 'oil', locationId: FLOOR, onHand: 2, value: 1000, idleSince: new Date(day(1)).toISOString(), idleDays: 79, everSold: false },
    ]);
    // The store's own N: 79 days keeps oil only (idle 79 ≥ 79), tea's 78 is short of it.
    books.apply(owner.event({ kind: 'store-settings-changed', changes: { deadStockDays: 79 } }, { at: day(80) }));
    expect(stockAlertsOf(books, day(80)).dead.map((d) => d.productId)).toEqual(['oil']);
  });

  it('counts exactly N days as dead and one millisecond less as not', () => {
    const line = { productId: 'p', locationId: FLOOR, onHand: 1, value: 100, firstMovedAt: new Date(T0).toISOString(), lastSoldAt: undefined };
    expect(deadStock([line], T0 + 60 * DAY_MS, 60)).toHaveLength(1);
    expect(deadStock([line], T0 + 60 * DAY_MS - 1, 60)).toEqual([]);
  });
});

describe('crossing below the reorder point, told once until it recovers', () => {
  const status = (productId: string, onHand: number, reorderPoint: number): ReorderStatus => ({ productId, locationId: FLOOR, onHand, reorderPoint, orderUpTo: undefined });

  it('is a fall from at or above the point to below it, not a point set or raised above the stock', () => {
    const before = [status('tea', 5, 5), status('jam', 4, 3), status('oil', 2, 3)];
    // tea 5 → 4 under 5: crossed. jam: point raised 3 → 10 with 4 on hand: not a crossing. oil: was low already.
    // salt: a new reorder point with 1 on hand: not a crossing.
    const after = [status('tea', 4, 5), status('jam', 4, 10), status('oil', 1, 3), status('salt', 1, 2)];
    expect(crossedBelowReorder(before, after).map((a) => a.productId)).toEqual(['tea']);
  });

  it('tells a crossing once, forgets it when stock recovers, tells the next one', () => {
    const key = reorderKey('tea', FLOOR);
    const first = alertsToTell(crossedBelowReorder([status('tea', 5, 5)], [status('tea', 4, 5)]), [status('tea', 4, 5)], new Set());
    expect(first.tell.map((a) => a.onHand)).toEqual([4]);
    expect([...first.told]).toEqual([key]);
    // A late event puts it back above and below again before the device saw it recover: not told again.
    const again = alertsToTell(crossedBelowReorder([status('tea', 5, 5)], [status('tea', 3, 5)]), [status('tea', 3, 5)], first.told);
    expect(again.tell).toEqual([]);
    // A delivery: recovered, forgotten. The next crossing is told.
    const recovered = alertsToTell([], [status('tea', 9, 5)], again.told);
    expect([...recovered.told]).toEqual([]);
    expect(alertsToTell(crossedBelowReorder([status('tea', 9, 5)], [status('tea', 2, 5)]), [status('tea', 2, 5)], recovered.told).tell).toHaveLength(1);
  });

  it('tells each fall at most once between recoveries, on any sequence of stock levels (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 10 }), (levelsSeen, point) => {
        let told = new Set<string>();
        let previous = [status('tea', levelsSeen[0] ?? 0, point)];
        let toldSinceRecovery = 0;
        let expectedTells = 0;
        let tells = 0;
        for (const onHand of levelsSeen.slice(1)) {
          const current = [status('tea', onHand, point)];
          const result = alertsToTell(crossedBelowReorder(previous, current), current, told);
          tells += result.tell.length;
          // By hand: told when it falls from ≥ point to < point and has not been told since it last was ≥ point.
          const prev = previous[0]?.onHand ?? 0;
          if (onHand >= point) toldSinceRecovery = 0;
          else if (prev >= point && toldSinceRecovery === 0) {
            expectedTells++;
            toldSinceRecovery = 1;
          }
          expect(result.tell.length).toBeLessThanOrEqual(1);
          told = result.told;
          previous = current;
        }
        expect(tells).toBe(expectedTells);
      }),
    );
  });
});
