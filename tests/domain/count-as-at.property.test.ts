/**
 * Issue 14, item 7: a count takes effect as at the moment each product was counted. Whatever
 * interleaving of count increments, sales and deliveries comes before the approval, and whatever
 * order the events arrive in, the stock after approving equals the stock of a ledger in which the
 * counted total was applied (a `stock-counted`) the instant the product's last increment was taken.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { Books, approvalLines, type ValuationMethod } from '../../src/domain/index.ts';
import { balanceOf, journalEntries } from '../../src/domain/journal.ts';
import { Device } from './support/event-factory.ts';

const PRODUCTS = ['tea', 'mug'] as const;
const START = 1_700_000_000_000;
/** Each step is one second apart; the reference count goes 1 ms after its product's last increment. */
const STEP = 1000;

type Step =
  | { kind: 'count'; productId: string; qty: number; phone: 0 | 1 }
  | { kind: 'sale'; productId: string; qty: number }
  | { kind: 'delivery'; productId: string; qty: number };

const productId = fc.constantFrom(...PRODUCTS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), productId, qty: fc.integer({ min: 1, max: 24 }), phone: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ kind: fc.constant('sale' as const), productId, qty: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('delivery' as const), productId, qty: fc.integer({ min: 1, max: 48 }) }),
);

const scenario = fc.record({
  opening: fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })),
  before: fc.array(step, { minLength: 1, maxLength: 14 }),
  after: fc.array(step.filter((s) => s.kind !== 'count'), { maxLength: 4 }),
  seed: fc.integer(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  events: LedgerEvent[];
  /** The same ledger with each product's counted total applied at its last increment instead. */
  reference: LedgerEvent[];
}

function build(s: Scenario, method: ValuationMethod): Built {
  const office = new Device('office');
  const phones = [new Device('phone-a'), new Device('phone-b')];
  const till = new Device('till');
  const moves: LedgerEvent[] = [office.opening(PRODUCTS.map((p, i) => ({ productId: p, qty: s.opening[i] ?? 0, unitCost: 100 })), { at: START })];
  const counts: LedgerEvent[] = [office.openCount('C', { at: START + STEP, blind: false })];
  const totals = new Map<string, { qty: number; at: number }>();
  const play = (steps: Step[], from: number) =>
    steps.forEach((st, i) => {
      const at = START + (from + i) * STEP;
      if (st.kind === 'count') {
        counts.push((phones[st.phone] as Device).recordCount('C', st.productId, st.qty, { at }));
        totals.set(st.productId, { qty: (totals.get(st.productId)?.qty ?? 0) + st.qty, at });
      } else if (st.kind === 'sale') moves.push(till.sale([{ productId: st.productId, qty: st.qty }], { at }));
      else moves.push(office.receive([{ productId: st.productId, qty: st.qty, unitCost: 120 }], { at }));
    });
  play(s.before, 2);
  // The owner approves what they see: every event so far.
  const seen = Books.fromEvents([...moves, ...counts], { valuation: method });
  const approveAt = START + (2 + s.before.length) * STEP;
  const approval = office.approveCount('C', approvalLines(seen, 'C'), { at: approveAt });
  play(s.after, 3 + s.before.length);
  // A device of its own per product, so its clock can go back to the moment of the count.
  const instantCounts = [...totals].map(([p, t]) =>
    new Device(`instant-${p}`).event({ kind: 'stock-counted', lines: [{ productId: p, countedQty: t.qty }] }, { at: t.at + 1 }),
  );
  return { events: [...moves, ...counts, approval], reference: [...moves, ...instantCounts] };
}

/** A deterministic shuffle: the arrival order. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function fold(events: LedgerEvent[], method: ValuationMethod): Books {
  const books = new Books({ valuation: method, currency: 'EUR' });
  for (const event of events) expect(books.apply(event).status).toBe('applied');
  return books;
}

describe('a count takes effect as at the moment each product was counted', () => {
  for (const method of ['fifo', 'average'] as const) {
    it(`gives the stock of the count applied the instant it was taken, in any arrival order (${method})`, () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const { events, reference } = build(s, method);
          const approved = fold(shuffled(events, s.seed), method);
          const instant = fold(reference, method);
          for (const p of PRODUCTS) expect(approved.onHand(p, 'loc-1'), p).toBe(instant.onHand(p, 'loc-1'));
          // The adjustment posts balanced, and Inventory still ties to the stock's value.
          for (const entry of journalEntries(approved)) {
            expect(entry.lines.reduce((t, l) => t + l.debit - l.credit, 0), entry.kind).toBe(0);
          }
          expect(balanceOf(approved, 'inventory')).toBe(approved.inventoryValue());
        }),
        { numRuns: 150 },
      );
    });
  }
});
