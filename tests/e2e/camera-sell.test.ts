/**
 * Camera scanning on the REAL app (built dist/ served by the real server): Chromium's fake camera
 * plays a Y4M video of a demo product's EAN-13 rendered with bwip-js. The cashier opens Sell,
 * presses Camera, the product lands in the cart once, and the sale is paid and stored in IndexedDB.
 * Build first: `npx vite build`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { writeBarcodeY4m } from '../../bench/decode/fake-camera.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import { AppServer, TABLET, launchBrowser, openApp, payExactCash, readStore } from './harness.ts';

const work = resolve(import.meta.dirname, '../../.tmp/e2e-camera-sell');
/** What only the camera scanner needs: its chunk, the decoder worker and the zxing WebAssembly. */
const SCANNER_ASSET = /CameraScanner|decoder\.worker|\.wasm$/i;

const product = DEMO_PRODUCTS.find((p) => p.unit === 'each' && p.barcodes[0]?.length === 13);
if (!product) throw new Error('the demo store has no EAN-13 product sold by the piece');
const EAN = product.barcodes[0] ?? '';
/** A valid EAN-13 that is not in the demo catalog (sell.test.ts uses it as the unknown code too). */
const UNKNOWN_EAN = '4006381333931';

interface StoredSale {
  kind: string;
  lines?: { productId: string; qty: number }[];
}

let browser: Browser | undefined;
let server: AppServer | undefined;
let context: BrowserContext | undefined;

afterEach(async () => {
  await context?.close();
  await browser?.close();
  await server?.dispose();
  context = undefined;
  browser = undefined;
  server = undefined;
});

/**
 * The real app in a browser whose camera shows `code` (1280×720, what the scanner asks for, so the
 * bridge's downscale to 960 px is on the path). Records every request the page and its workers make;
 * the service worker's own precache fetches are not the page's and are left out.
 */
async function appWithCamera(code: string, name: string): Promise<{ page: Page; requests: string[] }> {
  mkdirSync(work, { recursive: true });
  const video = join(work, `${name}.y4m`);
  writeBarcodeY4m(video, { width: 1280, height: 720, bcid: 'ean13', text: code, framesWithCode: 6, fps: 15 });
  browser = await launchBrowser([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
  server = new AppServer();
  await server.start();
  context = await browser.newContext({ viewport: TABLET, locale: 'en-US', permissions: ['camera'] });
  const requests: string[] = [];
  const foreign: string[] = [];
  context.on('request', (request: Request) => {
    if (request.serviceWorker() !== null) return;
    const url = new URL(request.url());
    requests.push(url.pathname);
    if (url.hostname !== '127.0.0.1') foreign.push(url.href);
  });
  const page = await openApp(context, server.url);
  // Offline-first: nothing, the .wasm included, may come from anywhere but our own origin.
  expect(foreign).toEqual([]);
  return { page, requests };
}

/** Scanner assets the page itself has loaded (Resource Timing: also what the service worker served). */
async function scannerResourcesLoaded(page: Page): Promise<string[]> {
  const names = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  return names.filter((name) => SCANNER_ASSET.test(new URL(name).pathname));
}

const cameraButton = (page: Page) => page.getByRole('button', { name: 'Camera', exact: true });

describe('camera scanning on the Sell screen (real app, fake camera)', () => {
  it('adds the scanned product once, is paid, and the sale is stored; the scanner loads only on demand', async () => {
    const { page, requests } = await appWithCamera(EAN, 'known');
    await cameraButton(page).waitFor();
    // The first screen has not paid for the scanner: no chunk, worker or WebAssembly requested.
    expect(requests.filter((path) => SCANNER_ASSET.test(path))).toEqual([]);
    expect(await scannerResourcesLoaded(page)).toEqual([]);
    const before = requests.length;

    await cameraButton(page).click();
    await page.getByTestId('camera-scanner').waitFor();
    const lines = page.locator('.cart-line');
    await expect.poll(() => lines.count(), { timeout: 45_000, interval: 250 }).toBe(1);
    expect(await lines.locator('.name').textContent()).toBe(product.name);
    const loaded = requests.slice(before);
    expect(loaded.some((path) => /CameraScanner/.test(path))).toBe(true);
    expect(loaded.some((path) => path.endsWith('.wasm'))).toBe(true);

    // The code stays in front of the camera: duplicate suppression keeps it one line of one.
    await expect.poll(() => page.getByTestId('camera-status').textContent()).toContain(EAN);
    await page.waitForTimeout(3000);
    expect(await lines.count()).toBe(1);
    expect(await page.getByLabel(`Quantity of ${product.name}`).inputValue()).toBe('1');
    await expect.poll(() => page.getByTestId('sell-notice').textContent()).toBe(`Added ${product.name}.`);

    await page.getByRole('button', { name: 'Close camera' }).click();
    await page.getByTestId('camera-scanner').waitFor({ state: 'detached' });
    await payExactCash(page);

    const sales = (await readStore<StoredSale>(page, 'events')).filter((e) => e.kind === 'sale');
    expect(sales).toHaveLength(1);
    expect(sales[0]?.lines).toEqual([expect.objectContaining({ productId: product.id, qty: 1 })]);
  });

  it('says "not found" for a code the catalog does not know, and adds nothing', async () => {
    const { page } = await appWithCamera(UNKNOWN_EAN, 'unknown');
    await cameraButton(page).click();
    const notice = page.getByTestId('sell-notice');
    await expect.poll(() => notice.textContent(), { timeout: 45_000, interval: 250 }).toContain('No product has the code');
    expect(await notice.textContent()).toContain(UNKNOWN_EAN);
    expect(await notice.getAttribute('role')).toBe('alert');
    await page.waitForTimeout(1000);
    expect(await page.locator('.cart-line').count()).toBe(0);
    // The notice names the code; the box is left ready for the next scan (issue 14, item 12).
    await expect.poll(() => page.getByLabel('Search or scan').inputValue()).toBe('');
    expect((await readStore<StoredSale>(page, 'events')).filter((e) => e.kind === 'sale')).toHaveLength(0);
  });
});
