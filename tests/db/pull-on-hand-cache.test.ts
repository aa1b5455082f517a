/**
 * While a pull has more pages to come, the projection folds each page at once but rewrites the
 * on-hand cache (the `stock` table the screens read) at most every PULL_ON_HAND_INTERVAL_MS, and the
 * last page of the run rewrites it at once (src/db/projection.ts repairOnHandSoon).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { CatalogIndex } from '../../src/db/catalog.ts';
import { openDb } from '../../src/db/db.ts';
import { LocalProjection, PULL_ON_HAND_INTERVAL_MS } from '../../src/db/projection.ts';
import type { LedgerEvent } from '../../src/domain/index.ts';
import { openingBalance, saleEvent } from '../server/fixtures.ts';

const store = 'store-1';

function stockOf(projection: LocalProjection): { productId: string; locationId: string; onHand: number }[] {
  return projection.books
    .stockLevels()
    .map((l) => ({ productId: l.productId, locationId: l.locationId, onHand: l.qty }))
    .sort((a, b) => a.productId.localeCompare(b.productId));
}

describe('the on-hand cache during a pull', () => {
  it('is rewritten at most once per interval while pages keep coming, at once after the last page', async () => {
    const db = openDb(`pull-cache-${Date.now()}`);
    await db.open();
    const projection = await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
    const writes = vi.spyOn(db.stock, 'bulkPut');
    const opening = openingBalance({ storeId: store, deviceId: 'dev-owner', seq: 1, lines: Array.from({ length: 6 }, (_, i) => ({ productId: `p-${i}`, qty: 10, unitCost: 100 })) });
    const pages: LedgerEvent[][] = [[opening], ...Array.from({ length: 5 }, (_, i) => [saleEvent({ storeId: store, deviceId: 'dev-till', seq: i + 1, productId: `p-${i}`, qty: 1 })])];

    for (const [i, page] of pages.entries()) await projection.applyPulled(page, i + 1, { morePages: true });
    await projection.cached();
    // Every page is in the books at once; the cache, rewritten whole as the projection opened, waits.
    expect(projection.books.onHand('p-4', opening.locationId)).toBe(9);
    expect(writes).not.toHaveBeenCalled();
    expect(await db.stock.count()).toBe(0);

    // The rewrite put off is done within the interval, once, with the books as they are then.
    await vi.waitFor(() => expect(writes).toHaveBeenCalledTimes(1), { timeout: PULL_ON_HAND_INTERVAL_MS + 2000, interval: 50 });
    await projection.cached();
    expect((await db.stock.toArray()).sort((a, b) => a.productId.localeCompare(b.productId))).toEqual(stockOf(projection));

    // The run's last page rewrites it at once.
    await projection.applyPulled([saleEvent({ storeId: store, deviceId: 'dev-till', seq: 6, productId: 'p-5', qty: 2 })], 7, { morePages: true });
    await projection.applyPulled([saleEvent({ storeId: store, deviceId: 'dev-till', seq: 7, productId: 'p-5', qty: 3 })], 8);
    await projection.cached();
    expect(await db.stock.get(['p-5', opening.locationId])).toMatchObject({ onHand: 5 });
    expect((await db.stock.toArray()).sort((a, b) => a.productId.localeCompare(b.productId))).toEqual(stockOf(projection));
    db.close();
  });
});
