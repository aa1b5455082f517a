/**
 * Pulls the store's events from the server (other devices' sales, counts, deliveries) into the
 * local ledger. Each page is written as ONE record of the `pulled` table (src/db/db.ts: one row
 * per event cannot go past ~3,000 events/s in IndexedDB), in one transaction with the new cursor,
 * so an interrupted pull resumes where it stopped and never skips a page. The local clock learns
 * the newest stamp (HLC receive) so the next local event sorts after everything this device has seen.
 *
 * Pipelined (issue 5, "pull of 100,000 events in < 5 s"): page N+1 is asked for as soon as page
 * N's headers name where it ends (issue 19; its body is still coming in), and page N+1 is validated
 * while page N's transaction commits.
 * Writes stay strictly in order: page N+1's transaction only starts once page N's has committed,
 * so a failed write never lets a later cursor be stored past a page that is not in the ledger.
 * A page fetched ahead and then not needed (an earlier write failed) is simply dropped.
 *
 * Watchable (issue 19): a run's first request asks how many events follow, and each page's
 * transaction stores the run's progress (meta 'pullProgress'); the run that reaches the server's
 * newest event marks the device as holding the store's whole history (meta 'historyComplete').
 */
import type { LedgerEvent } from '../domain/events.ts';
import { encodeHlc, HLC_ZERO, hlcReceive, hlcStateOf, type HlcState } from '../domain/hlc.ts';
import type { PerpetuaDb, PulledPageAsSent, PulledPageText } from '../db/db.ts';
import { loadValidation } from '../db/load-validation.ts';
import { observePulledClock, PULLED_CLOCK_KEY } from '../db/ledger-writer.ts';
import { MainThreadShare } from '../db/yield-to-browser.ts';
import type { PulledAnswer, PulledPageHead } from './api-types.ts';
import { HISTORY_COMPLETE_KEY, PULL_PROGRESS_KEY } from './history-keys.ts';
import { pairingWaits } from './lock.ts';
import type { PullProgress } from './status.ts';
import type { SyncTransport } from './transport.ts';

/** The server's largest page (MAX_PULL_LIMIT in src/server/app.ts, which says why 20,000). */
export const DEFAULT_PULL_PAGE = 20000;

export interface PullReport {
  pulled: number;
  /** Events the server sent that this app version cannot read (kept out of the ledger). */
  unreadable: number;
  cursor: string;
}

/**
 * Called once each page is committed, with the run's progress and the page as stored (its events,
 * the server's cursor at its end): the context that pulled folds them from memory
 * (LocalProjection.applyPulled) while the rest comes in, rather than read back what it just wrote
 * (which cost a new device of a big store about a tenth of its first sync).
 */
export type OnPageStored = (progress: PullProgress, page: { events: LedgerEvent[]; cursor: number }) => void;

/**
 * Whether this device already holds the event with this id (its books have it, so it is stored). A
 * pulled event it holds is neither validated nor stored again: a new device of the demo store pulls
 * back the very seed it wrote, and validating that loaded zod on the first start (issue 19: TBT).
 */
export type HeldEvent = (eventId: string) => boolean;

type ParseEvent = Awaited<ReturnType<typeof loadValidation>>['parseEvent'];

