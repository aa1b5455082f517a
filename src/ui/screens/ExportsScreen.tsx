/**
 * Exports for the accountant (issue 15, items 3 and 4), owner only: pick a range and download the
 * journal (Xero, QuickBooks), the trial balance, sales by product and by day, and the catalog; and
 * stock at any past date and time, on screen and as CSV. Every file is made on this device from its
 * own books by `src/domain/exports` (the server's /api/v1/exports uses the same code), so it works
 * offline: a Blob and a download link, no server.
 */
import { useMemo, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { useProjection, useSettings } from '../hooks/index.ts';
import { formatMoney } from '../../domain/money.ts';
import type { Books } from '../../domain/index.ts';
import { asAtInstantOf, buildExport, businessDateOf, catalogOf, datedEntries, inRange, salesByDay, type ExportName, type ExportRequest } from '../../domain/exports/index.ts';
import { stockAtDate, stockValueAtDate } from '../../domain/stock-at-date.ts';
import { formatStockQty } from '../../domain/exports/sales-csv.ts';
import { downloadCsv } from '../components/download-csv.ts';
import './exports-screen.css';

const RANGE_EXPORTS: { name: ExportName; label: string; hint: string }[] = [
  { name: 'journal-xero', label: 'Journal for Xero', hint: 'Manual journals, at most 300 lines a file' },
  { name: 'journal-quickbooks', label: 'Journal for QuickBooks', hint: 'QuickBooks Online journal import' },
  { name: 'trial-balance', label: 'Trial balance', hint: 'Opening, debits, credits and closing per account' },
  { name: 'sales-by-product', label: 'Sales by product', hint: 'Net of returns, voids left out' },
  { name: 'sales-by-day', label: 'Sales by day', hint: 'Net of returns, voids left out' },
  { name: 'audit', label: 'Audit trail', hint: 'Voids, refunds, discounts, cash moves, approvals, wrong PINs, by member' },
];

function today(timeZone: string): string {
  return businessDateOf(new Date().toISOString(), timeZone);
}

/** Now as a `datetime-local` value in the store's time zone. */
function nowLocal(timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/**
 * The range's figures shown beside the buttons: the journal entries and sales of the range, and how
 * many Xero files the journal needs. Computed once per range and ledger size, not on every redraw
 * (the journal walks every event).
 */
function rangeFigures(books: Books, range: { from: string; to: string }, timeZone: string, currency: string) {
  const entries = inRange(datedEntries(books, timeZone), range);
  const days = salesByDay(books, { ...range, timeZone, currency });
  const xero = buildExport('journal-xero', books, range);
  return {
    entries,
    days,
    netSales: days.reduce((sum, d) => sum + d.summary.netSales, 0),
    sales: days.reduce((sum, d) => sum + d.summary.sales, 0),
    debits: entries.reduce((sum, e) => sum + e.lines.reduce((s, l) => s + Math.max(0, l.amount), 0), 0),
    xeroParts: xero.ok ? xero.files.length : 1,
  };
}

export function ExportsScreen({ app }: { app: AppContext }) {
  const settings = useSettings(app);
  const books = useProjection(app)?.books;
  const { timeZone, currency } = settings;
  const [from, setFrom] = useState(() => `${today(timeZone).slice(0, 8)}01`);
  const [to, setTo] = useState(() => today(timeZone));
  const [at, setAt] = useState(() => nowLocal(timeZone));
  const [error, setError] = useState('');
  const validRange = from !== '' && to !== '' && from <= to;
  const size = books?.size ?? 0;
  const figures = useMemo(() => (books && validRange ? rangeFigures(books, { from, to }, timeZone, currency) : null), [books, size, validRange, from, to, timeZone, currency]);

  if (app.role !== 'owner') {
    return (
      <section class="screen exports" aria-labelledby="exports-title">
        <h1 id="exports-title">Exports</h1>
        <p role="status">Exports show costs and the store’s books, so only the owner’s device makes them. Ask the owner for a copy.</p>
      </section>
    );
  }
  if (!books) {
    return (
      <section class="screen exports" aria-labelledby="exports-title">
        <h1 id="exports-title">Exports</h1>
        <p role="status">Reading the books…</p>
      </section>
    );
  }
  const money = (amount: number) => formatMoney(amount, currency);
  const { entries, days, netSales, sales, debits, xeroParts } = figures ?? { entries: [], days: [], netSales: 0, sales: 0, debits: 0, xeroParts: 1 };

  const save = (name: ExportName, request: ExportRequest, part?: number) => {
    const result = buildExport(name, books, request);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError('');
    const files = part === undefined ? result.files : result.files.slice(part - 1, part);
    for (const file of files) downloadCsv(file);
  };

  return (
    <section class="screen exports" aria-labelledby="exports-title">
      <h1 id="exports-title">Exports</h1>
      <p class="hint">Made on this device from its own books: they work offline. Dates are the store’s ({timeZone}).</p>

      <fieldset class="range">
        <legend>Range</legend>
        <label>
          From
          <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
      </fieldset>
      {!validRange && (
        <p class="error" role="alert">
          Choose a start date on or before the end date.
        </p>
      )}
      {validRange && entries.length === 0 && days.length === 0 && (
        <p role="status" data-testid="exports-empty">
          No entries between {from} and {to}: the files will have their headers only.
        </p>
      )}
      {validRange && (entries.length > 0 || days.length > 0) && (
        <dl class="range-figures" data-testid="range-figures">
          <div>
            <dt>Journal entries</dt>
            <dd data-testid="range-entries">{entries.length}</dd>
          </div>
          <div>
            <dt>Total debits</dt>
            <dd data-testid="range-debits">{money(debits)}</dd>
          </div>
          <div>
            <dt>Sales</dt>
            <dd data-testid="range-sales">{sales}</dd>
          </div>
          <div>
            <dt>Net sales</dt>
            <dd data-testid="range-net-sales">{money(netSales)}</dd>
          </div>
        </dl>
      )}
      {error !== '' && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul class="export-list">
        {RANGE_EXPORTS.map((item) => (
          <li key={item.name}>
            <span>
              <strong>{item.label}</strong>
              <small>{item.hint}</small>
            </span>
            {item.name === 'journal-xero' && xeroParts > 1 ? (
              <span class="parts">
                {Array.from({ length: xeroParts }, (_, i) => (
                  <button type="button" key={i} disabled={!validRange} onClick={() => save(item.name, { from, to }, i + 1)}>
                    Part {i + 1} of {xeroParts}
                  </button>
                ))}
              </span>
            ) : (
              <button type="button" disabled={!validRange} data-testid={`download-${item.name}`} aria-label={`Download ${item.label}`} onClick={() => save(item.name, { from, to })}>
                Download
              </button>
            )}
          </li>
        ))}
        <li>
          <span>
            <strong>Catalog</strong>
            <small>Every product on sale; the import reads it back</small>
          </span>
          <button type="button" data-testid="download-catalog" aria-label="Download Catalog" onClick={() => save('catalog', { location: settings.locationId })}>
            Download
          </button>
        </li>
      </ul>

      <StockAtDate app={app} books={books} at={at} setAt={setAt} onDownload={() => save('stock-valuation', { at })} />
    </section>
  );
}

function StockAtDate({ app, books, at, setAt, onDownload }: { app: AppContext; books: Books; at: string; setAt: (value: string) => void; onDownload: () => void }) {
  const { timeZone, currency } = app.settings;
  const instant = asAtInstantOf(at, timeZone);
  const products = new Map(catalogOf(books.events()).map((p) => [p.id, p]));
  const locations = new Map(books.locations().map((l) => [l.id, l.name]));
  const rows = instant === undefined ? [] : stockAtDate(books, instant, products);
  const money = (amount: number) => formatMoney(amount, currency);
  return (
    <section class="stock-at-date" aria-labelledby="stock-at-date-title">
      <h2 id="stock-at-date-title">Stock at a date</h2>
      <label>
        As at (store time)
        <input type="datetime-local" value={at} onInput={(e) => setAt(e.currentTarget.value)} />
      </label>
      {instant === undefined ? (
        <p class="error" role="alert">
          Enter a date and time.
        </p>
      ) : (
        <>
          <p class="summary" data-testid="stock-at-date-total">
            Value as at {at.replace('T', ' ')}: {money(stockValueAtDate(rows))}
          </p>
          <div class="table-wrap" role="region" aria-label="Stock at the date" tabIndex={0}>
            <table class="stock-at-date-table">
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Location</th>
                  <th scope="col" class="num">Qty</th>
                  <th scope="col" class="num">Unit cost</th>
                  <th scope="col" class="num">Value</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const product = products.get(row.productId);
                  return (
                    <tr key={`${row.productId}@${row.locationId}`}>
                      <td>{product?.name ?? row.productId}</td>
                      <td>{locations.get(row.locationId) ?? row.locationId}</td>
                      <td class="num">{formatStockQty(row.qty, product?.unit ?? 'each')}</td>
                      <td class="num">{row.unitCost === undefined ? '–' : money(row.unitCost)}</td>
                      <td class="num">{money(row.value)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {rows.length === 0 && <p role="status">Nothing was in stock then.</p>}
          <button type="button" data-testid="download-stock-valuation" onClick={onDownload}>
            Download stock at this date (CSV)
          </button>
        </>
      )}
    </section>
  );
}
