/**
 * Staff (issue 17): the owner defines the members who sign in on the store's tills, and a till
 * records each wrong PIN for the owner's audit trail. The PIN arrives already hashed (the screen
 * hashes it with PBKDF2 in the browser, src/ui/staff/pin-hash.ts): a command never sees the digits.
 */
import { MAX_STAFF_NAME, STAFF_ROLES, type PinHash, type StaffRole } from '../../domain/events.ts';
import { MIN_PIN_ITERATIONS } from '../../domain/staff.ts';
import { accept, BOOKS_LOADING, defineCommand, refuse } from './command.ts';

export interface DefineStaffMemberInput {
  /** The member to change; absent: a new member (a new id is made). */
  memberId?: string;
  name: string;
  role: StaffRole;
  /** The PIN's hash; absent when changing a member whose PIN stays as it is. */
  pin?: PinHash;
  active: boolean;
}

export const defineStaffMember = defineCommand<DefineStaffMemberInput>({
  name: 'define-staff-member',
  records: ['staff-member-defined'],
  permission: 'owner',
  action: 'add or change staff members',
  check(input, { books, newId }) {
    if (!books) return refuse(BOOKS_LOADING);
    const roster = books.staff();
    const name = input.name.trim();
    if (name === '') return refuse({ field: 'name', message: 'Give the staff member a name, as it should show on receipts and reports.' });
    if (name.length > MAX_STAFF_NAME) return refuse({ field: 'name', message: `A name is at most ${MAX_STAFF_NAME} characters: shorten it.` });
    if (!STAFF_ROLES.includes(input.role)) return refuse({ field: 'role', message: `Choose a role: ${STAFF_ROLES.join(', ')}.` });
    const existing = input.memberId === undefined ? undefined : roster.member(input.memberId);
    if (input.memberId !== undefined && !existing) return refuse({ field: 'memberId', message: 'This staff member is not on this device. Sync, then try again.' });
    const sameName = roster.members().find((m) => m.id !== input.memberId && m.name.toLocaleLowerCase() === name.toLocaleLowerCase());
    if (sameName) return refuse({ field: 'name', message: `There is already a staff member called “${sameName.name}”: give this one another name, so reports can tell them apart.` });
    const pin = input.pin ?? existing?.pin;
    if (!pin) return refuse({ field: 'pin', message: 'Give the new staff member a PIN of 4 to 6 digits.' });
    if (pin.iterations < MIN_PIN_ITERATIONS) return refuse({ field: 'pin', message: `This PIN was hashed too weakly (${pin.iterations} rounds, at least ${MIN_PIN_ITERATIONS}): set it again.` });
    // The owner's own device asks for a manager once the store has staff: keep one, or nobody could
    // change prices or staff again.
    const managersLeft = roster.members().filter((m) => m.active && m.role === 'manager' && m.id !== input.memberId).length;
    const staysManager = input.active && input.role === 'manager';
    if (!staysManager && managersLeft === 0) {
      return refuse({
        field: 'role',
        message: existing
          ? `${existing.name} is the store’s only active manager: make someone else a manager first, so someone can still change staff and prices.`
          : 'The first staff member must be an active manager (you, the owner): once the store has staff, every till asks who is acting, and only a manager can change staff and prices.',
      });
    }
    const id = existing?.id ?? newId();
    return accept({ kind: 'staff-member-defined', member: { id, name, role: input.role, pin, active: input.active } });
  },
});

export interface RecordPinRejectedInput {
  memberId: string;
  purpose: 'sign-in' | 'approval';
}

export const recordPinRejected = defineCommand<RecordPinRejectedInput>({
  name: 'record-pin-rejected',
  records: ['pin-rejected'],
  permission: 'anyone',
  check(input) {
    if (input.memberId === '') return refuse({ field: 'memberId', message: 'Choose whose PIN was entered.' });
    return accept({ kind: 'pin-rejected', memberId: input.memberId, purpose: input.purpose });
  },
});
