/** Selling, voiding, returns and exchanges as commands: no browser, the real books. */
import { describe, expect, it } from 'vitest';
import { addToCart, amountOff, emptyCart, percentOff, setCartDiscount, setLineDiscount, type Cart } from '../../src/domain/cart.ts';
import type { EventOf } from '../../src/domain/events.ts';
import { changeStoreSettings, completeSale, exchange, openShift, recordReturn, saleByReceiptNo, voidSale } from '../../src/app/commands/index.ts';
import { bodiesOf, errorsOf, product, Till } from './support.ts';
import { cardThenCash } from '../domain/support/payment.ts';

const TEA = product('tea', { price: 1200, cost: 500, barcodes: ['4006381333931'] });
const MUG = product('mug', { price: 800, cost: 300 });

function cartOf(...lines: [typeof TEA, number][]): Cart {
  return lines.reduce((cart, [p, qty], i) => addToCart(cart, p, qty, `line-${i + 1}`), emptyCart);
}

function sold(till: Till, cart: Cart, payment = cardThenCash(0, 100_000)): EventOf<'sale'> {
  const [event] = till.act(completeSale, { cart, payment, withoutShift: true });
  if (event?.kind !== 'sale') throw new Error('no sale');
  return event;
}

describe('complete sale', () => {
  it('prices the cart, settles the payment, numbers the receipt from the sequence and stamps the open shift', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 10);
    const [opened] = till.act(openShift, { float: 5000 });
    const result = till.run(completeSale, { cart: cartOf([TEA, 2]), withoutShift: true, payment: cardThenCash(0, 2500) });
    const [body] = bodiesOf(result, 7);
    // 2 × 12.00 incl. 20 % tax = 24.00: net 20.00, tax 4.00; 25.00 handed over, 1.00 back.
    expect(body).toMatchObject({
      kind: 'sale',
      receiptNo: 'AB12-7',
      pricesIncludeTax: true,
      totals: { net: 2000, tax: 400, gross: 2400, discount: 0 },
      tenders: [{ method: 'cash', amount: 2400, received: 2500 }],
      change: 100,
      shiftId: opened?.kind === 'shift-opened' ? opened.shiftId : 'missing',
    });
    expect(body).not.toHaveProperty('cashRounding');
  });

  // Issue 14 item 4: a sale on a till with no open shift landed in no drawer's count, unnoticed.
  it('asks before selling with no open shift, or refuses, as the owner set; an open shift needs neither', () => {
    const till = new Till('dev-till-ab12', { role: 'owner' });
    const sale = (withoutShift?: boolean) => till.run(completeSale, { cart: cartOf([TEA, 1]), payment: cardThenCash(0, 1200), ...(withoutShift === undefined ? {} : { withoutShift }) });
    // Default 'ask': refused until the cashier has chosen to sell without a shift.
    expect(errorsOf(sale())).toEqual([
      { field: 'shift', message: 'No shift is open on this till: open one with the float in the drawer, or choose to sell without a shift (the sale then goes into no drawer’s count).' },
    ]);
    expect(bodiesOf(sale(true))).toHaveLength(1);
    // 'refuse': not even when the cashier chooses to.
    till.act(changeStoreSettings, { saleWithoutShift: 'refuse' });
    expect(errorsOf(sale(true))).toEqual([
      {
        field: 'shift',
        message: 'No shift is open on this till, and this store needs one for every sale: open a shift with the float in the drawer (More → Shift), then take the payment.',
      },
    ]);
    till.act(openShift, { float: 0 });
    expect(bodiesOf(sale())).toHaveLength(1);
  });

  it('rounds the cash part to the drawer step and counts an exchange credit as cash received', () => {
    const till = new Till('dev-till-ab12');
    till.cashStep = 5;
    const cart = cartOf([product('gum', { price: 1203 }), 1]);
    const [body] = bodiesOf(till.run(completeSale, { cart, withoutShift: true, payment: cardThenCash(0, 0), credit: 1205 }));
    expect(body).toMatchObject({ tenders: [{ method: 'cash', amount: 1205 }], change: 0, cashRounding: 2 });
    expect(body).not.toHaveProperty('shiftId');
  });

  it('records a 10 % line and a 5 % cart discount as the amounts they come to', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 10);
    // 3 teas at 12.00 = 36.00, 10 % off = 32.40; with a mug, 40.40; 5 % of that = 2.02 → 38.38.
    let cart = cartOf([TEA, 3], [MUG, 1]);
    const line = setLineDiscount(cart, 'line-1', percentOff(1000));
    if (!line.ok) throw new Error(line.error);
    const whole = setCartDiscount(line.value, percentOff(500));
    if (!whole.ok) throw new Error(whole.error);
    cart = whole.value;
    const [body] = bodiesOf(till.run(completeSale, { cart, withoutShift: true, payment: cardThenCash(3838, 0) }));
    expect(body).toMatchObject({ totals: { gross: 3838, discount: 360 + 202 }, tenders: [{ method: 'card', amount: 3838 }] });
    if (body?.kind !== 'sale') throw new Error('no sale');
    expect(body.lines.map((l) => [l.lineDiscount, l.cartDiscountShare])).toEqual([[360, 162], [0, 40]]);
  });

  it('refuses a hand-made cart whose discount the cart rules would not set', () => {
    const till = new Till('dev-till-ab12');
    const cart = cartOf([TEA, 1]);
    const bad: Cart = { lines: cart.lines.map((l) => ({ ...l, lineDiscount: percentOff(12_000) })), cartDiscount: amountOff(-5) };
    expect(errorsOf(till.run(completeSale, { cart: bad, withoutShift: true, payment: cardThenCash(0, 5000) }))).toEqual([
      { field: 'cart.lines.0.lineDiscount', message: 'Product tea: A percentage discount must be from 0 to 100 %.' },
      { field: 'cart.cartDiscount', message: 'A discount cannot be negative.' },
    ]);
  });

  it('refuses an empty cart, too little money and a negative credit, each at its field', () => {
    const till = new Till('dev-till-ab12');
    expect(errorsOf(till.run(completeSale, { cart: emptyCart, withoutShift: true, payment: cardThenCash(0, 0) }))).toEqual([
      { field: 'cart', message: 'The cart is empty: scan or search for a product first.' },
    ]);
    expect(errorsOf(till.run(completeSale, { cart: cartOf([TEA, 1]), withoutShift: true, payment: cardThenCash(0, 1000) }))).toEqual([
      { field: 'payment', message: 'Not enough paid yet: the customer still owes money.' },
    ]);
    expect(errorsOf(till.run(completeSale, { cart: cartOf([TEA, 1]), withoutShift: true, payment: cardThenCash(1300, 0) }))).toEqual([
      { field: 'payment', message: 'The card part of €13.00 is more than the €12.00 still owed, and a card gives no change: charge at most €12.00 by card.' },
    ]);
    expect(errorsOf(till.run(completeSale, { cart: cartOf([TEA, 1]), withoutShift: true, payment: cardThenCash(0, 1200), credit: -1 }))).toEqual([
      { field: 'credit', message: 'An exchange credit must be zero or more whole minor units.' },
    ]);
  });

  it('sells while the books are still loading, without a shift', () => {
    const till = new Till('dev-till-ab12');
    till.booksLoaded = false;
    const [body] = bodiesOf(till.run(completeSale, { cart: cartOf([TEA, 1]), withoutShift: true, payment: cardThenCash(1200, 0) }));
    expect(body).toMatchObject({ kind: 'sale', tenders: [{ method: 'card', amount: 1200 }], change: 0 });
    expect(body).not.toHaveProperty('shiftId');
  });
});

