/**
 * Pulls the store's events from the server (other devices' sales, counts, deliveries) into the
 * local ledger. Each page is written in one transaction with the new cursor, so an interrupted
 * pull resumes where it stopped and never skips a page. The local clock learns the newest stamp
 * (HLC receive) so the next local event sorts after everything this device has seen.
 */
import type { LedgerEvent } from '../domain/events.ts';
import { encodeHlc, HLC_ZERO, hlcReceive, hlcStateOf } from '../domain/hlc.ts';
import { parseEvent } from '../domain/validate.ts';
import type { PerpetuaDb } from '../db/db.ts';
import type { SyncTransport } from './transport.ts';

export const DEFAULT_PULL_PAGE = 1000;

export interface PullReport {
  pulled: number;
  /** Events the server sent that this app version cannot read (kept out of the ledger). */
  unreadable: number;
  cursor: string;
}

export async function pullNewEvents(
  db: PerpetuaDb,
  transport: SyncTransport,
  options: { pageSize?: number; nowMs?: () => number } = {},
): Promise<PullReport> {
  const nowMs = options.nowMs ?? Date.now;
  let cursor = ((await db.meta.get('syncCursor'))?.value as string | undefined) ?? '0';
  const report: PullReport = { pulled: 0, unreadable: 0, cursor };
  for (;;) {
    const page = await transport.pull(cursor, options.pageSize ?? DEFAULT_PULL_PAGE);
    const events: LedgerEvent[] = [];
    for (const candidate of page.events) {
      const parsed = parseEvent(candidate);
      if (parsed.ok) events.push(parsed.event);
      else report.unreadable += 1;
    }
    await db.transaction('rw', db.events, db.meta, async () => {
      if (events.length > 0) {
        await db.events.bulkPut(events);
        await advanceClock(db, events, nowMs());
      }
      await db.meta.put({ key: 'syncCursor', value: page.cursor });
    });
    report.pulled += events.length;
    cursor = page.cursor;
    report.cursor = cursor;
    if (!page.hasMore) return report;
  }
}

async function advanceClock(db: PerpetuaDb, events: LedgerEvent[], nowMs: number): Promise<void> {
  const deviceId = (await db.meta.get('deviceId'))?.value as string | undefined;
  if (!deviceId) return;
  const newest = events.reduce((max, e) => (e.hlc > max ? e.hlc : max), events[0]?.hlc ?? '');
  const stamp = (await db.meta.get('hlc'))?.value as string | undefined;
  const state = hlcReceive(stamp ? hlcStateOf(stamp) : HLC_ZERO, newest, nowMs);
  await db.meta.put({ key: 'hlc', value: encodeHlc({ ...state, deviceId }) });
}
