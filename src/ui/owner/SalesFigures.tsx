/**
 * The Today screen's sales figures (issue 15, item 1): a period's money beside the period before,
 * sales by hour and by day, and the best and worst products, all from this device's own books
 * (src/domain/sales-analytics.ts, kept up to date sale by sale by sales-analytics-store.ts).
 * Every figure taps through to the sales, returns or products behind it, listed below the cards.
 * A staff device sees no cost of goods or margin.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { addDays, isLocalDate, StoreClock, type LocalDate } from '../../domain/calendar.ts';
import type { EventOf } from '../../domain/events.ts';
import { formatMoney } from '../../domain/money.ts';
import { periodsOf, windowStart, type Comparison, type PeriodChoice, type PeriodFigures, type ProductFigures, type SalesAnalytics } from '../../domain/sales-analytics.ts';
import type { AppContext } from '../app-context.ts';
import { useSettings } from '../hooks/index.ts';
import { SalesChart } from './SalesChart.tsx';
import { useSalesAnalytics } from './sales-analytics-store.ts';
import './sales-figures.css';

type ChoiceKind = PeriodChoice['kind'];
type Detail = { kind: 'sales' } | { kind: 'returns' } | { kind: 'voids' } | { kind: 'products' } | { kind: 'product'; productId: string };

const CHOICES: { kind: ChoiceKind; label: string }[] = [
  { kind: 'today', label: 'Today' },
  { kind: 'week', label: 'This week' },
  { kind: 'month', label: 'This month' },
  { kind: 'range', label: 'Range' },
];

const COMPARED_WITH: Record<Comparison['kind'], string> = {
  yesterday: 'yesterday',
  'same-weekday-last-week': 'same day last week',
  'last-week': 'last week',
  'last-month': 'last month',
  'previous-range': 'the days before',
};

interface FigureCard {
  id: string;
  label: string;
  value: (f: PeriodFigures) => number | undefined;
  /** Money, a count, or basis points. */
  unit: 'money' | 'count' | 'percent';
  detail: Detail;
  /** A second line under the value (e.g. the refunded amount under the number of returns). */
  note?: (f: PeriodFigures, money: (amount: number) => string) => string;
  ownerOnly?: boolean;
}

const CARDS: FigureCard[] = [
  { id: 'net-sales', label: 'Net sales', value: (f) => f.netSales, unit: 'money', detail: { kind: 'sales' }, note: () => 'incl. tax, less refunds' },
  { id: 'sales', label: 'Sales', value: (f) => f.sales, unit: 'count', detail: { kind: 'sales' } },
  { id: 'gross', label: 'Gross sales', value: (f) => f.grossSales, unit: 'money', detail: { kind: 'sales' } },
  { id: 'net-revenue', label: 'Net revenue', value: (f) => f.netRevenue, unit: 'money', detail: { kind: 'sales' }, note: () => 'excl. tax' },
  { id: 'tax', label: 'Tax', value: (f) => f.tax, unit: 'money', detail: { kind: 'sales' } },
  { id: 'basket', label: 'Average basket', value: (f) => f.averageBasket, unit: 'money', detail: { kind: 'sales' } },
  { id: 'discounts', label: 'Discounts', value: (f) => f.discounts, unit: 'money', detail: { kind: 'sales' } },
  { id: 'returns', label: 'Returns', value: (f) => f.returns, unit: 'count', detail: { kind: 'returns' }, note: (f, money) => `${money(f.refunds)} refunded` },
  { id: 'voids', label: 'Voids', value: (f) => f.voids, unit: 'count', detail: { kind: 'voids' }, note: (f, money) => `${money(f.voidedGross)}, not counted` },
  { id: 'cash', label: 'Cash', value: (f) => f.cash, unit: 'money', detail: { kind: 'sales' }, note: () => 'less cash refunds' },
  { id: 'card', label: 'Card', value: (f) => f.card, unit: 'money', detail: { kind: 'sales' }, note: () => 'less card refunds' },
  { id: 'cogs', label: 'Cost of goods sold', value: (f) => f.cogs, unit: 'money', detail: { kind: 'products' }, ownerOnly: true },
  { id: 'margin', label: 'Gross margin', value: (f) => f.margin, unit: 'money', detail: { kind: 'products' }, ownerOnly: true, note: (f) => (f.marginBp === undefined ? '' : percent(f.marginBp)) },
  { id: 'margin-rate', label: 'Margin %', value: (f) => f.marginBp, unit: 'percent', detail: { kind: 'products' }, ownerOnly: true },
];

function percent(bp: number): string {
  return `${(bp / 100).toFixed(1)} %`;
}

