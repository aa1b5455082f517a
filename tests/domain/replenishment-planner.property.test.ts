/**
 * Properties of the replenishment planner (issue 16), on random histories of sales, voids, returns,
 * deliveries, purchase orders, transfers, counts, pins, lead times, catalog and settings changes:
 * - a planner updated event by event, in any arrival order (late events), plans what a planner built
 *   from scratch on the final books plans;
 * - suggestions are never negative, whole packs, cover the need, and never suggest again what open
 *   orders and transfers already cover.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Books } from '../../src/domain/books/index.ts';
import type { LedgerEvent, ProductSnapshot } from '../../src/domain/events.ts';
import { ReplenishmentPlanner } from '../../src/domain/replenishment/planner.ts';
import { needOf, positionOf } from '../../src/domain/replenishment/suggestions.ts';
import type { ReplenishmentPlan } from '../../src/domain/replenishment/types.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { CURRENCY, Device } from './support/event-factory.ts';

const DAY = 86_400_000;
const NOW = '2026-06-15T12:00:00.000Z';
const NOW_MS = Date.parse(NOW);
const LOCATIONS = ['loc-1', 'loc-2'] as const;
const PRODUCTS = ['p1', 'p2', 'p3'] as const;
const SUPPLIERS = ['Acme', 'Bolt', ''] as const;

type Action =
  | { kind: 'sale' | 'receive' | 'adjust' | 'count'; product: number; loc: number; qty: number }
  | { kind: 'void' | 'return'; ref: number; qty: number; loc: number; withReceipt: boolean }
  | { kind: 'po'; product: number; loc: number; qty: number; supplier: number }
  | { kind: 'po-receive' | 'po-close'; ref: number; qty: number }
  | { kind: 'transfer'; product: number; loc: number; qty: number; arrive: boolean }
  | { kind: 'pin'; product: number; loc: number; reorderPoint: number | null; extra: number | null }
  | { kind: 'lead-time'; supplier: number; days: number | null }
  | { kind: 'product-changed'; product: number; supplier: number; packSize: number; minOrderQty: number; active: boolean }
  | { kind: 'settings'; serviceLevel: number; defaultLeadTimeDays: number };

const at = { day: fc.integer({ min: 0, max: 40 }), device: fc.integer({ min: 0, max: 2 }) };
const small = fc.integer({ min: 1, max: 6 });
const productIndex = fc.integer({ min: 0, max: PRODUCTS.length - 1 });
const locIndex = fc.integer({ min: 0, max: 1 });
const actionArb: fc.Arbitrary<{ action: Action; day: number; device: number }> = fc.record({
  ...at,
  action: fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('sale' as const), product: productIndex, loc: locIndex, qty: small }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('receive' as const, 'adjust' as const, 'count' as const), product: productIndex, loc: locIndex, qty: fc.integer({ min: 1, max: 30 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('void' as const, 'return' as const), ref: fc.nat(), qty: small, loc: locIndex, withReceipt: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('po' as const), product: productIndex, loc: locIndex, qty: fc.integer({ min: 1, max: 30 }), supplier: fc.integer({ min: 0, max: 1 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('po-receive' as const, 'po-close' as const), ref: fc.nat(), qty: fc.integer({ min: 1, max: 30 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), product: productIndex, loc: locIndex, qty: small, arrive: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('pin' as const), product: productIndex, loc: locIndex, reorderPoint: fc.option(fc.integer({ min: 0, max: 20 })), extra: fc.option(fc.integer({ min: 0, max: 30 })) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('lead-time' as const), supplier: fc.integer({ min: 0, max: 1 }), days: fc.option(fc.integer({ min: 1, max: 20 })) }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('product-changed' as const), product: productIndex, supplier: fc.integer({ min: 0, max: 2 }), packSize: fc.constantFrom(1, 4, 6), minOrderQty: fc.integer({ min: 1, max: 13 }), active: fc.boolean() }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('settings' as const), serviceLevel: fc.constantFrom(80, 95, 99), defaultLeadTimeDays: fc.integer({ min: 1, max: 14 }) }) },
  ),
});

function product(id: string, supplier: string): ProductSnapshot {
  return { id, name: `Product ${id}`, sku: `SKU-${id}`, barcodes: [], price: 1000, cost: 300, currency: CURRENCY, taxRateBp: 2000, unit: 'each', active: true, supplier, packSize: 1 };
}

/** The events of a random history: the catalog, then the actions, each on its day (0–40 days back). */
function historyOf(actions: readonly { action: Action; day: number; device: number }[]): LedgerEvent[] {
  const devices = [0, 1, 2].map((i) => new Device(`device-${i}`, 'loc-1', NOW_MS - 60 * DAY));
  const owner = new Device('owner', 'loc-1', NOW_MS - 60 * DAY);
  const events: LedgerEvent[] = PRODUCTS.map((id, i) => owner.event({ kind: 'product-defined', product: product(id, SUPPLIERS[i % 2] as string) }, { at: NOW_MS - 50 * DAY }));
  const sales: LedgerEvent[] = [];
  const orders: { id: string; productId: string; locationId: string; supplier: string }[] = [];
  let transfers = 0;
  actions.forEach(({ action, day, device: d }, i) => {
    const device = devices[d] as Device;
    const when = { at: NOW_MS - day * DAY - 3 * 3600_000 + i * 1000 };
    const loc = (n: number) => LOCATIONS[n] as string;
    const productId = 'product' in action ? (PRODUCTS[action.product] as string) : '';
    switch (action.kind) {
      case 'sale': {
        const sale = device.sale([{ productId, qty: action.qty }], { ...when, locationId: loc(action.loc) });
        sales.push(sale);
        events.push(sale);
        break;
      }
      case 'receive':
        events.push(device.receive([{ productId, qty: action.qty, unitCost: 300 + action.qty }], { ...when, locationId: loc(action.loc) }));
        break;
      case 'adjust':
        events.push(device.adjust('damage', [{ productId, qty: -action.qty }], { ...when, locationId: loc(action.loc) }));
        break;
      case 'count':
        events.push(device.count([{ productId, countedQty: action.qty }], { ...when, locationId: loc(action.loc) }));
        break;
      case 'void':
      case 'return': {
        const sale = sales[action.ref % Math.max(1, sales.length)];
        if (sale?.kind !== 'sale') break;
        const line = sale.lines[0];
        if (!line) break;
        if (action.kind === 'void') events.push(device.voidSale(sale.id, when));
        else {
          const receipt = action.withReceipt ? { saleId: sale.id } : {};
          events.push(device.returnGoods([{ productId: line.productId, qty: Math.min(action.qty, line.qty), ...(action.withReceipt ? { saleLineId: line.lineId } : {}) }], { ...when, ...receipt, locationId: loc(action.loc) }));
        }
        break;
      }
      case 'po': {
        const id = `po-${orders.length + 1}`;
        const supplier = SUPPLIERS[action.supplier] as string;
        orders.push({ id, productId, locationId: loc(action.loc), supplier });
        events.push(device.event({ kind: 'purchase-order-created', purchaseOrderId: id, supplier, lines: [{ productId, qty: action.qty, unitCost: 300 }] }, { ...when, locationId: loc(action.loc) }));
        break;
      }
      case 'po-receive':
      case 'po-close': {
        const order = orders[action.ref % Math.max(1, orders.length)];
        if (!order) break;
        if (action.kind === 'po-close') events.push(device.event({ kind: 'purchase-order-closed', purchaseOrderId: order.id, reason: 'Done' }, { ...when, locationId: order.locationId }));
        else events.push(device.event({ kind: 'goods-received', supplier: order.supplier, reference: 'DN', purchaseOrderId: order.id, lines: [{ productId: order.productId, qty: action.qty, unitCost: 310 }] }, { ...when, locationId: order.locationId }));
        break;
      }
      case 'transfer': {
        const id = `t-${++transfers}`;
        const from = loc(action.loc);
        const to = loc(1 - action.loc);
        events.push(device.transferOut(id, to, [{ productId, qty: action.qty }], { ...when, locationId: from }));
        if (action.arrive) events.push(device.transferIn(id, from, [{ productId, qty: action.qty }], { at: when.at + 500, locationId: to }));
        break;
      }
      case 'pin': {
        const orderUpTo = action.extra === null ? null : (action.reorderPoint ?? 0) + action.extra;
        events.push(owner.event({ kind: 'reorder-levels-set', lines: [{ productId, locationId: loc(action.loc), reorderPoint: action.reorderPoint, orderUpTo }] }, when));
        break;
      }
      case 'lead-time':
        events.push(owner.event({ kind: 'supplier-lead-time-set', supplier: SUPPLIERS[action.supplier] as string, leadTimeDays: action.days }, when));
        break;
      case 'product-changed':
        events.push(owner.event({ kind: 'product-changed', productId, changes: { supplier: SUPPLIERS[action.supplier] as string, packSize: action.packSize, minOrderQty: action.minOrderQty, active: action.active } }, when));
        break;
      case 'settings':
        events.push(owner.event({ kind: 'store-settings-changed', changes: { serviceLevel: action.serviceLevel, defaultLeadTimeDays: action.defaultLeadTimeDays } }, when));
        break;
    }
  });
  for (const event of events) {
    const parsed = parseEvent(event);
    if (!parsed.ok) throw new Error(`The generator made an invalid ${event.kind}: ${parsed.error}`);
  }
  return events;
}

