/**
 * The cashier's cart as pure data, and its pricing. The sale event stores the priced lines exactly as
 * the receipt shows them, so a sale never needs re-pricing after the fact.
 */
import type { Minor, ProductSnapshot, SaleLine, SaleTotals, StockUnit, Tender, TenderMethod } from './events.ts';
import { QTY_PER_PRICE_UNIT } from './events.ts';
import { allocateProportionally, divideRounded, formatMoney, type ParseResult } from './money.ts';
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
  lineDiscount: Discount;
  /**
   * The price per price unit the line had before the cashier changed it (a price override): the
   * catalog's, or a scale label's. Absent while the line sells at that price.
   */
  listPrice?: Minor;
}

export interface Cart {
  lines: CartLine[];
  cartDiscount: Discount;
}

/**
 * A discount as the cashier gave it: a fixed amount in minor units, or a percentage in basis points
 * (10 % = 1000). The cart keeps the percentage itself, so a line's 10 % stays 10 % when its quantity
 * changes; `priceCart` turns it into an amount (`discountAmount`), and the sale event stores only
 * that amount, as it always has.
 */
export type Discount = { kind: 'amount'; amount: Minor } | { kind: 'percent'; bp: number };

export const NO_DISCOUNT: Discount = { kind: 'amount', amount: 0 };
export const amountOff = (amount: Minor): Discount => ({ kind: 'amount', amount });
export const percentOff = (bp: number): Discount => ({ kind: 'percent', bp });

export const emptyCart: Cart = { lines: [], cartDiscount: NO_DISCOUNT };

/** The highest percentage, 100 %, in basis points. */
const WHOLE_BP = 10_000;

/**
 * What a discount takes off `base` (minor units, zero or more), never more than `base`. A percentage
 * is rounded once, to whole minor units, half away from zero: 10 % of 1.25 is 0.125 → 0.13. 100 %
 * takes exactly `base`. Computed in BigInt, so a large base times the basis points stays exact.
 */
export function discountAmount(discount: Discount, base: Minor): Minor {
  if (discount.kind === 'amount') return Math.min(discount.amount, base);
  return Number((BigInt(base) * BigInt(discount.bp) * 2n + BigInt(WHOLE_BP)) / BigInt(2 * WHOLE_BP));
}

/** Reads a percentage typed by a person ("10", "12.5", "7,5 %") into basis points, 0 to 100 %. */
export function parsePercent(text: string): ParseResult<number> {
  const trimmed = text.trim().replace(/\s*%$/, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(trimmed)) return { ok: false, error: `"${text}" is not a percentage: use a number such as 10 or 12.5.` };
  const [whole = '0', fraction = ''] = trimmed.split('.');
  const bp = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (bp > WHOLE_BP) return { ok: false, error: 'A discount cannot be more than 100 %.' };
  return { ok: true, value: bp };
}

/** A cart as saved before percentages (meta 'cart', parked carts): its discounts were plain amounts. */
type SavedDiscount = Discount | Minor;
export interface SavedCart {
  lines: (Omit<CartLine, 'lineDiscount'> & { lineDiscount: SavedDiscount })[];
  cartDiscount: SavedDiscount;
}

/** A saved cart as today's `Cart`: an amount saved as a bare number becomes `{ kind: 'amount' }`. */
export function cartFromSaved(saved: SavedCart): Cart {
  const discount = (d: SavedDiscount): Discount => (typeof d === 'number' ? amountOff(d) : d);
  return { lines: saved.lines.map((l) => ({ ...l, lineDiscount: discount(l.lineDiscount) })), cartDiscount: discount(saved.cartDiscount) };
}

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
    lineDiscount: NO_DISCOUNT,
  };
  return { ...cart, lines: [...cart.lines, line] };
}

export function setLineQty(cart: Cart, lineId: string, qty: number): Cart {
  if (!isValidQty(qty)) throw new RangeError(`Quantity must be a whole number from 1, got ${qty}`);
  return { ...cart, lines: cart.lines.map((l) => (l.lineId === lineId ? { ...l, qty } : l)) };
}

/**
 * The cashier changes a line's price per price unit (a price override). The line remembers the price
 * it had before the first change (`listPrice`), so the sale records both and setting the price back
 * leaves no override.
 */
