/**
 * The upgrade to store-wide settings: a device that saved store settings in its own meta 'settings'
 * (before they were the store's) keeps working. The owner's device records them once as the store's;
 * a staff device ignores its own copies and takes the store's. Real AppContext on fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/db.ts';
import { openAppContext, type AppContext } from '../../src/ui/app-context.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';

const opened: AppContext[] = [];
let counter = 0;

/** What the Settings screen saved before issue 13: the store's fields and the device's, together. */
const savedBefore = {
  storeName: 'Corner Shop',
  currency: 'EUR',
  pricesIncludeTax: false,
  locationId: 'loc-back',
  cashier: 'Ann',
  valuation: 'fifo',
  requireTwoReads: true,
  cashStep: 5,
};

async function deviceWithOldSettings(role: 'owner' | 'staff', saved: object = savedBefore): Promise<string> {
  const name = `store-settings-upgrade-${process.pid}-${++counter}`;
  const db = openDb(name);
  await db.meta.bulkPut([
    { key: 'settings', value: saved },
    ...(role === 'staff' ? [{ key: 'deviceToken', value: 'pdt_staff' }, { key: 'deviceRole', value: 'staff' }] : []),
  ]);
  db.close();
  return name;
}

async function start(name: string): Promise<AppContext> {
  const app = await openAppContext(name);
  opened.push(app);
  return app;
}

async function folded(app: AppContext): Promise<void> {
  void app.loadCatalog();
  await app.buildProjection();
}

const settingsEvents = async (app: AppContext): Promise<LedgerEvent[]> => (await app.db.events.toArray()).filter((e) => e.kind === 'store-settings-changed');

afterEach(async () => {
  for (const app of opened.splice(0)) {
    await app.db.delete();
  }
});

describe('store settings saved on a device before they were the store’s', () => {
  it('on the owner’s device: sells by them at once, records them once for the store, keeps the device’s own', async () => {
    const name = await deviceWithOldSettings('owner');
    const app = await start(name);
    // Before the books are folded, the first sale is priced as before the upgrade.
    expect(app.settings).toMatchObject({ storeName: 'Corner Shop', pricesIncludeTax: false, cashStep: 5, locationId: 'loc-back', cashier: 'Ann', requireTwoReads: true });
    await folded(app);
    const [recorded, ...more] = await settingsEvents(app);
    expect(more).toEqual([]);
    expect(recorded).toMatchObject({ kind: 'store-settings-changed', changes: { storeName: 'Corner Shop', pricesIncludeTax: false, cashStep: 5 } });
    expect(Object.keys(recorded?.kind === 'store-settings-changed' ? recorded.changes : {}).sort()).toEqual(['cashStep', 'pricesIncludeTax', 'storeName']);
    expect(app.projection?.books.storeSettings()).toMatchObject({ storeName: 'Corner Shop', pricesIncludeTax: false, cashStep: 5 });
    expect(app.settings).toMatchObject({ pricesIncludeTax: false, locationId: 'loc-back', cashier: 'Ann' });
    // The projection cached them for the next start.
    expect((await app.db.meta.get('storeSettings'))?.value).toMatchObject({ storeName: 'Corner Shop', pricesIncludeTax: false });

    // The next start records nothing again.
    app.db.close();
    opened.splice(opened.indexOf(app), 1);
    const again = await start(name);
    expect(again.settings).toMatchObject({ storeName: 'Corner Shop', pricesIncludeTax: false });
    await folded(again);
    expect(await settingsEvents(again)).toHaveLength(1);
  });

  it('on the owner’s device: a valuation method chosen before refolds the books by it', async () => {
    const app = await start(await deviceWithOldSettings('owner', { ...savedBefore, valuation: 'average' }));
    await folded(app);
    expect(await settingsEvents(app)).toMatchObject([{ changes: { valuation: 'average' } }]);
    await expect.poll(() => app.projection?.method).toBe('average');
    expect(app.settings.valuation).toBe('average');
  });

  it('on a staff device: ignores its own copies, takes the store’s, records nothing', async () => {
    const app = await start(await deviceWithOldSettings('staff'));
    expect(app.role).toBe('staff');
    expect(app.settings).toMatchObject({ storeName: 'Perpetua Demo Market', pricesIncludeTax: true, cashStep: 1, locationId: 'loc-back', cashier: 'Ann', requireTwoReads: true });
    await folded(app);
    expect(await settingsEvents(app)).toEqual([]);
    expect(app.settings.pricesIncludeTax).toBe(true);
  });
});
