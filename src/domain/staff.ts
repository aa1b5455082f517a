/**
 * Staff members and what their roles may do (issue 17): the one permission table, read by the till
 * (which asks a supervisor's PIN on the spot) and by the server (which refuses an event whose member
 * lacks the privilege and has no approver).
 *
 * Members are a projection of the owner's `staff-member-defined` events: per member id the
 * definition latest in ledger order wins. Whether an event was allowed is judged by the members as
 * they were defined at that event's place in ledger order (`memberAt`), so the answer is the same on
 * every device and the server, whatever order the events arrived in, and a member promoted or
 * deactivated later does not turn their earlier events wrong.
 *
 * A store with no staff members works as before issue 17: no sign-in, no approvals, `userId` the
 * device's cashier name. Events stamped before the store's first member was defined (`staffSince`)
 * are never refused for want of a privilege: they were recorded under the old rules.
 */
import type { EventOf, LedgerEvent, Minor, StaffMemberSnapshot, StaffRole, StoreSettings } from './events.ts';
import { compareEvents, compareStrings } from './order.ts';

export type { StaffMemberSnapshot, StaffRole } from './events.ts';

/** The least PBKDF2 iteration count a stored PIN hash may use. */
export const MIN_PIN_ITERATIONS = 100_000;
/** A PIN is 4 to 6 digits. */
export const PIN_PATTERN = /^\d{4,6}$/;

/** An action above a cashier's role. */
export const PRIVILEGES = [
  'void-sale',
  'refund-without-receipt',
  'discount-above-limit',
  'price-override',
  'move-cash',
  'close-shift-with-difference',
  'approve-count',
  'create-purchase-order',
] as const;
export type Privilege = (typeof PRIVILEGES)[number];

/** The permission table: which role may do what without anyone's approval. */
export const ROLE_PRIVILEGES: Readonly<Record<StaffRole, readonly Privilege[]>> = {
  cashier: [],
  supervisor: ['void-sale', 'refund-without-receipt', 'discount-above-limit', 'price-override', 'move-cash', 'close-shift-with-difference'],
  manager: PRIVILEGES,
};

/** Each privilege in words, finishing "… needs a supervisor's approval" and the audit trail's lines. */
export const PRIVILEGE_WORDS: Readonly<Record<Privilege, string>> = {
  'void-sale': 'voiding a sale',
  'refund-without-receipt': 'a refund without a receipt',
  'discount-above-limit': 'a discount above the store’s limit',
  'price-override': 'changing a price at the till',
  'move-cash': 'moving cash in or out of the drawer',
  'close-shift-with-difference': 'closing a shift whose cash does not match',
  'approve-count': 'approving a stock count',
  'create-purchase-order': 'creating a purchase order',
};

/** The roles in words, for lists and messages. */
export const ROLE_WORDS: Readonly<Record<StaffRole, string>> = { cashier: 'Cashier', supervisor: 'Supervisor', manager: 'Manager' };

export function roleAllows(role: StaffRole, privilege: Privilege): boolean {
  return ROLE_PRIVILEGES[role].includes(privilege);
}

/** The least role that may do `privilege` unaided ('supervisor' or 'manager'). */
export function leastRoleFor(privilege: Privilege): StaffRole {
  return roleAllows('supervisor', privilege) ? 'supervisor' : 'manager';
}

/**
 * The privileges an event needs, from the event alone and the store's settings (so the server
 * decides the same as the till). Empty for everything a cashier may do.
 */
