/**
 * The staff commands (issue 17): the owner's device defines the members who sign in (the first an
 * active manager, never leaving the store without one, names that tell members apart, the PIN
 * kept when not set again), and a till records a wrong PIN for the audit trail.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defineStaffMember, recordPinRejected } from '../../src/app/commands/index.ts';
import type { PinHash, StaffMemberSnapshot } from '../../src/domain/events.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { hashPin, verifyPin } from '../../src/ui/staff/pin-hash.ts';
import { bodiesOf, errorsOf, Till } from './support.ts';

let annPin: PinHash;
let calPin: PinHash;
beforeAll(async () => {
  // The fewest rounds a stored PIN may use, to keep the test quick; the app uses 200,000.
  [annPin, calPin] = await Promise.all([hashPin('2468', 100_000), hashPin('1357', 100_000)]);
});

const ownerTill = () => new Till('dev-owner', { role: 'owner' });

describe('defineStaffMember', () => {
  it('defines the first member, an active manager, with the PIN’s hash; the event passes the server’s validation', async () => {
    const till = ownerTill();
    const [event] = till.act(defineStaffMember, { name: '  Ann Byrne ', role: 'manager', pin: annPin, active: true });
    expect(event).toMatchObject({ kind: 'staff-member-defined', member: { name: 'Ann Byrne', role: 'manager', pin: annPin, active: true } });
    const ann = till.books.staff().members();
    expect(ann).toHaveLength(1);
    expect(await verifyPin(ann[0]!.pin, '2468')).toBe(true);
    expect(await verifyPin(ann[0]!.pin, '2469')).toBe(false);
    // The app makes UUIDv7 ids; with one, the event is exactly what the server accepts.
    expect(parseEvent({ ...event, member: { ...ann[0], id: '018f3a2b-4c5d-7e6f-8a9b-0c1d2e3f4a5b' } }).ok).toBe(true);
  });

  it('refuses a first member who is not an active manager', () => {
    const till = ownerTill();
    const message = 'The first staff member must be an active manager (you, the owner): once the store has staff, every till asks who is acting, and only a manager can change staff and prices.';
    expect(errorsOf(till.run(defineStaffMember, { name: 'Cal', role: 'cashier', pin: calPin, active: true }))).toEqual([{ field: 'role', message }]);
    expect(errorsOf(till.run(defineStaffMember, { name: 'Sue', role: 'supervisor', pin: calPin, active: true }))).toEqual([{ field: 'role', message }]);
    expect(errorsOf(till.run(defineStaffMember, { name: 'Ann', role: 'manager', pin: annPin, active: false }))).toEqual([{ field: 'role', message }]);
  });

  it('is the owner’s device’s alone', () => {
    const till = new Till('dev-till', { role: 'staff' });
    expect(errorsOf(till.run(defineStaffMember, { name: 'Ann', role: 'manager', pin: annPin, active: true }))).toEqual([
      { message: expect.stringMatching(/add or change staff members.*Ask the owner to do it on their device\.$/) },
    ]);
  });

  it('refuses a second member of the same name, whatever its case, and a name missing or too long', () => {
    const till = ownerTill();
    till.act(defineStaffMember, { name: 'Ann', role: 'manager', pin: annPin, active: true });
    expect(errorsOf(till.run(defineStaffMember, { name: 'ANN', role: 'cashier', pin: calPin, active: true }))).toEqual([
      { field: 'name', message: 'There is already a staff member called “Ann”: give this one another name, so reports can tell them apart.' },
    ]);
    expect(errorsOf(till.run(defineStaffMember, { name: '   ', role: 'cashier', pin: calPin, active: true }))).toEqual([
      { field: 'name', message: 'Give the staff member a name, as it should show on receipts and reports.' },
    ]);
    expect(errorsOf(till.run(defineStaffMember, { name: 'x'.repeat(61), role: 'cashier', pin: calPin, active: true }))).toEqual([
      { field: 'name', message: 'A name is at most 60 characters: shorten it.' },
    ]);
    // Renaming Ann to a new spelling of her own name is fine.
    const ann = till.books.staff().members()[0]!;
    expect(bodiesOf(till.run(defineStaffMember, { memberId: ann.id, name: 'ANN', role: 'manager', active: true }))).toEqual([
      { kind: 'staff-member-defined', member: { id: ann.id, name: 'ANN', role: 'manager', pin: annPin, active: true } },
    ]);
  });

  it('never demotes or deactivates the last active manager; once another is a manager, it may', () => {
    const till = ownerTill();
    till.act(defineStaffMember, { name: 'Ann', role: 'manager', pin: annPin, active: true });
    till.act(defineStaffMember, { name: 'Cal', role: 'cashier', pin: calPin, active: true });
    const [ann, cal] = till.books.staff().members() as [StaffMemberSnapshot, StaffMemberSnapshot];
    const onlyManager = [{ field: 'role', message: 'Ann is the store’s only active manager: make someone else a manager first, so someone can still change staff and prices.' }];
    expect(errorsOf(till.run(defineStaffMember, { memberId: ann.id, name: 'Ann', role: 'supervisor', active: true }))).toEqual(onlyManager);
    expect(errorsOf(till.run(defineStaffMember, { memberId: ann.id, name: 'Ann', role: 'manager', active: false }))).toEqual(onlyManager);
    till.act(defineStaffMember, { memberId: cal.id, name: 'Cal', role: 'manager', active: true });
    till.act(defineStaffMember, { memberId: ann.id, name: 'Ann', role: 'manager', active: false });
    expect(till.books.staff().activeMembers().map((m) => [m.name, m.role])).toEqual([['Cal', 'manager']]);
  });

  it('keeps the PIN when none is given, sets a new one when given, and asks for one for a new member', () => {
    const till = ownerTill();
    till.act(defineStaffMember, { name: 'Ann', role: 'manager', pin: annPin, active: true });
    const ann = till.books.staff().members()[0]!;
    till.act(defineStaffMember, { memberId: ann.id, name: 'Ann B.', role: 'manager', active: true });
    expect(till.books.staff().member(ann.id)).toEqual({ id: ann.id, name: 'Ann B.', role: 'manager', pin: annPin, active: true });
    till.act(defineStaffMember, { memberId: ann.id, name: 'Ann B.', role: 'manager', pin: calPin, active: true });
    expect(till.books.staff().member(ann.id)?.pin).toEqual(calPin);
    expect(errorsOf(till.run(defineStaffMember, { name: 'Cal', role: 'cashier', active: true }))).toEqual([{ field: 'pin', message: 'Give the new staff member a PIN of 4 to 6 digits.' }]);
    expect(errorsOf(till.run(defineStaffMember, { memberId: 'nobody', name: 'Cal', role: 'cashier', active: true }))).toEqual([
      { field: 'memberId', message: 'This staff member is not on this device. Sync, then try again.' },
    ]);
  });

  it('refuses a PIN hashed with fewer rounds than the least allowed', async () => {
    const weak = { ...(await hashPin('2468', 1000)) };
    expect(errorsOf(ownerTill().run(defineStaffMember, { name: 'Ann', role: 'manager', pin: weak, active: true }))).toEqual([
      { field: 'pin', message: 'This PIN was hashed too weakly (1000 rounds, at least 100000): set it again.' },
    ]);
  });

  it('waits for the books', () => {
    const till = ownerTill();
    till.booksLoaded = false;
    expect(errorsOf(till.run(defineStaffMember, { name: 'Ann', role: 'manager', pin: annPin, active: true }))).toEqual([
      { message: 'The books are still loading on this device; try again in a moment.' },
    ]);
  });
});

describe('recordPinRejected', () => {
  it('records a wrong PIN on any device, for sign-in or approval', () => {
    const till = new Till('dev-till', { role: 'staff' });
    expect(bodiesOf(till.run(recordPinRejected, { memberId: 'm-ann', purpose: 'sign-in' }))).toEqual([{ kind: 'pin-rejected', memberId: 'm-ann', purpose: 'sign-in' }]);
    const [event] = till.act(recordPinRejected, { memberId: 'm-ann', purpose: 'approval' });
    expect(event).toMatchObject({ kind: 'pin-rejected', memberId: 'm-ann', purpose: 'approval' });
    expect(errorsOf(till.run(recordPinRejected, { memberId: '', purpose: 'sign-in' }))).toEqual([{ field: 'memberId', message: 'Choose whose PIN was entered.' }]);
  });
});
