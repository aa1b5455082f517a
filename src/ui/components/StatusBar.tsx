import type { AppContext } from '../app-context.ts';
import { useLiveQuery, useOnline } from '../hooks/index.ts';
import { readSyncStatus, type SyncStatus } from '../../sync/status.ts';

const NO_STATUS: SyncStatus = { pending: 0, rejected: 0, lastSyncAt: null, lastSyncError: null, enrolled: false };

function ago(iso: string): string {
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

export function StatusBar(props: { app: AppContext; updateReady: boolean; onUpdate(): void; onSyncNow(): void }) {
  const online = useOnline();
  const status = useLiveQuery(() => readSyncStatus(props.app.db), [], NO_STATUS);
  return (
    <div class="status-bar">
      <span class={`pill ${online ? 'online' : 'offline'}`} data-testid="network-status" role="status">
        {online ? 'Online' : 'Offline: sales are saved on this device'}
      </span>
      <span class="pill" data-testid="pending-count" data-count={status.pending} role="status" aria-live="polite">
        {status.pending === 0 ? 'All synced' : `${status.pending} not yet synced`}
      </span>
      {status.lastSyncAt && <span class="pill">Last sync {ago(status.lastSyncAt)}</span>}
      {status.rejected > 0 && (
        <a class="pill warning" href="#/settings">
          {status.rejected} refused by the server: review
        </a>
      )}
      {status.lastSyncError && (
        <span class="pill warning" data-testid="sync-error" title={status.lastSyncError}>
          {status.lastSyncError}
        </span>
      )}
      <button type="button" class="pill sync-now" onClick={props.onSyncNow}>
        Sync now
      </button>
      {props.updateReady && (
        <button type="button" class="pill update" onClick={props.onUpdate}>
          New version ready: reload
        </button>
      )}
    </div>
  );
}