export async function pullNewEvents(
  db: PerpetuaDb,
  transport: SyncTransport,
  options: {
    pageSize?: number;
    nowMs?: () => number;
    onPageStored?: OnPageStored;
    held?: HeldEvent;
  } = {},
): Promise<PullReport> {
  const nowMs = options.nowMs ?? Date.now;
  const pageSize = options.pageSize ?? DEFAULT_PULL_PAGE;
  const cursor = ((await db.meta.get('syncCursor'))?.value as string | undefined) ?? '0';
  const report: PullReport = { pulled: 0, unreadable: 0, cursor };
  const deviceId = (await db.meta.get('deviceId'))?.value as string | undefined;

  let asked = askForPage(transport, cursor, pageSize, true);
  let writing: Promise<void> = Promise.resolve();
  const startedAt = new Date(nowMs()).toISOString();
  let received = 0;
  let total: number | null = null;
  let first = true;
  // Loaded once a page holds an event this device does not: the demo store's first sync needs none.
  let parseEvent: ParseEvent | undefined;
  try {
    for (;;) {
      // The next page is asked for once this one's headers name its end: the server makes it while
      // this one's body comes in and is read (a first sync of 1,000,000 events waited on that chain).
      const head = await asked.head;
      let following = head?.hasMore ? askForPage(transport, head.cursor, pageSize, false) : undefined;
      if (first && head?.hasMore && head.total !== undefined) {
        // A run of more than a page says how big it is as soon as the first page's headers come: on a
        // phone that page's 20,000 events take seconds to read and check before it is stored.
        await db.meta.put({ key: PULL_PROGRESS_KEY, value: { received: 0, total: head.total, startedAt, updatedAt: startedAt, done: false } satisfies PullProgress });
      }
      const page = await asked.answer;
      if (first) {
        first = false;
        total = page.remaining === undefined ? (head?.total ?? null) : page.events.length + page.remaining;
      }
      received += page.events.length;
      const progress: PullProgress = { received, total, startedAt, updatedAt: startedAt, done: !page.hasMore };
      // The body decides: without the headers (an older server), or should they differ, ask now.
      if (!page.hasMore) following = undefined;
      else if (!following || head?.cursor !== page.cursor) following = askForPage(transport, page.cursor, pageSize, false);
      // Every event from the network is validated before it may enter the ledger.
      const events: LedgerEvent[] = [];
      let unreadable = 0;
      let exact = true;
      // A page of 20,000 events takes seconds to validate on a phone: done in shares of the main
      // thread, so the screen stays drawn and answers taps meanwhile (issue 19).
      const share = new MainThreadShare();
      for (const candidate of page.events) {
        if (share.due) await share.yield();
        if (options.held && isHeld(candidate, options.held)) {
          exact = false; // the page stored is then the events kept, not the page as sent
          continue;
        }
        parseEvent ??= (await loadValidation()).parseEvent;
        const parsed = parseEvent(candidate);
        if (parsed.ok) {
          // An exact event is the object the page was parsed into: keep it, not validation's copy.
          // The page holds all its events until it is folded, so both would outlive the young
          // generation; keeping one halves what the collector moves (a 1,000,000-event first sync
          // kept 1,000,000 copies). It is what a restart reads back from the page kept as sent.
          events.push(parsed.exact ? (candidate as LedgerEvent) : parsed.event);
          exact &&= parsed.exact;
        } else unreadable += 1;
      }
      // The page is kept as the server sent it only if it holds exactly what was validated.
      const asSent = exact && unreadable === 0 ? page.asSent : undefined;
      await writing; // page N-1 committed (or this throws) before page N's transaction starts
      const after = report.cursor;
      writing = writePage(db, { events, asSent }, after, page.cursor, deviceId, nowMs, progress).then((stored) => {
        report.pulled += events.length;
        report.unreadable += unreadable;
        report.cursor = page.cursor;
        options.onPageStored?.(progress, { events: stored, cursor: Number(page.cursor) });
      });
      if (!following) break;
      // A pairing with another store waits for this pull: what is left is the store being left. The
      // page asked for ahead is dropped (askForPage handles its answer); the cursor stored is this
      // page's, so a pull that is still wanted resumes from it.
      if (await pairingWaits()) break;
      asked = following;
    }
  } finally {
    // Never leave a write running past the return, or let its rejection go unobserved.
    await writing.catch(() => undefined);
  }
  await writing;
  return report;
}

function isHeld(candidate: unknown, held: HeldEvent): boolean {
  const id = typeof candidate === 'object' && candidate !== null ? (candidate as { id?: unknown }).id : undefined;
  return typeof id === 'string' && held(id);
}

/** A page asked for: its answer, and its end as soon as the headers name it (null if they do not). */
interface AskedPage {
  answer: Promise<PulledAnswer>;
  head: Promise<PulledPageHead | null>;
}

function askForPage(transport: SyncTransport, after: string, pageSize: number, count: boolean): AskedPage {
  let settleHead: (head: PulledPageHead | null) => void = () => undefined;
  const head = new Promise<PulledPageHead | null>((resolve) => (settleHead = resolve));
  const answer = transport.pull(after, pageSize, { count, onHead: settleHead });
  // Settled at the latest with the answer (a transport that never calls onHead); a page asked for
  // ahead and then not needed (an earlier write failed) is dropped: its rejection is handled here.
  answer.then(
    () => settleHead(null),
    () => settleHead(null),
  );
  return { answer, head };
}

