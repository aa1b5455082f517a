/**
 * Stock alerts (issue 15): low stock, dead stock, and which product × locations a sale or a sync
 * has just taken below their reorder point (what the owner's device tells with a notification).
 *
 * - **Low stock**: on hand below the reorder point at that location (reorder-levels.ts). The
 *   suggested order brings it back to the order-up-to level, or to the reorder point when no
 *   order-up-to level is set.
 * - **Dead stock**: on hand (> 0) but no sale at that location for `deadStockDays` before `now`,
 *   counted from the last sale there, or, when it never sold there, from its first movement there
 *   (stock that arrived yesterday is not dead yet). The value tied up is the books' valuation at cost.
 * - **Crossed below**: a product × location low after some events whose on hand before them was at
 *   or above the reorder point as it stands after. Raising a reorder point above the stock, or
 *   setting a new one, is not a crossing: stock did not run down, the owner moved the line.
 * - **Told**: a crossing is told once; it may be told again only after the product × location has
 *   recovered (no longer low).
 *
 * Times are the events' `recordedAt` (ISO wall clock) and `now` in milliseconds since the epoch.
 */
import type { Books } from './books/index.ts';
import { reorderKey, type ReorderLevel } from './reorder-levels.ts';

export const DAY_MS = 86_400_000;

/** A product × location with a reorder point, and its stock against it. */
export interface ReorderStatus {
  productId: string;
  locationId: string;
  onHand: number;
  reorderPoint: number;
  orderUpTo: number | undefined;
}

export interface LowStockAlert extends ReorderStatus {
  /** What to order to be back at the order-up-to level (or the reorder point when none). */
  suggestedQty: number;
}

/** What a dead-stock line needs to know of the books, per product × location with stock. */
export interface StockIdleness {
  productId: string;
  locationId: string;
  onHand: number;
  /** The stock's value at cost, whole minor units. */
  value: number;
  firstMovedAt: string;
  lastSoldAt: string | undefined;
}

export interface DeadStockAlert {
  productId: string;
  locationId: string;
  onHand: number;
  /** Tied up at cost, whole minor units. */
  value: number;
  /** The last sale here, or the first movement when it never sold here. */
  idleSince: string;
  /** Whole days from `idleSince` to `now`. */
  idleDays: number;
  /** False when it never sold at this location. */
  everSold: boolean;
}

/** Each product × location with a reorder point, with its stock now (`onHand`). */
export function reorderStatuses(levels: Iterable<ReorderLevel>, onHand: (productId: string, locationId: string) => number): ReorderStatus[] {
  const statuses: ReorderStatus[] = [];
  for (const level of levels) {
    if (level.reorderPoint === undefined) continue;
    statuses.push({
      productId: level.productId,
      locationId: level.locationId,
      onHand: onHand(level.productId, level.locationId),
      reorderPoint: level.reorderPoint,
      orderUpTo: level.orderUpTo,
    });
  }
  return statuses;
}

export function isLow(status: ReorderStatus): boolean {
  return status.onHand < status.reorderPoint;
}

/** The statuses that are low, each with its suggested order, in the order given. */
export function lowStock(statuses: readonly ReorderStatus[]): LowStockAlert[] {
  return statuses.filter(isLow).map((status) => ({ ...status, suggestedQty: (status.orderUpTo ?? status.reorderPoint) - status.onHand }));
}

/** The stock idle for at least `days` days before `now`, most value tied up first. */
export function deadStock(lines: readonly StockIdleness[], now: number, days: number): DeadStockAlert[] {
  const alerts: DeadStockAlert[] = [];
  for (const line of lines) {
    if (line.onHand <= 0) continue;
    const idleSince = line.lastSoldAt ?? line.firstMovedAt;
    const idleMs = now - Date.parse(idleSince);
    if (!(idleMs >= days * DAY_MS)) continue;
    alerts.push({
      productId: line.productId,
      locationId: line.locationId,
      onHand: line.onHand,
      value: line.value,
      idleSince,
      idleDays: Math.floor(idleMs / DAY_MS),
      everSold: line.lastSoldAt !== undefined,
    });
  }
  return alerts.sort((a, b) => b.value - a.value || b.idleDays - a.idleDays);
}

/**
 * The product × locations low in `after` that were at or above that reorder point in `before`. One
 * in `after` but not in `before` (its reorder point was just set) has not crossed.
 */
export function crossedBelowReorder(before: readonly ReorderStatus[], after: readonly ReorderStatus[]): LowStockAlert[] {
  const onHandBefore = new Map(before.map((s) => [reorderKey(s.productId, s.locationId), s.onHand]));
  return lowStock(after).filter((alert) => {
    const previous = onHandBefore.get(reorderKey(alert.productId, alert.locationId));
    return previous !== undefined && previous >= alert.reorderPoint;
  });
}

/**
 * Which crossings to tell, and the product × locations told afterwards: those told before that are
 * still low (one that recovered is forgotten, so its next crossing is told), plus those told now.
 */
export function alertsToTell(
  crossed: readonly LowStockAlert[],
  after: readonly ReorderStatus[],
  told: ReadonlySet<string>,
): { tell: LowStockAlert[]; told: Set<string> } {
  const lowNow = new Set(lowStock(after).map((a) => reorderKey(a.productId, a.locationId)));
  const stillTold = new Set([...told].filter((key) => lowNow.has(key)));
  const tell = crossed.filter((alert) => !stillTold.has(reorderKey(alert.productId, alert.locationId)));
  for (const alert of tell) stillTold.add(reorderKey(alert.productId, alert.locationId));
  return { tell, told: stillTold };
}

/** The books' reorder statuses now. */
export function reorderStatusesOf(books: Books): ReorderStatus[] {
  return reorderStatuses(books.reorderLevels().values(), (productId, locationId) => books.onHand(productId, locationId));
}

export interface StockAlerts {
  low: LowStockAlert[];
  dead: DeadStockAlert[];
}

/** Low and dead stock from the books, as at `now`; dead after the store's `deadStockDays`. */
export function stockAlertsOf(books: Books, now: number): StockAlerts {
  const idle: StockIdleness[] = [];
  for (const level of books.stockLevels()) {
    if (level.qty <= 0) continue;
    const activity = books.stockActivity(level.productId, level.locationId);
    if (activity === undefined) continue;
    idle.push({ productId: level.productId, locationId: level.locationId, onHand: level.qty, value: level.value, ...activity });
  }
  return { low: lowStock(reorderStatusesOf(books)), dead: deadStock(idle, now, books.storeSettings().deadStockDays) };
}
