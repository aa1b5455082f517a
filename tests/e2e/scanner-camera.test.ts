/**
 * Camera scanning end to end in Chromium with a fake camera: a Y4M video of an EAN-13 rendered
 * with bwip-js is what getUserMedia returns. Runs on a small test page (tests/e2e/fixtures/scanner: index.html and scanner-harness.tsx)
 * that mounts CameraScanner the way the Sell/Count screens will: lazily, with an onDetected that
 * adds to a cart or increments a count.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import preact from '@preact/preset-vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium.ts';
import { writeBarcodeY4m } from '../../bench/decode/fake-camera.ts';

const repo = resolve(import.meta.dirname, '../..');
const work = join(repo, '.tmp/e2e-scanner');
const site = join(work, 'site');
const EAN = '4006381333931';
const GTIN14 = '04006381333931';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
};

let server: Server;
let origin: string;

beforeAll(async () => {
  mkdirSync(work, { recursive: true });
  await build({
    configFile: false,
    root: join(repo, 'tests/e2e/fixtures/scanner'),
    base: './',
    logLevel: 'warn',
    plugins: [preact()],
    build: { outDir: site, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = resolve(site, path === '/' ? 'index.html' : path.slice(1));
    if (!file.startsWith(site + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(() => {
  server?.close();
});

const BASE_ARGS = [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'];

async function withCamera<T>(video: string | null, run: (page: Page, requests: string[]) => Promise<T>): Promise<T> {
  const cameraArgs =
    video === null
      ? ['--use-fake-device-for-media-stream']
      : ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`];
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...cameraArgs] });
  try {
    const context = await browser.newContext(video === null ? {} : { permissions: ['camera'] });
    const page = await context.newPage();
    const requests: string[] = [];
    const foreign: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      requests.push(url.pathname);
      if (url.hostname !== '127.0.0.1') foreign.push(url.href);
    });
    // Offline-first: nothing, the .wasm included, may come from anywhere but our own origin.
    const result = await run(page, requests);
    expect(foreign).toEqual([]);
    return result;
  } finally {
    await browser.close();
  }
}

describe('camera scanner with a fake camera', () => {
  it('Sell: the scanned product lands in the cart once, and the scanner loads only when opened', async () => {
    const video = join(work, 'sell.y4m');
    writeBarcodeY4m(video, { width: 640, height: 480, bcid: 'ean13', text: EAN, framesWithCode: 6, fps: 15 });
    await withCamera(video, async (page, requests) => {
      await page.goto(`${origin}/?mode=sell`);
      await page.getByRole('button', { name: 'Scan with camera' }).waitFor();
      // The first screen has not fetched the scanner chunk, the worker or the WebAssembly.
      expect(requests.filter((path) => /\.wasm$|decoder\.worker|CameraScanner/i.test(path))).toEqual([]);
      const before = requests.length;

      await page.getByRole('button', { name: 'Scan with camera' }).click();
      const line = page.locator(`li[data-code="${GTIN14}"]`);
      await line.waitFor({ timeout: 30_000 });
      expect(await line.getAttribute('data-format')).toBe('EAN-13');
      expect(await line.textContent()).toContain('Stabilo pen');
      const loaded = requests.slice(before);
      expect(loaded.some((path) => path.endsWith('.wasm'))).toBe(true);

      // The code stays in view: duplicate suppression keeps the quantity at 1.
      await page.waitForTimeout(2500);
      expect(await line.getAttribute('data-qty')).toBe('1');
      expect(await page.getByTestId('camera-status').textContent()).toContain(EAN);

      await page.getByRole('button', { name: 'Close camera' }).click();
      await page.getByTestId('camera-scanner').waitFor({ state: 'detached' });
    });
  });

  it('Count: each time the item comes back into view the count goes up', async () => {
    const video = join(work, 'count.y4m');
    // 0.6 s of barcode, then 2 s of plain paper; Chromium loops the file.
    writeBarcodeY4m(video, { width: 640, height: 480, bcid: 'ean13', text: EAN, framesWithCode: 9, framesWithout: 30, fps: 15 });
    await withCamera(video, async (page) => {
      await page.goto(`${origin}/?mode=count`);
      await page.getByRole('button', { name: 'Scan with camera' }).click();
      const line = page.locator(`li[data-code="${GTIN14}"]`);
      await line.waitFor({ timeout: 30_000 });
      await page.waitForFunction(
        (code) => Number(document.querySelector(`li[data-code="${code}"]`)?.getAttribute('data-qty') ?? 0) >= 2,
        GTIN14,
        { timeout: 30_000 },
      );
    });
  });

  it('explains in plain words when camera access is denied', async () => {
    await withCamera(null, async (page) => {
      await page.goto(`${origin}/?mode=sell`);
      await page.getByRole('button', { name: 'Scan with camera' }).click();
      const problem = page.getByTestId('camera-problem');
      await problem.waitFor({ timeout: 20_000 });
      expect(await problem.getAttribute('data-problem')).toBe('denied');
      expect(await problem.textContent()).toContain('Allow camera access');
      expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    });
  });
});
