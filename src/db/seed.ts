/**
 * First start: the demo store's fixed seed events go into the ledger (not the outbox: the server
 * holds the same events under the same ids), and the catalog and on-hand cache are built from them.
 */
import { DEMO_LOCATIONS, DEMO_PRODUCTS, demoSeedEvents } from '../domain/demo-store.ts';
import { storeProducts } from './catalog-store.ts';
import type { PerpetuaDb, StockRow } from './db.ts';

export async function seedDemoStoreIfEmpty(db: PerpetuaDb): Promise<boolean> {
  return db.transaction('rw', [db.events, db.catalogChunks, db.locations, db.stock, db.meta], async () => {
    if (await db.meta.get('seeded')) return false;
    const events = demoSeedEvents();
    await db.events.bulkPut(events);
    await storeProducts(db, DEMO_PRODUCTS);
    await db.locations.bulkPut([...DEMO_LOCATIONS]);
    const stock: StockRow[] = events.flatMap((event) =>
      event.kind === 'opening-balance' ? event.lines.map((l) => ({ productId: l.productId, locationId: event.locationId, onHand: l.qty })) : [],
    );
    await db.stock.bulkPut(stock);
    await db.meta.put({ key: 'seeded', value: 'demo' });
    return true;
  });
}
