import { useEffect, useRef, useState } from 'preact/hooks';
import { settle } from '../../domain/cart.ts';
import { roundCashDue } from '../../domain/cash-rounding.ts';
import { currencyDigits, formatMoney, parseMoney } from '../../domain/money.ts';

interface Props {
  total: number;
  currency: string;
  /** Cash is rounded to this step (minor units; 1 = none). */
  cashStep: number;
  /**
   * Exchange: cash refunded by the return just recorded, handed straight back in as payment
   * (0 when none). It counts as cash received on top of what the customer hands over.
   */
  credit: number;
  busy: boolean;
  error: string | null;
  /** Said when a barcode is scanned while this dialog is open: nothing is added behind it. */
  heldScan?: string | null;
  onComplete(payment: { card: number; cashReceived: number }): void;
  onCancel(): void;
}

/** Note and coin values a customer typically hands over, in minor units, for quick cash buttons. */
function quickCashAmounts(total: number, currency: string): number[] {
  const unit = 10 ** currencyDigits(currency);
  const notes = [5, 10, 20, 50, 100].map((n) => n * unit);
  return [...new Set(notes.map((n) => Math.ceil(total / n) * n))].filter((n) => n > total).slice(0, 3);
}

function toInputText(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return digits === 0 ? String(amount) : (amount / 10 ** digits).toFixed(digits);
}

export function PayDialog({ total, currency, cashStep, credit, busy, error, heldScan = null, onComplete, onCancel }: Props) {
  const [cardText, setCardText] = useState('');
  const [cashText, setCashText] = useState('');
  const cashRef = useRef<HTMLInputElement>(null);
  useEffect(() => cashRef.current?.focus(), []);

  const card = cardText.trim() === '' ? { ok: true as const, value: 0 } : parseMoney(cardText, currency);
  const cash = cashText.trim() === '' ? { ok: true as const, value: 0 } : parseMoney(cashText, currency);
  const inputError = !card.ok ? `Card: ${card.error}` : !cash.ok ? `Cash: ${cash.error}` : null;
  const settled = card.ok && cash.ok ? settle(total, { card: card.value, cashReceived: credit + cash.value }, cashStep) : null;
  const money = (amount: number) => formatMoney(amount, currency);
  // What "exact cash" means when the drawer has no coins for the last digits.
  const allCash = roundCashDue(total, cashStep);
  const cardPart = card.ok ? Math.min(card.value, total) : 0;
  const cashPart = roundCashDue(total - cardPart, cashStep);
  // With an exchange credit the cashier only collects what the credit does not cover.
  const toCollect = Math.max(0, allCash.due - credit);

  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="pay-title">
        <h2 id="pay-title">
          Take payment: <span data-testid="pay-total">{money(total)}</span>
        </h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (settled?.ok && card.ok && cash.ok && !busy) onComplete({ card: card.value, cashReceived: credit + cash.value });
          }}
        >
          <div class="field-row">
            <label>
              Cash received
              <input ref={cashRef} name="cash" inputMode="decimal" autoComplete="off" value={cashText} onInput={(e) => setCashText(e.currentTarget.value)} />
            </label>
            <label>
              Card (on terminal)
              <input name="card" inputMode="decimal" autoComplete="off" value={cardText} onInput={(e) => setCardText(e.currentTarget.value)} />
            </label>
          </div>
          <div class="quick-buttons" role="group" aria-label="Quick amounts">
            <button type="button" onClick={() => { setCashText(toInputText(toCollect, currency)); setCardText(''); }}>
              Exact cash
            </button>
            {quickCashAmounts(toCollect, currency).map((amount) => (
              <button type="button" key={amount} onClick={() => { setCashText(toInputText(amount, currency)); setCardText(''); }}>
                Cash {money(amount)}
              </button>
            ))}
            <button type="button" onClick={() => { setCardText(toInputText(total, currency)); setCashText(''); }}>
              All by card
            </button>
          </div>
          {credit > 0 && (
            <p class="exchange-credit" data-testid="pay-credit">
              Exchange credit from the return: <strong>{money(credit)}</strong>, counted as cash received.{' '}
              {credit >= allCash.due ? 'The customer pays nothing more; any change goes back to them.' : `Collect ${money(toCollect)} more.`}
            </p>
          )}
          {cashPart.rounding !== 0 && (
            <p class="cash-rounding" data-testid="cash-rounding">
              Cash to pay <strong data-testid="cash-due">{money(cashPart.due)}</strong> (rounded {cashPart.rounding > 0 ? 'up' : 'down'}{' '}
              {money(Math.abs(cashPart.rounding))} to the nearest {money(cashStep)})
            </p>
          )}
          <p class="pay-status" aria-live="polite">
            {inputError ??
              (settled?.ok ? (
                <>
                  Change due: <strong data-testid="change-due">{money(settled.value.change)}</strong>
                </>
              ) : (
                settled?.error
              ))}
          </p>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {heldScan && (
            <p class="notice warning" role="alert" data-testid="held-scan">
              {heldScan}
            </p>
          )}
          <div class="dialog-actions">
            <button type="button" class="secondary" onClick={onCancel}>
              Back to cart
            </button>
            <button type="submit" class="primary" disabled={!settled?.ok || busy}>
              {busy ? 'Recording…' : 'Complete sale'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
