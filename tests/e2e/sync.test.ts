/**
 * Sync in the browser, end to end: the built app under its service worker in Debian's Chromium,
 * the real server (src/server, SQLite) on a loopback port that the tests stop and start again.
 * What reached the server is read from the server's own storage, independent of the client code.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AppServer, FLOOR, demoProduct, openApp, payExactCash, readLedger, readStore, wedgeScan } from './harness.ts';
import { devicesPerTest } from './app-per-test.ts';
import { locationDefined } from '../server/fixtures.ts';

const product = demoProduct;
const milk = product('Whole milk 1 l');
const coffee = product('Ground coffee 250 g');
const spaghetti = product('Spaghetti 500 g');

interface ServerEvent {
  id: string;
  kind: string;
  deviceId: string;
  storeId: string;
  lines?: { productId: string; qty: number }[];
}

const devices = devicesPerTest();
const newServer = devices.server;
const newDevice = () => devices.device();

async function meta(page: Page, key: string): Promise<unknown> {
  return (await readStore<{ key: string; value: unknown }>(page, 'meta')).find((row) => row.key === key)?.value;
}

/** A demo server pairs the device by itself; then the first sync (pull of the seed) completes. */
async function waitUntilPairedAndSynced(page: Page): Promise<string> {
  await expect.poll(() => meta(page, 'deviceToken'), { timeout: 30_000 }).toEqual(expect.any(String));
  await expect.poll(() => meta(page, 'lastSyncAt'), { timeout: 30_000 }).toEqual(expect.any(String));
  return String(await meta(page, 'deviceId'));
}

/** Every event the server stored for its store, read straight from its storage. */
async function serverEvents(server: AppServer): Promise<ServerEvent[]> {
  const { storage, storeId } = server.server;
  const events: ServerEvent[] = [];
  let after = '0';
  for (;;) {
    const page = await storage.pullEvents(storeId, after, 5000);
    events.push(...page.events.map((json) => JSON.parse(json) as ServerEvent));
    after = page.nextCursor;
    if (!page.hasMore) return events;
  }
}

const serverSalesOf = async (server: AppServer, deviceId: string) =>
  (await serverEvents(server)).filter((e) => e.kind === 'sale' && e.deviceId === deviceId);
const localSales = async (page: Page) => (await readLedger<ServerEvent>(page)).filter((e) => e.kind === 'sale');
const pendingCount = (page: Page) => page.getByTestId('pending-count').getAttribute('data-count');

async function sell(page: Page, barcode: string | undefined): Promise<void> {
  await wedgeScan(page, barcode ?? '');
  await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
  await payExactCash(page);
  await page.getByRole('button', { name: 'New sale' }).click();
}

async function floorOnHandShown(page: Page, productId: string): Promise<string | null> {
  return page.locator(`tr[data-product-id="${productId}"] td[data-location-id="${FLOOR}"]`).textContent();
}

