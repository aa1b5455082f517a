/**
 * Reorder (issue 16, `#/reorder`, the owner's, under More): what to order, worked out on this device
 * from its own books, offline. The forecasts and the plan come from a Web Worker
 * (src/ui/replenish/replenish.worker.ts), started the first time this screen opens.
 *
 * - Transfers first: a need another location can cover from its surplus, with a Send button
 *   (`sendTransfer`, from this device's location).
 * - Purchases by supplier: lead time (and where it comes from, with a form to set it), the lines with
 *   an editable quantity, their value at the last cost; "Create purchase order" records it
 *   (`createPurchaseOrder`), after which the open order covers those lines and they leave the plan.
 * - Every planned product × location, searchable, each tapping through to its forecast and levels.
 */
import { useEffect, useState } from 'preact/hooks';
import type { SeriesPlan, SuggestedTransfer } from '../../domain/replenishment/types.ts';
import { sendTransfer } from '../../app/commands/index.ts';
import type { AppContext } from '../app-context.ts';
import { useLocations, useSettings } from '../hooks/index.ts';
import { useAction } from '../hooks/use-action.ts';
import { StillSyncingNotice } from '../components/SyncProgress.tsx';
import { useReplenishmentPlan } from '../replenish/use-replenishment.ts';
import { PurchaseGroup, lineKey } from '../replenish/PurchaseGroup.tsx';
import { SeriesDetail } from '../replenish/SeriesDetail.tsx';
import { qtyText } from '../replenish/plan-words.ts';
import { locationName, OpsMessages } from './store-ops.tsx';
import './store-ops.css';
import './reorder-screen.css';

/** Products listed before the search narrows them: the rest are counted. */
const SHOWN_PRODUCTS = 50;

interface Opened {
  productId: string;
  locationId: string;
}

/** The product to open first, from the address (#/reorder?product=…&location=…; Look up links it), or null. */
function openedFromAddress(deviceLocation: string): Opened | null {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const productId = params.get('product');
  return productId ? { productId, locationId: params.get('location') ?? deviceLocation } : null;
}

export function ReorderScreen({ app }: { app: AppContext }) {
  if (app.role !== 'owner') {
    return (
      <section class="screen ops reorder" aria-labelledby="reorder-title">
        <h1 id="reorder-title">Reorder</h1>
        <p role="status" data-testid="reorder-staff">
          Reorder shows costs and places orders with suppliers, so it is the owner’s screen: open it on the owner’s device. To see stock here, use Stock or Look up.
        </p>
      </section>
    );
  }
  return <OwnerReorder app={app} />;
}

function OwnerReorder({ app }: { app: AppContext }) {
  const settings = useSettings(app);
  useLocations(app);
  const state = useReplenishmentPlan(app);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [opened, setOpened] = useState<Opened | null>(() => openedFromAddress(app.settings.locationId));
  /** What the last purchase order did: said here, since its supplier's group leaves with its lines. */
  const [ordered, setOrdered] = useState<string | null>(null);

  useEffect(() => {
    if (opened) document.getElementById('reorder-detail-title')?.focus();
  }, [opened]);

  const header = (
    <>
      <h1 id="reorder-title">Reorder</h1>
      <p class="hint">
        Worked out on this device from its own books. A purchase order is recorded for the location it is delivered to; transfers are sent from {locationName(app, settings.locationId)}, this device’s location.
      </p>
      <StillSyncingNotice app={app} />
    </>
  );
  if (state.kind !== 'ready') {
    return (
      <section class="screen ops reorder" aria-labelledby="reorder-title">
        {header}
        {state.kind === 'working' ? (
          <p role="status" data-testid="reorder-working">
            Working out forecasts…
          </p>
        ) : (
          <p class="error" role="alert" data-testid="reorder-failed">
            {state.message}
          </p>
        )}
      </section>
    );
  }

  const { plan } = state;
  const seriesByKey = new Map(plan.series.map((s) => [lineKey(s), s]));
  const series = opened ? plan.series.find((s) => s.productId === opened.productId && s.locationId === opened.locationId) : undefined;
  return (
    <section class="screen ops reorder" aria-labelledby="reorder-title" data-as-of={plan.asOf}>
      {header}
      {opened ? (
        series ? (
          <SeriesDetail app={app} series={series} asOf={plan.asOf} onBack={() => setOpened(null)} />
        ) : (
          <>
            <button type="button" class="secondary" onClick={() => setOpened(null)}>
              ← Back to the suggestions
            </button>
            <p role="status">{app.catalog.get(opened.productId)?.name ?? opened.productId} is not planned here: it has no stock, sales or levels at this location.</p>
          </>
        )
      ) : (
        <>
          <Transfers app={app} transfers={plan.transfers} />
          <h2 id="reorder-purchases-title">Purchases</h2>
          {ordered && (
            <p class="notice info" role="status" data-testid="order-notice">
              {ordered}
            </p>
          )}
          {plan.purchases.length === 0 ? (
            <p class="empty" data-testid="no-purchases">
              Nothing to buy: every planned product is above its reorder point, counting what is on order.
            </p>
          ) : (
            <ul class="reorder-suppliers" aria-labelledby="reorder-purchases-title">
              {plan.purchases.map((group, index) => (
                <PurchaseGroup
                  key={group.supplier}
                  app={app}
                  group={group}
                  index={index}
                  asOf={plan.asOf}
                  typed={typed}
                  onType={(key, text) => setTyped((t) => ({ ...t, [key]: text }))}
                  onOrdered={(keys, notice) => {
                    setOrdered(notice);
                    setTyped((t) => {
                      const next = { ...t };
                      for (const key of keys) delete next[key];
                      return next;
                    });
                  }}
                  onOpen={(line) => setOpened({ productId: line.productId, locationId: line.locationId })}
                  seriesOf={(line) => seriesByKey.get(lineKey(line))}
                />
              ))}
            </ul>
          )}
          <PlannedProducts app={app} series={plan.series} onOpen={(s) => setOpened({ productId: s.productId, locationId: s.locationId })} />
        </>
      )}
    </section>
  );
}

