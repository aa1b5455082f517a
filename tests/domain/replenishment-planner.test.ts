/**
 * The replenishment planner (issue 16): demand history, lead times, pinned levels and suggested
 * transfers and purchases, with every expected figure worked out by hand in the comments. Levels the
 * planner computes are checked against `policyLevels` called with the hand-computed inputs, so these
 * tests hold whichever policy the policy helper writes.
 */
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent, ProductSnapshot } from '../../src/domain/events.ts';
import { ReplenishmentPlanner } from '../../src/domain/replenishment/planner.ts';
import { forecastSeries } from '../../src/domain/forecasting/index.ts';
import { policyLevels } from '../../src/domain/replenishment/policy.ts';
import { orderQty } from '../../src/domain/replenishment/suggestions.ts';
import { median } from '../../src/domain/replenishment/lead-times.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { CURRENCY, Device } from './support/event-factory.ts';

const DAY = 86_400_000;
/** The plan's moment: 13:00 in Dublin (summer time), so every event at noon UTC is on its UTC date. */
const NOW = '2026-06-15T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const FLOOR = 'loc-1';
const BACK = 'loc-2';
/** Noon UTC `n` days before the plan's date, plus `seconds` to keep events of a day in order. */
const daysAgo = (n: number, seconds = 0): number => NOW_MS - n * DAY + seconds * 1000 - 3600_000;

function product(id: string, extra: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return { id, name: `Product ${id}`, sku: `SKU-${id}`, barcodes: [], price: 1000, cost: 400, currency: CURRENCY, taxRateBp: 2000, unit: 'each', active: true, ...extra };
}

function booksOf(events: LedgerEvent[]): Books {
  for (const event of events) expect(parseEvent(event)).toEqual({ ok: true, event, exact: true });
  return Books.fromEvents(events, { valuation: 'fifo' });
}

describe('demand history', () => {
  it('counts sales minus returns per day, leaves voided sales out, and marks stock-outs', () => {
    const till = new Device('till-1', FLOOR, daysAgo(10));
    const events: LedgerEvent[] = [];
    const add = (event: LedgerEvent): LedgerEvent => (events.push(event), event);
    add(till.event({ kind: 'product-defined', product: product('p1') }, { at: daysAgo(3) }));
    add(till.receive([{ productId: 'p1', qty: 5, unitCost: 400 }], { at: daysAgo(3, 1) }));
    const sale1 = add(till.sale([{ productId: 'p1', qty: 2 }], { at: daysAgo(3, 2) })); // day −3: 2 sold, 3 left
    add(till.sale([{ productId: 'p1', qty: 3 }], { at: daysAgo(2) })); // day −2: 3 sold, 0 left (stock-out, but it sold)
    // day −1: nothing, still 0 on hand: a stock-out with no sale → null
    add(till.receive([{ productId: 'p1', qty: 10, unitCost: 400 }], { at: daysAgo(0, 1) }));
    const voided = add(till.sale([{ productId: 'p1', qty: 4 }], { at: daysAgo(0, 2) }));
    add(till.voidSale(voided.id, { at: daysAgo(0, 3) })); // the 4 never were demand
    add(till.sale([{ productId: 'p1', qty: 1 }], { at: daysAgo(0, 4) })); // day 0: 1 sold
    // 1 of day −3's sale comes back today: it counts against day −3 (2 − 1 = 1).
    add(till.returnGoods([{ productId: 'p1', qty: 1, saleLineId: 'line-1' }], { at: daysAgo(0, 5), saleId: sale1.id }));
    const planner = new ReplenishmentPlanner(booksOf(events), NOW);
    const history = planner.demandHistory('p1', FLOOR);
    expect(history).toEqual({ productId: 'p1', locationId: FLOOR, firstDay: '2026-06-12', days: [1, 3, null, 1], stockOutDays: [1, 2] });
    const series = planner.seriesPlan('p1', FLOOR);
    expect(series?.historyDays).toBe(4);
    expect(series?.stockOutDays).toBe(2);
    expect(series?.onHand).toBe(10); // 5 − 2 − 3 + 10 − 4 + 4 − 1 + 1
  });

  it('puts a return without its receipt on its own day, and reads a day that comes out negative as 0', () => {
    const till = new Device('till-1', FLOOR, daysAgo(10));
    const events = [
      till.event({ kind: 'product-defined', product: product('p1') }, { at: daysAgo(2) }),
      till.receive([{ productId: 'p1', qty: 5, unitCost: 400 }], { at: daysAgo(2, 1) }),
      till.sale([{ productId: 'p1', qty: 1 }], { at: daysAgo(2, 2) }), // day −2: 1
      till.returnGoods([{ productId: 'p1', qty: 2 }], { at: daysAgo(1) }), // day −1: −2 → 0
      till.sale([{ productId: 'p1', qty: 2 }], { at: daysAgo(0) }), // day 0: 2
    ];
    const planner = new ReplenishmentPlanner(booksOf(events), NOW);
    expect(planner.demandHistory('p1', FLOOR)?.days).toEqual([1, 0, 2]);
  });

  it('starts the window a year back for a product that moved before it, and leaves out what is dated after the plan', () => {
    const till = new Device('till-1', FLOOR, daysAgo(500));
    const events = [
      till.event({ kind: 'product-defined', product: product('p1') }, { at: daysAgo(400) }),
      till.receive([{ productId: 'p1', qty: 5, unitCost: 400 }], { at: daysAgo(400, 1) }),
      till.sale([{ productId: 'p1', qty: 5 }], { at: daysAgo(380) }), // before the window: 0 on hand from then
      till.receive([{ productId: 'p1', qty: 3, unitCost: 400 }], { at: daysAgo(100) }),
      till.sale([{ productId: 'p1', qty: 2 }], { at: daysAgo(-1) }), // tomorrow's (a clock ahead): stock only
    ];
    const history = new ReplenishmentPlanner(booksOf(events), NOW).demandHistory('p1', FLOOR);
    expect(history?.firstDay).toBe('2025-06-16'); // 364 days before 2026-06-15
    expect(history?.days).toHaveLength(365);
    // Empty from the window's start (day −364) until the delivery on day −100: days −364…−101 are 264
    // stock-out days (null); days −100…0 are 101 days of 0.
    expect(history?.stockOutDays).toEqual(Array.from({ length: 264 }, (_, i) => i));
    expect(history?.days.slice(0, 264).every((d) => d === null)).toBe(true);
    expect(history?.days.slice(264)).toEqual(Array.from({ length: 101 }, () => 0));
  });
});

