/**
 * Returns and exchanges. With the receipt, each returned line refunds its share of what the
 * customer paid for it (gross × qty / line qty, and the tax likewise); never more than is left to
 * return. Without a receipt, only with a manager's approval, at the refunds the cashier enters.
 * A cash refund is rounded to the drawer's coins. An exchange is a return and a sale in one go: the
 * cash the return refunds pays for the new items.
 */
import type { Books } from '../../domain/books/index.ts';
import type { EventBody, EventOf, Minor, ProductSnapshot, TenderMethod } from '../../domain/events.ts';
import { lineBaseAmount } from '../../domain/cart.ts';
import { roundCashDue } from '../../domain/cash-rounding.ts';
import { formatMoney } from '../../domain/money.ts';
import { applyTax } from '../../domain/tax.ts';
import { refundTotal } from '../../domain/refunds.ts';
import { effectiveVoidOf, returnableQty } from '../../domain/returns.ts';
import { openShiftOf, originalTender, qtyWithUnit, refundFor, taxIncludedIn } from '../queries.ts';
import { accept, BOOKS_LOADING, defineCommand, isAmount, isQty, productName, refuse, type CommandContext, type FieldError } from './command.ts';
import { saleBody, type CompleteSaleInput } from './sale.ts';

export type Disposition = 'restock' | 'write-off';

/** Where the money goes back: the tender the sale was paid with (cash without a receipt), or as told. */
export type RefundTo = 'original' | TenderMethod;

export type ReturnInput =
  | {
      receipt: 'with';
      saleId: string;
      /** One entry per sale line coming back; lines not listed (or with qty 0) stay sold. */
      lines: { saleLineId: string; qty: number; disposition: Disposition }[];
      refundTo: RefundTo;
    }
  | {
      receipt: 'without';
      /** A manager agreed to the return (ticked on the screen). */
      managerApproved: boolean;
      /** `refund` includes tax, in minor units. */
      lines: { productId: string; qty: number; refund: Minor; disposition: Disposition }[];
      refundTo: RefundTo;
    };

type ReturnBody = Extract<EventBody, { kind: 'return' }>;

/** The return's body, or why it cannot be made. */
export function returnBody(input: ReturnInput, context: CommandContext): { ok: true; body: ReturnBody } | { ok: false; errors: FieldError[] } {
  const made = input.receipt === 'with' ? linesWithReceipt(input, context) : linesWithoutReceipt(input, context);
  if (!made.ok) return made;
  const refundMethod = made.refundMethod;
  // Cash comes out of a drawer without the smallest coins: round what is handed back.
  const rounding = refundMethod === 'cash' ? roundCashDue(refundTotal(made.lines), context.settings.cashStep).rounding : 0;
  // A refund paid while this device's shift is open comes out of that shift's drawer.
  const shiftId = context.books ? openShiftOf(context.books, context.deviceId, context.actor?.id)?.shiftId : undefined;
  return {
    ok: true,
    body: {
      kind: 'return',
      ...(made.saleId === undefined ? {} : { saleId: made.saleId }),
      managerApproved: input.receipt === 'without',
      ...(shiftId === undefined ? {} : { shiftId }),
      lines: made.lines,
      refundMethod,
      ...(rounding === 0 ? {} : { cashRounding: rounding }),
    },
  };
}

/**
 * A voided sale gave its money back and its stock returned when it was voided: nothing on it can be
 * returned again. The screen says so instead of offering a refund of nothing.
 */
export function voidedSaleProblem(books: Books, sale: EventOf<'sale'>): FieldError | undefined {
  if (!effectiveVoidOf(books, sale.id)) return undefined;
  return { field: 'saleId', message: `Receipt ${sale.receiptNo} was voided: its money was given back and its stock restored then, so nothing on it can be returned. Check the receipt number.` };
}

type MadeLines = { ok: true; lines: ReturnBody['lines']; saleId?: string; refundMethod: TenderMethod } | { ok: false; errors: FieldError[] };

