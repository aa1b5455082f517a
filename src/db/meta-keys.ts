/**
 * Meta keys shared by modules that must not load Dexie to know them (src/db/journal.ts is imported by
 * the sync code, which Node tests load before they install fake-indexeddb).
 */

/** The cart in progress on the Sell screen: removed in the transaction of the sale that paid for it. */
export const SAVED_CART_KEY = 'cart';
