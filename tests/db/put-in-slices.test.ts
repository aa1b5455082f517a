/**
 * bulkPutInSlices (src/db/put-in-slices.ts) on the app's real Dexie schema (fake-indexeddb in Node):
 * every row stored, a slice per put, and inside a transaction still all or nothing. The demo seed
 * relies on the last: a start that fails half-way must not leave a half-seeded ledger.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { bulkPutInSlices } from '../../src/db/put-in-slices.ts';
import { seedIfEmpty } from '../../src/db/seed.ts';
import { demoSeedEvents } from '../../src/domain/demo-catalog.ts';

let counter = 0;
const opened: PerpetuaDb[] = [];
async function freshDb(): Promise<PerpetuaDb> {
  const db = openDb(`put-in-slices-${process.pid}-${++counter}`);
  await db.open();
  opened.push(db);
  return db;
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ productId: `p${String(i).padStart(3, '0')}`, locationId: 'loc-floor', onHand: i }));

describe('bulkPutInSlices', () => {
  it('stores every row, one put per slice', async () => {
    const db = await freshDb();
    const put = vi.spyOn(db.stock, 'bulkPut');
    await bulkPutInSlices(db.stock, rows(101), 40);
    expect(put.mock.calls.map(([slice]) => slice.length)).toEqual([40, 40, 21]);
    expect(await db.stock.count()).toBe(101);
    expect((await db.stock.get(['p100', 'loc-floor']))?.onHand).toBe(100);
  });

  it('writes nothing for no rows', async () => {
    const db = await freshDb();
    const put = vi.spyOn(db.stock, 'bulkPut');
    await bulkPutInSlices(db.stock, [], 40);
    expect(put).not.toHaveBeenCalled();
  });

  it('stays one transaction: a failure after the last slice leaves none of them', async () => {
    const db = await freshDb();
    await expect(
      db.transaction('rw', db.stock, async () => {
        await bulkPutInSlices(db.stock, rows(95), 10);
        throw new Error('the start failed after the writes');
      }),
    ).rejects.toThrow('the start failed');
    expect(await db.stock.count()).toBe(0);
  });

  it("seeds the demo's events in slices, all of them", async () => {
    const db = await freshDb();
    const put = vi.spyOn(db.events, 'bulkPut');
    expect(await seedIfEmpty(db, 'demo')).toBe(true);
    const seed = demoSeedEvents();
    expect(put.mock.calls.length).toBeGreaterThan(1);
    expect((await db.events.toArray()).map((e) => e.id).sort()).toEqual(seed.map((e) => e.id).sort());
  });
});
