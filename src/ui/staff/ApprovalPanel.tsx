/**
 * The approval dialog's body (loaded with the first request, see ApprovalDialog.tsx): what is being
 * approved and why, the members whose role allows all of it (not the one asking), and a PIN pad.
 * A wrong PIN is recorded for the owner's audit trail (`pin-rejected`, purpose 'approval') and
 * counts towards the member's lockout, the same rule as signing in (5 wrong → a minute).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppContext, ApprovalRequest } from '../app-context.ts';
import { leastRoleFor, PRIVILEGE_WORDS, roleAllows, ROLE_WORDS } from '../../domain/staff.ts';
import { PinPad } from './PinPad.tsx';
import { checkMemberPin, lockoutSentence, pinLockedUntilFor } from './pin-check.ts';
import './approval.css';

export interface ApprovalPanelProps {
  app: AppContext;
  request: ApprovalRequest;
  /** The approver's member id, or null when cancelled. */
  onDone(approverId: string | null): void;
}

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

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
    if (chosen) void pinLockedUntilFor(app, chosen).then(setLockedUntil);
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
    // The same check as signing in: lockout, the wrong PIN counted and recorded for the audit trail.
    const problem = await checkMemberPin(app, chosen, pin, 'approval');
    if (problem === undefined) {
      onDone(chosen.id);
      return undefined;
    }
    setLockedUntil(await pinLockedUntilFor(app, chosen));
    return problem;
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
            {...(lockedUntil === undefined ? {} : { disabledReason: lockoutSentence(chosen, lockedUntil, Date.now()) })}
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
