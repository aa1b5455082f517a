/**
 * The device's side of forgiving pairing, against the real server: a lost answer is asked for again
 * (and the server pairs the same device), the current token proves a paired device only to its own
 * server, and an address that is not a Perpetua server is named as such.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { readAllEvents } from '../../src/db/event-store.ts';
import { enrollThisDevice, NotPerpetuaServerError, UnsentEventsError } from '../../src/sync/enroll.ts';
import { seedDemoStoreIfEmpty } from '../../src/db/seed.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { attachJournal } from '../../src/db/journal.ts';
import { memoryFiles } from './memory-journal.ts';
import { DEMO_STORE_ID } from '../../src/domain/demo-store.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { saleBody } from './device.ts';
import { readSyncStatus } from '../../src/sync/status.ts';
import { syncOnce } from '../../src/sync/sync-once.ts';
import { SyncHttpError } from '../../src/sync/transport.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { api, enroll, startTestServer } from '../server/harness.ts';
import { saleEvents } from '../server/fixtures.ts';

const opened: PerpetuaDb[] = [];
const servers: { close(): Promise<void> }[] = [];
let counter = 0;
function freshDb(): PerpetuaDb {
  const db = openDb(`enroll-${process.pid}-${++counter}`);
  opened.push(db);
  return db;
}

async function server(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'perpetua-enroll-'));
  const running = await startTestServer({ dataDir, demo: false });
  servers.push({ close: async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  } });
  return running;
}

/** Another till of the server's store records `count` sales there (the owner's token makes its pairing code). */
async function salesFromAnotherTill(running: RunningServer, ownerToken: string, tillId: string, count: number): Promise<string[]> {
  const code = (await api(running.url, '/api/v1/pairing-codes', { method: 'POST', token: ownerToken })).body as { code: string };
  const till = await enroll(running.url, code.code, 'Another till', tillId);
  const events = saleEvents(till.storeId, till.deviceId, 1, count);
  const pushed = await api(running.url, '/api/v1/sync/push', { token: till.token, json: { events } });
  expect(pushed.status).toBe(200);
  return events.map((e) => e.id);
}

/** A device paired as the owner of a first server's store, where another till recorded `sales` sales; and a second server. */
async function ownerWithSalesAndAnotherServer(sales: number) {
  const first = await server();
  const second = await server();
  const db = freshDb();
  await db.meta.put({ key: 'deviceId', value: 'dev-tablet' });
  const owner = await enrollThisDevice(db, { serverUrl: first.url, deviceName: 'Till 1', pairingCode: first.setupCode ?? '' });
  await salesFromAnotherTill(first, owner.token, 'dev-first-till', sales);
  return { first, second, db, owner };
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
  for (const s of servers.splice(0)) await s.close();
});