export function setLinePrice(cart: Cart, lineId: string, unitPrice: Minor): ParseResult<Cart> {
  const line = cart.lines.find((l) => l.lineId === lineId);
  if (!line) return { ok: false, error: 'That line is no longer in the cart.' };
  if (!Number.isSafeInteger(unitPrice) || unitPrice < 0) return { ok: false, error: 'A price must be an amount of zero or more.' };
  const listPrice = line.listPrice ?? line.unitPrice;
  const changed: CartLine = { ...line, unitPrice };
  if (unitPrice === listPrice) delete changed.listPrice;
  else changed.listPrice = listPrice;
  // A fixed discount larger than the new line amount would take more than the line: it goes.
  if (changed.lineDiscount.kind === 'amount' && changed.lineDiscount.amount > lineBaseAmount(changed)) changed.lineDiscount = NO_DISCOUNT;
  return { ok: true, value: { ...cart, lines: cart.lines.map((l) => (l === line ? changed : l)) } };
}

export function removeLine(cart: Cart, lineId: string): Cart {
  return { ...cart, lines: cart.lines.filter((l) => l.lineId !== lineId) };
}

export function lineBaseAmount(line: Pick<CartLine, 'qty' | 'unitPrice' | 'unit'>): Minor {
  return divideRounded(line.qty * line.unitPrice, QTY_PER_PRICE_UNIT[line.unit]);
}

/** Checks a discount as given: a whole amount of zero or more, or a percentage from 0 to 100 %. */
export function discountProblem(discount: Discount): string | undefined {
  if (discount.kind === 'amount') return Number.isSafeInteger(discount.amount) && discount.amount >= 0 ? undefined : 'A discount cannot be negative.';
  return Number.isSafeInteger(discount.bp) && discount.bp >= 0 && discount.bp <= WHOLE_BP ? undefined : 'A percentage discount must be from 0 to 100 %.';
}

export function setLineDiscount(cart: Cart, lineId: string, discount: Discount): ParseResult<Cart> {
  const line = cart.lines.find((l) => l.lineId === lineId);
  if (!line) return { ok: false, error: 'That line is no longer in the cart.' };
  const problem = discountProblem(discount);
  if (problem) return { ok: false, error: problem };
  if (discount.kind === 'amount' && discount.amount > lineBaseAmount(line)) return { ok: false, error: 'A discount cannot be more than the line amount.' };
  return { ok: true, value: { ...cart, lines: cart.lines.map((l) => (l === line ? { ...l, lineDiscount: discount } : l)) } };
}

export function setCartDiscount(cart: Cart, discount: Discount): ParseResult<Cart> {
  const problem = discountProblem(discount);
  if (problem) return { ok: false, error: problem };
  const afterLineDiscounts = cart.lines.reduce((sum, l) => sum + lineAfterDiscount(l), 0);
  if (discount.kind === 'amount' && discount.amount > afterLineDiscounts) return { ok: false, error: 'A discount cannot be more than the cart total.' };
  return { ok: true, value: { ...cart, cartDiscount: discount } };
}

/** A line's amount after its own discount. */
function lineAfterDiscount(line: CartLine): Minor {
  const base = lineBaseAmount(line);
  return base - discountAmount(line.lineDiscount, base);
}

/**
 * Prices every line: base amount, minus the line discount, minus its share of the cart discount
 * (spread in proportion to the lines' discounted amounts, so shares add up exactly), then tax per line.
 * A percentage becomes an amount once, by `discountAmount`: a line's on its base amount, the cart's
 * on the sum of the lines after their own discounts. No discount takes more than what it applies to.
 */
