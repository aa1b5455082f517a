/**
 * Pieces shared by the store-operation screens (Receive, Transfers, Returns): a product picker (the
 * search box and the camera), the journal entry of a recorded event, what the screen says after an
 * action, and the buttons at the foot of a form.
 */
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ACCOUNTS } from '../../domain/accounts.ts';
import type { ProductSnapshot } from '../../domain/events.ts';
import type { JournalEntry } from '../../domain/journal.ts';
import { formatMoney } from '../../domain/money.ts';
import type { AppContext } from '../app-context.ts';
import { CameraButton, ScanCamera, type ScanInput } from '../hooks/use-scan-input.tsx';
import { useProductSearch } from '../hooks/use-product-search.ts';
import type { Action } from '../hooks/use-action.ts';
import { ProductResults, ProductSearchForm } from '../components/ProductSearch.tsx';
import './store-ops.css';

export function locationName(app: AppContext, locationId: string | undefined): string {
  if (locationId === undefined) return 'unknown location';
  return app.locations.find((l) => l.id === locationId)?.name ?? locationId;
}

/** The first characters of an id, enough for people to tell transfers and orders apart. */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-6).toUpperCase();
}

/**
 * Search by name, SKU or barcode, and the camera button. Scans (hand scanner or camera) go to the
 * screen's own `useScanInput`, since a scan may mean something else there (a receipt number on
 * Returns); the picker only shows the camera of that scanner.
 */
export function ProductPicker(props: {
  app: AppContext;
  scanner: ScanInput;
  id: string;
  label: string;
  onPick(product: ProductSnapshot): void;
  /** A typed code that matched no product. */
  onUnknownCode?(code: string): void;
}) {
  const { onPick } = props;
  const search = useProductSearch(props.app, 12);
  const [problem, setProblem] = useState<string | null>(null);
  const pick = (product: ProductSnapshot) => {
    setProblem(null);
    onPick(product);
  };

  return (
    <div class="ops-picker">
      <ProductSearchForm
        search={search}
        id={props.id}
        label={props.label}
        onPick={pick}
        onType={() => setProblem(null)}
        onNoMatch={(text) => {
          if (/^\d{8,14}$/.test(text) && props.onUnknownCode) props.onUnknownCode(text);
          else setProblem(`Nothing matches "${text}". Check the spelling, or scan the barcode.`);
        }}
      >
        <CameraButton scanner={props.scanner} stopLabel="Stop camera" />
        <ScanCamera scanner={props.scanner} mode="lookup" />
      </ProductSearchForm>
      {problem && (
        <p class="notice warning" role="alert">
          {problem}
        </p>
      )}
      {search.query.trim() !== '' && search.results.length > 0 && (
        <ProductResults
          products={search.results}
          label="Matching products"
          class="ops-results"
          buttonClass="ops-result"
          search={search}
          onPick={pick}
        >
          {(p) => (
            <>
              <span>{p.name}</span>
              <small>{p.sku}</small>
            </>
          )}
        </ProductResults>
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
export function OpsMessages({ action, testId }: { action: Action; testId: string }) {
  const { notice, messages: errors } = action;
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

/** An operation's form: submitting it runs `onSubmit` instead of loading a page. */
export function OpsForm({ onSubmit, children }: { onSubmit(): void; children: ComponentChildren }) {
  return (
    <form
      class="ops-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
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
