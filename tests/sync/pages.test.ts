/**
 * Storage version 2 (src/db/db.ts): pulled events stored one record per page, the outbox as
 * `unsent` keyed by sequence number plus `setAside`. Pages fetched twice or overlapping, pulls cut
 * off mid-way, own events coming back: nothing lost, nothing doubled, and every reader sees one
 * ledger. Uses the app's real modules on fake-indexeddb with scripted transports (no server).
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/db/catalog.ts';
import { openDb, STORES_V1, type PerpetuaDb } from '../../src/db/db.ts';
import { eventsOfPages, readAllEvents, readEventsSince } from '../../src/db/event-store.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import type { LedgerEvent } from '../../src/domain/index.ts';
import type { PushResponse } from '../../src/sync/api-types.ts';
import { drainOutbox, retryRejected } from '../../src/sync/drain.ts';
import { pullNewEvents } from '../../src/sync/pull.ts';
import { countOutbox, listRejected } from '../../src/sync/status.ts';
import { SyncHttpError, type SyncTransport } from '../../src/sync/transport.ts';
import { openingBalance, saleEvent } from '../server/fixtures.ts';
import { saleBody } from './device.ts';

const STORE = 'store-pages';
const ME = 'dev-me';
let counter = 0;

async function freshDb(): Promise<PerpetuaDb> {
  counter += 1;
  const db = openDb(`perpetua-pages-${process.pid}-${counter}`);
  await db.open();
  await db.meta.put({ key: 'deviceId', value: ME });
  return db;
}

const context: RecordingContext = { storeId: STORE, locationId: 'loc-floor', deviceId: ME, userId: 'cashier-1', currency: 'EUR' };

/** The server's log of the store: other tills' sales, and optionally some of this device's. */
function storeLog(others: number, mine: LedgerEvent[] = []): LedgerEvent[] {
  const log = Array.from({ length: others }, (_, i) => saleEvent({ storeId: STORE, deviceId: `dev-other-${i % 3}`, seq: Math.floor(i / 3) + 1 }));
  // Own events interleaved at fixed places, as the server received them.
  mine.forEach((event, i) => log.splice(Math.min(log.length, i * 2), 0, event));
  return log;
}

/**
 * A server whose cursor is the position in `log`. `overlap(after)` makes a page start that many
 * events before the cursor asked for (a server that repeats itself); `failOn` fails given calls.
 */
function scriptedPull(log: LedgerEvent[], options: { overlap?: (after: number) => number; failOn?: (call: number) => boolean } = {}) {
  let calls = 0;
  const transport: SyncTransport = {
    push: () => Promise.reject(new Error('no push in this test')),
    pull: async (after, limit) => {
      calls += 1;
      if (options.failOn?.(calls)) throw new SyncHttpError('The server cannot be reached (test).', 0, true);
      const from = Math.max(0, Number(after) - (options.overlap?.(Number(after)) ?? 0));
      const events = log.slice(from, from + limit);
      const end = from + events.length;
      return { events, cursor: String(Math.max(end, Number(after))), hasMore: end < log.length };
    },
  };
  return transport;
}

function ids(events: LedgerEvent[]): string[] {
  return events.map((e) => e.id).sort();
}

/** A transport that answers each page as a server does: the JSON, and the Blob it was read from. */
function pagesAsSent(pages: unknown[][]): SyncTransport {
  return {
    push: () => Promise.reject(new Error('no push in this test')),
    pull: async (after) => {
      const index = Number(after);
      const answer = { events: pages[index] ?? [], cursor: String(index + 1), hasMore: index + 1 < pages.length };
      const asSent = new Blob([JSON.stringify(answer)], { type: 'application/json' });
      return { ...(JSON.parse(await asSent.text()) as typeof answer), asSent } as Awaited<ReturnType<SyncTransport['pull']>>;
    },
  };
}

