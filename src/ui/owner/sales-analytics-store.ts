/**
 * One sales-figures accumulator per app (`SalesAnalytics`, src/domain/sales-analytics.ts), built from
 * the books the first time the Today screen asks and then fed each event the projection applies, so
 * a sale updates the figures in O(its lines) and no screen re-scans the ledger.
 *
 * It is built again from the books when they are replaced (a refold by another valuation method),
 * when the store's time zone changes, or when a late event re-folded some product's costs (a delivery
 * synced after later sales): COGS are read as events are added, and only then can they change.
 */
import type { Books } from '../../domain/books/index.ts';
import type { LocalDate } from '../../domain/calendar.ts';
import { SalesAnalytics } from '../../domain/sales-analytics.ts';
import type { LocalProjection } from '../../db/projection.ts';
import type { AppContext } from '../app-context.ts';
import { useProjection, useSettings } from '../hooks/index.ts';

interface Kept {
  projection: LocalProjection;
  books: Books;
  timeZone: string;
  refoldedEntries: number;
  analytics: SalesAnalytics;
  unsubscribe: () => void;
}

const kept = new WeakMap<AppContext, Kept>();

/**
 * The app's accumulator, up to date with its books, counting from `from` (the first day the screen
 * shows); null until the books are folded. Built from the window's events only (`eventsFrom`), and
 * built again further back when a range before its first day is asked for.
 */
export function salesAnalyticsOf(app: AppContext, from: LocalDate): SalesAnalytics | null {
  const projection = app.projection;
  if (!projection) return null;
  const books = projection.books;
  const timeZone = app.settings.timeZone;
  const refoldedEntries = books.foldStats().refoldedEntries;
  const current = kept.get(app);
  const covered = current?.analytics.from === undefined || current.analytics.from <= from;
  if (current && covered && current.projection === projection && current.books === books && current.timeZone === timeZone && current.refoldedEntries === refoldedEntries) {
    return current.analytics;
  }
  current?.unsubscribe();
  const start = current && current.analytics.from !== undefined && current.analytics.from < from ? current.analytics.from : from;
  const analytics = SalesAnalytics.fromBooks(books, timeZone, start);
  const next: Kept = { projection, books, timeZone, refoldedEntries, analytics, unsubscribe: () => undefined };
  next.unsubscribe = projection.subscribe((applied) => {
    // A late event that re-folded costs: the next read builds afresh (the counter tells it).
    if (projection.books !== books || books.foldStats().refoldedEntries !== next.refoldedEntries) return;
    // Only what the books took (a pulled event in another currency is refused there).
    for (const event of applied) if (books.has(event.id)) analytics.add(event);
  });
  kept.set(app, next);
  return analytics;
}

/** The accumulator, re-rendering on every change of the projection or the settings. */
export function useSalesAnalytics(app: AppContext, from: LocalDate): SalesAnalytics | null {
  useProjection(app);
  useSettings(app);
  return salesAnalyticsOf(app, from);
}
