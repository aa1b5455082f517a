/**
 * Reading the local ledger, which lives in two tables (src/db/db.ts): `events`, one row per own
 * event (and events pulled before storage version 2), and `pulled`, one row per pulled page. An
 * event can be in both (own events come back in a pull) or in two overlapping pages (a page
 * fetched again); every reader here returns each id once.
 */
import type { LedgerEvent } from '../domain/events.ts';
import type { PerpetuaDb, PulledPage } from './db.ts';

/** Events of `lists`, each id once (the first copy wins; copies of one id are identical). */
export function uniqueEvents(...lists: readonly (readonly LedgerEvent[])[]): LedgerEvent[] {
  const seen = new Set<string>();
  const out: LedgerEvent[] = [];
  for (const list of lists) {
    for (const event of list) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      out.push(event);
    }
  }
  return out;
}

/**
 * The events of one pulled page, in any stored format (src/db/db.ts `PulledPage`). Pages kept as
 * sent and text pages were validated before they were stored, so they are parsed, not validated
 * again. Asynchronous because a page kept as sent is a Blob: call it outside any transaction.
 */
export async function eventsOfPage(page: PulledPage): Promise<LedgerEvent[]> {
  if ('asSent' in page) return (JSON.parse(await page.asSent.text()) as { events: LedgerEvent[] }).events;
  return 'eventsJson' in page ? (JSON.parse(page.eventsJson) as LedgerEvent[]) : page.events;
}

/** The events of `pages`, one page after the other (so one page's text is held at a time). */
export async function eventsOfPages(pages: readonly PulledPage[]): Promise<LedgerEvent[]> {
  const out: LedgerEvent[] = [];
  for (const page of pages) for (const event of await eventsOfPage(page)) out.push(event);
  return out;
}

/** The whole local ledger, own and pulled, each event once (in no particular order). */
export async function readAllEvents(db: PerpetuaDb): Promise<LedgerEvent[]> {
  const [own, pages] = await db.transaction('r', db.events, db.pulled, () => Promise.all([db.events.toArray(), db.pulled.toArray()]));
  return uniqueEvents(own, await eventsOfPages(pages));
}

/** Events recorded at or after `isoTime` (e.g. today's sales), own and pulled, each once. */
export async function readEventsSince(db: PerpetuaDb, isoTime: string): Promise<LedgerEvent[]> {
  const [own, pages] = await db.transaction('r', db.events, db.pulled, () =>
    Promise.all([db.events.where('recordedAt').aboveOrEqual(isoTime).toArray(), db.pulled.where('maxRecordedAt').aboveOrEqual(isoTime).toArray()]),
  );
  return uniqueEvents(own, (await eventsOfPages(pages)).filter((e) => e.recordedAt >= isoTime));
}

/** How many distinct events the local ledger holds. */
export async function countEvents(db: PerpetuaDb): Promise<number> {
  return (await readAllEvents(db)).length;
}
