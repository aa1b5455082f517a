/**
 * One sync at a time per origin. Web Locks are shared by every tab and the service worker of the
 * origin; where they are missing (Node tests, old browsers) an in-memory queue serialises the
 * callers of this JavaScript context.
 */
import { SYNC_LOCK } from './api-types.ts';

let localQueue: Promise<unknown> = Promise.resolve();

export async function withSyncLock<T>(run: () => Promise<T>, name: string = SYNC_LOCK): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
  if (locks) return locks.request(name, { mode: 'exclusive' }, () => run()) as Promise<T>;
  const result = localQueue.then(run, run);
  localQueue = result.catch(() => undefined);
  return result;
}
