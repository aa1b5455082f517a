/**
 * What the status bar shows: pending count, set-aside events, last successful sync, last error, and
 * whether the server answered recently. sync-once.ts and scheduler.ts write these to `meta`, so
 * every tab (and the service worker's syncs) shows the same.
 */
import type { PerpetuaDb } from '../db/db.ts';
import { HISTORY_COMPLETE_KEY, PULL_PROGRESS_KEY } from './history-keys.ts';

export interface SyncStatus {
  pending: number;
  rejected: number;
  /** ISO 8601 time of the last sync that completed, or null if never. */
  lastSyncAt: string | null;
  /** The last failure in plain words; null once a sync succeeds. */
  lastSyncError: string | null;
  enrolled: boolean;
  /** When the server last answered anything (a sync, or a refusal): it is there. */
  lastAnsweredAt?: string | null;
  /** When a sync last got no answer at all (network down, server stopped, timeout). */
  lastUnansweredAt?: string | null;
  /** When the page's scheduler tries again after a failure; null while all is well. */
  nextRetryAt?: string | null;
  /** Set while a sync runs (cleared when it ends). */
  syncingSince?: string | null;
  /** The owner revoked this device: it no longer syncs until it is paired again. */
  revoked?: boolean;
  /** The current or last pull run's progress (meta 'pullProgress'); null before the first. */
  pull?: PullProgress | null;
  /**
   * True once this device has pulled the store's whole history since it was paired (meta
   * 'historyComplete'). Until then the stock it shows is marked as still syncing.
   */
  historyComplete?: boolean;
}

/**
 * How far a pull run has come (issue 19: a first sync you can watch). Written by src/sync/pull.ts
 * in the same IndexedDB transaction as each page, so it never runs ahead of what is stored; a run of
 * several pages writes it once before, at 0 received, when the first page's headers give the total.
 */
export interface PullProgress {
  /** Events received (stored) in this run so far. */
  received: number;
  /** Events the server held after the run's starting cursor when it began; null if it did not say. */
  total: number | null;
  /** ISO times: when the run began, and when its last page was stored. */
  startedAt: string;
  updatedAt: string;
  /** The run reached the server's newest event. */
  done: boolean;
}

/** "Online" means the server answered within this long; the idle sync (every 30 s) keeps it fresh. */
export const ANSWERED_RECENTLY_MS = 2 * 60 * 1000;
/** A sync that started longer ago than this is not running any more (its tab was closed mid-sync). */
export const SYNC_STALE_MS = 60 * 1000;

export type Connection = 'offline' | 'unpaired' | 'revoked' | 'unreachable' | 'online' | 'checking';

/** The status bar in words: a pure function of the stored status, the network flag and the clock. */
export interface SyncBarView {
  connection: Connection;
  /** What the connection pill says. */
  label: string;
  /** The same in a word or two, for the one line a phone has ("Offline"). */
  shortLabel: string;
  /** "All synced" or how many events wait to be sent. */
  pendingLabel: string;
  /** The same on a phone: "Synced" or "3 to send". */
  pendingShortLabel: string;
  /** "next try in 40 s" while the scheduler waits to try again; null otherwise. */
  retryLabel: string | null;
  syncing: boolean;
}

const at = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
};

/** "in 40 s", "in 3 min"; "now" once the time has come. */
export function formatWait(ms: number): string {
  if (ms < 1000) return 'now';
  const seconds = Math.ceil(ms / 1000);
  return seconds < 90 ? `in ${seconds} s` : `in ${Math.round(seconds / 60)} min`;
}