describe('forecasts and levels', () => {
  it('a product with no sales has no forecast, says so, and gets no suggestion', () => {
    const owner = new Device('owner', FLOOR, daysAgo(30));
    const events = [owner.event({ kind: 'product-defined', product: product('p1') }, { at: daysAgo(30) }), owner.receive([{ productId: 'p1', qty: 3, unitCost: 400 }], { at: daysAgo(30, 1) })];
    const plan = new ReplenishmentPlanner(booksOf(events), NOW).plan();
    const series = plan.series.find((s) => s.productId === 'p1');
    expect(series?.forecast).toEqual({ kind: 'none', reason: expect.stringMatching(/^No sales here in the last 365 days/) });
    expect(series?.computed).toBeUndefined();
    expect(series?.reorderPoint).toBeUndefined();
    expect(plan.purchases).toEqual([]);
    expect(plan.transfers).toEqual([]);
  });

  it('a product sold once a year is forecast from its one sale, and its levels are the policy of that history', () => {
    const owner = new Device('owner', FLOOR, daysAgo(400));
    const events = [
      owner.event({ kind: 'product-defined', product: product('p1') }, { at: daysAgo(400) }),
      owner.receive([{ productId: 'p1', qty: 3, unitCost: 400 }], { at: daysAgo(400, 1) }),
      owner.sale([{ productId: 'p1', qty: 1 }], { at: daysAgo(200) }),
    ];
    const planner = new ReplenishmentPlanner(booksOf(events), NOW);
    // 365 days: all 0 but the sale, 200 days before the plan's date (index 364 − 200 = 164).
    const expected = Array.from({ length: 365 }, (_, i) => (i === 164 ? 1 : 0));
    expect(planner.demandHistory('p1', FLOOR)?.days).toEqual(expected);
    const forecast = forecastSeries(expected, { horizon: 28, seasonLength: 7 });
    const series = planner.seriesPlan('p1', FLOOR);
    expect(series?.forecast).toEqual(forecast);
    if (forecast.kind !== 'forecast') throw new Error('a year with a sale is forecast');
    // Default lead time 7 days (no purchase orders), 95 % service, reviewed daily.
    expect(series?.leadTime).toEqual({ days: 7, source: 'store-default', orders: 0 });
    expect(series?.computed).toEqual(policyLevels({ history: expected, forecast, leadTimePeriods: 7, reviewPeriods: 1, serviceLevel: 0.95 }));
    expect(series?.pinned).toEqual({ reorderPoint: false, orderUpTo: false });
  });

  it('a product that stopped selling keeps its history of sales then zeros (the forecaster decays it)', () => {
    const owner = new Device('owner', FLOOR, daysAgo(100));
    const events: LedgerEvent[] = [owner.event({ kind: 'product-defined', product: product('p1') }, { at: daysAgo(90) }), owner.receive([{ productId: 'p1', qty: 100, unitCost: 400 }], { at: daysAgo(90, 1) })];
    // Two a day from 90 days back to 61 days back (30 days), then nothing for 60 days with 40 on the shelf.
    for (let n = 90; n >= 61; n--) events.push(owner.sale([{ productId: 'p1', qty: 2 }], { at: daysAgo(n, 2) }));
    const planner = new ReplenishmentPlanner(booksOf(events), NOW);
    const days = planner.demandHistory('p1', FLOOR)?.days;
    expect(days).toEqual([...Array.from({ length: 30 }, () => 2), ...Array.from({ length: 61 }, () => 0)]);
    expect(planner.seriesPlan('p1', FLOOR)?.onHand).toBe(40);
    expect(planner.seriesPlan('p1', FLOOR)?.forecast).toEqual(forecastSeries(days ?? [], { horizon: 28, seasonLength: 7 }));
  });

  it('pinned levels apply where set, and the computed one moves so that order-up-to stays ≥ the reorder point', () => {
    const owner = new Device('owner', FLOOR, daysAgo(40));
    const events: LedgerEvent[] = [owner.event({ kind: 'product-defined', product: product('p1') }, { at: daysAgo(30) }), owner.receive([{ productId: 'p1', qty: 1000, unitCost: 400 }], { at: daysAgo(30, 1) })];
    for (let n = 29; n >= 0; n--) events.push(owner.sale([{ productId: 'p1', qty: 3 }], { at: daysAgo(n, 2) }));
    const unpinned = new ReplenishmentPlanner(booksOf(events), NOW).seriesPlan('p1', FLOOR);
    const computed = unpinned?.computed;
    if (!computed) throw new Error('30 days of sales are forecast');
    // Pin a reorder point above the computed order-up-to: the order-up-to rises to it.
    const high = computed.orderUpTo + 50;
    const pinned = new ReplenishmentPlanner(booksOf([...events, owner.event({ kind: 'reorder-levels-set', lines: [{ productId: 'p1', locationId: FLOOR, reorderPoint: high, orderUpTo: null }] })]), NOW).seriesPlan('p1', FLOOR);
    expect(pinned).toMatchObject({ reorderPoint: high, orderUpTo: high, pinned: { reorderPoint: true, orderUpTo: false }, computed });
    // Pin only the order-up-to: the computed reorder point stays (it is below).
    const upTo = computed.reorderPoint + 1;
    const pinnedUpTo = new ReplenishmentPlanner(booksOf([...events, owner.event({ kind: 'reorder-levels-set', lines: [{ productId: 'p1', locationId: FLOOR, reorderPoint: null, orderUpTo: upTo }] })]), NOW).seriesPlan('p1', FLOOR);
    expect(pinnedUpTo).toMatchObject({ reorderPoint: computed.reorderPoint, orderUpTo: upTo, pinned: { reorderPoint: false, orderUpTo: true } });
  });
});

