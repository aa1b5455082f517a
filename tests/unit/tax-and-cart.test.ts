import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToCart, amountOff, emptyCart, priceCart, removeLine, setCartDiscount, setLineDiscount, setLineQty, settle, stillOwed } from '../../src/domain/cart.ts';
import type { ProductSnapshot } from '../../src/domain/events.ts';
import { taxFromInclusive, taxOnExclusive } from '../../src/domain/tax.ts';
import { cardThenCash, euroRules } from '../domain/support/payment.ts';

const product = (over: Partial<ProductSnapshot>): ProductSnapshot => ({
  id: 'p1', name: 'Milk', sku: 'MILK', barcodes: [], price: 100, cost: 60, currency: 'EUR', taxRateBp: 2000, unit: 'each', active: true, ...over,
});

describe('tax per line', () => {
  it('extracts tax from an inclusive price', () => {
    // 1.00 incl. 20 %: 100 × 0.2 / 1.2 = 16.67 → 17; net 83
    expect(taxFromInclusive(100, 2000)).toEqual({ net: 83, tax: 17, gross: 100 });
    // 9.99 incl. 7 %: 999 × 0.07 / 1.07 = 65.355 → 65
    expect(taxFromInclusive(999, 700)).toEqual({ net: 934, tax: 65, gross: 999 });
  });
  it('adds tax to an exclusive price, halves away from zero', () => {
    // 0.25 + 10 % = 2.5 → 3
    expect(taxOnExclusive(25, 1000)).toEqual({ net: 25, tax: 3, gross: 28 });
    // 0.24 + 10 % = 2.4 → 2
    expect(taxOnExclusive(24, 1000)).toEqual({ net: 24, tax: 2, gross: 26 });
    // a refund line: −0.25 + 10 % = −2.5 → −3
    expect(taxOnExclusive(-25, 1000)).toEqual({ net: -25, tax: -3, gross: -28 });
  });
  it('zero rate has no tax', () => expect(taxOnExclusive(1234, 0)).toEqual({ net: 1234, tax: 0, gross: 1234 }));
});

describe('cart', () => {
  it('merges a product sold by the piece and prices it', () => {
    let cart = addToCart(emptyCart, product({}), 1, 'l1');
    cart = addToCart(cart, product({}), 2, 'l2');
    expect(cart.lines).toHaveLength(1);
    const priced = priceCart(cart, true);
    expect(priced.totals).toEqual({ net: 250, tax: 50, gross: 300, discount: 0 });
  });

  it('prices a weighed product per kg with the quantity in grams', () => {
    // 345 g at 12.99/kg = 448.155 → 448
    const cart = addToCart(emptyCart, product({ id: 'cheese', unit: 'kg', price: 1299, taxRateBp: 0 }), 345, 'l1');
    expect(priceCart(cart, true).totals.gross).toBe(448);
  });

  it('spreads a cart discount over lines so totals add up', () => {
    let cart = addToCart(emptyCart, product({ id: 'a', price: 1000 }), 1, 'a');
    cart = addToCart(cart, product({ id: 'b', price: 500, taxRateBp: 1000 }), 1, 'b');
    const discounted = setCartDiscount(cart, amountOff(300));
    if (!discounted.ok) throw new Error(discounted.error);
    const { lines, totals } = priceCart(discounted.value, true);
    // shares 300 × 1000/1500 = 200 and 100
    expect(lines.map((l) => l.cartDiscountShare)).toEqual([200, 100]);
    // a: 800 incl. 20 % → tax 133.33 → 133; b: 400 incl. 10 % → 36.36 → 36
    expect(lines.map((l) => l.tax)).toEqual([133, 36]);
    expect(totals).toEqual({ net: 1031, tax: 169, gross: 1200, discount: 300 });
  });

  it('applies tax-exclusive pricing with a line discount', () => {
    let cart = addToCart(emptyCart, product({ price: 250, taxRateBp: 825 }), 4, 'l1');
    const withDiscount = setLineDiscount(cart, 'l1', amountOff(100));
    if (!withDiscount.ok) throw new Error(withDiscount.error);
    cart = withDiscount.value;
    // net 1000 − 100 = 900; tax 8.25 % = 74.25 → 74
    expect(priceCart(cart, false).totals).toEqual({ net: 900, tax: 74, gross: 974, discount: 100 });
  });

  it('refuses discounts larger than the amount and bad quantities', () => {
    const cart = addToCart(emptyCart, product({}), 1, 'l1');
    expect(setLineDiscount(cart, 'l1', amountOff(101)).ok).toBe(false);
    expect(setLineDiscount(cart, 'l1', amountOff(-1)).ok).toBe(false);
    expect(setCartDiscount(cart, amountOff(101)).ok).toBe(false);
    expect(() => setLineQty(cart, 'l1', 0)).toThrow();
    expect(() => setLineQty(cart, 'l1', 1.5)).toThrow();
    expect(() => addToCart(cart, product({}), Number.NaN, 'x')).toThrow();
    expect(removeLine(cart, 'l1').lines).toHaveLength(0);
  });
});

