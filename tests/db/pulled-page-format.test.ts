/**
 * Pulled pages stored before issue 19 hold their events as objects (`events`), pages since as one
 * JSON text (`eventsJson`). A device upgraded with old pages in its database must still read and
 * fold them beside new ones: the ledger readers, the projection at start and on refresh, findEvent.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/db/catalog.ts';
import { openDb, type PulledPageObjects } from '../../src/db/db.ts';
import { eventsOfPage, findEvent, readAllEvents, readEventsSince } from '../../src/db/event-store.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import { Books, type LedgerEvent } from '../../src/domain/index.ts';
import { pageOf } from '../../src/sync/pull.ts';
import { openingBalance, saleEvent } from '../server/fixtures.ts';

const store = 'store-1';
const opening = openingBalance({ storeId: store, deviceId: 'dev-owner', seq: 1, lines: [{ productId: 'p-tea', qty: 10, unitCost: 100 }] });
const sales = (from: number, count: number): LedgerEvent[] =>
  Array.from({ length: count }, (_, i) => saleEvent({ storeId: store, deviceId: 'dev-till', seq: from + i, productId: 'p-tea', qty: 1 }));

/** A page as pull.ts wrote it before issue 19. */
function oldPage(events: LedgerEvent[], after: number, cursor: number): PulledPageObjects {
  return { cursor, after, maxRecordedAt: events.reduce((max, e) => (e.recordedAt > max ? e.recordedAt : max), ''), events };
}

describe('pulled pages of both formats', () => {
  it('reads and folds old object pages beside new text pages', async () => {
    const db = openDb(`pages-format-${Date.now()}`);
    await db.open();
    const first = [opening, ...sales(1, 3)];
    const second = sales(4, 2);
    await db.pulled.put(oldPage(first, 0, 4));
    await db.pulled.put(pageOf(second, '4', '6'));
    const stored = await db.pulled.toArray();
    expect(stored.map((p) => ('eventsJson' in p ? 'text' : 'objects'))).toEqual(['objects', 'text']);
    expect(stored.flatMap(eventsOfPage)).toEqual([...first, ...second]);

    const projection = await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
    expect(projection.books.onHand('p-tea', opening.locationId)).toBe(10 - 5);
    expect((await readAllEvents(db)).length).toBe(6);
    expect(await findEvent(db, first[2]!.id)).toEqual(first[2]);
    expect(await findEvent(db, second[1]!.id)).toEqual(second[1]);
    expect(await findEvent(db, 'no-such-event')).toBeUndefined();
    expect((await readEventsSince(db, second[0]!.recordedAt)).map((e) => e.id)).toEqual(second.map((e) => e.id));

    // An old page arriving after the start (another tab of the old version) is folded by refresh too.
    const third = sales(6, 2);
    await db.pulled.put(oldPage(third, 6, 8));
    await projection.refresh();
    await projection.cached();
    const all = [...first, ...second, ...third];
    expect(projection.books.onHand('p-tea', opening.locationId)).toBe(Books.fromEvents(all, { valuation: 'fifo' }).onHand('p-tea', opening.locationId));
    expect(await db.stock.toArray()).toEqual([{ productId: 'p-tea', locationId: opening.locationId, onHand: 3 }]);
    db.close();
  });
});
