/**
 * The page's side of sync. Safari and Firefox have no Background Sync, so the page drains the
 * outbox itself: at start, when the browser comes back online, shortly after each local sale,
 * on a retry timer with exponential backoff and jitter after a failure, on a slow idle timer (to
 * pull other devices' sales), and when the user taps "Sync now". Where Background Sync exists the
 * page also registers it, so the service worker delivers the outbox even after the tab is closed.
 */
import type { PerpetuaDb } from '../db/db.ts';
import { BACKGROUND_SYNC_TAG } from './api-types.ts';
import { isDeviceRevoked } from './transport.ts';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff.ts';
import { DeviceRevokedError, NotEnrolledError, syncOnce, type SyncOptions, type SyncReport } from './sync-once.ts';

export interface SchedulerOptions extends SyncOptions {
  backoff?: BackoffPolicy;
  /** Delay between syncs while all is well (pulls other devices' events). */
  idleIntervalMs?: number;
  /** Delay after a local change before syncing, so a burst of sales goes in one batch. */
  debounceMs?: number;
  random?: () => number;
  /** Where 'online' events come from; `globalThis` (the window) by default. */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Called after every attempt, with the report or the error. */
  onAttempt?: (outcome: { ok: true; report: SyncReport } | { ok: false; error: unknown; retryInMs: number }) => void;
  serviceWorker?: ServiceWorkerRegistration;
}

export interface SyncScheduler {
  /** Syncs now (waiting for a sync already running), and returns its report or throws its error. */
  syncNow(): Promise<SyncReport>;
  /** Call after recording an event: schedules a sync shortly and asks for a Background Sync. */
  notifyLocalChange(): void;
  stop(): void;
}

export function startSyncScheduler(db: PerpetuaDb, options: SchedulerOptions = {}): SyncScheduler {
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const idleIntervalMs = options.idleIntervalMs ?? 30_000;
  const debounceMs = options.debounceMs ?? 500;
  const events = options.events ?? (typeof globalThis.addEventListener === 'function' ? globalThis : undefined);
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<SyncReport> | undefined;
  let rerun = false;
  let stopped = false;
  const nowMs = options.nowMs ?? Date.now;

  /** In meta, so every tab's status bar can say when the next try is ("next try in 40 s"). */
  function setNextRetry(atMs: number | null): Promise<unknown> {
    return db.meta.put({ key: 'nextRetryAt', value: atMs === null ? null : new Date(atMs).toISOString() }).catch(() => undefined);
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      run().catch(() => undefined);
    }, delayMs);
  }

  function run(): Promise<SyncReport> {
    if (running) {
      // A change arrived during the sync in progress: go once more when it ends.
      rerun = true;
      return running;
    }
    const attempt = syncOnce(db, options);
    running = attempt;
    attempt.then(
      (report) => {
        failures = 0;
        void setNextRetry(null);
        options.onAttempt?.({ ok: true, report });
        schedule(rerun || report.pending > 0 ? debounceMs : idleIntervalMs);
      },
      (error: unknown) => {
        failures += 1;
        // Not paired, or revoked by the owner: no backoff to count down, only a slow look for a new pairing.
        const notEnrolled = error instanceof NotEnrolledError || error instanceof DeviceRevokedError || isDeviceRevoked(error);
        const retryInMs = notEnrolled ? idleIntervalMs : retryDelayMs(failures, random, backoff);
        void setNextRetry(notEnrolled ? null : nowMs() + retryInMs);
        options.onAttempt?.({ ok: false, error, retryInMs });
        schedule(retryInMs);
      },
    ).finally(() => {
      running = undefined;
      rerun = false;
    });
    return attempt;
  }

  const onOnline = () => {
    failures = 0;
    run().catch(() => undefined);
  };
  events?.addEventListener('online', onOnline);
  run().catch(() => undefined);

  return {
    syncNow: () => {
      failures = 0;
      return run();
    },
    notifyLocalChange: () => {
      if (options.serviceWorker) void requestBackgroundSync(options.serviceWorker);
      if (!running) schedule(debounceMs);
      else rerun = true;
    },
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      events?.removeEventListener('online', onOnline);
    },
  };
}

interface SyncManagerLike {
  register(tag: string): Promise<void>;
}

/** Asks the browser to fire the service worker's `sync` event once online. Chromium only. */
export async function requestBackgroundSync(registration: ServiceWorkerRegistration): Promise<boolean> {
  const sync = (registration as ServiceWorkerRegistration & { sync?: SyncManagerLike }).sync;
  if (!sync) return false;
  try {
    await sync.register(BACKGROUND_SYNC_TAG);
    return true;
  } catch {
    // Permission denied or unsupported in this context: the page's own timer still drains.
    return false;
  }
}