describe('settle', () => {
  it('gives change from cash only', () => {
    expect(settle(1234, cardThenCash(0, 2000), euroRules())).toEqual({
      ok: true,
      value: { tenders: [{ method: 'cash', amount: 1234, received: 2000 }], change: 766, cashRounding: 0, cashDue: 1234 },
    });
  });
  it('splits card and cash', () => {
    expect(settle(1234, cardThenCash(1000, 500), euroRules())).toEqual({
      ok: true,
      value: { tenders: [{ method: 'card', amount: 1000 }, { method: 'cash', amount: 234, received: 500 }], change: 266, cashRounding: 0, cashDue: 234 },
    });
  });
  it('card for the whole amount', () => {
    expect(settle(1234, cardThenCash(1234, 0), euroRules())).toEqual({ ok: true, value: { tenders: [{ method: 'card', amount: 1234 }], change: 0, cashRounding: 0, cashDue: 0 } });
  });
  it('refuses underpayment and card over the total', () => {
    expect(settle(1234, cardThenCash(0, 1000), euroRules()).ok).toBe(false);
    expect(settle(1234, cardThenCash(1300, 0), euroRules()).ok).toBe(false);
  });

  // Issue 14: €10 cash then €5 by card on €11.64 gave €3.36 change, paid out of the card's money.
  it('takes the parts in the order they were handed over: a card part is at most what is still owed then', () => {
    const cash = (amount: number) => ({ method: 'cash' as const, amount });
    const card = (amount: number) => ({ method: 'card' as const, amount });
    expect(settle(1164, [cash(1000), card(500)], euroRules())).toEqual({
      ok: false,
      error: 'The card part of €5.00 is more than the €1.64 still owed, and a card gives no change: charge at most €1.64 by card.',
    });
    expect(settle(1164, [cash(1000), card(164)], euroRules())).toEqual({
      ok: true,
      value: { tenders: [{ method: 'card', amount: 164 }, { method: 'cash', amount: 1000 }], change: 0, cashRounding: 0, cashDue: 1000 },
    });
    // Card first, then a €10 note for the rest: the change is the note's.
    expect(settle(1164, [card(500), cash(1000)], euroRules())).toMatchObject({ ok: true, value: { change: 336 } });
    expect(settle(1164, [cash(2000), cash(500)], euroRules())).toEqual({
      ok: false,
      error: 'The sale was already paid in full before the cash part of €5.00: remove that part.',
    });
    expect(stillOwed(1164, [cash(1000)])).toBe(164);
    expect(stillOwed(1164, [cash(2000)])).toBe(0);
    // Cash rounded to 5 cents: €11.60 in cash covers €11.62, so nothing more may be charged.
    expect(stillOwed(1162, [cash(1160)], 5)).toBe(0);
    expect(settle(1162, [cash(1160), card(2)], euroRules(5)).ok).toBe(false);
  });

  it('never gives change out of a card part, whatever the parts and their order (property)', () => {
    const part = fc.record({ method: fc.constantFrom('cash' as const, 'card' as const), amount: fc.integer({ min: 0, max: 5000 }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.array(part, { maxLength: 5 }), fc.constantFrom(1, 5, 10), (total, parts, step) => {
        const settled = settle(total, parts, euroRules(step));
        if (!settled.ok) return;
        const { tenders, change, cashRounding } = settled.value;
        const cardTender = tenders.find((t) => t.method === 'card')?.amount ?? 0;
        const cashHanded = parts.filter((p) => p.method === 'cash').reduce((sum, p) => sum + p.amount, 0);
        expect(tenders.reduce((sum, t) => sum + t.amount, 0)).toBe(total + cashRounding);
        expect(cardTender).toBeLessThanOrEqual(total);
        expect(change).toBeGreaterThanOrEqual(0);
        expect(change).toBeLessThanOrEqual(cashHanded);
        // Every part was needed: before the last one handed over, the customer still owed money.
        const handed = parts.filter((p) => p.amount > 0);
        if (handed.length > 0) expect(settle(total, handed.slice(0, -1), euroRules(step)).ok).toBe(false);
        // Change only when the last part was cash, and less than it.
        const last = handed.at(-1);
        if (change > 0) {
          expect(last?.method).toBe('cash');
          expect(change).toBeLessThan(last?.amount ?? 0);
        }
      }),
    );
  });
});