export function privilegesNeeded(event: LedgerEvent, settings: Pick<StoreSettings, 'discountApprovalPercent'>): Privilege[] {
  switch (event.kind) {
    case 'sale': {
      const needed: Privilege[] = [];
      if (discountAboveLimit(event, settings.discountApprovalPercent)) needed.push('discount-above-limit');
      if (event.lines.some((line) => line.listPrice !== undefined && line.listPrice !== line.unitPrice)) needed.push('price-override');
      return needed;
    }
    case 'sale-voided':
      return ['void-sale'];
    case 'return':
      return event.saleId === undefined ? ['refund-without-receipt'] : [];
    case 'cash-moved':
      return ['move-cash'];
    case 'shift-closed':
      return event.expectedCash !== undefined && event.expectedCash !== event.countedCash ? ['close-shift-with-difference'] : [];
    case 'count-session-approved':
      return ['approve-count'];
    case 'purchase-order-created':
      return ['create-purchase-order'];
    default:
      return [];
  }
}

/**
 * Whether a sale's discounts come to more than `limitPercent` of its price before discounts. Compared
 * in whole numbers (discount × 100 > limit × before) so that exactly the limit is allowed.
 *
 * A discount is taken off the lines' amounts as priced (cart.ts `priceCart`): tax-inclusive prices
 * when the sale's prices include tax, net prices otherwise. So the price before discounts is the
 * gross, or the net, plus the discount: adding a net discount to a gross total would understate it
 * (11 % off net prices read as 9.3 % at 20 % tax).
 */
export function discountAboveLimit(sale: EventOf<'sale'>, limitPercent: number): boolean {
  const discount: Minor = sale.totals.discount;
  if (discount <= 0 || limitPercent >= 100) return false;
  const before = (sale.pricesIncludeTax ? sale.totals.gross : sale.totals.net) + discount;
  return discount * 100 > limitPercent * before;
}

/** The store's staff: every member's definitions in ledger order. */
export class StaffRoster {
  private readonly definitions = new Map<string, EventOf<'staff-member-defined'>[]>();
  private first: EventOf<'staff-member-defined'> | undefined;

  static fromEvents(events: Iterable<LedgerEvent>): StaffRoster {
    const roster = new StaffRoster();
    for (const event of events) roster.apply(event);
    return roster;
  }

  /**
   * A new roster of this one's definitions and those among `events`; this one is left as it is (the
   * server judges a pushed batch with its own definitions before anything of it is stored).
   */
  with(events: Iterable<LedgerEvent>): StaffRoster {
    const roster = new StaffRoster();
    for (const list of this.definitions.values()) for (const definition of list) roster.apply(definition);
    for (const event of events) roster.apply(event);
    return roster;
  }

  /** Takes in a `staff-member-defined` (any other event is ignored), in any arrival order. */
  apply(event: LedgerEvent): void {
    if (event.kind !== 'staff-member-defined') return;
    const list = this.definitions.get(event.member.id) ?? [];
    if (list.some((known) => known.id === event.id)) return;
    let at = list.length;
    while (at > 0 && compareEvents(list[at - 1]!, event) > 0) at -= 1;
    list.splice(at, 0, event);
    this.definitions.set(event.member.id, list);
    if (!this.first || compareEvents(event, this.first) < 0) this.first = event;
  }

  /** Whether the store has any staff member defined (then tills ask who is acting). */
  get hasStaff(): boolean {
    return this.first !== undefined;
  }

  /** The HLC of the store's first member definition: staff rules apply to events after it. */
  get staffSince(): string | undefined {
    return this.first?.hlc;
  }

  /** A member as defined now (latest in ledger order), or undefined. */
  member(id: string): StaffMemberSnapshot | undefined {
    const list = this.definitions.get(id);
    return list?.[list.length - 1]?.member;
  }

  /** A member as defined at `event`'s place in ledger order (the latest definition before it). */
  memberAt(id: string, event: LedgerEvent): StaffMemberSnapshot | undefined {
    const list = this.definitions.get(id);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i -= 1) {
      if (compareEvents(list[i]!, event) < 0) return list[i]!.member;
    }
    return undefined;
  }

  /** Every member as defined now, by name (then id: two of one name list the same on every device). */
  members(): StaffMemberSnapshot[] {
    return [...this.definitions.keys()].map((id) => this.member(id)!).sort((a, b) => a.name.localeCompare(b.name) || compareStrings(a.id, b.id));
  }

  /** Those who may sign in. */
  activeMembers(): StaffMemberSnapshot[] {
    return this.members().filter((m) => m.active);
  }
}