/** `charts` and `rankings`: whether to draw those parts yet (Today draws them in later tasks). */
export function SalesFigures({ app, charts = true, rankings = true }: { app: AppContext; charts?: boolean; rankings?: boolean }) {
  const settings = useSettings(app);
  const clock = useMemo(() => new StoreClock(settings.timeZone), [settings.timeZone]);
  const today = clock.today(Date.now());
  const [kind, setKind] = useState<ChoiceKind>('today');
  const [range, setRange] = useState<{ from: LocalDate; to: LocalDate }>(() => ({ from: addDays(today, -6), to: today }));
  const [detail, setDetail] = useState<Detail | null>(null);
  const choice: PeriodChoice = kind === 'range' ? { kind, ...range } : { kind };
  const { current, comparisons } = periodsOf(choice, today);
  const earliest = [windowStart(today), ...comparisons.map((c) => c.period.from)].sort()[0] ?? today;
  const analytics = useSalesAnalytics(app, earliest);
  const owner = app.role === 'owner';
  const money = (amount: number) => formatMoney(amount, settings.currency, settings.locale);
  const nameOf = (productId: string) => app.catalog.get(productId)?.name ?? productId;
  // The cards are kept until a figure, the period or the money's format changes: Today draws its
  // charts and rankings a task later each (issue 19), and each of those draws redrew the 14 cards.
  const cards = useMemo(
    () => analytics && <FigureCards analytics={analytics} owner={owner} current={current} comparisons={comparisons} money={money} onOpen={setDetail} />,
    // `current`, `comparisons` and `money` are made anew each render, from these.
    [analytics, analytics?.revision, owner, kind, range, today, settings.currency, settings.locale],
  );

  return (
    <section class="owner-part owner-sales" aria-labelledby="sales-figures-title">
      <h2 id="sales-figures-title">Sales</h2>
      <div class="period-switch" role="group" aria-label="Period">
        {CHOICES.map((c) => (
          <button
            key={c.kind}
            type="button"
            aria-pressed={kind === c.kind}
            onClick={() => {
              setKind(c.kind);
              setDetail(null);
            }}
          >
            {c.label}
          </button>
        ))}
      </div>
      {kind === 'range' && (
        <div class="period-range">
          <label>
            From
            <input type="date" value={range.from} max={today} onChange={(e) => isLocalDate(e.currentTarget.value) && setRange({ ...range, from: e.currentTarget.value })} />
          </label>
          <label>
            To
            <input type="date" value={range.to} max={today} onChange={(e) => isLocalDate(e.currentTarget.value) && setRange({ ...range, to: e.currentTarget.value })} />
          </label>
        </div>
      )}
      <p class="hint period-dates" data-testid="period-dates">
        {describePeriod(current.from, current.to, settings.locale)}
      </p>
      {!analytics ? (
        <p class="hint" role="status">
          Reading the books…
        </p>
      ) : (
        <>
          {cards}
          {detail && <DetailList detail={detail} analytics={analytics} current={current} owner={owner} money={money} nameOf={nameOf} clock={clock} locale={settings.locale} onClose={() => setDetail(null)} onProduct={(productId) => setDetail({ kind: 'product', productId })} />}
          {charts && (
            <div class="sales-charts">
              <SalesChart
                id="chart-hours"
                title={`Sales by hour, ${kind === 'today' ? 'today' : describePeriod(current.to, current.to, settings.locale)}`}
                valueHeader="Net sales"
                format={money}
                points={analytics.byHour(current.to).map((h) => ({ label: String(h.hour), name: `${String(h.hour).padStart(2, '0')}:00 to ${String(h.hour + 1).padStart(2, '0')}:00`, value: h.netSales }))}
              />
              <SalesChart
                id="chart-days"
                title="Sales by day, last 30 days"
                valueHeader="Net sales"
                format={money}
                points={analytics.byDay({ from: addDays(today, -29), to: today }).map((d) => ({ label: d.date.slice(8), name: describePeriod(d.date, d.date, settings.locale), value: d.netSales }))}
              />
            </div>
          )}
          {rankings && (
            <div class="product-rankings">
              <Ranking title="Top products by revenue" products={analytics.ranked(current, 'revenue', 'top', 5)} show="revenue" money={money} nameOf={nameOf} onProduct={(productId) => setDetail({ kind: 'product', productId })} />
              <Ranking title="Bottom products by revenue" products={analytics.ranked(current, 'revenue', 'bottom', 5)} show="revenue" money={money} nameOf={nameOf} onProduct={(productId) => setDetail({ kind: 'product', productId })} />
              {owner && <Ranking title="Top products by margin" products={analytics.ranked(current, 'margin', 'top', 5)} show="margin" money={money} nameOf={nameOf} onProduct={(productId) => setDetail({ kind: 'product', productId })} />}
              {owner && <Ranking title="Bottom products by margin" products={analytics.ranked(current, 'margin', 'bottom', 5)} show="margin" money={money} nameOf={nameOf} onProduct={(productId) => setDetail({ kind: 'product', productId })} />}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function FigureCards(props: {
  analytics: SalesAnalytics;
  owner: boolean;
  current: { from: LocalDate; to: LocalDate };
  comparisons: Comparison[];
  money: (amount: number) => string;
  onOpen: (detail: Detail) => void;
}) {
  return (
    <ul class="figure-cards">
      {CARDS.filter((card) => props.owner || !card.ownerOnly).map((card) => (
        <FigureCardView key={card.id} card={card} analytics={props.analytics} current={props.current} comparisons={props.comparisons} money={props.money} onOpen={() => props.onOpen(card.detail)} />
      ))}
    </ul>
  );
}

function FigureCardView(props: {
  card: FigureCard;
  analytics: SalesAnalytics;
  current: { from: LocalDate; to: LocalDate };
  comparisons: Comparison[];
  money: (amount: number) => string;
  onOpen: () => void;
}) {
  const { card, money } = props;
  const show = (value: number | undefined): string => (value === undefined ? '—' : card.unit === 'money' ? money(value) : card.unit === 'percent' ? percent(value) : String(value));
  const figures = props.analytics.figures(props.current);
  const value = card.value(figures);
  const note = card.note?.(figures, money);
  return (
    <li>
      <button type="button" class="figure-card" data-testid={`figure-${card.id}`} onClick={props.onOpen}>
        <span class="figure-label">{card.label}</span>
        <span class="figure-value" data-testid={`figure-${card.id}-value`}>
          {show(value)}
        </span>
        {note && <span class="figure-note">{note}</span>}
        {props.comparisons.map((comparison) => {
          const before = card.value(props.analytics.figures(comparison.period));
          const against = COMPARED_WITH[comparison.kind];
          if (value === undefined || before === undefined) {
            return (
              <span key={comparison.kind} class="figure-compare" data-testid={`figure-${card.id}-${comparison.kind}`}>
                none {against}
              </span>
            );
          }
          const direction = value === before ? 'same' : value > before ? 'up' : 'down';
          const arrow = direction === 'up' ? '↑' : direction === 'down' ? '↓' : '=';
          const words = direction === 'same' ? 'the same as' : direction === 'up' ? 'up from' : 'down from';
          return (
            <span key={comparison.kind} class={`figure-compare ${direction}`} data-testid={`figure-${card.id}-${comparison.kind}`}>
              <span aria-hidden="true">
                {arrow} {show(before)} {against}
              </span>
              <span class="visually-hidden">
                , {words} {show(before)} {against}
              </span>
            </span>
          );
        })}
      </button>
    </li>
  );
}

function Ranking(props: { title: string; products: ProductFigures[]; show: 'revenue' | 'margin'; money: (amount: number) => string; nameOf: (id: string) => string; onProduct: (id: string) => void }) {
  return (
    <section class="ranking" aria-label={props.title}>
      <h3>{props.title}</h3>
      {props.products.length === 0 ? (
        <p class="empty">No products sold in this period.</p>
      ) : (
        <ol>
          {props.products.map((product) => (
            <li key={product.productId}>
              <button type="button" class="product-row" onClick={() => props.onProduct(product.productId)}>
                <span class="product-name">{props.nameOf(product.productId)}</span>
                <span class="num">
                  {product.qty} sold · {props.money(props.show === 'revenue' ? product.revenue : (product.margin ?? 0))}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function DetailList(props: {
  detail: Detail;
  analytics: SalesAnalytics;
  current: { from: LocalDate; to: LocalDate };
  owner: boolean;
  money: (amount: number) => string;
  nameOf: (id: string) => string;
  clock: StoreClock;
  locale: string;
  onClose: () => void;
  onProduct: (id: string) => void;
}) {
  const { detail, analytics, current, money } = props;
  // On a phone the list opens below the cards: brought into view, its heading focused for a screen reader.
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = detail.kind === 'product' ? detail.productId : detail.kind;
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'start', behavior: 'instant' });
  }, [shown]);
  const time = new Intl.DateTimeFormat(props.locale, { timeZone: props.clock.timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const when = (iso: string) => time.format(new Date(iso));
  const saleRow = (sale: EventOf<'sale'>) => (
    <li key={sale.id} data-receipt={sale.receiptNo}>
      <span>{when(sale.recordedAt)}</span>
      <span>#{sale.receiptNo}</span>
      <span>{sale.tenders.map((t) => t.method).join(' + ')}</span>
      <span class="num">{money(sale.totals.gross)}</span>
      {analytics.isVoided(sale.id) && <span class="badge">Voided</span>}
    </li>
  );
  let title: string;
  let body;
  switch (detail.kind) {
    case 'sales':
    case 'voids': {
      const sales = analytics.salesIn(current).filter((sale) => analytics.isVoided(sale.id) === (detail.kind === 'voids'));
      title = detail.kind === 'sales' ? `Sales (${sales.length})` : `Voided sales (${sales.length})`;
      body = sales.length === 0 ? <p class="empty">None in this period.</p> : <ul class="detail-rows">{sales.map(saleRow)}</ul>;
      break;
    }
    case 'returns': {
      const returns = analytics.returnsIn(current);
      title = `Returns (${returns.length})`;
      body =
        returns.length === 0 ? (
          <p class="empty">None in this period.</p>
        ) : (
          <ul class="detail-rows">
            {returns.map((r) => (
              <li key={r.id}>
                <span>{when(r.recordedAt)}</span>
                <span>{r.lines.map((line) => `${line.qty} × ${props.nameOf(line.productId)}`).join(', ')}</span>
                <span>{r.refundMethod}</span>
                <span class="num">{money(r.lines.reduce((sum, line) => sum + line.refund, 0))}</span>
              </li>
            ))}
          </ul>
        );
      break;
    }
    case 'products': {
      const products = analytics.products(current).sort((a, b) => (b.margin ?? 0) - (a.margin ?? 0));
      title = `Products sold (${products.length})`;
      body = (
        <table class="detail-table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">Qty</th>
              <th scope="col" class="num">Revenue</th>
              {props.owner && <th scope="col" class="num">COGS</th>}
              {props.owner && <th scope="col" class="num">Margin</th>}
            </tr>
          </thead>
          <tbody>
            {products.map((p) => (
              <tr key={p.productId}>
                <th scope="row">
                  <button type="button" class="link" onClick={() => props.onProduct(p.productId)}>
                    {props.nameOf(p.productId)}
                  </button>
                </th>
                <td class="num">{p.qty}</td>
                <td class="num">{money(p.revenue)}</td>
                {props.owner && <td class="num">{p.cogs === undefined ? '—' : money(p.cogs)}</td>}
                {props.owner && <td class="num">{p.margin === undefined ? '—' : money(p.margin)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      );
      break;
    }
    case 'product': {
      const product = analytics.products(current).find((p) => p.productId === detail.productId);
      const sales = analytics.salesIn(current).filter((sale) => !analytics.isVoided(sale.id) && sale.lines.some((line) => line.productId === detail.productId));
      title = props.nameOf(detail.productId);
      body = (
        <>
          <dl class="product-figures" data-testid="product-figures">
            <dt>Sold</dt>
            <dd>{product?.qty ?? 0}</dd>
            <dt>Revenue, excl. tax</dt>
            <dd>{money(product?.revenue ?? 0)}</dd>
            {props.owner && (
              <>
                <dt>Cost of goods sold</dt>
                <dd>{product?.cogs === undefined ? '—' : money(product.cogs)}</dd>
                <dt>Margin</dt>
                <dd>{product?.margin === undefined ? '—' : money(product.margin)}</dd>
              </>
            )}
          </dl>
          <h4>Its sales ({sales.length})</h4>
          <ul class="detail-rows">{sales.map(saleRow)}</ul>
        </>
      );
      break;
    }
  }
  return (
    <section class="figure-detail" aria-labelledby="figure-detail-title" data-testid="figure-detail">
      <div class="figure-detail-head">
        <h3 id="figure-detail-title" tabIndex={-1} ref={heading}>
          {title}
        </h3>
        <button type="button" class="secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
      {body}
    </section>
  );
}

/** One date format per locale, kept: the day chart names 30 days, and making a format costs more than using it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** 'Wed 11 Mar' or 'Mon 9 Mar – Wed 11 Mar', the dates read as calendar dates (no time zone shift). */
function describePeriod(from: LocalDate, to: LocalDate, locale: string): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });
    dateFormats.set(locale, format);
  }
  const read = (date: LocalDate) => format.format(new Date(`${date}T00:00:00Z`));
  return from === to ? read(from) : `${read(from)} – ${read(to)}`;
}
