/**
 * The Today screen's stock alerts (issue 15): low stock (below the reorder point at a location, with
 * what to order) and dead stock (on hand, no sale there for the store's dead-stock days, with the
 * value tied up at cost), each row tapping through to the product. Computed from this device's own
 * books by src/domain/stock-alerts.ts, so it works offline. On the owner's device a button asks,
 * after the owner taps it, for permission to notify when stock runs low; a staff device never asks
 * and sees no cost or value.
 */
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { formatUnitQty } from '../../domain/catalog-csv.ts';
import type { ProductSnapshot } from '../../domain/events.ts';
import { formatMoney } from '../../domain/money.ts';
import { stockAlertsOf, type DeadStockAlert, type LowStockAlert } from '../../domain/stock-alerts.ts';
import type { AppContext } from '../app-context.ts';
import { useLocations, useProjection, useSettings } from '../hooks/index.ts';
import { notificationPermission } from './stock-alert-watch.ts';
import './stock-alerts.css';

/** Rows shown per list: the rest are counted, so a store with thousands idle still draws at once. */
const SHOWN_ROWS = 50;
/** Dead stock rows shown before "Show all": the most value tied up first, so the phone stays short. */
const FIRST_DEAD_ROWS = 5;

export function StockAlerts({ app }: { app: AppContext }) {
  const projection = useProjection(app);
  const settings = useSettings(app);
  const [allDead, setAllDead] = useState(false);
  const locations = useLocations(app);
  const owner = app.role === 'owner';
  const books = projection?.books;
  const size = books?.size ?? 0;
  // Dead stock reads every stock line: computed when the ledger changes, not on every redraw
  // ("Show all", the notification button); the store's dead-stock days are an event too.
  const alerts = useMemo(() => (books ? stockAlertsOf(books, Date.now()) : null), [books, size]);
  const title = (
    <h2 id="stock-alerts-title" class="stock-alerts-title">
      Stock alerts
    </h2>
  );
  if (!alerts) {
    return (
      <section class="owner-part stock-alerts" aria-labelledby="stock-alerts-title">
        {title}
        <p role="status">Counting the stock…</p>
      </section>
    );
  }
  const { low, dead } = alerts;
  const locationName = (id: string) => locations.find((l) => l.id === id)?.name ?? id;
  const productOf = (id: string) => app.catalog.get(id);
  const href = (productId: string) => (owner ? `#/product?id=${encodeURIComponent(productId)}` : '#/lookup');
  const tiedUp = dead.reduce((sum, d) => sum + d.value, 0);
  const money = (amount: number) => formatMoney(amount, settings.currency);

  return (
    <section class="owner-part stock-alerts" aria-labelledby="stock-alerts-title" data-testid="stock-alerts">
      {title}
      <dl class="stock-alerts-counts">
        <div>
          <dt>Low stock</dt>
          <dd data-testid="low-stock-count">{low.length}</dd>
        </div>
        <div>
          <dt>Dead stock</dt>
          <dd data-testid="dead-stock-count">{dead.length}</dd>
        </div>
      </dl>

      <h3 id="low-stock-title">Low stock: below the reorder point</h3>
      {low.length === 0 ? (
        <p class="hint">Nothing is below its reorder point.{owner && ' Set reorder points on each product’s Edit product screen, or in the catalog file.'}</p>
      ) : (
        <AlertList labelledBy="low-stock-title" testId="low-stock-list" total={low.length}>
          {low.slice(0, SHOWN_ROWS).map((alert) => (
            <li key={`${alert.productId}@${alert.locationId}`}>
              <a href={href(alert.productId)}>
                <span class="name">{productOf(alert.productId)?.name ?? alert.productId}</span>
                <span class="where">{locationName(alert.locationId)}</span>
                <span class="figures">{lowFigures(alert, productOf(alert.productId))}</span>
              </a>
            </li>
          ))}
        </AlertList>
      )}

      {owner && (
        <p>
          <a class="more-link" href="#/reorder" data-testid="reorder-link">
            <strong>Reorder</strong>
            <span>What to order and transfer, from forecasts of each product’s sales</span>
          </a>
        </p>
      )}

      <h3 id="dead-stock-title">Dead stock: no sale for {settings.deadStockDays} days</h3>
      {owner && dead.length > 0 && <p class="stock-alerts-tied">{money(tiedUp)} tied up at cost.</p>}
      {dead.length === 0 ? (
        <p class="hint">Everything on hand has sold in the last {settings.deadStockDays} days.</p>
      ) : (
        <AlertList labelledBy="dead-stock-title" testId="dead-stock-list" total={allDead ? dead.length : Math.min(dead.length, FIRST_DEAD_ROWS)}>
          {dead.slice(0, allDead ? SHOWN_ROWS : FIRST_DEAD_ROWS).map((alert) => (
            <li key={`${alert.productId}@${alert.locationId}`}>
              <a href={href(alert.productId)}>
                <span class="name">{productOf(alert.productId)?.name ?? alert.productId}</span>
                <span class="where">{locationName(alert.locationId)}</span>
                <span class="figures">{deadFigures(alert, productOf(alert.productId), owner ? money : undefined)}</span>
              </a>
            </li>
          ))}
        </AlertList>
      )}
      {!allDead && dead.length > FIRST_DEAD_ROWS && (
        <button type="button" class="stock-alerts-more" onClick={() => setAllDead(true)}>
          Show all {dead.length} dead-stock lines
        </button>
      )}

      {owner && <NotifyWhenLow />}
    </section>
  );
}

