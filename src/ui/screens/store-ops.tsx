/**
 * Pieces shared by the store-operation screens (Receive, Transfers, Returns): a product picker that
 * takes a search, a hand scanner or the camera; quantity and money text checks whose errors are
 * sentences; and the journal entry of a recorded event.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import { ACCOUNTS } from '../../domain/accounts.ts';
import type { ProductSnapshot, StockUnit } from '../../domain/events.ts';
import { QTY_PER_PRICE_UNIT } from '../../domain/events.ts';
import type { JournalEntry } from '../../domain/journal.ts';
import { currencyDigits, formatMoney, parseMoney, type ParseResult } from '../../domain/money.ts';
import { DEMO_VARIABLE_MEASURE, lookupScan } from '../../domain/scan-lookup.ts';
import type { ScanMode } from '../scanner/CameraScanner.tsx';
import { CameraView, useCameraScanner } from '../scanner/use-camera-scanner.tsx';
import type { AppContext } from '../app-context.ts';
export { useWedgeScans } from '../hooks.ts';
import './store-ops.css';

/** "g" / "ml" after a quantity of a weighed product, nothing for pieces. */
export function qtyUnitLabel(unit: StockUnit): string {
  return unit === 'each' ? '' : unit === 'kg' ? 'g' : 'ml';
}

export function qtyWithUnit(qty: number, unit: StockUnit): string {
  const label = qtyUnitLabel(unit);
  return label ? `${qty} ${label}` : String(qty);
}

/** What the person typed as a quantity of stock units: a whole number from `min` (1 unless told). */
export function parseQty(text: string, min = 1): ParseResult<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: `Enter a quantity${min === 0 ? ' (0 if none)' : ''}.` };
  if (!/^\d{1,9}$/.test(trimmed)) return { ok: false, error: `"${text}" is not a quantity: use a whole number from ${min}.` };
  const qty = Number(trimmed);
  if (qty < min) return { ok: false, error: `${qty} is not a quantity to record: use a whole number from ${min}, or remove the line.` };
  return { ok: true, value: qty };
}

/** Minor units as the text of a money input ("1.19" for 119 EUR cents). */
export function moneyInputText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** A unit cost (per stock unit) as typed per piece, per kg or per litre. */
export function costInputText(unitCost: number, unit: StockUnit, currency: string): string {
  return moneyInputText(Math.round(unitCost * QTY_PER_PRICE_UNIT[unit]), currency);
}

/** Parses a unit cost typed per piece / kg / litre into minor units per stock unit. */
export function parseUnitCost(text: string, unit: StockUnit, currency: string): ParseResult<number> {
  const parsed = parseMoney(text, currency);
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value / QTY_PER_PRICE_UNIT[unit] };
}

export function costLabel(unit: StockUnit): string {
  return unit === 'each' ? 'Unit cost' : `Cost per ${unit}`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function locationName(app: AppContext, locationId: string | undefined): string {
  if (locationId === undefined) return 'unknown location';
  return app.locations.find((l) => l.id === locationId)?.name ?? locationId;
}

/** The first characters of an id, enough for people to tell transfers and orders apart. */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-6).toUpperCase();
}

/**
 * Search by name, SKU or barcode, plus the camera. A hand scanner is the screen's business (it may
 * mean a receipt number on Returns), so the screen passes what it scanned in through `onScan` too.
 */
/** The "Camera" button and, while on, the camera scanner below it (see useCameraScanner). */
export function CameraToggle(props: { app: AppContext; mode: ScanMode; onDetected(code: string): void }) {
  const camera = useCameraScanner();
  return (
    <>
      <button type="button" class="secondary" onClick={camera.toggle} aria-pressed={camera.Camera !== null}>
        {camera.Camera ? 'Stop camera' : 'Camera'}
      </button>
      <CameraView camera={camera} mode={props.mode} requireTwoReads={props.app.settings.requireTwoReads} onDetected={props.onDetected} />
    </>
  );
}

