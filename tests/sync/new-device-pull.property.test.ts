/**
 * A new device pulling a history with late events (issue 19, item 5), as a fast-check property:
 * two tills push sales and counts whose clock stamps go back and forth (an event older in HLC order
 * arrives after newer ones), in random batches, while a fresh device pulls with random page sizes,
 * some pulls cut off after a few pages (the transport fails) and resumed later. Its projection folds
 * each page as it is stored (the app's way: pullNewEvents' onPageStored → LocalProjection.refresh).
 * At the end its books, its shown on-hand (the `stock` table) and a full fold of its ledger must equal
 * Books.fromEvents of every event the server holds. SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/db/catalog.ts';
import { readAllEvents } from '../../src/db/event-store.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import { Books, type LedgerEvent } from '../../src/domain/index.ts';
import { pullNewEvents } from '../../src/sync/pull.ts';
import { transportFromMeta } from '../../src/sync/sync-once.ts';
import type { SyncTransport } from '../../src/sync/transport.ts';
import { api, enrollDevices, pullAllEvents, startTestServer } from '../server/harness.ts';
import { openingBalance, saleEvent } from '../server/fixtures.ts';
import { engines } from '../server/storage-engines.ts';
import { createTestDevice } from './device.ts';

const PRODUCTS = ['p-tea', 'p-jam', 'p-cup'];
const LOCATIONS = ['loc-floor', 'loc-back'];
const DAY = Date.UTC(2026, 0, 5, 9);

type Step =
  | { kind: 'push'; till: number; events: { product: number; location: number; qty: number; offsetMs: number; count: boolean }[] }
  | { kind: 'pull'; pageSize: number; stopAfterPages: number | null };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      till: fc.integer({ min: 0, max: 1 }),
      events: fc.array(
        fc.record({
          product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
          location: fc.integer({ min: 0, max: LOCATIONS.length - 1 }),
          qty: fc.integer({ min: 1, max: 5 }),
          // Any time in a day: a later push often carries an earlier stamp (a late event).
          offsetMs: fc.integer({ min: 0, max: 86_400_000 }),
          count: fc.boolean(),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('pull' as const),
      pageSize: fc.integer({ min: 1, max: 9 }),
      stopAfterPages: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    }),
  },
);

/** The device's transport, failing like a dropped connection once `pages` pages were fetched. */
function cutAfter(transport: SyncTransport, pages: number | null): SyncTransport {
  let fetched = 0;
  return {
    push: (events) => transport.push(events),
    async pull(after, limit, options) {
      if (pages !== null && fetched >= pages) throw new Error('connection dropped (test)');
      fetched += 1;
      return transport.pull(after, limit, options);
    },
  };
}

const stockOf = (books: Books) =>
  books
    .stockLevels()
    .map((l) => ({ productId: l.productId, locationId: l.locationId, onHand: l.qty }))
    .filter((l) => l.onHand !== 0)
    .sort((a, b) => `${a.productId}|${a.locationId}`.localeCompare(`${b.productId}|${b.locationId}`));

for (const engine of engines()) {
  describe(`a new device pulling late events (${engine.name})`, () => {
    afterAll(() => engine.cleanup());

    it('ends with the books, the shown stock and the ledger of a full fold of the server’s events', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 2, maxLength: 14 }), async (steps) => {
          const server = await startTestServer(engine.serverOptions());
          const [owner, tillA, tillB, fresh] = await enrollDevices(server, 4);
          const device = await createTestDevice({ deviceId: fresh!.deviceId, storeId: fresh!.storeId, token: fresh!.token, serverUrl: server.url });
          try {
            const tills = [tillA!, tillB!];
            const seqs = [0, 0];
            const opening = openingBalance({
              storeId: owner!.storeId,
              deviceId: owner!.deviceId,
              seq: 1,
              lines: PRODUCTS.map((productId, i) => ({ productId, qty: 20, unitCost: 100 + i })),
            });
            await api(server.url, '/api/v1/sync/push', { token: owner!.token, json: { events: [opening] } });
            const projection = await LocalProjection.open(device.db, new CatalogIndex([]), 'fifo');
            const refreshes: Promise<void>[] = [];
            const pull = async (pageSize: number, stopAfterPages: number | null) => {
              const transport = cutAfter(await transportFromMeta(device.db), stopAfterPages);
              await pullNewEvents(device.db, transport, { pageSize, onPageStored: () => void refreshes.push(projection.refresh()) }).catch((error: unknown) => {
                if (!(error instanceof Error && error.message.includes('connection dropped'))) throw error;
              });
            };
            for (const step of steps) {
              if (step.kind === 'pull') {
                await pull(step.pageSize, step.stopAfterPages);
                continue;
              }
              const till = tills[step.till]!;
              const events: LedgerEvent[] = step.events.map((e) => {
                seqs[step.till]! += 1;
                const seq = seqs[step.till]!;
                const common = { storeId: till.storeId, deviceId: till.deviceId, seq, wallMs: DAY + e.offsetMs, locationId: LOCATIONS[e.location]! };
                if (!e.count) return saleEvent({ ...common, productId: PRODUCTS[e.product]!, qty: e.qty });
                const counted = openingBalance({ ...common, lines: [{ productId: PRODUCTS[e.product]!, qty: e.qty, unitCost: 90 }] });
                return { ...counted, kind: 'stock-counted', lines: [{ productId: PRODUCTS[e.product]!, countedQty: e.qty * 3 }] } as LedgerEvent;
              });
              const pushed = await api(server.url, '/api/v1/sync/push', { token: till.token, json: { events } });
              expect((pushed.body as { accepted: number }).accepted).toBe(events.length);
            }
            await pull(4, null); // the device reconnects for good and catches up
            await Promise.all(refreshes);
            await projection.refresh();
            await projection.cached();

            const onServer = (await pullAllEvents(server.url, owner!.token)) as unknown as LedgerEvent[];
            const full = Books.fromEvents(onServer, { valuation: 'fifo' });
            const ledger = await readAllEvents(device.db);
            expect(ledger.map((e) => e.id).sort()).toEqual(onServer.map((e) => e.id).sort());
            expect(stockOf(projection.books)).toEqual(stockOf(full));
            expect(projection.books.inventoryValue()).toEqual(full.inventoryValue());
            expect(stockOf(Books.fromEvents(ledger, { valuation: 'fifo' }))).toEqual(stockOf(full));
            const shown = (await device.db.stock.toArray())
              .filter((row) => row.onHand !== 0)
              .sort((a, b) => `${a.productId}|${a.locationId}`.localeCompare(`${b.productId}|${b.locationId}`));
            expect(shown).toEqual(stockOf(full));
          } finally {
            device.close();
            await server.close();
          }
        }),
        { numRuns: 15 },
      );
    }, 240_000);
  });
}