async function writePage(
  db: PerpetuaDb,
  { events, asSent }: { events: LedgerEvent[]; asSent: Blob | undefined },
  after: string,
  cursor: string,
  deviceId: string | undefined,
  nowMs: () => number,
  progress: PullProgress,
): Promise<LedgerEvent[]> {
  let stored: LedgerEvent[] = [];
  const clock = await db.transaction('rw', db.pulled, db.meta, db.events, async () => {
    // With the page, so the progress shown never runs ahead of what is stored.
    await db.meta.put({ key: PULL_PROGRESS_KEY, value: { ...progress, updatedAt: new Date(nowMs()).toISOString() } });
    if (progress.done) await db.meta.put({ key: HISTORY_COMPLETE_KEY, value: true });
    let advanced: HlcState | undefined;
    if (events.length > 0) {
      if (deviceId) advanced = await advanceClock(db, events, deviceId, nowMs());
      if (asSent) {
        // Own events in it are stored twice; the readers take each id once (src/db/event-store.ts).
        await db.pulled.put(pageAsSentOf(events, asSent, after, cursor));
        stored = events;
      } else {
        const kept = await withoutOwnRecorded(db, events, deviceId);
        if (kept.length > 0) await db.pulled.put(pageOf(kept, after, cursor));
        stored = kept;
      }
    }
    await db.meta.put({ key: 'syncCursor', value: cursor });
    return advanced;
  });
  // The writer keeps the clock in memory (src/db/ledger-writer.ts): it learns the page once stored.
  if (clock) observePulledClock(db, clock);
  return stored;
}

/**
 * This device's own events come back in the pull; those already in `events` would only be stored
 * twice. One key-only range read over [deviceId+seq] finds them (an own event missing locally, say
 * pushed by another copy of this device, is kept).
 */
async function withoutOwnRecorded(db: PerpetuaDb, events: LedgerEvent[], deviceId: string | undefined): Promise<LedgerEvent[]> {
  if (deviceId === undefined) return events;
  let low = Infinity;
  let high = -Infinity;
  for (const e of events) {
    if (e.deviceId !== deviceId) continue;
    low = Math.min(low, e.seq);
    high = Math.max(high, e.seq);
  }
  if (low > high) return events;
  const local = new Set(await db.events.where('[deviceId+seq]').between([deviceId, low], [deviceId, high], true, true).primaryKeys());
  return events.filter((e) => !local.has(e.id));
}

/**
 * One page record, keyed by the server's cursor at its end (cursors are whole numbers), its events
 * as one JSON text: IndexedDB copies a string in one piece where 5,000 objects cost a structured
 * clone each (src/db/db.ts `PulledPage`).
 */
export function pageOf(events: LedgerEvent[], after: string, cursor: string): PulledPageText {
  return { cursor: Number(cursor), after: Number(after), maxRecordedAt: maxRecordedAtOf(events), eventsJson: JSON.stringify(events) };
}

/** One page record holding the server's answer as it came (src/db/db.ts `PulledPageAsSent`). */
export function pageAsSentOf(events: LedgerEvent[], asSent: Blob, after: string, cursor: string): PulledPageAsSent {
  return { cursor: Number(cursor), after: Number(after), maxRecordedAt: maxRecordedAtOf(events), asSent };
}

function maxRecordedAtOf(events: readonly LedgerEvent[]): string {
  let newest = '';
  for (const e of events) if (e.recordedAt > newest) newest = e.recordedAt;
  return newest;
}

/**
 * Stores, with the page, the clock after it (HLC receive of its newest stamp): the writer restores
 * its clock from this at start, so the device's next event sorts after everything it has pulled,
 * without reading every pulled page.
 */
async function advanceClock(db: PerpetuaDb, events: LedgerEvent[], deviceId: string, nowMs: number): Promise<HlcState> {
  let newest = '';
  for (const e of events) if (e.hlc > newest) newest = e.hlc;
  const stamp = (await db.meta.get(PULLED_CLOCK_KEY))?.value as string | undefined;
  const state = hlcReceive(stamp ? hlcStateOf(stamp) : HLC_ZERO, newest, nowMs);
  await db.meta.put({ key: PULLED_CLOCK_KEY, value: encodeHlc({ ...state, deviceId }) });
  return state;
}
