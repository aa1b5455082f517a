/**
 * The Sell grid's chips: the owner's favourites and each category, so an item without a barcode is
 * two taps away (chip, then tile) even in a catalog of thousands. Derived from the products alone:
 * a category exists while some product that is sold names it.
 */
import type { ProductSnapshot } from './events.ts';

export interface SellGroups {
  /** Favourite products that are sold, by name. */
  favourites: ProductSnapshot[];
  /** Category name → its products that are sold, by name; categories in name order. */
  categories: Map<string, ProductSnapshot[]>;
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Groups `products` for the chips in one pass plus sorting (a few milliseconds for 100,000).
 * Inactive products are left out: they are no longer sold. A category is compared as written after
 * trimming, so "Bakery" and " Bakery" are one chip; '' is no category.
 */
export function sellGroups(products: Iterable<ProductSnapshot>): SellGroups {
  const favourites: ProductSnapshot[] = [];
  const grouped = new Map<string, ProductSnapshot[]>();
  for (const product of products) {
    if (!product.active) continue;
    if (product.favourite === true) favourites.push(product);
    const category = product.category?.trim() ?? '';
    if (category === '') continue;
    const members = grouped.get(category);
    if (members) members.push(product);
    else grouped.set(category, [product]);
  }
  const sortByName = (list: ProductSnapshot[]) => list.sort((a, b) => byName.compare(a.name, b.name));
  const names = [...grouped.keys()].sort((a, b) => byName.compare(a, b));
  return {
    favourites: sortByName(favourites),
    categories: new Map(names.map((name) => [name, sortByName(grouped.get(name) ?? [])])),
  };
}
