/**
 * The cashier's cart as pure data, and its pricing. The sale event stores the priced lines exactly as
 * the receipt shows them, so a sale never needs re-pricing after the fact.
 */
import type { Minor, ProductSnapshot, SaleLine, SaleTotals, StockUnit, Tender } from './events.ts';
import { QTY_PER_PRICE_UNIT } from './events.ts';
import { allocateProportionally, divideRounded, type ParseResult } from './money.ts';
import { applyTax } from './tax.ts';
import { roundCashDue } from './cash-rounding.ts';

export interface CartLine {
  lineId: string;
  productId: string;
  sku: string;
  name: string;
  unit: StockUnit;
  unitPrice: Minor;
  taxRateBp: number;
  qty: number;
  lineDiscount: Minor;
}

export interface Cart {
  lines: CartLine[];
  cartDiscount: Minor;
}

export const emptyCart: Cart = { lines: [], cartDiscount: 0 };

export function isValidQty(qty: number): boolean {
  return Number.isSafeInteger(qty) && qty > 0 && qty <= 1_000_000;
}

/**
 * Adds `qty` of a product; a product sold by the piece merges into its existing line. A price read
 * from a pre-priced label (`unitPrice`) always gets a line of its own.
 */
export function addToCart(cart: Cart, product: ProductSnapshot, qty: number, newLineId: string, unitPrice?: Minor): Cart {
  if (!isValidQty(qty)) throw new RangeError(`Quantity must be a whole number from 1, got ${qty}`);
  if (unitPrice !== undefined && (!Number.isSafeInteger(unitPrice) || unitPrice < 0)) throw new RangeError(`A price must be whole minor units, got ${unitPrice}`);
  const existing = product.unit === 'each' && unitPrice === undefined ? cart.lines.find((l) => l.productId === product.id && l.unitPrice === product.price) : undefined;
  if (existing) return setLineQty(cart, existing.lineId, existing.qty + qty);
  const line: CartLine = {
    lineId: newLineId,
    productId: product.id,
    sku: product.sku,
    name: product.name,
    unit: product.unit,
    unitPrice: unitPrice ?? product.price,
    taxRateBp: product.taxRateBp,
    qty,
    lineDiscount: 0,
  };
  return { ...cart, lines: [...cart.lines, line] };
}

export function setLineQty(cart: Cart, lineId: string, qty: number): Cart {
  if (!isValidQty(qty)) throw new RangeError(`Quantity must be a whole number from 1, got ${qty}`);
  return { ...cart, lines: cart.lines.map((l) => (l.lineId === lineId ? { ...l, qty } : l)) };
}

export function removeLine(cart: Cart, lineId: string): Cart {
  return { ...cart, lines: cart.lines.filter((l) => l.lineId !== lineId) };
}

export function lineBaseAmount(line: Pick<CartLine, 'qty' | 'unitPrice' | 'unit'>): Minor {
  return divideRounded(line.qty * line.unitPrice, QTY_PER_PRICE_UNIT[line.unit]);
}

export function setLineDiscount(cart: Cart, lineId: string, discount: Minor): ParseResult<Cart> {
  const line = cart.lines.find((l) => l.lineId === lineId);
  if (!line) return { ok: false, error: 'That line is no longer in the cart.' };
  if (!Number.isSafeInteger(discount) || discount < 0) return { ok: false, error: 'A discount cannot be negative.' };
  if (discount > lineBaseAmount(line)) return { ok: false, error: 'A discount cannot be more than the line amount.' };
  return { ok: true, value: { ...cart, lines: cart.lines.map((l) => (l === line ? { ...l, lineDiscount: discount } : l)) } };
}

export function setCartDiscount(cart: Cart, discount: Minor): ParseResult<Cart> {
  if (!Number.isSafeInteger(discount) || discount < 0) return { ok: false, error: 'A discount cannot be negative.' };
  const afterLineDiscounts = cart.lines.reduce((sum, l) => sum + lineBaseAmount(l) - l.lineDiscount, 0);
  if (discount > afterLineDiscounts) return { ok: false, error: 'A discount cannot be more than the cart total.' };
  return { ok: true, value: { ...cart, cartDiscount: discount } };
}

/**
 * Prices every line: base amount, minus the line discount, minus its share of the cart discount
 * (spread in proportion to the lines' discounted amounts, so shares add up exactly), then tax per line.
 */
export function priceCart(cart: Cart, pricesIncludeTax: boolean): { lines: SaleLine[]; totals: SaleTotals } {
  const discounted = cart.lines.map((l) => lineBaseAmount(l) - l.lineDiscount);
  const shares = allocateProportionally(cart.cartDiscount, discounted);
  const lines = cart.lines.map((l, i): SaleLine => {
    const cartDiscountShare = shares[i] ?? 0;
    const taxed = applyTax((discounted[i] ?? 0) - cartDiscountShare, l.taxRateBp, pricesIncludeTax);
    return {
      lineId: l.lineId,
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      qty: l.qty,
      unit: l.unit,
      unitPrice: l.unitPrice,
      lineDiscount: l.lineDiscount,
      cartDiscountShare,
      taxRateBp: l.taxRateBp,
      net: taxed.net,
      tax: taxed.tax,
      gross: taxed.gross,
    };
  });
  const totals = lines.reduce<SaleTotals>(
    (t, l) => ({
      net: t.net + l.net,
      tax: t.tax + l.tax,
      gross: t.gross + l.gross,
      discount: t.discount + l.lineDiscount + l.cartDiscountShare,
    }),
    { net: 0, tax: 0, gross: 0, discount: 0 },
  );
  return { lines, totals };
}

export interface Payment {
  /** Charged on the external card terminal. */
  card: Minor;
  /** Cash handed over by the customer. */
  cashReceived: Minor;
}

/** What a payment settles to: the sale's tenders, the change to give, and any cash rounding. */
export interface Settlement {
  tenders: Tender[];
  change: Minor;
  /** Added to the cash due by rounding to the drawer's coins; 0 when nothing was rounded. */
  cashRounding: Minor;
  /** What the customer must pay in cash after the card part, rounded. */
  cashDue: Minor;
}

/**
 * Turns what the customer handed over into tenders. Card is applied first (a terminal charges an
 * exact amount); cash covers the rest, and only cash can give change. With a `cashStep` above 1
 * (minor units, e.g. 5 for CHF), the cash part is rounded to that step, half away from zero.
 */
export function settle(total: Minor, payment: Payment, cashStep: Minor = 1): ParseResult<Settlement> {
  const { card, cashReceived } = payment;
  if (!Number.isSafeInteger(card) || card < 0 || !Number.isSafeInteger(cashReceived) || cashReceived < 0) {
    return { ok: false, error: 'Payment amounts must be zero or more.' };
  }
  if (card > total) return { ok: false, error: 'The card amount is more than the total: a card gives no change.' };
  const { due: cashDue, rounding } = roundCashDue(total - card, cashStep);
  if (cashReceived < cashDue) return { ok: false, error: 'Not enough paid yet: the customer still owes money.' };
  const tenders: Tender[] = [];
  if (card > 0) tenders.push({ method: 'card', amount: card });
  // A cash tender records the rounded amount even when it rounds to 0, so the rounding has a cash
  // payment to belong to.
  if (cashDue > 0 || rounding !== 0 || (card === 0 && total === 0)) {
    tenders.push(cashReceived > cashDue ? { method: 'cash', amount: cashDue, received: cashReceived } : { method: 'cash', amount: cashDue });
  }
  return { ok: true, value: { tenders, change: cashReceived - cashDue, cashRounding: rounding, cashDue } };
}
