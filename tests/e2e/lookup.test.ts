/**
 * The Look up screen on the real app: a hand scanner (keyboard wedge) or the camera finds a product
 * and shows its price and stock per location; a sale on Sell lowers the on-hand shown. The browser's
 * fake camera shows a demo product's EAN-13 for the camera case. Build first: `npx vite build`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeBarcodeY4m } from '../../bench/decode/fake-camera.ts';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import { AppServer, PHONE, eur, launchBrowser, openApp, payExactCash, wedgeScan } from './harness.ts';

const [FLOOR, BACK] = DEMO_LOCATIONS;
const find = (name: string) => {
  const found = DEMO_PRODUCTS.find((p) => p.name === name);
  if (!found) throw new Error(`demo product ${name} missing`);
  return found;
};
// Demo opening stock: milk 48 on the floor, 96 in the back room, at 0.71 each.
const milk = find('Whole milk 1 l');
const coffee = find('Ground coffee 250 g');
const MILK = milk.barcodes[0] ?? '';

let browser: Browser;
let server: AppServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const work = resolve(import.meta.dirname, '../../.tmp/e2e-lookup');
  mkdirSync(work, { recursive: true });
  const video = join(work, 'coffee.y4m');
  writeBarcodeY4m(video, { width: 640, height: 480, bcid: coffee.barcodes[0]?.length === 12 ? 'upca' : 'ean13', text: coffee.barcodes[0] ?? '', framesWithCode: 6, fps: 15 });
  browser = await launchBrowser([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  server = new AppServer();
  await server.start();
  context = await browser.newContext({ viewport: PHONE, locale: 'en-US', permissions: ['camera'], hasTouch: true });
  page = await openApp(context, server.url, '/#/lookup');
  await page.getByRole('heading', { name: 'Look up a product' }).waitFor();
});
afterEach(async () => {
  await context?.close();
  await server?.dispose();
});

const facts = (p: Page) => p.getByTestId('lookup-product');

describe('Look up screen', () => {
  it('shows price, barcode, stock per location, value and last received after a wedge scan', async () => {
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await wedgeScan(page, MILK);
    await facts(page).waitFor();
    expect(await page.getByRole('heading', { name: milk.name }).count()).toBe(1);
    expect(await page.getByTestId('lookup-price').textContent()).toBe(eur(milk.price));
    expect(await page.getByTestId('lookup-barcodes').textContent()).toContain(MILK);
    await expect.poll(() => page.getByTestId(`on-hand-${FLOOR.id}`).textContent()).toBe('48');
    expect(await page.getByTestId(`on-hand-${BACK.id}`).textContent()).toBe('96');
    expect(await page.getByTestId('on-hand-total').textContent()).toBe('144');
    await expect.poll(() => page.getByTestId('lookup-value').textContent()).toBe(eur(144 * milk.cost));
    const received = (await page.getByTestId('lookup-last-received').textContent()) ?? '';
    expect(received).toContain(`${eur(milk.cost)} each`);
    expect(received).toContain('opening stock');
    // The nav marks where we are; the scan went to the lookup, not into a cart.
    expect(await page.getByRole('link', { name: 'Look up' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows the lower on-hand after a sale on the Sell screen', async () => {
    await page.goto(`${server.url}/#/sell`);
    await page.getByRole('button', { name: 'Camera', exact: true }).waitFor();
    await wedgeScan(page, MILK);
    await wedgeScan(page, MILK);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
    await payExactCash(page);
    await page.getByRole('button', { name: 'New sale' }).click();

    await page.getByRole('link', { name: 'Look up' }).click();
    await page.getByRole('heading', { name: 'Look up a product' }).waitFor();
    await wedgeScan(page, MILK);
    await expect.poll(() => page.getByTestId(`on-hand-${FLOOR.id}`).textContent()).toBe('46');
    expect(await page.getByTestId(`on-hand-${BACK.id}`).textContent()).toBe('96');
    await expect.poll(() => page.getByTestId('lookup-value').textContent()).toBe(eur(142 * milk.cost));
  });

  it('explains an unknown code and offers the search with the code in it', async () => {
    await wedgeScan(page, '4006381333931');
    const notice = page.getByTestId('lookup-notice');
    await expect.poll(() => notice.textContent()).toContain('No product has the code 4006381333931');
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Search or scan').inputValue()).toBe('4006381333931');
    expect(await facts(page).count()).toBe(0);
    // The search is right there: a name finds the product.
    await page.getByLabel('Search or scan').fill('whole milk');
    await page.getByRole('button', { name: new RegExp(milk.name) }).click();
    await expect.poll(() => page.getByTestId(`on-hand-${FLOOR.id}`).textContent()).toBe('48');
  });

  it('looks up with the camera (Scan button, lazy scanner in lookup mode)', async () => {
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Scan to look up' }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => facts(page).getAttribute('data-product-id').catch(() => null), { timeout: 45_000, interval: 250 }).toBe(coffee.id);
    expect(await page.getByTestId('lookup-price').textContent()).toBe(eur(coffee.price));
    // A found product closes the camera so the answer is in view on a phone.
    await expect.poll(() => page.getByTestId('camera-scanner').count()).toBe(0);
  });

  it('has touch targets of at least 48 px', async () => {
    await wedgeScan(page, MILK);
    await facts(page).waitFor();
    for (const target of [page.getByLabel('Search or scan'), page.getByRole('button', { name: 'Scan', exact: true })]) {
      const box = await target.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(48);
    }
  });
});