describe('finding a sale by its receipt number', () => {
  it('finds it typed in small letters or with a leading #, through the receipt index', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 5);
    const sale = sold(till, cartOf([TEA, 1]));
    // The device's first sale: receipt 1, though a product definition and a delivery came first (issue 14, item 5).
    expect(sale.receiptNo).toBe('AB12-1');
    expect(saleByReceiptNo(till.books, ' #ab12-1 ')?.id).toBe(sale.id);
    expect(saleByReceiptNo(till.books, 'AB12-2')).toBeUndefined();
    // A sale recorded after the index was built is found too.
    const next = sold(till, cartOf([TEA, 1]));
    expect(saleByReceiptNo(till.books, next.receiptNo)?.id).toBe(next.id);
  });
});

describe('void', () => {
  it('voids a sale once, with the reason given or "No reason given"', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 5);
    const sale = sold(till, cartOf([TEA, 1]));
    expect(bodiesOf(till.run(voidSale, { saleId: sale.id, reason: '  ' }))).toEqual([{ kind: 'sale-voided', saleId: sale.id, reason: 'No reason given' }]);
    till.act(voidSale, { saleId: sale.id, reason: 'Wrong item' });
    expect(errorsOf(till.run(voidSale, { saleId: sale.id, reason: 'Again' }))).toEqual([
      { field: 'saleId', message: `Receipt ${sale.receiptNo} is already voided: nothing more to give back.` },
    ]);
  });

  it('refuses a sale this device does not know, and waits for the books', () => {
    const till = new Till('dev-till-ab12');
    expect(errorsOf(till.run(voidSale, { saleId: 'nope', reason: '' }))).toEqual([{ field: 'saleId', message: 'This sale is not on this device. Sync, then try again.' }]);
    till.booksLoaded = false;
    expect(errorsOf(till.run(voidSale, { saleId: 'nope', reason: '' }))[0]?.message).toBe('The books are still loading on this device; try again in a moment.');
  });
});