describe('sync through the service worker with the real server', () => {
  it('sells three items with the server stopped, then delivers them when it is back', async () => {
    const server = await newServer();
    const page = await openApp(await newDevice(), server.url);
    const deviceId = await waitUntilPairedAndSynced(page);

    await server.stop();
    await page.reload(); // served by the service worker: there is no server to answer
    await page.waitForSelector('.app');
    await sell(page, milk.barcodes[0]);
    await sell(page, coffee.barcodes[0]);
    await sell(page, spaghetti.barcodes[0]);
    await expect.poll(() => pendingCount(page)).toBe('3');
    const sold = await localSales(page);
    expect(sold).toHaveLength(3);

    await server.start();
    expect(await serverSalesOf(server, deviceId)).toHaveLength(0);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All synced');
    expect(await readStore(page, 'unsent')).toHaveLength(0);

    const onServer = await serverSalesOf(server, deviceId);
    expect(onServer.map((e) => e.id).sort()).toEqual(sold.map((e) => e.id).sort());
    expect(onServer.map((e) => e.lines?.[0]?.productId).sort()).toEqual([milk.id, coffee.id, spaghetti.id].sort());
  });

  it('shows a sale from device A on device B’s Stock screen after B syncs', async () => {
    const server = await newServer();
    const [a, b] = await Promise.all([openApp(await newDevice(), server.url), openApp(await newDevice(), server.url)]);
    const [deviceA, deviceB] = await Promise.all([waitUntilPairedAndSynced(a), waitUntilPairedAndSynced(b)]);
    expect(deviceA).not.toBe(deviceB);

    await b.goto(`${server.url}/#/stock`);
    await b.getByLabel('Find a product').fill(coffee.sku);
    await expect.poll(() => floorOnHandShown(b, coffee.id)).toMatch(/^\d+$/);
    const before = Number(await floorOnHandShown(b, coffee.id));

    await sell(a, coffee.barcodes[0]);
    await sell(a, coffee.barcodes[0]);
    // A sends its sales by itself shortly after each one.
    await expect.poll(() => pendingCount(a), { timeout: 30_000 }).toBe('0');
    await expect.poll(async () => (await serverSalesOf(server, deviceA)).length).toBe(2);

    await b.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => floorOnHandShown(b, coffee.id), { timeout: 30_000 }).toBe(String(before - 2));
    const pulled = (await localSales(b)).filter((e) => e.deviceId === deviceA);
    expect(pulled).toHaveLength(2);
  });

  it('drains the outbox from the service worker’s Background Sync event with no page open', async () => {
    const server = await newServer();
    const context = await newDevice();
    const page = await openApp(context, server.url);
    const deviceId = await waitUntilPairedAndSynced(page);

    await server.stop();
    await sell(page, milk.barcodes[0]);
    await sell(page, coffee.barcodes[0]);
    await sell(page, spaghetti.barcodes[0]);
    await expect.poll(() => pendingCount(page)).toBe('3');
    // The app asked the browser for a Background Sync (its first attempt failed: the server is down).
    const tags = await page.evaluate(async () => {
      const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & { sync?: { getTags(): Promise<string[]> } };
      return registration.sync?.getTags() ?? [];
    });
    expect(tags).toContain('perpetua-outbox');
    await page.close(); // no page of the app runs from here on: only the service worker can send

    await server.start();
    // A page of the same origin that runs none of the app's code, to look at IndexedDB and drive CDP.
    const probe = await context.newPage();
    await probe.goto(`${server.url}/api/health`);
    expect(await readStore(probe, 'unsent')).toHaveLength(3);
    expect(await serverSalesOf(server, deviceId)).toHaveLength(0);

    const cdp = await context.newCDPSession(probe);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
        if (ours) resolve(ours.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.dispatchSyncEvent', {
      origin: server.url,
      registrationId: await registrationId,
      tag: 'perpetua-outbox',
      lastChance: false,
    });

    await expect.poll(async () => (await serverSalesOf(server, deviceId)).length, { timeout: 30_000 }).toBe(3);
    await expect.poll(() => readStore(probe, 'unsent')).toHaveLength(0);
    const lastSyncAt = (await readStore<{ key: string; value: unknown }>(probe, 'meta')).find((r) => r.key === 'lastSyncAt')?.value;
    expect(lastSyncAt).toEqual(expect.any(String));
    await cdp.detach();
  });

  it('drains the outbox when the browser comes back online, with no Sync now and before any retry is due', async () => {
    const server = await newServer();
    const context = await newDevice();
    await context.addInitScript(() => {
      // As in Safari and Firefox: no Background Sync, so the service worker is not woken on
      // reconnect (Chromium does that within ~0.1 s; the Background Sync test above covers it) and
      // only the page itself can notice that the network is back.
      delete (ServiceWorkerRegistration.prototype as { sync?: unknown }).sync;
      // The page's scheduler retries after a failure with full jitter: a delay in [0, cap). Keep the
      // jitter in the upper half of that range, so after four failures the next retry is at least
      // 8 s away and cannot be what drains the outbox within the 5 s allowed below.
      const random = Math.random.bind(Math);
      Math.random = () => 0.5 + random() / 2;
    });
    const page = await openApp(context, server.url);
    const deviceId = await waitUntilPairedAndSynced(page);
    const network = page.getByTestId('network-status');
    expect(await network.textContent()).toBe('Online');
    expect(await page.evaluate(async () => 'sync' in (await navigator.serviceWorker.ready))).toBe(false);

    let failedSyncs = 0;
    page.on('requestfailed', (request) => {
      if (request.url().includes('/api/v1/sync/')) failedSyncs += 1;
    });
    await context.setOffline(true);
    await expect.poll(() => network.textContent()).toBe('Offline: sales are saved on this device');
    // Sold by tapping the product, not with wedgeScan: its extra CDP app, once detached, makes
    // the page report navigator.onLine === true again while requests still fail, so no 'online'
    // event would come when the network really is back.
    await page.getByLabel('Search or scan').fill(milk.sku);
    await page.locator('.product-tile').filter({ hasText: milk.name }).click();
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
    await payExactCash(page);
    await page.getByRole('button', { name: 'New sale' }).click();
    await expect.poll(() => pendingCount(page)).toBe('1');
    const sold = await localSales(page);
    expect(sold).toHaveLength(1);
    // The scheduler tries (and fails) by itself: after the sale, then on its retry timer.
    await expect.poll(() => failedSyncs, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(4);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await network.textContent()).toBe('Offline: sales are saved on this device');
    expect(await serverSalesOf(server, deviceId)).toHaveLength(0);

    await context.setOffline(false); // fires 'online' in the page; nothing is clicked from here on
    await expect.poll(() => network.textContent()).toBe('Online');
    await expect.poll(() => pendingCount(page), { timeout: 5_000, interval: 100 }).toBe('0');
    expect((await serverSalesOf(server, deviceId)).map((e) => e.id)).toEqual(sold.map((e) => e.id));
  });

  it('says in plain words why it cannot sync while the server is down, and clears it once synced', async () => {
    const server = await newServer();
    const page = await openApp(await newDevice(), server.url);
    await waitUntilPairedAndSynced(page);
    await expect.poll(() => page.getByTestId('sync-error').count()).toBe(0);

    await server.stop();
    await sell(page, milk.barcodes[0]);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const error = page.getByTestId('sync-error');
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toContain('The server cannot be reached');
    expect(await error.textContent()).toContain('Sales are kept on this device and will be sent later.');
    await expect.poll(() => pendingCount(page)).toBe('1');

    await server.start();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => error.count()).toBe(0);
  });

  it('says “Server unreachable”, not “Online”, with what waits and the next try while the server is stopped; “Online” once it answers', async () => {
    const server = await newServer();
    const page = await openApp(await newDevice(), server.url);
    await waitUntilPairedAndSynced(page);
    const network = page.getByTestId('network-status');
    await expect.poll(() => network.textContent()).toBe('Online');

    await server.stop(); // the network card stays up: only the server is gone
    await sell(page, milk.barcodes[0]);
    await expect.poll(() => network.textContent(), { timeout: 30_000 }).toBe('Server unreachable');
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('1 waiting to send');
    const nextTry = page.getByTestId('next-retry');
    await expect.poll(() => nextTry.textContent(), { timeout: 30_000 }).toMatch(/^next try (in \d+ (s|min)|now)$/);
    expect(await network.getAttribute('role')).toBe('status');

    await server.start();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => network.textContent(), { timeout: 30_000 }).toBe('Online');
    await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('All synced');
    await expect.poll(() => nextTry.count()).toBe(0);
  });
});

