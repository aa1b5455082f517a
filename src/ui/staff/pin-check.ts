/**
 * Checking a member's PIN on this till (issue 17), for signing in and for a supervisor's approval:
 * the lockout after `PIN_ATTEMPTS` wrong PINs (domain `afterWrongPin`, `pinLockedUntil`), each wrong
 * PIN recorded for the owner's audit trail (`recordPinRejected`), and the sentences a person reads.
 * The wrong PINs are counted per member in IndexedDB meta 'pinAttempts', so a reload does not
 * reset a lockout. Loaded with the lock screen, not with the first screen.
 */
import { getMeta, setMeta } from '../../db/db.ts';
import { recordPinRejected } from '../../app/commands/staff.ts';
import { afterWrongPin, PIN_ATTEMPTS, pinLockedUntil, type PinAttempts, type StaffMemberSnapshot } from '../../domain/staff.ts';
import type { AppContext } from '../app-context.ts';
import { verifyPin } from './pin-hash.ts';

export const PIN_ATTEMPTS_KEY = 'pinAttempts';

type AttemptsByMember = Record<string, PinAttempts>;

async function readAttempts(app: AppContext): Promise<AttemptsByMember> {
  return (await getMeta<AttemptsByMember>(app.db, PIN_ATTEMPTS_KEY)) ?? {};
}

/** "Too many wrong PINs for Ana: try again in 60 s, or ask a manager." while Ana is refused; else undefined. */
export async function pinLockout(app: AppContext, member: StaffMemberSnapshot, now = Date.now()): Promise<string | undefined> {
  const until = pinLockedUntil((await readAttempts(app))[member.id], now);
  return until === undefined ? undefined : lockoutSentence(member, until, now);
}

export function lockoutSentence(member: StaffMemberSnapshot, until: number, now: number): string {
  return `Too many wrong PINs for ${member.name}: try again in ${Math.ceil((until - now) / 1000)} s, or ask a manager.`;
}

/** Until when (ms) `member` is refused, or undefined. */
export async function pinLockedUntilFor(app: AppContext, member: StaffMemberSnapshot, now = Date.now()): Promise<number | undefined> {
  return pinLockedUntil((await readAttempts(app))[member.id], now);
}

/**
 * Checks `pin` for `member`: undefined when it is theirs (their wrong PINs are forgotten), else the
 * sentence to show. A wrong PIN is counted, recorded as a `pin-rejected` event, and answered with
 * the tries left, or with the lockout once they are used up.
 */
export async function checkMemberPin(app: AppContext, member: StaffMemberSnapshot, pin: string, purpose: 'sign-in' | 'approval'): Promise<string | undefined> {
  const locked = await pinLockout(app, member);
  if (locked) return locked;
  if (await verifyPin(member.pin, pin)) {
    const attempts = await readAttempts(app);
    if (attempts[member.id]) {
      delete attempts[member.id];
      await setMeta(app.db, PIN_ATTEMPTS_KEY, attempts);
    }
    return undefined;
  }
  const now = Date.now();
  const attempts = await readAttempts(app);
  const next = afterWrongPin(attempts[member.id], now);
  await setMeta(app.db, PIN_ATTEMPTS_KEY, { ...attempts, [member.id]: next });
  await recordRejection(app, member, purpose);
  const until = pinLockedUntil(next, now);
  if (until !== undefined) return lockoutSentence(member, until, now);
  const left = PIN_ATTEMPTS - next.failures;
  return `Wrong PIN: ${left} ${left === 1 ? 'try' : 'tries'} left.`;
}

/** The wrong PIN goes into the ledger for the audit trail; a till that cannot record it still refuses the PIN. */
async function recordRejection(app: AppContext, member: StaffMemberSnapshot, purpose: 'sign-in' | 'approval'): Promise<void> {
  const result = recordPinRejected.run({ memberId: member.id, purpose }, app.commandContext());
  if (!result.ok) return;
  try {
    for (const body of result.bodies) await app.record(body);
  } catch (error) {
    console.error('A wrong PIN could not be recorded for the audit trail.', error);
  }
}