describe('return with a receipt', () => {
  it('refunds each line its share of what was paid, tax likewise, to the original tender', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 10);
    // 3 teas with a 1.00 line discount: 36.00 − 1.00 = 35.00 incl. tax, of which tax 5.83.
    const cart = cartOf([TEA, 3]);
    const discounted: Cart = { ...cart, lines: cart.lines.map((l) => ({ ...l, lineDiscount: amountOff(100) })) };
    const sale = sold(till, discounted, cardThenCash(3500, 0));
    expect(sale.lines[0]).toMatchObject({ gross: 3500, tax: 583 });
    const result = till.run(recordReturn, { receipt: 'with', saleId: sale.id, refundTo: 'original', lines: [{ saleLineId: 'line-1', qty: 2, disposition: 'restock' }] });
    // 2 of 3: 35.00 × 2 / 3 = 23.333… → 23.33; tax 5.83 × 2 / 3 = 3.886… → 3.89. Paid by card: back to the card.
    expect(bodiesOf(result)).toEqual([
      {
        kind: 'return',
        saleId: sale.id,
        managerApproved: false,
        lines: [{ productId: 'tea', qty: 2, refund: 2333, tax: 389, disposition: 'restock', saleLineId: 'line-1' }],
        refundMethod: 'card',
      },
    ]);
  });

  it('rounds a cash refund to the drawer step and takes it from the open shift', () => {
    const till = new Till('dev-till-ab12');
    till.cashStep = 5;
    till.stock(TEA, 10);
    const sale = sold(till, cartOf([product('tea', { price: 1203 }), 1]), cardThenCash(1203, 0));
    const [opened] = till.act(openShift, { float: 0 });
    const [body] = bodiesOf(till.run(recordReturn, { receipt: 'with', saleId: sale.id, refundTo: 'cash', lines: [{ saleLineId: 'line-1', qty: 1, disposition: 'write-off' }] }));
    expect(body).toMatchObject({ refundMethod: 'cash', cashRounding: 2, shiftId: opened?.kind === 'shift-opened' ? opened.shiftId : 'missing' });
  });

  it('refuses more than is left to return, a line of another sale, and nothing to return', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 10);
    const sale = sold(till, cartOf([TEA, 3]));
    till.act(recordReturn, { receipt: 'with', saleId: sale.id, refundTo: 'original', lines: [{ saleLineId: 'line-1', qty: 2, disposition: 'restock' }] });
    const input = (qty: number, saleLineId = 'line-1') => ({ receipt: 'with' as const, saleId: sale.id, refundTo: 'original' as const, lines: [{ saleLineId, qty, disposition: 'restock' as const }] });
    expect(errorsOf(till.run(recordReturn, input(2)))).toEqual([
      { field: 'lines.0.qty', message: `Product tea: at most 1 can be returned on receipt ${sale.receiptNo} (3 sold, 2 already returned), not 2.` },
    ]);
    expect(errorsOf(till.run(recordReturn, input(1, 'line-9')))).toEqual([{ field: 'lines.0.saleLineId', message: `Receipt ${sale.receiptNo} has no such line; find the sale again.` }]);
    expect(errorsOf(till.run(recordReturn, input(0)))).toEqual([{ field: 'lines', message: 'Enter how many come back for at least one line.' }]);
    expect(errorsOf(till.run(recordReturn, input(1.5)))).toEqual([{ field: 'lines.0.qty', message: 'Product tea: 1.5 is not a quantity to return: use a whole number from 0.' }]);
  });

  it('has nothing left to return on a voided sale, and refuses an unknown sale', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 10);
    const sale = sold(till, cartOf([TEA, 1]));
    till.act(voidSale, { saleId: sale.id, reason: 'Mistake' });
    // Issue 14, item 10: the voided sale is named as voided, not offered as "0 returnable".
    expect(errorsOf(till.run(recordReturn, { receipt: 'with', saleId: sale.id, refundTo: 'original', lines: [{ saleLineId: 'line-1', qty: 1, disposition: 'restock' }] }))).toEqual([
      { field: 'saleId', message: `Receipt ${sale.receiptNo} was voided: its money was given back and its stock restored then, so nothing on it can be returned. Check the receipt number.` },
    ]);
    expect(errorsOf(till.run(recordReturn, { receipt: 'with', saleId: 'gone', refundTo: 'cash', lines: [] }))).toEqual([
      { field: 'saleId', message: 'This sale is not on this device. Check the receipt number, or sync and try again; without a receipt, use "Return without a receipt".' },
    ]);
  });
});