/** Who acted, for people: the member's name, or the `userId` text itself (events before staff, a cashier name). */
export function actorName(roster: StaffRoster, userId: string): string {
  return roster.member(userId)?.name ?? userId;
}

/**
 * Why `event` may not be recorded under the staff rules, in words; undefined when it may. It needs
 * nothing above a cashier, or the store had no staff at its place in ledger order, or its member's
 * role allows it, or it names an approver (`approvedBy`, not the member themself) who was active and
 * whose role allows every privilege it needs.
 */
export function staffRefusal(event: LedgerEvent, roster: StaffRoster, settings: Pick<StoreSettings, 'discountApprovalPercent'>): string | undefined {
  const needed = privilegesNeeded(event, settings);
  if (needed.length === 0) return undefined;
  const since = roster.staffSince;
  if (since === undefined || event.hlc <= since) return undefined;
  const actor = roster.memberAt(event.userId, event);
  const missing = needed.filter((p) => !(actor?.active && roleAllows(actor.role, p)));
  if (missing.length === 0) return undefined;
  const who = actor ? `${actor.name} (${ROLE_WORDS[actor.role].toLowerCase()})` : `“${event.userId}”, who is not one of the store’s staff,`;
  const what = capitalized(wordsFor(missing));
  if (event.approvedBy === undefined) return `${what} needs a ${leastRoleForAll(missing)}’s approval, and ${who} recorded it without one.`;
  const approver = event.approvedBy === event.userId ? undefined : roster.memberAt(event.approvedBy, event);
  if (!approver) return `${what}: the approver ${event.approvedBy} is not another of the store’s staff members.`;
  if (!approver.active) return `${what}: the approver ${approver.name} was not an active staff member.`;
  const notAllowed = missing.filter((p) => !roleAllows(approver.role, p));
  if (notAllowed.length > 0) return `${capitalized(wordsFor(notAllowed))} needs a ${leastRoleForAll(notAllowed)}’s approval; ${approver.name} is a ${ROLE_WORDS[approver.role].toLowerCase()}.`;
  return undefined;
}

function wordsFor(privileges: readonly Privilege[]): string {
  return privileges.map((p) => PRIVILEGE_WORDS[p]).join(' and ');
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The least role that may do all of `privileges` unaided. */
function leastRoleForAll(privileges: readonly Privilege[]): StaffRole {
  return privileges.every((p) => leastRoleFor(p) === 'supervisor') ? 'supervisor' : 'manager';
}

/** Wrong PINs a member may enter in a row before the till refuses them for `PIN_LOCKOUT_MS`. */
export const PIN_ATTEMPTS = 5;
export const PIN_LOCKOUT_MS = 60_000;

/** One member's wrong PINs on this device, since their last right one. */
export interface PinAttempts {
  failures: number;
  /** When the last wrong PIN was entered, ms since the epoch. */
  lastFailureAt: number;
}

/** Until when (ms) the member is refused, or undefined when they may try. */
export function pinLockedUntil(attempts: PinAttempts | undefined, now: number): number | undefined {
  if (!attempts || attempts.failures < PIN_ATTEMPTS) return undefined;
  const until = attempts.lastFailureAt + PIN_LOCKOUT_MS;
  return now < until ? until : undefined;
}

/** The attempts after a wrong PIN at `now`: a lockout that has run out starts the count again. */
export function afterWrongPin(attempts: PinAttempts | undefined, now: number): PinAttempts {
  const expired = attempts !== undefined && attempts.failures >= PIN_ATTEMPTS && pinLockedUntil(attempts, now) === undefined;
  const failures = !attempts || expired ? 1 : attempts.failures + 1;
  return { failures, lastFailureAt: now };
}
