/**
 * Random event histories for property tests: several devices with skewed clocks, two locations,
 * a few products, and every stock-affecting kind, including voids and returns of earlier sales and
 * transfers received in parts. Every generated event passes `parseEvent`.
 */
import fc from 'fast-check';
import type { LedgerEvent } from '../../../src/domain/events.ts';
import { Device } from './event-factory.ts';

export const PRODUCTS = ['p1', 'p2', 'p3'] as const;
export const LOCATIONS = ['A', 'B'] as const;

const product = fc.constantFrom(...PRODUCTS);
const location = fc.constantFrom(...LOCATIONS);
/** Costs in minor units, sometimes fractional (e.g. 233.33). */
const unitCost = fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 200_000 }).map((c) => c / 100));

const session = fc.constantFrom('C1', 'C2');
const shift = fc.constantFrom('S1', 'S2');
const purchaseOrderId = fc.constantFrom('PO1', 'PO2');
/** Sales, voids and returns name a shift half of the time. */
const maybeShift = fc.option(shift, { nil: undefined });

const op = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('product' as const), product, cost: unitCost }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('opening' as const), product, location, qty: fc.integer({ min: 0, max: 40 }), unitCost }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('receive' as const),
      product,
      location,
      qty: fc.integer({ min: 1, max: 40 }),
      unitCost,
      order: fc.option(purchaseOrderId, { nil: undefined }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('sale' as const),
      location,
      lines: fc.array(fc.record({ product, qty: fc.integer({ min: 1, max: 15 }) }), { minLength: 1, maxLength: 2 }),
      card: fc.boolean(),
      shift: maybeShift,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat(), shift: maybeShift }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('return' as const),
      pick: fc.option(fc.nat(), { nil: undefined }),
      product,
      location,
      qty: fc.integer({ min: 1, max: 5 }),
      writeOff: fc.boolean(),
      shift: maybeShift,
      card: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('count' as const), product, location, counted: fc.integer({ min: 0, max: 60 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      product,
      location,
      qty: fc.integer({ min: -10, max: 10 }).filter((q) => q !== 0),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer-out' as const), product, location, qty: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer-in' as const), pick: fc.nat(), part: fc.integer({ min: 1, max: 20 }) }) },
  // Store operations (issue 7): approvals are counts (first per session wins), a shift's close posts
  // its cash difference, which depends on sales and returns that name the shift.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('approve' as const), session, product, location, counted: fc.integer({ min: 0, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('record' as const), session, product, qty: fc.integer({ min: -3, max: 10 }).filter((q) => q !== 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('open-shift' as const), shift, float: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cash-moved' as const), shift, amount: fc.integer({ min: -5_000, max: 5_000 }).filter((a) => a !== 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close-shift' as const), shift, counted: fc.integer({ min: 0, max: 60_000 }) }) },
  // Locations named among everything else must not disturb stock or the journal (the naming itself
  // is checked in locations.test.ts, with many definitions of few ids).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('name-location' as const), location, name: fc.constantFrom('Van', 'Cellar', 'Second shop') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('purchase-order' as const), order: purchaseOrderId, product, qty: fc.integer({ min: 1, max: 40 }) }) },
);

const step = fc.record({ device: fc.integer({ min: 0, max: 2 }), advanceMs: fc.integer({ min: 0, max: 3000 }), op });

/** Clock offsets per device: up to ±10 s of skew, so ledger order differs from recording order. */
const skews = fc.tuple(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: -10_000, max: 10_000 }));

export const history = fc
  .tuple(skews, fc.array(step, { minLength: 1, maxLength: 40 }))
  .map(([skew, steps]) => buildHistory(skew, steps));

type Step = { device: number; advanceMs: number; op: typeof op extends fc.Arbitrary<infer T> ? T : never };

