/**
 * Properties of the ledger over random histories (support/histories.ts): the projection depends on
 * the set of events only, the books always balance and tie to the stock, and quantities agree with
 * a deliberately naive reference count written here from the rules, not from the ledger's code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { Books, type ValuationMethod } from '../../src/domain/books/index.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { countSession, purchaseOrders, shiftReport, transfers } from '../../src/domain/index.ts';
import { history, LOCATIONS, PRODUCTS } from './support/histories.ts';
import { balanceOf, journalEntries, trialBalance } from '../../src/domain/journal.ts';

const RUNS = { numRuns: 150 };
const methods: ValuationMethod[] = ['fifo', 'average'];

function build(method: ValuationMethod, arrivals: LedgerEvent[]): Books {
  const ledger = new Books({ valuation: method });
  for (const event of arrivals) ledger.apply(event);
  return ledger;
}

function snapshot(ledger: Books): unknown {
  return {
    levels: ledger.stockLevels(),
    transit: ledger.inTransit(),
    journal: journalEntries(ledger),
    oversells: ledger.oversells(),
    shifts: ['S1', 'S2'].map((id) => shiftReport(ledger, id)),
    counts: ['C1', 'C2'].map((id) => countSession(ledger, id)),
    purchaseOrders: purchaseOrders(ledger),
    transfers: transfers(ledger),
    locations: ledger.locations(),
  };
}

/** A permutation of `events`, chosen by fast-check, so shrinking also shrinks the arrival order. */
const withArrivalOrder = history.chain((events) =>
  fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })),
);

/** Naive reference: quantities only, events sorted by (hlc, deviceId, seq), rules from the issue. */
function referenceQuantities(events: LedgerEvent[]): { stock: Map<string, number>; transit: Map<string, number> } {
  const sorted = [...events].sort((a, b) =>
    a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.seq - b.seq,
  );
  const stock = new Map<string, number>();
  const transit = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, qty: number): void => {
    map.set(key, (map.get(key) ?? 0) + qty);
  };
  const seenSales = new Map<string, LedgerEvent>();
  const voided = new Set<string>();
  const approvedSessions = new Set<string>();
  for (const e of sorted) {
    switch (e.kind) {
      case 'opening-balance':
      case 'goods-received':
      case 'stock-adjusted':
        for (const l of e.lines) add(stock, `${l.productId}@${e.locationId}`, l.qty);
        break;
      case 'sale':
        seenSales.set(e.id, e);
        for (const l of e.lines) add(stock, `${l.productId}@${e.locationId}`, -l.qty);
        break;
      case 'sale-voided': {
        // Only a void recorded after its sale (in ledger order) counts, and only once.
        const sale = seenSales.get(e.saleId);
        if (sale?.kind === 'sale' && !voided.has(sale.id)) {
          voided.add(sale.id);
          for (const l of sale.lines) add(stock, `${l.productId}@${sale.locationId}`, l.qty);
        }
        break;
      }
      case 'return':
        for (const l of e.lines) if (l.disposition === 'restock') add(stock, `${l.productId}@${e.locationId}`, l.qty);
        break;
      case 'stock-counted':
        for (const l of e.lines) stock.set(`${l.productId}@${e.locationId}`, l.countedQty);
        break;
      case 'count-session-approved':
        // The first approval of a session (in ledger order) is a count; later ones change nothing.
        if (!approvedSessions.has(e.countSessionId)) {
          approvedSessions.add(e.countSessionId);
          for (const l of e.lines) stock.set(`${l.productId}@${e.locationId}`, l.countedQty);
        }
        break;
      case 'transfer-out':
        for (const l of e.lines) {
          add(stock, `${l.productId}@${e.locationId}`, -l.qty);
          add(transit, `${e.transferId}/${l.productId}`, l.qty);
        }
        break;
      case 'transfer-in':
        for (const l of e.lines) {
          add(stock, `${l.productId}@${e.locationId}`, l.qty);
          add(transit, `${e.transferId}/${l.productId}`, -l.qty);
        }
        break;
      case 'product-defined':
      case 'product-changed':
      case 'location-defined':
      case 'purchase-order-created':
      case 'purchase-order-closed':
      case 'count-session-opened':
      case 'count-recorded':
      case 'shift-opened':
      case 'cash-moved':
      case 'shift-closed':
        break;
    }
  }
  return { stock, transit };
}