/** The same events in an arrival order given by random keys (late events included). */
function arrivalOrder<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items.map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)] ?? 0, i })).sort((a, b) => a.key - b.key || a.i - b.i).map((x) => x.item);
}

const scratch = (events: readonly LedgerEvent[], now = NOW): ReplenishmentPlan => new ReplenishmentPlanner(Books.fromEvents(events, { valuation: 'fifo' }), now).plan();

describe('the incremental planner', () => {
  it('updated event by event in any arrival order, plans what a planner built from the final books plans', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 40 }), fc.array(fc.integer(), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 10 }), (actions, keys, builtAfter) => {
        const events = historyOf(actions);
        const arriving = arrivalOrder(events, keys);
        const books = new Books({ valuation: 'fifo' });
        // The planner is made part-way (as the app makes it on opening), then follows every event.
        const first = arriving.slice(0, builtAfter);
        for (const event of first) books.apply(event);
        const planner = new ReplenishmentPlanner(books, NOW);
        for (const event of arriving.slice(builtAfter)) {
          expect(books.apply(event).status).toBe('applied');
          planner.update([event], NOW);
          // Asked for the plan between events too, so what it keeps from one plan to the next is tested.
          planner.plan();
        }
        expect(planner.plan()).toEqual(scratch(events));
      }),
      { numRuns: 150 },
    );
  });

  it('recomputes everything on a new business date, as a planner built that day does', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 25 }), (actions) => {
        const events = historyOf(actions);
        const books = Books.fromEvents(events, { valuation: 'fifo' });
        const planner = new ReplenishmentPlanner(books, NOW);
        const tomorrow = new Date(NOW_MS + DAY).toISOString();
        planner.update([], tomorrow);
        expect(planner.lastUpdate().rebuilt).toBe(true);
        expect(planner.plan()).toEqual(scratch(events, tomorrow));
      }),
      { numRuns: 30 },
    );
  });

  it('re-forecasts only the series of a new sale', () => {
    const events = historyOf([
      { action: { kind: 'receive', product: 0, loc: 0, qty: 20 }, day: 10, device: 0 },
      { action: { kind: 'receive', product: 1, loc: 1, qty: 20 }, day: 10, device: 0 },
      { action: { kind: 'sale', product: 1, loc: 1, qty: 2 }, day: 5, device: 0 },
    ]);
    const books = Books.fromEvents(events, { valuation: 'fifo' });
    const planner = new ReplenishmentPlanner(books, NOW);
    const sale = new Device('late-till', 'loc-1', NOW_MS - DAY).sale([{ productId: 'p1', qty: 1 }]);
    books.apply(sale);
    planner.update([sale], NOW);
    expect(planner.lastUpdate()).toEqual({ reforecast: 1, relevelled: 0, rebuilt: false });
    expect(planner.seriesPlan('p1', 'loc-1')?.onHand).toBe(19);
  });
});

