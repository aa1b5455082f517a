/**
 * Wires this page to the server: pairs the device (automatically on a demo server), starts the sync
 * scheduler, and refreshes projections when events arrive from other devices.
 */
import { enrollThisDevice, readSyncStatus, requestBackgroundSync, startSyncScheduler, SYNC_CHANNEL, type SyncBroadcast, type SyncScheduler } from '../sync/index.ts';
import { deviceCode, type AppContext } from './app-context.ts';
import { pairFromLink } from './pair-from-link.ts';
import { compactJournal } from '../db/journal.ts';

const ENROLL_RETRY_MS = 15_000;

/** Pairs with this origin's server when it is a demo server; a real store pairs in Settings. */
async function enrollIfDemo(app: AppContext): Promise<boolean> {
  if ((await readSyncStatus(app.db)).enrolled) return true;
  const response = await fetch('/api/v1/enrollment', { cache: 'no-store' });
  if (!response.ok) return false;
  // A demo server pairs devices without a code only on its own computer; others pair in Settings.
  const { codeless } = (await response.json()) as { codeless?: boolean };
  if (!codeless) return false;
  await enrollThisDevice(app.db, { serverUrl: location.origin, deviceName: `Till ${deviceCode(app.deviceId)}` });
  return true;
}

/** The scheduler, and the first pairing attempt with the sync after it: settled, succeeded or not. */
export interface ConnectedSync {
  scheduler: SyncScheduler;
  firstSync: Promise<void>;
}

export function connectSync(app: AppContext, registration: ServiceWorkerRegistration | undefined): ConnectedSync {
  const scheduler = startSyncScheduler(app.db, {
    ...(registration ? { serviceWorker: registration } : {}),
    // A pull run by this page is folded page by page as it lands (a first sync can be sold through);
    // one run by the service worker is folded by the status bar's refresh as its progress moves.
    onPageStored: (progress, page) => void app.projection?.applyPulled(page.events, page.cursor, { morePages: !progress.done }).catch((error: unknown) => console.error('The caches of a pulled page could not be written; the next start rebuilds them.', error)),
    // What the books hold is stored: pulled back (the demo store's seed, say), it is skipped unread.
    held: (eventId) => app.projection?.books.has(eventId) ?? false,
  });
  // On the very first visit the service worker registers after the page has started (workbox-window
  // waits for 'load'), so `registration` is undefined here: ask for Background Sync through the
  // registration once it is ready, or the outbox would only drain while a page is open.
  const backgroundSync = registration || !('serviceWorker' in navigator) ? null : navigator.serviceWorker.ready;
  app.onRecorded = () => {
    scheduler.notifyLocalChange();
    if (backgroundSync) void backgroundSync.then((ready) => requestBackgroundSync(ready));
  };

  let enrollTimer: ReturnType<typeof setTimeout> | undefined;
  const tryEnroll = async () => {
    clearTimeout(enrollTimer);
    const enrolled = (await pairFromLink(app).catch(() => false)) || (await enrollIfDemo(app).catch(() => false));
    if (enrolled) {
      await app.refreshStoreId();
      await scheduler.syncNow().catch(() => undefined);
    }
    else enrollTimer = setTimeout(() => void tryEnroll(), ENROLL_RETRY_MS);
  };
  const firstSync = tryEnroll();
  window.addEventListener('online', () => void tryEnroll());

  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(SYNC_CHANNEL);
    channel.onmessage = (message: MessageEvent<SyncBroadcast>) => {
      if (message.data.type === 'pulled') {
        void app.projection?.refresh();
        // Pulled elsewhere (the service worker, another tab): this tab's next stamp sorts after it.
        void app.writer.catchUpWithPulls();
      }
      if (message.data.type === 'synced') {
        // Pairing in Settings changes the store this device records for.
        void app.refreshStoreId();
        // Acknowledged events leave the backup copy, so it holds only what the server lacks.
        void compactJournal(app.db).catch((error: unknown) => console.error(error));
      }
    };
  }
  return { scheduler, firstSync };
}
