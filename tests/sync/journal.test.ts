/**
 * The backup copy of unsynced events and the device identity outside IndexedDB (src/db/journal.ts,
 * issue 14, item 17), on the app's real Dexie database (fake-indexeddb) with the journal in memory
 * (Node has no Origin Private File System; tests/e2e/crash-safe.test.ts uses the real one).
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { SAVED_CART_KEY } from '../../src/db/meta-keys.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { attachJournal, compactJournal, journalIdentity, restoreFromJournal } from '../../src/db/journal.ts';
import { memoryFiles } from './memory-journal.ts';
import type { EventBody, LedgerEvent } from '../../src/domain/events.ts';
import { receiptNumber } from '../../src/domain/receipt-numbers.ts';
import { saleBody } from './device.ts';

const ME = 'dev-journal-test';
const context: RecordingContext = { storeId: 'store-j', locationId: 'loc-floor', deviceId: ME, userId: 'cashier', currency: 'EUR' };
let counter = 0;

/** A device that has paired and journals its events, as the app sets it up at start. */
async function pairedDevice(): Promise<{ db: PerpetuaDb; name: string; journal: ReturnType<typeof memoryFiles> }> {
  counter += 1;
  const name = `perpetua-journal-${process.pid}-${counter}`;
  const db = openDb(name);
  await db.open();
  const journal = memoryFiles();
  attachJournal(db, journal);
  await db.meta.bulkPut([
    { key: 'deviceId', value: ME },
    { key: 'deviceToken', value: 'token-j' },
    { key: 'serverUrl', value: 'http://127.0.0.1:9' },
    { key: 'storeId', value: 'store-j' },
    { key: 'deviceRole', value: 'staff' },
  ]);
  await journalIdentity(db);
  return { db, name, journal };
}

/** Chromium deleted the database: the same name opens empty. */
async function lost(db: PerpetuaDb, name: string): Promise<PerpetuaDb> {
  db.close();
  await db.delete();
  const fresh = openDb(name);
  await fresh.open();
  return fresh;
}

const own = async (db: PerpetuaDb) => (await db.events.where('[deviceId+seq]').between([ME, -Infinity], [ME, Infinity]).toArray());

