/**
 * A price override at the till (issue 17): the cart line keeps the price it had before the cashier
 * changed it, the priced sale line carries it as `listPrice`, and such a sale needs the
 * 'price-override' privilege. Amounts below are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { addToCart, amountOff, emptyCart, priceCart, setLineDiscount, setLinePrice } from '../../src/domain/cart.ts';
import type { ProductSnapshot } from '../../src/domain/events.ts';
import { privilegesNeeded } from '../../src/domain/staff.ts';
import { Device } from './support/event-factory.ts';

const tea: ProductSnapshot = { id: 'p-tea', name: 'Tea', sku: 'TEA', barcodes: [], price: 1200, cost: 500, currency: 'EUR', taxRateBp: 2000, unit: 'each', active: true };
const cheese: ProductSnapshot = { ...tea, id: 'p-cheese', name: 'Cheese', sku: 'CHEESE', price: 2000, unit: 'kg' };

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('changing a line’s price', () => {
  it('prices the line at the new price and records the catalog price beside it', () => {
    const cart = unwrap(setLinePrice(addToCart(emptyCart, tea, 2, 'l1'), 'l1', 1000));
    const priced = priceCart(cart, true);
    // 2 × 10.00 = 20.00 incl. 20 % tax: tax 20.00 × 0.2 / 1.2 = 3.333 → 3.33, net 16.67.
    expect(priced.lines[0]).toMatchObject({ unitPrice: 1000, listPrice: 1200, net: 1667, tax: 333, gross: 2000 });
    expect(priced.totals).toEqual({ net: 1667, tax: 333, gross: 2000, discount: 0 });
  });

  it('keeps the first price through several changes, and setting it back leaves no override', () => {
    let cart = unwrap(setLinePrice(addToCart(emptyCart, tea, 1, 'l1'), 'l1', 900));
    cart = unwrap(setLinePrice(cart, 'l1', 800));
    expect(cart.lines[0]).toMatchObject({ unitPrice: 800, listPrice: 1200 });
    cart = unwrap(setLinePrice(cart, 'l1', 1200));
    expect(cart.lines[0]?.listPrice).toBeUndefined();
    expect(priceCart(cart, true).lines[0]).not.toHaveProperty('listPrice');
  });

  it('prices a weighed line per kg at the new price', () => {
    // 250 g at 16.00/kg (was 20.00) = 4.00; tax excluded at 20 %: 0.80.
    const cart = unwrap(setLinePrice(addToCart(emptyCart, cheese, 250, 'l1'), 'l1', 1600));
    expect(priceCart(cart, false).lines[0]).toMatchObject({ unitPrice: 1600, listPrice: 2000, net: 400, tax: 80, gross: 480 });
  });

  it('drops a fixed discount larger than the new line amount', () => {
    let cart = unwrap(setLineDiscount(addToCart(emptyCart, tea, 1, 'l1'), 'l1', amountOff(1000)));
    cart = unwrap(setLinePrice(cart, 'l1', 500));
    expect(cart.lines[0]?.lineDiscount).toEqual(amountOff(0));
    expect(priceCart(cart, true).totals.gross).toBe(500);
  });

  it('refuses a negative or fractional price and a line no longer in the cart', () => {
    const cart = addToCart(emptyCart, tea, 1, 'l1');
    expect(setLinePrice(cart, 'l1', -1).ok).toBe(false);
    expect(setLinePrice(cart, 'l1', 10.5).ok).toBe(false);
    expect(setLinePrice(cart, 'gone', 100).ok).toBe(false);
  });

  it('a sale with a changed price needs the price-override privilege; one at the catalog price does not', () => {
    const device = new Device('dev-a');
    const saleOf = (cart: typeof emptyCart) => {
      const priced = priceCart(cart, true);
      return device.event({ kind: 'sale', receiptNo: 'A-1', pricesIncludeTax: true, lines: priced.lines, totals: priced.totals, tenders: [{ method: 'card', amount: priced.totals.gross }], change: 0 });
    };
    const plain = addToCart(emptyCart, tea, 1, 'l1');
    expect(privilegesNeeded(saleOf(plain), { discountApprovalPercent: 10 })).toEqual([]);
    expect(privilegesNeeded(saleOf(unwrap(setLinePrice(plain, 'l1', 1100))), { discountApprovalPercent: 10 })).toEqual(['price-override']);
  });
});
