/**
 * Voiding a sale (issue 14, item 6): why, from a list of reasons (or "Other" in the cashier's own
 * words), and one button that names what is voided, so a void is never a slip of the wrong row.
 * The sale keeps its receipt number and shows as VOIDED with the reason.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { VOID_REASONS } from '../../app/commands/sale.ts';

const OTHER = 'Other';

interface Props {
  receiptNo: string;
  /** The sale's total, formatted. */
  amount: string;
  busy: boolean;
  /** Why the void was not recorded, when it was refused. */
  error: string | undefined;
  onConfirm(reason: string): void;
  onCancel(): void;
}

export function VoidDialog({ receiptNo, amount, busy, error, onConfirm, onCancel }: Props) {
  const [choice, setChoice] = useState<string | null>(null);
  const [other, setOther] = useState('');
  const firstReason = useRef<HTMLInputElement>(null);
  const otherRef = useRef<HTMLInputElement>(null);
  useEffect(() => firstReason.current?.focus(), []);
  useEffect(() => {
    if (choice === OTHER) otherRef.current?.focus();
  }, [choice]);

  const reason = choice === OTHER ? other.trim() : choice;
  const missing = choice === null ? 'Choose a reason to void this sale.' : choice === OTHER && reason === '' ? 'Say why in a few words.' : null;

  return (
    <div class="dialog-backdrop">
      <div
        class="dialog void-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="void-title"
        aria-describedby="void-what"
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !busy) onCancel();
        }}
      >
        <h2 id="void-title">Void receipt {receiptNo}?</h2>
        <p id="void-what">
          The sale of {amount} is cancelled: its money is given back and its stock returns to the shelf. The receipt keeps its number and shows as
          voided.
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reason && !missing && !busy) onConfirm(reason);
          }}
        >
          <fieldset class="void-reasons">
            <legend>Reason</legend>
            {[...VOID_REASONS, OTHER].map((option, i) => (
              <label key={option} class="inline">
                <input
                  type="radio"
                  name="void-reason"
                  value={option}
                  ref={i === 0 ? firstReason : undefined}
                  checked={choice === option}
                  onChange={() => setChoice(option)}
                />
                {option}
              </label>
            ))}
            {choice === OTHER && (
              <>
                <label for="void-other">Other reason</label>
                <input id="void-other" ref={otherRef} value={other} maxLength={200} autoComplete="off" onInput={(e) => setOther(e.currentTarget.value)} />
              </>
            )}
          </fieldset>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {!error && missing && (
            <p class="hint" data-testid="void-missing">
              {missing}
            </p>
          )}
          <div class="dialog-actions">
            <button type="button" class="secondary" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
            <button type="submit" class="danger confirm" disabled={busy || missing !== null}>
              Void receipt {receiptNo} ({amount})
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