export function ProductPicker(props: {
  app: AppContext;
  id: string;
  label: string;
  mode?: ScanMode;
  onPick(product: ProductSnapshot): void;
  /** A code that matched no product (typed and submitted, or from the camera). */
  onUnknownCode?(code: string): void;
}) {
  const { app, onPick } = props;
  const [query, setQuery] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const results = useMemo(() => app.catalog.search(query, 12), [query, app.catalog]);

  const pickCode = (code: string) => {
    const match = lookupScan(code, (c) => app.catalog.byCode(c), DEMO_VARIABLE_MEASURE);
    if (match.found) {
      setProblem(null);
      onPick(match.product);
      return;
    }
    if (props.onUnknownCode) props.onUnknownCode(code);
    else setProblem(`${match.reason} Search by name instead.`);
  };
  const pickRef = useRef(pickCode);
  pickRef.current = pickCode;

  const onSubmit = (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = query.trim();
    if (text === '') return;
    const only = app.catalog.byCode(text) ?? (results.length === 1 ? results[0] : undefined);
    if (only) {
      onPick(only);
      setQuery('');
    } else if (results.length === 0) {
      if (/^\d{8,14}$/.test(text) && props.onUnknownCode) props.onUnknownCode(text);
      else setProblem(`Nothing matches "${text}". Check the spelling, or scan the barcode.`);
    }
  };

  return (
    <div class="ops-picker">
      <form role="search" onSubmit={onSubmit}>
        <label for={props.id}>{props.label}</label>
        <input
          id={props.id}
          type="search"
          placeholder="Name, SKU or barcode"
          autoComplete="off"
          value={query}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setProblem(null);
          }}
        />
        <CameraToggle app={app} mode={props.mode ?? 'lookup'} onDetected={(code) => pickRef.current(code)} />
      </form>
      {problem && (
        <p class="notice warning" role="alert">
          {problem}
        </p>
      )}
      {query.trim() !== '' && results.length > 0 && (
        <ul class="ops-results" aria-label="Matching products">
          {results.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                class="ops-result"
                onClick={() => {
                  onPick(p);
                  setQuery('');
                }}
              >
                <span>{p.name}</span>
                <small>{p.sku}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The double-entry lines an event posted, as the journal shows them. */
export function JournalTable({ entry, currency, caption }: { entry: JournalEntry | undefined; currency: string; caption: string }) {
  if (!entry || entry.lines.length === 0) return <p class="hint">No journal lines (nothing of value moved).</p>;
  const money = (amount: number) => (amount === 0 ? '' : formatMoney(amount, currency));
  const debit = entry.lines.reduce((s, l) => s + l.debit, 0);
  const credit = entry.lines.reduce((s, l) => s + l.credit, 0);
  // One row per account: the per-product detail matters to auditors, not at the till.
  const byAccount = new Map<string, { code: string; name: string; debit: number; credit: number }>();
  for (const line of entry.lines) {
    const row = byAccount.get(line.account) ?? { code: line.code, name: ACCOUNTS[line.account].name, debit: 0, credit: 0 };
    row.debit += line.debit;
    row.credit += line.credit;
    byAccount.set(line.account, row);
  }
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table class="stock-table ops-journal" data-testid="journal-entry">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col" class="num">
              Debit
            </th>
            <th scope="col" class="num">
              Credit
            </th>
          </tr>
        </thead>
        <tbody>
          {[...byAccount.values()].map((row) => (
            <tr key={row.code} data-account={row.code}>
              <th scope="row">
                {row.code} {row.name}
              </th>
              <td class="num">{money(row.debit)}</td>
              <td class="num">{money(row.credit)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td class="num">{formatMoney(debit, currency)}</td>
            <td class="num">{formatMoney(credit, currency)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** What a store-operation screen says after an action: a confirmation, or why nothing was recorded. */
export function OpsMessages({ notice, errors, testId }: { notice?: string | null; errors: string[]; testId: string }) {
  return (
    <>
      {notice && (
        <p class="notice info" role="status" data-testid={`${testId}-notice`}>
          {notice}
        </p>
      )}
      {errors.length > 0 && (
        <div class="error" role="alert" data-testid={`${testId}-errors`}>
          <p>Nothing was recorded:</p>
          <ul class="ops-errors">
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/** The submit and Cancel buttons at the foot of an operation form. */
export function FormActions({ submitLabel, busy, onCancel }: { submitLabel: string; busy: boolean; onCancel(): void }) {
  return (
    <div class="ops-actions">
      <button type="submit" class="primary" disabled={busy}>
        {submitLabel}
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
