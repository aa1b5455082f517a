/**
 * First start. Against a demo server (or with no server to ask, e.g. `npm run dev`) the device gets
 * the demo store: its fixed seed events go into the ledger (not the outbox: the server holds the
 * same events under the same ids) and the catalog is stored from them; the projection derives the
 * on-hand cache once it has folded them. Against a real store's server it gets an empty store: no
 * products, no stock, only the default locations, so nothing of the demo ever mixes with a shop's
 * real books.
 */
import { DEMO_LOCATIONS, DEMO_PRODUCTS, demoSeedEvents } from '../domain/demo-store.ts';
import { storeProducts } from './catalog-store.ts';
import type { PerpetuaDb } from './db.ts';

export type FirstStart = 'demo' | 'empty-store';

/** Sets the device up once; later calls do nothing and return false. */
export async function seedIfEmpty(db: PerpetuaDb, kind: FirstStart): Promise<boolean> {
  return db.transaction('rw', [db.events, db.catalogChunks, db.locations, db.meta], async () => {
    if (await db.meta.get('seeded')) return false;
    // Every store starts with a shop floor and a back room (DEFAULT_LOCATIONS); the owner adds
    // more with `location-defined` events, which the projection writes to this table.
    await db.locations.bulkPut([...DEMO_LOCATIONS]);
    if (kind === 'demo') {
      const events = demoSeedEvents();
      await db.events.bulkPut(events);
      await storeProducts(db, DEMO_PRODUCTS);
    }
    await db.meta.put({ key: 'seeded', value: kind });
    return true;
  });
}

export function seedDemoStoreIfEmpty(db: PerpetuaDb): Promise<boolean> {
  return seedIfEmpty(db, 'demo');
}

export async function isSeeded(db: PerpetuaDb): Promise<boolean> {
  return (await db.meta.get('seeded')) !== undefined;
}