describe('return without a receipt', () => {
  it('refunds at most the product’s price now × quantity, tax included, and only with the owner’s approval (issue 14, item 1)', () => {
    const owner = new Till('dev-owner-ab12', { role: 'owner' });
    owner.stock(TEA, 0);
    const input = (refund: number, qty = 1) => ({ receipt: 'without' as const, managerApproved: true, refundTo: 'cash' as const, lines: [{ productId: 'tea', qty, refund, disposition: 'restock' as const }] });
    // Tea is €12.00: €50.00 for one was accepted before.
    expect(errorsOf(owner.run(recordReturn, input(5000)))).toEqual([
      { field: 'lines.0.refund', message: 'Product tea: at most €12.00 can be refunded without a receipt (its price now × 1); refund less, or find the receipt.' },
    ]);
    expect(bodiesOf(owner.run(recordReturn, input(2400, 2)))[0]).toMatchObject({ lines: [{ refund: 2400, qty: 2 }] });
    expect(bodiesOf(owner.run(recordReturn, input(800)))[0]).toMatchObject({ lines: [{ refund: 800 }] });
    // Prices without tax: the customer paid €12.00 + 20 %, so €14.40 at most.
    owner.pricesIncludeTax = false;
    expect(bodiesOf(owner.run(recordReturn, input(1440)))[0]).toMatchObject({ lines: [{ refund: 1440 }] });
    expect(errorsOf(owner.run(recordReturn, input(1441)))[0]?.message).toMatch(/at most €14\.40 can be refunded/);
    // A staff device cannot approve it itself.
    const staff = new Till('dev-staff-ab12');
    staff.stock(TEA, 0);
    expect(errorsOf(staff.run(recordReturn, input(100)))).toEqual([
      { field: 'managerApproved', message: 'Only the owner’s device can approve a return without a receipt: take it there, or find the receipt.' },
    ]);
  });

  it('needs the manager, and takes the tax out of the refund at the product’s rate', () => {
    // Issue 14, item 1: until staff approvals exist, the approval is the owner's device's.
    const till = new Till('dev-till-ab12', { role: 'owner' });
    till.stock(TEA, 0);
    const lines = [{ productId: 'tea', qty: 1, refund: 1200, disposition: 'restock' as const }];
    expect(errorsOf(till.run(recordReturn, { receipt: 'without', managerApproved: false, refundTo: 'original', lines }))).toEqual([
      { field: 'managerApproved', message: 'A return without a receipt needs a manager: tick "Manager approved" once they agree.' },
    ]);
    // 12.00 incl. 20 %: tax = 12.00 × 0.2 / 1.2 = 2.00. "Original" without a receipt is cash.
    expect(bodiesOf(till.run(recordReturn, { receipt: 'without', managerApproved: true, refundTo: 'original', lines }))).toEqual([
      { kind: 'return', managerApproved: true, lines: [{ productId: 'tea', qty: 1, refund: 1200, tax: 200, disposition: 'restock' }], refundMethod: 'cash' },
    ]);
  });

  it('refuses no products, a bad quantity and a negative refund', () => {
    const till = new Till('dev-till-ab12', { role: 'owner' });
    till.stock(TEA, 0);
    expect(errorsOf(till.run(recordReturn, { receipt: 'without', managerApproved: true, refundTo: 'card', lines: [] }))).toEqual([
      { field: 'lines', message: 'Add the returned products: scan them or search for them.' },
    ]);
    expect(errorsOf(till.run(recordReturn, { receipt: 'without', managerApproved: true, refundTo: 'card', lines: [{ productId: 'tea', qty: 0, refund: -5, disposition: 'restock' }] }))).toEqual([
      { field: 'lines.0.qty', message: 'Product tea: 0 is not a quantity to return: use a whole number from 1, or remove the line.' },
      { field: 'lines.0.refund', message: 'Product tea, refund: enter an amount of zero or more.' },
    ]);
  });
});

