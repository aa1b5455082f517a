/**
 * The owner's device watches its books for stock alerts (issue 15): after every change of the
 * projection (a sale here, events a sync pulled, an edit) it counts the low- and dead-stock alerts
 * for the navigation's badge, and tells with a system notification each product × location that
 * has just fallen below its reorder point, once until it recovers (src/domain/stock-alerts.ts).
 *
 * What was last seen and what was told are kept in IndexedDB meta (STOCK_ALERT_WATCH_KEY): a reload
 * repeats nothing, and a fall that came in while the app was closed is told at the next start.
 * Notifications go through the service worker (`registration.showNotification`), tagged per
 * product × location, so two tabs of one device show one. Loaded lazily, on owner devices only.
 */
import type { ProductSnapshot } from '../../domain/events.ts';
import { alertsToTell, crossedBelowReorder, reorderStatusesOf, stockAlertsOf, type LowStockAlert, type ReorderStatus } from '../../domain/stock-alerts.ts';
import { formatUnitQty } from '../../domain/catalog-csv.ts';
import { getMeta, setMeta } from '../../db/db.ts';
import { STOCK_ALERT_WATCH_KEY } from '../../db/meta-keys.ts';
import type { AppContext } from '../app-context.ts';

interface WatchRecord {
  /** The stock against each reorder point when last looked at. */
  seen: ReorderStatus[];
  /** `reorderKey`s told of and not yet recovered. */
  told: string[];
}

/** The badge's count is recomputed at most this often while sales come in (dead stock reads every stock line). */
const COUNT_DELAY_MS = 300;

/** Starts watching; returns the function that stops it. `onCount` gets the number of alerts. */
export function watchStockAlerts(app: AppContext, onCount: (count: number) => void): () => void {
  let queue: Promise<void> = Promise.resolve();
  let countTimer: ReturnType<typeof setTimeout> | undefined;
  const count = () => {
    const books = app.projection?.books;
    if (!books) return;
    const { low, dead } = stockAlertsOf(books, Date.now());
    onCount(low.length + dead.length);
  };
  const onProjection = () => {
    const books = app.projection?.books;
    if (!books) return;
    // Taken now, in order: each change is compared with the one before it.
    const after = reorderStatusesOf(books);
    queue = queue.then(() => tellFalls(app, after)).catch((error: unknown) => console.error('Stock alerts could not be checked; the next change checks again.', error));
    clearTimeout(countTimer);
    countTimer = setTimeout(count, COUNT_DELAY_MS);
  };
  app.changes.addEventListener('projection', onProjection);
  if (app.projection) onProjection();
  return () => {
    clearTimeout(countTimer);
    app.changes.removeEventListener('projection', onProjection);
  };
}

async function tellFalls(app: AppContext, after: ReorderStatus[]): Promise<void> {
  const stored = await getMeta<WatchRecord>(app.db, STOCK_ALERT_WATCH_KEY);
  // The first look of this device is where it starts from: nothing has fallen yet.
  const before = stored?.seen ?? after;
  const { tell, told } = alertsToTell(crossedBelowReorder(before, after), after, new Set(stored?.told ?? []));
  const next: WatchRecord = { seen: after, told: [...told] };
  // Most sales move no product with a reorder point: nothing to write then.
  if (JSON.stringify(next) !== JSON.stringify(stored)) await setMeta(app.db, STOCK_ALERT_WATCH_KEY, next);
  if (tell.length === 0 || notificationPermission() !== 'granted') return;
  const registration = await navigator.serviceWorker?.ready;
  if (!registration) return;
  for (const alert of tell) {
    const product = app.catalog.get(alert.productId);
    await registration.showNotification(`Low stock: ${product?.name ?? alert.productId}`, {
      body: lowStockSentence(alert, product, app.locations.find((l) => l.id === alert.locationId)?.name ?? alert.locationId),
      tag: `low-stock:${alert.productId}@${alert.locationId}`,
      icon: '/icons/icon-192.png',
      data: { url: `/#/product?id=${encodeURIComponent(alert.productId)}` },
    });
  }
}

/** "Shop floor: 4 on hand, below the reorder point 5. Order 16 to be back at 20." */
export function lowStockSentence(alert: LowStockAlert, product: ProductSnapshot | undefined, locationName: string): string {
  const qty = (n: number) => (product ? formatUnitQty(n, product.unit) + (product.unit === 'each' ? '' : ` ${product.unit}`) : String(n));
  const back = alert.orderUpTo ?? alert.reorderPoint;
  return `${locationName}: ${qty(alert.onHand)} on hand, below the reorder point ${qty(alert.reorderPoint)}. Order ${qty(alert.suggestedQty)} to be back at ${qty(back)}.`;
}

/** The page's notification permission, or 'unsupported' where the browser has no Notification API. */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

