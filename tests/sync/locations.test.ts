/**
 * Locations on a device: one the owner's device defines reaches `db.locations` when it is pulled
 * and folded, a rename replaces the name, and an own definition is in the table as soon as it is
 * recorded. Real app modules on fake-indexeddb with a scripted transport (no server), as in
 * pages.test.ts.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/db/catalog.ts';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import { seedIfEmpty } from '../../src/db/seed.ts';
import { DEMO_STORE_ID } from '../../src/domain/demo-store.ts';
import type { LedgerEvent } from '../../src/domain/index.ts';
import { pullNewEvents } from '../../src/sync/pull.ts';
import type { SyncTransport } from '../../src/sync/transport.ts';
import { locationDefined } from '../server/fixtures.ts';

const STORE = 'store-locations';
const ME = 'dev-me';
const OWNER = 'dev-owner';
let counter = 0;

async function freshDevice(): Promise<PerpetuaDb> {
  counter += 1;
  const db = openDb(`perpetua-locations-${process.pid}-${counter}`);
  await db.open();
  await seedIfEmpty(db, 'empty-store');
  await db.meta.put({ key: 'deviceId', value: ME });
  return db;
}

function serverWith(log: LedgerEvent[]): SyncTransport {
  return {
    push: () => Promise.reject(new Error('no push in this test')),
    pull: async (after) => {
      const events = log.slice(Number(after));
      return { events, cursor: String(log.length), hasMore: false };
    },
  };
}

const names = async (db: PerpetuaDb) => (await db.locations.toArray()).map((l) => [l.id, l.name]).sort();

describe('locations on a device', () => {
  it('a location defined on the owner’s device and pulled ends up in db.locations after a refresh, and so does its rename', async () => {
    const db = await freshDevice();
    const projection = await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
    expect(await names(db)).toEqual([['loc-back', 'Back room'], ['loc-floor', 'Shop floor']]);

    const added = locationDefined({ storeId: STORE, deviceId: OWNER, seq: 1, id: 'loc-warehouse', name: 'Warehouse' });
    await pullNewEvents(db, serverWith([added]));
    await projection.refresh();
    expect(await db.locations.get('loc-warehouse')).toEqual({ id: 'loc-warehouse', name: 'Warehouse', storeId: STORE });

    const renamed = locationDefined({ storeId: STORE, deviceId: OWNER, seq: 2, id: 'loc-warehouse', name: 'Main warehouse' });
    const floorRenamed = locationDefined({ storeId: STORE, deviceId: OWNER, seq: 3, id: 'loc-floor', name: 'Front of shop' });
    await pullNewEvents(db, serverWith([added, renamed, floorRenamed]));
    await projection.refresh();
    expect(await names(db)).toEqual([['loc-back', 'Back room'], ['loc-floor', 'Front of shop'], ['loc-warehouse', 'Main warehouse']]);
    // A renamed default keeps the store it was seeded with.
    expect((await db.locations.get('loc-floor'))?.storeId).toBe(DEMO_STORE_ID);
  });

  it('a device that opens its projection after the pull finds the location too', async () => {
    const db = await freshDevice();
    await pullNewEvents(db, serverWith([locationDefined({ storeId: STORE, deviceId: OWNER, seq: 1, id: 'loc-van', name: 'Van' })]));
    await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
    expect(await db.locations.get('loc-van')).toMatchObject({ name: 'Van' });
  });

  it('an own definition reaches db.locations from the projection, not from the sale-like write', async () => {
    const db = await freshDevice();
    const context: RecordingContext = { storeId: STORE, locationId: 'loc-floor', deviceId: ME, userId: 'owner', currency: 'EUR' };
    await recordEvent(db, context, { kind: 'location-defined', location: { id: 'loc-shop-2', name: 'Second shop' } });
    // The event's transaction writes only the event and its outbox row.
    expect(await db.locations.get('loc-shop-2')).toBeUndefined();
    // What the app does right after the commit (src/ui/app-context.ts), and what a start does.
    const projection = await LocalProjection.open(db, new CatalogIndex([]), 'fifo');
    expect(await db.locations.get('loc-shop-2')).toEqual({ id: 'loc-shop-2', name: 'Second shop', storeId: STORE });
    const renamed = await recordEvent(db, context, { kind: 'location-defined', location: { id: 'loc-shop-2', name: 'Second shop, north' } });
    projection.applyOwn(renamed);
    await projection.repairLocations([renamed]);
    expect(await db.locations.get('loc-shop-2')).toEqual({ id: 'loc-shop-2', name: 'Second shop, north', storeId: STORE });
  });
});
