/**
 * The Today screen's stock health (issue 15, item 1): value at cost per location, out of stock,
 * oversold, slow movers, ABC classes and shrinkage for today or this month, each a tile that opens
 * the list behind it. The figures are `src/domain/stock-health.ts`'s, from this device's own books.
 * A staff device sees quantities only: no value at cost anywhere.
 */
import { useMemo, useState } from 'preact/hooks';
import { businessPeriod, type PeriodName } from '../../domain/business-periods.ts';
import { formatMoney } from '../../domain/money.ts';
import {
  shrinkage,
  type AbcClass,
  type ShrinkageLine,
  type ShrinkageReason,
  type StockHealthLine,
} from '../../domain/stock-health.ts';
import type { AppContext } from '../app-context.ts';
import { useCatalogLoaded, useLocations, useProjection, useSettings } from '../hooks/index.ts';
import { shrinkageVersionOf, stockHealthOf, stockHealthSummaryOf } from './stock-health-store.ts';
import './stock-health.css';

/** What a tile opens. */
type Selection =
  | { list: 'location'; locationId: string }
  | { list: 'out-of-stock' }
  | { list: 'oversold' }
  | { list: 'slow' }
  | { list: 'abc'; abc: AbcClass }
  | { list: 'shrinkage'; reason: ShrinkageReason };

const REASON_LABELS: Record<ShrinkageReason, string> = {
  count: 'Count differences',
  damage: 'Damaged',
  theft: 'Theft',
  expiry: 'Expired',
  found: 'Found',
  correction: 'Corrections',
  'return-write-off': 'Returns written off',
};

/** Rows a list shows at most: a phone is not the place for 10,000. */
const LIST_LIMIT = 50;

