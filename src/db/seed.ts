/**
 * First start. Against a demo server (or with no server to ask, e.g. `npm run dev`) the device gets
 * the demo store: its fixed seed events go into the ledger (not the outbox: the server holds the
 * same events under the same ids) and the catalog is stored from them; the projection derives the
 * on-hand cache once it has folded them. Against a real store's server it gets an empty store: no
 * products, no stock, only the default locations, so nothing of the demo ever mixes with a shop's
 * real books.
 */
import { DEMO_LOCATIONS } from '../domain/demo-store.ts';
import { storeProducts } from './catalog-store.ts';
import { bulkPutInSlices } from './put-in-slices.ts';
import type { PerpetuaDb } from './db.ts';

export type FirstStart = 'demo' | 'empty-store';

let demoCatalog: Promise<typeof import('../domain/demo-catalog.ts')> | undefined;

/** Starts loading the demo's products and seed events (once): a first start asks it while it asks its server which start it is. */
export function loadDemoCatalog(): Promise<typeof import('../domain/demo-catalog.ts')> {
  // A failed load is forgotten, so the seed asks again.
  demoCatalog ??= import('../domain/demo-catalog.ts').catch((error: unknown) => {
    demoCatalog = undefined;
    throw error;
  });
  return demoCatalog;
}

/** Sets the device up once; later calls do nothing and return false. */
export async function seedIfEmpty(db: PerpetuaDb, kind: FirstStart): Promise<boolean> {
  // Loaded only for a demo start, and before the transaction: awaiting a module load inside it would
  // let IndexedDB commit it early.
  const demo = kind === 'demo' ? await loadDemoCatalog() : null;
  return db.transaction('rw', [db.events, db.catalogChunks, db.locations, db.meta], async () => {
    if (await db.meta.get('seeded')) return false;
    // Every store starts with a shop floor and a back room (DEFAULT_LOCATIONS); the owner adds
    // more with `location-defined` events, which the projection writes to this table.
    await db.locations.bulkPut([...DEMO_LOCATIONS]);
    if (demo) {
      await bulkPutInSlices(db.events, demo.demoSeedEvents());
      await storeProducts(db, demo.DEMO_PRODUCTS);
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