/** Suggested transfers: each sent from this device's location with one tap. */
function Transfers({ app, transfers }: { app: AppContext; transfers: SuggestedTransfer[] }) {
  const action = useAction(app);
  const here = app.settings.locationId;
  const nameOf = (id: string) => app.catalog.get(id)?.name ?? id;
  const unitOf = (id: string) => app.catalog.get(id)?.unit ?? 'each';
  const send = async (transfer: SuggestedTransfer) => {
    await action.run(
      (context) => sendTransfer.run({ toLocationId: transfer.toLocationId, lines: [{ productId: transfer.productId, qty: transfer.qty }] }, context),
      () =>
        `Sent ${qtyText(transfer.qty, unitOf(transfer.productId))} ${nameOf(transfer.productId)} to ${locationName(app, transfer.toLocationId)}. Receive it there on the Transfers screen.`,
    );
  };
  return (
    <>
      <h2 id="reorder-transfers-title">Transfers first</h2>
      <OpsMessages action={action} testId="transfer" />
      {transfers.length === 0 ? (
        <p class="empty" data-testid="no-transfers">
          No transfers suggested: no location has more than it needs of something another location is short of.
        </p>
      ) : (
        <ul class="reorder-transfers" aria-labelledby="reorder-transfers-title">
          {transfers.map((t) => (
            <li key={`${t.productId}@${t.fromLocationId}>${t.toLocationId}`} data-product-id={t.productId}>
              <span class="reorder-transfer-what">
                <strong>{nameOf(t.productId)}</strong>
                <span class="reorder-transfer-route">
                  {qtyText(t.qty, unitOf(t.productId))} · {locationName(app, t.fromLocationId)} → {locationName(app, t.toLocationId)}
                </span>
              </span>
              {t.fromLocationId === here ? (
                <button type="button" class="primary" disabled={action.busy} onClick={() => void send(t)}>
                  Send
                </button>
              ) : (
                <span class="hint">Send it from a device at {locationName(app, t.fromLocationId)}.</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** Every product × location the plan covers, narrowed by a search, each opening its forecast. */
function PlannedProducts({ app, series, onOpen }: { app: AppContext; series: SeriesPlan[]; onOpen(series: SeriesPlan): void }) {
  const [query, setQuery] = useState('');
  // On a phone a store's whole list is pages long: it shows once asked for, or as the search narrows it.
  const [showAll, setShowAll] = useState(false);
  const nameOf = (id: string) => app.catalog.get(id)?.name ?? id;
  const words = query.trim().toLowerCase();
  const matching = series
    .filter((s) => words === '' || nameOf(s.productId).toLowerCase().includes(words) || (app.catalog.get(s.productId)?.sku ?? '').toLowerCase().includes(words))
    .sort((a, b) => nameOf(a.productId).localeCompare(nameOf(b.productId)) || locationName(app, a.locationId).localeCompare(locationName(app, b.locationId)));
  const manyLocations = app.locations.length > 1;
  return (
    <>
      <h2 id="reorder-products-title">All planned products</h2>
      <label for="reorder-search">Find a product to see its forecast</label>
      <input id="reorder-search" type="search" autoComplete="off" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {words === '' && !showAll && series.length > 0 ? (
        <div class="ops-actions">
          <button type="button" class="secondary" onClick={() => setShowAll(true)}>
            Show all {series.length} planned {series.length === 1 ? 'line' : 'lines'}
          </button>
        </div>
      ) : matching.length === 0 ? (
        <p class="empty">{series.length === 0 ? 'Nothing is planned yet: products show here once they have stock, sales or reorder levels.' : `Nothing matches “${query}”.`}</p>
      ) : (
        <ul class="reorder-products" aria-labelledby="reorder-products-title" data-testid="planned-products">
          {matching.slice(0, SHOWN_PRODUCTS).map((s) => {
            const unit = app.catalog.get(s.productId)?.unit ?? 'each';
            return (
              <li key={lineKey(s)} data-product-id={s.productId} data-location-id={s.locationId}>
                <button type="button" onClick={() => onOpen(s)}>
                  <span class="name">
                    {nameOf(s.productId)}
                    {manyLocations && <span class="hint"> · {locationName(app, s.locationId)}</span>}
                  </span>
                  <span class="figures">
                    {qtyText(s.onHand, unit)} on hand
                    {s.reorderPoint !== undefined && ` · reorder at ${qtyText(s.reorderPoint, unit)}`}
                    {s.forecast.kind === 'none' && ' · no forecast'}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {(words !== '' || showAll) && matching.length > SHOWN_PRODUCTS && <p class="hint">…and {matching.length - SHOWN_PRODUCTS} more: search to narrow the list.</p>}
    </>
  );
}