export function StockHealth({ app }: { app: AppContext }) {
  const books = useProjection(app)?.books;
  const settings = useSettings(app);
  const locations = useLocations(app);
  useCatalogLoaded(app);
  const owner = app.role === 'owner';
  const [selected, setSelected] = useState<Selection | null>(null);
  const [periodName, setPeriodName] = useState<PeriodName>('today');
  // Kept up to date event by event (stock-health-store.ts), not computed again for every sale.
  const health = books ? (stockHealthSummaryOf(app) ?? undefined) : undefined;
  // The lines only while a list is open: the tiles need none of them.
  const lists = books && selected ? stockHealthOf(app) : null;
  const shrinkageVersion = shrinkageVersionOf(app);
  const period = businessPeriod(periodName, Date.now(), settings.timeZone);
  const shrunk = useMemo(() => (books ? shrinkage(books, period) : undefined), [books, shrinkageVersion, period.fromMs]); // a new count, adjustment or return bumps the version

  const money = (amount: number) => formatMoney(amount, settings.currency);
  const locationName = (id: string) => locations.find((l) => l.id === id)?.name ?? id;
  const product = (id: string) => app.catalog.get(id);
  const toggle = (next: Selection) => setSelected(sameSelection(selected, next) ? null : next);
  const tileProps = (next: Selection) => ({
    'aria-pressed': sameSelection(selected, next),
    'aria-controls': 'stock-health-list',
    onClick: () => toggle(next),
  });

  if (!books || !health || !shrunk) {
    return (
      <section class="owner-part stock-health" aria-labelledby="stock-health-title">
        <h2 id="stock-health-title">Stock health</h2>
        <p class="hint">Reading the books…</p>
      </section>
    );
  }

  const reasons = shrunk.byReason.filter((r) => r.lines > 0);
  return (
    <section class="owner-part stock-health" aria-labelledby="stock-health-title">
      <h2 id="stock-health-title">Stock health</h2>
      {owner ? (
        <div class="health-tiles" role="group" aria-label="Inventory value at cost">
          {inStoreOrder(health.locations, locations).map((l) => (
            <button type="button" class="health-tile" key={l.locationId} data-testid={`health-value-${l.locationId}`} {...tileProps({ list: 'location', locationId: l.locationId })}>
              <span class="tile-label">{locationName(l.locationId)} at cost</span>
              <strong class="tile-figure">{money(l.value)}</strong>
            </button>
          ))}
          <p class="health-tile total" data-testid="health-total-value">
            <span class="tile-label">All locations</span>
            <strong class="tile-figure">{money(health.totalValue)}</strong>
          </p>
        </div>
      ) : (
        <p class="hint">Values at cost show on the owner's device.</p>
      )}
      <div class="health-tiles" role="group" aria-label="Stock to look at">
        <button type="button" class="health-tile" data-testid="health-out-of-stock" {...tileProps({ list: 'out-of-stock' })}>
          <span class="tile-label">Out of stock</span>
          <strong class="tile-figure">{health.outOfStock}</strong>
        </button>
        <button type="button" class="health-tile" data-testid="health-oversold" {...tileProps({ list: 'oversold' })}>
          <span class="tile-label">Oversold, waiting for a delivery</span>
          <strong class="tile-figure">{health.oversold}</strong>
        </button>
        <button type="button" class="health-tile" data-testid="health-slow" {...tileProps({ list: 'slow' })}>
          <span class="tile-label">Slow movers (under 20 % sold in 30 days)</span>
          <strong class="tile-figure">{health.slowMovers}</strong>
        </button>
      </div>
      <div class="health-tiles abc" role="group" aria-label="ABC classes by revenue, last 8 weeks">
        {(['A', 'B', 'C'] as const).map((abc) => (
          <button type="button" class="health-tile" key={abc} data-testid={`health-abc-${abc}`} {...tileProps({ list: 'abc', abc })}>
            <span class="tile-label">Class {abc}</span>
            <strong class="tile-figure">{health.abcCounts[abc]}</strong>
            <span class="tile-note">{abc === 'A' ? 'first 80 % of revenue' : abc === 'B' ? 'next 15 %' : 'the rest'}</span>
          </button>
        ))}
      </div>

      <div class="shrinkage" role="group" aria-labelledby="shrinkage-title">
        <h3 id="shrinkage-title">Shrinkage</h3>
        <div class="period-choice" role="group" aria-label="Period">
          {(['today', 'month'] as const).map((name) => (
            <button type="button" key={name} aria-pressed={periodName === name} onClick={() => setPeriodName(name)}>
              {name === 'today' ? 'Today' : 'This month'}
            </button>
          ))}
        </div>
        {reasons.length === 0 ? (
          <p class="empty" data-testid="shrinkage-empty">
            No count differences, adjustments or write-offs {periodName === 'today' ? 'today' : 'this month'}.
          </p>
        ) : (
          <div class="health-tiles">
            {reasons.map((r) => (
              <button type="button" class="health-tile" key={r.reason} data-testid={`shrinkage-${r.reason}`} {...tileProps({ list: 'shrinkage', reason: r.reason })}>
                <span class="tile-label">{REASON_LABELS[r.reason]}</span>
                <strong class="tile-figure" data-testid="shrinkage-figure">{owner ? money(r.value) : signed(r.qty)}</strong>
                <span class="tile-note">
                  {r.lines} {r.lines === 1 ? 'line' : 'lines'}
                  {owner && `, ${signed(r.qty)} units`}
                </span>
              </button>
            ))}
            {owner && (
              <p class="health-tile total" data-testid="shrinkage-total">
                <span class="tile-label">Net</span>
                <strong class="tile-figure">{money(shrunk.totalValue)}</strong>
              </p>
            )}
          </div>
        )}
      </div>

      <div id="stock-health-list" aria-live="polite">
        {selected && selected.list === 'shrinkage' && (
          <ShrinkageList
            title={`${REASON_LABELS[selected.reason]}, ${periodName === 'today' ? 'today' : 'this month'}`}
            lines={shrunk.lines.filter((l) => l.reason === selected.reason)}
            owner={owner}
            money={money}
            locationName={locationName}
            productName={(id) => product(id)?.name ?? id}
            unitOf={(id) => product(id)?.unit ?? 'each'}
          />
        )}
        {selected && selected.list !== 'shrinkage' && lists && (
          <ProductList
            title={listTitle(selected, locationName, health.abcCounts)}
            counted={selected.list === 'abc'}
            lines={linesOf(selected, lists.lines, lists.outOfStock, lists.oversold, lists.slowMovers)}
            owner={owner}
            money={money}
            locationName={locationName}
            productName={(id) => product(id)?.name ?? id}
            unitOf={(id) => product(id)?.unit ?? 'each'}
          />
        )}
      </div>
    </section>
  );
}

interface ListProps<T> {
  title: string;
  lines: T[];
  owner: boolean;
  money(amount: number): string;
  locationName(id: string): string;
  productName(id: string): string;
  unitOf(id: string): string;
}

