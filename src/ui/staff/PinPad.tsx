/**
 * A PIN pad (issue 17): big digit buttons for a thumb, and a labelled password field for a
 * keyboard (type the digits, Backspace, Enter). Used by the lock screen to sign in and by the
 * approval dialog for a supervisor's PIN. It only collects the digits: `onSubmit` checks them and
 * answers with a sentence to show (wrong PIN, too many tries) or undefined when they were right.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import './pin-pad.css';

/** A PIN is at most this many digits (domain PIN_PATTERN: 4 to 6). */
const MAX_DIGITS = 6;

export interface PinPadProps {
  /** What the PIN is for, as the field's label ("Ana’s PIN"). */
  label: string;
  /** Checks the PIN: a sentence saying why it was not accepted, or undefined when it was. */
  onSubmit(pin: string): Promise<string | undefined>;
  /** Why no PIN may be entered now (a lockout); the pad is disabled and says so. */
  disabledReason?: string;
  onCancel?(): void;
  /** The cancel button's words; "Cancel" unless told. */
  cancelLabel?: string;
}

const digitsOnly = (text: string): string => text.replace(/\D/g, '').slice(0, MAX_DIGITS);

export function PinPad({ label, onSubmit, disabledReason, onCancel, cancelLabel = 'Cancel' }: PinPadProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const disabled = busy || disabledReason !== undefined;
  useEffect(() => {
    if (!disabled) input.current?.focus();
  }, [disabled]);

  const type = (digit: string) => {
    setError(undefined);
    setPin((current) => digitsOnly(current + digit));
  };
  const backspace = () => setPin((current) => current.slice(0, -1));
  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (disabled) return;
    if (pin.length < 4) {
      setError('Enter your PIN: 4 to 6 digits.');
      return;
    }
    setBusy(true);
    try {
      const problem = await onSubmit(pin);
      setError(problem);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      // Never left in the field: right or wrong, the next try starts empty.
      setPin('');
      setBusy(false);
    }
  };

  const message = disabledReason ?? error;
  return (
    <form class="pin-pad" onSubmit={(e) => void submit(e)} data-testid="pin-pad">
      <label for={id}>{label}</label>
      <input
        ref={input}
        id={id}
        class="pin-input"
        type="password"
        inputMode="numeric"
        pattern="[0-9]*"
        autoComplete="off"
        maxLength={MAX_DIGITS}
        value={pin}
        disabled={disabled}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={`${id}-error`}
        onInput={(e) => {
          const typed = digitsOnly(e.currentTarget.value);
          e.currentTarget.value = typed;
          setError(undefined);
          setPin(typed);
        }}
      />
      <p class="pin-dots" aria-hidden="true">
        {Array.from({ length: MAX_DIGITS }, (_, i) => (
          <span key={i} class={i < pin.length ? 'filled' : ''} />
        ))}
      </p>
      <p id={`${id}-error`} class="error pin-error" role="alert">
        {message ?? ''}
      </p>
      <div class="pin-keys">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((digit) => (
          <button key={digit} type="button" disabled={disabled} onClick={() => type(digit)}>
            {digit}
          </button>
        ))}
        <button type="button" disabled={disabled || pin === ''} onClick={backspace} aria-label="Delete the last digit">
          ⌫
        </button>
        <button type="button" disabled={disabled} onClick={() => type('0')}>
          0
        </button>
        <button type="submit" class="pin-ok" disabled={disabled}>
          OK
        </button>
      </div>
      {onCancel && (
        <button type="button" class="pin-cancel" onClick={onCancel}>
          {cancelLabel}
        </button>
      )}
    </form>
  );
}
