/**
 * Staff (issue 17, route `#/staff`, the owner's device): who works the store's tills. The list of
 * members (name, role, active) and one form to add a member or change one: name, role, a PIN typed
 * twice (hashed here with PBKDF2 before the `defineStaffMember` command sees it; left blank on a
 * change, the PIN stays) and whether they may sign in. Errors show next to their fields.
 */
import { useState } from 'preact/hooks';
import { defineStaffMember } from '../../app/commands/staff.ts';
import { STAFF_ROLES, type StaffRole } from '../../domain/events.ts';
import { ROLE_WORDS, type StaffMemberSnapshot } from '../../domain/staff.ts';
import type { AppContext } from '../app-context.ts';
import { errorText, useAction } from '../hooks/use-action.ts';
import { useProjection } from '../hooks/index.ts';
import { hashPin, pinProblem } from '../staff/pin-hash.ts';
import { setActor } from '../staff/staff-session.ts';
import './staff-screen.css';

interface Draft {
  memberId?: string;
  name: string;
  role: StaffRole;
  pin: string;
  pinAgain: string;
  active: boolean;
}

const ROLE_HINTS: Record<StaffRole, string> = {
  cashier: 'sells, takes returns with a receipt, opens and closes their shift; anything more asks a supervisor’s PIN',
  supervisor: 'also voids, refunds without a receipt, gives bigger discounts, changes prices at the till and moves cash',
  manager: 'everything, including counts, purchase orders, prices, staff and the store’s settings on the owner’s device',
};

const emptyDraft = (firstMember: boolean): Draft => ({ name: '', role: firstMember ? 'manager' : 'cashier', pin: '', pinAgain: '', active: true });

