/**
 * Issue 17, item 5: the owner's audit trail. A small store's day worked out by hand (every kind of
 * entry, who it belongs to, its amount and words), the period and member filters, the per-member
 * summary and the CSV export parsed back; then a fast-check property: the trail is the same whatever
 * order the events arrived in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditSummary, auditTrail, type AuditEntry } from '../../src/domain/audit.ts';
import { Books } from '../../src/domain/index.ts';
import type { EventBody, LedgerEvent, SaleLine, StaffMemberSnapshot, StaffRole } from '../../src/domain/events.ts';
import { AUDIT_HEADER, buildExport, parseCsv } from '../../src/domain/exports/index.ts';
import { Device } from './support/event-factory.ts';

// 1_700_000_000_000 is 2023-11-14T22:13:20Z: 22:13:20 in Dublin (UTC in November), the demo store's zone.
const T0 = 1_700_000_000_000;
const DAY = '2023-11-14';
const MAYA = 'm-maya';
const SAM = 'm-sam';

const PIN = { algorithm: 'PBKDF2-SHA-256', iterations: 100_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=' } as const;
const member = (id: string, name: string, role: StaffRole): StaffMemberSnapshot => ({ id, name, role, pin: { ...PIN }, active: true });

/** An event recorded by `userId`, approved by `approvedBy` when given. */
function by(userId: string, event: LedgerEvent, approvedBy?: string): LedgerEvent {
  return { ...event, userId, ...(approvedBy === undefined ? {} : { approvedBy }) };
}

/** A sale line at `unitPrice` per price unit, tax included at 20 %, with the catalog's `listPrice` when overridden. */
function line(lineId: string, name: string, qty: number, unit: 'each' | 'kg', unitPrice: number, gross: number, listPrice?: number): SaleLine {
  const tax = Math.round(gross / 6);
  return { lineId, productId: `p-${lineId}`, sku: `SKU-${lineId}`, name, qty, unit, unitPrice, lineDiscount: 0, cartDiscountShare: 0, taxRateBp: 2000, net: gross - tax, tax, gross, ...(listPrice === undefined ? {} : { listPrice }) };
}