function buildHistory(skew: readonly number[], steps: Step[]): LedgerEvent[] {
  const base = 1_700_000_000_000;
  const devices = [0, 1, 2].map((i) => new Device(`dev-${i}`, 'A', base));
  let now = base + 20_000;
  const events: LedgerEvent[] = [];
  const sales: LedgerEvent[] = [];
  const transfers: { id: string; from: string; to: string; product: string; qty: number; received: number }[] = [];
  for (const s of steps) {
    now += s.advanceMs;
    const device = devices[s.device] as Device;
    const at = now + (skew[s.device] ?? 0);
    const o = s.op;
    switch (o.kind) {
      case 'product':
        events.push(device.product(o.product, o.cost, { at }));
        break;
      case 'name-location':
        events.push(device.event({ kind: 'location-defined', location: { id: o.location, name: o.name } }, { at }));
        break;
      case 'opening':
        events.push(device.opening([{ productId: o.product, qty: o.qty, unitCost: o.unitCost }], { at, locationId: o.location }));
        break;
      case 'receive': {
        const lines = [{ productId: o.product, qty: o.qty, unitCost: o.unitCost }];
        const options = { at, locationId: o.location };
        events.push(o.order === undefined ? device.receive(lines, options) : device.receiveAgainst(o.order, lines, options));
        break;
      }
      case 'sale': {
        const sale = device.sale(
          o.lines.map((l) => ({ productId: l.product, qty: l.qty })),
          { at, locationId: o.location, tender: o.card ? 'card' : 'cash', ...(o.shift === undefined ? {} : { shiftId: o.shift }) },
        );
        sales.push(sale);
        events.push(sale);
        break;
      }
      case 'void': {
        const sale = sales[o.pick % Math.max(1, sales.length)];
        if (sale) events.push(device.voidSale(sale.id, { at, ...(o.shift === undefined ? {} : { shiftId: o.shift }) }));
        break;
      }
      case 'return': {
        const sale = o.pick === undefined ? undefined : sales[o.pick % Math.max(1, sales.length)];
        if (sale?.kind === 'sale') {
          const line = sale.lines[0];
          if (line) {
            events.push(
              device.returnGoods(
                [{ productId: line.productId, qty: Math.min(o.qty, line.qty), saleLineId: line.lineId, disposition: o.writeOff ? 'write-off' : 'restock' }],
                { at, locationId: o.location, saleId: sale.id, refundMethod: o.card ? 'card' : 'cash', ...(o.shift === undefined ? {} : { shiftId: o.shift }) },
              ),
            );
          }
        } else {
          events.push(
            device.returnGoods([{ productId: o.product, qty: o.qty, disposition: o.writeOff ? 'write-off' : 'restock' }], {
              at,
              locationId: o.location,
              refundMethod: o.card ? 'card' : 'cash',
              ...(o.shift === undefined ? {} : { shiftId: o.shift }),
            }),
          );
        }
        break;
      }
      case 'count':
        events.push(device.count([{ productId: o.product, countedQty: o.counted }], { at, locationId: o.location }));
        break;
      case 'adjust':
        events.push(device.adjust(o.qty > 0 ? 'found' : 'damage', [{ productId: o.product, qty: o.qty }], { at, locationId: o.location }));
        break;
      case 'transfer-out': {
        const to = o.location === 'A' ? 'B' : 'A';
        const id = `T-${transfers.length + 1}`;
        transfers.push({ id, from: o.location, to, product: o.product, qty: o.qty, received: 0 });
        events.push(device.transferOut(id, to, [{ productId: o.product, qty: o.qty }], { at, locationId: o.location }));
        break;
      }
      case 'transfer-in': {
        const open = transfers.filter((t) => t.received < t.qty);
        const transfer = open[o.pick % Math.max(1, open.length)];
        if (transfer) {
          const qty = Math.min(o.part, transfer.qty - transfer.received);
          transfer.received += qty;
          events.push(device.transferIn(transfer.id, transfer.from, [{ productId: transfer.product, qty }], { at, locationId: transfer.to }));
        }
        break;
      }
      case 'approve':
        events.push(device.approveCount(o.session, [{ productId: o.product, countedQty: o.counted }], { at, locationId: o.location }));
        break;
      case 'record':
        events.push(device.recordCount(o.session, o.product, o.qty, { at }));
        break;
      case 'open-shift':
        events.push(device.openShift(o.shift, o.float, { at }));
        break;
      case 'cash-moved':
        events.push(device.moveCash(o.shift, o.amount, { at }));
        break;
      case 'close-shift':
        events.push(device.closeShift(o.shift, o.counted, { at }));
        break;
      case 'purchase-order':
        events.push(device.purchaseOrder(o.order, [{ productId: o.product, qty: o.qty, unitCost: 100 }], { at }));
        break;
    }
  }
  return events;
}