export function StaffScreen({ app }: { app: AppContext }) {
  const projection = useProjection(app);
  const action = useAction(app);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [pinErrors, setPinErrors] = useState<{ pin?: string; pinAgain?: string }>({});
  const [hashing, setHashing] = useState(false);

  if (app.role !== 'owner') {
    return (
      <section class="screen staff" aria-labelledby="staff-title">
        <h1 id="staff-title">Staff</h1>
        <p data-testid="staff-owner-only">Staff members are added and changed on the owner’s device: this is a staff device. Ask the owner.</p>
      </section>
    );
  }
  const members = projection?.books.staff().members() ?? [];
  const first = members.length === 0;
  const edit = (member: StaffMemberSnapshot) => {
    action.clear();
    setPinErrors({});
    setDraft({ memberId: member.id, name: member.name, role: member.role, pin: '', pinAgain: '', active: member.active });
  };
  const update = (patch: Partial<Draft>) => setDraft((current) => (current ? { ...current, ...patch } : current));

  const save = async (event: Event) => {
    event.preventDefault();
    if (!draft) return;
    // The PIN is checked and hashed here: the command only ever sees its hash.
    const changing = draft.memberId !== undefined;
    const errors: { pin?: string; pinAgain?: string } = {};
    if (draft.pin !== '' || !changing) {
      const problem = pinProblem(draft.pin);
      if (problem) errors.pin = `${problem} Type it in both PIN fields.`;
      else if (draft.pin !== draft.pinAgain) errors.pinAgain = 'The two PINs differ: type the same PIN in both fields.';
    } else if (draft.pinAgain !== '') errors.pin = 'Type the new PIN in both fields, or leave both blank to keep the PIN.';
    setPinErrors(errors);
    if (errors.pin || errors.pinAgain) {
      action.clear();
      return;
    }
    let pin;
    if (draft.pin !== '') {
      setHashing(true);
      try {
        pin = await hashPin(draft.pin);
      } catch (error) {
        action.refuse(errorText(error));
        return;
      } finally {
        setHashing(false);
      }
    }
    const input = { name: draft.name, role: draft.role, active: draft.active, ...(draft.memberId === undefined ? {} : { memberId: draft.memberId }), ...(pin ? { pin } : {}) };
    const recorded = await action.run(
      (context) => defineStaffMember.run(input, context),
      ([defined]) => {
        const member = defined?.kind === 'staff-member-defined' ? defined.member : undefined;
        return member ? `${changing ? 'Saved' : 'Added'} ${member.name} (${ROLE_WORDS[member.role].toLowerCase()}${member.active ? '' : ', not active'}).` : undefined;
      },
    );
    if (!recorded) return;
    setDraft(null);
    // The first member is the owner, who just chose the PIN: signed in as them, the till does not lock at once.
    const [defined] = recorded;
    if (first && defined?.kind === 'staff-member-defined') setActor(app, defined.member);
  };

  const fieldError = (field: string, message: string | undefined) =>
    message ? (
      <p class="error" id={`staff-${field}-error`}>
        {message}
      </p>
    ) : null;
  const nameError = action.errorFor('name');
  const roleError = action.errorFor('role');
  const pinError = pinErrors.pin ?? action.errorFor('pin');
  const pinAgainError = pinErrors.pinAgain;
  const otherErrors = action.errors.filter((e) => !['name', 'role', 'pin'].includes(e.field ?? ''));
  const busy = action.busy || hashing;

  return (
    <section class="screen staff" aria-labelledby="staff-title">
      <h1 id="staff-title">Staff</h1>
      <p class="hint">
        Each person who works the tills gets a name, a role and a PIN of 4 to 6 digits. The first member is you, the owner, as a manager. Once the store has
        staff, every till asks who is acting (a tap on a name and the PIN), records who did what, and asks a supervisor’s PIN for what a cashier may not do.
      </p>
      {!projection ? (
        <p role="status">Reading the books…</p>
      ) : members.length === 0 ? (
        <p class="empty" data-testid="staff-empty">
          No staff yet: this store’s tills work without signing in.
        </p>
      ) : (
        <table class="staff-table stacks" data-testid="staff-list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Signs in</th>
              <th scope="col">
                <span class="visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.id} data-member-id={member.id}>
                <td>{member.name}</td>
                <td data-label="Role">{ROLE_WORDS[member.role]}</td>
                <td data-label="Signs in">{member.active ? 'Active' : 'Not active'}</td>
                <td>
                  <button type="button" onClick={() => edit(member)} aria-label={`Change ${member.name}`}>
                    Change
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {action.notice && (
        <p class="notice info" role="status" data-testid="staff-notice">
          {action.notice}
        </p>
      )}
      {!draft ? (
        projection && (
          <button
            type="button"
            class="primary"
            onClick={() => {
              action.clear();
              setPinErrors({});
              setDraft(emptyDraft(first));
            }}
          >
            {first ? 'Add yourself as the first manager' : 'Add a staff member'}
          </button>
        )
      ) : (
        <form class="staff-form" onSubmit={(e) => void save(e)} aria-labelledby="staff-form-title" data-testid="staff-form">
          <h2 id="staff-form-title">{draft.memberId ? `Change ${members.find((m) => m.id === draft.memberId)?.name ?? 'member'}` : 'New staff member'}</h2>
          {first && <p class="hint">The first member must be an active manager: you, the owner.</p>}
          <label for="staff-name">Name (as on receipts and reports)</label>
          <input
            id="staff-name"
            autoComplete="off"
            value={draft.name}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? 'staff-name-error' : undefined}
            onInput={(e) => update({ name: e.currentTarget.value })}
          />
          {fieldError('name', nameError)}
          <fieldset aria-describedby={roleError ? 'staff-role-error' : undefined}>
            <legend>Role</legend>
            {STAFF_ROLES.map((role) => (
              <label key={role} class="inline staff-role">
                <input type="radio" name="staff-role" value={role} checked={draft.role === role} onChange={() => update({ role })} />
                <span>
                  <strong>{ROLE_WORDS[role]}</strong>: {ROLE_HINTS[role]}
                </span>
              </label>
            ))}
          </fieldset>
          {fieldError('role', roleError)}
          <div class="field-row">
            <PinInput id="staff-pin" label={draft.memberId ? 'New PIN (blank keeps the PIN)' : 'PIN (4 to 6 digits)'} value={draft.pin} errorId={pinError ? 'staff-pin-error' : undefined} onInput={(pin) => update({ pin })} />
            <PinInput id="staff-pin-again" label="The same PIN again" value={draft.pinAgain} errorId={pinAgainError ? 'staff-pinAgain-error' : undefined} onInput={(pinAgain) => update({ pinAgain })} />
          </div>
          {fieldError('pin', pinError)}
          {fieldError('pinAgain', pinAgainError)}
          <label class="inline">
            <input type="checkbox" checked={draft.active} onChange={(e) => update({ active: e.currentTarget.checked })} />
            Active: may sign in on the tills
          </label>
          {otherErrors.length > 0 && (
            <div class="error" role="alert" data-testid="staff-errors">
              {otherErrors.map((e) => (
                <p key={e.message}>{e.message}</p>
              ))}
            </div>
          )}
          <div class="staff-actions">
            <button type="submit" class="primary" disabled={busy}>
              {hashing ? 'Securing the PIN…' : draft.memberId ? 'Save' : 'Add'}
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** A PIN typed twice on this form: digits hidden, the phone's number pad, never autofilled. */
function PinInput(props: { id: string; label: string; value: string; errorId: string | undefined; onInput(pin: string): void }) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        maxLength={6}
        value={props.value}
        aria-invalid={props.errorId ? true : undefined}
        aria-describedby={props.errorId}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </div>
  );
}