describe('lead times', () => {
  const supplier = 'Acme Foods';
  function withOrders(extra: LedgerEvent[] = []): { events: LedgerEvent[]; owner: Device } {
    const owner = new Device('owner', FLOOR, daysAgo(60));
    const events = [
      owner.event({ kind: 'product-defined', product: product('p1', { supplier }) }, { at: daysAgo(60) }),
      // PO-1: ordered day −50, first goods day −46: 4 days (a second delivery later does not count).
      owner.event({ kind: 'purchase-order-created', purchaseOrderId: 'po-1', supplier, lines: [{ productId: 'p1', qty: 10, unitCost: 400 }] }, { at: daysAgo(50) }),
      owner.event({ kind: 'goods-received', supplier, reference: 'DN-1', purchaseOrderId: 'po-1', lines: [{ productId: 'p1', qty: 6, unitCost: 400 }] }, { at: daysAgo(46) }),
      owner.event({ kind: 'goods-received', supplier, reference: 'DN-2', purchaseOrderId: 'po-1', lines: [{ productId: 'p1', qty: 4, unitCost: 400 }] }, { at: daysAgo(40) }),
      // PO-2: ordered day −30, goods day −23: 7 days.
      owner.event({ kind: 'purchase-order-created', purchaseOrderId: 'po-2', supplier, lines: [{ productId: 'p1', qty: 10, unitCost: 400 }] }, { at: daysAgo(30) }),
      owner.event({ kind: 'goods-received', supplier, reference: 'DN-3', purchaseOrderId: 'po-2', lines: [{ productId: 'p1', qty: 10, unitCost: 420 }] }, { at: daysAgo(23) }),
      // PO-3: ordered, nothing received yet: not learned from.
      owner.event({ kind: 'purchase-order-created', purchaseOrderId: 'po-3', supplier, lines: [{ productId: 'p1', qty: 10, unitCost: 400 }] }, { at: daysAgo(2) }),
      ...extra,
    ];
    return { events, owner };
  }

  it('is learned from two purchase orders: the median of 4 and 7 days, 5.5, rounds to 6', () => {
    expect(median([4, 7])).toBe(6);
    expect(median([7, 1, 4])).toBe(4);
    const { events } = withOrders();
    expect(new ReplenishmentPlanner(booksOf(events), NOW).seriesPlan('p1', FLOOR)?.leadTime).toEqual({ days: 6, source: 'learned', orders: 2 });
  });

  it('is learned from the last five received orders only', () => {
    const owner = new Device('owner', FLOOR, daysAgo(200));
    const events: LedgerEvent[] = [owner.event({ kind: 'product-defined', product: product('p1', { supplier }) }, { at: daysAgo(200) })];
    // Six orders, received after 20, 1, 2, 3, 9 and 10 days (in that order): the first (20) is too old
    // to count; the median of 1, 2, 3, 9, 10 is 3.
    [20, 1, 2, 3, 9, 10].forEach((took, i) => {
      const ordered = 190 - i * 30;
      events.push(owner.event({ kind: 'purchase-order-created', purchaseOrderId: `po-${i}`, supplier, lines: [{ productId: 'p1', qty: 1, unitCost: 400 }] }, { at: daysAgo(ordered) }));
      events.push(owner.event({ kind: 'goods-received', supplier, reference: `DN-${i}`, purchaseOrderId: `po-${i}`, lines: [{ productId: 'p1', qty: 1, unitCost: 400 }] }, { at: daysAgo(ordered - took) }));
    });
    expect(new ReplenishmentPlanner(booksOf(events), NOW).seriesPlan('p1', FLOOR)?.leadTime).toEqual({ days: 3, source: 'learned', orders: 5 });
  });

  it('is overridden by the owner, latest first, and a null goes back to the learned one', () => {
    const owner = new Device('owner-2', FLOOR, daysAgo(1));
    const set3 = owner.event({ kind: 'supplier-lead-time-set', supplier, leadTimeDays: 3 });
    const { events } = withOrders([set3]);
    expect(new ReplenishmentPlanner(booksOf(events), NOW).seriesPlan('p1', FLOOR)?.leadTime).toEqual({ days: 3, source: 'supplier-set', orders: 0 });
    const cleared = owner.event({ kind: 'supplier-lead-time-set', supplier, leadTimeDays: null });
    expect(new ReplenishmentPlanner(booksOf([...events, cleared]), NOW).seriesPlan('p1', FLOOR)?.leadTime).toEqual({ days: 6, source: 'learned', orders: 2 });
  });

  it('is the store default for a supplier without received orders, and for a product without a supplier', () => {
    const owner = new Device('owner', FLOOR, daysAgo(10));
    const events = [
      owner.event({ kind: 'product-defined', product: product('p1', { supplier: 'New Co' }) }),
      owner.event({ kind: 'product-defined', product: product('p2') }),
      owner.event({ kind: 'store-settings-changed', changes: { defaultLeadTimeDays: 10 } }),
      owner.receive([{ productId: 'p1', qty: 1, unitCost: 400 }, { productId: 'p2', qty: 1, unitCost: 400 }]),
    ];
    const planner = new ReplenishmentPlanner(booksOf(events), NOW);
    expect(planner.seriesPlan('p1', FLOOR)?.leadTime).toEqual({ days: 10, source: 'store-default', orders: 0 });
    expect(planner.seriesPlan('p2', FLOOR)).toMatchObject({ supplier: undefined, leadTime: { days: 10, source: 'store-default', orders: 0 } });
  });
});

