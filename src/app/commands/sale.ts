/** Selling: complete a sale (also the second half of an exchange) and void one. */
import type { EventBody, EventOf, Minor } from '../../domain/events.ts';
import { discountProblem, priceCart, settle, type Cart, type Payment } from '../../domain/cart.ts';
import { openShiftOf, receiptNumber } from '../queries.ts';
import { accept, BOOKS_LOADING, defineCommand, isAmount, refuse, type CommandContext, type FieldError } from './command.ts';

export interface CompleteSaleInput {
  /** The cart as the Sell screen holds it; the command prices it with the store's tax setting. */
  cart: Cart;
  /** What the customer handed over: card charged on the terminal, cash received (before change). */
  payment: Payment;
  /**
   * Exchange: the cash refunded by the return just recorded, handed straight back in as payment
   * (minor units, 0 or absent when none). It counts as cash received on top of `payment.cashReceived`.
   */
  credit?: Minor;
}

/**
 * The sale's body, or why it cannot be made. The body is a function of the device's sequence
 * number: the receipt number is made from it when the event is written.
 */
export function saleBody(input: CompleteSaleInput, context: CommandContext): { ok: true; body: (seq: number) => EventBody } | { ok: false; errors: FieldError[] } {
  const credit = input.credit ?? 0;
  if (input.cart.lines.length === 0) return { ok: false, errors: [{ field: 'cart', message: 'The cart is empty: scan or search for a product first.' }] };
  if (!isAmount(credit)) return { ok: false, errors: [{ field: 'credit', message: 'An exchange credit must be zero or more whole minor units.' }] };
  const discountErrors = cartDiscountErrors(input.cart);
  if (discountErrors.length > 0) return { ok: false, errors: discountErrors };
  const priced = priceCart(input.cart, context.settings.pricesIncludeTax);
  const settled = settle(priced.totals.gross, { card: input.payment.card, cashReceived: input.payment.cashReceived + credit }, context.settings.cashStep);
  if (!settled.ok) return { ok: false, errors: [{ field: 'payment', message: settled.error }] };
  // A sale paid while this device's shift is open belongs to that shift's drawer. While the books
  // are still loading the sale goes ahead without it: a till never refuses a sale for that.
  const shiftId = context.books ? openShiftOf(context.books, context.deviceId)?.shiftId : undefined;
  const { tenders, change, cashRounding } = settled.value;
  return {
    ok: true,
    body: (seq) => ({
      kind: 'sale',
      receiptNo: receiptNumber(context.deviceId, seq),
      pricesIncludeTax: context.settings.pricesIncludeTax,
      lines: priced.lines,
      totals: priced.totals,
      tenders,
      change,
      ...(cashRounding === 0 ? {} : { cashRounding }),
      ...(shiftId === undefined ? {} : { shiftId }),
    }),
  };
}

/** A discount the cart rules would not have set (a hand-made cart): refused rather than priced. */
function cartDiscountErrors(cart: Cart): FieldError[] {
  const errors: FieldError[] = [];
  cart.lines.forEach((line, i) => {
    const problem = discountProblem(line.lineDiscount);
    if (problem) errors.push({ field: `cart.lines.${i}.lineDiscount`, message: `${line.name}: ${problem}` });
  });
  const problem = discountProblem(cart.cartDiscount);
  if (problem) errors.push({ field: 'cart.cartDiscount', message: problem });
  return errors;
}

export const completeSale = defineCommand<CompleteSaleInput>({
  name: 'complete-sale',
  records: ['sale'],
  permission: 'anyone',
  check(input, context) {
    const made = saleBody(input, context);
    return made.ok ? accept(made.body) : refuse(...made.errors);
  },
});

export interface VoidSaleInput {
  saleId: string;
  /** Why, in the cashier's words; empty means none given. */
  reason: string;
}

export const voidSale = defineCommand<VoidSaleInput>({
  name: 'void-sale',
  records: ['sale-voided'],
  permission: 'anyone',
  check(input, { books }) {
    if (!books) return refuse(BOOKS_LOADING);
    const sale = books.getEvent(input.saleId);
    if (sale?.kind !== 'sale') return refuse({ field: 'saleId', message: 'This sale is not on this device. Sync, then try again.' });
    if (isVoided(books, sale)) return refuse({ field: 'saleId', message: `Receipt ${sale.receiptNo} is already voided: nothing more to give back.` });
    return accept({ kind: 'sale-voided', saleId: sale.id, reason: input.reason.trim() || 'No reason given' });
  },
});

function isVoided(books: NonNullable<CommandContext['books']>, sale: EventOf<'sale'>): boolean {
  return books.eventsFor('sale', sale.id).some((e) => e.kind === 'sale-voided' && books.isEffectiveVoid(e));
}
