import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToCart,
  amountOff,
  cartFromSaved,
  discountAmount,
  emptyCart,
  lineBaseAmount,
  parsePercent,
  percentOff,
  priceCart,
  setCartDiscount,
  setLineDiscount,
  setLineQty,
  type Cart,
} from '../../src/domain/cart.ts';
import type { ProductSnapshot } from '../../src/domain/events.ts';

const product = (over: Partial<ProductSnapshot>): ProductSnapshot => ({
  id: 'p1', name: 'Milk', sku: 'MILK', barcodes: [], price: 100, cost: 60, currency: 'EUR', taxRateBp: 2000, unit: 'each', active: true, ...over,
});

const ok = (result: { ok: true; value: Cart } | { ok: false; error: string }): Cart => {
  if (!result.ok) throw new Error(result.error);
  return result.value;
};

describe('percentage discounts', () => {
  it('rounds a percentage once, half away from zero, in minor units', () => {
    expect(discountAmount(percentOff(1000), 125)).toBe(13); // 12.5 → 13
    expect(discountAmount(percentOff(1000), 124)).toBe(12); // 12.4 → 12
    expect(discountAmount(percentOff(10_000), 999)).toBe(999);
    expect(discountAmount(percentOff(0), 999)).toBe(0);
    // Exact beyond 2^53: 9e15 × 33.33 % is computed in BigInt.
    expect(discountAmount(percentOff(3333), 9_000_000_000_000_000)).toBe(2_999_700_000_000_000);
  });

  it('keeps 10 % of a line as 10 % when its quantity changes', () => {
    let cart = addToCart(emptyCart, product({ price: 250, taxRateBp: 0 }), 2, 'l1');
    cart = ok(setLineDiscount(cart, 'l1', percentOff(1000)));
    expect(priceCart(cart, true).lines[0]).toMatchObject({ lineDiscount: 50, gross: 450 });
    cart = setLineQty(cart, 'l1', 4);
    expect(priceCart(cart, true).lines[0]).toMatchObject({ lineDiscount: 100, gross: 900 });
  });

  it('takes a cart percentage of the total after line discounts, spread over the lines', () => {
    // 3 × 2.50 with 10 % off the line = 6.75; plus 1 × 5.00 = 11.75; 5 % of 11.75 = 0.5875 → 0.59.
    let cart = addToCart(emptyCart, product({ id: 'a', price: 250 }), 3, 'a');
    cart = addToCart(cart, product({ id: 'b', price: 500 }), 1, 'b');
    cart = ok(setLineDiscount(cart, 'a', percentOff(1000)));
    cart = ok(setCartDiscount(cart, percentOff(500)));
    const { lines, totals } = priceCart(cart, true);
    expect(lines.map((l) => l.lineDiscount)).toEqual([75, 0]);
    expect(lines.reduce((s, l) => s + l.cartDiscountShare, 0)).toBe(59);
    expect(totals).toMatchObject({ gross: 1175 - 59, discount: 75 + 59 });
  });

  it('refuses a percentage above 100 % or below 0, and reads what people type', () => {
    const cart = addToCart(emptyCart, product({}), 1, 'l1');
    expect(setLineDiscount(cart, 'l1', percentOff(10_001))).toEqual({ ok: false, error: 'A percentage discount must be from 0 to 100 %.' });
    expect(setCartDiscount(cart, percentOff(-1)).ok).toBe(false);
    expect(setCartDiscount(cart, percentOff(1.5)).ok).toBe(false);
    expect(parsePercent('10')).toEqual({ ok: true, value: 1000 });
    expect(parsePercent('12,5 %')).toEqual({ ok: true, value: 1250 });
    expect(parsePercent('0.05')).toEqual({ ok: true, value: 5 });
    expect(parsePercent('100')).toEqual({ ok: true, value: 10_000 });
    expect(parsePercent('100.01')).toEqual({ ok: false, error: 'A discount cannot be more than 100 %.' });
    expect(parsePercent('ten').ok).toBe(false);
    expect(parsePercent('1.234').ok).toBe(false);
  });

  it('reads a cart saved before percentages, whose discounts were plain amounts', () => {
    const saved = { lines: [{ ...addToCart(emptyCart, product({}), 1, 'l1').lines[0]!, lineDiscount: 10 }], cartDiscount: 5 };
    const cart = cartFromSaved(saved);
    expect(cart.lines[0]?.lineDiscount).toEqual(amountOff(10));
    expect(cart.cartDiscount).toEqual(amountOff(5));
    expect(priceCart(cart, true).totals).toMatchObject({ gross: 85, discount: 15 });
  });

  const lineArb = fc.record({
    price: fc.integer({ min: 0, max: 1_000_000 }),
    qty: fc.integer({ min: 1, max: 5000 }),
    unit: fc.constantFrom('each' as const, 'kg' as const),
    taxRateBp: fc.constantFrom(0, 700, 1900, 2000),
    bp: fc.integer({ min: 0, max: 10_000 }),
  });

  it('never takes more than the line or the cart holds, and its sums add up (property)', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 10_000 }), fc.boolean(), (specs, cartBp, inclusive) => {
        let cart: Cart = emptyCart;
        specs.forEach((s, i) => {
          cart = addToCart(cart, product({ id: `p${i}`, price: s.price, unit: s.unit, taxRateBp: s.taxRateBp }), s.qty, `l${i}`);
          cart = ok(setLineDiscount(cart, `l${i}`, percentOff(s.bp)));
        });
        cart = ok(setCartDiscount(cart, percentOff(cartBp)));
        const { lines, totals } = priceCart(cart, inclusive);
        let afterLines = 0;
        lines.forEach((l, i) => {
          const base = lineBaseAmount(l);
          expect(l.lineDiscount).toBeGreaterThanOrEqual(0);
          expect(l.lineDiscount).toBeLessThanOrEqual(base);
          expect(Math.abs(l.lineDiscount - (base * (specs[i]?.bp ?? 0)) / 10_000)).toBeLessThanOrEqual(0.5);
          expect(l.cartDiscountShare).toBeGreaterThanOrEqual(0);
          expect(l.cartDiscountShare).toBeLessThanOrEqual(base - l.lineDiscount);
          expect(l.net + l.tax).toBe(l.gross);
          afterLines += base - l.lineDiscount;
        });
        const cartDiscount = lines.reduce((s, l) => s + l.cartDiscountShare, 0);
        expect(cartDiscount).toBe(discountAmount(percentOff(cartBp), afterLines));
        expect(cartDiscount).toBeLessThanOrEqual(afterLines);
        expect(totals.discount).toBe(lines.reduce((s, l) => s + l.lineDiscount, 0) + cartDiscount);
        expect(totals.gross).toBe(lines.reduce((s, l) => s + l.gross, 0));
        if (inclusive) expect(totals.gross).toBe(afterLines - cartDiscount);
        if (cartBp === 10_000) expect(totals.gross).toBe(0);
      }),
    );
  });

  it('100 % off every line leaves nothing to pay (property)', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), fc.boolean(), (specs, inclusive) => {
        let cart: Cart = emptyCart;
        specs.forEach((s, i) => {
          cart = addToCart(cart, product({ id: `p${i}`, price: s.price, unit: s.unit, taxRateBp: s.taxRateBp }), s.qty, `l${i}`);
          cart = ok(setLineDiscount(cart, `l${i}`, percentOff(10_000)));
        });
        const { totals, lines } = priceCart(cart, inclusive);
        expect(totals).toMatchObject({ net: 0, tax: 0, gross: 0 });
        expect(totals.discount).toBe(lines.reduce((s, l) => s + lineBaseAmount(l), 0));
      }),
    );
  });
});
