/**
 * A device paired with another store than the one whose books it holds (the demo store it opened
 * on, or the store it was paired with before) starts over: its database is deleted and made anew,
 * empty, with only `keep` in `meta` (its identity and the new pairing), and the backup copy's event
 * files are removed, so nothing of the old store's products, stock or sales mixes with the new
 * store's books. The page then reloads (the caller's job): what it holds in memory is the old store's.
 */
import { DEMO_LOCATIONS } from '../domain/demo-store.ts';
import { openDb, type MetaRow, type PerpetuaDb } from './db.ts';
import { attachJournal, journalIdentity, journalOf, removeJournalledEvents } from './journal.ts';

export async function startOver(db: PerpetuaDb, keep: MetaRow[]): Promise<void> {
  const journal = journalOf(db);
  // First the copy: a start that finds the database empty puts the copy's events back in it.
  if (journal) await removeJournalledEvents(journal);
  const name = db.name;
  await db.delete();
  const fresh = openDb(name);
  try {
    // Set up as a real store's first start is (src/db/seed.ts): the default locations, no products.
    // Marked so, the next start does not seed it again, whatever server the page came from.
    await fresh.transaction('rw', fresh.locations, fresh.meta, async () => {
      await fresh.locations.bulkPut([...DEMO_LOCATIONS]);
      await fresh.meta.bulkPut([...keep, { key: 'seeded', value: 'empty-store' }]);
    });
    if (journal) {
      attachJournal(fresh, journal);
      await journalIdentity(fresh);
    }
  } finally {
    fresh.close();
  }
}
