/**
 * One stock-health tracker per app (`StockHealthTracker`, src/domain/stock-health.ts), built from the
 * books the first time the Today screen asks and then fed each event the projection applies, so a
 * sale updates only its products' lines instead of every product × location being computed again.
 * Built afresh when the books are replaced (a refold by another valuation method); the tracker itself
 * rebuilds for a late event, a delivery or count, and when its windows are an hour old.
 *
 * Shrinkage changes only with a count, an adjustment or a return: `shrinkageVersion` counts those, so
 * the screen recomputes it then and not for every sale.
 */
import type { Books } from '../../domain/books/index.ts';
import type { LedgerEvent } from '../../domain/events.ts';
import { StockHealthTracker, type StockHealth, type StockHealthSummary } from '../../domain/stock-health.ts';
import type { LocalProjection } from '../../db/projection.ts';
import type { AppContext } from '../app-context.ts';

const SHRINKAGE_KINDS: ReadonlySet<LedgerEvent['kind']> = new Set(['stock-counted', 'count-session-approved', 'stock-adjusted', 'return']);

interface Kept {
  projection: LocalProjection;
  books: Books;
  tracker: StockHealthTracker;
  shrinkageVersion: number;
  unsubscribe: () => void;
}

const kept = new WeakMap<AppContext, Kept>();

function keptFor(app: AppContext): Kept | null {
  const projection = app.projection;
  if (!projection) return null;
  const books = projection.books;
  const current = kept.get(app);
  if (current && current.projection === projection && current.books === books) return current;
  // The books were replaced (a refold) or the projection rebuilt: the old tracker stops listening.
  current?.unsubscribe();
  const next: Kept = { projection, books, tracker: new StockHealthTracker(books, Date.now()), shrinkageVersion: 0, unsubscribe: () => undefined };
  next.unsubscribe = projection.subscribe((applied) => {
    if (projection.books !== books) return;
    // Only what the books took (a pulled event in another currency is refused there).
    const taken = applied.filter((event) => books.has(event.id));
    next.tracker.apply(taken, Date.now());
    if (taken.some((event) => SHRINKAGE_KINDS.has(event.kind))) next.shrinkageVersion++;
  });
  kept.set(app, next);
  return next;
}

/** The tiles' figures now, up to date with the app's books; null until they are folded. */
export function stockHealthSummaryOf(app: AppContext): StockHealthSummary | null {
  const current = keptFor(app);
  if (!current) return null;
  // No event for an hour still slides the windows.
  current.tracker.apply([], Date.now());
  return current.tracker.summary();
}

/** Every line and list, for a list the owner opened; null until the books are folded. */
export function stockHealthOf(app: AppContext): StockHealth | null {
  const current = keptFor(app);
  if (!current) return null;
  current.tracker.apply([], Date.now());
  return current.tracker.health();
}

/** Goes up with every count, adjustment or return the books take: when shrinkage may have changed. */
export function shrinkageVersionOf(app: AppContext): number {
  return keptFor(app)?.shrinkageVersion ?? 0;
}
