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