function ProductList(props: ListProps<StockHealthLine> & { counted: boolean }) {
  const shown = props.lines.slice(0, LIST_LIMIT);
  return (
    <section class="health-list" aria-labelledby="health-list-title" data-testid="health-list">
      <h3 id="health-list-title">{props.counted ? props.title : `${props.title} (${props.lines.length})`}</h3>
      {props.lines.length === 0 && <p class="empty">None.</p>}
      <ul>
        {shown.map((l) => (
          <li key={`${l.productId} ${l.locationId}`} data-product-id={l.productId} data-location-id={l.locationId}>
            <span class="row-title">
              {props.productName(l.productId)} <small>· {props.locationName(l.locationId)}</small>
            </span>
            <dl class="row-figures">
              <Figure term="On hand" value={qtyText(l.onHand, props.unitOf(l.productId))} testId="on-hand" />
              {l.oversoldQty > 0 && <Figure term="Oversold" value={qtyText(l.oversoldQty, props.unitOf(l.productId))} testId="oversold" />}
              <Figure term="Days of cover" value={coverText(l.daysOfCover)} testId="cover" />
              <Figure term="Sell-through" value={l.sellThrough === undefined ? '—' : `${Math.round(l.sellThrough * 100)} %`} testId="sell-through" />
              <Figure term="Class" value={l.abc} testId="class" />
              {props.owner && <Figure term="Value" value={props.money(l.value)} testId="value" />}
            </dl>
          </li>
        ))}
      </ul>
      {props.lines.length > shown.length && <p class="hint">Showing the first {shown.length} of {props.lines.length}.</p>}
    </section>
  );
}

function ShrinkageList(props: ListProps<ShrinkageLine>) {
  return (
    <section class="health-list" aria-labelledby="health-list-title" data-testid="health-list">
      <h3 id="health-list-title">
        {props.title} ({props.lines.length})
      </h3>
      <ul>
        {props.lines.slice(0, LIST_LIMIT).map((l, i) => (
          <li key={`${l.eventId} ${i}`} data-product-id={l.productId} data-location-id={l.locationId}>
            <span class="row-title">
              {props.productName(l.productId)} <small>· {props.locationName(l.locationId)}</small>
            </span>
            <dl class="row-figures">
              <Figure term="Recorded" value={new Date(l.recordedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })} testId="recorded" />
              <Figure term="Quantity" value={signedQtyText(l.qty, props.unitOf(l.productId))} testId="qty" />
              {props.owner && <Figure term="At cost" value={props.money(l.value)} testId="value" />}
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Figure(props: { term: string; value: string; testId: string }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd data-testid={props.testId}>{props.value}</dd>
    </div>
  );
}

/** The locations' values in the store's order (the app's list), any the app does not know yet last. */
function inStoreOrder<T extends { locationId: string }>(values: T[], locations: readonly { id: string }[]): T[] {
  const rank = (id: string) => {
    const index = locations.findIndex((l) => l.id === id);
    return index < 0 ? locations.length : index;
  };
  return [...values].sort((a, b) => rank(a.locationId) - rank(b.locationId));
}

function sameSelection(a: Selection | null, b: Selection): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** The list's heading; ABC classes products, so its heading counts products, and its rows are their locations. */
function listTitle(selection: Exclude<Selection, { list: 'shrinkage' }>, locationName: (id: string) => string, abcCounts: Record<AbcClass, number>): string {
  switch (selection.list) {
    case 'location':
      return `Stock at ${locationName(selection.locationId)}`;
    case 'out-of-stock':
      return 'Out of stock';
    case 'oversold':
      return 'Oversold, waiting for a delivery';
    case 'slow':
      return 'Slow movers';
    case 'abc': {
      const products = abcCounts[selection.abc];
      return `Class ${selection.abc}: ${products} ${products === 1 ? 'product' : 'products'}`;
    }
  }
}

function linesOf(
  selection: Exclude<Selection, { list: 'shrinkage' }>,
  all: StockHealthLine[],
  outOfStock: StockHealthLine[],
  oversold: StockHealthLine[],
  slow: StockHealthLine[],
): StockHealthLine[] {
  switch (selection.list) {
    case 'location':
      // Where the money is first.
      return all.filter((l) => l.locationId === selection.locationId).sort((a, b) => b.value - a.value);
    case 'out-of-stock':
      return outOfStock;
    case 'oversold':
      return oversold;
    case 'slow':
      // The slowest first: lowest sell-through, then most on hand.
      return [...slow].sort((a, b) => (a.sellThrough ?? 0) - (b.sellThrough ?? 0) || b.onHand - a.onHand);
    case 'abc':
      return all.filter((l) => l.abc === selection.abc);
  }
}

function coverText(days: number | undefined): string {
  if (days === undefined) return 'no sales';
  const whole = Math.round(days);
  return `${whole} ${whole === 1 ? 'day' : 'days'}`;
}

function qtyText(qty: number, unit: string): string {
  return unit === 'each' ? String(qty) : `${(qty / 1000).toLocaleString()} ${unit}`;
}

function signedQtyText(qty: number, unit: string): string {
  return `${qty > 0 ? '+' : ''}${qtyText(qty, unit)}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
