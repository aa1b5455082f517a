/**
 * Reorder levels: per product × location, the reorder point (on hand below it is low stock) and the
 * level to order up to. They are a projection of the owner's `reorder-levels-set` events: for each
 * product × location the line latest in canonical ledger order (order.ts) wins, whatever order the
 * events arrived in; a line with both levels null clears them.
 */
import type { EventOf, LedgerEvent, ReorderLevelLine } from './events.ts';
import { compareEvents, compareStrings } from './order.ts';

export type { ReorderLevelLine } from './events.ts';
export type ReorderLevelsSet = EventOf<'reorder-levels-set'>;

/** One product × location's levels as they stand; at least one of the two is set. */
export interface ReorderLevel {
  productId: string;
  locationId: string;
  reorderPoint: number | undefined;
  orderUpTo: number | undefined;
}

/** The largest level, in stock units: a million kilograms in grams, far beyond any shelf. */
export const MAX_REORDER_LEVEL = 1_000_000_000;

/** The key of a product × location in maps of levels and alerts. */
export function reorderKey(productId: string, locationId: string): string {
  return `${productId}\u0000${locationId}`;
}

/** The levels after `events` (any order, any kinds), by `reorderKey`, sorted by product then location. */
export function reorderLevelsOf(events: Iterable<LedgerEvent>): Map<string, ReorderLevel> {
  const sets = [...events].filter((e): e is ReorderLevelsSet => e.kind === 'reorder-levels-set').sort(compareEvents);
  const latest = new Map<string, ReorderLevelLine>();
  for (const event of sets) for (const line of event.lines) latest.set(reorderKey(line.productId, line.locationId), line);
  const levels = [...latest.values()]
    .filter((line) => line.reorderPoint !== null || line.orderUpTo !== null)
    .sort((a, b) => compareStrings(a.productId, b.productId) || compareStrings(a.locationId, b.locationId))
    .map((line) => ({
      productId: line.productId,
      locationId: line.locationId,
      reorderPoint: line.reorderPoint ?? undefined,
      orderUpTo: line.orderUpTo ?? undefined,
    }));
  return new Map(levels.map((level) => [reorderKey(level.productId, level.locationId), level]));
}

/**
 * What is wrong with a pair of levels, as a sentence (the command's and the CSV import's words), or
 * undefined when they can be set: whole numbers of stock units from 0, order-up-to ≥ reorder point.
 */
export function reorderLevelProblem(reorderPoint: number | null, orderUpTo: number | null): { field: 'reorderPoint' | 'orderUpTo'; message: string } | undefined {
  const isLevel = (n: number) => Number.isSafeInteger(n) && n >= 0 && n <= MAX_REORDER_LEVEL;
  if (reorderPoint !== null && !isLevel(reorderPoint)) {
    return { field: 'reorderPoint', message: `The reorder point ${reorderPoint} is not a quantity: use a whole number from 0, or leave it empty for none.` };
  }
  if (orderUpTo !== null && !isLevel(orderUpTo)) {
    return { field: 'orderUpTo', message: `The order-up-to level ${orderUpTo} is not a quantity: use a whole number from 0, or leave it empty for none.` };
  }
  if (reorderPoint !== null && orderUpTo !== null && orderUpTo < reorderPoint) {
    return { field: 'orderUpTo', message: `Order up to ${orderUpTo} is below the reorder point ${reorderPoint}: order up to at least the reorder point.` };
  }
  return undefined;
}