describe('the backup copy of unsynced events (issue 14, item 17)', () => {
  it('a lost database gets back every unsynced event, with its id, seq and clock, and the device identity', async () => {
    const { db, name, journal } = await pairedDevice();
    const sold = [await recordEvent(db, context, saleBody(1, 'p-tea')), await recordEvent(db, context, saleBody(2, 'p-tea'))];
    const fresh = await lost(db, name);
    const report = await restoreFromJournal(fresh, journal);
    expect(report?.identity).toBe(true);
    expect(report?.events.map((e) => e.id)).toEqual(sold.map((e) => e.id));
    expect(await own(fresh)).toEqual(sold);
    expect(await fresh.unsent.toArray()).toEqual(sold.map((e) => ({ seq: e.seq, eventId: e.id, attempts: 0 })));
    const meta = Object.fromEntries((await fresh.meta.toArray()).map((row) => [row.key, row.value]));
    expect(meta).toMatchObject({ deviceId: ME, deviceToken: 'token-j', serverUrl: 'http://127.0.0.1:9', storeId: 'store-j', deviceRole: 'staff' });
    // The next sale continues the device's numbering: nothing is numbered twice.
    attachJournal(fresh, journal);
    expect((await recordEvent(fresh, context, saleBody(1, 'p-tea'))).seq).toBe(3);
    // A second start finds nothing missing.
    expect(await restoreFromJournal(fresh, journal)).toBeNull();
    fresh.close();
  });

  it('an event whose transaction failed leaves no copy: it does not come back at the next start', async () => {
    const { db, name, journal } = await pairedDevice();
    await recordEvent(db, context, saleBody(1, 'p-tea'));
    const fail = () => {
      throw new Error('simulated write failure');
    };
    db.unsent.hook('creating', fail);
    await expect(recordEvent(db, context, saleBody(1, 'p-tea'))).rejects.toThrow(/NOT recorded/);
    db.unsent.hook('creating').unsubscribe(fail);
    expect([...journal.files.keys()].filter((file) => file.startsWith('event-'))).toHaveLength(1);
    const fresh = await lost(db, name);
    expect((await restoreFromJournal(fresh, journal))?.events).toHaveLength(1);
    fresh.close();
  });

  it('a crash between the copy and the transaction: the event is restored at the next start', async () => {
    const { db, journal } = await pairedDevice();
    const sale = await recordEvent(db, context, saleBody(1, 'p-tea'));
    // As if the browser died after the copy was written and before IndexedDB committed.
    await db.transaction('rw', db.events, db.unsent, () => Promise.all([db.events.delete(sale.id), db.unsent.delete(sale.seq)]));
    // Its cart was still saved, since the transaction that removes it did not commit either.
    await db.meta.put({ key: SAVED_CART_KEY, value: { lines: [], cartDiscount: 0 } });
    const report = await restoreFromJournal(db, journal);
    expect(report).toEqual({ identity: false, events: [sale] });
    expect(await own(db)).toEqual([sale]);
    // …and goes with the restore: the restored sale is not offered for payment again (item 16).
    expect(await db.meta.get(SAVED_CART_KEY)).toBeUndefined();
    db.close();
  });

  it('a stale copy whose number another event took is not restored over it', async () => {
    const { db, journal } = await pairedDevice();
    const sale = await recordEvent(db, context, saleBody(1, 'p-tea'));
    const stale: LedgerEvent = { ...sale, id: '01900000-0000-7000-8000-000000000001' };
    journal.files.set(`event-${String(sale.seq).padStart(12, '0')}-${stale.id}.json`, JSON.stringify(stale));
    expect(await restoreFromJournal(db, journal)).toBeNull();
    expect(await own(db)).toEqual([sale]);
    db.close();
  });

  it('a database lost after everything synced goes on with the next sequence and receipt numbers', async () => {
    const { db, name, journal } = await pairedDevice();
    // Sales numbered by the writer, as the Sell screen records them.
    const sale = (receipt: number): EventBody => ({ ...saleBody(1, 'p-tea'), receiptNo: receiptNumber(ME, receipt) }) as EventBody;
    await recordEvent(db, context, sale);
    await recordEvent(db, context, sale);
    const move = await recordEvent(db, context, { kind: 'cash-moved', shiftId: 'shift-1', amount: 500, reason: 'Change' });
    // All three acknowledged by the server, and the copy compacted after that sync.
    await db.unsent.clear();
    await compactJournal(db);
    const fresh = await lost(db, name);
    await restoreFromJournal(fresh, journal);
    attachJournal(fresh, journal);
    const next = await recordEvent(fresh, context, sale);
    expect(next.seq).toBe(move.seq + 1);
    expect(next.kind === 'sale' ? next.receiptNo : undefined).toBe(receiptNumber(ME, 3));
    fresh.close();
  });

  it('compaction drops what the server acknowledged and keeps what it lacks or refused', async () => {
    const { db, journal } = await pairedDevice();
    const [a, b, c] = [await recordEvent(db, context, saleBody(1, 'p-tea')), await recordEvent(db, context, saleBody(1, 'p-tea')), await recordEvent(db, context, saleBody(1, 'p-tea'))];
    // The server acknowledged a and refused b; c still waits.
    await db.unsent.bulkDelete([a.seq, b.seq]);
    await db.setAside.put({ eventId: b.id, seq: b.seq, reason: 'refused', attempts: 1 });
    expect(await compactJournal(db)).toBe(1);
    const kept = [...journal.files.keys()].filter((file) => file.startsWith('event-'));
    expect(kept.map((file) => file.slice(-41, -5))).toEqual([b.id, c.id]);
    db.close();
  });

  it('property: whatever part of the unsynced ledger the database loses comes back exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), async (losses) => {
        const { db, journal } = await pairedDevice();
        const sold: LedgerEvent[] = [];
        for (let i = 0; i < losses.length; i++) sold.push(await recordEvent(db, context, saleBody(1, 'p-tea')));
        const gone = sold.filter((_, i) => losses[i]);
        await db.transaction('rw', db.events, db.unsent, () => Promise.all([db.events.bulkDelete(gone.map((e) => e.id)), db.unsent.bulkDelete(gone.map((e) => e.seq))]));
        const report = await restoreFromJournal(db, journal);
        expect(report?.events.map((e) => e.id) ?? []).toEqual(gone.map((e) => e.id));
        expect(await own(db)).toEqual(sold);
        expect((await db.unsent.toArray()).map((row) => row.eventId)).toEqual(sold.map((e) => e.id));
        db.close();
      }),
      { numRuns: 15 },
    );
  });
});