describe('suggested orders', () => {
  it('orders up to the level: need rounded up to packs and the minimum order, net of what is on order, at the last cost paid', () => {
    const owner = new Device('owner', FLOOR, daysAgo(10));
    const events = [
      owner.event({ kind: 'product-defined', product: product('p1', { supplier: 'Acme', packSize: 6, minOrderQty: 10 }) }),
      owner.receive([{ productId: 'p1', qty: 4, unitCost: 450 }]), // the last cost paid: 450
      owner.event({ kind: 'reorder-levels-set', lines: [{ productId: 'p1', locationId: FLOOR, reorderPoint: 10, orderUpTo: 30 }] }),
      // Open order for 5 at this location: position 4 + 5 = 9 < 10.
      owner.event({ kind: 'purchase-order-created', purchaseOrderId: 'po-1', supplier: 'Acme', lines: [{ productId: 'p1', qty: 5, unitCost: 450 }] }),
      // A closed order brings nothing.
      owner.event({ kind: 'purchase-order-created', purchaseOrderId: 'po-2', supplier: 'Acme', lines: [{ productId: 'p1', qty: 50, unitCost: 450 }] }),
      owner.event({ kind: 'purchase-order-closed', purchaseOrderId: 'po-2', reason: 'Cancelled' }),
    ];
    const plan = new ReplenishmentPlanner(booksOf(events), NOW).plan();
    expect(plan.series.find((s) => s.productId === 'p1')).toMatchObject({ onHand: 4, onOrder: 5, inTransit: 0, reorderPoint: 10, orderUpTo: 30 });
    // need 30 − 9 = 21 → 4 packs of 6 = 24 (the minimum 10 → 2 packs = 12 is less); 24 × 450 = 10,800.
    expect(plan.purchases).toEqual([
      {
        supplier: 'Acme',
        leadTime: { days: 7, source: 'store-default', orders: 0 },
        lines: [{ productId: 'p1', locationId: FLOOR, need: 21, qty: 24, packSize: 6, minOrderQty: 10, unitCost: 450, value: 10_800 }],
        value: 10_800,
      },
    ]);
    expect(orderQty(1, 6, 10)).toBe(12);
    expect(orderQty(0, 6, 10)).toBe(0);
  });

  it('transfers from a location well above its order-up-to first, and buys only the rest', () => {
    const owner = new Device('owner', FLOOR, daysAgo(10));
    const events = [
      owner.event({ kind: 'product-defined', product: product('p1', { packSize: 6, minOrderQty: 10 }) }),
      owner.event({ kind: 'product-defined', product: product('p2') }),
      owner.receive([{ productId: 'p1', qty: 4, unitCost: 400 }]),
      owner.receive([{ productId: 'p1', qty: 20, unitCost: 400 }, { productId: 'p2', qty: 6, unitCost: 400 }], { locationId: BACK }),
      owner.event({
        kind: 'reorder-levels-set',
        lines: [
          { productId: 'p1', locationId: FLOOR, reorderPoint: 10, orderUpTo: 25 },
          // Back room: 20 on hand against an order-up-to of 5 → 15 above it (well above: ≥ max(1, ⌈5/4⌉ = 2)).
          { productId: 'p1', locationId: BACK, reorderPoint: 2, orderUpTo: 5 },
          { productId: 'p2', locationId: FLOOR, reorderPoint: 1, orderUpTo: 3 },
          // 6 against an order-up-to of 5: 1 above, not ⌈5/4⌉ = 2 above: not well above, nothing moves.
          { productId: 'p2', locationId: BACK, reorderPoint: 2, orderUpTo: 5 },
        ],
      }),
    ];
    const plan = new ReplenishmentPlanner(booksOf(events), NOW).plan();
    // p1 floor: need 25 − 4 = 21; 15 come from the back room; the 6 left → 1 pack, but the minimum 10 → 2 packs = 12.
    expect(plan.transfers).toEqual([{ productId: 'p1', fromLocationId: BACK, toLocationId: FLOOR, qty: 15 }]);
    // p2 floor: need 3 − 0 = 3 (no series stock there, a pin makes the series), bought: 3 at the catalog... last cost 400.
    expect(plan.purchases).toEqual([
      {
        supplier: '',
        leadTime: { days: 7, source: 'store-default', orders: 0 },
        lines: [
          { productId: 'p1', locationId: FLOOR, need: 6, qty: 12, packSize: 6, minOrderQty: 10, unitCost: 400, value: 4800 },
          { productId: 'p2', locationId: FLOOR, need: 3, qty: 3, packSize: 1, minOrderQty: 1, unitCost: 400, value: 1200 },
        ],
        value: 6000,
      },
    ]);
  });

  it('takes from the largest surplus first, then the next', () => {
    const owner = new Device('owner', FLOOR, daysAgo(10));
    const events = [
      owner.event({ kind: 'location-defined', location: { id: 'loc-3', name: 'Warehouse' } }),
      owner.event({ kind: 'product-defined', product: product('p1') }),
      owner.receive([{ productId: 'p1', qty: 10 + 4, unitCost: 400 }], { locationId: BACK }),
      owner.receive([{ productId: 'p1', qty: 10 + 8, unitCost: 400 }], { locationId: 'loc-3' }),
      owner.event({
        kind: 'reorder-levels-set',
        lines: [
          { productId: 'p1', locationId: FLOOR, reorderPoint: 4, orderUpTo: 10 },
          // Each holds 10 as its own order-up-to: the back room 4 above (≥ ⌈10/4⌉ = 3), the warehouse 8 above.
          { productId: 'p1', locationId: BACK, reorderPoint: 5, orderUpTo: 10 },
          { productId: 'p1', locationId: 'loc-3', reorderPoint: 5, orderUpTo: 10 },
        ],
      }),
    ];
    const plan = new ReplenishmentPlanner(booksOf(events), NOW).plan();
    // Floor needs 10: 8 from the warehouse, 2 from the back room, nothing bought.
    expect(plan.transfers).toEqual([
      { productId: 'p1', fromLocationId: BACK, toLocationId: FLOOR, qty: 2 },
      { productId: 'p1', fromLocationId: 'loc-3', toLocationId: FLOOR, qty: 8 },
    ]);
    expect(plan.purchases).toEqual([]);
  });

  it('counts goods in transit to a location, and suggests nothing for an inactive product', () => {
    const owner = new Device('owner', FLOOR, daysAgo(10));
    const events = [
      owner.event({ kind: 'product-defined', product: product('p1') }),
      owner.event({ kind: 'product-defined', product: product('p2', { active: false }) }),
      owner.receive([{ productId: 'p1', qty: 10, unitCost: 400 }, { productId: 'p2', qty: 1, unitCost: 400 }], { locationId: BACK }),
      owner.transferOut('t-1', FLOOR, [{ productId: 'p1', qty: 4 }], { locationId: BACK }),
      owner.event({
        kind: 'reorder-levels-set',
        lines: [
          { productId: 'p1', locationId: FLOOR, reorderPoint: 5, orderUpTo: 8 },
          { productId: 'p2', locationId: FLOOR, reorderPoint: 5, orderUpTo: 8 },
        ],
      }),
    ];
    const plan = new ReplenishmentPlanner(booksOf(events), NOW).plan();
    // p1 floor: 0 on hand + 4 in transit = 4 < 5 → need 8 − 4 = 4, bought (the back room has no level: it gives nothing).
    expect(plan.series.find((s) => s.productId === 'p1' && s.locationId === FLOOR)).toMatchObject({ onHand: 0, inTransit: 4 });
    expect(plan.transfers).toEqual([]);
    expect(plan.purchases.flatMap((p) => p.lines).map((l) => [l.productId, l.need, l.qty])).toEqual([['p1', 4, 4]]);
  });

  // fast-check seed 270275508 of the property "are not suggested again once ordered and sent", shrunk.
  it('suggests nothing more once what it suggested is ordered and sent, even when a transfer empties the location it comes from', () => {
    const till = new Device('till-1', FLOOR, daysAgo(40));
    const events = [
      till.event({ kind: 'product-defined', product: product('p1', { supplier: 'Acme' }) }, { at: daysAgo(35) }),
      // The back room got 3 and sold 2 four weeks ago, and nothing since with 1 on the shelf all along:
      // 2 then 28 zeros, forecast about 0, levels 0 / 0, so its 1 unit is surplus.
      till.receive([{ productId: 'p1', qty: 3, unitCost: 400 }], { at: daysAgo(28), locationId: BACK }),
      till.sale([{ productId: 'p1', qty: 2 }], { at: daysAgo(28, 1), locationId: BACK }),
      // The floor sold 1 today with nothing on hand: it needs stock.
      till.sale([{ productId: 'p1', qty: 1 }], { at: daysAgo(0) }),
    ];
    const plan = new ReplenishmentPlanner(booksOf(events), NOW).plan();
    expect(plan.series.find((s) => s.locationId === BACK)).toMatchObject({ onHand: 1, reorderPoint: 0, orderUpTo: 0 });
    expect(plan.transfers).toEqual([{ productId: 'p1', fromLocationId: BACK, toLocationId: FLOOR, qty: 1 }]);
    const bought = plan.purchases.flatMap((p) => p.lines);
    expect(bought.map((l) => l.locationId)).toEqual([FLOOR]);

    // The owner orders and sends exactly that, a moment later. The back room is now empty, but today is
    // not over and its shelf had stock today: its demand and levels must not change, so neither may the plan.
    const owner = new Device('owner', FLOOR, daysAgo(0, 60));
    const after = [
      ...events,
      owner.event({ kind: 'purchase-order-created', purchaseOrderId: 'po-1', supplier: 'Acme', lines: bought.map((l) => ({ productId: l.productId, qty: l.qty, unitCost: l.unitCost })) }),
      owner.transferOut('t-1', FLOOR, [{ productId: 'p1', qty: 1 }], { locationId: BACK }),
    ];
    const replanned = new ReplenishmentPlanner(booksOf(after), NOW).plan();
    expect(replanned.series.find((s) => s.locationId === BACK)).toMatchObject({ onHand: 0, reorderPoint: 0, orderUpTo: 0 });
    expect(replanned.transfers).toEqual([]);
    expect(replanned.purchases).toEqual([]);
  });

  // fast-check seed 20260615 of the same property, shrunk: found while looking for siblings of the one above.
  it('suggests nothing more once a transfer is sent from a location whose day-by-day stock says it was empty', () => {
    const till = new Device('till-1', FLOOR, daysAgo(40));
    const events = [
      till.event({ kind: 'product-defined', product: product('p1', { supplier: 'Acme' }) }, { at: daysAgo(35) }),
      // The floor sold 1 with nothing on hand three days ago; a delivery of 8 was keyed in after it but
      // dated four days earlier (ledger order puts it after the sale). Day by day the floor has been at
      // −1 since that sale, so today opened empty; its real stock is 7.
      till.sale([{ productId: 'p1', qty: 1 }], { at: daysAgo(3) }),
      till.receive([{ productId: 'p1', qty: 8, unitCost: 400 }], { at: daysAgo(7) }),
      // The back room sold 1 today with nothing on hand: it needs stock, and the floor has some to spare.
      till.sale([{ productId: 'p1', qty: 1 }], { at: daysAgo(0), locationId: BACK }),
    ];
    const planner = new ReplenishmentPlanner(booksOf(events), NOW);
    const plan = planner.plan();
    expect(planner.demandHistory('p1', FLOOR)?.days).toEqual([0, 0, 0, 0, 1, null, null, null]);
    const floor = plan.series.find((s) => s.locationId === FLOOR);
    expect(floor?.onHand).toBe(7);
    const sent = plan.transfers.filter((t) => t.fromLocationId === FLOOR && t.toLocationId === BACK);
    expect(sent).toHaveLength(1);
    expect(plan.purchases.flatMap((p) => p.lines).map((l) => l.locationId)).toEqual([BACK]);

    // Sending stock out today brings nothing in: today stays a stock-out day for the floor, whatever is left there.
    const owner = new Device('owner', FLOOR, daysAgo(0, 60));
    const after = [
      ...events,
      ...plan.purchases.map((supplier, i) => owner.event({ kind: 'purchase-order-created', purchaseOrderId: `po-${i}`, supplier: supplier.supplier, lines: supplier.lines.map((l) => ({ productId: l.productId, qty: l.qty, unitCost: l.unitCost })) }, { locationId: BACK })),
      ...plan.transfers.map((t, i) => owner.transferOut(`t-${i}`, t.toLocationId, [{ productId: t.productId, qty: t.qty }], { locationId: t.fromLocationId })),
    ];
    const replanner = new ReplenishmentPlanner(booksOf(after), NOW);
    expect(replanner.demandHistory('p1', FLOOR)?.days).toEqual([0, 0, 0, 0, 1, null, null, null]);
    expect(replanner.seriesPlan('p1', FLOOR)).toMatchObject({ onHand: 7 - (sent[0]?.qty ?? 0), reorderPoint: floor?.reorderPoint, orderUpTo: floor?.orderUpTo });
    const replanned = replanner.plan();
    expect(replanned.transfers).toEqual([]);
    expect(replanned.purchases).toEqual([]);
  });
});

