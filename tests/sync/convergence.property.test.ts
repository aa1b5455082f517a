/**
 * Three simulated devices with random offline periods, skewed clocks and random delivery orders
 * (property test, fast-check). Afterwards every device and the server show identical stock,
 * valuation and journal. Devices use the app's real ledger writes and sync code; the server is real.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/db/catalog.ts';
import { readAllEvents } from '../../src/db/event-store.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import { Books } from '../../src/domain/index.ts';
import { syncOnce } from '../../src/sync/index.ts';
import { api, enroll, enrollDevices, startTestServer } from '../server/harness.ts';
import { openingBalance } from '../server/fixtures.ts';
import { engines } from '../server/storage-engines.ts';
import { createTestDevice, saleBody, type TestDevice } from './device.ts';
import { journalEntries, trialBalance } from '../../src/domain/journal.ts';

const engine = engines()[0]!;
afterAll(() => engine.cleanup());

type Step =
  | { kind: 'sell'; device: number; qty: number; product: number; advanceMs: number }
  | { kind: 'sync'; device: number }
  | { kind: 'toggle'; device: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sell' as const), device: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 1, max: 4 }), product: fc.integer({ min: 0, max: 1 }), advanceMs: fc.integer({ min: 0, max: 90_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle' as const), device: fc.integer({ min: 0, max: 2 }) }) },
);

const PRODUCTS = ['p-tea', 'p-jam'];

/** What must agree everywhere: plain data from the domain projection. */
function snapshot(books: Books) {
  return {
    stock: books.stockLevels(),
    inventoryValue: books.inventoryValue(),
    journal: journalEntries(books),
    trialBalance: trialBalance(books),
  };
}

