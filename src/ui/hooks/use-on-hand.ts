/**
 * On-hand stock as every screen reads it (issue 12, item 4: one source of on-hand). The number is
 * the projection's: the books folded from the ledger (src/db/projection.ts). For the moment after a
 * start before the books are folded, the cache the projection wrote from them last time (db.stock)
 * answers instead; nothing but the projection writes that cache.
 */
import type { StockRow } from '../../db/db.ts';
import type { AppContext } from '../app-context.ts';
import { useLiveQuery, useProjection } from './index.ts';

/** On-hand of a product at a location, in its unit (pieces, or grams for weighed goods). */
export type OnHandOf = (productId: string, locationId: string) => number;

/**
 * On-hand for a screen, re-rendering when it changes. `productId` narrows the cache read to one
 * product while the projection is not folded yet (Look up shows one product; Stock passes nothing).
 */
export function useOnHand(app: AppContext, productId?: string | null): OnHandOf {
  const projection = useProjection(app);
  const waiting = projection === null;
  const cached = useLiveQuery(
    () => (!waiting || productId === null ? [] : productId === undefined ? app.db.stock.toArray() : app.db.stock.where('productId').equals(productId).toArray()),
    [waiting, productId],
    [] as StockRow[],
  );
  if (projection) return (p, l) => projection.books.onHand(p, l);
  const byKey = new Map(cached.map((row) => [`${row.productId}|${row.locationId}`, row.onHand]));
  return (p, l) => byKey.get(`${p}|${l}`) ?? 0;
}
