/**
 * The device's one writer (src/db/ledger-writer.ts) on the app's real Dexie database (fake-indexeddb):
 * sequence numbers and clock kept in memory, restored from the ledger, never reused, no gaps.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { ledgerWriterOf, positionFromLedger } from '../../src/db/ledger-writer.ts';
import { pullNewEvents } from '../../src/sync/pull.ts';
import type { SyncTransport } from '../../src/sync/transport.ts';
import { saleEvent } from '../server/fixtures.ts';
import { saleBody } from './device.ts';

const ME = 'dev-writer-test';
const context: RecordingContext = { storeId: 'store-w', locationId: 'loc-floor', deviceId: ME, userId: 'cashier', currency: 'EUR' };
let counter = 0;

async function freshDb(): Promise<{ db: PerpetuaDb; name: string }> {
  counter += 1;
  const name = `perpetua-writer-${process.pid}-${counter}`;
  const db = openDb(name);
  await db.open();
  return { db, name };
}

const ownSeqs = async (db: PerpetuaDb) => (await db.events.where('[deviceId+seq]').between([ME, -Infinity], [ME, Infinity]).toArray()).map((e) => e.seq);
const unsentSeqs = async (db: PerpetuaDb) => (await db.unsent.toArray()).map((row) => row.seq);

describe('the ledger writer', () => {
  it('a sale writes only the event and its outbox row; nothing is kept in meta', async () => {
    const { db } = await freshDb();
    const sale = await recordEvent(db, context, saleBody(1, 'p-tea'), Date.UTC(2026, 0, 5, 9));
    expect(sale.seq).toBe(1);
    expect(await db.unsent.toArray()).toEqual([{ seq: 1, eventId: sale.id, attempts: 0 }]);
    expect(await db.meta.count()).toBe(0);
    expect(await db.stock.count()).toBe(0);
    db.close();
  });

  it('a reopened database continues after the highest own seq and the newest stamp in the ledger', async () => {
    const { db, name } = await freshDb();
    const sold = [];
    for (let i = 0; i < 3; i++) sold.push(await recordEvent(db, context, saleBody(1, 'p-tea'), Date.UTC(2026, 0, 5, 9, i)));
    db.close();
    // A new page on the same database: a new writer, restored from the ledger. Its wall clock is
    // an hour behind the last sale, yet its stamp sorts after it.
    const reopened = openDb(name);
    await reopened.open();
    expect(await positionFromLedger(reopened, ME)).toMatchObject({ nextSeq: 4 });
    const next = await recordEvent(reopened, context, saleBody(1, 'p-tea'), Date.UTC(2026, 0, 5, 8));
    expect(next.seq).toBe(4);
    expect(next.hlc > sold[2]!.hlc).toBe(true);
    reopened.close();
  });

  it('a failed write uses no number: the next event takes it, gap-free', async () => {
    const { db } = await freshDb();
    await recordEvent(db, context, saleBody(1, 'p-tea'));
    // The transaction fails (as a full disk would make it).
    const fail = () => {
      throw new Error('simulated write failure');
    };
    db.events.hook('creating', fail);
    await expect(recordEvent(db, context, saleBody(1, 'p-tea'))).rejects.toThrow(/^The sale was NOT recorded: the device's database refused it/);
    db.events.hook('creating').unsubscribe(fail);
    // An invalid body never reaches the database either.
    await expect(recordEvent(db, context, { ...saleBody(1, 'p-tea'), lines: [] } as never)).rejects.toThrow(/could not be recorded/);
    expect((await recordEvent(db, context, saleBody(1, 'p-tea'))).seq).toBe(2);
    expect(await ownSeqs(db)).toEqual([1, 2]);
    expect(await unsentSeqs(db)).toEqual([1, 2]);
    db.close();
  });

  it('property: sales recorded at once, with failures in between, get unique gap-free numbers matching the outbox', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }), async (failures) => {
        const { db } = await freshDb();
        let failing = new Set<number>();
        db.unsent.hook('creating', (_key, row) => {
          if (failing.has(row.seq)) {
            failing = new Set();
            throw new Error('simulated failure');
          }
        });
        // Every write starts at once; the writer runs them one after another.
        const results = await Promise.allSettled(
          failures.map((fail, i) => {
            if (fail) failing.add(i + 1);
            return recordEvent(db, context, saleBody(1, 'p-tea'));
          }),
        );
        const recorded = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.seq] : []));
        const expected = Array.from({ length: recorded.length }, (_, i) => i + 1);
        expect([...recorded].sort((a, b) => a - b)).toEqual(expected);
        expect(await ownSeqs(db)).toEqual(expected);
        expect(await unsentSeqs(db)).toEqual(expected);
        db.close();
      }),
      { numRuns: 15 },
    );
  });

  it('a pulled page moves the clock: the next own stamp sorts after it', async () => {
    const { db } = await freshDb();
    await db.meta.put({ key: 'deviceId', value: ME });
    await recordEvent(db, context, saleBody(1, 'p-tea'), Date.UTC(2026, 0, 5, 9));
    const ahead = saleEvent({ storeId: 'store-w', deviceId: 'dev-other', seq: 1, wallMs: Date.UTC(2026, 0, 5, 12) });
    const transport: SyncTransport = {
      pull: () => Promise.resolve({ events: [ahead], cursor: '1', hasMore: false }),
      push: () => Promise.reject(new Error('not used')),
    };
    await pullNewEvents(db, transport, { nowMs: () => Date.UTC(2026, 0, 5, 9, 1) });
    const next = await recordEvent(db, context, saleBody(1, 'p-tea'), Date.UTC(2026, 0, 5, 9, 2));
    expect(next.hlc > ahead.hlc).toBe(true);
    // And so does a writer restored afterwards (a new page), from the clock stored with the page.
    const restored = await ledgerWriterOf(db, ME).restoreFromLedger();
    expect(restored.clock.wallMs).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 5, 12));
    expect(restored.nextSeq).toBe(3);
    db.close();
  });
});

describe('a sale and the saved cart it pays for (issue 14, item 16)', () => {
  const savedCart = { key: 'cart', value: { lines: [{ lineId: 'l1', productId: 'p-tea', qty: 1 }] } };

  it('the sale deletes the saved cart in its own transaction: both on disk, or neither', async () => {
    const { db } = await freshDb();
    await db.meta.put(savedCart);
    const sale = await recordEvent(db, context, saleBody(1, 'p-tea'), Date.now(), { clearsMeta: 'cart' });
    expect(await db.meta.get('cart')).toBeUndefined();
    expect((await db.unsent.toArray()).map((row) => row.eventId)).toEqual([sale.id]);

    // A sale that is not recorded leaves the cart to pay for again.
    await db.meta.put(savedCart);
    const failSale = () => {
      throw new Error('simulated write failure');
    };
    db.events.hook('creating', failSale);
    await expect(recordEvent(db, context, saleBody(1, 'p-tea'), Date.now(), { clearsMeta: 'cart' })).rejects.toThrow(/NOT recorded/);
    db.events.hook('creating').unsubscribe(failSale);
    expect(await db.meta.get('cart')).toEqual(savedCart);

    // And a cart that cannot be deleted takes the sale with it: one transaction, not two writes.
    const failClear = () => {
      throw new Error('simulated write failure');
    };
    db.meta.hook('deleting', failClear);
    await expect(recordEvent(db, context, saleBody(1, 'p-tea'), Date.now(), { clearsMeta: 'cart' })).rejects.toThrow(/NOT recorded/);
    db.meta.hook('deleting').unsubscribe(failClear);
    expect(await ownSeqs(db)).toEqual([1]);
    expect(await db.meta.get('cart')).toEqual(savedCart);
    db.close();
  });

  it('other writes leave meta alone', async () => {
    const { db } = await freshDb();
    await db.meta.put(savedCart);
    await recordEvent(db, context, saleBody(1, 'p-tea'));
    expect(await db.meta.get('cart')).toEqual(savedCart);
    db.close();
  });
});
