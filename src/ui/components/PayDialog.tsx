import { useEffect, useRef, useState } from 'preact/hooks';
import { paymentPartProblem, settle, stillOwed, type Payment, type PaymentPart } from '../../domain/cart.ts';
import { roundCashDue } from '../../domain/cash-rounding.ts';
import type { SaleWithoutShift } from '../../domain/events.ts';
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
  /**
   * No shift is open on this till: 'ask' offers to open one (completing sells without), 'refuse'
   * needs one first. Undefined when a shift is open (or the books are still loading).
   */
  noShift?: SaleWithoutShift | undefined;
  /** Opening a shift from here: busy, why it was not opened, or what was done. */
  shift?: { busy: boolean; error: string | null; notice: string | null };
  onOpenShift?(floatText: string): void;
  /** What the customer handed over, in order, the exchange credit first as cash. */
  onComplete(payment: Payment): void;
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

export function PayDialog({ total, currency, cashStep, credit, busy, error, heldScan = null, noShift, shift, onOpenShift, onComplete, onCancel }: Props) {
  // The parts handed over so far, in order: a card part is added when the terminal has charged it,
  // and cash typed before it was handed over first, so it is added ahead of the card.
  const [parts, setParts] = useState<PaymentPart[]>([]);
  const [cardText, setCardText] = useState('');
  const [cashText, setCashText] = useState('');
  const [cardError, setCardError] = useState<string | null>(null);
  const [floatText, setFloatText] = useState('');
  const cashRef = useRef<HTMLInputElement>(null);
  useEffect(() => cashRef.current?.focus(), []);

  const rules = { currency, cashStep };
  const money = (amount: number) => formatMoney(amount, currency);
  const card = cardText.trim() === '' ? { ok: true as const, value: 0 } : parseMoney(cardText, currency);
  const cash = cashText.trim() === '' ? { ok: true as const, value: 0 } : parseMoney(cashText, currency);
  const inputError = !card.ok ? `Card: ${card.error}` : !cash.ok ? `Cash: ${cash.error}` : null;
  // The exchange credit was handed back in before anything else.
  const creditParts: PaymentPart[] = credit > 0 ? [{ method: 'cash', amount: credit }] : [];
  const typedCash: PaymentPart[] = cash.ok && cash.value > 0 ? [{ method: 'cash', amount: cash.value }] : [];
  const handedOver = [...creditParts, ...parts, ...typedCash];
  const owed = stillOwed(total, handedOver, cashStep);
  const cardPending = card.ok && card.value > 0;
  const settled = cash.ok && !cardPending ? settle(total, handedOver, rules) : null;
  const cardsSoFar = parts.reduce((sum, p) => sum + (p.method === 'card' ? p.amount : 0), 0);
  const cashSoFar = [...creditParts, ...parts].reduce((sum, p) => sum + (p.method === 'cash' ? p.amount : 0), 0);
  // What the rest comes to in cash, rounded to the drawer's coins, and what the cashier still collects.
  const cashPart = roundCashDue(total - cardsSoFar, cashStep);
  const toCollect = Math.max(0, cashPart.due - cashSoFar);

  function addCard(amount: number): void {
    if (!cash.ok) return;
    const before = [...creditParts, ...parts, ...typedCash];
    const part: PaymentPart = { method: 'card', amount };
    const problem = paymentPartProblem(total, before, part, rules);
    if (problem) return setCardError(problem);
    setParts([...parts, ...typedCash, part]);
    setCardText('');
    setCashText('');
    setCardError(null);
  }

  const status = inputError
    ?? cardError
    ?? (cardPending ? `Press “Charge card” once the terminal has charged ${card.ok ? money(card.value) : ''}, or clear the card amount.` : null);

  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="pay-title">
        <h2 id="pay-title">
          Take payment: <span data-testid="pay-total">{money(total)}</span>
        </h2>
        <p class="still-owed" aria-live="polite">
          Still owed <strong data-testid="still-owed">{money(owed)}</strong>
        </p>
        {noShift && (
          <div class="notice warning no-shift" data-testid="no-shift">
            <p>
              {noShift === 'refuse'
                ? 'No shift is open on this till, and this store needs one for every sale. Open one with the float in the drawer:'
                : 'No shift is open on this till, so this sale would go into no drawer’s count. Open one now with the float in the drawer, or complete the sale without a shift.'}
            </p>
            <div class="card-part">
              <label>
                Float in the drawer
                <input name="float" inputMode="decimal" autoComplete="off" value={floatText} onInput={(e) => setFloatText(e.currentTarget.value)} />
              </label>
              <button type="button" class="secondary" disabled={shift?.busy} onClick={() => onOpenShift?.(floatText)}>
                Open shift
              </button>
            </div>
            {shift?.error && (
              <p class="error" role="alert">
                {shift.error} The shift was not opened.
              </p>
            )}
          </div>
        )}
        {!noShift && shift?.notice && (
          <p class="notice info" role="status">
            {shift.notice}
          </p>
        )}
        {parts.length > 0 && (
          <ul class="paid-parts" aria-label="Paid so far" data-testid="paid-parts">
            {parts.map((part, i) => (
              <li key={i}>
                <span>
                  {part.method === 'card' ? 'Card' : 'Cash'} {money(part.amount)}
                </span>
                <button type="button" class="secondary" aria-label={`Remove ${part.method} ${money(part.amount)}`} onClick={() => setParts(parts.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (settled?.ok && !busy && noShift !== 'refuse') onComplete(handedOver);
          }}
        >
          <div class="field-row">
            <label>
              Cash received
              <input ref={cashRef} name="cash" inputMode="decimal" autoComplete="off" value={cashText} onInput={(e) => { setCashText(e.currentTarget.value); setCardError(null); }} />
            </label>
            <div class="card-part">
              <label>
                Card (on terminal)
                <input
                  name="card"
                  inputMode="decimal"
                  autoComplete="off"
                  value={cardText}
                  onInput={(e) => { setCardText(e.currentTarget.value); setCardError(null); }}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter') return;
                    e.preventDefault();
                    if (card.ok && card.value > 0) addCard(card.value);
                  }}
                />
              </label>
              <button type="button" class="secondary" disabled={!cardPending} onClick={() => card.ok && addCard(card.value)}>
                Charge card
              </button>
            </div>
          </div>
          <div class="quick-buttons" role="group" aria-label="Quick amounts">
            <button type="button" onClick={() => { setCashText(toInputText(toCollect, currency)); setCardText(''); setCardError(null); }}>
              Exact cash
            </button>
            {quickCashAmounts(toCollect, currency).map((amount) => (
              <button type="button" key={amount} onClick={() => { setCashText(toInputText(amount, currency)); setCardText(''); setCardError(null); }}>
                Cash {money(amount)}
              </button>
            ))}
            <button type="button" disabled={owed === 0} onClick={() => { setCardText(''); addCard(owed); }}>
              {cardsSoFar + cashSoFar + (cash.ok ? cash.value : 0) === 0 ? 'All by card' : `Rest by card (${money(owed)})`}
            </button>
          </div>
          {credit > 0 && (
            <p class="exchange-credit" data-testid="pay-credit">
              Exchange credit from the return: <strong>{money(credit)}</strong>, counted as cash received.{' '}
              {credit >= cashPart.due ? 'The customer pays nothing more; any change goes back to them.' : `Collect ${money(toCollect)} more.`}
            </p>
          )}
          {cashPart.rounding !== 0 && (
            <p class="cash-rounding" data-testid="cash-rounding">
              Cash to pay <strong data-testid="cash-due">{money(cashPart.due)}</strong> (rounded {cashPart.rounding > 0 ? 'up' : 'down'}{' '}
              {money(Math.abs(cashPart.rounding))} to the nearest {money(cashStep)})
            </p>
          )}
          <p class="pay-status" aria-live="polite">
            {status ??
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
            <button type="submit" class="primary" disabled={!settled?.ok || busy || noShift === 'refuse'}>
              {busy ? 'Recording…' : noShift === 'ask' ? 'Complete sale without a shift' : 'Complete sale'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
