/**
 * Issue 17 at the till, as commands: one shift per cashier per drawer, the close recording what the
 * drawer should hold (so a close with a difference needs a supervisor), and a refund without a
 * receipt approved by a supervisor's PIN rather than the owner's ticked box.
 */
import { describe, expect, it } from 'vitest';
import type { CommandResult, Command } from '../../src/app/commands/index.ts';
import { closeShift, completeSale, moveCash, openShift, openShiftOf, recordReturn } from '../../src/app/commands/index.ts';
import { addToCart, emptyCart } from '../../src/domain/cart.ts';
import type { EventBody, EventOf, LedgerEvent, StaffMemberSnapshot, StaffRole } from '../../src/domain/events.ts';
import { privilegesNeeded, staffRefusal } from '../../src/domain/staff.ts';
import { shiftReport } from '../../src/domain/shifts.ts';
import { bodiesOf, errorsOf, product, Till } from './support.ts';

const PIN = { algorithm: 'PBKDF2-SHA-256' as const, iterations: 200_000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=' };
const member = (id: string, name: string, role: StaffRole): StaffMemberSnapshot => ({ id, name, role, pin: PIN, active: true });
const ANA = member('m-ana', 'Ana', 'cashier');
const BEN = member('m-ben', 'Ben', 'cashier');
const SUE = member('m-sue', 'Sue', 'supervisor');
const MAX = member('m-max', 'Max', 'manager');
const SETTINGS = { discountApprovalPercent: 10 };

/** A shared tablet whose store has staff: commands run as the signed-in member, events carry their id. */
function staffedTill(): Till {
  const till = new Till('dev-a');
  for (const m of [MAX, ANA, BEN, SUE]) till.record({ kind: 'staff-member-defined', member: m });
  return till;
}

function runAs<Input>(till: Till, actor: StaffMemberSnapshot, command: Command<Input>, input: Input): CommandResult {
  return command.run(input, { ...till.context(), actor });
}

/** Runs the command as `actor` and records its events stamped with their id (and an approver's). */
function actAs<Input>(till: Till, actor: StaffMemberSnapshot, command: Command<Input>, input: Input, approvedBy?: string): LedgerEvent[] {
  return bodiesOf(runAs(till, actor, command, input)).map((body) => recordAs(till, actor, body, approvedBy));
}

function recordAs(till: Till, actor: StaffMemberSnapshot, body: EventBody, approvedBy?: string): LedgerEvent {
  const event = { ...till.device.event(body, { locationId: till.locationId }), userId: actor.id, ...(approvedBy === undefined ? {} : { approvedBy }) } as LedgerEvent;
  expect(till.books.apply(event).status).toBe('applied');
  return event;
}

const cashSale = (till: Till, price: number) => ({ cart: addToCart(emptyCart, till.catalog.get('p1') ?? product('p1'), 1, `l-${price}`), payment: [{ method: 'cash' as const, amount: price }] });

describe('one shift per cashier per drawer', () => {
  it('each cashier on a shared till opens, sells into and closes a shift of their own', () => {
    const till = staffedTill();
    till.stock(product('p1', { price: 1200 }), 10);
    const [anaOpened] = actAs(till, ANA, openShift, { float: 5_000 });
    // Ana's shift is not Ben's: he opens his own on the same device.
    expect(openShiftOf(till.books, 'dev-a', BEN.id)).toBeUndefined();
    const [benOpened] = actAs(till, BEN, openShift, { float: 2_000 });
    expect(errorsOf(runAs(till, BEN, openShift, { float: 0 }))).toEqual([{ message: 'You already have a shift open on this device: close it before opening another.' }]);
    const anaShift = (anaOpened as EventOf<'shift-opened'>).shiftId;
    const benShift = (benOpened as EventOf<'shift-opened'>).shiftId;
    expect(openShiftOf(till.books, 'dev-a', ANA.id)?.shiftId).toBe(anaShift);
    expect(openShiftOf(till.books, 'dev-a', BEN.id)?.shiftId).toBe(benShift);

    const [anaSale] = actAs(till, ANA, completeSale, cashSale(till, 1200));
    const [benSale] = actAs(till, BEN, completeSale, cashSale(till, 1200));
    actAs(till, BEN, completeSale, cashSale(till, 1200));
    expect(anaSale).toMatchObject({ shiftId: anaShift, userId: ANA.id });
    expect(benSale).toMatchObject({ shiftId: benShift, userId: BEN.id });

    // Float + cash sales: Ana 50.00 + 12.00, Ben 20.00 + 2 × 12.00.
    expect(shiftReport(till.books, anaShift)).toMatchObject({ sales: 1, expectedCash: 6_200 });
    expect(shiftReport(till.books, benShift)).toMatchObject({ sales: 2, expectedCash: 4_400 });
    expect([anaOpened?.userId, benOpened?.userId]).toEqual([ANA.id, BEN.id]);

    const [anaClosed] = actAs(till, ANA, closeShift, { countedCash: 6_200 });
    expect(anaClosed).toMatchObject({ kind: 'shift-closed', shiftId: anaShift, countedCash: 6_200, expectedCash: 6_200 });
    expect(openShiftOf(till.books, 'dev-a', ANA.id)).toBeUndefined();
    expect(openShiftOf(till.books, 'dev-a', BEN.id)?.shiftId).toBe(benShift);
    expect(errorsOf(runAs(till, ANA, moveCash, { direction: 'in', amount: 100, reason: 'Change' }))).toEqual([{ message: 'You have no shift open on this device: open one first.' }]);
  });

  it('without staff a device keeps its one shift whoever the cashier name is', () => {
    const till = new Till('dev-a');
    const [opened] = till.act(openShift, { float: 0 });
    expect(openShiftOf(till.books, 'dev-a', 'someone')?.shiftId).toBe((opened as EventOf<'shift-opened'>).shiftId);
  });
});

describe('closing a shift records what the drawer should hold', () => {
  it('a close that matches needs no one; one with a difference needs a supervisor’s approval', () => {
    const till = staffedTill();
    till.stock(product('p1', { price: 1200 }), 10);
    actAs(till, ANA, openShift, { float: 5_000 });
    actAs(till, ANA, completeSale, cashSale(till, 1200));
    // 50.00 float + 12.00 cash sale = 62.00 expected; 61.50 counted is 0.50 short.
    const [short] = bodiesOf(runAs(till, ANA, closeShift, { countedCash: 6_150 }));
    expect(short).toMatchObject({ kind: 'shift-closed', countedCash: 6_150, expectedCash: 6_200 });
    const unapproved = { ...till.device.event(short!), userId: ANA.id } as LedgerEvent;
    expect(privilegesNeeded(unapproved, SETTINGS)).toEqual(['close-shift-with-difference']);
    expect(staffRefusal(unapproved, till.books.staff(), SETTINGS)).toMatch(/Closing a shift whose cash does not match needs a supervisor’s approval/);
    expect(staffRefusal({ ...unapproved, approvedBy: SUE.id }, till.books.staff(), SETTINGS)).toBeUndefined();
    const [exact] = bodiesOf(runAs(till, ANA, closeShift, { countedCash: 6_200 }));
    expect(privilegesNeeded({ ...till.device.event(exact!), userId: ANA.id } as LedgerEvent, SETTINGS)).toEqual([]);
  });
});

describe('a refund without a receipt, with staff', () => {
  const input = (productId: string) => ({ receipt: 'without' as const, managerApproved: false, lines: [{ productId, qty: 1, refund: 500, disposition: 'restock' as const }], refundTo: 'cash' as const });

  it('is not the ticked box’s any more: the command makes it and a supervisor approves it when recorded', () => {
    const till = staffedTill();
    const tea = till.stock(product('p1'), 1);
    const [body] = bodiesOf(runAs(till, ANA, recordReturn, input(tea.id)));
    expect(body).toMatchObject({ kind: 'return', lines: [{ productId: tea.id, qty: 1, refund: 500 }] });
    expect(body).not.toHaveProperty('saleId');
    const event = { ...till.device.event(body!), userId: ANA.id } as LedgerEvent;
    expect(privilegesNeeded(event, SETTINGS)).toEqual(['refund-without-receipt']);
    expect(staffRefusal(event, till.books.staff(), SETTINGS)).toMatch(/needs a supervisor’s approval/);
    expect(staffRefusal({ ...event, approvedBy: SUE.id }, till.books.staff(), SETTINGS)).toBeUndefined();
  });

  it('without staff still needs the box ticked on the owner’s device', () => {
    const till = new Till('dev-a');
    const tea = till.stock(product('p1'), 1);
    expect(errorsOf(till.run(recordReturn, input(tea.id)))[0]).toMatchObject({ field: 'managerApproved' });
    expect(errorsOf(till.run(recordReturn, { ...input(tea.id), managerApproved: true }))[0]?.message).toMatch(/Only the owner’s device can approve/);
  });
});
