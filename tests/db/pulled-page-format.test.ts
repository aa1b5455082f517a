/**
 * Pulled pages stored before issue 19 hold their events as objects (`events`), pages since either
 * as the server sent them (`asSent`, a Blob of its JSON answer) or as one JSON text (`eventsJson`). A device
 * upgraded with old pages in its database must still read and fold them beside new ones: the
 * ledger readers, the projection at start and on refresh.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/db/catalog.ts';
import { openDb, type PulledPageObjects } from '../../src/db/db.ts';
import { eventsOfPages, readAllEvents, readEventsSince } from '../../src/db/event-store.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import { Books, type LedgerEvent } from '../../src/domain/index.ts';
import { pageAsSentOf, pageOf } from '../../src/sync/pull.ts';
import { openingBalance, saleEvent } from '../server/fixtures.ts';

const store = 'store-1';
const opening = openingBalance({ storeId: store, deviceId: 'dev-owner', seq: 1, lines: [{ productId: 'p-tea', qty: 10, unitCost: 100 }] });
const sales = (from: number, count: number): LedgerEvent[] =>
  Array.from({ length: count }, (_, i) => saleEvent({ storeId: store, deviceId: 'dev-till', seq: from + i, productId: 'p-tea', qty: 1 }));

/** A page as pull.ts wrote it before issue 19. */
function oldPage(events: LedgerEvent[], after: number, cursor: number): PulledPageObjects {
  return { cursor, after, maxRecordedAt: events.reduce((max, e) => (e.recordedAt > max ? e.recordedAt : max), ''), events };
}

/** A page kept as the server sent it: its whole JSON answer, as the Blob a fetch makes. */
function pageAsSent(events: LedgerEvent[], after: number, cursor: number) {
  const asSent = new Blob([JSON.stringify({ events, cursor: String(cursor), hasMore: true })], { type: 'application/json' });
  return pageAsSentOf(events, asSent, String(after), String(cursor));
}

describe('pulled pages of all three formats', () => {
  it('reads and folds old object pages beside pages kept as sent and text pages', async () => {
    const db = openDb(`pages-format-${Date.now()}`);
    await db.open();
    const first = [opening, ...sales(1, 3)];
    const second = sales(4, 2);
    const third = sales(6, 3);
    await db.pulled.put(oldPage(first, 0, 4));
    await db.pulled.put(pageOf(second, '4', '6'));
    await db.pulled.put(pageAsSent(third, 6, 9));
    const stored = await db.pulled.toArray();
    expect(stored.map((p) => ('asSent' in p ? 'as sent' : 'eventsJson' in p ? 'text' : 'objects'))).toEqual(['objects', 'text', 'as sent']);
    expect(await eventsOfPages(stored)).toEqual([...first, ...second, ...third]);

    const projection = await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
    expect(projection.books.onHand('p-tea', opening.locationId)).toBe(10 - 8);
    expect((await readAllEvents(db)).length).toBe(9);
    expect((await readEventsSince(db, second[0]!.recordedAt)).map((e) => e.id).sort()).toEqual([...second, ...third].map((e) => e.id).sort());

    // Pages arriving after the start (another tab, an old version's) are folded by refresh too.
    const fourth = sales(9, 2);
    const fifth = sales(11, 1);
    await db.pulled.put(oldPage(fourth, 9, 11));
    await db.pulled.put(pageAsSent(fifth, 11, 12));
    await projection.refresh();
    await projection.cached();
    const all = [...first, ...second, ...third, ...fourth, ...fifth];
    expect(projection.books.onHand('p-tea', opening.locationId)).toBe(Books.fromEvents(all, { valuation: 'fifo' }).onHand('p-tea', opening.locationId));
    expect(await db.stock.toArray()).toEqual([{ productId: 'p-tea', locationId: opening.locationId, onHand: 10 - 11 }]);
    db.close();
  });
});