describe('pulled pages kept as sent', () => {
  it('keeps a page as the Blob it came in only when every event in it validated unchanged', async () => {
    const db = await freshDb();
    const [a, b, c, d, e] = storeLog(5);
    // From a newer app: a field this version does not know. Validation drops it, so its page is re-written.
    const withUnknownField = { ...d!, giftWrap: true };
    const unreadable = { ...e!, id: 'not-an-id', kind: 'sale' };
    const report = await pullNewEvents(db, pagesAsSent([[a, b], [c, withUnknownField], [unreadable]]));
    expect(report).toMatchObject({ pulled: 4, unreadable: 1, cursor: '3' });
    const stored = await db.pulled.orderBy('cursor').toArray();
    expect(stored.map((p) => ('asSent' in p ? 'as sent' : 'text'))).toEqual(['as sent', 'text']);
    const events = await readAllEvents(db);
    expect(ids(events)).toEqual(ids([a!, b!, c!, d!]));
    // What the ledger holds is what was validated: the unknown field is not in it.
    expect(events.find((event) => event.id === d!.id)).toEqual(d);
    expect(JSON.stringify(events)).not.toContain('giftWrap');
    db.close();
  });
});

describe('pulled events this device already holds (issue 19)', () => {
  it('are skipped: neither validated nor stored again, and a page with one is stored as its other events', async () => {
    const db = await freshDb();
    const [a, b, c] = storeLog(3);
    await pullNewEvents(db, pagesAsSent([[a, b]]));
    const held = new Set([a!.id, b!.id]);
    // The server sends them again (a device seeded with the demo store pulls back its seed): one of
    // the copies is even malformed, which a device that validated it would count as unreadable.
    await db.meta.put({ key: 'syncCursor', value: '0' });
    const broken = { ...b!, lines: 'not lines' };
    const report = await pullNewEvents(db, pagesAsSent([[a, broken], [c, a]]), { held: (id) => held.has(id) });
    expect(report).toMatchObject({ pulled: 1, unreadable: 0, cursor: '2' });
    const stored = await db.pulled.orderBy('cursor').toArray();
    // The first pull's page as sent; the second run's first page held nothing new; its second page is c alone.
    expect(stored.map((p) => ('asSent' in p ? 'as sent' : 'text'))).toEqual(['as sent', 'text']);
    expect((await eventsOfPages([stored[1]!])).map((e) => e.id)).toEqual([c!.id]);
    const events = await readAllEvents(db);
    expect(ids(events)).toEqual(ids([a!, b!, c!]));
    expect(events.find((event) => event.id === b!.id)).toEqual(b);
    db.close();
  });

  it('without the held check, the same pull counts the malformed copy as unreadable', async () => {
    const db = await freshDb();
    const [a, b] = storeLog(2);
    const report = await pullNewEvents(db, pagesAsSent([[a, { ...b!, lines: 'not lines' }]]));
    expect(report).toMatchObject({ pulled: 1, unreadable: 1 });
    db.close();
  });
});