function AlertList({ labelledBy, testId, total, children }: { labelledBy: string; testId: string; total: number; children: ComponentChildren }) {
  return (
    <>
      <ul class="stock-alerts-list" aria-labelledby={labelledBy} data-testid={testId}>
        {children}
      </ul>
      {total > SHOWN_ROWS && <p class="hint">…and {total - SHOWN_ROWS} more.</p>}
    </>
  );
}

function qtyText(qty: number, product: ProductSnapshot | undefined): string {
  if (!product || product.unit === 'each') return String(qty);
  return `${formatUnitQty(qty, product.unit)} ${product.unit}`;
}

function lowFigures(alert: LowStockAlert, product: ProductSnapshot | undefined): string {
  const upTo = alert.orderUpTo === undefined ? '' : ` (up to ${qtyText(alert.orderUpTo, product)})`;
  return `${qtyText(alert.onHand, product)} on hand · reorder at ${qtyText(alert.reorderPoint, product)} · order ${qtyText(alert.suggestedQty, product)}${upTo}`;
}

function deadFigures(alert: DeadStockAlert, product: ProductSnapshot | undefined, money: ((amount: number) => string) | undefined): string {
  const idle = alert.everSold ? `last sold ${alert.idleDays} days ago` : `never sold here (in stock ${alert.idleDays} days)`;
  return `${qtyText(alert.onHand, product)} on hand${money ? ` · ${money(alert.value)} at cost` : ''} · ${idle}`;
}

/** Asks for the notification permission only when the owner taps, and says where things stand. */
function NotifyWhenLow() {
  const [permission, setPermission] = useState(notificationPermission);
  const ask = async () => setPermission(await Notification.requestPermission());
  return (
    <div class="stock-alerts-notify" data-testid="notify-when-low">
      {permission === 'default' && (
        <button type="button" class="primary" onClick={() => void ask()}>
          Tell me when stock runs low
        </button>
      )}
      {permission === 'granted' && <p class="hint" role="status">This device shows a notification when a sale or a sync takes a product below its reorder point.</p>}
      {permission === 'denied' && (
        <p class="hint" role="status">
          Notifications are blocked for Perpetua on this device. To be told when stock runs low, allow them in the browser’s site settings.
        </p>
      )}
      {permission === 'unsupported' && <p class="hint">This browser cannot show notifications; the counts above are kept up to date.</p>}
    </div>
  );
}
