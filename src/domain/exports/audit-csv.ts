/**
 * The owner's audit trail as CSV (issue 17, item 5): one row per entry of `auditTrail`, in ledger
 * order, dates and times on the store's wall clock, amounts signed as the trail gives them.
 */
import { AUDIT_KIND_WORDS, auditTrail } from '../audit.ts';
import type { Books } from '../books/index.ts';
import { ROLE_WORDS } from '../staff.ts';
import { formatMinorUnits, toCsv, type CsvFile } from './csv.ts';
import type { ExportRange } from './journal-csv.ts';

export const AUDIT_HEADER = ['Date', 'Time', 'Member', 'Role', 'Kind', 'Amount', 'Receipt', 'Approved By', 'Detail', 'Device', 'Location'] as const;

/** The range's trail, of one member when `memberId` is given (a member id, or an old event's cashier name). */
export function auditCsv(books: Books, range: ExportRange, memberId?: string): CsvFile {
  const locations = new Map(books.locations().map((l) => [l.id, l.name]));
  const entries = auditTrail(books, { from: range.from, to: range.to, ...(memberId === undefined ? {} : { memberId }) });
  const rows = entries.map((e) => [
    e.businessDate,
    e.time,
    e.memberName,
    e.memberRole === undefined ? '' : ROLE_WORDS[e.memberRole],
    AUDIT_KIND_WORDS[e.kind],
    formatMinorUnits(e.amount, range.currency),
    e.receiptNo ?? '',
    e.approverName ?? '',
    e.detail,
    e.deviceId,
    locations.get(e.locationId) ?? e.locationId,
  ]);
  return { filename: `audit-${range.from}-to-${range.to}.csv`, text: toCsv(AUDIT_HEADER, rows), rows: rows.length };
}