function saleBody(receiptNo: string, lines: SaleLine[], discount = 0): EventBody {
  const gross = lines.reduce((s, l) => s + l.gross, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  return { kind: 'sale', receiptNo, pricesIncludeTax: true, lines, totals: { net: gross - tax, tax, gross, discount }, tenders: [{ method: 'cash', amount: gross }], change: 0 };
}

/**
 * The day, one event a second from 22:13:21 on till-1 (and one on till-2):
 *  - Anna (a cashier name from before staff) takes 10.00 out of the drawer.
 *  - Maya (manager) and Sam (cashier) are defined.
 *  - Sale R-1 by Sam, approved by Maya: 2 × Bread at 8.00 instead of 10.00 (−4.00), 1.5 kg Apples at
 *    4.00/kg instead of 5.00/kg (−1.50); gross 16.00 + 6.00 = 22.00.
 *  - Sale R-2 by Sam: Bread 12.00 with 2.00 off, gross 10.00 (2.00 off 12.00, 16.7 %).
 *  - Sam voids R-1 ("Wrong items"), approved by Maya: 22.00.
 *  - Sam refunds 1 × Bread without a receipt (12.00, cash), approved by Maya.
 *  - Shift s-1: float 100.00, Sam takes 50.00 to the safe (approved by Maya), closes counting 48.50:
 *    expected 100.00 − 50.00 = 50.00 (no cash sale names the shift), short 1.50.
 *  - Shift s-2 closes with the till's expected 20.00 and 20.00 counted: no entry.
 *  - Shift s-3 closes with the till's expected 30.00 and 31.00 counted: over 1.00.
 *  - A wrong PIN for Sam at sign-in; a wrong PIN for Maya's approval while Sam was signed in (till-2).
 *  - The next day: Sam takes 5.00 out (outside the period).
 */
function theDay(): LedgerEvent[] {
  const till = new Device('till-1', 'loc-1', T0);
  const till2 = new Device('till-2', 'loc-1', T0 + 60_000);
  const bread = (id: string) => till.event({ kind: 'product-defined', product: { id, name: 'Bread', sku: 'BREAD', barcodes: [], price: 1000, cost: 400, currency: 'EUR', taxRateBp: 2000, unit: 'each', active: true } });
  const events: LedgerEvent[] = [];
  events.push(by('Anna', till.event({ kind: 'cash-moved', shiftId: 's-0', amount: -1000, reason: 'Float too big' })));
  events.push(by('owner', till.event({ kind: 'staff-member-defined', member: member(MAYA, 'Maya', 'manager') })));
  events.push(by('owner', till.event({ kind: 'staff-member-defined', member: member(SAM, 'Sam', 'cashier') })));
  events.push(bread('p-b'));
  const sale1 = by(SAM, till.event(saleBody('R-1', [line('b', 'Bread', 2, 'each', 800, 1600, 1000), line('a', 'Apples', 1500, 'kg', 400, 600, 500)])), MAYA);
  events.push(sale1);
  events.push(by(SAM, till.event(saleBody('R-2', [line('b', 'Bread', 1, 'each', 1200, 1000)], 200))));
  events.push(by(SAM, till.event({ kind: 'sale-voided', saleId: sale1.id, reason: 'Wrong items' }), MAYA));
  events.push(by(SAM, till.event({ kind: 'return', managerApproved: true, refundMethod: 'cash', lines: [{ productId: 'p-b', qty: 1, refund: 1200, tax: 200, disposition: 'restock' }] }), MAYA));
  events.push(by(SAM, till.event({ kind: 'shift-opened', shiftId: 's-1', float: 10_000 })));
  events.push(by(SAM, till.event({ kind: 'cash-moved', shiftId: 's-1', amount: -5000, reason: 'Drop to the safe' }), MAYA));
  events.push(by(SAM, till.event({ kind: 'shift-closed', shiftId: 's-1', countedCash: 4850 })));
  events.push(by(SAM, till.event({ kind: 'shift-closed', shiftId: 's-2', countedCash: 2000, expectedCash: 2000 })));
  events.push(by(SAM, till.event({ kind: 'shift-closed', shiftId: 's-3', countedCash: 3100, expectedCash: 3000 })));
  events.push(by(SAM, till.event({ kind: 'pin-rejected', memberId: SAM, purpose: 'sign-in' })));
  events.push(by(SAM, till2.event({ kind: 'pin-rejected', memberId: MAYA, purpose: 'approval' })));
  events.push(by(SAM, till.event({ kind: 'cash-moved', shiftId: 's-4', amount: -500, reason: 'Window cleaner' }, { at: T0 + 86_400_000 })));
  return events;
}

const booksOf = (events: readonly LedgerEvent[]) => Books.fromEvents(events, { valuation: 'fifo' });
const brief = (e: AuditEntry) => [e.time, e.kind, e.memberName, e.amount, e.receiptNo ?? '', e.approverName ?? '', e.detail];

describe('the audit trail, by hand', () => {
  it('lists every kind of entry of the day in ledger order, with its member, amount and words', () => {
    const trail = auditTrail(booksOf(theDay()), { from: DAY, to: DAY });
    expect(trail.map(brief)).toEqual([
      ['22:13:21', 'cash-move', 'Anna', -1000, '', '', 'Cash out 10.00: Float too big'],
      ['22:13:25', 'price-override', 'Sam', -400, 'R-1', 'Maya', '2 × Bread at 8.00 instead of 10.00'],
      ['22:13:25', 'price-override', 'Sam', -150, 'R-1', 'Maya', '1.5 kg Apples at 4.00 per kg instead of 5.00'],
      ['22:13:25', 'approval', 'Maya', -400, 'R-1', 'Maya', 'Approved changing a price at the till for Sam'],
      ['22:13:26', 'discount', 'Sam', 200, 'R-2', '', '2.00 off 12.00 (16.7 %)'],
      ['22:13:27', 'void', 'Sam', 2200, 'R-1', 'Maya', 'Wrong items'],
      ['22:13:27', 'approval', 'Maya', 2200, 'R-1', 'Maya', 'Approved voiding a sale for Sam'],
      ['22:13:28', 'refund-without-receipt', 'Sam', 1200, '', 'Maya', 'Bread × 1; by cash'],
      ['22:13:28', 'approval', 'Maya', 1200, '', 'Maya', 'Approved a refund without a receipt for Sam'],
      ['22:13:30', 'cash-move', 'Sam', -5000, '', 'Maya', 'Cash out 50.00: Drop to the safe'],
      ['22:13:30', 'approval', 'Maya', -5000, '', 'Maya', 'Approved moving cash in or out of the drawer for Sam'],
      ['22:13:31', 'drawer-difference', 'Sam', -150, '', '', 'Expected 50.00, counted 48.50: short 1.50'],
      ['22:13:33', 'drawer-difference', 'Sam', 100, '', '', 'Expected 30.00, counted 31.00: over 1.00'],
      ['22:13:34', 'pin-rejected', 'Sam', 0, '', '', 'Wrong PIN at sign-in'],
      ['22:14:21', 'pin-rejected', 'Maya', 0, '', '', 'Wrong PIN for an approval (while Sam was signed in)'],
    ]);
    const first = trail[0]!;
    expect(first).toMatchObject({ businessDate: DAY, memberId: 'Anna', deviceId: 'till-1', locationId: 'loc-1', at: '2023-11-14T22:13:21.000Z' });
    expect(first.memberRole).toBeUndefined();
    expect(trail[1]).toMatchObject({ memberId: SAM, memberRole: 'cashier', approvedBy: MAYA });
    expect(trail[3]).toMatchObject({ memberId: MAYA, memberRole: 'manager' });
    expect(trail.at(-1)).toMatchObject({ memberId: MAYA, deviceId: 'till-2' });
  });

  it('keeps to the period and to one member', () => {
    const books = booksOf(theDay());
    const nextDay = auditTrail(books, { from: '2023-11-15', to: '2023-11-15' });
    expect(nextDay.map(brief)).toEqual([['22:13:20', 'cash-move', 'Sam', -500, '', '', 'Cash out 5.00: Window cleaner']]);
    expect(auditTrail(books, { from: '2023-11-13', to: '2023-11-13' })).toEqual([]);
    expect(auditTrail(books, { from: DAY, to: '2023-11-15' })).toHaveLength(16);
    const maya = auditTrail(books, { from: DAY, to: DAY, memberId: MAYA });
    expect(maya.map((e) => e.kind)).toEqual(['approval', 'approval', 'approval', 'approval', 'pin-rejected']);
    expect(auditTrail(books, { from: DAY, to: DAY, memberId: 'Anna' }).map((e) => e.amount)).toEqual([-1000]);
  });

  it('names a member by their latest name, and a void whose sale was already voided or has not arrived has no amount', () => {
    const events = theDay();
    const till = new Device('till-3', 'loc-1', T0 + 120_000);
    const saleId = events.find((e) => e.kind === 'sale')!.id;
    events.push(by(SAM, till.event({ kind: 'sale-voided', saleId, reason: 'Again' }), MAYA));
    events.push(by(SAM, till.event({ kind: 'sale-voided', saleId: 'not-here', reason: 'Lost' }), MAYA));
    events.push(by('owner', till.event({ kind: 'staff-member-defined', member: member(SAM, 'Samuel', 'supervisor') })));
    const trail = auditTrail(booksOf(events), { from: DAY, to: DAY, memberId: SAM });
    expect(trail.slice(-2).map(brief)).toEqual([
      ['22:15:21', 'void', 'Samuel', 0, 'R-1', 'Maya', 'Again (the sale was already voided)'],
      ['22:15:22', 'void', 'Samuel', 0, '', 'Maya', 'Lost (the sale has not reached this device yet)'],
    ]);
    // The role is the one Sam had when acting.
    expect(trail.at(-1)?.memberRole).toBe('cashier');
  });

  it('adds each member’s entries up per kind', () => {
    const summary = auditSummary(auditTrail(booksOf(theDay()), { from: DAY, to: DAY }));
    expect(summary.map((s) => [s.memberName, s.entries])).toEqual([
      ['Anna', 1],
      ['Maya', 5],
      ['Sam', 9],
    ]);
    const sam = summary[2]!;
    expect(sam.counts).toEqual({ void: 1, refund: 0, 'refund-without-receipt': 1, discount: 1, 'price-override': 2, 'cash-move': 1, 'drawer-difference': 2, approval: 0, 'pin-rejected': 1 });
    expect(sam.amounts).toEqual({ void: 2200, refund: 0, 'refund-without-receipt': 1200, discount: 200, 'price-override': -550, 'cash-move': -5000, 'drawer-difference': -50, approval: 0, 'pin-rejected': 0 });
    expect(summary[1]!.counts.approval).toBe(4);
    expect(summary[1]!.amounts.approval).toBe(-400 + 2200 + 1200 - 5000);
  });

  it('a refund with its receipt is a refund, with the sale’s receipt number and product names (a store without staff: the cashier name as it is)', () => {
    const till = new Device('till-1', 'loc-1', T0);
    const sale = by('Sam at till 1', till.event(saleBody('R-9', [line('b', 'Bread', 2, 'each', 1000, 2000)])));
    const refund = by('Sam at till 1', till.event({ kind: 'return', saleId: sale.id, managerApproved: false, refundMethod: 'card', lines: [{ productId: 'p-b', qty: 1, refund: 1000, tax: 167, disposition: 'write-off', saleLineId: 'b' }] }));
    expect(auditTrail(booksOf([sale, refund]), { from: DAY, to: DAY }).map(brief)).toEqual([['22:13:22', 'refund', 'Sam at till 1', 1000, 'R-9', '', 'Bread × 1 (written off); by card']]);
  });
});

describe('the audit CSV export', () => {
  it('has a row per entry with the columns the owner reads, and filters by member', () => {
    const result = buildExport('audit', booksOf(theDay()), { from: DAY, to: DAY });
    if (!result.ok) throw new Error(result.error);
    const [file] = result.files;
    expect(file?.filename).toBe(`audit-${DAY}-to-${DAY}.csv`);
    const records = parseCsv(file?.text ?? '').map((r) => r.fields);
    expect(records[0]).toEqual([...AUDIT_HEADER]);
    expect(records[0]).toEqual(['Date', 'Time', 'Member', 'Role', 'Kind', 'Amount', 'Receipt', 'Approved By', 'Detail', 'Device', 'Location']);
    expect(file?.rows).toBe(15);
    expect(records[1]).toEqual([DAY, '22:13:21', 'Anna', '', 'Cash in or out', '-10.00', '', '', 'Cash out 10.00: Float too big', 'till-1', 'loc-1']);
    expect(records[6]).toEqual([DAY, '22:13:27', 'Sam', 'Cashier', 'Void', '22.00', 'R-1', 'Maya', 'Wrong items', 'till-1', 'loc-1']);
    expect(records[12]).toEqual([DAY, '22:13:31', 'Sam', 'Cashier', 'Drawer difference', '-1.50', '', '', 'Expected 50.00, counted 48.50: short 1.50', 'till-1', 'loc-1']);
    expect(records[15]).toEqual([DAY, '22:14:21', 'Maya', 'Manager', 'Wrong PIN', '0.00', '', '', 'Wrong PIN for an approval (while Sam was signed in)', 'till-2', 'loc-1']);

    const mayaOnly = buildExport('audit', booksOf(theDay()), { from: DAY, to: DAY, member: MAYA });
    if (!mayaOnly.ok) throw new Error(mayaOnly.error);
    const mayaRows = parseCsv(mayaOnly.files[0]?.text ?? '').slice(1).map((r) => r.fields);
    expect(mayaRows.map((r) => [r[2], r[4], r[5]])).toEqual([
      ['Maya', 'Approval', '-4.00'],
      ['Maya', 'Approval', '22.00'],
      ['Maya', 'Approval', '12.00'],
      ['Maya', 'Approval', '-50.00'],
      ['Maya', 'Wrong PIN', '0.00'],
    ]);
  });

  it('asks for a range like the other range exports', () => {
    const result = buildExport('audit', booksOf(theDay()), { from: DAY });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('Give the range as two dates') });
  });
});

describe('the audit trail, whatever the arrival order', () => {
  it('is the same for every order the events were applied in', () => {
    const events = theDay();
    const expected = auditTrail(booksOf(events), { from: DAY, to: '2023-11-15' });
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (shuffled) => {
        const books = new Books({ valuation: 'fifo' });
        for (const event of shuffled) books.apply(event);
        expect(auditTrail(books, { from: DAY, to: '2023-11-15' })).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
