/**
 * One product × location's forecast and levels on the Reorder screen: the next days' expected sales,
 * its demand class and method in plain words, how wrong the method was lately, the reorder point and
 * order-up-to level (pinned by the owner or computed, each pinned or unpinned here through
 * `setReorderLevels`), safety stock, lead time, and how much history there is.
 */
import { useState } from 'preact/hooks';
import { addDays } from '../../domain/calendar.ts';
import { formatUnitQty, parseUnitQty } from '../../domain/catalog-csv.ts';
import type { StockUnit } from '../../domain/events.ts';
import type { SeriesPlan } from '../../domain/replenishment/types.ts';
import { setReorderLevels } from '../../app/commands/index.ts';
import type { AppContext } from '../app-context.ts';
import { useAction, withInputErrors } from '../hooks/use-action.ts';
import { locationName, OpsMessages } from '../screens/store-ops.tsx';
import { METHOD_WORDS, amountText, demandClassWords, leadTimeWords, qtyText, rateText, supplierName } from './plan-words.ts';

/** Days of forecast shown. */
const SHOWN_DAYS = 7;

type Level = 'reorderPoint' | 'orderUpTo';
const LEVEL_WORDS: Record<Level, string> = { reorderPoint: 'Reorder point', orderUpTo: 'Order up to' };

export function SeriesDetail({ app, series, asOf, onBack }: { app: AppContext; series: SeriesPlan; asOf: string; onBack(): void }) {
  const product = app.catalog.get(series.productId);
  const unit: StockUnit = product?.unit ?? 'each';
  const name = product?.name ?? series.productId;
  const { forecast } = series;
  return (
    <section class="reorder-detail" aria-labelledby="reorder-detail-title" data-testid="series-detail" data-product-id={series.productId}>
      <button type="button" class="secondary" onClick={onBack}>
        ← Back to the suggestions
      </button>
      <h2 id="reorder-detail-title" tabIndex={-1}>
        {name}
        <span class="hint"> · {locationName(app, series.locationId)}</span>
      </h2>
      <dl class="reorder-figures">
        <Figure term="On hand" value={qtyText(series.onHand, unit)} testId="detail-on-hand" />
        <Figure term="On order" value={qtyText(series.onOrder, unit)} testId="detail-on-order" />
        {series.inTransit > 0 && <Figure term="On the way" value={qtyText(series.inTransit, unit)} testId="detail-in-transit" />}
        <Figure term="Supplier" value={supplierName(series.supplier ?? '')} />
        <Figure term="Lead time" value={leadTimeWords(series.leadTime)} testId="detail-lead-time" />
        <Figure term="History" value={`${series.historyDays} ${series.historyDays === 1 ? 'day' : 'days'}, ${series.stockOutDays} out of stock`} testId="detail-history" />
      </dl>
      {forecast.kind === 'none' ? (
        <p class="reorder-no-forecast" role="status" data-testid="no-forecast">
          No sales history here yet: no forecast. Until it sells here, pin the levels below by hand if it needs any.
        </p>
      ) : (
        <>
          <h3>Expected sales, next {Math.min(SHOWN_DAYS, forecast.perPeriod.length)} days</h3>
          <ForecastBars perDay={forecast.perPeriod.slice(0, SHOWN_DAYS)} asOf={asOf} unit={unit} />
          <dl class="reorder-figures">
            <Figure term="Demand" value={demandClassWords(forecast.demandClass)} testId="detail-class" />
            <Figure term="Method" value={METHOD_WORDS[forecast.method]} testId="detail-method" />
            <Figure
              term="Recent error"
              testId="detail-error"
              value={
                forecast.recentError === undefined
                  ? 'Not enough history to say yet'
                  : `Off by ${rateText(forecast.recentError.mae, unit)} a day on average over the last ${forecast.recentError.periods} days` +
                    (forecast.recentError.rmsse === undefined ? '' : ` (${forecast.recentError.rmsse.toFixed(2)} × a same-as-yesterday guess)`)
              }
            />
            {series.computed && <Figure term="Safety stock" value={amountText(series.computed.safetyStock, unit)} testId="detail-safety" />}
            {series.computed && <Figure term="Expected over the lead time" value={amountText(series.computed.leadTimeDemand, unit)} />}
          </dl>
        </>
      )}
      <h3>Levels</h3>
      <LevelsForm app={app} series={series} unit={unit} name={name} />
    </section>
  );
}

