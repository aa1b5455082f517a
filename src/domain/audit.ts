/**
 * The owner's audit trail (issue 17, item 5): who voided, refunded, discounted, changed a price,
 * moved cash, closed a drawer that did not match, approved something above another member's role,
 * or typed a wrong PIN, by member and period.
 *
 * It is read from the ledger alone, in ledger order, so every device and the server list the same
 * trail whatever order the events arrived in. A period is business dates: an event's day is its
 * `recordedAt` in the store's time zone, as in the exports. Entries of one event come in a fixed
 * order: what the event did (a sale's discount, then its price overrides line by line), then, when
 * someone approved it, the approval.
 *
 * Whose entry it is: the acting member (`userId`); an approval is the approver's own entry (it is what
 * they did), naming whom they approved for; a wrong PIN is the entry of the member whose PIN it was.
 * Names are the members' names now (`actorName`): events from before staff members existed show their
 * `userId` text (the device's cashier name) as it is. The role is the member's role when they acted.
 */
import type { Books } from './books/index.ts';
import { StoreClock } from './calendar.ts';
import { QTY_PER_PRICE_UNIT, type EventOf, type LedgerEvent, type Minor, type StaffRole } from './events.ts';
import { businessDateOf, type BusinessDate } from './exports/dates.ts';
import { catalogOf } from './exports/catalog.ts';
import { formatMinorUnits } from './exports/csv.ts';
import { roundHalfAwayFromZero } from './money.ts';
import { refundTotal } from './refunds.ts';
import { closingDifference } from './shifts.ts';
import { actorName, PRIVILEGE_WORDS, privilegesNeeded, type Privilege, type StaffRoster } from './staff.ts';