export function describeSyncBar(status: SyncStatus, input: { online: boolean; nowMs: number }): SyncBarView {
  const answered = at(status.lastAnsweredAt ?? status.lastSyncAt);
  const unanswered = at(status.lastUnansweredAt);
  const nextRetry = at(status.nextRetryAt);
  const started = at(status.syncingSince);
  const syncing = started !== null && input.nowMs - started < SYNC_STALE_MS;
  let connection: Connection;
  if (!input.online) connection = 'offline';
  else if (!status.enrolled) connection = 'unpaired';
  else if (status.revoked) connection = 'revoked';
  else if (unanswered !== null && (answered === null || unanswered > answered)) connection = 'unreachable';
  else if (answered !== null && input.nowMs - answered < ANSWERED_RECENTLY_MS) connection = 'online';
  else connection = 'checking';
  const label = {
    offline: 'Offline: sales are saved on this device',
    unpaired: 'Not paired: pair this device in Settings',
    revoked: 'This device was removed from the store by the owner. Its sales stay here: ask the owner for a pairing code and pair it again in Settings.',
    unreachable: 'Server unreachable',
    online: 'Online',
    checking: 'Checking the server…',
  }[connection];
  const shortLabel = { offline: 'Offline', unpaired: 'Not paired', revoked: 'Removed', unreachable: 'Unreachable', online: 'Online', checking: 'Checking…' }[connection];
  const pendingLabel = status.pending === 0 ? 'All synced' : `${status.pending} waiting to send`;
  const pendingShortLabel = status.pending === 0 ? 'Synced' : `${status.pending} to send`;
  const waiting = status.enrolled && nextRetry !== null && connection !== 'online' && !syncing;
  const retryLabel = waiting ? `next try ${formatWait(nextRetry - input.nowMs)}` : null;
  return { connection, label, shortLabel, pendingLabel, pendingShortLabel, retryLabel, syncing };
}

/**
 * A pull run worth showing: the idle sync's few events must not flash a progress bar, but a first
 * sync (no whole history yet) or a run of more than 5,000 events is. The figure is a few seconds of
 * pulling, not a page: a page is DEFAULT_PULL_PAGE (20,000) events, so a big run may fit in one.
 */
export const BIG_PULL_EVENTS = 5000;

/** How long a big run that has ended stays on screen, full, so the bar is seen to reach its total. */
export const DONE_SHOWN_MS = 5000;

/** A pull run in words and figures, for the status bar and the pairing screen. */
export interface PullProgressView {
  /** Events stored so far in this run. */
  received: number;
  /** What the run will have stored at the end as far as is known: never below `received`. */
  total: number | null;
  /** Events still to come; null when the server did not say how many. */
  left: number | null;
  /** Whole per cent done, 0..100; null without a total. */
  percent: number | null;
  /** "about 25 s" from the rate so far; null until there is a rate (or nothing is left). */
  estimate: string | null;
  /** "Syncing the store's history: 120,000 of 1,000,000 events · 880,000 left · about 25 s". */
  label: string;
  /** The phone's one line: "Syncing 12 %". */
  shortLabel: string;
}

/** "1,000,000": the app's words are English, so are its digit groups (and the same on every device). */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** "about 25 s", "about 3 min": a rough figure, said as one. */
export function formatEstimate(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? `about ${seconds} s` : `about ${Math.round(seconds / 60)} min`;
}

/**
 * How far a pull run has come ("History complete" once done; null before the first run). The estimate is the
 * events left at the rate so far (received ÷ time from the run's start to its last stored page),
 * less the time since that page; it is left out while there is no rate to go by.
 */
export function describePullProgress(progress: PullProgress | null | undefined, nowMs: number): PullProgressView | null {
  if (!progress) return null;
  const { received } = progress;
  if (progress.done) {
    return { received, total: received, left: 0, percent: 100, estimate: null, label: `History complete: ${formatCount(received)} events synced`, shortLabel: 'Synced 100 %' };
  }
  // Events written after the run began can make it receive more than the server first counted.
  const total = progress.total === null ? null : Math.max(progress.total, received);
  const left = total === null ? null : total - received;
  const percent = total === null ? null : total === 0 ? 100 : Math.floor((received / total) * 100);
  const started = Date.parse(progress.startedAt);
  const updated = Date.parse(progress.updatedAt);
  const elapsedMs = updated - started;
  let estimate: string | null = null;
  if (left !== null && left > 0 && received > 0 && elapsedMs > 0) {
    const msPerEvent = elapsedMs / received;
    estimate = formatEstimate(Math.max(0, left * msPerEvent - Math.max(0, nowMs - updated)));
  }
  const parts = [total === null ? `${formatCount(received)} events so far` : `${formatCount(received)} of ${formatCount(total)} events`];
  if (left !== null) parts.push(`${formatCount(left)} left`);
  if (estimate !== null) parts.push(estimate);
  return {
    received,
    total,
    left,
    percent,
    estimate,
    label: `Syncing the store’s history: ${parts.join(' · ')}`,
    shortLabel: percent === null ? `Syncing ${formatCount(received)}` : `Syncing ${percent} %`,
  };
}