describe('ledger properties', () => {
  it('generates only valid events', () => {
    fc.assert(
      fc.property(history, (events) => {
        for (const event of events) {
          const parsed = parseEvent(event);
          expect(parsed.ok ? 'ok' : parsed.error).toBe('ok');
        }
      }),
      { numRuns: 50 },
    );
  });

  for (const method of methods) {
    describe(method, () => {
      it('is independent of delivery order', () => {
        fc.assert(
          fc.property(withArrivalOrder, ([events, arrivals]) => {
            expect(snapshot(build(method, arrivals))).toEqual(snapshot(Books.fromEvents(events, { valuation: method })));
          }),
          RUNS,
        );
      });

      it('is idempotent under duplicates', () => {
        fc.assert(
          fc.property(
            withArrivalOrder.chain(([events, arrivals]) =>
              fc.tuple(fc.constant(events), fc.constant(arrivals), fc.array(fc.nat({ max: Math.max(0, events.length - 1) }), { maxLength: 20 })),
            ),
            ([events, arrivals, repeats]) => {
              const once = build(method, events);
              const withDuplicates = [...arrivals];
              for (const [i, pick] of repeats.entries()) {
                const duplicate = events[pick];
                if (duplicate) withDuplicates.splice(i % (withDuplicates.length + 1), 0, structuredClone(duplicate));
              }
              const twice = build(method, withDuplicates);
              expect(snapshot(twice)).toEqual(snapshot(once));
              expect(twice.size).toBe(once.size);
              for (const event of events) expect(twice.apply(event).status).toBe('duplicate');
              expect(snapshot(twice)).toEqual(snapshot(once));
            },
          ),
          RUNS,
        );
      });

      it('conserves quantity (agrees with a naive count of the events)', () => {
        fc.assert(
          fc.property(withArrivalOrder, ([events, arrivals]) => {
            const ledger = build(method, arrivals);
            const reference = referenceQuantities(events);
            for (const p of PRODUCTS) {
              for (const l of LOCATIONS) {
                expect(ledger.onHand(p, l), `${p}@${l}`).toBe(reference.stock.get(`${p}@${l}`) ?? 0);
                const moved = ledger.movements(p).filter((m) => m.locationId === l).reduce((s, m) => s + m.qty, 0);
                expect(moved, `${p}@${l} movements`).toBe(ledger.onHand(p, l));
              }
            }
            for (const t of ledger.inTransit()) expect(t.qty).toBe(reference.transit.get(`${t.transferId}/${t.productId}`) ?? 0);
            const transitTotal = [...reference.transit.values()].reduce((s, q) => s + q, 0);
            expect(ledger.inTransit().reduce((s, t) => s + t.qty, 0)).toBe(transitTotal);
          }),
          RUNS,
        );
      });

      it('balances every event’s journal and ties Inventory to the valuation layers', () => {
        fc.assert(
          fc.property(withArrivalOrder, ([, arrivals]) => {
            const ledger = build(method, arrivals);
            for (const entry of journalEntries(ledger)) {
              const debit = entry.lines.reduce((s, l) => s + l.debit, 0);
              const credit = entry.lines.reduce((s, l) => s + l.credit, 0);
              expect(debit, `${entry.kind} ${entry.eventId}`).toBe(credit);
              for (const line of entry.lines) expect(Number.isSafeInteger(line.debit + line.credit)).toBe(true);
            }
            const layerTotal = ledger
              .stockLevels()
              .reduce((s, v) => s + v.layers.reduce((t, layer) => t + layer.value, 0) - v.oversoldValue, 0);
            expect(balanceOf(ledger, 'inventory')).toBe(layerTotal);
            expect(ledger.inventoryValue()).toBe(layerTotal);
            expect(balanceOf(ledger, 'inventoryInTransit')).toBe(ledger.inTransit().reduce((s, t) => s + t.value, 0));
            const trial = trialBalance(ledger);
            expect(trial.totalDebit).toBe(trial.totalCredit);
          }),
          RUNS,
        );
      });
    });
  }

  it('FIFO and moving average agree on quantities', () => {
    fc.assert(
      fc.property(history, (events) => {
        const fifo = Books.fromEvents(events, { valuation: 'fifo' });
        const average = Books.fromEvents(events, { valuation: 'average' });
        const quantities = (ledger: Books): unknown => ({
          stock: ledger.stockLevels().map((v) => [v.productId, v.locationId, v.qty]),
          transit: ledger.inTransit().map((t) => [t.transferId, t.productId, t.qty]),
          layers: ledger.stockLevels().map((v) => v.layers.reduce((s, l) => s + l.qty, 0) - v.oversoldQty),
        });
        expect(quantities(average)).toEqual(quantities(fifo));
      }),
      RUNS,
    );
  });
});
