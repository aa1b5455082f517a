import { useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { useLocations, useProjection, useSettings } from '../hooks/index.ts';
import { useOnHand } from '../hooks/use-on-hand.ts';
import { formatMoney } from '../../domain/money.ts';
import { StillSyncingNotice } from '../components/SyncProgress.tsx';

const PAGE = 100;

export function StockScreen({ app }: { app: AppContext }) {
  const { catalog } = app;
  const settings = useSettings(app);
  const locations = useLocations(app);
  const [query, setQuery] = useState('');
  const onHandOf = useOnHand(app);
  const projection = useProjection(app);
  // A staff device sees no cost or valuation (issue 15): nothing is valued there at all.
  const showCost = app.role === 'owner';
  const books = showCost ? projection?.books : undefined;
  const money = (amount: number) => formatMoney(amount, settings.currency);
  const products = query.trim() ? catalog.search(query, PAGE) : catalog.all().slice(0, PAGE);
  const qtyText = (qty: number, unit: string) => (unit === 'each' ? String(qty) : `${(qty / 1000).toLocaleString()} ${unit}`);

  return (
    <section class="screen stock" aria-labelledby="stock-title">
      <h1 id="stock-title">Stock on hand</h1>
      <StillSyncingNotice app={app} />
      {showCost && (
        <p class="summary" data-testid="inventory-value">
          {books
            ? `Inventory at cost (${books.method === 'fifo' ? 'FIFO' : 'moving average'}): ${money(books.inventoryValue())}`
            : 'Valuing the inventory…'}
        </p>
      )}
      <label for="stock-search">Find a product</label>
      <input id="stock-search" type="search" placeholder="Name, SKU or barcode" autoComplete="off" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      <div class="table-wrap" role="region" aria-label="Stock per location" tabIndex={0}>
        <table class="stock-table stacks">
          <thead>
            <tr>
              <th scope="col">Product</th>
              {locations.map((l) => (
                <th scope="col" class="num" key={l.id}>
                  {l.name}
                </th>
              ))}
              <th scope="col" class="num">
                Price
              </th>
              {showCost && (
                <th scope="col" class="num">
                  Value at cost
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {products.map((p) => (
              <tr key={p.id} data-product-id={p.id}>
                <th scope="row">
                  {p.name}
                  <br />
                  <small>{p.sku}</small>
                </th>
                {locations.map((l) => {
                  const qty = onHandOf(p.id, l.id);
                  return (
                    <td key={l.id} class={`num ${qty < 0 ? 'negative' : ''}`} data-location-id={l.id} data-label={l.name}>
                      {qtyText(qty, p.unit)}
                      {qty < 0 && <span class="flag"> oversold</span>}
                    </td>
                  );
                })}
                <td class="num" data-label="Price">
                  {money(p.price)}
                </td>
                {showCost && (
                  <td class="num" data-testid="stock-value" data-label="Value at cost">
                    {books ? money(locations.reduce((sum, l) => sum + books.valuationOf(p.id, l.id).value, 0)) : '…'}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {products.length === PAGE && <p class="hint">Showing the first {PAGE}; search to narrow down.</p>}
    </section>
  );
}
