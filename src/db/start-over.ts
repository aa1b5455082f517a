/**
 * A device paired with another store than the one whose books it holds (the demo store it opened
 * on, or the store it was paired with before) starts over: every table of its database is emptied,
 * with only `keep` put back in `meta` (its identity and the new pairing), and the backup copy's event
 * files are removed, so nothing of the old store's products, stock or sales mixes with the new
 * store's books. The page then reloads (the caller's job): what it holds in memory is the old store's.
 */
import { DEMO_LOCATIONS } from '../domain/demo-store.ts';
import type { MetaRow, PerpetuaDb } from './db.ts';
import { journalIdentity, journalOf, removeJournalledEvents } from './journal.ts';

export async function startOver(db: PerpetuaDb, keep: MetaRow[]): Promise<void> {
  const journal = journalOf(db);
  // First the copy: a start that finds the database empty puts the copy's events back in it.
  if (journal) await removeJournalledEvents(journal);
  // Every table emptied and the device set up again in one transaction: a crash leaves the old
  // store's books or the new store's empty ones, never a mix. Set up as a real store's first start
  // is (src/db/seed.ts): the default locations, no products; marked so, the next start does not seed
  // it again, whatever server the page came from.
  await db.transaction('rw', db.tables, async () => {
    await Promise.all(db.tables.map((table) => table.clear()));
    await db.locations.bulkPut([...DEMO_LOCATIONS]);
    await db.meta.bulkPut([...keep, { key: 'seeded', value: 'empty-store' }]);
  });
  if (journal) await journalIdentity(db);
}
