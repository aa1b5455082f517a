/**
 * The storage contract, run against every engine (SQLite always, PostgreSQL with TEST_DATABASE_URL).
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/server/canonical-json.ts';
import { eventRowOf, type EventRow, type LedgerStore } from '../../src/server/storage/store.ts';
import type { LedgerEvent } from '../../src/domain/index.ts';
import { saleEvent, saleEvents } from './fixtures.ts';
import { engines } from './storage-engines.ts';

function rowOf(event: LedgerEvent): EventRow {
  return eventRowOf(event, canonicalJson(event));
}

const AT = '2026-01-05T10:00:00.000Z';

async function pullAll(store: LedgerStore, storeId: string, pageSize = 1000): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  for (;;) {
    const page = await store.pullEvents(storeId, cursor, pageSize);
    out.push(...page.events);
    cursor = page.nextCursor;
    if (!page.hasMore) return out;
  }
}

for (const engine of engines()) {
  describe(`storage contract: ${engine.name}`, () => {
    let store: LedgerStore;

    beforeEach(async () => {
      store = engine.open(engine.serverOptions());
      await store.migrate();
      await store.createStore({ id: 's1', name: 'Shop', createdAt: AT });
      await store.createStore({ id: 's2', name: 'Other shop', createdAt: AT });
    });
    afterEach(async () => {
      await store.close();
    });
    afterAll(async () => {
      await engine.cleanup();
    });

    it('migrate is idempotent', async () => {
      await store.migrate();
      expect((await store.listStores()).map((s) => s.id)).toEqual(['s1', 's2']);
    });

    it('accepts new events with increasing cursors and returns them in server order', async () => {
      const events = saleEvents('s1', 'dev-a', 1, 5);
      const results = await store.appendEvents(events.map(rowOf), AT);
      expect(results.map((r) => r.status)).toEqual(Array(5).fill('accepted'));
      const cursors = results.map((r) => (r.status === 'rejected' ? -1n : BigInt(r.cursor)));
      for (let i = 1; i < cursors.length; i += 1) expect(cursors[i]! > cursors[i - 1]!).toBe(true);
      const pulled = await pullAll(store, 's1');
      expect(pulled.map((json) => (JSON.parse(json) as LedgerEvent).id)).toEqual(events.map((e) => e.id));
      expect(JSON.parse(pulled[0]!)).toEqual(events[0]);
    });

    it('replaying a batch any number of times changes nothing and answers duplicate', async () => {
      const rows = saleEvents('s1', 'dev-a', 1, 10).map(rowOf);
      const first = await store.appendEvents(rows, AT);
      for (let i = 0; i < 3; i += 1) {
        const again = await store.appendEvents(rows, AT);
        expect(again.map((r) => r.status)).toEqual(Array(10).fill('duplicate'));
        // A duplicate answers with the cursor of the stored copy.
        expect(again.map((r) => (r.status === 'duplicate' ? r.cursor : ''))).toEqual(
          first.map((r) => (r.status === 'accepted' ? r.cursor : '?')),
        );
      }
      expect(await store.countEvents('s1')).toBe(10);
    });

    it('rejects an event id reused with different content, keeps the stored copy and the rest of the batch', async () => {
      const original = saleEvent({ storeId: 's1', deviceId: 'dev-a', seq: 1 });
      await store.appendEvents([rowOf(original)], AT);
      const tampered = { ...original, receiptNo: 'changed' } as LedgerEvent;
      const next = saleEvent({ storeId: 's1', deviceId: 'dev-a', seq: 2 });
      const results = await store.appendEvents([rowOf(tampered), rowOf(next)], AT);
      expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/different content/) });
      expect(results[1]).toMatchObject({ status: 'accepted' });
      const pulled = (await pullAll(store, 's1')).map((j) => JSON.parse(j) as LedgerEvent);
      expect(pulled).toEqual([original, next]);
    });

    it('rejects a different event reusing a device seq', async () => {
      const first = saleEvent({ storeId: 's1', deviceId: 'dev-a', seq: 1 });
      const clash = saleEvent({ storeId: 's1', deviceId: 'dev-a', seq: 1, wallMs: Date.UTC(2026, 1, 1) });
      expect(clash.id).not.toBe(first.id);
      await store.appendEvents([rowOf(first)], AT);
      const [result] = await store.appendEvents([rowOf(clash)], AT);
      expect(result).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/seq 1/) });
      expect(await store.countEvents('s1')).toBe(1);
    });

    it('treats the same event twice in one batch as accepted then duplicate', async () => {
      const event = saleEvent({ storeId: 's1', deviceId: 'dev-a', seq: 1 });
      const results = await store.appendEvents([rowOf(event), rowOf(event)], AT);
      expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
      expect(await store.countEvents('s1')).toBe(1);
    });

    it('pages through pull with a cursor, limit and hasMore, and keeps stores apart', async () => {
      await store.appendEvents(saleEvents('s1', 'dev-a', 1, 7).map(rowOf), AT);
      await store.appendEvents(saleEvents('s2', 'dev-z', 1, 3).map(rowOf), AT);
      const first = await store.pullEvents('s1', '0', 3);
      expect(first.events).toHaveLength(3);
      expect(first.hasMore).toBe(true);
      const second = await store.pullEvents('s1', first.nextCursor, 3);
      const third = await store.pullEvents('s1', second.nextCursor, 3);
      expect(third.events).toHaveLength(1);
      expect(third.hasMore).toBe(false);
      const empty = await store.pullEvents('s1', third.nextCursor, 3);
      expect(empty).toEqual({ events: [], nextCursor: third.nextCursor, hasMore: false });
      const other = await pullAll(store, 's2');
      expect(other.map((j) => (JSON.parse(j) as LedgerEvent).deviceId)).toEqual(['dev-z', 'dev-z', 'dev-z']);
    });

    it('a joined pull page (where the engine has one) is the same events, cursor and hasMore as pullEvents', async () => {
      if (!store.pullEventsJoined) return;
      await store.appendEvents(saleEvents('s1', 'dev-a', 1, 4).map(rowOf), AT);
      await store.appendEvents(saleEvents('s2', 'dev-z', 1, 2).map(rowOf), AT);
      await store.appendEvents(saleEvents('s1', 'dev-b', 1, 3).map(rowOf), AT);
      let cursor = '0';
      for (let pages = 0; pages < 5; pages++) {
        const plain = await store.pullEvents('s1', cursor, 3);
        const joined = await store.pullEventsJoined('s1', cursor, 3);
        expect(JSON.parse(`[${joined.joined.toString('utf8')}]`)).toEqual(plain.events.map((j) => JSON.parse(j) as unknown));
        expect(joined).toMatchObject({ count: plain.events.length, nextCursor: plain.nextCursor, hasMore: plain.hasMore });
        cursor = plain.nextCursor;
      }
      const empty = await store.pullEventsJoined('s1', cursor, 3);
      expect(empty).toEqual({ joined: Buffer.alloc(0), count: 0, nextCursor: cursor, hasMore: false });
    });

    it('joined pages equal plain ones for any mix of stores, page size and byte budget (property)', async () => {
      if (!store.pullEventsJoined) return;
      const pull = store.pullEventsJoined.bind(store);
      // One history for all runs (appending is the slow part); the runs vary how it is paged.
      const seqs = { s1: 0, s2: 0 };
      for (const storeId of ['s1', 's2', 's1', 's1', 's2', 's1'] as const) {
        const from = seqs[storeId] + 1;
        seqs[storeId] += 3;
        await store.appendEvents(saleEvents(storeId, `dev-${storeId}`, from, 3).map(rowOf), AT);
      }
      const size = Buffer.byteLength(canonicalJson(saleEvents('s1', 'dev-s1', 1, 1)[0]!)) + 1;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 * size }), fc.constantFrom('s1', 's2'), async (limit, budget, storeId) => {
          let cursor = '0';
          for (let pages = 0; pages < 40; pages++) {
            const plain = await store.pullEvents(storeId, cursor, limit, budget);
            const joined = await pull(storeId, cursor, limit, budget);
            expect(joined.joined.toString('utf8')).toBe(plain.events.join(','));
            expect(joined).toMatchObject({ count: plain.events.length, nextCursor: plain.nextCursor, hasMore: plain.hasMore });
            cursor = plain.nextCursor;
            if (!plain.hasMore) return;
          }
          throw new Error('the pull did not end');
        }),
        { numRuns: 60 },
      );
    });

    it('a pull page stops at its byte budget, keeps at least one event, and the pages still cover everything once', async () => {
      const events = saleEvents('s1', 'dev-a', 1, 9);
      await store.appendEvents(events.map(rowOf), AT);
      const sizes = events.map((e) => Buffer.byteLength(canonicalJson(e)) + 1);
      // Room for exactly two events (each with its comma), not three.
      const budget = sizes[0]! + sizes[1]! + Math.floor(sizes[2]! / 2);
      const first = await store.pullEvents('s1', '0', 5, budget);
      expect(first.events.map((j) => (JSON.parse(j) as LedgerEvent).id)).toEqual(events.slice(0, 2).map((e) => e.id));
      expect(first.hasMore).toBe(true);
      // A budget smaller than any event still moves the pull on by one event.
      const tiny = await store.pullEvents('s1', first.nextCursor, 5, 10);
      expect(tiny.events.map((j) => (JSON.parse(j) as LedgerEvent).id)).toEqual([events[2]!.id]);
      expect(tiny.hasMore).toBe(true);
      if (store.pullEventsJoined) {
        const joined = await store.pullEventsJoined('s1', '0', 5, budget);
        expect(joined).toMatchObject({ count: 2, nextCursor: first.nextCursor, hasMore: true });
        expect(await store.pullEventsJoined('s1', first.nextCursor, 5, 10)).toMatchObject({ count: 1, nextCursor: tiny.nextCursor, hasMore: true });
      }
      const ids: string[] = [];
      let cursor = '0';
      for (;;) {
        const page = await store.pullEvents('s1', cursor, 4, budget);
        expect(page.events.length).toBeGreaterThan(0);
        ids.push(...page.events.map((j) => (JSON.parse(j) as LedgerEvent).id));
        cursor = page.nextCursor;
        if (!page.hasMore) break;
      }
      expect(ids).toEqual(events.map((e) => e.id));
      // Within the budget, the limit still decides; a budget that fits all ends the pull in one page.
      expect(await store.pullEvents('s1', '0', 4)).toMatchObject({ hasMore: true });
      expect((await store.pullEvents('s1', '0', 4)).events).toHaveLength(4);
      expect(await store.pullEvents('s1', '0', 9)).toMatchObject({ hasMore: false });
    });

    it('refuses a malformed cursor', async () => {
      await expect(store.pullEvents('s1', '-1', 10)).rejects.toThrow(/cursor/);
      await expect(store.pullEvents('s1', 'abc', 10)).rejects.toThrow(/cursor/);
    });

    it('concurrent appends: every event stored once, and a reader following the cursor misses none', async () => {
      const writers = ['w1', 'w2', 'w3', 'w4'];
      const perWriter = 200;
      const seen: string[] = [];
      let cursor = '0';
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const page = await store.pullEvents('s1', cursor, 500);
          seen.push(...page.events.map((j) => (JSON.parse(j) as LedgerEvent).id));
          cursor = page.nextCursor;
          await new Promise((r) => setTimeout(r, 1));
        }
      })();
      await Promise.all(
        writers.map(async (deviceId) => {
          for (let seq = 1; seq <= perWriter; seq += 20) {
            await store.appendEvents(saleEvents('s1', deviceId, seq, 20).map(rowOf), AT);
          }
        }),
      );
      writing = false;
      await reader;
      const rest = await pullAll(store, 's1');
      const tail = (await store.pullEvents('s1', cursor, 5000)).events.map((j) => (JSON.parse(j) as LedgerEvent).id);
      seen.push(...tail);
      expect(rest).toHaveLength(writers.length * perWriter);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.sort()).toEqual(rest.map((j) => (JSON.parse(j) as LedgerEvent).id).sort());
    });

    it('pairing codes are single use and expire', async () => {
      await store.addPairingCode({ codeHash: 'h1', storeId: 's1', role: 'owner', expiresAt: '2026-01-05T11:00:00.000Z' });
      await store.addPairingCode({ codeHash: 'h2', storeId: 's1', role: 'staff', expiresAt: '2026-01-05T10:30:00.000Z' });
      expect(await store.consumePairingCode('h1', AT)).toMatchObject({ storeId: 's1', role: 'owner' });
      expect(await store.consumePairingCode('h1', AT)).toBeNull();
      expect(await store.consumePairingCode('h2', '2026-01-05T10:30:00.000Z')).toBeNull();
      expect(await store.consumePairingCode('unknown', AT)).toBeNull();
    });

    it('devices: found by token hash, an id is enrolled once', async () => {
      const device = { id: 'dev-a', storeId: 's1', name: 'Till 1', role: 'staff' as const, createdAt: AT };
      expect(await store.addDevice(device, 'hash-a')).toBe(true);
      expect(await store.addDevice({ ...device, name: 'Impostor' }, 'hash-b')).toBe(false);
      expect(await store.findDeviceByTokenHash('hash-a')).toEqual(device);
      expect(await store.findDeviceByTokenHash('hash-b')).toBeNull();
      expect(await store.countDevices('s1')).toBe(1);
    });
  });
}

describe('content comparison', () => {
  it('the same event with keys in another order is a duplicate, not a conflict', async () => {
    const engine = engines()[0]!;
    const store = engine.open(engine.serverOptions());
    await store.migrate();
    await store.createStore({ id: 's1', name: 'Shop', createdAt: AT });
    const event = saleEvent({ storeId: 's1', deviceId: 'dev-a', seq: 1 });
    const reversed = JSON.stringify(Object.fromEntries(Object.entries(event).reverse()));
    await store.appendEvents([{ ...rowOf(event), json: JSON.stringify(event) }], AT);
    const [result] = await store.appendEvents([{ ...rowOf(event), json: reversed }], AT);
    expect(result).toMatchObject({ status: 'duplicate' });
    await store.close();
    await engine.cleanup();
  });
});