describe('updates', () => {
  it('recomputes levels without forecasting again when the settings, a pin or a lead time change', () => {
    const owner = new Device('owner', FLOOR, daysAgo(40));
    const events: LedgerEvent[] = [owner.event({ kind: 'product-defined', product: product('p1', { supplier: 'Acme' }) }, { at: daysAgo(30) }), owner.receive([{ productId: 'p1', qty: 1000, unitCost: 400 }], { at: daysAgo(30, 1) })];
    for (let n = 29; n >= 0; n--) events.push(owner.sale([{ productId: 'p1', qty: 3 }], { at: daysAgo(n, 2) }));
    events.push(owner.receive([{ productId: 'p2', qty: 5, unitCost: 400 }], { at: daysAgo(0, 3), locationId: BACK }));
    const books = booksOf(events);
    const planner = new ReplenishmentPlanner(books, NOW);
    const apply = (event: LedgerEvent) => {
      expect(books.apply(event).status).toBe('applied');
      planner.update([event], NOW);
      return planner.lastUpdate();
    };
    // Two series (p1 on the floor, p2 in the back room): the service level reaches both, forecasts neither.
    expect(apply(owner.event({ kind: 'store-settings-changed', changes: { serviceLevel: 99 } }))).toEqual({ reforecast: 0, relevelled: 2, rebuilt: false });
    const forecast = planner.seriesPlan('p1', FLOOR)?.forecast;
    if (forecast?.kind !== 'forecast') throw new Error('30 days of sales are forecast');
    const history = planner.demandHistory('p1', FLOOR)?.days ?? [];
    expect(planner.seriesPlan('p1', FLOOR)?.computed).toEqual(policyLevels({ history, forecast, leadTimePeriods: 7, reviewPeriods: 1, serviceLevel: 0.99 }));
    expect(apply(owner.event({ kind: 'supplier-lead-time-set', supplier: 'Acme', leadTimeDays: 12 }))).toEqual({ reforecast: 0, relevelled: 1, rebuilt: false });
    expect(planner.seriesPlan('p1', FLOOR)?.computed).toEqual(policyLevels({ history, forecast, leadTimePeriods: 12, reviewPeriods: 1, serviceLevel: 0.99 }));
    expect(apply(owner.event({ kind: 'reorder-levels-set', lines: [{ productId: 'p2', locationId: BACK, reorderPoint: 9, orderUpTo: null }] }))).toEqual({ reforecast: 0, relevelled: 1, rebuilt: false });
    // No forecast there (no sales): only the pinned reorder point applies; an order would bring it up to it.
    expect(planner.seriesPlan('p2', BACK)).toMatchObject({ reorderPoint: 9, orderUpTo: undefined, computed: undefined, pinned: { reorderPoint: true, orderUpTo: false } });
    // A sale re-forecasts its own series only.
    expect(apply(owner.sale([{ productId: 'p1', qty: 1 }], { at: daysAgo(0, 10) }))).toEqual({ reforecast: 1, relevelled: 0, rebuilt: false });
  });
});
