/**
 * Client sync (src/sync) in Node against the real server: the app's Dexie database on
 * fake-indexeddb, the real HTTP API on loopback.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readAllEvents } from '../../src/db/event-store.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { EVENT_SCHEMA_VERSION, type LedgerEvent } from '../../src/domain/index.ts';
import {
  createHttpTransport,
  drainOutbox,
  readSyncStatus,
  retryRejected,
  syncOnce,
  listRejected,
  type SyncTransport,
} from '../../src/sync/index.ts';
import { SYNC_LOCK, type PulledPageHead } from '../../src/sync/api-types.ts';
import { pairingWaits, withSyncLock, withSyncLockForPairing } from '../../src/sync/lock.ts';
import { enrollDevices, pullAllEvents, startTestServer, type EnrolledDevice } from '../server/harness.ts';
import { saleEvent } from '../server/fixtures.ts';
import { engines } from '../server/storage-engines.ts';
import { createTestDevice, queueOfflineSales, type TestDevice } from './device.ts';
import { makeCatalog } from '../../bench/app/catalog-gen.ts';
import { loadCatalog } from '../../src/db/catalog.ts';
import { importCatalog } from '../../src/db/catalog-import.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import { MAX_PUSH_CHARS } from '../../src/sync/drain.ts';

const engine = engines()[0]!;

describe('batches too big for the server (413)', () => {
  it('halves a refused batch until it fits, and sets aside only an event too big on its own', async () => {
    // A server with a 48 KB body limit: a batch of 100 sales (~130 KB) is refused whole.
    const small = await startTestServer({ ...engine.serverOptions(), bodyLimitBytes: 48 * 1024 });
    try {
      const [, till] = (await enrollDevices(small, 2)) as [EnrolledDevice, EnrolledDevice];
      const device = await createTestDevice({ deviceId: till.deviceId, storeId: till.storeId, token: till.token, serverUrl: small.url });
      try {
        const sold = await queueOfflineSales(device, 100);
        // A catalog event of 1,000 products (~0.25 MB) can never fit under this limit.
        const catalog = await device.record({ kind: 'products-defined', products: makeCatalog(1000).map((p) => ({ ...p, currency: 'EUR' })) });
        const transport = createHttpTransport({ baseUrl: small.url, token: till.token });
        let refused = 0;
        const counting: SyncTransport = {
          pull: transport.pull,
          push: async (events) => {
            try {
              return await transport.push(events);
            } catch (error) {
              if ((error as { status?: number }).status === 413) refused += 1;
              throw error;
            }
          },
        };
        const report = await drainOutbox(device.db, counting, { batchSize: 100 });
        expect(refused).toBeGreaterThan(1);
        expect(report.acknowledged).toBe(100);
        expect(report.rejected).toBe(1);
        const onServer = (await pullAllEvents(small.url, till.token)).filter((e) => e.deviceId === till.deviceId);
        expect(onServer.map((e) => e.id).sort()).toEqual(sold.map((e) => e.id).sort());
        const [aside] = await listRejected(device.db);
        expect(aside).toMatchObject({ eventId: catalog.id, reason: expect.stringMatching(/larger than the limit/) });
        expect(await device.db.unsent.count()).toBe(0);
      } finally {
        device.close();
      }
    } finally {
      await small.close();
    }
  }, 60_000);
});

describe('client sync against the real server', () => {
  let server: RunningServer;
  let enrolled: EnrolledDevice[];
  let a: TestDevice;
  let b: TestDevice;

  beforeEach(async () => {
    server = await startTestServer(engine.serverOptions());
    enrolled = await enrollDevices(server, 2);
    const [owner, till] = enrolled as [EnrolledDevice, EnrolledDevice];
    a = await createTestDevice({ deviceId: till.deviceId, storeId: till.storeId, token: till.token, serverUrl: server.url });
    b = await createTestDevice({ deviceId: owner.deviceId, storeId: owner.storeId, token: owner.token, serverUrl: server.url });
  });
  afterEach(async () => {
    a.close();
    b.close();
    await server.close();
  });
  afterAll(() => engine.cleanup());

  it('drains the outbox, and another device pulls the events into its ledger', async () => {
    const sold = [await a.sell(2), await a.sell(1), await a.sell(3)];
    expect((await readSyncStatus(a.db)).pending).toBe(3);
    const report = await syncOnce(a.db, { broadcast: false });
    expect(report).toMatchObject({ pushed: 3, rejected: 0, pending: 0 });
    expect(await a.db.unsent.count()).toBe(0);
    const status = await readSyncStatus(a.db);
    expect(status).toMatchObject({ pending: 0, rejected: 0, lastSyncError: null, enrolled: true });
    expect(status.lastSyncAt).not.toBeNull();

    const pulled = await syncOnce(b.db, { broadcast: false });
    expect(pulled.pulled).toBe(3);
    const inB = new Map((await readAllEvents(b.db)).map((e) => [e.id, e]));
    expect(sold.map((e) => inB.get(e.id))).toEqual(sold);
    // B's clock has seen A's newest stamp: B's next event sorts after it.
    const next = await b.sell(1, 'p-coffee', Date.UTC(2020, 0, 1));
    expect(next.hlc > sold[2]!.hlc).toBe(true);
    // Pulling again brings nothing new.
    expect((await syncOnce(b.db, { broadcast: false })).pulled).toBe(1);
    expect((await syncOnce(b.db, { broadcast: false })).pulled).toBe(0);
  });

  it('sets a rejected event aside with its reason and delivers the ones behind it; retry puts it back', async () => {
    await a.sell(1);
    // An event of another store sneaked into the outbox (e.g. recorded before re-pairing).
    const stray: LedgerEvent = { ...saleEvent({ storeId: 'old-store', deviceId: a.context.deviceId, seq: 2 }) };
    await a.db.events.add(stray);
    await a.db.unsent.add({ seq: 2, eventId: stray.id, attempts: 0 });
    await a.restart();
    await a.sell(1);
    const report = await syncOnce(a.db, { broadcast: false });
    expect(report).toMatchObject({ pushed: 2, rejected: 1, pending: 0 });
    const rejected = await listRejected(a.db);
    expect(rejected).toEqual([{ eventId: stray.id, kind: 'sale', reason: expect.stringMatching(/storeId/) }]);
    expect((await readSyncStatus(a.db)).rejected).toBe(1);
    // The owner retries: it goes back in line (and is refused again: nothing silently dropped).
    expect(await retryRejected(a.db)).toBe(1);
    expect((await readSyncStatus(a.db)).pending).toBe(1);
    await syncOnce(a.db, { broadcast: false });
    expect(await a.db.setAside.get(stray.id)).toMatchObject({ seq: 2, attempts: 2, reason: expect.stringMatching(/storeId/) });
    expect(await a.db.unsent.count()).toBe(0);
  });

  it("an event of another device in the outbox is set aside (403) and the rest delivered", async () => {
    await a.sell(1);
    const foreign = saleEvent({ storeId: a.context.storeId, deviceId: 'demo-seed', seq: 1 });
    await a.db.events.add(foreign);
    await a.db.unsent.add({ seq: 0, eventId: foreign.id, attempts: 0 });
    const report = await syncOnce(a.db, { broadcast: false });
    expect(report).toMatchObject({ pushed: 1, rejected: 1 });
    expect(await a.db.setAside.get(foreign.id)).toMatchObject({ reason: expect.stringMatching(/own events/) });
  });

  it('only acknowledged events leave the outbox: a lost reply keeps them, the resend counts as duplicate', async () => {
    await queueOfflineSales(a, 50);
    const real = createHttpTransport({ baseUrl: server.url, token: enrolled[1]!.token });
    let pushes = 0;
    const losesFirstReply: SyncTransport = {
      pull: real.pull,
      push: async (events) => {
        pushes += 1;
        const reply = await real.push(events);
        if (pushes === 1) throw new Error('connection reset after the server committed');
        return reply;
      },
    };
    await expect(drainOutbox(a.db, losesFirstReply, { batchSize: 20 })).rejects.toThrow(/connection reset/);
    expect(await a.db.unsent.count()).toBe(50);
    expect(await a.db.unsent.orderBy('seq').first()).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/reset/) });
    const report = await drainOutbox(a.db, losesFirstReply, { batchSize: 20 });
    expect(report.acknowledged).toBe(50);
    expect(await a.db.unsent.count()).toBe(0);
    expect(await server.storage.countEvents(a.context.storeId)).toBe(50);
  });

  it('the owner’s 20,000-product import travels as catalog events in size-capped pushes, and lands in a till’s chunks', async () => {
    const products = makeCatalog(20_000);
    const imported = await importCatalog(b.db, products, undefined, { context: b.context });
    expect(imported.events).toBe(20);
    const real = createHttpTransport({ baseUrl: server.url, token: enrolled[0]!.token });
    const pushes: number[] = [];
    const counting: SyncTransport = {
      pull: real.pull,
      push: (events) => {
        pushes.push(events.length);
        expect(JSON.stringify(events).length).toBeLessThanOrEqual(MAX_PUSH_CHARS + 2);
        return real.push(events);
      },
    };
    expect(await drainOutbox(b.db, counting)).toMatchObject({ acknowledged: 20, rejected: 0 });
    // ~0.2 MB per event: a few per push, not all 20 in one over-large request.
    expect(pushes.length).toBeGreaterThan(1);
    expect(pushes.reduce((x, y) => x + y, 0)).toBe(20);

    expect((await syncOnce(a.db, { broadcast: false })).pulled).toBe(20);
    const catalog = await loadCatalog(a.db);
    await LocalProjection.open(a.db, catalog, 'fifo');
    // The projection stored the pulled products as chunks; a fresh load finds them all.
    const reloaded = await loadCatalog(a.db);
    expect(reloaded.size).toBe(20_000);
    expect(reloaded.byCode(products[12_345]!.barcodes[0]!)).toEqual(products[12_345]);
  }, 120_000);

  it('drains 10,000 offline sales after reconnecting', async () => {
    const events = await queueOfflineSales(a, 10_000);
    const started = performance.now();
    const report = await syncOnce(a.db, { broadcast: false, pushBatchSize: 500 });
    const seconds = (performance.now() - started) / 1000;
    expect(report).toMatchObject({ pushed: 10_000, rejected: 0, pending: 0 });
    const onServer = await pullAllEvents(server.url, enrolled[0]!.token, 5000);
    expect(onServer.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    console.info(`10,000 offline sales drained (Node, fake-indexeddb) in ${seconds.toFixed(2)} s`);
  }, 120_000);

  it('never runs two drains at once on one origin', async () => {
    await queueOfflineSales(a, 300);
    const real = createHttpTransport({ baseUrl: server.url, token: enrolled[1]!.token });
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const watching: SyncTransport = {
      pull: real.pull,
      push: async (events) => {
        calls += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await real.push(events);
        } finally {
          active -= 1;
        }
      },
    };
    const reports = await Promise.all([1, 2, 3].map(() => syncOnce(a.db, { transport: watching, broadcast: false, pushBatchSize: 50 })));
    expect(maxActive).toBe(1);
    expect(calls).toBe(6);
    expect(reports.reduce((n, r) => n + r.pushed, 0)).toBe(300);
  });

  it('takes the origin-wide Web Lock where the browser has one (tabs and the service worker share it)', async () => {
    await queueOfflineSales(a, 20);
    const transport = createHttpTransport({ baseUrl: server.url, token: enrolled[1]!.token });
    // A lock manager that queues exclusive requests per name, as the Web Locks API does.
    const requested: { name: string; mode: string | undefined }[] = [];
    const tails = new Map<string, Promise<unknown>>();
    const locks = {
      request(name: string, options: { mode?: string }, run: () => Promise<unknown>) {
        requested.push({ name, mode: options.mode });
        const result = (tails.get(name) ?? Promise.resolve()).then(run, run);
        tails.set(name, result.catch(() => undefined));
        return result;
      },
    };
    vi.stubGlobal('navigator', { locks });
    try {
      const reports = await Promise.all([1, 2].map(() => syncOnce(a.db, { transport, broadcast: false, pushBatchSize: 50 })));
      expect(requested).toEqual([
        { name: SYNC_LOCK, mode: 'exclusive' },
        { name: SYNC_LOCK, mode: 'exclusive' },
      ]);
      expect(reports.reduce((n, r) => n + r.pushed, 0)).toBe(20);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('reads a counted pull page’s total from its headers, before its body (issue 19)', async () => {
    await queueOfflineSales(a, 5);
    await syncOnce(a.db, { broadcast: false });
    const transport = createHttpTransport({ baseUrl: server.url, token: enrolled[1]!.token });
    const heads: PulledPageHead[] = [];
    const counted = await transport.pull('0', 2, { count: true, onHead: (head) => heads.push(head) });
    expect(counted.remaining).toBeGreaterThan(0);
    expect(heads).toEqual([{ cursor: counted.cursor, hasMore: true, total: counted.events.length + (counted.remaining ?? NaN) }]);
    const uncounted: PulledPageHead[] = [];
    await transport.pull('0', 2, { onHead: (head) => uncounted.push(head) });
    expect(uncounted).toEqual([{ cursor: counted.cursor, hasMore: true }]);
  });

  it('a pairing waiting for the sync lock is seen by pulls in any context of the origin (Web Locks)', async () => {
    // A lock manager that queues exclusive requests per name and lists what is held, as the Web Locks API does.
    const requested: { name: string; mode: string | undefined }[] = [];
    const held: string[] = [];
    const tails = new Map<string, Promise<unknown>>();
    const locks = {
      request(name: string, options: { mode?: string }, run: () => Promise<unknown>) {
        requested.push({ name, mode: options.mode });
        const holding = async () => {
          held.push(name);
          try {
            return await run();
          } finally {
            held.splice(held.indexOf(name), 1);
          }
        };
        if (options.mode === 'shared') return holding();
        const result = (tails.get(name) ?? Promise.resolve()).then(holding, holding);
        tails.set(name, result.catch(() => undefined));
        return result;
      },
      query: async () => ({ held: held.map((name) => ({ name })), pending: [] }),
    };
    vi.stubGlobal('navigator', { locks });
    try {
      let endPull: () => void = () => undefined;
      const pull = withSyncLock(() => new Promise<void>((resolve) => (endPull = resolve)));
      expect(await pairingWaits()).toBe(false);
      // Another tab pairs: it holds the pairing lock while it waits for the sync lock.
      let endOtherTab: () => void = () => undefined;
      const otherTab = locks.request('perpetua-sync:pairing', { mode: 'shared' }, () => new Promise<void>((resolve) => (endOtherTab = resolve)));
      expect(await pairingWaits()).toBe(true);
      endOtherTab();
      await otherTab;
      expect(await pairingWaits()).toBe(false);
      // This context pairs: the same lock, shared, then the sync lock once the pull has let go.
      const pairing = withSyncLockForPairing(async () => 'paired');
      expect(await pairingWaits()).toBe(true);
      endPull();
      await pull;
      expect(await pairing).toBe('paired');
      expect(await pairingWaits()).toBe(false);
      expect(requested.filter((r) => r.name !== SYNC_LOCK || r.mode !== 'exclusive')).toEqual([
        { name: 'perpetua-sync:pairing', mode: 'shared' },
        { name: 'perpetua-sync:pairing', mode: 'shared' },
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('records the last error in plain words and clears it after a success', async () => {
    await a.sell(1);
    await a.db.meta.put({ key: 'serverUrl', value: 'http://127.0.0.1:9' });
    await expect(syncOnce(a.db, { broadcast: false, timeoutMs: 2000 })).rejects.toThrow();
    const failed = await readSyncStatus(a.db);
    expect(failed.lastSyncError).toMatch(/cannot be reached.*kept on this device/);
    expect(failed.pending).toBe(1);
    await a.db.meta.put({ key: 'serverUrl', value: server.url });
    await syncOnce(a.db, { broadcast: false });
    expect(await readSyncStatus(a.db)).toMatchObject({ lastSyncError: null, pending: 0 });
  });

  it('an event from a newer app version is set aside, not lost', async () => {
    const future = { ...saleEvent({ storeId: a.context.storeId, deviceId: a.context.deviceId, seq: 1 }), schema: EVENT_SCHEMA_VERSION + 1 };
    await a.db.events.add(future as unknown as LedgerEvent);
    await a.db.unsent.add({ seq: 1, eventId: future.id, attempts: 0 });
    await syncOnce(a.db, { broadcast: false });
    expect(await a.db.setAside.get(future.id)).toMatchObject({ reason: expect.stringMatching(/update the app/) });
  });
});