describe('pairing in Settings with a store that is not a demo', () => {
  it('a till that opened on the demo store starts over when paired with the shop’s store on the same address: nothing of the demo is left', async () => {
    const demo = await newServer();
    const page = await openApp(await newDevice(), demo.url);
    const deviceId = await waitUntilPairedAndSynced(page);
    await sell(page, milk.barcodes[0]);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe('0');
    expect(await localSales(page)).toHaveLength(1);

    // The shop's own store replaces the demo on the same address (same origin, same database).
    await demo.stop();
    const shop = await newServer({ demo: false, port: demo.port });
    await page.goto(`${shop.url}/#/settings`);
    const panel = page.getByRole('region', { name: 'Server and sync' });
    // Paired with the demo store: the form is behind "Pair this device again".
    await panel.getByText('Pair this device again').click();
    await panel.getByLabel('Pairing code').fill(shop.server.setupCode ?? '');
    // The page opens again as the shop's device.
    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    await panel.getByRole('button', { name: 'Pair this device' }).click();
    await reloaded;
    await page.waitForSelector('.app');
    // …and says why it is empty, once: a till that opens empty would look like lost sales.
    const notice = page.getByTestId('started-over-notice');
    await expect.poll(() => notice.textContent()).toContain('the demo store’s products, stock and sales were cleared from this device');
    await expect.poll(() => meta(page, 'startedOver')).toBeUndefined();
    expect(await meta(page, 'storeId')).toBe(shop.server.storeId);
    expect(await meta(page, 'seeded')).toBe('empty-store');
    expect(await meta(page, 'deviceId')).toBe(deviceId);
    expect(await readLedger(page)).toEqual([]);
    expect(await readStore(page, 'catalogChunks')).toEqual([]);
    expect(await readStore(page, 'unsent')).toEqual([]);
    await page.goto(`${shop.url}/#/sell`);
    await page.waitForSelector('.app');
    await expect.poll(() => page.locator('.product-tile').count()).toBe(0);
    expect(await page.getByText(milk.name).count()).toBe(0);
    // Nothing of the demo reached the shop's server.
    expect(await serverEvents(shop)).toEqual([]);
    // The next start opens as any other.
    await page.reload();
    await page.waitForSelector('.app:not(.boot)');
    expect(await notice.count()).toBe(0);
  });

  it('pairs the owner’s device with the setup code, creates a pairing code, and pairs a second device with it', async () => {
    const server = await newServer({ demo: false });
    const setupCode = server.server.setupCode;
    expect(setupCode).toEqual(expect.any(String));

    const owner = await openApp(await newDevice(), server.url, '/#/settings');
    const panel = owner.getByRole('region', { name: 'Server and sync' });
    await expect.poll(() => panel.getByTestId('sync-enrolled').getAttribute('data-enrolled')).toBe('false');
    expect(await meta(owner, 'deviceToken')).toBeUndefined();

    // A wrong code is refused in words, and nothing is stored.
    await panel.getByLabel('Pairing code').fill('WXYZ-9999');
    await panel.getByRole('button', { name: 'Pair this device' }).click();
    await expect.poll(() => panel.getByTestId('pair-error').textContent()).toContain('refused the code');
    expect(await meta(owner, 'deviceToken')).toBeUndefined();
    expect(await panel.getByTestId('pair-error').textContent()).toContain('Check it letter by letter');

    expect(await panel.getByLabel('Server address').inputValue()).toBe(server.url);
    await panel.getByLabel('Pairing code').fill(setupCode ?? '');
    await panel.getByRole('button', { name: 'Pair this device' }).click();
    await expect.poll(() => panel.getByTestId('sync-enrolled').getAttribute('data-enrolled')).toBe('true');
    await expect.poll(() => panel.getByTestId('sync-enrolled').textContent()).toContain('owner');
    expect(await panel.getByTestId('sync-server-url').textContent()).toBe(server.url);
    expect(await meta(owner, 'storeId')).toBe(server.server.storeId);

    await panel.getByRole('button', { name: 'Create pairing code' }).click();
    const code = (await panel.getByTestId('pairing-code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    const tablet = await openApp(await newDevice(), server.url, '/#/settings');
    const tabletPanel = tablet.getByRole('region', { name: 'Server and sync' });
    await tabletPanel.getByLabel('Pairing code').fill(code.toLowerCase().replace('-', ''));
    await tabletPanel.getByLabel('Name of this device').fill('Till 2');
    await tabletPanel.getByRole('button', { name: 'Pair this device' }).click();
    await expect.poll(() => tabletPanel.getByTestId('sync-enrolled').getAttribute('data-enrolled')).toBe('true');
    // Not the owner: no pairing codes from this device.
    expect(await tabletPanel.getByRole('button', { name: 'Create pairing code' }).count()).toBe(0);

    const token = String(await meta(tablet, 'deviceToken'));
    const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { role: string; name: string };
    expect(me).toEqual(expect.objectContaining({ role: 'staff', name: 'Till 2' }));

    // The code was single use.
    const third = await openApp(await newDevice(), server.url, '/#/settings');
    const thirdPanel = third.getByRole('region', { name: 'Server and sync' });
    await thirdPanel.getByLabel('Pairing code').fill(code);
    await thirdPanel.getByRole('button', { name: 'Pair this device' }).click();
    await expect.poll(() => thirdPanel.getByTestId('pair-error').textContent()).toContain('refused the code');
    expect(await thirdPanel.getByTestId('pair-error').textContent()).toContain('already used to pair “Till 2”');
    expect(await thirdPanel.getByTestId('pair-error').textContent()).toContain('Ask the owner for a new code');
  });

  it('lists an event the server refused with its reason, and puts it back in line on Retry', async () => {
    const server = await newServer();
    const page = await openApp(await newDevice(), server.url);
    const deviceId = await waitUntilPairedAndSynced(page);
    await sell(page, milk.barcodes[0]);
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe('0');

    // Another event claims this device's seq 1 with different content: the server must refuse it.
    const [sale] = await localSales(page);
    const forgedId = await page.evaluate(
      (original) =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('perpetua');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const forged = { ...original, id: `${original.id.slice(0, -4)}ffff`, recordedAt: new Date().toISOString() };
            const tx = open.result.transaction(['events', 'unsent'], 'readwrite');
            tx.objectStore('events').put(forged);
            tx.objectStore('unsent').put({ seq: (original as unknown as { seq: number }).seq, eventId: forged.id, attempts: 0 });
            tx.oncomplete = () => {
              open.result.close();
              resolve(forged.id);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      sale as ServerEvent,
    );
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.goto(`${server.url}/#/settings`);
    const panel = page.getByRole('region', { name: 'Server and sync' });
    const item = panel.locator(`li[data-event-id="${forgedId}"]`);
    await expect.poll(() => item.textContent(), { timeout: 30_000 }).toContain('seq');
    await expect.poll(() => page.getByRole('link', { name: /refused by the server/ }).count()).toBe(1);
    expect((await serverEvents(server)).some((e) => e.id === forgedId)).toBe(false);
    expect((await serverSalesOf(server, deviceId)).map((e) => e.id)).toEqual([sale?.id]);

    await item.getByRole('button', { name: /^Retry/ }).click();
    await expect.poll(() => panel.getByRole('status').filter({ hasText: 'back in line' }).count()).toBe(1);
    // Retrying does not make the server accept it: it is sent again, comes back refused, and stays.
    const setAside = () => readStore<{ eventId: string; reason: string; attempts: number }>(page, 'setAside');
    await expect.poll(async () => (await setAside())[0]?.attempts, { timeout: 30_000 }).toBe(2);
    expect(await setAside()).toEqual([expect.objectContaining({ eventId: forgedId, reason: expect.stringContaining('seq') })]);
    expect(await readStore(page, 'unsent')).toHaveLength(0);
    await expect.poll(() => item.count()).toBe(1);
  });
});

describe('a staff device (paired with a code the owner made)', () => {
  it('starts empty, receives and counts, but does not offer what only the owner decides', async () => {
    const server = await newServer({ demo: false });
    // The owner pairs with the setup code and makes a pairing code, here through the API.
    const enroll = async (body: object) =>
      (await (await fetch(`${server.url}/api/v1/devices/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { token: string; role: string; deviceId: string; storeId: string };
    const owner = await enroll({ pairingCode: server.server.setupCode, deviceName: 'Office' });
    expect(owner.role).toBe('owner');
    const { code } = (await (await fetch(`${server.url}/api/v1/pairing-codes`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}` } })).json()) as { code: string };

    const phone = await openApp(await newDevice(), server.url, '/#/settings');
    const panel = phone.getByRole('region', { name: 'Server and sync' });
    await panel.getByLabel('Pairing code').fill(code);
    await panel.getByLabel('Name of this device').fill('Floor phone');
    await panel.getByRole('button', { name: 'Pair this device' }).click();
    await expect.poll(() => meta(phone, 'deviceRole')).toBe('staff');
    await phone.reload();
    await phone.getByTestId('catalog-import-owner-only').waitFor();
    expect(await phone.getByRole('button', { name: /Import/ }).count()).toBe(0);

    // Locations are the owner's to add and rename: read-only here, and they follow the owner's device.
    await phone.getByTestId('locations-owner-only').waitFor();
    expect(await phone.getByRole('button', { name: /^(Add location|Rename )/ }).count()).toBe(0);
    const warehouse = locationDefined({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1, id: 'loc-warehouse', name: 'Warehouse' });
    const pushed = await fetch(`${server.url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ events: [warehouse] }),
    });
    expect(pushed.status).toBe(200);
    await phone.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => phone.getByTestId('location-list').locator('.location-name').allTextContents(), { timeout: 30_000 }).toEqual(['Shop floor', 'Back room', 'Warehouse']);

    // Receiving: no new purchase orders, and an unknown code is not turned into a product here.
    await phone.goto(`${server.url}/#/receive`);
    await phone.getByRole('button', { name: 'Receive without an order' }).click();
    expect(await phone.getByRole('button', { name: 'New purchase order' }).count()).toBe(0);
    await phone.getByLabel('Supplier').fill('New brand Ltd');
    await wedgeScan(phone, '4006381333931');
    await expect.poll(() => phone.getByTestId('receive-errors').textContent()).toContain('Only the owner’s device can create products');
    expect(await phone.getByRole('dialog').count()).toBe(0);

    // Counting: a blind count can be counted here but not reviewed (the review shows expected
    // quantities); a count that is not blind can be reviewed, but only the owner approves it.
    await phone.goto(`${server.url}/#/count`);
    await phone.getByLabel('Name of the count').fill('Aisle 3');
    await phone.getByRole('button', { name: 'Start count' }).click();
    await phone.getByRole('button', { name: '← All counts' }).click();
    await phone.getByRole('button', { name: 'Count Aisle 3' }).waitFor();
    expect(await phone.getByRole('button', { name: 'Review Aisle 3' }).count()).toBe(0);
    await phone.getByLabel('Name of the count').fill('Aisle 4');
    await phone.getByLabel(/Blind count/).uncheck();
    await phone.getByRole('button', { name: 'Start count' }).click();
    await phone.getByRole('button', { name: '← All counts' }).click();
    await phone.getByRole('button', { name: 'Review Aisle 4' }).click();
    await phone.getByTestId('approve-owner-only').waitFor();
    expect(await phone.getByRole('button', { name: 'Approve count' }).count()).toBe(0);

    // A real store's device starts empty (no demo products): products come from the owner.
    await phone.goto(`${server.url}/#/sell`);
    await expect.poll(() => phone.getByTestId('empty-catalog').textContent()).toContain('the owner’s device adds them');
    expect(await phone.locator('.product-tile').count()).toBe(0);
    const own = await meta(phone, 'deviceId');
    const recorded = (await readStore<{ kind: string; deviceId: string }>(phone, 'events')).map((e) => (e.deviceId === own ? e.kind : `${e.kind} from ${e.deviceId}`));
    expect(recorded).toEqual(['count-session-opened', 'count-session-opened']);
  });
});
