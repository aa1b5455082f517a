/**
 * How a list of products is cut into `products-defined` events: at most MAX_PRODUCTS_PER_EVENT
 * products and at most MAX_PRODUCTS_EVENT_CHARS characters of product JSON per event. The character
 * cap keeps an event of unusually long names or many barcodes as small as a typical full one, so one
 * event always fits in a push (the server takes 4 MiB per request; 512 Ki UTF-16 characters are at
 * most 1.5 MiB of UTF-8).
 */
import { MAX_PRODUCTS_PER_EVENT, type LedgerEvent, type ProductSnapshot } from './events.ts';

export const MAX_PRODUCTS_EVENT_CHARS = 512 * 1024;

export function groupProductsForEvents<T extends ProductSnapshot>(
  products: readonly T[],
  maxCount: number = MAX_PRODUCTS_PER_EVENT,
  maxChars: number = MAX_PRODUCTS_EVENT_CHARS,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const product of products) {
    const size = JSON.stringify(product).length + 1;
    if (current.length > 0 && (current.length >= maxCount || chars + size > maxChars)) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(product);
    chars += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Folds one catalog event into `products` (by id), applied in ledger order: a definition replaces
 * the product, a change merges into it (its id kept); a change to a product not defined yet changes
 * nothing. Other events are ignored. The one rule for every fold of the catalog from the ledger.
 */
export function applyCatalogEvent(products: Map<string, ProductSnapshot>, event: LedgerEvent): void {
  if (event.kind === 'product-defined') products.set(event.product.id, event.product);
  else if (event.kind === 'products-defined') for (const product of event.products) products.set(product.id, product);
  else if (event.kind === 'product-changed') {
    const base = products.get(event.productId);
    if (base) products.set(base.id, { ...base, ...event.changes, id: base.id });
  }
}
