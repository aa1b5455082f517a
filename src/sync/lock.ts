/**
 * One sync at a time per origin. Web Locks are shared by every tab and the service worker of the
 * origin; where they are missing (Node tests, old browsers) an in-memory queue serialises the
 * callers of this JavaScript context.
 */
import { SYNC_LOCK } from './api-types.ts';

/** Held (shared) by each pairing that waits for or holds the sync lock, for pulls in other contexts to see. */
const PAIRING_LOCK = `${SYNC_LOCK}:pairing`;

let localQueue: Promise<unknown> = Promise.resolve();
let pairingsHere = 0;

function webLocks(): LockManager | undefined {
  return (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
}

export async function withSyncLock<T>(run: () => Promise<T>, name: string = SYNC_LOCK): Promise<T> {
  const locks = webLocks();
  if (locks) return locks.request(name, { mode: 'exclusive' }, () => run()) as Promise<T>;
  const result = localQueue.then(run, run);
  localQueue = result.catch(() => undefined);
  return result;
}

/**
 * The sync lock for a pairing that moves the device to another store. A pull running under the
 * lock stops after the page it is on (`pairingWaits`) rather than go on pulling the store being left,
 * which kept the pairing waiting for the whole of a first sync (a minute in a big store).
 */
export async function withSyncLockForPairing<T>(run: () => Promise<T>): Promise<T> {
  const locks = webLocks();
  pairingsHere += 1;
  try {
    if (locks) return (await locks.request(PAIRING_LOCK, { mode: 'shared' }, () => withSyncLock(run))) as T;
    return await withSyncLock(run);
  } finally {
    pairingsHere -= 1;
  }
}

/** Whether a pairing waits for the sync lock: in this context, or in any tab or worker of the origin. */
export async function pairingWaits(): Promise<boolean> {
  if (pairingsHere > 0) return true;
  const locks = webLocks();
  if (!locks) return false;
  const state = await locks.query().catch(() => ({ held: [] }) as LockManagerSnapshot);
  return (state.held ?? []).some((lock) => lock.name === PAIRING_LOCK);
}
