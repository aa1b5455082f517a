/**
 * The exports for the accountant and other tools (issue 15, item 4), by name: the device's Exports
 * screen and the server's `/api/v1/exports/<name>` both call `buildExport`, so a file is the same
 * wherever it is made.
 */
import type { Books } from '../books/index.ts';
import type { ProductSnapshot } from '../events.ts';
import { auditCsv } from './audit-csv.ts';
import { catalogCsv, catalogOf } from './catalog.ts';
import type { CsvFile } from './csv.ts';
import { asAtInstantOf, isBusinessDate, type BusinessDate } from './dates.ts';
import { quickbooksJournalCsv, trialBalanceCsv, xeroJournalFiles } from './journal-csv.ts';
import { salesByDayCsv, salesByProductCsv } from './sales-csv.ts';
import { stockValuationCsv } from './stock-csv.ts';

export const EXPORT_NAMES = ['journal-xero', 'journal-quickbooks', 'trial-balance', 'sales-by-product', 'sales-by-day', 'stock-valuation', 'catalog', 'audit'] as const;
export type ExportName = (typeof EXPORT_NAMES)[number];

export function isExportName(name: string): name is ExportName {
  return (EXPORT_NAMES as readonly string[]).includes(name);
}

export interface ExportRequest {
  /** Business dates, both included (the range exports). */
  from?: BusinessDate;
  to?: BusinessDate;
  /**
   * A date-time (stock valuation): with an offset, or a wall time in the store's time zone; as at the
   * end of the minute (or second, or day) it names (dates.ts `asAtInstantOf`).
   */
  at?: string;
  /** The catalog: carry the reorder levels at this location (its id). */
  location?: string;
  /** The audit trail: only this member's entries (a member id, or an old event's cashier name). */
  member?: string;
}

export type ExportResult = { ok: true; files: CsvFile[] } | { ok: false; error: string };

/** One export as one or more CSV files (Xero's journal splits at 300 lines), or why it cannot be made. */
export function buildExport(name: ExportName, books: Books, request: ExportRequest): ExportResult {
  const { currency, timeZone } = books.storeSettings();
  const products = catalogOf(books.events());
  const byId = new Map<string, ProductSnapshot>(products.map((p) => [p.id, p]));
  if (name === 'catalog') {
    if (request.location === undefined) return { ok: true, files: [catalogCsv(products, currency)] };
    const location = books.locations().find((l) => l.id === request.location);
    if (!location) return { ok: false, error: `No location has the id ${request.location}: give one of ${books.locations().map((l) => l.id).join(', ')}, or none for a catalog without reorder levels.` };
    return { ok: true, files: [catalogCsv(products, currency, { locationId: location.id, locationName: location.name, levels: books.reorderLevels() })] };
  }
  if (name === 'stock-valuation') {
    const at = request.at === undefined ? undefined : asAtInstantOf(request.at, timeZone);
    if (at === undefined) return { ok: false, error: 'Give the moment as a date and time, such as 2026-01-31T23:59 (in the store’s time zone) or 2026-01-31T23:59:00Z.' };
    return { ok: true, files: [stockValuationCsv(books, at, byId, currency, request.at ?? '')] };
  }
  const { from, to } = request;
  if (from === undefined || to === undefined || !isBusinessDate(from) || !isBusinessDate(to)) {
    return { ok: false, error: 'Give the range as two dates, from and to, such as from=2026-01-01 and to=2026-01-31.' };
  }
  if (to < from) return { ok: false, error: `The range ends (${to}) before it starts (${from}): swap the dates.` };
  const range = { from, to, timeZone, currency };
  switch (name) {
    case 'journal-xero':
      return { ok: true, files: xeroJournalFiles(books, range) };
    case 'journal-quickbooks':
      return { ok: true, files: [quickbooksJournalCsv(books, range)] };
    case 'trial-balance':
      return { ok: true, files: [trialBalanceCsv(books, range)] };
    case 'sales-by-product':
      return { ok: true, files: [salesByProductCsv(books, range, byId)] };
    case 'sales-by-day':
      return { ok: true, files: [salesByDayCsv(books, range)] };
    case 'audit':
      return { ok: true, files: [auditCsv(books, range, request.member)] };
  }
}

export { AUDIT_HEADER, auditCsv } from './audit-csv.ts';
export { catalogOf, catalogCsv, CATALOG_COLUMNS, CATALOG_REORDER_COLUMNS, type CatalogReorderLevels } from './catalog.ts';
export { parseCsv, formatMinorUnits, parseMinorUnits, toCsv, type CsvFile, type CsvRecord } from './csv.ts';
export { asAtInstantOf, businessDateOf, instantOf, isBusinessDate, type BusinessDate } from './dates.ts';
export { datedEntries, inRange, trialBalanceLines, XERO_MAX_LINES, type DatedEntry, type ExportRange } from './journal-csv.ts';
export { salesByDay, salesByProduct } from './sales-csv.ts';
