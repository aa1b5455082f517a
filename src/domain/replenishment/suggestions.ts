/**
 * Suggested orders (issue 16, items 5 and 6): from each product × location's levels and position,
 * the transfers and purchases that bring it back up to its order-up-to level.
 *
 * - Position = on hand + on order (open purchase orders for that location) + in transit to it. What
 *   an open order already covers is in the position, so it is never suggested again.
 * - When the position is below the reorder point, the need is order-up-to − position (the reorder
 *   point where only that is set).
 * - Transfers first: another location whose on hand is well above its own ceiling (its order-up-to
 *   level, or its reorder point when it has only that) gives what is above the ceiling, the largest
 *   surplus first, up to the need. "Well above": by at least a quarter of the ceiling and at least one
 *   unit (`isWellAbove`), so stock that is merely at its level is not shuffled between shelves. A
 *   location without any level gives nothing: nobody knows what it needs itself.
 * - The rest is bought: rounded up to the product's pack size, and to at least its minimum order
 *   (itself rounded up to a pack multiple), from the product's default supplier ('' for none), valued
 *   at the last cost paid. Inactive or unknown products are not suggested.
 * - Order: suppliers by name ('' last); lines and transfers by product name, then location.
 */
import { roundHalfAwayFromZero } from '../money.ts';
import { compareStrings } from '../order.ts';
import type { LeadTime, SeriesPlan, SuggestedPurchaseLine, SuggestedTransfer, SupplierSuggestion } from './types.ts';

/** What suggestions need to know of a product. */
export interface ProductTerms {
  productId: string;
  name: string;
  active: boolean;
  /** '' for none. */
  supplier: string;
  packSize: number;
  minOrderQty: number;
  /** The last cost paid per stock unit (else the catalog cost), minor units. */
  unitCost: number;
}

export interface Suggestions {
  transfers: SuggestedTransfer[];
  purchases: SupplierSuggestion[];
}

/** What to order for `need` units: a whole number of packs, at least the minimum order's packs. */
export function orderQty(need: number, packSize: number, minOrderQty: number): number {
  const pack = Math.max(1, Math.floor(packSize));
  if (need <= 0) return 0;
  const packs = Math.max(Math.ceil(need / pack), Math.ceil(Math.max(0, minOrderQty) / pack));
  return packs * pack;
}

/** The position: on hand + on order + in transit. */
export function positionOf(series: Pick<SeriesPlan, 'onHand' | 'onOrder' | 'inTransit'>): number {
  return series.onHand + series.onOrder + series.inTransit;
}

/** Units wanted to get back to the order-up-to level; 0 unless the position is below the reorder point. */
export function needOf(series: SeriesPlan): number {
  if (series.reorderPoint === undefined) return 0;
  const position = positionOf(series);
  if (position >= series.reorderPoint) return 0;
  return Math.max(0, (series.orderUpTo ?? series.reorderPoint) - position);
}

/** Above what on hand is surplus: the order-up-to level, else the reorder point; undefined with neither. */
function ceilingOf(series: SeriesPlan): number | undefined {
  return series.orderUpTo ?? series.reorderPoint;
}

/** On hand well above the ceiling: by a quarter of it and at least one unit. */
export function isWellAbove(onHand: number, ceiling: number): boolean {
  return onHand - ceiling >= Math.max(1, Math.ceil(ceiling / 4));
}

/** What a location can give: on hand above its ceiling when well above it, else 0. */
export function surplusOf(series: SeriesPlan): number {
  const ceiling = ceilingOf(series);
  if (ceiling === undefined || !isWellAbove(series.onHand, ceiling)) return 0;
  return series.onHand - ceiling;
}

/** One product's suggestions: transfers between its locations, and purchase lines for the rest. */
export interface ProductSuggestions {
  transfers: SuggestedTransfer[];
  lines: SuggestedPurchaseLine[];
}

const NOTHING: ProductSuggestions = Object.freeze({ transfers: [], lines: [] }) as ProductSuggestions;

/** Transfers and purchases for one product, from its series at every location. */
export function suggestForProduct(product: ProductTerms | undefined, locations: readonly SeriesPlan[]): ProductSuggestions {
  if (!product?.active) return NOTHING;
  const needs = locations.map((one) => ({ locationId: one.locationId, need: needOf(one) })).filter((n) => n.need > 0);
  if (needs.length === 0) return NOTHING;
  const givers = locations.map((one) => ({ locationId: one.locationId, surplus: surplusOf(one) })).filter((g) => g.surplus > 0);
  needs.sort((a, b) => b.need - a.need || compareStrings(a.locationId, b.locationId));
  const transfers: SuggestedTransfer[] = [];
  const lines: SuggestedPurchaseLine[] = [];
  for (const { locationId, need } of needs) {
    let rest = need;
    givers.sort((a, b) => b.surplus - a.surplus || compareStrings(a.locationId, b.locationId));
    for (const giver of givers) {
      if (rest === 0) break;
      if (giver.surplus === 0 || giver.locationId === locationId) continue;
      const qty = Math.min(rest, giver.surplus);
      transfers.push({ productId: product.productId, fromLocationId: giver.locationId, toLocationId: locationId, qty });
      giver.surplus -= qty;
      rest -= qty;
    }
    if (rest === 0) continue;
    const qty = orderQty(rest, product.packSize, product.minOrderQty);
    lines.push({
      productId: product.productId,
      locationId,
      need: rest,
      qty,
      packSize: product.packSize,
      minOrderQty: product.minOrderQty,
      unitCost: product.unitCost,
      value: roundHalfAwayFromZero(qty * product.unitCost),
    });
  }
  return { transfers, lines };
}

/** Every product's suggestions (each product's lines are all one product's) put together: purchases grouped by supplier, everything in order. */
export function assemble(perProduct: Iterable<ProductSuggestions>, productOf: (productId: string) => Pick<ProductTerms, 'name' | 'supplier'> | undefined, leadTimeOf: (supplier: string) => LeadTime): Suggestions {
  const names = new Map<string, string>();
  const nameOf = (productId: string): string => {
    let name = names.get(productId);
    if (name === undefined) names.set(productId, (name = productOf(productId)?.name ?? productId));
    return name;
  };
  const transfers: SuggestedTransfer[] = [];
  const bySupplier = new Map<string, SuggestedPurchaseLine[]>();
  for (const { transfers: moves, lines } of perProduct) {
    transfers.push(...moves);
    if (lines.length === 0) continue;
    const supplier = productOf((lines[0] as SuggestedPurchaseLine).productId)?.supplier ?? '';
    const list = bySupplier.get(supplier);
    if (list) list.push(...lines);
    else bySupplier.set(supplier, [...lines]);
  }
  const byProduct = (a: { productId: string }, b: { productId: string }): number => compareStrings(nameOf(a.productId), nameOf(b.productId)) || compareStrings(a.productId, b.productId);
  transfers.sort((a, b) => byProduct(a, b) || compareStrings(a.toLocationId, b.toLocationId) || compareStrings(a.fromLocationId, b.fromLocationId));
  const purchases: SupplierSuggestion[] = [...bySupplier]
    .sort(([a], [b]) => (a === '' ? 1 : 0) - (b === '' ? 1 : 0) || compareStrings(a, b))
    .map(([supplier, lines]) => {
      lines.sort((a, b) => byProduct(a, b) || compareStrings(a.locationId, b.locationId));
      return { supplier, leadTime: leadTimeOf(supplier), lines, value: lines.reduce((sum, line) => sum + line.value, 0) };
    });
  return { transfers, purchases };
}
