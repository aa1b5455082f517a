/**
 * A device that started for a real store (its server said it is no demo) has no store id until it
 * is paired. AppContext.record refuses until then, saying what to do, and records nothing: an event
 * stamped with the demo store's id would be refused by the store's server and set aside. Once paired
 * (the store id stored, refreshStoreId called), it records for that store.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { NotPairedError, openAppContext, type AppContext } from '../../src/ui/app-context.ts';
import { openDb, setMeta } from '../../src/db/db.ts';
import { seedIfEmpty, type FirstStart } from '../../src/db/seed.ts';
import { DEMO_STORE_ID } from '../../src/domain/demo-store.ts';

const opened: AppContext[] = [];
let counter = 0;

afterEach(async () => {
  for (const app of opened.splice(0)) await app.db.delete();
});

/** A device whose first start was `kind`, as openAppContext finds it on its next start. */
async function deviceAfterFirstStart(kind: FirstStart): Promise<AppContext> {
  const name = `record-unpaired-${process.pid}-${++counter}`;
  const db = openDb(name);
  await seedIfEmpty(db, kind);
  db.close();
  const app = await openAppContext(name);
  opened.push(app);
  return app;
}

const cashIn = { kind: 'cash-moved' as const, shiftId: 's-1', amount: 100, reason: 'Change from the bank' };

describe('recording on a device of a real store', () => {
  it('is refused with what to do until the device is paired, then stamped with the store’s id', async () => {
    const app = await deviceAfterFirstStart('empty-store');
    await expect(app.record(cashIn)).rejects.toThrow(NotPairedError);
    await expect(app.record(cashIn)).rejects.toThrow(/not paired with the store yet.*Pair it in More → Settings → Server and sync/);
    expect(await app.db.events.count()).toBe(0);
    expect(await app.db.unsent.count()).toBe(0);
    // The catalog import records with the same context: refused alike.
    expect(() => app.recording()).toThrow(NotPairedError);

    // What pairing stores, then tells the app.
    await setMeta(app.db, 'storeId', 'store-corner-shop');
    await app.refreshStoreId();
    const event = await app.record(cashIn);
    expect(event.storeId).toBe('store-corner-shop');
    expect(await app.db.events.count()).toBe(1);
    expect(await app.db.unsent.count()).toBe(1);
  });

  it('records at once on a demo device, and on a paired device after a restart', async () => {
    const demo = await deviceAfterFirstStart('demo');
    expect((await demo.record(cashIn)).storeId).toBe(DEMO_STORE_ID);

    const name = `record-unpaired-${process.pid}-${++counter}`;
    const db = openDb(name);
    await seedIfEmpty(db, 'empty-store');
    await setMeta(db, 'storeId', 'store-corner-shop');
    db.close();
    const paired = await openAppContext(name);
    opened.push(paired);
    expect((await paired.record(cashIn)).storeId).toBe('store-corner-shop');
  });
});