function linesWithReceipt(input: Extract<ReturnInput, { receipt: 'with' }>, { books }: CommandContext): MadeLines {
  if (!books) return { ok: false, errors: [BOOKS_LOADING] };
  const sale = books.getEvent(input.saleId);
  if (sale?.kind !== 'sale') {
    return { ok: false, errors: [{ field: 'saleId', message: 'This sale is not on this device. Check the receipt number, or sync and try again; without a receipt, use "Return without a receipt".' }] };
  }
  const voided = voidedSaleProblem(books, sale);
  if (voided) return { ok: false, errors: [voided] };
  const returnable = returnableQty(books, sale.id) ?? [];
  const errors: FieldError[] = [];
  const lines: ReturnBody['lines'] = [];
  input.lines.forEach((wanted, i) => {
    const field = `lines.${i}.qty`;
    const line = sale.lines.find((l) => l.lineId === wanted.saleLineId);
    if (!line) return errors.push({ field: `lines.${i}.saleLineId`, message: `Receipt ${sale.receiptNo} has no such line; find the sale again.` });
    if (!isQty(wanted.qty, 0)) return errors.push({ field, message: `${line.name}: ${wanted.qty} is not a quantity to return: use a whole number from 0.` });
    if (wanted.qty === 0) return;
    const left = returnable.find((r) => r.lineId === line.lineId);
    const allowed = left?.returnable ?? 0;
    if (wanted.qty > allowed) {
      return errors.push({
        field,
        message: `${line.name}: at most ${qtyWithUnit(allowed, line.unit)} can be returned on receipt ${sale.receiptNo} (${qtyWithUnit(line.qty, line.unit)} sold, ${qtyWithUnit(left?.returned ?? 0, line.unit)} already returned), not ${qtyWithUnit(wanted.qty, line.unit)}.`,
      });
    }
    lines.push({ productId: line.productId, qty: wanted.qty, ...refundFor(line, wanted.qty), disposition: wanted.disposition, saleLineId: line.lineId });
  });
  if (errors.length === 0 && lines.length === 0) errors.push({ field: 'lines', message: 'Enter how many come back for at least one line.' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, lines, saleId: sale.id, refundMethod: input.refundTo === 'original' ? originalTender(sale) : input.refundTo };
}

function linesWithoutReceipt(input: Extract<ReturnInput, { receipt: 'without' }>, context: CommandContext): MadeLines {
  const errors: FieldError[] = [];
  // With staff (issue 17) a supervisor approves on the spot with their PIN when it is recorded
  // (privilegesNeeded: 'refund-without-receipt'); without, the ticked box on the owner's device.
  const withStaff = context.books?.staff().hasStaff === true;
  if (!withStaff && !input.managerApproved) errors.push({ field: 'managerApproved', message: 'A return without a receipt needs a manager: tick "Manager approved" once they agree.' });
  else if (!withStaff && context.role !== 'owner') {
    errors.push({ field: 'managerApproved', message: 'Only the owner’s device can approve a return without a receipt: take it there, or find the receipt.' });
  }
  if (input.lines.length === 0) errors.push({ field: 'lines', message: 'Add the returned products: scan them or search for them.' });
  const lines: ReturnBody['lines'] = [];
  input.lines.forEach((line, i) => {
    const product = context.catalog.get(line.productId);
    const name = productName(context, line.productId);
    const qtyOk = isQty(line.qty);
    const refundOk = isAmount(line.refund);
    if (!qtyOk) errors.push({ field: `lines.${i}.qty`, message: `${name}: ${line.qty} is not a quantity to return: use a whole number from 1, or remove the line.` });
    if (!refundOk) errors.push({ field: `lines.${i}.refund`, message: `${name}, refund: enter an amount of zero or more.` });
    if (!qtyOk || !refundOk) return;
    if (!product) return errors.push({ field: `lines.${i}.productId`, message: `${name} is not in this device’s catalog: sync, then try again.` });
    const most = mostRefundWithoutReceipt(line.qty, product, context);
    if (line.refund > most) {
      const amount = formatMoney(most, context.settings.currency);
      return errors.push({ field: `lines.${i}.refund`, message: `${name}: at most ${amount} can be refunded without a receipt (its price now × ${qtyWithUnit(line.qty, product.unit)}); refund less, or find the receipt.` });
    }
    lines.push({ productId: line.productId, qty: line.qty, refund: line.refund, tax: taxIncludedIn(line.refund, product.taxRateBp), disposition: line.disposition });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, lines, refundMethod: input.refundTo === 'original' ? 'cash' : input.refundTo };
}

/** A refund without a receipt is at most what the product costs now, tax included. */
function mostRefundWithoutReceipt(qty: number, product: ProductSnapshot, { settings }: CommandContext): Minor {
  return applyTax(lineBaseAmount({ qty, unitPrice: product.price, unit: product.unit }), product.taxRateBp, settings.pricesIncludeTax).gross;
}

export const recordReturn = defineCommand<ReturnInput>({
  name: 'record-return',
  records: ['return'],
  permission: 'anyone',
  check(input, context) {
    const made = returnBody(input, context);
    return made.ok ? accept(made.body) : refuse(...made.errors);
  },
});

export interface ExchangeInput {
  return: ReturnInput;
  /** The new items and what the customer pays on top of the credit (`credit` is the return's cash). */
  sale: Omit<CompleteSaleInput, 'credit'>;
}

/**
 * A return and a new sale together. A cash refund is not handed out: it pays for the new items, so
 * the customer pays only the difference or gets the rest back as change. A refund to a card has gone
 * back to the card, so the sale is paid in full. Two events (the books see cash out and cash in).
 */
export const exchange = defineCommand<ExchangeInput>({
  name: 'exchange',
  records: ['return', 'sale'],
  permission: 'anyone',
  check(input, context) {
    const returned = returnBody(input.return, context);
    if (!returned.ok) return refuse(...returned.errors.map((e) => ({ ...e, field: `return.${e.field ?? 'lines'}` })));
    const { refundMethod, lines, cashRounding } = returned.body;
    const credit = refundMethod === 'cash' ? refundTotal(lines) + (cashRounding ?? 0) : 0;
    const sold = saleBody({ ...input.sale, credit }, context);
    if (!sold.ok) return refuse(...sold.errors.map((e) => ({ ...e, field: `sale.${e.field ?? 'cart'}` })));
    return accept(returned.body, sold.body);
  },
});
