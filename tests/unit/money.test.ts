import { describe, expect, it } from 'vitest';
import { allocateProportionally, divideRounded, formatMoney, parseMoney, roundHalfAwayFromZero } from '../../src/domain/money.ts';

describe('roundHalfAwayFromZero', () => {
  it.each([
    [2.5, 3],
    [-2.5, -3],
    [2.4999, 2],
    [-2.4999, -2],
    [0.5, 1],
    [-0.5, -1],
    [1.005 * 100, 101], // binary noise: 100.49999999999999 must still round as the half it is
    [0, 0],
  ])('%d → %d', (x, expected) => expect(roundHalfAwayFromZero(x)).toBe(expected));
});

describe('divideRounded', () => {
  it('rounds exact halves away from zero', () => {
    expect(divideRounded(5, 2)).toBe(3);
    expect(divideRounded(-5, 2)).toBe(-3);
    expect(divideRounded(7, 3)).toBe(2);
    expect(divideRounded(8, 3)).toBe(3);
  });
  it('refuses division by zero', () => expect(() => divideRounded(1, 0)).toThrow(RangeError));
});

describe('parseMoney', () => {
  it('reads amounts people type', () => {
    expect(parseMoney('12', 'EUR')).toEqual({ ok: true, value: 1200 });
    expect(parseMoney('12.5', 'EUR')).toEqual({ ok: true, value: 1250 });
    expect(parseMoney(' 0,07 ', 'EUR')).toEqual({ ok: true, value: 7 });
    expect(parseMoney('1500', 'JPY')).toEqual({ ok: true, value: 1500 });
  });
  it.each(['', 'abc', '1.234', '-5', '1e3', '12.', 'NaN'])('refuses %j', (text) => {
    const result = parseMoney(text, 'EUR');
    expect(result.ok).toBe(false);
  });
  it('refuses decimals in a currency without minor units', () => expect(parseMoney('10.5', 'JPY').ok).toBe(false));
});

describe('formatMoney', () => {
  it('uses the currency digits', () => {
    expect(formatMoney(1234, 'EUR', 'en-IE')).toBe('€12.34');
    expect(formatMoney(1234, 'JPY', 'en-US')).toBe('¥1,234');
  });
});

describe('allocateProportionally', () => {
  it('shares add up exactly', () => {
    const shares = allocateProportionally(100, [1, 1, 1]);
    expect(shares).toEqual([34, 33, 33]);
    expect(allocateProportionally(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocateProportionally(10, [300, 100])).toEqual([8, 2]); // 7.5 → 8, 2.5 → 2: largest remainder, tie to first
  });
  it('sums to the total for many random splits', () => {
    for (let seed = 1; seed < 200; seed++) {
      const weights = Array.from({ length: (seed % 7) + 1 }, (_, i) => ((seed * 7919 + i * 104729) % 997) + 1);
      const total = (seed * 31337) % 100_000;
      const shares = allocateProportionally(total, weights);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
      expect(shares.every((s) => s >= 0)).toBe(true);
    }
  });
});
