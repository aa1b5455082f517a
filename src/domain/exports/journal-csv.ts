/**
 * The journal for an accountant's ledger: Xero's manual-journal import, QuickBooks Online's journal
 * import, and a trial balance, for the business dates `from` to `to` (both included).
 *
 * - An entry's date is the business day of its event's `recordedAt` in the store's time zone.
 * - Within one entry, the lines of one account are netted (a sale's COGS and Inventory lines per
 *   product become one line each): an accounting ledger wants accounts, not products, and an entry
 *   then has at most one line per account (12), so it always fits whole in one Xero file.
 * - Xero reads at most 300 lines per file: a longer range makes several files, each entry whole in
 *   one. Xero groups lines into a journal by narration and date, so each narration names its event.
 * - Amounts: Xero one signed column (+ debit, − credit); QuickBooks Debits / Credits. Both from
 *   integer minor units, written once (csv.ts).
 * - Dates are dd/mm/yyyy, as Xero's template asks (and QuickBooks reads in a non-US company).
 * - Xero's `*TaxRate` must name a rate of the organisation; tax is already its own line (2200), so
 *   every line is "Tax Exempt" unless the caller names another (e.g. "No VAT", "BAS Excluded").
 */
import { ACCOUNTS, ACCOUNT_KEYS, type AccountKey } from '../accounts.ts';
import type { Books } from '../books/index.ts';
import { journalEntries } from '../journal.ts';
import { businessDateOf, dayMonthYear, type BusinessDate } from './dates.ts';
import { formatMinorUnits, toCsv, type CsvFile } from './csv.ts';

export interface ExportRange {
  from: BusinessDate;
  to: BusinessDate;
  timeZone: string;
  currency: string;
}

export const XERO_MAX_LINES = 300;
export const XERO_HEADER = ['*Narration', '*Date', 'Description', '*AccountCode', '*TaxRate', '*Amount'] as const;
export const QUICKBOOKS_HEADER = ['Journal No', 'Journal Date', 'Account Name', 'Description', 'Debits', 'Credits'] as const;
export const TRIAL_BALANCE_HEADER = ['Account Code', 'Account Name', 'Opening Balance', 'Debits', 'Credits', 'Closing Balance'] as const;

/** One account's net amount in an entry: debit minus credit, never 0. */
export interface NetLine {
  account: AccountKey;
  amount: number;
}

/** A journal entry with its business date, a narration naming its event, and its lines by account. */
export interface DatedEntry {
  eventId: string;
  date: BusinessDate;
  narration: string;
  lines: NetLine[];
}

const KIND_NAMES: Record<string, string> = {
  sale: 'Sale',
  'sale-voided': 'Void',
  return: 'Return',
  'goods-received': 'Goods received',
  'opening-balance': 'Opening stock',
  'stock-counted': 'Stock count',
  'count-session-approved': 'Stock count',
  'stock-adjusted': 'Stock adjustment',
  'transfer-out': 'Transfer out',
  'transfer-in': 'Transfer in',
  'shift-closed': 'Shift close',
};

/** Every journal entry in ledger order with its business date (all dates; filter with `inRange`). */
export function datedEntries(books: Books, timeZone: string): DatedEntry[] {
  return journalEntries(books).flatMap((entry) => {
    const event = books.getEvent(entry.eventId);
    if (!event) return [];
    const sums = new Map<AccountKey, number>();
    for (const line of entry.lines) sums.set(line.account, (sums.get(line.account) ?? 0) + line.debit - line.credit);
    const lines = ACCOUNT_KEYS.filter((key) => (sums.get(key) ?? 0) !== 0).map((account) => ({ account, amount: sums.get(account) ?? 0 }));
    if (lines.length === 0) return [];
    const reference = event.kind === 'sale' ? `${event.receiptNo} ` : '';
    return [{ eventId: event.id, date: businessDateOf(event.recordedAt, timeZone), narration: `${KIND_NAMES[event.kind] ?? event.kind} ${reference}(${event.id})`, lines }];
  });
}

