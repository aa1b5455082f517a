/**
 * A first sync you can watch (issue 19): the pull run's progress as a bar with its words (X of Y
 * events, what is left, a time estimate), and the "still syncing" notice the stock screens show
 * while this paired device does not hold the store's whole history yet. The words come from
 * src/sync/status.ts (describePullProgress, stockStillSyncing), pure functions of what pull.ts stores.
 *
 * Small on purpose: the status bar, on the first screen, shows the bar.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import { useLiveQuery } from '../hooks/index.ts';
import { DONE_SHOWN_MS, readHistoryState, stockStillSyncing, type PullProgress, type PullProgressView } from '../../sync/status.ts';

/** The clock, re-read every `intervalMs`: a countdown ticks each second, "Online" goes stale by itself (the status bar, the pairing screen). */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A run going, or just ended: the clock then ticks each second (the estimate, the full bar's moment). */
export function pullOnScreen(pull: PullProgress | null | undefined): boolean {
  return !!pull && (!pull.done || Date.now() - Date.parse(pull.updatedAt) < DONE_SHOWN_MS);
}

/** How often, at most, pages stored by a running pull are folded into this tab's projection. */
const FOLD_WHILE_PULLING_MS = 1500;

/**
 * Folds the pages a running pull has stored so far into the projection, at most every
 * FOLD_WHILE_PULLING_MS: the 'pulled' broadcast (connect-sync.ts) comes only when the whole run
 * ends, and a new device must meanwhile sell the products that already arrived and show stock that
 * counts up. The fold is incremental (pages after the last folded one), so the work in all is the
 * same as one fold at the end. `received`: the run's stored count (meta 'pullProgress').
 */
export function useFoldWhilePulling(app: AppContext, received: number | null): void {
  const [lastFold, setLastFold] = useState(0);
  useEffect(() => {
    if (received === null || received === 0) return;
    const wait = Math.max(0, lastFold + FOLD_WHILE_PULLING_MS - Date.now());
    const timer = setTimeout(() => {
      setLastFold(Date.now());
      void app.projection?.refresh();
      void app.writer.catchUpWithPulls();
    }, wait);
    return () => clearTimeout(timer);
  }, [app, received]);
}

/**
 * The bar and its sentence. `compact`: the status bar's pill, whose sentence shrinks to the short
 * form on a phone's one line; otherwise the pairing screen's larger block.
 */
export function SyncProgress({ view, compact = false }: { view: PullProgressView; compact?: boolean }) {
  // Without a total the bar is indeterminate (no value): the words still count what has come.
  const value = view.total === null ? undefined : view.received;
  const max = view.total === null ? undefined : Math.max(1, view.total);
  return (
    <div class={`sync-progress${compact ? ' pill compact' : ''}`} data-testid={compact ? 'pull-progress-bar' : 'pull-progress'} data-received={view.received} data-total={view.total ?? ''}>
      <progress value={value} max={max} aria-label="Store history synced to this device" />
      {compact ? (
        <>
          <span class="status-long sync-progress-text">{view.label}</span>
          <span class="status-short" aria-hidden="true">
            {view.shortLabel}
          </span>
        </>
      ) : (
        <p class="sync-progress-text">{view.label}</p>
      )}
    </div>
  );
}

/** Whether the stock this device shows may still lack events: paired, whole history not yet here. */
function useStockStillSyncing(app: AppContext): boolean {
  return stockStillSyncing(useLiveQuery(() => readHistoryState(app.db), [app], { enrolled: false, historyComplete: true }));
}

/** "Still syncing: stock may be incomplete", once per screen, on a paired device without the whole history. */
export function StillSyncingNotice({ app }: { app: AppContext }) {
  if (!useStockStillSyncing(app)) return null;
  return (
    <p class="notice warning still-syncing" role="status" data-testid="stock-still-syncing">
      Still syncing: stock may be incomplete. This device is still receiving the store’s history; the figures are right once it has all of it
      (see the status bar).
    </p>
  );
}

/**
 * The same mark where the screen's stock parts come and go on their own (Today): a pill in the
 * corner of a part's heading, out of the flow. A notice above the part moved it down when it came
 * and up when the history was complete, under the owner's thumb (a layout shift of 0.066 on a
 * phone, issue 19); the pill moves nothing.
 */
export function StillSyncingMark({ app }: { app: AppContext }) {
  if (!useStockStillSyncing(app)) return null;
  return (
    <p class="pill warning still-syncing-mark" role="status" data-testid="stock-still-syncing">
      Still syncing<span class="visually-hidden">: these stock figures may be incomplete until this device has the store’s whole history (see the status bar)</span>
    </p>
  );
}
