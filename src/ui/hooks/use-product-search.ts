/**
 * Finding a product by what a person types: a name, a SKU or a barcode. The screen shows the
 * results its own way (tiles on Sell, a list elsewhere) and submits with `ProductSearchForm`.
 */
import { useMemo, useState } from 'preact/hooks';
import type { ProductSnapshot } from '../../domain/events.ts';
import type { AppContext } from '../app-context.ts';
import { useCatalogLoaded } from './index.ts';

export interface ProductSearch {
  query: string;
  setQuery(query: string): void;
  /** The products matching the query, best first; none for an empty query. */
  results: ProductSnapshot[];
  /** What Enter picks: the product with exactly the typed code, else the only match, else none. */
  picked(): ProductSnapshot | undefined;
}

export function useProductSearch(app: AppContext, limit: number): ProductSearch {
  const [query, setQuery] = useState('');
  // Searched again once the catalog is in memory (before that, nothing matches).
  const loaded = useCatalogLoaded(app);
  const results = useMemo(() => (query.trim() === '' ? [] : app.catalog.search(query, limit)), [query, app.catalog, loaded, limit]);
  const picked = () => app.catalog.byCode(query.trim()) ?? (results.length === 1 ? results[0] : undefined);
  return { query, setQuery, results, picked };
}