describe('pairing this device', () => {
  it('asks again when the answer is lost, and is paired as the same device with a working token', async () => {
    const running = await server();
    const db = freshDb();
    await db.meta.put({ key: 'deviceId', value: 'dev-tablet' });
    const sent: (string | null)[] = [];
    let lostAnswers = 1;
    // The request reaches the server, which pairs the device; the answer never comes back.
    const flaky: typeof fetch = async (input, init) => {
      sent.push(new Headers(init?.headers).get('authorization'));
      const response = await fetch(input, init);
      if (lostAnswers-- > 0) throw new TypeError('Failed to fetch');
      return response;
    };
    const enrollment = await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Till 1', pairingCode: running.setupCode ?? '', fetch: flaky, retryDelayMs: 1 });
    expect(sent).toEqual([null, null]);
    expect(enrollment).toMatchObject({ deviceId: 'dev-tablet', role: 'owner' });
    expect((await db.meta.get('deviceToken'))?.value).toBe(enrollment.token);
    expect((await api(running.url, '/api/v1/me', { token: enrollment.token })).body).toMatchObject({ id: 'dev-tablet', name: 'Till 1' });
  });

  it('a paired device pairing again with a new code proves itself with its token, to its own server only', async () => {
    const running = await server();
    const other = await server();
    const db = freshDb();
    await db.meta.put({ key: 'deviceId', value: 'dev-tablet' });
    const first = await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Till 1', pairingCode: running.setupCode ?? '' });
    const code = (await api(running.url, '/api/v1/pairing-codes', { method: 'POST', token: first.token })).body as { code: string };
    const sent: (string | null)[] = [];
    const watching: typeof fetch = async (input, init) => {
      sent.push(new Headers(init?.headers).get('authorization'));
      return fetch(input, init);
    };
    const again = await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Back office', pairingCode: code.code, fetch: watching });
    expect(sent).toEqual([`Bearer ${first.token}`]);
    expect(again).toMatchObject({ deviceId: 'dev-tablet', role: 'staff' });
    expect((await api(running.url, '/api/v1/me', { token: again.token })).body).toMatchObject({ id: 'dev-tablet', name: 'Back office' });
    // Another server never sees this device's token.
    await enrollThisDevice(db, { serverUrl: other.url, deviceName: 'Till 1', pairingCode: other.setupCode ?? '', fetch: watching });
    expect(sent[1]).toBeNull();
  });

  it('pairing again with the same store keeps the pulled history; another store is pulled from its start, marked as still syncing', async () => {
    const { first, second, owner, ...paired } = await ownerWithSalesAndAnotherServer(30);
    let db = paired.db;
    await syncOnce(db, { broadcast: false });
    const cursor = (await db.meta.get('syncCursor'))?.value;
    expect(Number(cursor)).toBeGreaterThan(0);
    expect((await readSyncStatus(db)).historyComplete).toBe(true);
    const progress = (await db.meta.get('pullProgress'))?.value;
    expect(progress).toMatchObject({ done: true });

    // The same store, a new code: nothing is pulled again.
    const code = (await api(first.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string };
    await enrollThisDevice(db, { serverUrl: first.url, deviceName: 'Till 1', pairingCode: code.code });
    expect((await db.meta.get('syncCursor'))?.value).toBe(cursor);
    expect((await readSyncStatus(db)).historyComplete).toBe(true);
    expect((await db.meta.get('pullProgress'))?.value).toEqual(progress);

    // Another store, with fewer events than the old cursor has passed: the device starts over (the
    // page reloads and opens the database anew), pulls from 0, still syncing.
    const secondOwner = await enrollThisDevice(db, { serverUrl: second.url, deviceName: 'Till 1', pairingCode: second.setupCode ?? '' });
    expect(secondOwner.storeId).not.toBe(owner.storeId);
    expect(secondOwner.startedOver).toBe(true);
    db = openDb(db.name);
    opened.push(db);
    expect(await readAllEvents(db)).toEqual([]);
    expect(await db.meta.get('syncCursor')).toBeUndefined();
    expect(await db.meta.get('pullProgress')).toBeUndefined();
    expect((await readSyncStatus(db)).historyComplete).toBe(false);
    const secondSales = await salesFromAnotherTill(second, secondOwner.token, 'dev-second-till', 5);
    await syncOnce(db, { broadcast: false });
    // The second store's events, and none of the first's.
    expect((await readAllEvents(db)).map((e) => e.id).sort()).toEqual([...secondSales].sort());
    expect((await readSyncStatus(db)).historyComplete).toBe(true);
  });

  it('moving to another store stops a pull still running at its next page, rather than wait for the rest of the store being left', async () => {
    const { second, ...paired } = await ownerWithSalesAndAnotherServer(60);
    let db = paired.db;
    // The first store's history in pages of 5, each answered 100 ms late: a pull of 13 pages or more.
    let pagesAsked = 0;
    const slowPulls: typeof fetch = async (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/api/v1/sync/pull')) {
        pagesAsked += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return fetch(input, init);
    };
    const pulling = syncOnce(db, { broadcast: false, fetch: slowPulls, pullPageSize: 5 });
    while (pagesAsked < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const moved = await enrollThisDevice(db, { serverUrl: second.url, deviceName: 'Till 1', pairingCode: second.setupCode ?? '' });
    const pulled = await pulling;
    expect(moved.startedOver).toBe(true);
    // Stopped within a page or two of the pairing (the next page is asked for ahead), not after all 60 sales.
    expect(pagesAsked).toBeLessThanOrEqual(5);
    expect(pulled.pulled).toBeLessThan(60);
    db = openDb(db.name);
    opened.push(db);
    expect(await readAllEvents(db)).toEqual([]);
    expect(await db.meta.get('syncCursor')).toBeUndefined();
    expect((await readSyncStatus(db)).historyComplete).toBe(false);
    // The second store's history then comes whole.
    const secondSales = await salesFromAnotherTill(second, moved.token, 'dev-second-till', 5);
    await syncOnce(db, { broadcast: false });
    expect((await readAllEvents(db)).map((e) => e.id).sort()).toEqual([...secondSales].sort());
    expect((await readSyncStatus(db)).historyComplete).toBe(true);
  });

  it('a new device’s error from before pairing is gone once paired: the server answered', async () => {
    const running = await server();
    const db = freshDb();
    await expect(syncOnce(db, { broadcast: false })).rejects.toThrow('not connected to a server yet');
    expect((await readSyncStatus(db)).lastSyncError).toContain('not connected to a server yet');
    await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Till 1', pairingCode: running.setupCode ?? '' });
    const status = await readSyncStatus(db);
    expect(status).toMatchObject({ enrolled: true, lastSyncError: null, lastSyncAt: null, historyComplete: false });
    expect(Date.now() - Date.parse(status.lastAnsweredAt ?? '')).toBeLessThan(60_000);
  });

  it('a refusal keeps the server’s sentence and reason; the device stays unpaired', async () => {
    const running = await server();
    const db = freshDb();
    const refused = await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Till', pairingCode: 'ZZZZ-9999' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SyncHttpError);
    expect(refused).toMatchObject({ status: 401, body: { reason: 'code-unknown' } });
    expect((refused as Error).message).toContain('Check it letter by letter');
    expect(await db.meta.get('deviceToken')).toBeUndefined();
  });

  it('an address that answers 200 but is not a Perpetua server is named as such', async () => {
    const web = createServer((_req, res) => res.end('<!doctype html><title>Router</title>'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise((resolve) => web.close(() => resolve())) });
    const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    const db = freshDb();
    await expect(enrollThisDevice(db, { serverUrl: url, deviceName: 'Till', pairingCode: 'ABCD-1234' })).rejects.toBeInstanceOf(NotPerpetuaServerError);
    expect(await db.meta.get('deviceToken')).toBeUndefined();
  });
});

describe('pairing with another store than the one whose books this device holds', () => {
  /** A device as the app opens it on the demo store: the seed, its journal, and a sale of its own. */
  async function demoDevice(): Promise<{ db: PerpetuaDb; journal: ReturnType<typeof memoryFiles>; context: RecordingContext }> {
    const db = freshDb();
    await db.open();
    const journal = memoryFiles();
    attachJournal(db, journal);
    await seedDemoStoreIfEmpty(db);
    await db.meta.put({ key: 'deviceId', value: 'dev-demo-till' });
    const context: RecordingContext = { storeId: DEMO_STORE_ID, locationId: 'loc-floor', deviceId: 'dev-demo-till', userId: 'cashier', currency: 'EUR' };
    await recordEvent(db, context, saleBody(2, 'p-coffee'));
    return { db, journal, context };
  }

  /** A till paired with `running`'s store by its setup code, with one sale not sent yet. */
  async function pairedTillWithSale(running: RunningServer): Promise<{ db: PerpetuaDb; enrollment: Awaited<ReturnType<typeof enrollThisDevice>>; sale: LedgerEvent }> {
    const db = freshDb();
    await db.open();
    const enrollment = await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Till 1', pairingCode: running.setupCode ?? '' });
    const context: RecordingContext = { storeId: enrollment.storeId, locationId: 'loc-floor', deviceId: enrollment.deviceId, userId: 'cashier', currency: 'EUR' };
    return { db, enrollment, sale: await recordEvent(db, context, saleBody(1, 'p-coffee')) };
  }

  it('empties a device that opened on the demo store: no demo product, stock, sale or journalled event is left to mix with the store’s books', async () => {
    const running = await server();
    const { db, journal } = await demoDevice();
    expect(await db.events.count()).toBeGreaterThan(1);
    expect(await db.unsent.count()).toBe(1);
    expect([...journal.files.keys()].some((name) => name.startsWith('event-'))).toBe(true);

    const enrollment = await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Till 1', pairingCode: running.setupCode ?? '' });
    expect(enrollment.startedOver).toBe(true);
    expect(enrollment.storeId).not.toBe(DEMO_STORE_ID);
    expect(enrollment.deviceId).toBe('dev-demo-till');

    // The page reloads; the database opens again under the same name.
    const reopened = openDb(db.name);
    opened.push(reopened);
    expect(await readAllEvents(reopened)).toEqual([]);
    expect(await reopened.unsent.count()).toBe(0);
    expect(await reopened.catalogChunks.count()).toBe(0);
    const meta = Object.fromEntries((await reopened.meta.toArray()).map((row) => [row.key, row.value]));
    expect(meta).toMatchObject({ seeded: 'empty-store', storeId: enrollment.storeId, deviceId: 'dev-demo-till', deviceToken: enrollment.token, serverUrl: running.url, historyComplete: false });
    // For the next start to say why the till is empty.
    expect(meta.startedOver).toMatchObject({ held: 'demo', at: expect.any(String) });
    expect(await reopened.locations.count()).toBeGreaterThan(0);
    expect([...journal.files.keys()].filter((name) => name.startsWith('event-'))).toEqual([]);
    expect(JSON.parse(journal.files.get('identity.json') ?? '{}')).toMatchObject({ storeId: enrollment.storeId, deviceToken: enrollment.token });

    // Its first sync brings the store's own events, and only those.
    const storeSales = await salesFromAnotherTill(running, enrollment.token, 'dev-other-till', 3);
    await syncOnce(reopened, { broadcast: false });
    expect((await readAllEvents(reopened)).map((event) => event.id).sort()).toEqual([...storeSales].sort());
  });

  it('lets the demo store’s unsent practice sales go: a till paired with the demo server pairs with the shop’s store without sending them', async () => {
    const running = await server();
    const { db } = await demoDevice();
    // Paired (codeless) with the demo server, which is gone now: its sale can never be sent.
    await db.meta.bulkPut([
      { key: 'serverUrl', value: 'http://127.0.0.1:9' },
      { key: 'storeId', value: DEMO_STORE_ID },
      { key: 'deviceToken', value: 'pdt_demo-token' },
    ]);
    expect(await db.unsent.count()).toBe(1);
    const enrollment = await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Till 1', pairingCode: running.setupCode ?? '' });
    expect(enrollment.startedOver).toBe(true);
    const reopened = openDb(db.name);
    opened.push(reopened);
    expect(await readAllEvents(reopened)).toEqual([]);
    expect(await reopened.unsent.count()).toBe(0);
    expect((await reopened.meta.get('storeId'))?.value).toBe(enrollment.storeId);
  });

  it('refuses while the device holds sales its own server has not received, and changes nothing', async () => {
    const first = await server();
    const second = await server();
    const { db, enrollment: before, sale } = await pairedTillWithSale(first);
    expect(before.startedOver).toBe(false);

    const refused = await enrollThisDevice(db, { serverUrl: second.url, deviceName: 'Till 1', pairingCode: second.setupCode ?? '' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnsentEventsError);
    expect((refused as Error).message).toContain('1 event of another store not yet sent');
    expect((refused as Error).message).toContain(first.url);
    expect((refused as Error).message).toContain('this pairing code is not used up');
    expect((await readAllEvents(db)).map((event) => event.id)).toEqual([sale.id]);
    expect((await db.meta.get('deviceToken'))?.value).toBe(before.token);
    expect((await db.meta.get('storeId'))?.value).toBe(before.storeId);

    // Sent to its own server first, the device may then move: it starts over for the other store.
    await syncOnce(db, { broadcast: false });
    expect(await db.unsent.count()).toBe(0);
    const moved = await enrollThisDevice(db, { serverUrl: second.url, deviceName: 'Till 1', pairingCode: second.setupCode ?? '' });
    expect(moved.startedOver).toBe(true);
    const reopened = openDb(db.name);
    opened.push(reopened);
    expect(await readAllEvents(reopened)).toEqual([]);
    expect((await reopened.meta.get('storeId'))?.value).toBe(moved.storeId);
    expect((await reopened.meta.get('startedOver'))?.value).toMatchObject({ held: 'another store' });
  });

  it('refuses the store now at its server’s address (the server was set up anew) while it holds unsent sales, before the code is used up', async () => {
    const first = await server();
    const { db, enrollment: before, sale } = await pairedTillWithSale(first);
    // The shop's server is set up again from nothing at the same address: a new store, a new setup code.
    await first.close();
    const dataDir = mkdtempSync(join(tmpdir(), 'perpetua-enroll-'));
    const anew = await startTestServer({ dataDir, demo: false, port: first.port });
    servers.push({ close: async () => {
      await anew.close();
      rmSync(dataDir, { recursive: true, force: true });
    } });
    expect(anew.url).toBe(first.url);
    expect(anew.storeId).not.toBe(before.storeId);

    const refused = await enrollThisDevice(db, { serverUrl: anew.url, deviceName: 'Till 1', pairingCode: anew.setupCode ?? '' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnsentEventsError);
    expect((refused as Error).message).toContain('1 event of another store not yet sent');
    expect((refused as Error).message).toContain('this pairing code is not used up');
    expect((await readAllEvents(db)).map((event) => event.id)).toEqual([sale.id]);
    expect((await db.meta.get('deviceToken'))?.value).toBe(before.token);
    expect((await db.meta.get('storeId'))?.value).toBe(before.storeId);
    // The setup code is indeed unused: the owner's device pairs with it.
    expect(await enroll(anew.url, anew.setupCode ?? '', 'Owner phone')).toMatchObject({ storeId: anew.storeId, role: 'owner' });
  });

  it('pairing again with the store it holds keeps its books', async () => {
    const running = await server();
    const { db, enrollment: first, sale } = await pairedTillWithSale(running);
    const code = (await api(running.url, '/api/v1/pairing-codes', { method: 'POST', token: first.token })).body as { code: string };
    const again = await enrollThisDevice(db, { serverUrl: running.url, deviceName: 'Till 1', pairingCode: code.code });
    expect(again.startedOver).toBe(false);
    expect(await db.meta.get('startedOver')).toBeUndefined();
    expect((await readAllEvents(db)).map((event) => event.id)).toEqual([sale.id]);
    expect(await db.unsent.count()).toBe(1);
  });
});