describe('exchange', () => {
  it('records the return and a sale paid with the cash refund: the customer pays only the difference', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 10);
    till.stock(MUG, 10);
    const sale = sold(till, cartOf([TEA, 1]));
    const result = till.run(exchange, {
      return: { receipt: 'with', saleId: sale.id, refundTo: 'cash', lines: [{ saleLineId: 'line-1', qty: 1, disposition: 'restock' }] },
      sale: { cart: cartOf([MUG, 2]), withoutShift: true, payment: cardThenCash(0, 500) },
    });
    const [returned, newSale] = bodiesOf(result, 9);
    expect(returned).toMatchObject({ kind: 'return', refundMethod: 'cash', lines: [{ refund: 1200 }] });
    // 2 mugs = 16.00; 12.00 credit + 5.00 handed over = 17.00: 1.00 change.
    expect(newSale).toMatchObject({ kind: 'sale', receiptNo: 'AB12-9', totals: { gross: 1600 }, tenders: [{ method: 'cash', amount: 1600, received: 1700 }], change: 100 });
  });

  it('names the half that is wrong', () => {
    const till = new Till('dev-till-ab12');
    till.stock(TEA, 10);
    const sale = sold(till, cartOf([TEA, 1]));
    const back = { receipt: 'with' as const, saleId: sale.id, refundTo: 'card' as const, lines: [{ saleLineId: 'line-1', qty: 1, disposition: 'restock' as const }] };
    // Refunded to the card: no credit, so 5.00 does not pay for 16.00.
    expect(errorsOf(till.run(exchange, { return: back, sale: { cart: cartOf([MUG, 2]), withoutShift: true, payment: cardThenCash(0, 500) } }))).toEqual([
      { field: 'sale.payment', message: 'Not enough paid yet: the customer still owes money.' },
    ]);
    expect(errorsOf(till.run(exchange, { return: { ...back, lines: [] }, sale: { cart: cartOf([MUG, 1]), withoutShift: true, payment: cardThenCash(800, 0) } }))).toEqual([
      { field: 'return.lines', message: 'Enter how many come back for at least one line.' },
    ]);
  });
});
