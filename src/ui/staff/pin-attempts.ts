/**
 * Wrong PINs per member on this device (issue 17), kept in IndexedDB meta so a reload does not
 * reset a lockout. The rule (5 wrong in a row → refused for a minute) is the domain's
 * (`afterWrongPin`, `pinLockedUntil`); this only stores the count.
 */
import { getMeta, setMeta, type PerpetuaDb } from '../../db/db.ts';
import { afterWrongPin, type PinAttempts } from '../../domain/staff.ts';

const PIN_ATTEMPTS_KEY = 'pinAttempts';

type Attempts = Record<string, PinAttempts>;

export async function pinAttemptsOf(db: PerpetuaDb, memberId: string): Promise<PinAttempts | undefined> {
  return (await getMeta<Attempts>(db, PIN_ATTEMPTS_KEY))?.[memberId];
}

/** Counts a wrong PIN for `memberId` at `now`; returns the attempts after it. */
export async function countWrongPin(db: PerpetuaDb, memberId: string, now: number): Promise<PinAttempts> {
  const all = (await getMeta<Attempts>(db, PIN_ATTEMPTS_KEY)) ?? {};
  const next = afterWrongPin(all[memberId], now);
  await setMeta(db, PIN_ATTEMPTS_KEY, { ...all, [memberId]: next });
  return next;
}

/** A right PIN starts the count again. */
export async function clearPinAttempts(db: PerpetuaDb, memberId: string): Promise<void> {
  const all = (await getMeta<Attempts>(db, PIN_ATTEMPTS_KEY)) ?? {};
  if (!(memberId in all)) return;
  const { [memberId]: _cleared, ...rest } = all;
  await setMeta(db, PIN_ATTEMPTS_KEY, rest);
}
