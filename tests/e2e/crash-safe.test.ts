/**
 * Issue 14, item 17: Chromium may delete a database it finds corrupted after crashes mid-write
 * ("recovering from a corrupted (and deleted) database"). The device keeps a second copy of its
 * unsynced events and its identity in the Origin Private File System (src/db/journal.ts) and puts
 * them back at start. Here the database is deleted behind the app's back, on disk, while the
 * browser is closed. Build first: `npx vite build`.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PHONE, TABLET, demoProduct, openApp, payExactCash, readStore, wedgeScan } from './harness.ts';
import { profilePerTest } from './app-per-test.ts';

const MILK = demoProduct('Whole milk 1 l').barcodes[0] ?? '';

interface SaleRow {
  id: string;
  kind: string;
  deviceId: string;
  seq: number;
  hlc: string;
}

const meta = async (page: Page, key: string) => (await readStore<{ key: string; value: unknown }>(page, 'meta')).find((row) => row.key === key)?.value;

/** Every directory under `root` whose name says it holds an IndexedDB database. */
function indexedDbDirectories(root: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (!statSync(path).isDirectory()) continue;
    if (/\.indexeddb\.(leveldb|blob)$/.test(name)) found.push(path);
    else found.push(...indexedDbDirectories(path));
  }
  return found;
}

describe('a device whose database Chromium deleted', () => {
  const env = profilePerTest('perpetua-e2e-lost-db-');
  const { server, launch } = env;
  let context: BrowserContext;

  it('gets back its unsynced sales, device id and token from the copy outside IndexedDB, says so, and syncs them once', async () => {
    context = await launch();
    let page = await openApp(context, server.url);
    // Paired with the demo server (no code needed on its own computer): a token to lose.
    await expect.poll(() => meta(page, 'deviceToken'), { timeout: 30_000 }).toEqual(expect.any(String));
    const deviceId = await meta(page, 'deviceId');
    const token = await meta(page, 'deviceToken');

    // Offline: two sales that only this device has.
    await server.stop();
    for (let i = 0; i < 2; i++) {
      await wedgeScan(page, MILK);
      await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
      await payExactCash(page);
      await page.getByRole('button', { name: 'New sale' }).click();
    }
    const sales = (await readStore<SaleRow>(page, 'events')).filter((e) => e.deviceId === deviceId).sort((a, b) => a.seq - b.seq);
    expect(sales.map((e) => e.kind)).toEqual(['sale', 'sale']);
    // The dedicated worker (flushed sync access handles) starts with the first sale and writes the
    // copies after it: it runs, each sale has its file, whole, and no temporary file is left behind.
    expect(page.workers().map((worker) => worker.url()).some((url) => /journal\.worker/.test(url))).toBe(true);
    const copied = await page.evaluate(async () => {
      const files: Record<string, string> = {};
      for await (const [name, entry] of (await navigator.storage.getDirectory()) as unknown as AsyncIterable<[string, FileSystemHandle]>) {
        if (!name.startsWith('journal-') || entry.kind !== 'directory') continue;
        for await (const [file, handle] of entry as unknown as AsyncIterable<[string, FileSystemFileHandle]>) files[file] = await (await handle.getFile()).text();
      }
      return files;
    });
    for (const sale of sales) {
      const name = Object.keys(copied).find((file) => file.startsWith('event-') && file.endsWith(`-${sale.id}.json`)) ?? '';
      expect(JSON.parse(copied[name] ?? 'null')).toMatchObject({ id: sale.id, seq: sale.seq, kind: 'sale' });
    }
    expect(JSON.parse(copied['identity.json'] ?? 'null')).toMatchObject({ deviceId, deviceToken: token });
    expect(Object.keys(copied).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    await context.close();

    // Behind the app's back: the database's files go, as Chromium's recovery deletes them.
    const databases = indexedDbDirectories(env.profile).filter((path) => path.includes(`127.0.0.1_${server.port}`));
    expect(databases.length).toBeGreaterThan(0);
    for (const path of databases) rmSync(path, { recursive: true, force: true });

    context = await launch();
    page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('.app', { timeout: 60_000 });
    const notice = page.getByTestId('restored-notice');
    await expect.poll(() => notice.textContent()).toContain('2 sales not yet synced');
    expect(await notice.textContent()).toContain("this device's identity and pairing");
    expect(await notice.textContent()).toContain('Nothing to do');
    expect(await meta(page, 'deviceId')).toBe(deviceId);
    expect(await meta(page, 'deviceToken')).toBe(token);
    const restored = (await readStore<SaleRow>(page, 'events')).filter((e) => e.deviceId === deviceId).sort((a, b) => a.seq - b.seq);
    expect(restored).toEqual(sales);
    expect((await readStore<{ seq: number; eventId: string }>(page, 'unsent')).map((row) => row.eventId).sort()).toEqual(sales.map((e) => e.id).sort());
    // SHOTS_DIR=<dir> keeps screenshots of the notice at tablet and phone size, for a person to look at.
    if (process.env.SHOTS_DIR) {
      await page.screenshot({ path: join(process.env.SHOTS_DIR, 'restored-notice-1280x800.png') });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: join(process.env.SHOTS_DIR, 'restored-notice-390x844.png') });
      await page.setViewportSize(TABLET);
    }

    // The server is back: the restored sales sync, once each.
    await server.start();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => page.getByTestId('pending-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    const { storage, storeId } = server.server;
    const onServer = (await storage.pullEvents(storeId, '0', 5000)).events.map((json) => JSON.parse(json) as SaleRow).filter((e) => e.deviceId === deviceId);
    expect(onServer.map((e) => e.id).sort()).toEqual(sales.map((e) => e.id).sort());
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await storage.pullEvents(storeId, '0', 5000)).events.filter((json) => json.includes(String(deviceId))).length).toBe(2);
  }, 240_000);
});
