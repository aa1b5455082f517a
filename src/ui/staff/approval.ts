/**
 * Whether an event the signed-in member is about to record needs a supervisor's approval on the
 * spot (issue 17), and what the approver is told. The rule is the domain's (`privilegesNeeded`,
 * `roleAllows`: the table the server also judges by); this only adds the words. Loaded with the
 * first record, not with the first screen.
 */
import type { Books } from '../../domain/books/index.ts';
import { EVENT_SCHEMA_VERSION, type EventBody, type LedgerEvent, type StaffMemberSnapshot } from '../../domain/events.ts';
import { formatMoney } from '../../domain/money.ts';
import { leastRoleFor, PRIVILEGE_WORDS, privilegesNeeded, roleAllows, type Privilege } from '../../domain/staff.ts';

export interface ApprovalAsk {
  /** What the event needs that the member's role does not allow. */
  privileges: Privilege[];
  /** What is being done, for the approver to read. */
  summary: string;
  /** Why nothing was recorded when nobody approved, and what to do. */
  refusal: string;
}

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The approval `body` needs when `actor` records it, or undefined when none: a store without staff,
 * nobody signed in, or a role that allows it all. The member's role is the books' (an owner's
 * change since they signed in counts), as the server will judge it.
 */
export function approvalNeeded(body: EventBody, books: Books, actor: StaffMemberSnapshot | null, envelope: Pick<LedgerEvent, 'currency'>): ApprovalAsk | undefined {
  const staff = books.staff();
  if (!actor || !staff.hasStaff) return undefined;
  const member = staff.member(actor.id) ?? actor;
  // privilegesNeeded reads only the body; the envelope is there to make it an event.
  const event = { ...body, id: '', schema: EVENT_SCHEMA_VERSION, storeId: '', locationId: '', deviceId: '', seq: 0, hlc: '', recordedAt: '', userId: actor.id, currency: envelope.currency } as LedgerEvent;
  const missing = privilegesNeeded(event, books.storeSettings()).filter((p) => !(member.active && roleAllows(member.role, p)));
  if (missing.length === 0) return undefined;
  const what = missing.map((p) => PRIVILEGE_WORDS[p]).join(' and ');
  return {
    privileges: missing,
    summary: summaryOf(body, books, envelope.currency),
    refusal: `${sentence(what)} needs a ${leastRoleFor(missing[0]!)}’s approval: ask one to enter their PIN.`,
  };
}

/** The action in words, with the figures an approver checks before entering their PIN. */
export function summaryOf(body: EventBody, books: Books, currency: string): string {
  const money = (amount: number) => formatMoney(amount, currency);
  switch (body.kind) {
    case 'sale-voided': {
      const sale = books.getEvent(body.saleId);
      return sale?.kind === 'sale' ? `Void receipt ${sale.receiptNo} (${money(sale.totals.gross)})${body.reason ? `: ${body.reason}` : ''}` : 'Void a sale';
    }
    case 'sale': {
      const overrides = body.lines.filter((l) => l.listPrice !== undefined && l.listPrice !== l.unitPrice).map((l) => `${l.name} at ${money(l.unitPrice)} instead of ${money(l.listPrice!)}`);
      const discount = body.totals.discount > 0 ? [`discounts of ${money(body.totals.discount)}`] : [];
      return `Sale of ${money(body.totals.gross)}: ${[...overrides, ...discount].join('; ')}`;
    }
    case 'return':
      return `Refund of ${money(body.lines.reduce((sum, l) => sum + l.refund, 0))} without a receipt`;
    case 'cash-moved':
      return `${body.amount > 0 ? 'Put' : 'Take'} ${money(Math.abs(body.amount))} ${body.amount > 0 ? 'into' : 'out of'} the drawer: ${body.reason}`;
    case 'shift-closed':
      return `Close the shift with ${money(body.countedCash)} counted${body.expectedCash === undefined ? '' : ` where ${money(body.expectedCash)} was expected`}`;
    default:
      return sentence(body.kind.replace(/-/g, ' '));
  }
}