export function inRange(entries: readonly DatedEntry[], range: { from: BusinessDate; to: BusinessDate }): DatedEntry[] {
  return entries.filter((e) => e.date >= range.from && e.date <= range.to);
}

const rangeName = (range: ExportRange): string => `${range.from}-to-${range.to}`;

/** Xero's manual-journal CSV: one file, or several of at most 300 lines with every entry whole. */
export function xeroJournalFiles(books: Books, range: ExportRange, taxRate = 'Tax Exempt'): CsvFile[] {
  const parts: DatedEntry[][] = [[]];
  let linesInPart = 0;
  for (const entry of inRange(datedEntries(books, range.timeZone), range)) {
    if (linesInPart + entry.lines.length > XERO_MAX_LINES) {
      parts.push([]);
      linesInPart = 0;
    }
    parts[parts.length - 1]?.push(entry);
    linesInPart += entry.lines.length;
  }
  return parts.map((entries, i) => {
    const rows = entries.flatMap((entry) =>
      entry.lines.map((line) => [entry.narration, dayMonthYear(entry.date), ACCOUNTS[line.account].name, ACCOUNTS[line.account].code, taxRate, formatMinorUnits(line.amount, range.currency)]),
    );
    const part = parts.length > 1 ? `-part-${i + 1}-of-${parts.length}` : '';
    return { filename: `journal-xero-${rangeName(range)}${part}.csv`, text: toCsv(XERO_HEADER, rows), rows: rows.length };
  });
}

/** QuickBooks Online's journal import: entries numbered in date order within the file. */
export function quickbooksJournalCsv(books: Books, range: ExportRange): CsvFile {
  const entries = inRange(datedEntries(books, range.timeZone), range);
  const rows = entries.flatMap((entry, i) =>
    entry.lines.map((line) => [
      String(i + 1),
      dayMonthYear(entry.date),
      ACCOUNTS[line.account].name,
      entry.narration,
      line.amount > 0 ? formatMinorUnits(line.amount, range.currency) : '',
      line.amount < 0 ? formatMinorUnits(-line.amount, range.currency) : '',
    ]),
  );
  return { filename: `journal-quickbooks-${rangeName(range)}.csv`, text: toCsv(QUICKBOOKS_HEADER, rows), rows: rows.length };
}

export interface TrialBalanceLine {
  account: AccountKey;
  /** Debit minus credit before `from`. */
  opening: number;
  debits: number;
  credits: number;
  /** Debit minus credit at the end of `to`. */
  closing: number;
}

/** Per account that moved by the end of the range: opening balance, the range's debits and credits, closing. */
export function trialBalanceLines(books: Books, range: ExportRange): TrialBalanceLine[] {
  const lines = new Map<AccountKey, TrialBalanceLine>();
  for (const entry of datedEntries(books, range.timeZone)) {
    if (entry.date > range.to) continue;
    for (const { account, amount } of entry.lines) {
      const line = lines.get(account) ?? { account, opening: 0, debits: 0, credits: 0, closing: 0 };
      if (entry.date < range.from) line.opening += amount;
      else if (amount > 0) line.debits += amount;
      else line.credits -= amount;
      line.closing += amount;
      lines.set(account, line);
    }
  }
  return ACCOUNT_KEYS.flatMap((key) => {
    const line = lines.get(key);
    return line ? [line] : [];
  });
}

/** The trial balance as CSV: balances signed (+ debit, − credit), the range's debits and credits positive. */
export function trialBalanceCsv(books: Books, range: ExportRange): CsvFile {
  const money = (amount: number) => formatMinorUnits(amount, range.currency);
  const lines = trialBalanceLines(books, range);
  // A range without entries gives headers only (the screen says so); otherwise every account with a
  // balance, so the closing balances add up to zero.
  const moved = lines.some((line) => line.debits !== 0 || line.credits !== 0);
  const rows = (moved ? lines : []).map((line) => [ACCOUNTS[line.account].code, ACCOUNTS[line.account].name, money(line.opening), money(line.debits), money(line.credits), money(line.closing)]);
  return { filename: `trial-balance-${rangeName(range)}.csv`, text: toCsv(TRIAL_BALANCE_HEADER, rows), rows: rows.length };
}
