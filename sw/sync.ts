/**
 * The service worker's part of sync, imported by sw/sw.ts:
 *
 *   import { registerSyncHandlers } from './sync.ts';
 *   registerSyncHandlers(self);
 *
 * - `sync` event with tag 'perpetua-outbox' (Background Sync, Chromium): drains the outbox and
 *   pulls. If it fails, the promise rejects and the browser retries later with its own backoff.
 * - message {type: 'sync/drain'} from a page: runs one sync and answers on the message port with
 *   {type: 'sync/result', ok, report | error}.
 * Both run under the same Web Lock as the page's scheduler, so drains never overlap.
 */
import { openDb } from '../src/db/db.ts';
import { BACKGROUND_SYNC_TAG } from '../src/sync/api-types.ts';
import { describeSyncError, syncOnce } from '../src/sync/sync-once.ts';

interface SyncEventLike extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance?: boolean;
}

export type SyncRequestMessage = { type: 'sync/drain' };
export type SyncResultMessage =
  | { type: 'sync/result'; ok: true; report: Awaited<ReturnType<typeof syncOnce>> }
  | { type: 'sync/result'; ok: false; error: string };

export function registerSyncHandlers(scope: ServiceWorkerGlobalScope, dbName?: string): void {
  const db = openDb(dbName);

  scope.addEventListener('sync', (event) => {
    const syncEvent = event as SyncEventLike;
    if (syncEvent.tag !== BACKGROUND_SYNC_TAG) return;
    syncEvent.waitUntil(syncOnce(db).then(() => undefined));
  });

  scope.addEventListener('message', (event: ExtendableMessageEvent) => {
    const data = event.data as Partial<SyncRequestMessage> | undefined;
    if (data?.type !== 'sync/drain') return;
    const port = event.ports[0];
    const reply = (message: SyncResultMessage) => (port ? port.postMessage(message) : event.source?.postMessage(message));
    event.waitUntil(
      syncOnce(db).then(
        (report) => reply({ type: 'sync/result', ok: true, report }),
        (error: unknown) => reply({ type: 'sync/result', ok: false, error: describeSyncError(error) }),
      ),
    );
  });
}