function Figure({ term, value, testId }: { term: string; value: string; testId?: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** The next days as bars (for the eye) and numbers (for everyone): a small table. */
function ForecastBars({ perDay, asOf, unit }: { perDay: number[]; asOf: string; unit: StockUnit }) {
  const highest = Math.max(...perDay, 0);
  const day = (i: number) => {
    const date = addDays(asOf, i + 1);
    return new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
  };
  return (
    <table class="reorder-forecast" data-testid="forecast-days">
      <caption class="visually-hidden">Expected sales per day</caption>
      <tbody>
        {perDay.map((value, i) => (
          <tr key={i}>
            <th scope="row">{day(i)}</th>
            <td class="reorder-bar-cell" aria-hidden="true">
              <span class="reorder-bar" style={{ width: `${highest > 0 ? Math.max(2, (value / highest) * 100) : 0}%` }} />
            </td>
            <td class="num">{rateText(value, unit)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Each level as it applies, "pinned by you" or "computed"; pinning types a level of one's own (kept
 * until unpinned), unpinning hands it back to the forecast. The other level keeps what it was.
 */
function LevelsForm({ app, series, unit, name }: { app: AppContext; series: SeriesPlan; unit: StockUnit; name: string }) {
  const action = useAction(app);
  const [editing, setEditing] = useState<Level | null>(null);
  const [text, setText] = useState('');
  const unitWord = unit === 'each' ? 'pieces' : unit === 'kg' ? 'kg' : 'litres';
  const pinnedValue = (level: Level): number | null => (series.pinned[level] ? (series[level] ?? null) : null);

  const record = async (level: Level, value: number | null, inputErrors: string[]) => {
    const line = { productId: series.productId, locationId: series.locationId, reorderPoint: pinnedValue('reorderPoint'), orderUpTo: pinnedValue('orderUpTo'), [level]: value };
    await action.run(
      (context) => withInputErrors(inputErrors, setReorderLevels.run({ lines: [line] }, context)),
      () => {
        setEditing(null);
        return value === null ? `${LEVEL_WORDS[level]} of ${name} is computed again.` : `${LEVEL_WORDS[level]} of ${name} pinned at ${qtyText(value, unit)}.`;
      },
    );
  };
  const pin = (level: Level) => {
    const value = parseUnitQty(text, unit);
    const what = unit === 'each' ? 'a whole number of pieces' : `a number of ${unitWord} with up to 3 decimals`;
    if (value === undefined || value === null) return action.refuse(`“${text}” is not ${what}: type the level to keep.`);
    void record(level, value, []);
  };

  return (
    <div class="reorder-levels-detail">
      {(['reorderPoint', 'orderUpTo'] as const).map((level) => {
        const value = series[level];
        const id = `pin-${level}`;
        return (
          <div key={level} class="reorder-level" data-testid={`level-${level}`}>
            <p>
              <strong>{LEVEL_WORDS[level]}:</strong> <span data-testid="level-value">{value === undefined ? 'none' : qtyText(value, unit)}</span>{' '}
              <span class={series.pinned[level] ? 'badge' : 'hint'} data-testid="level-source">
                {series.pinned[level] ? 'pinned by you' : value === undefined ? 'no forecast to compute it' : 'computed'}
              </span>
            </p>
            {editing === level ? (
              <form
                class="reorder-inline"
                onSubmit={(e) => {
                  e.preventDefault();
                  pin(level);
                }}
              >
                <label class="visually-hidden" for={id}>
                  {LEVEL_WORDS[level]} of {name} in {unitWord}
                </label>
                <input id={id} inputMode="decimal" autoComplete="off" value={text} onInput={(e) => setText(e.currentTarget.value)} />
                <button type="submit" class="primary" disabled={action.busy}>
                  Pin
                </button>
                <button type="button" class="secondary" onClick={() => setEditing(null)}>
                  Cancel
                </button>
              </form>
            ) : (
              <div class="reorder-inline">
                <button
                  type="button"
                  class="secondary"
                  onClick={() => {
                    action.clear();
                    setText(value === undefined ? '' : formatUnitQty(value, unit));
                    setEditing(level);
                  }}
                >
                  {series.pinned[level] ? 'Change' : 'Pin a level'}
                </button>
                {series.pinned[level] && (
                  <button type="button" class="secondary" disabled={action.busy} onClick={() => void record(level, null, [])}>
                    Unpin: compute it
                  </button>
                )}
              </div>
            )}
          </div>
        );
      })}
      <OpsMessages action={action} testId="levels" />
    </div>
  );
}
