/**
 * The approval dialog's body (loaded with the first request, see ApprovalDialog.tsx): what is being
 * approved and why, the members whose role allows all of it (not the one asking), and a PIN pad.
 * A wrong PIN is recorded for the owner's audit trail (`pin-rejected`, purpose 'approval') and
 * counts towards the member's lockout, the same rule as signing in (5 wrong → a minute).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppContext, ApprovalRequest } from '../app-context.ts';
import { leastRoleFor, PIN_ATTEMPTS, pinLockedUntil, PRIVILEGE_WORDS, roleAllows, ROLE_WORDS } from '../../domain/staff.ts';
import { recordPinRejected } from '../../app/commands/staff.ts';
import { PinPad } from './PinPad.tsx';
import { verifyPin } from './pin-hash.ts';
import { clearPinAttempts, countWrongPin, pinAttemptsOf } from './pin-attempts.ts';
import './approval.css';

export interface ApprovalPanelProps {
  app: AppContext;
  request: ApprovalRequest;
  /** The approver's member id, or null when cancelled. */
  onDone(approverId: string | null): void;
}

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const clock = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function ApprovalPanel({ app, request, onDone }: ApprovalPanelProps) {
  const staff = app.projection?.books.staff();
  const actor = app.actor;
  const approvers = (staff?.activeMembers() ?? []).filter((m) => m.id !== actor?.id && request.privileges.every((p) => roleAllows(m.role, p)));
  const [chosenId, setChosenId] = useState<string | null>(approvers.length === 1 ? approvers[0]!.id : null);
  const chosen = approvers.find((m) => m.id === chosenId);
  const [lockedUntil, setLockedUntil] = useState<number | undefined>(undefined);
  const firstChoice = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!chosen) firstChoice.current?.focus();
  }, []);
  // A member locked out by wrong PINs (here or on the lock screen) is refused until the minute is up.
  useEffect(() => {
    setLockedUntil(undefined);
    if (chosen) void pinAttemptsOf(app.db, chosen.id).then((attempts) => setLockedUntil(pinLockedUntil(attempts, Date.now())));
  }, [chosenId]);
  useEffect(() => {
    if (lockedUntil === undefined) return;
    const timer = setTimeout(() => setLockedUntil(undefined), Math.max(0, lockedUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [lockedUntil]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onDone(null);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onDone]);

  const what = request.privileges.map((p) => PRIVILEGE_WORDS[p]).join(' and ');
  const least = leastRoleFor(request.privileges[0] ?? 'void-sale');
  const why = `${sentence(what)} needs a ${least}’s approval${actor ? `: ${actor.name} is a ${ROLE_WORDS[staff?.member(actor.id)?.role ?? actor.role].toLowerCase()}` : ''}.`;

  const check = async (pin: string): Promise<string | undefined> => {
    if (!chosen) return 'Choose who approves first.';
    const now = Date.now();
    const locked = pinLockedUntil(await pinAttemptsOf(app.db, chosen.id), now);
    if (locked !== undefined) {
      setLockedUntil(locked);
      return undefined;
    }
    if (await verifyPin(chosen.pin, pin)) {
      await clearPinAttempts(app.db, chosen.id);
      onDone(chosen.id);
      return undefined;
    }
    const attempts = await countWrongPin(app.db, chosen.id, now);
    // For the owner's audit trail; the approval goes on whether or not this could be recorded.
    const rejected = recordPinRejected.run({ memberId: chosen.id, purpose: 'approval' }, app.commandContext(now));
    if (rejected.ok) for (const body of rejected.bodies) await app.record(body).catch((error: unknown) => console.error(error));
    const until = pinLockedUntil(attempts, now);
    if (until !== undefined) {
      setLockedUntil(until);
      return undefined;
    }
    const left = PIN_ATTEMPTS - attempts.failures;
    return `That is not ${chosen.name}’s PIN. ${left} ${left === 1 ? 'try' : 'tries'} left before ${chosen.name} is refused for a minute.`;
  };

  return (
    <div class="dialog-backdrop approval-backdrop">
      <div class="dialog approval-dialog" role="dialog" aria-modal="true" aria-labelledby="approval-title" aria-describedby="approval-why" data-testid="approval-dialog">
        <h2 id="approval-title">Approval needed</h2>
        <p class="approval-summary" data-testid="approval-summary">
          {request.summary}
        </p>
        <p id="approval-why" class="hint">
          {why}
        </p>
        {approvers.length === 0 ? (
          <p class="notice warning" role="alert">
            No other active staff member may approve this. Ask the owner to make someone a {least}, or cancel.
          </p>
        ) : (
          <fieldset class="approvers">
            <legend>Who approves?</legend>
            {approvers.map((m, i) => (
              <button
                key={m.id}
                ref={i === 0 ? firstChoice : undefined}
                type="button"
                class="secondary approver"
                aria-pressed={m.id === chosenId}
                onClick={() => setChosenId(m.id)}
              >
                <strong>{m.name}</strong> <span>{ROLE_WORDS[m.role]}</span>
              </button>
            ))}
          </fieldset>
        )}
        {chosen && (
          <PinPad
            key={chosen.id}
            label={`${chosen.name}’s PIN`}
            onSubmit={check}
            disabledReason={lockedUntil === undefined ? undefined : `${chosen.name} entered a wrong PIN ${PIN_ATTEMPTS} times: try again after ${clock(lockedUntil)}, or ask someone else to approve.`}
          />
        )}
        <div class="dialog-actions">
          <button type="button" class="secondary approval-cancel" onClick={() => onDone(null)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