/**
 * The pull run the status bar shows, or null: a run still going (its last page stored within
 * SYNC_STALE_MS: a run cut off by a closed tab or a lost network is not shown for ever) that is
 * big enough to matter (see BIG_PULL_EVENTS), and a big run that just ended, for DONE_SHOWN_MS.
 */
export function visiblePullProgress(status: Pick<SyncStatus, 'enrolled' | 'pull' | 'historyComplete'>, nowMs: number): PullProgressView | null {
  const progress = status.pull;
  if (!status.enrolled || !progress) return null;
  const sinceLastPage = nowMs - Date.parse(progress.updatedAt);
  if (sinceLastPage >= (progress.done ? DONE_SHOWN_MS : SYNC_STALE_MS)) return null;
  const big = Math.max(progress.total ?? 0, progress.received) > BIG_PULL_EVENTS;
  // A finished run is shown (full) for a moment only if it was big: the bar ends at its total.
  if (progress.done && !big) return null;
  if (!big && status.historyComplete === true) return null;
  return describePullProgress(progress, nowMs);
}

/** Whether the stock this device shows may lack events still to be pulled: paired, whole history not yet here. */
export function stockStillSyncing(status: Pick<SyncStatus, 'enrolled' | 'historyComplete'>): boolean {
  return status.enrolled && status.historyComplete !== true;
}

export async function countOutbox(db: PerpetuaDb): Promise<{ pending: number; rejected: number }> {
  const [pending, rejected] = await Promise.all([db.unsent.count(), db.setAside.count()]);
  return { pending, rejected };
}

/** Only what the "still syncing" marker needs (the stock screens): two meta reads, no outbox count. */
export async function readHistoryState(db: PerpetuaDb): Promise<Pick<SyncStatus, 'enrolled' | 'historyComplete'>> {
  const [token, historyComplete] = await db.meta.bulkGet(['deviceToken', HISTORY_COMPLETE_KEY]);
  return { enrolled: typeof token?.value === 'string', historyComplete: historyComplete?.value === true };
}

export async function readSyncStatus(db: PerpetuaDb): Promise<SyncStatus> {
  const [counts, rows] = await Promise.all([
    countOutbox(db),
    db.meta.bulkGet(['lastSyncAt', 'lastSyncError', 'deviceToken', 'lastAnsweredAt', 'lastUnansweredAt', 'nextRetryAt', 'syncingSince', 'revokedToken', PULL_PROGRESS_KEY, HISTORY_COMPLETE_KEY]),
  ]);
  const [lastSyncAt, lastSyncError, token, lastAnsweredAt, lastUnansweredAt, nextRetryAt, syncingSince, revokedToken, pull, historyComplete] = rows.map((row) => row?.value);
  const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
  return {
    ...counts,
    lastSyncAt: text(lastSyncAt),
    lastSyncError: text(lastSyncError),
    enrolled: typeof token === 'string',
    lastAnsweredAt: text(lastAnsweredAt),
    lastUnansweredAt: text(lastUnansweredAt),
    nextRetryAt: text(nextRetryAt),
    syncingSince: text(syncingSince),
    revoked: typeof token === 'string' && token === revokedToken,
    pull: isPullProgress(pull) ? pull : null,
    historyComplete: historyComplete === true,
  };
}

function isPullProgress(value: unknown): value is PullProgress {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.received === 'number' && (p.total === null || typeof p.total === 'number') && typeof p.startedAt === 'string' && typeof p.done === 'boolean';
}

/** Events set aside by the server, with its reasons, for the owner's review screen. */
export async function listRejected(db: PerpetuaDb): Promise<{ eventId: string; reason: string; kind: string | undefined }[]> {
  const rows = (await db.setAside.toArray()).sort((a, b) => a.seq - b.seq);
  const events = await db.events.bulkGet(rows.map((row) => row.eventId));
  return rows.map((row, i) => ({ eventId: row.eventId, reason: row.reason, kind: events[i]?.kind }));
}
