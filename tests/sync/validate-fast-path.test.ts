/**
 * parseEvent's fast paths for sales and deliveries (src/domain/validate.ts) must accept exactly what
 * the zod schema accepts and return the same event, key order included (the server stores
 * JSON.stringify of it). Differential check: valid events in several shapes, and every field of
 * them broken in many ways.
 */
import { describe, expect, it } from 'vitest';
import { ledgerEventSchema, parseEvent } from '../../src/domain/validate.ts';
import { fastGoodsReceived, fastSale } from '../../src/domain/validate/fast-paths.ts';
import { eventOf, saleEvent } from '../server/fixtures.ts';
import { expectFastPathSameAsSchema } from '../domain/support/fast-path.ts';

type Json = Record<string, unknown>;

function variants(): Json[] {
  const base = saleEvent({ storeId: 's1', deviceId: 'dev-a', seq: 7, qty: 3, unitPrice: 199 }) as unknown as Json;
  const cash = structuredClone(base);
  const gross = (cash.totals as Json).gross as number;
  cash.tenders = [{ method: 'cash', amount: gross, received: gross + 51 }];
  cash.change = 51;
  cash.shiftId = 'shift-1';
  const split = structuredClone(base);
  split.tenders = [
    { method: 'card', amount: 100 },
    { method: 'cash', amount: gross - 100, received: gross - 100 },
  ];
  const twoLines = structuredClone(base);
  const line = (twoLines.lines as Json[])[0] as Json;
  twoLines.lines = [line, { ...line, lineId: 'l2', unit: 'kg', name: '', net: -5, tax: 5, gross: 0 }];
  const totals = twoLines.totals as Json;
  twoLines.totals = { ...totals, net: (totals.net as number) - 5, tax: (totals.tax as number) + 5 };
  const extra = structuredClone(base);
  extra.unknownKey = 1;
  (extra.lines as Json[])[0] = { ...line, extra: true };
  (extra.totals as Json).extra = 'x';
  const reordered = Object.fromEntries(Object.entries(structuredClone(base)).reverse());
  // Issue 17: a price override (listPrice on the line) approved by a supervisor (approvedBy).
  const approved = structuredClone(base);
  approved.approvedBy = '018f3a2b-4c5d-7e6f-8a9b-0c1d2e3f4a5b';
  (approved.lines as Json[])[0] = { ...line, listPrice: 250 };
  return [base, cash, split, twoLines, extra, reordered, approved];
}

const BAD_VALUES: unknown[] = [undefined, null, '', 'x', -1, 0, 1.5, 2 ** 53, Number.NaN, Infinity, true, [], {}, 10_001];

/** Every leaf of the event replaced by each bad value, and deleted. */
function* mutations(event: Json): Generator<Json> {
  function* walk(node: unknown, path: (string | number)[]): Generator<(string | number)[]> {
    if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) yield* walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
    }
    if (path.length > 0) yield path;
  }
  for (const path of walk(event, [])) {
    const set = (value: unknown, remove = false) => {
      const copy = structuredClone(event) as Json;
      let at: Json = copy;
      for (const key of path.slice(0, -1)) at = at[key as string] as Json;
      const last = path[path.length - 1] as string;
      if (remove) delete at[last];
      else at[last] = value;
      return copy;
    };
    yield set(undefined, true);
    for (const value of BAD_VALUES) yield set(value);
  }
}

describe('parseEvent fast path for sales', () => {
  it('takes a sale with a price override and an approver (issue 17) and gives what zod gives', () => {
    const approved = variants().at(-1)!;
    const fast = fastSale(approved)?.event;
    expect(fast).toMatchObject({ approvedBy: '018f3a2b-4c5d-7e6f-8a9b-0c1d2e3f4a5b', lines: [{ listPrice: 250 }] });
    expect(JSON.stringify(fast)).toBe(JSON.stringify(ledgerEventSchema.parse(approved)));
  });

  it('says the sale is exact only when no level of it holds a key it does not know', () => {
    const [base] = variants();
    const plain = parseEvent(base);
    expect(plain.ok && plain.exact).toBe(true);
    const withUnknown = (at: (e: Json) => Json): boolean => {
      const copy = structuredClone(base) as Json;
      at(copy).unknownKey = 1;
      const parsed = parseEvent(copy);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.exact;
    };
    expect(withUnknown((e) => e)).toBe(false);
    expect(withUnknown((e) => (e.lines as Json[])[0] as Json)).toBe(false);
    expect(withUnknown((e) => e.totals as Json)).toBe(false);
    expect(withUnknown((e) => (e.tenders as Json[])[0] as Json)).toBe(false);
  });

  it('returns exactly what zod returns for valid sales', () => {
    for (const event of variants()) {
      expect(parseEvent(event).ok).toBe(true);
      expectFastPathSameAsSchema(event);
    }
  });

  it('accepts nothing zod rejects, field by field', () => {
    let checked = 0;
    for (const event of variants()) {
      for (const mutated of mutations(event)) {
        expectFastPathSameAsSchema(mutated);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

function deliveries(): Json[] {
  const device = { storeId: 's1', deviceId: 'dev-a' };
  const base = eventOf(device, 9, Date.UTC(2026, 0, 5, 9), 'Sam', {
    kind: 'goods-received',
    supplier: 'Acme',
    reference: 'INV-1',
    lines: [
      { productId: 'p-tea', qty: 12, unitCost: 150 },
      { productId: 'p-coffee', qty: 1, unitCost: 0.5 },
    ],
  }) as unknown as Json;
  const onOrder = { ...structuredClone(base), purchaseOrderId: 'po-1' };
  const approved = { ...structuredClone(base), approvedBy: '018f3a2b-4c5d-7e6f-8a9b-0c1d2e3f4a5b' };
  const extra = structuredClone(base);
  extra.unknownKey = 1;
  (extra.lines as Json[])[0] = { ...((extra.lines as Json[])[0] as Json), extra: true };
  const reordered = Object.fromEntries(Object.entries(structuredClone(base)).reverse());
  return [base, onOrder, approved, extra, reordered];
}

describe('parseEvent fast path for deliveries', () => {
  it('takes a delivery and gives what zod gives', () => {
    const [base] = deliveries();
    const fast = fastGoodsReceived(base)?.event;
    expect(fast).toMatchObject({ kind: 'goods-received', supplier: 'Acme', lines: [{ productId: 'p-tea', qty: 12, unitCost: 150 }, { unitCost: 0.5 }] });
    expect(JSON.stringify(fast)).toBe(JSON.stringify(ledgerEventSchema.parse(base)));
  });

  it('returns exactly what zod returns for valid deliveries, and accepts nothing zod rejects, field by field', () => {
    let checked = 0;
    for (const event of deliveries()) {
      expect(parseEvent(event).ok).toBe(true);
      expectFastPathSameAsSchema(event);
      for (const mutated of mutations(event)) {
        expectFastPathSameAsSchema(mutated);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});