describe('suggestions', () => {
  it('are never negative, whole packs, cover the need, and are not suggested again once ordered and sent', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 40 }), (actions) => {
        const events = historyOf(actions);
        const plan = scratch(events);
        const lines = plan.purchases.flatMap((p) => p.lines);
        for (const line of lines) {
          expect(line.qty).toBeGreaterThan(0);
          expect(line.qty % line.packSize).toBe(0);
          expect(line.qty).toBeGreaterThanOrEqual(line.need);
          expect(line.qty).toBeGreaterThanOrEqual(line.minOrderQty);
        }
        for (const transfer of plan.transfers) expect(transfer.qty).toBeGreaterThan(0);
        for (const series of plan.series) {
          const need = needOf(series);
          const bought = lines.find((l) => l.productId === series.productId && l.locationId === series.locationId)?.qty ?? 0;
          const sent = plan.transfers.filter((t) => t.productId === series.productId && t.toLocationId === series.locationId).reduce((sum, t) => sum + t.qty, 0);
          if (need === 0) expect(bought + sent).toBe(0);
          // An inactive product is not suggested; every other need is covered.
          else if (bought + sent > 0) expect(bought + sent).toBeGreaterThanOrEqual(need);
          if (series.reorderPoint !== undefined && positionOf(series) >= series.reorderPoint) expect(bought + sent).toBe(0);
        }
        // Order what was suggested and send what was suggested: nothing is left to suggest.
        const owner = new Device('owner-after', 'loc-1', NOW_MS - 2 * 3600_000);
        const after = [...events];
        plan.purchases.forEach((supplier, s) => {
          for (const locationId of new Set(supplier.lines.map((l) => l.locationId))) {
            const here = supplier.lines.filter((l) => l.locationId === locationId);
            after.push(owner.event({ kind: 'purchase-order-created', purchaseOrderId: `after-${s}-${locationId}`, supplier: supplier.supplier, lines: here.map((l) => ({ productId: l.productId, qty: l.qty, unitCost: l.unitCost })) }, { locationId }));
          }
        });
        plan.transfers.forEach((t, i) => after.push(owner.transferOut(`after-t-${i}`, t.toLocationId, [{ productId: t.productId, qty: t.qty }], { locationId: t.fromLocationId })));
        const replanned = scratch(after);
        expect(replanned.purchases).toEqual([]);
        expect(replanned.transfers).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
