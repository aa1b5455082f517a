/**
 * The lock screen (issue 17): on a till whose store has staff, nobody acts until a member signs in.
 * It lists the active members as big buttons; a tap on a name opens the PIN pad; the right PIN signs
 * them in (`setActor`), a wrong one is counted and recorded (pin-check.ts). Loaded only when the
 * store has staff. Everything it needs is on the device: it works offline.
 */
import { useEffect, useState } from 'preact/hooks';
import { ROLE_WORDS, type StaffMemberSnapshot } from '../../domain/staff.ts';
import type { AppContext } from '../app-context.ts';
import { useProjection, useSettings } from '../hooks/index.ts';
import { PinPad } from './PinPad.tsx';
import { checkMemberPin, lockoutSentence, pinLockedUntilFor } from './pin-check.ts';
import { setActor } from './staff-session.ts';
import './lock-screen.css';

/** Until when the chosen member is refused, re-read each second while they are, so the countdown runs. */
function useLockout(app: AppContext, member: StaffMemberSnapshot | null, checked: number): string | undefined {
  // Kept with whose it is: the first render after tapping another name must not show the last one's.
  const [reason, setReason] = useState<{ memberId: string; text: string } | undefined>(undefined);
  useEffect(() => {
    if (!member) return;
    let until: number | undefined;
    let stopped = false;
    const show = () => setReason(until === undefined || Date.now() >= until ? undefined : { memberId: member.id, text: lockoutSentence(member, until, Date.now()) });
    const timer = setInterval(show, 1000);
    void pinLockedUntilFor(app, member).then((found) => {
      if (stopped) return;
      until = found;
      show();
    });
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [app, member?.id, checked]);
  return reason && reason.memberId === member?.id ? reason.text : undefined;
}

export function LockScreen({ app }: { app: AppContext }) {
  const projection = useProjection(app);
  const settings = useSettings(app);
  const members = projection?.books.staff().activeMembers() ?? [];
  const [chosenId, setChosenId] = useState<string | null>(null);
  // Bumped after each wrong PIN, so the lockout is read again.
  const [checked, setChecked] = useState(0);
  const chosen = members.find((m) => m.id === chosenId) ?? null;
  const lockout = useLockout(app, chosen, checked);

  const signIn = async (pin: string): Promise<string | undefined> => {
    if (!chosen) return 'Tap your name first.';
    const problem = await checkMemberPin(app, chosen, pin, 'sign-in');
    if (problem === undefined) setActor(app, chosen);
    else setChecked((n) => n + 1);
    return problem;
  };

  return (
    <div class="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen" data-chosen={chosen ? 'true' : 'false'}>
      <div class="lock-panel">
        <h1 id="lock-title">Who is at the till?</h1>
        <p class="hint">{settings.storeName}: tap your name, then enter your PIN.</p>
        {!projection ? (
          <p role="status">Reading the store’s staff…</p>
        ) : members.length === 0 ? (
          <p class="error" role="alert">
            The store has no active staff members on this device. Sync with the owner’s device, or ask the owner to make someone active on the Staff screen.
          </p>
        ) : (
          <div class="lock-body">
            <ul class="lock-members" aria-label="Staff">
              {members.map((member) => (
                <li key={member.id}>
                  <button type="button" class="lock-member" aria-pressed={member.id === chosenId} onClick={() => setChosenId(member.id)}>
                    <strong>{member.name}</strong>
                    <span>{ROLE_WORDS[member.role]}</span>
                  </button>
                </li>
              ))}
            </ul>
            {chosen && (
              <PinPad
                key={chosen.id}
                label={`${chosen.name}’s PIN`}
                onSubmit={signIn}
                {...(lockout === undefined ? {} : { disabledReason: lockout })}
                onCancel={() => setChosenId(null)}
                cancelLabel="Someone else"
              />
            )}
          </div>
        )}
      </div>
    </div>
  );
}
