/**
 * The status bar: whether the server answered recently (not merely whether the network card is
 * up), how many events wait to be sent, when the next try is, and "Sync now". The words come from
 * describeSyncBar (src/sync/status.ts), a pure function of the stored status and the clock.
 */
import { useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { useLiveQuery, useOnline } from '../hooks/index.ts';
import { describeSyncBar, readSyncStatus, visiblePullProgress, type SyncStatus } from '../../sync/status.ts';
import { pullOnScreen, SyncProgress, useFoldWhilePulling, useNow } from './SyncProgress.tsx';

const NO_STATUS: SyncStatus = { pending: 0, rejected: 0, lastSyncAt: null, lastSyncError: null, enrolled: false };

function ago(iso: string, nowMs: number): string {
  const seconds = Math.round((nowMs - Date.parse(iso)) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

export function StatusBar(props: { app: AppContext; updateReady: boolean; onUpdate(): void; onSyncNow(): void }) {
  const online = useOnline();
  const status = useLiveQuery(() => readSyncStatus(props.app.db), [], NO_STATUS);
  const counting = status.nextRetryAt !== null && status.nextRetryAt !== undefined;
  // A pull run's estimate counts down between its pages.
  const pulling = pullOnScreen(status.pull);
  const now = useNow(counting || pulling ? 1000 : 10_000);
  const [expanded, setExpanded] = useState(false);
  const view = describeSyncBar(status, { online, nowMs: now });
  // A first sync (or any long pull) shows how far it has come; the idle sync's few events do not.
  const pull = visiblePullProgress(status, now);
  // Mounted on every screen, so the till sells what a running pull has brought so far.
  useFoldWhilePulling(props.app, status.pull && !status.pull.done ? status.pull.received : null);
  const tone = view.connection === 'online' ? 'online' : view.connection === 'checking' ? '' : 'offline';
  // What the folded bar of a phone leaves out but someone should look at.
  const attention = status.rejected > 0 || status.lastSyncError !== null || props.updateReady;
  return (
    // On a phone the bar keeps to one line (styles.css): the connection and what waits in a word or
    // two, "Sync now", and a button that unfolds the rest (the full sentences, the next try, errors).
    <div class="status-bar" data-connection={view.connection} data-expanded={expanded ? 'true' : 'false'} data-pulling={pull ? 'true' : undefined}>
      <span class={`pill ${tone}`}>
        <span class="status-long" data-testid="network-status" data-connection={view.connection} role="status">
          {view.label}
        </span>
        <span class="status-short" aria-hidden="true">
          {view.shortLabel}
        </span>
      </span>
      <span class="pill pending-pill">
        <span class="status-long" data-testid="pending-count" data-count={status.pending} role="status" aria-live="polite">
          {view.pendingLabel}
        </span>
        <span class="status-short" aria-hidden="true">
          {view.pendingShortLabel}
        </span>
      </span>
      {pull && <SyncProgress view={pull} compact />}
      {view.retryLabel && (
        // Not a live region: a countdown read out every second would drown everything else.
        <span class="pill status-detail" data-testid="next-retry">
          {view.retryLabel}
        </span>
      )}
      {view.syncing && !pull && (
        <span class="pill syncing status-detail" data-testid="syncing">
          Syncing…
        </span>
      )}
      {status.lastSyncAt && view.connection !== 'online' && <span class="pill last-sync status-detail">Last sync {ago(status.lastSyncAt, now)}</span>}
      {status.rejected > 0 && (
        <a class="pill warning status-detail" href="#/settings">
          {status.rejected} refused by the server: review
        </a>
      )}
      {/* Revoked: the connection pill already says what happened and what to do. A running pull
          means the server answers: an error from before (say, from before pairing) is old news. */}
      {status.lastSyncError && view.connection !== 'revoked' && !pull && (
        <span class="pill warning sync-error status-detail" data-testid="sync-error" title={status.lastSyncError}>
          {status.lastSyncError}
        </span>
      )}
      <button type="button" class="pill sync-now" onClick={props.onSyncNow}>
        Sync now
      </button>
      {props.updateReady && (
        <button type="button" class="pill update status-detail" onClick={props.onUpdate}>
          New version ready: reload
        </button>
      )}
      <button
        type="button"
        class={`pill status-toggle${attention ? ' warning' : ''}`}
        aria-expanded={expanded}
        aria-label={attention ? 'Sync details (something needs a look)' : 'Sync details'}
        onClick={() => setExpanded(!expanded)}
      >
        <span aria-hidden="true">{expanded ? '▴' : attention ? '!' : '⋯'}</span>
      </button>
    </div>
  );
}
