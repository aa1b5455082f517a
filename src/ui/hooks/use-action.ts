/**
 * Recording an action, the same way on every screen: the screen gathers its input and calls a
 * command (src/app/commands); `useAction` records the bodies the command returned through
 * `app.record`, and holds what the screen shows meanwhile and after: busy, the errors (by field,
 * when the command named one) and a notice saying what was done.
 */
import { useRef, useState } from 'preact/hooks';
import type { CommandContext, CommandResult, FieldError } from '../../app/commands/index.ts';
import type { LedgerEvent } from '../../domain/events.ts';
import type { AppContext } from '../app-context.ts';
import type { RecordOptions } from '../../db/ledger.ts';

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface Action {
  /** True while the bodies are being recorded: the screen disables its submit button. */
  busy: boolean;
  /** Why the last attempt recorded nothing (empty after a success, `say` or `clear`); a notice stays. */
  errors: FieldError[];
  /** The sentences of `errors`, in order, for screens that list them together. */
  messages: string[];
  /** The message about one field, for showing it next to that field. */
  errorFor(field: string): string | undefined;
  /** What the last action did, or a hint the screen gave with `say`. */
  notice: string | null;
  /**
   * Calls the command (`decide`, with this device's `app.commandContext()`) and records the bodies it
   * returned, in order. `done` gets the recorded events and may return the notice to show. Returns
   * the events, or null when the command refused or the write failed (then `errors` says why).
   * `last` goes with the last body, the one that completes the action: e.g. the Sell screen's saved
   * cart is deleted in the sale's own transaction.
   */
  run(
    decide: (context: CommandContext) => CommandResult,
    done?: (events: LedgerEvent[]) => string | void,
    last?: RecordOptions,
  ): Promise<LedgerEvent[] | null>;
  /** Shows errors the screen found itself (input it could not read), recording nothing. */
  refuse(...messages: string[]): void;
  /** Shows a notice (and clears the errors). */
  say(notice: string | null): void;
  clear(): void;
}

export function useAction(app: AppContext): Action {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  // A second press while the first is still recording must not record twice.
  const running = useRef(false);

  const run: Action['run'] = async (decide, done, last) => {
    if (running.current) return null;
    const result = decide(app.commandContext());
    if (!result.ok) {
      setErrors(result.errors);
      return null;
    }
    running.current = true;
    setBusy(true);
    try {
      const events: LedgerEvent[] = [];
      for (const [i, body] of result.bodies.entries()) events.push(await app.record(body, i === result.bodies.length - 1 ? last : undefined));
      setErrors([]);
      setNotice(done?.(events) ?? null);
      return events;
    } catch (error) {
      setErrors([{ message: errorText(error) }]);
      return null;
    } finally {
      running.current = false;
      setBusy(false);
    }
  };

  return {
    busy,
    errors,
    messages: errors.map((e) => e.message),
    errorFor: (field) => errors.find((e) => e.field === field)?.message,
    notice,
    run,
    refuse: (...messages) => setErrors(messages.map((message) => ({ message }))),
    say: (text) => {
      setErrors([]);
      setNotice(text);
    },
    clear: () => {
      setErrors([]);
      setNotice(null);
    },
  };
}

/**
 * The command's answer, after the errors the screen found reading its own inputs (text that is not a
 * number). With those, the command saw only the lines that could be read, so what it says about the
 * lines as a whole ("add at least one product") is left out.
 */
export function withInputErrors(inputErrors: string[], result: CommandResult): CommandResult {
  if (inputErrors.length === 0) return result;
  const others = result.ok ? [] : result.errors.filter((e) => e.field !== 'lines');
  return { ok: false, errors: [...inputErrors.map((message) => ({ message })), ...others] };
}
