/**
 * Who is signed in on this till (issue 17), kept across a reload, and when the till locks itself.
 * First-screen code, so kept small: the lock screen, the PIN pad and PIN checking load only when a
 * store has staff (LockScreen.tsx, pin-check.ts).
 *
 * IndexedDB meta 'staffSession' holds the signed-in member's snapshot (or null: locked) and the last
 * time someone touched the till. It is written only once the store has staff, so at the next start
 * the till knows it has staff before the books are folded: a member still within the idle time stays
 * signed in at once, otherwise the lock screen shows. Activity is written at most every
 * `ACTIVITY_WRITE_MS`, so a reload may count up to that much less idle time than there was.
 */
import { useEffect, useReducer, useState } from 'preact/hooks';
import { getMeta, setMeta } from '../../db/db.ts';
import type { StaffMemberSnapshot } from '../../domain/staff.ts';
import type { AppContext } from '../app-context.ts';

export const STAFF_SESSION_KEY = 'staffSession';
const ACTIVITY_WRITE_MS = 15_000;
/** How often the idle lock looks at the clock. */
const IDLE_CHECK_MS = 5_000;
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart'] as const;

export interface StaffSession {
  member: StaffMemberSnapshot | null;
  /** The last touch, key or click on this till, ms since the epoch. */
  lastActiveAt: number;
}

/** Whether `session` has been idle longer than the store allows (0 minutes: never). */
export function idleExpired(session: StaffSession, idleLockMinutes: number, now: number): boolean {
  return idleLockMinutes > 0 && now - session.lastActiveAt >= idleLockMinutes * 60_000;
}

/** Signs `member` in (null: locks the till), fires 'actor' and keeps it for a reload. */
export function setActor(app: AppContext, member: StaffMemberSnapshot | null, now = Date.now()): void {
  const changed = JSON.stringify(member) !== JSON.stringify(app.actor);
  app.actor = member;
  if (changed) app.changes.dispatchEvent(new Event('actor'));
  void setMeta(app.db, STAFF_SESSION_KEY, { member, lastActiveAt: now } satisfies StaffSession).catch((error: unknown) => console.error(error));
}

export type LockState = 'no-staff' | 'locked' | 'signed-in';

/**
 * Whether the till is locked, re-rendering when that changes; keeps `app.actor` in step with the
 * books (a member deactivated or changed by the owner) and locks after the store's idle time.
 */
export function useStaffLock(app: AppContext): LockState {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  // Whether meta says the store has staff: what counts until the books are folded.
  const [sessionKept, setSessionKept] = useState(false);
  useEffect(() => {
    let knownStaff = false;
    let stopped = false;
    let lastActiveAt = Date.now();
    let writtenAt = 0;
    const follow = () => {
      const roster = app.projection?.books.staff();
      if (roster && !roster.hasStaff) {
        // The books are the truth: no staff, no sign-in (whatever an older session said).
        if (app.actor) {
          app.actor = null;
          app.changes.dispatchEvent(new Event('actor'));
        }
        return bump(undefined);
      }
      if (roster?.hasStaff && !knownStaff) {
        knownStaff = true;
        // Written once the store has staff, so the next start locks before the books are folded.
        if (!app.actor) setActor(app, null, lastActiveAt);
      }
      if (roster && app.actor) {
        const now = roster.member(app.actor.id);
        if (!now?.active) setActor(app, null);
        else if (JSON.stringify(now) !== JSON.stringify(app.actor)) setActor(app, now, lastActiveAt);
      }
      bump(undefined);
    };
    void getMeta<StaffSession>(app.db, STAFF_SESSION_KEY).then((session) => {
      if (stopped || !session) return;
      knownStaff = true;
      setSessionKept(true);
      // A reload within the idle time keeps the member signed in; after it, the till starts locked.
      if (session.member && !idleExpired(session, app.settings.idleLockMinutes, Date.now()) && !app.actor) {
        lastActiveAt = session.lastActiveAt;
        app.actor = session.member;
        app.changes.dispatchEvent(new Event('actor'));
      }
      follow();
    });
    const onActivity = () => {
      lastActiveAt = Date.now();
      if (app.actor && lastActiveAt - writtenAt >= ACTIVITY_WRITE_MS) {
        writtenAt = lastActiveAt;
        void setMeta(app.db, STAFF_SESSION_KEY, { member: app.actor, lastActiveAt } satisfies StaffSession).catch((error: unknown) => console.error(error));
      }
    };
    const onActor = () => {
      // Signing in is activity: the idle time counts from it.
      if (app.actor) lastActiveAt = Date.now();
      bump(undefined);
    };
    const idleCheck = setInterval(() => {
      if (app.actor && idleExpired({ member: app.actor, lastActiveAt }, app.settings.idleLockMinutes, Date.now())) setActor(app, null);
    }, IDLE_CHECK_MS);
    for (const kind of ACTIVITY_EVENTS) window.addEventListener(kind, onActivity, { capture: true, passive: true });
    app.changes.addEventListener('projection', follow);
    app.changes.addEventListener('actor', onActor);
    follow();
    return () => {
      stopped = true;
      clearInterval(idleCheck);
      for (const kind of ACTIVITY_EVENTS) window.removeEventListener(kind, onActivity, { capture: true });
      app.changes.removeEventListener('projection', follow);
      app.changes.removeEventListener('actor', onActor);
    };
  }, [app]);
  const staff = app.projection?.books.staff().hasStaff ?? sessionKept;
  if (!staff) return 'no-staff';
  return app.actor ? 'signed-in' : 'locked';
}