describe('three devices converge', () => {
  it('every device and the server show identical stock, valuation and journal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 5, maxLength: 40 }),
        fc.array(fc.integer({ min: -120_000, max: 120_000 }), { minLength: 3, maxLength: 3 }),
        async (steps, clockSkews) => {
          const server = await startTestServer(engine.serverOptions());
          const devices: TestDevice[] = [];
          try {
            const [owner, ...others] = await enrollDevices(server, 3);
            const enrolled = [owner!, ...others];
            for (const e of enrolled) {
              devices.push(await createTestDevice({ deviceId: e.deviceId, storeId: e.storeId, token: e.token, serverUrl: server.url }));
            }
            // Opening stock from the owner, known to the server before anyone sells.
            const opening = openingBalance({ storeId: owner!.storeId, deviceId: owner!.deviceId, seq: 1, lines: PRODUCTS.map((productId, i) => ({ productId, qty: 6, unitCost: 100 + i * 37 })) });
            await api(server.url, '/api/v1/sync/push', { token: owner!.token, json: { events: [opening] } });
            // The owner's device recorded it (and the server has it): its next event is seq 2.
            await devices[0]!.db.events.add(opening);
            // What the screens show: each device's live projection and its on-hand cache (db.stock),
            // kept up to date the app's way (own events applied as recorded, pulls by refresh).
            const projections = await Promise.all(devices.map((d) => LocalProjection.open(d.db, new CatalogIndex([]), 'fifo')));

            const online = [true, true, true];
            const clocks = clockSkews.map((skew) => Date.UTC(2026, 0, 5, 9) + skew);
            for (const step of steps) {
              const device = devices[step.device]!;
              if (step.kind === 'sell') {
                clocks[step.device]! += step.advanceMs;
                projections[step.device]!.applyOwn(await device.record(saleBody(step.qty, PRODUCTS[step.product]!), clocks[step.device]));
              } else if (step.kind === 'toggle') {
                online[step.device] = !online[step.device];
              } else if (online[step.device]) {
                await syncOnce(device.db, { broadcast: false, pushBatchSize: 3 });
                await projections[step.device]!.refresh();
              }
            }
            // Everyone reconnects: push everything, then pull everything.
            for (const device of devices) await syncOnce(device.db, { broadcast: false });
            for (const device of devices) await syncOnce(device.db, { broadcast: false });

            const fromServer = {
              stock: ((await api(server.url, '/api/v1/valuation', { token: owner!.token })).body as { stock: unknown }).stock,
              inventoryValue: ((await api(server.url, '/api/v1/valuation', { token: owner!.token })).body as { inventoryValue: unknown }).inventoryValue,
              journal: ((await api(server.url, '/api/v1/journal', { token: owner!.token })).body as { entries: unknown }).entries,
              trialBalance: ((await api(server.url, '/api/v1/journal', { token: owner!.token })).body as { trialBalance: unknown }).trialBalance,
            };
            const serverOnHand = new Map((fromServer.stock as { productId: string; locationId: string; qty: number }[]).map((s) => [`${s.productId}|${s.locationId}`, s.qty]));
            for (const [i, device] of devices.entries()) {
              expect(await device.db.unsent.count()).toBe(0);
              const local = Books.fromEvents(await readAllEvents(device.db), { valuation: 'fifo' });
              // JSON round trip: the server's answer went through JSON too (undefined fields vanish).
              expect(JSON.parse(JSON.stringify(snapshot(local)))).toEqual(fromServer);
              const projection = projections[i]!;
              await projection.refresh();
              expect(JSON.parse(JSON.stringify(snapshot(projection.books)))).toEqual(fromServer);
              await projection.cached();
              const cached = new Map((await device.db.stock.toArray()).map((row) => [`${row.productId}|${row.locationId}`, row.onHand]));
              expect(cached).toEqual(serverOnHand);
            }
            const sales = steps.filter((s) => s.kind === 'sell').length;
            expect(await server.storage.countEvents(owner!.storeId)).toBe(1 + sales);
          } finally {
            for (const device of devices) device.close();
            await server.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('late events re-fold: a sale made offline earlier in HLC order changes the oversell flag on sync', async () => {
    const server = await startTestServer(engine.serverOptions());
    try {
      const owner = await enroll(server.url, server.setupCode ?? '', 'Owner', 'dev-owner');
      const code = (await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string };
      const other = await enroll(server.url, code.code, 'Till', 'dev-till');
      const a = await createTestDevice({ ...owner, serverUrl: server.url });
      const b = await createTestDevice({ ...other, serverUrl: server.url });
      await a.record({ kind: 'opening-balance', lines: [{ productId: 'p-last', qty: 1, unitCost: 500 }] }, Date.UTC(2026, 0, 5, 8));
      await syncOnce(a.db, { broadcast: false });
      await syncOnce(b.db, { broadcast: false });
      // B sells the last unit at 10:00 and syncs; A sold it at 09:00 while offline and syncs later.
      const late = await b.record(saleBody(1, 'p-last'), Date.UTC(2026, 0, 5, 10));
      await syncOnce(b.db, { broadcast: false });
      const early = await a.record(saleBody(1, 'p-last'), Date.UTC(2026, 0, 5, 9));
      await syncOnce(a.db, { broadcast: false });
      await syncOnce(b.db, { broadcast: false });
      const stock = (await api(server.url, '/api/v1/stock', { token: owner.token })).body as { oversells: { eventId: string }[]; stock: { onHand: number }[] };
      expect(stock.stock).toEqual([expect.objectContaining({ productId: 'p-last', onHand: -1 })]);
      expect(stock.oversells.map((o) => o.eventId)).toEqual([late.id]);
      for (const device of [a, b]) {
        const books = Books.fromEvents(await readAllEvents(device.db), { valuation: 'fifo' });
        expect(books.oversells().map((o) => o.eventId)).toEqual([late.id]);
        expect(books.onHand('p-last', 'loc-floor')).toBe(-1);
      }
      expect(early.hlc < late.hlc).toBe(true);
      a.close();
      b.close();
    } finally {
      await server.close();
    }
  });
});
