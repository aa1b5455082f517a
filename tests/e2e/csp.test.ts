/**
 * The built app under the server's Content-Security-Policy (issue 17): the real server serves
 * dist/ with the CSP on every response; the app starts, its service worker takes control, the
 * camera scanner loads its worker and compiles the zxing WebAssembly ('wasm-unsafe-eval') and
 * scans a product, a few screens and the setup page open — and the browser reports no violation
 * (a `securitypolicyviolation` event or a "Refused to …" console message fails the test).
 * Build first: `npx vite build`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { writeBarcodeY4m } from '../../bench/decode/fake-camera.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import { AppServer, TABLET, launchBrowser, openApp } from './harness.ts';

const work = resolve(import.meta.dirname, '../../.tmp/e2e-csp');
const product = DEMO_PRODUCTS.find((p) => p.unit === 'each' && p.barcodes[0]?.length === 13);
if (!product) throw new Error('the demo store has no EAN-13 product sold by the piece');

let browser: Browser | undefined;
let server: AppServer | undefined;
let context: BrowserContext | undefined;
afterEach(async () => {
  await context?.close();
  await browser?.close();
  await server?.dispose();
});

describe('the app under the Content-Security-Policy', () => {
  it('starts, installs its service worker, scans with the camera (wasm) and opens its screens without a single CSP violation', async () => {
    mkdirSync(work, { recursive: true });
    const video = join(work, 'known.y4m');
    writeBarcodeY4m(video, { width: 1280, height: 720, bcid: 'ean13', text: product.barcodes[0] ?? '', framesWithCode: 6, fps: 15 });
    browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    server = new AppServer();
    await server.start();
    context = await browser.newContext({ viewport: TABLET, locale: 'en-US', permissions: ['camera'] });
    const violations: string[] = [];
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`Refused to load (securitypolicyviolation): ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const watch = (text: string) => {
      if (/Refused to|Content.Security.Policy|securitypolicyviolation/i.test(text)) violations.push(text);
    };
    context.on('console', (message) => watch(message.text()));
    context.on('page', (page) => page.on('worker', (worker) => worker.on('console', (message) => watch(message.text()))));

    const page = await openApp(context, server.url);
    const served = await page.evaluate(async () => (await fetch('/', { cache: 'no-store' })).headers.get('content-security-policy'));
    expect(served).toContain("script-src 'self' 'wasm-unsafe-eval'");

    await page.getByRole('button', { name: 'Camera', exact: true }).click();
    await page.getByTestId('camera-scanner').waitFor();
    await expect.poll(() => page.locator('.cart-line').count(), { timeout: 45_000, interval: 250 }).toBe(1);
    expect(await page.locator('.cart-line .name').textContent()).toBe(product.name);
    await page.getByRole('button', { name: 'Close camera' }).click();

    for (const route of ['#/settings', '#/stock', '#/today', '#/sell']) {
      await page.goto(`${server.url}/${route}`);
      await page.waitForSelector('.app');
      await page.waitForTimeout(300);
    }
    await page.reload();
    await page.waitForSelector('.app');

    const setup = await context.newPage();
    await setup.goto(`${server.url}/setup`);
    await setup.getByRole('heading', { level: 1 }).waitFor();
    // The page's styles (a file now, not an inline <style>) did apply.
    expect(await setup.evaluate(() => getComputedStyle(document.body).maxWidth)).not.toBe('none');

    expect(violations).toEqual([]);
  });

  it('a violation is caught: an inline script injected into the page is refused and reported', async () => {
    browser = await launchBrowser();
    server = new AppServer();
    await server.start();
    context = await browser.newContext({ viewport: TABLET, locale: 'en-US' });
    const messages: string[] = [];
    context.on('console', (message) => messages.push(message.text()));
    const page = await openApp(context, server.url);
    const ran = await page.evaluate(async () => {
      const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true }));
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.append(script);
      return { directive: await seen, inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true };
    });
    expect(ran).toEqual({ directive: 'script-src-elem', inlineRan: false });
    await expect.poll(() => messages.join('\n')).toMatch(/Content Security Policy/);
  });
});
