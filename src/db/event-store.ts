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
 * The events of one pulled page, in either stored format (src/db/db.ts `PulledPage`). The text was
 * validated before it was stored, so it is parsed, not validated again.
 */
export function eventsOfPage(page: PulledPage): LedgerEvent[] {
  return 'eventsJson' in page ? (JSON.parse(page.eventsJson) as LedgerEvent[]) : page.events;
}

export function eventsOfPages(pages: readonly PulledPage[]): LedgerEvent[] {
  return pages.flatMap(eventsOfPage);
}

/** The whole local ledger, own and pulled, each event once (in no particular order). */
export async function readAllEvents(db: PerpetuaDb): Promise<LedgerEvent[]> {
  return db.transaction('r', db.events, db.pulled, async () => {
    const [own, pages] = await Promise.all([db.events.toArray(), db.pulled.toArray()]);
    return uniqueEvents(own, eventsOfPages(pages));
  });
}

/** Events recorded at or after `isoTime` (e.g. today's sales), own and pulled, each once. */
export async function readEventsSince(db: PerpetuaDb, isoTime: string): Promise<LedgerEvent[]> {
  return db.transaction('r', db.events, db.pulled, async () => {
    const [own, pages] = await Promise.all([
      db.events.where('recordedAt').aboveOrEqual(isoTime).toArray(),
      db.pulled.where('maxRecordedAt').aboveOrEqual(isoTime).toArray(),
    ]);
    return uniqueEvents(own, eventsOfPages(pages).filter((e) => e.recordedAt >= isoTime));
  });
}

/**
 * One event by id. Own events are one indexed read; a pulled one (voiding another till's sale)
 * means looking through the pages, newest first, since the event voided is usually recent.
 * Must run inside a transaction that includes `events` and `pulled` when called from one.
 */
export async function findEvent(db: PerpetuaDb, id: string): Promise<LedgerEvent | undefined> {
  const own = await db.events.get(id);
  if (own) return own;
  let found: LedgerEvent | undefined;
  await db.pulled
    .reverse()
    .until(() => found !== undefined)
    .each((page) => {
      // A page's text holds the id verbatim if it holds the event: only that page is parsed.
      if (found !== undefined || ('eventsJson' in page && !page.eventsJson.includes(id))) return;
      found = eventsOfPage(page).find((e) => e.id === id);
    });
  return found;
}

/** How many distinct events the local ledger holds. */
export async function countEvents(db: PerpetuaDb): Promise<number> {
  return (await readAllEvents(db)).length;
}
