/**
 * Meta keys shared by modules that must not load Dexie to know them (src/db/journal.ts is imported by
 * the sync code, which Node tests load before they install fake-indexeddb).
 */

/** The cart in progress on the Sell screen: removed in the transaction of the sale that paid for it. */
export const SAVED_CART_KEY = 'cart';

/**
 * The owner's stock-alert watch (src/ui/owner/stock-alert-watch.ts): the stock against each reorder
 * point as last seen, and the product × locations already told of by a notification (told once until
 * they recover), so a reload neither repeats a notification nor misses a fall while it was closed.
 */
export const STOCK_ALERT_WATCH_KEY = 'stockAlertWatch';

/**
 * Set when pairing with another store emptied the device (src/db/start-over.ts), for the next start
 * to say so once: the page reloads, and a till that simply opens empty would look like lost sales.
 */
export const STARTED_OVER_KEY = 'startedOver';

/** What the start-over notice says: whose books the device held before. */
export interface StartedOver {
  /** The demo store, or a store the device was paired with before. */
  held: 'demo' | 'another store';
  at: string;
}