describe('pulled pages', () => {
  it('stores one record per page, and a pull resumed from the cursor adds only the rest', async () => {
    const db = await freshDb();
    const log = storeLog(23);
    const first = await pullNewEvents(db, scriptedPull(log.slice(0, 10)), { pageSize: 4 });
    expect(first).toMatchObject({ pulled: 10, cursor: '10' });
    expect(await db.pulled.count()).toBe(3);
    const second = await pullNewEvents(db, scriptedPull(log), { pageSize: 4 });
    expect(second).toMatchObject({ pulled: 13, cursor: '23' });
    expect(await db.pulled.count()).toBe(7);
    expect(ids(await readAllEvents(db))).toEqual(ids(log));
    expect(await db.events.count()).toBe(0);
    db.close();
  });

  it('the same page pulled twice (cursor reset) is neither lost nor doubled', async () => {
    const db = await freshDb();
    const log = storeLog(12);
    await pullNewEvents(db, scriptedPull(log), { pageSize: 5 });
    await db.meta.put({ key: 'syncCursor', value: '0' });
    await pullNewEvents(db, scriptedPull(log), { pageSize: 5 });
    const all = await readAllEvents(db);
    expect(all).toHaveLength(12);
    expect(ids(all)).toEqual(ids(log));
    db.close();
  });

  it('own events coming back are stored once; an own event missing locally is kept', async () => {
    const db = await freshDb();
    const mine = [await recordEvent(db, context, saleBody(1, 'p-tea')), await recordEvent(db, context, saleBody(2, 'p-tea'))];
    // Pushed by an earlier copy of this device: on the server, not in this database.
    const lost = saleEvent({ storeId: STORE, deviceId: ME, seq: 99 });
    const log = storeLog(6, [...mine, lost]);
    const report = await pullNewEvents(db, scriptedPull(log), { pageSize: 4 });
    expect(report.pulled).toBe(9);
    const inPages = await eventsOfPages(await db.pulled.toArray());
    expect(inPages.map((e) => e.id)).not.toContain(mine[0]!.id);
    expect(inPages.map((e) => e.id)).toContain(lost.id);
    expect(ids(await readAllEvents(db))).toEqual(ids(log));
    db.close();
  });

  it('property: overlapping pages, failed fetches and retries end with exactly the server log', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { maxLength: 12 }),
        async (others, ownCount, pageSize, overlaps, failures) => {
          const db = await freshDb();
          const mine: LedgerEvent[] = [];
          for (let i = 0; i < ownCount; i++) mine.push(await recordEvent(db, context, saleBody(1, 'p-tea')));
          const log = storeLog(others, mine);
          let call = 0;
          const transport = scriptedPull(log, {
            // Less than a page, or the scripted server would never move forward.
            overlap: () => Math.min(pageSize - 1, overlaps[call++ % overlaps.length] ?? 0),
            failOn: (n) => failures[n - 1] === true,
          });
          // Retried until a pull gets through to the end, as the scheduler would.
          for (let attempt = 0; attempt < 50; attempt++) {
            try {
              const report = await pullNewEvents(db, transport, { pageSize });
              if (report.cursor === String(log.length) || log.length === 0) break;
            } catch (error) {
              if (!(error instanceof SyncHttpError)) throw error;
            }
          }
          const all = await readAllEvents(db);
          expect(all).toHaveLength(log.length);
          expect(ids(all)).toEqual(ids(log));
          const projection = await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
          expect(projection.books.size).toBe(log.length);
          db.close();
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('the projection folds pages pulled after it opened, and a late event re-folds', async () => {
    const db = await freshDb();
    const opening = openingBalance({ storeId: STORE, deviceId: 'dev-other-9', seq: 1, lines: [{ productId: 'p-last', qty: 1, unitCost: 500 }] });
    const lateSale = saleEvent({ storeId: STORE, deviceId: 'dev-other-1', seq: 1, productId: 'p-last', wallMs: Date.UTC(2026, 0, 5, 10) });
    const earlySale = saleEvent({ storeId: STORE, deviceId: 'dev-other-2', seq: 1, productId: 'p-last', wallMs: Date.UTC(2026, 0, 5, 9) });
    const log = [opening, lateSale, earlySale];
    await pullNewEvents(db, scriptedPull(log.slice(0, 2)));
    const projection = await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
    expect(projection.books.oversells()).toEqual([]);
    await pullNewEvents(db, scriptedPull(log));
    await projection.refresh();
    expect(projection.books.size).toBe(3);
    // The 09:00 sale arrived last but sorts first: the 10:00 one is now the oversell.
    expect(projection.books.oversells().map((o) => o.eventId)).toEqual([lateSale.id]);
    expect(await db.stock.get(['p-last', 'loc-floor'])).toMatchObject({ onHand: -1 });
    db.close();
  });

  it("today's list and the whole ledger see pulled events; voiding another till's sale restores stock", async () => {
    const db = await freshDb();
    const old = saleEvent({ storeId: STORE, deviceId: 'dev-other-1', seq: 1, wallMs: Date.UTC(2026, 0, 4, 9) });
    const today = saleEvent({ storeId: STORE, deviceId: 'dev-other-1', seq: 2, qty: 3, wallMs: Date.UTC(2026, 0, 5, 9) });
    await pullNewEvents(db, scriptedPull([old, today]), { pageSize: 1 });
    const own = await recordEvent(db, context, saleBody(1, 'p-tea'), Date.UTC(2026, 0, 5, 11));
    expect(ids(await readEventsSince(db, '2026-01-05T00:00:00.000Z'))).toEqual(ids([today, own]));
    expect((await readAllEvents(db)).find((e) => e.id === old.id)).toEqual(old);
    // On-hand is the projection's; it also writes the cache the screens read before it is folded.
    // (The old hand-kept cache said 3 here: it had never seen the two pulled sales, only the void.)
    const projection = await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
    const before = projection.books.onHand('p-coffee', 'loc-floor');
    projection.applyOwn(await recordEvent(db, context, { kind: 'sale-voided', saleId: today.id, reason: 'test' }, Date.UTC(2026, 0, 5, 12)));
    expect(projection.books.onHand('p-coffee', 'loc-floor')).toBe(before + 3);
    await projection.cached();
    expect(await db.stock.get(['p-coffee', 'loc-floor'])).toMatchObject({ onHand: before + 3 });
    db.close();
  });
});

/** A server that accepts every event it is sent, except the ids in `refuse` (422 or per-event). */
function scriptedPush(options: { refuse422?: Set<string>; refuseEach?: Set<string>; onPush?: (events: LedgerEvent[]) => Promise<void> } = {}) {
  const received: string[] = [];
  const transport: SyncTransport = {
    pull: () => Promise.resolve({ events: [], cursor: '0', hasMore: false }),
    push: async (events) => {
      await options.onPush?.(events);
      const bad = events.flatMap((e, index) => (options.refuse422?.has(e.id) ? [{ index, id: e.id, reason: 'invalid (test)' }] : []));
      if (bad.length > 0) throw new SyncHttpError('invalid events', 422, false, { error: 'invalid', rejected: bad });
      const results: PushResponse['results'] = events.map((e) => {
        if (options.refuseEach?.has(e.id)) return { id: e.id, status: 'rejected', reason: 'refused (test)' };
        received.push(e.id);
        return { id: e.id, status: 'accepted', cursor: String(received.length) };
      });
      return { results, accepted: results.filter((r) => r.status === 'accepted').length, duplicate: 0, rejected: results.filter((r) => r.status === 'rejected').length };
    },
  };
  return { transport, received };
}

async function sellMany(db: PerpetuaDb, count: number): Promise<LedgerEvent[]> {
  const sold: LedgerEvent[] = [];
  for (let i = 0; i < count; i++) sold.push(await recordEvent(db, context, saleBody(1, 'p-tea')));
  return sold;
}

describe('unsent and set-aside events', () => {
  it('drains in device order; refused events are set aside with their reason and do not block the rest', async () => {
    const db = await freshDb();
    const sold = await sellMany(db, 12);
    const { transport, received } = scriptedPush({ refuseEach: new Set([sold[2]!.id]), refuse422: new Set([sold[7]!.id]) });
    const report = await drainOutbox(db, transport, { batchSize: 5 });
    expect(report).toMatchObject({ acknowledged: 10, rejected: 2 });
    expect(received).toEqual(sold.filter((_, i) => i !== 2 && i !== 7).map((e) => e.id));
    expect(await countOutbox(db)).toEqual({ pending: 0, rejected: 2 });
    expect(await listRejected(db)).toEqual([
      { eventId: sold[2]!.id, reason: 'refused (test)', kind: 'sale' },
      { eventId: sold[7]!.id, reason: 'invalid (test)', kind: 'sale' },
    ]);
    db.close();
  });

  it('an event put back in line during a drain is not removed by the acknowledgement of a batch around it', async () => {
    const db = await freshDb();
    const sold = await sellMany(db, 6);
    const refused = sold[2]!;
    let pushes = 0;
    let retried = false;
    const { transport, received } = scriptedPush({
      refuse422: new Set([refused.id]),
      onPush: async () => {
        pushes += 1;
        // The second push is the batch resent without the set-aside event (seq 1, 2, 4, 5, 6).
        // The owner presses "Retry" while it is in flight: seq 3 is back in `unsent`, unsent.
        if (pushes === 2 && !retried) {
          retried = (await retryRejected(db)) === 1;
        }
      },
    });
    await expect(drainOutbox(db, transport, { batchSize: 10 })).resolves.toBeDefined();
    expect(retried).toBe(true);
    // Either it was sent after the retry (and refused again: set aside), or it is still waiting.
    // It must never have vanished without being sent.
    const waiting = await db.unsent.toArray();
    const setAside = await db.setAside.toArray();
    expect([...waiting.map((r) => r.eventId), ...setAside.map((r) => r.eventId)]).toEqual([refused.id]);
    expect(received).toEqual(sold.filter((e) => e.id !== refused.id).map((e) => e.id));
    db.close();
  });

  it('property: with any batch size, refusals and lost replies, every event ends acknowledged or set aside, once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 8 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 24 }), { maxLength: 5 }),
        fc.array(fc.boolean(), { maxLength: 10 }),
        async (count, batchSize, refusedAt, lostReplies) => {
          const db = await freshDb();
          const sold = await sellMany(db, count);
          const refuseEach = new Set(refusedAt.filter((i) => i < count).map((i) => sold[i]!.id));
          const accepted = new Set<string>();
          let call = 0;
          const transport: SyncTransport = {
            pull: () => Promise.resolve({ events: [], cursor: '0', hasMore: false }),
            push: async (events) => {
              const results: PushResponse['results'] = events.map((e) => {
                if (refuseEach.has(e.id)) return { id: e.id, status: 'rejected', reason: 'refused' };
                const known = accepted.has(e.id);
                accepted.add(e.id);
                return { id: e.id, status: known ? 'duplicate' : 'accepted', cursor: '1' };
              });
              // The server committed, but the reply is lost on the way back.
              if (lostReplies[call++] === true) throw new SyncHttpError('connection reset', 0, true);
              return { results, accepted: 0, duplicate: 0, rejected: 0 };
            },
          };
          for (let attempt = 0; attempt < 20 && (await countOutbox(db)).pending > 0; attempt++) {
            await drainOutbox(db, transport, { batchSize }).catch((error: unknown) => {
              if (!(error instanceof SyncHttpError)) throw error;
            });
          }
          expect(await countOutbox(db)).toEqual({ pending: 0, rejected: refuseEach.size });
          expect([...accepted].sort()).toEqual(sold.filter((e) => !refuseEach.has(e.id)).map((e) => e.id).sort());
          expect((await db.setAside.toArray()).map((r) => r.eventId).sort()).toEqual([...refuseEach].sort());
          db.close();
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('upgrade from storage version 1', () => {
  it('keeps the events, and moves pending and refused outbox rows to unsent and setAside', async () => {
    counter += 1;
    const name = `perpetua-pages-v1-${process.pid}-${counter}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(STORES_V1);
    const mine = [1, 2, 3].map((seq) => saleEvent({ storeId: STORE, deviceId: ME, seq }));
    const pulled = saleEvent({ storeId: STORE, deviceId: 'dev-other-1', seq: 1 });
    await v1.table('events').bulkAdd([...mine, pulled]);
    await v1.table('outbox').bulkAdd([
      { eventId: mine[1]!.id, seq: 2, status: 'rejected', attempts: 1, rejectedReason: 'storeId: wrong store' },
      { eventId: mine[2]!.id, seq: 3, status: 'pending', attempts: 2, lastError: 'offline' },
    ]);
    await v1.table('meta').bulkPut([{ key: 'deviceId', value: ME }, { key: 'nextSeq', value: 4 }]);
    v1.close();

    const db = openDb(name);
    await db.open();
    expect(db.verno).toBe(2);
    expect(db.tables.map((t) => t.name)).not.toContain('outbox');
    expect(await db.unsent.toArray()).toEqual([{ seq: 3, eventId: mine[2]!.id, attempts: 2, lastError: 'offline' }]);
    expect(await db.setAside.toArray()).toEqual([{ eventId: mine[1]!.id, seq: 2, reason: 'storeId: wrong store', attempts: 1 }]);
    expect(ids(await readAllEvents(db))).toEqual(ids([...mine, pulled]));
    // The moved row drains like any other.
    const { transport, received } = scriptedPush();
    await drainOutbox(db, transport);
    expect(received).toEqual([mine[2]!.id]);
    db.close();
  });
});

/** Lets the held bodies through, one a millisecond, until `pulling` settles. */
async function bodiesLetThrough<T>(server: { bodies: (() => void)[] }, pulling: Promise<T>): Promise<T> {
  const release = setInterval(() => server.bodies.shift()?.(), 1);
  try {
    return await pulling;
  } finally {
    clearInterval(release);
  }
}

describe('the next page asked for from the headers (issue 19)', () => {
  /**
   * A server whose pages name their end in the headers before the body comes: `onHead` at once,
   * the body when the test releases it. `headCursor` lets the headers say something else.
   */
  function headersFirst(
    log: LedgerEvent[],
    pageSize: number,
    headCursor: (cursor: number) => number = (c) => c,
    headHasMore: (hasMore: boolean) => boolean = (h) => h,
    countedTotal = false,
  ) {
    const asked: string[] = [];
    const bodies: (() => void)[] = [];
    const transport: SyncTransport = {
      push: () => Promise.reject(new Error('no push in this test')),
      pull: async (after, limit, options) => {
        asked.push(after);
        const events = log.slice(Number(after), Number(after) + Math.min(limit, pageSize));
        const end = Number(after) + events.length;
        const hasMore = end < log.length;
        const total = countedTotal && options?.count ? { total: log.length - Number(after) } : {};
        options?.onHead?.({ cursor: String(headCursor(end)), hasMore: headHasMore(hasMore), ...total });
        await new Promise<void>((resolve) => bodies.push(resolve));
        return { events, cursor: String(end), hasMore };
      },
    };
    return { transport, asked, bodies };
  }

  it('asks for page 2 while page 1’s body is still coming, and stores every page once', async () => {
    const db = await freshDb();
    const log = storeLog(7);
    const server = headersFirst(log, 3);
    const pulling = pullNewEvents(db, server.transport, { pageSize: 3 });
    // Page 1's headers are in, its body is not: page 2 is already asked for.
    await expect.poll(() => server.asked).toEqual(['0', '3']);
    expect(await db.pulled.count()).toBe(0);
    expect(await bodiesLetThrough(server, pulling)).toMatchObject({ pulled: 7, cursor: '7' });
    expect(server.asked).toEqual(['0', '3', '6']);
    expect(ids(await readAllEvents(db))).toEqual(ids(log));
    db.close();
  });

  it('says the run’s total, 0 received, as soon as the first page’s headers name it, before that page is read', async () => {
    const db = await freshDb();
    const log = storeLog(7);
    const server = headersFirst(log, 3, undefined, undefined, true);
    const pulling = pullNewEvents(db, server.transport, { pageSize: 3 });
    await expect.poll(async () => (await db.meta.get('pullProgress'))?.value).toMatchObject({ received: 0, total: 7, done: false });
    expect(await db.pulled.count()).toBe(0);
    expect(await bodiesLetThrough(server, pulling)).toMatchObject({ pulled: 7, cursor: '7' });
    expect((await db.meta.get('pullProgress'))?.value).toMatchObject({ received: 7, total: 7, done: true });
    db.close();
  });

  it('a run of one page says nothing before it is stored (the idle sync writes no extra progress)', async () => {
    const db = await freshDb();
    const log = storeLog(2);
    const server = headersFirst(log, 3, undefined, undefined, true);
    const pulling = pullNewEvents(db, server.transport, { pageSize: 3 });
    await expect.poll(() => server.asked).toEqual(['0']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await db.meta.get('pullProgress')).toBeUndefined();
    server.bodies.shift()?.();
    expect(await pulling).toMatchObject({ pulled: 2 });
    db.close();
  });

  it('follows the body when the headers name another end (the page asked for ahead is dropped)', async () => {
    const db = await freshDb();
    const log = storeLog(5);
    const server = headersFirst(log, 2, (cursor) => cursor + 1);
    const pulling = pullNewEvents(db, server.transport, { pageSize: 2 });
    expect(await bodiesLetThrough(server, pulling)).toMatchObject({ pulled: 5, cursor: '5' });
    // Each page's headers said one past its end: the body's cursor was asked for as well, and used.
    expect(server.asked.filter((after) => ['0', '2', '4'].includes(after))).toEqual(['0', '2', '4']);
    expect(ids(await readAllEvents(db))).toEqual(ids(log));
    expect((await db.meta.get('syncCursor'))?.value).toBe('5');
    db.close();
  });

  it('goes on when the headers say a page is the last and its body says more follow', async () => {
    const db = await freshDb();
    const log = storeLog(5);
    const server = headersFirst(log, 2, (cursor) => cursor, () => false);
    expect(await bodiesLetThrough(server, pullNewEvents(db, server.transport, { pageSize: 2 }))).toMatchObject({ pulled: 5, cursor: '5' });
    expect(server.asked).toEqual(['0', '2', '4']);
    expect((await db.meta.get('historyComplete'))?.value).toBe(true);
    db.close();
  });
});