export function priceCart(cart: Cart, pricesIncludeTax: boolean): { lines: SaleLine[]; totals: SaleTotals } {
  const bases = cart.lines.map(lineBaseAmount);
  const lineDiscounts = cart.lines.map((l, i) => discountAmount(l.lineDiscount, bases[i] ?? 0));
  const discounted = bases.map((base, i) => base - (lineDiscounts[i] ?? 0));
  const cartDiscount = discountAmount(cart.cartDiscount, discounted.reduce((sum, d) => sum + d, 0));
  const shares = allocateProportionally(cartDiscount, discounted);
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
      lineDiscount: lineDiscounts[i] ?? 0,
      cartDiscountShare,
      taxRateBp: l.taxRateBp,
      net: taxed.net,
      tax: taxed.tax,
      gross: taxed.gross,
      ...(l.listPrice !== undefined && l.listPrice !== l.unitPrice ? { listPrice: l.listPrice } : {}),
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

/** One thing the customer handed over: cash counted, or an amount charged on the card terminal. */
export interface PaymentPart {
  method: TenderMethod;
  amount: Minor;
}

/**
 * What the customer handed over, in the order it was handed over. The order matters: a card
 * terminal charges an exact amount and gives no change, so a card part can only be as large as what
 * is still owed when it is charged (after €10 in cash on €11.64, at most €1.64).
 */
export type Payment = readonly PaymentPart[];

/** What a payment settles to: the sale's tenders, the change to give, and any cash rounding. */
export interface Settlement {
  tenders: Tender[];
  change: Minor;
  /** Added to the cash due by rounding to the drawer's coins; 0 when nothing was rounded. */
  cashRounding: Minor;
  /** What the customer must pay in cash after the card parts, rounded. */
  cashDue: Minor;
}

/** How the shop takes money: the currency (for the sentences) and the cash step (1 = no rounding). */
export interface PaymentRules {
  currency: string;
  /** Cash is rounded to this step, in minor units (5 for CHF); 1 = not rounded. */
  cashStep: Minor;
}

/** Card and cash so far, and whether they already cover the total (cash rounded to the drawer's coins). */
function paidSoFar(total: Minor, parts: Payment, cashStep: Minor): { card: Minor; cash: Minor; covered: boolean } {
  let card = 0;
  let cash = 0;
  for (const part of parts) {
    if (part.method === 'card') card += part.amount;
    else cash += part.amount;
  }
  const covered = cash >= roundCashDue(total - card, cashStep).due;
  return { card, cash, covered };
}

/**
 * What is still owed after the parts handed over so far, exactly (before any cash rounding of what
 * is left): the Pay dialog shows it, and a card part may not exceed it.
 */
export function stillOwed(total: Minor, parts: Payment, cashStep: Minor = 1): Minor {
  const { card, cash, covered } = paidSoFar(total, parts, cashStep);
  return covered ? 0 : Math.max(0, total - card - cash);
}

/**
 * Why `part` cannot be handed over after `before`, or undefined when it can: amounts are whole and
 * not negative, nothing comes after the sale is paid in full, and a card part is at most what is
 * still owed (a card gives no change).
 */
export function paymentPartProblem(total: Minor, before: Payment, part: PaymentPart, rules: PaymentRules): string | undefined {
  const money = (amount: Minor) => formatMoney(amount, rules.currency);
  if (!Number.isSafeInteger(part.amount) || part.amount < 0) return 'Payment amounts must be zero or more.';
  if (part.amount === 0) return undefined;
  const method = part.method === 'card' ? 'card' : 'cash';
  if (paidSoFar(total, before, rules.cashStep).covered) {
    return `The sale was already paid in full before the ${method} part of ${money(part.amount)}: remove that part.`;
  }
  const owed = stillOwed(total, before, rules.cashStep);
  if (part.method === 'card' && part.amount > owed) {
    return `The card part of ${money(part.amount)} is more than the ${money(owed)} still owed, and a card gives no change: charge at most ${money(owed)} by card.`;
  }
  return undefined;
}

/**
 * Turns what the customer handed over, in order, into tenders. Each card part must be at most what
 * is still owed when it is charged, and nothing may be handed over once the sale is paid in full:
 * change comes only from cash. With a `cashStep` above 1 (minor units, e.g. 5 for CHF), the cash part
 * (total less the card parts) is rounded to that step, half away from zero.
 */
export function settle(total: Minor, payment: Payment, rules: PaymentRules): ParseResult<Settlement> {
  for (const [i, part] of payment.entries()) {
    const problem = paymentPartProblem(total, payment.slice(0, i), part, rules);
    if (problem) return { ok: false, error: problem };
  }
  const { card, cash } = paidSoFar(total, payment, rules.cashStep);
  const { due: cashDue, rounding } = roundCashDue(total - card, rules.cashStep);
  if (cash < cashDue) return { ok: false, error: 'Not enough paid yet: the customer still owes money.' };
  const tenders: Tender[] = [];
  if (card > 0) tenders.push({ method: 'card', amount: card });
  // A cash tender records the rounded amount even when it rounds to 0, so the rounding has a cash
  // payment to belong to.
  if (cashDue > 0 || rounding !== 0 || (card === 0 && total === 0)) {
    tenders.push(cash > cashDue ? { method: 'cash', amount: cashDue, received: cash } : { method: 'cash', amount: cashDue });
  }
  return { ok: true, value: { tenders, change: cash - cashDue, cashRounding: rounding, cashDue } };
}
