/**
 * Read endpoints (stock, valuation, journal) computed with the domain's `Books` projection.
 *
 * The server keeps one Books per store in memory and, on every read, first fetches what arrived
 * since its last look (from any process sharing the database) and applies it. A late event (an
 * offline device's old sale) lands in its HLC position inside the Books, so the numbers equal those
 * of every device holding the same events.
 */
import { applyUnknown, Books, type LedgerEvent, type ValuationMethod } from '../domain/index.ts';
import type { DeviceRecord, LedgerStore } from './storage/store.ts';
import { journalEntries, trialBalance } from '../domain/journal.ts';
import { buildExport, isBusinessDate, type ExportName, type ExportRequest } from '../domain/exports/index.ts';
import { SalesAnalytics } from '../domain/sales-analytics.ts';
import { stockHealth, summaryOf } from '../domain/stock-health.ts';
import { stockAlertsOf } from '../domain/stock-alerts.ts';
import type { StoreSettingsChange } from '../domain/store-settings.ts';
import type { StaffView } from './push-batch.ts';

interface StoreLedger {
  cursor: string;
  books: Books;
  /** Events the projection refused (e.g. a currency mismatch), kept for the owner to see. */
  refused: { eventId: string; error: string }[];
  /** The store's settings changes, for the push's staff check (`staffView`). */
  settingsChanges: StoreSettingsChange[];
}

/**
 * `valuation` is the default (env PERPETUA_VALUATION) for a store whose owner never chose a method;
 * a store that did (a `store-settings-changed` event) is valued by its own.
 */
export function createReadModel(store: LedgerStore, valuation: ValuationMethod = 'fifo') {
  const ledgers = new Map<string, StoreLedger>();
  // Reads of one store queue behind each other so two requests never apply the same page twice.
  const catchingUp = new Map<string, Promise<StoreLedger>>();

  async function catchUp(storeId: string): Promise<StoreLedger> {
    let state = ledgers.get(storeId);
    if (!state) {
      state = { cursor: '0', books: new Books({ valuation }), refused: [], settingsChanges: [] };
      ledgers.set(storeId, state);
    }
    for (;;) {
      const page = await store.pullEvents(storeId, state.cursor, 5000);
      for (const json of page.events) {
        const event = JSON.parse(json) as unknown;
        const result = applyUnknown(state.books, event);
        if (result.status === 'rejected') state.refused.push({ eventId: (event as LedgerEvent).id, error: result.error });
        else if ((event as LedgerEvent).kind === 'store-settings-changed') state.settingsChanges.push(event as StoreSettingsChange);
      }
      state.cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    // The store chose its method: refold with it (rare: a store changes it only before its first sale).
    const method = state.books.storeSettingsChanges().valuation ?? valuation;
    if (method !== state.books.method) state.books = Books.fromEvents(state.books.events(), { valuation: method });
    return state;
  }

  function ledgerOf(storeId: string): Promise<StoreLedger> {
    const previous = catchingUp.get(storeId) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => catchUp(storeId));
    catchingUp.set(storeId, next);
    return next;
  }

  return {
    /**
     * The store's staff members and settings changes as stored, for the push's staff check
     * (push-batch.ts): asked only when a pushed event could need a privilege.
     */
    async staffView(storeId: string): Promise<StaffView> {
      const { books, settingsChanges } = await ledgerOf(storeId);
      return { roster: books.staff(), settingsChanges };
    },
    async stock(device: DeviceRecord) {
      const { books, cursor } = await ledgerOf(device.storeId);
      return {
        storeId: device.storeId,
        cursor,
        stock: books.stockLevels().map((level) => ({
          productId: level.productId,
          locationId: level.locationId,
          onHand: level.qty,
          oversoldQty: level.oversoldQty,
        })),
        oversells: books.oversells(),
      };
    },
    async valuation(device: DeviceRecord) {
      const { books, cursor } = await ledgerOf(device.storeId);
      return {
        storeId: device.storeId,
        cursor,
        method: books.method,
        inventoryValue: books.inventoryValue(),
        stock: books.stockLevels(),
        inTransit: books.inTransit(),
      };
    },
    async journal(device: DeviceRecord) {
      const { books, cursor, refused } = await ledgerOf(device.storeId);
      return { storeId: device.storeId, cursor, entries: journalEntries(books), trialBalance: trialBalance(books), refused };
    },
    /** An export (issue 15): the same domain code as the device's Exports screen. */
    /**
     * The owner's Today figures for a range of business dates, from the same domain code as the
     * device's screen: sales (with the top and bottom products), stock health's tiles and the alerts.
     */
    async ownerFigures(device: DeviceRecord, range: { from: string; to: string }, nowMs: number) {
      const { from, to } = range;
      if (!isBusinessDate(from) || !isBusinessDate(to) || to < from) return { ok: false as const, error: 'Give the range as two dates, from and to, such as from=2026-01-01 and to=2026-01-31, the first not after the second.' };
      const { books, cursor } = await ledgerOf(device.storeId);
      const sales = SalesAnalytics.fromBooks(books, books.storeSettings().timeZone, from);
      const period = { from, to };
      const alerts = stockAlertsOf(books, nowMs);
      return {
        ok: true as const,
        body: {
          storeId: device.storeId,
          cursor,
          period,
          sales: sales.figures(period),
          topByRevenue: sales.ranked(period, 'revenue', 'top', 5),
          bottomByRevenue: sales.ranked(period, 'revenue', 'bottom', 5),
          stockHealth: summaryOf(stockHealth(books, nowMs)),
          alerts: { low: alerts.low, dead: alerts.dead },
        },
      };
    },
    async exportFiles(device: DeviceRecord, name: ExportName, request: ExportRequest) {
      const { books } = await ledgerOf(device.storeId);
      return buildExport(name, books, request);
    },
  };
}
