/** Selling: complete a sale (also the second half of an exchange) and void one. */
import type { EventBody, EventOf, Minor, SaleWithoutShift } from '../../domain/events.ts';
import { discountProblem, priceCart, settle, type Cart, type Payment } from '../../domain/cart.ts';
import { openShiftOf, receiptNumber } from '../queries.ts';
import { accept, BOOKS_LOADING, defineCommand, isAmount, refuse, type CommandContext, type FieldError } from './command.ts';

export interface CompleteSaleInput {
  /** The cart as the Sell screen holds it; the command prices it with the store's tax setting. */
  cart: Cart;
  /** What the customer handed over, in order: cash counted (before change), amounts charged by card. */
  payment: Payment;
  /**
   * Exchange: the cash refunded by the return just recorded, handed straight back in as payment
   * (minor units, 0 or absent when none). It counts as cash handed over before anything else.
   */
  credit?: Minor;
  /**
   * The cashier was told no shift is open on this till and chose to sell anyway (the store's
   * `saleWithoutShift` is 'ask'): the sale then goes into no drawer's count.
   */
  withoutShift?: boolean;
}

/**
 * The sale's body, or why it cannot be made. The body is a function of the device's receipt counter
 * (its count of sales so far + 1, gap-free), which the device's writer hands out when the event is
 * written. An exchange's sale takes one like any sale.
 */
export function saleBody(input: CompleteSaleInput, context: CommandContext): { ok: true; body: (receiptCounter: number) => EventBody } | { ok: false; errors: FieldError[] } {
  const credit = input.credit ?? 0;
  if (input.cart.lines.length === 0) return { ok: false, errors: [{ field: 'cart', message: 'The cart is empty: scan or search for a product first.' }] };
  if (!isAmount(credit)) return { ok: false, errors: [{ field: 'credit', message: 'An exchange credit must be zero or more whole minor units.' }] };
  const discountErrors = cartDiscountErrors(input.cart);
  if (discountErrors.length > 0) return { ok: false, errors: discountErrors };
  const priced = priceCart(input.cart, context.settings.pricesIncludeTax);
  const handedOver: Payment = credit > 0 ? [{ method: 'cash', amount: credit }, ...input.payment] : input.payment;
  const settled = settle(priced.totals.gross, handedOver, context.settings);
  if (!settled.ok) return { ok: false, errors: [{ field: 'payment', message: settled.error }] };
  // A sale paid while this device's shift is open belongs to that shift's drawer. While the books
  // are still loading the sale goes ahead without it: a till never refuses a sale for that.
  const shiftId = context.books ? openShiftOf(context.books, context.deviceId, context.actor?.id)?.shiftId : undefined;
  if (context.books && shiftId === undefined) {
    const problem = noShiftProblem(context.books.storeSettings().saleWithoutShift, input.withoutShift === true);
    if (problem) return { ok: false, errors: [problem] };
  }
  const { tenders, change, cashRounding } = settled.value;
  return {
    ok: true,
    body: (receiptCounter) => ({
      kind: 'sale',
      receiptNo: receiptNumber(context.deviceId, receiptCounter),
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

/**
 * Why a sale cannot be made on a till with no open shift, or undefined when it can. The owner chooses
 * (Settings): 'refuse' needs a shift for every sale; 'ask' sells once the cashier has been told and
 * chose to, so a day's cash never lands outside every drawer count unnoticed.
 */
function noShiftProblem(rule: SaleWithoutShift, cashierChoseToSell: boolean): FieldError | undefined {
  if (rule === 'refuse') {
    return { field: 'shift', message: 'No shift is open on this till, and this store needs one for every sale: open a shift with the float in the drawer (More → Shift), then take the payment.' };
  }
  if (!cashierChoseToSell) {
    return { field: 'shift', message: 'No shift is open on this till: open one with the float in the drawer, or choose to sell without a shift (the sale then goes into no drawer’s count).' };
  }
  return undefined;
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

/**
 * The reasons the void dialog offers (issue 14, item 6), besides "Other" with the cashier's words.
 * The reason is recorded as words, so a report reads it without this list.
 */
export const VOID_REASONS = ['Wrong item', 'Customer changed their mind', 'Price error', 'Training or test sale'] as const;

export interface VoidSaleInput {
  saleId: string;
  /** Why: one of `VOID_REASONS` or the cashier's words; empty means none given. */
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