export const AUDIT_KINDS = ['void', 'refund', 'refund-without-receipt', 'discount', 'price-override', 'cash-move', 'drawer-difference', 'approval', 'pin-rejected'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Each kind in words, for the screen and the CSV. */
export const AUDIT_KIND_WORDS: Readonly<Record<AuditKind, string>> = {
  void: 'Void',
  refund: 'Refund',
  'refund-without-receipt': 'Refund without receipt',
  discount: 'Discount',
  'price-override': 'Price override',
  'cash-move': 'Cash in or out',
  'drawer-difference': 'Drawer difference',
  approval: 'Approval',
  'pin-rejected': 'Wrong PIN',
};

export interface AuditEntry {
  eventId: string;
  /** The event's `recordedAt`. */
  at: string;
  businessDate: BusinessDate;
  /** `HH:MM:SS` on the store's wall clock. */
  time: string;
  kind: AuditKind;
  memberId: string;
  memberName: string;
  /** The member's role when they acted; absent for a `userId` that is no staff member. */
  memberRole?: StaffRole;
  approvedBy?: string;
  approverName?: string;
  /**
   * Minor units. Void: the sale's gross; refund: the lines' refunds incl. tax; discount: the sale's
   * discount; price override: (price charged − list price) × quantity, negative when sold cheaper;
   * cash move: + in, − out; drawer difference: counted − expected (+ over, − short); approval: the
   * amount of the first thing approved; wrong PIN: 0.
   */
  amount: Minor;
  receiptNo?: string;
  /** What happened, in words: the reason, the product, "expected 120.00, counted 115.00". */
  detail: string;
  deviceId: string;
  locationId: string;
}

export interface AuditQuery {
  /** Business dates, both included. */
  from: BusinessDate;
  to: BusinessDate;
  /** Only this member's entries (an approval is the approver's). */
  memberId?: string;
}

/** The period's entries in ledger order. */
export function auditTrail(books: Books, query: AuditQuery): AuditEntry[] {
  const settings = books.storeSettings();
  const roster = books.staff();
  const clock = new StoreClock(settings.timeZone);
  let catalog: Map<string, string> | undefined;
  const reader: EventReader = {
    books,
    roster,
    money: (amount) => formatMinorUnits(amount, settings.currency),
    // Only a refund without its sale needs the catalog's names: built once, when first needed.
    productName: (id) => (catalog ??= new Map(catalogOf(books.events()).map((p) => [p.id, p.name]))).get(id) ?? id,
  };
  const entries: AuditEntry[] = [];
  for (const event of books.events()) {
    const businessDate = businessDateOf(event.recordedAt, settings.timeZone);
    if (businessDate < query.from || businessDate > query.to) continue;
    const own = entriesOf(event, reader);
    const approval = event.approvedBy === undefined ? [] : [approvalOf(event, event.approvedBy, own[0], reader, privilegesNeeded(event, settings))];
    if (own.length === 0 && approval.length === 0) continue;
    const ms = Date.parse(event.recordedAt);
    const time = timeOfDay(ms + clock.offsetAt(ms));
    for (const part of [...own, ...approval]) {
      const memberId = part.memberId ?? event.userId;
      if (query.memberId !== undefined && memberId !== query.memberId) continue;
      const role = roster.memberAt(memberId, event)?.role ?? roster.member(memberId)?.role;
      entries.push({
        eventId: event.id,
        at: event.recordedAt,
        businessDate,
        time,
        kind: part.kind,
        memberId,
        memberName: actorName(roster, memberId),
        ...(role === undefined ? {} : { memberRole: role }),
        ...(event.approvedBy === undefined ? {} : { approvedBy: event.approvedBy, approverName: actorName(roster, event.approvedBy) }),
        amount: part.amount,
        ...(part.receiptNo === undefined ? {} : { receiptNo: part.receiptNo }),
        detail: part.detail,
        deviceId: event.deviceId,
        locationId: event.locationId,
      });
    }
  }
  return entries;
}

/** One member's entries of a trail added up per kind. */
export interface MemberAuditSummary {
  memberId: string;
  memberName: string;
  entries: number;
  counts: Record<AuditKind, number>;
  amounts: Record<AuditKind, Minor>;
}

/** Per member, by name: how many entries of each kind and their amounts added up. */
export function auditSummary(entries: readonly AuditEntry[]): MemberAuditSummary[] {
  const byMember = new Map<string, MemberAuditSummary>();
  for (const entry of entries) {
    let summary = byMember.get(entry.memberId);
    if (!summary) {
      summary = { memberId: entry.memberId, memberName: entry.memberName, entries: 0, counts: perKind(), amounts: perKind() };
      byMember.set(entry.memberId, summary);
    }
    summary.entries += 1;
    summary.counts[entry.kind] += 1;
    summary.amounts[entry.kind] += entry.amount;
  }
  return [...byMember.values()].sort((a, b) => a.memberName.localeCompare(b.memberName) || (a.memberId < b.memberId ? -1 : 1));
}

function perKind(): Record<AuditKind, number> {
  return Object.fromEntries(AUDIT_KINDS.map((kind) => [kind, 0])) as Record<AuditKind, number>;
}

interface EventReader {
  books: Books;
  roster: StaffRoster;
  money: (amount: Minor) => string;
  productName: (productId: string) => string;
}

/** An entry before the envelope's fields are added; `memberId` when it is not the event's `userId`. */
interface EntryPart {
  kind: AuditKind;
  amount: Minor;
  detail: string;
  receiptNo?: string;
  memberId?: string;
}

function entriesOf(event: LedgerEvent, reader: EventReader): EntryPart[] {
  switch (event.kind) {
    case 'sale':
      return saleEntries(event, reader);
    case 'sale-voided':
      return [voidEntry(event, reader)];
    case 'return':
      return [returnEntry(event, reader)];
    case 'cash-moved':
      return [{ kind: 'cash-move', amount: event.amount, detail: `${event.amount >= 0 ? 'Cash in' : 'Cash out'} ${reader.money(Math.abs(event.amount))}: ${event.reason}` }];
    case 'shift-closed':
      return drawerEntries(event, reader);
    case 'pin-rejected': {
      const where = event.purpose === 'sign-in' ? 'Wrong PIN at sign-in' : 'Wrong PIN for an approval';
      const signedIn = event.userId === event.memberId ? '' : ` (while ${actorName(reader.roster, event.userId)} was signed in)`;
      return [{ kind: 'pin-rejected', amount: 0, detail: `${where}${signedIn}`, memberId: event.memberId }];
    }
    default:
      return [];
  }
}

function saleEntries(sale: EventOf<'sale'>, reader: EventReader): EntryPart[] {
  const parts: EntryPart[] = [];
  const { discount, gross } = sale.totals;
  if (discount > 0) {
    const before = gross + discount;
    const percent = before > 0 ? ` (${roundHalfAwayFromZero((discount * 1000) / before) / 10} %)` : '';
    parts.push({ kind: 'discount', amount: discount, detail: `${reader.money(discount)} off ${reader.money(before)}${percent}`, receiptNo: sale.receiptNo });
  }
  for (const line of sale.lines) {
    if (line.listPrice === undefined || line.listPrice === line.unitPrice) continue;
    const amount = roundHalfAwayFromZero(((line.unitPrice - line.listPrice) * line.qty) / QTY_PER_PRICE_UNIT[line.unit]);
    const per = line.unit === 'each' ? '' : ` per ${line.unit}`;
    const qty = line.unit === 'each' ? `${line.qty} ×` : `${line.qty / QTY_PER_PRICE_UNIT[line.unit]} ${line.unit}`;
    parts.push({
      kind: 'price-override',
      amount,
      detail: `${qty} ${line.name} at ${reader.money(line.unitPrice)}${per} instead of ${reader.money(line.listPrice)}`,
      receiptNo: sale.receiptNo,
    });
  }
  return parts;
}

function voidEntry(voided: EventOf<'sale-voided'>, reader: EventReader): EntryPart {
  const sale = reader.books.getEvent(voided.saleId);
  if (sale?.kind !== 'sale') return { kind: 'void', amount: 0, detail: `${voided.reason} (the sale has not reached this device yet)` };
  if (!reader.books.isEffectiveVoid(voided)) return { kind: 'void', amount: 0, detail: `${voided.reason} (the sale was already voided)`, receiptNo: sale.receiptNo };
  return { kind: 'void', amount: sale.totals.gross, detail: voided.reason, receiptNo: sale.receiptNo };
}

function returnEntry(returned: EventOf<'return'>, reader: EventReader): EntryPart {
  const sale = returned.saleId === undefined ? undefined : reader.books.getEvent(returned.saleId);
  const names = new Map(sale?.kind === 'sale' ? sale.lines.map((line) => [line.productId, line.name]) : []);
  const what = returned.lines.map((line) => `${names.get(line.productId) ?? reader.productName(line.productId)} × ${line.qty}${line.disposition === 'write-off' ? ' (written off)' : ''}`).join(', ');
  return {
    kind: returned.saleId === undefined ? 'refund-without-receipt' : 'refund',
    amount: refundTotal(returned.lines),
    detail: `${what}; by ${returned.refundMethod}`,
    ...(sale?.kind === 'sale' ? { receiptNo: sale.receiptNo } : {}),
  };
}

function drawerEntries(close: EventOf<'shift-closed'>, reader: EventReader): EntryPart[] {
  // The till's own figure when it recorded one (issue 17), else the shift report's.
  const difference = close.expectedCash === undefined ? closingDifference(reader.books, close) : close.countedCash - close.expectedCash;
  if (difference === undefined || difference === 0) return [];
  const expected = close.countedCash - difference;
  const overShort = difference > 0 ? `over ${reader.money(difference)}` : `short ${reader.money(-difference)}`;
  return [{ kind: 'drawer-difference', amount: difference, detail: `Expected ${reader.money(expected)}, counted ${reader.money(close.countedCash)}: ${overShort}` }];
}

/** The approver's entry: what they approved (the privileges the event needed) and for whom. */
function approvalOf(event: LedgerEvent, approver: string, first: EntryPart | undefined, reader: EventReader, needed: readonly Privilege[]): EntryPart {
  const words = needed.length > 0 ? needed.map((p) => PRIVILEGE_WORDS[p]).join(' and ') : `a ${event.kind} event`;
  const receiptNo = first?.receiptNo ?? (event.kind === 'sale' ? event.receiptNo : undefined);
  return { kind: 'approval', amount: first?.amount ?? 0, detail: `Approved ${words} for ${actorName(reader.roster, event.userId)}`, memberId: approver, ...(receiptNo === undefined ? {} : { receiptNo }) };
}

/** `HH:MM:SS` of a wall-clock instant given as ms since the epoch on that wall clock. */
function timeOfDay(localMs: number): string {
  const seconds = Math.floor((((localMs % 86_400_000) + 86_400_000) % 86_400_000) / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}
