/**
 * What the replenishment worker (replenish.worker.ts) offers the page. Everything crosses by
 * structured clone: plain events in, a plain plan out.
 */
import type { ValuationMethod } from '../../domain/books/index.ts';
import type { LedgerEvent } from '../../domain/events.ts';
import type { ReplenishmentPlan } from '../../domain/replenishment/types.ts';

export interface ReplenishWorkerApi {
  /**
   * Opens the device's database `dbName` (the page's own), folds the books from every event in it
   * by `valuation` (the page's projection's method) and builds the planner for `nowIso`. Called once,
   * first; the other calls wait for it.
   */
  open(dbName: string, valuation: ValuationMethod, nowIso: string): Promise<void>;
  /** Events the page's projection just applied, in the order it applied them. */
  apply(events: readonly LedgerEvent[], nowIso: string): Promise<void>;
  /** The plan for `nowIso`'s business date. */
  plan(nowIso: string): Promise<ReplenishmentPlan>;
}
