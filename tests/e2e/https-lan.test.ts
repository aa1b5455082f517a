/**
 * A tablet on the shop's network, for real: the test makes its own little LAN (a network namespace
 * joined to this machine by a veth pair, 10.231.7.1 here and 10.231.7.2 in the namespace) and runs
 * Chromium inside the namespace, so every request reaches the server from a non-loopback address.
 * The browser trusts only the store CA (by its key hash, the server sends the CA in its chain), as a
 * tablet does once the certificate is installed from the setup page.
 *
 * Needs root and `ip` (iproute2), as CI has; elsewhere it is skipped with the reason.
 */
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { tlsDirOf } from '../../src/server/tls/tls-credentials.ts';
import { CHROMIUM, CHROMIUM_ARGS, TABLET, demoProduct, payExactCash, readStore, wedgeScan } from './harness.ts';

const NAMESPACE = 'pp13-https-lan';
const HOST_LINK = 'pp13h';
const LAN_LINK = 'pp13c';
const SERVER_ADDRESS = '10.231.7.1';
const TABLET_ADDRESS = '10.231.7.2';

function ip(...args: string[]): { ok: boolean; output: string } {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stderr ?? ''}${run.stdout ?? ''}`.trim() || String(run.error ?? '') };
}

function removeLan(): void {
  ip('link', 'del', HOST_LINK);
  ip('netns', 'del', NAMESPACE);
}

/** Makes the LAN, or says why it cannot be made here. */
function makeLan(): string | null {
  if (process.getuid?.() !== 0) return 'it needs root to create a network namespace (CI runs as root)';
  if (spawnSync('ip', ['-V']).error) return 'it needs the `ip` command (Debian package iproute2)';
  removeLan(); // a namespace left behind by an earlier run that was killed
  const steps: string[][] = [
    ['netns', 'add', NAMESPACE],
    ['link', 'add', HOST_LINK, 'type', 'veth', 'peer', 'name', LAN_LINK],
    ['link', 'set', LAN_LINK, 'netns', NAMESPACE],
    ['addr', 'add', `${SERVER_ADDRESS}/24`, 'dev', HOST_LINK],
    ['link', 'set', HOST_LINK, 'up'],
    ['-n', NAMESPACE, 'addr', 'add', `${TABLET_ADDRESS}/24`, 'dev', LAN_LINK],
    ['-n', NAMESPACE, 'link', 'set', LAN_LINK, 'up'],
    ['-n', NAMESPACE, 'link', 'set', 'lo', 'up'],
  ];
  for (const step of steps) {
    const result = ip(...step);
    if (!result.ok) {
      removeLan();
      return `\`ip ${step.join(' ')}\` is not permitted here (${result.output})`;
    }
  }
  return null;
}

const skipReason = makeLan();
if (skipReason) console.warn(`tests/e2e/https-lan.test.ts skipped: ${skipReason}.`);
process.once('exit', () => {
  if (!skipReason) removeLan();
});

const milk = demoProduct('Whole milk 1 l');
const coffee = demoProduct('Ground coffee 250 g');
const dataDir = mkdtempSync(join(tmpdir(), 'perpetua-https-lan-'));
const wrapperDir = mkdtempSync(join(tmpdir(), 'perpetua-netns-chromium-'));
let server: RunningServer | null = null;
let browser: Browser | null = null;
let ports = { http: 0, https: 0 };

async function startShopServer(): Promise<RunningServer> {
  server = await startServer({
    host: [SERVER_ADDRESS, '127.0.0.1'],
    port: ports.http,
    // Only the addresses of this test's LAN: the machine's real LAN address stays out of the test.
    https: { port: ports.https, names: () => ({ dnsNames: ['localhost'], ipAddresses: [SERVER_ADDRESS, '127.0.0.1', '::1'] }) },
    dataDir,
    staticDir: 'dist',
    demo: true,
    logLevel: 'silent',
  });
  ports = { http: server.port, https: server.https?.port ?? 0 };
  return server;
}

/** base64 SHA-256 of the store CA's public key: what Chromium is told to trust. */
function storeCaKeyHash(): string {
  const ca = new X509Certificate(readFileSync(join(tlsDirOf(dataDir), 'store-ca.crt')));
  return createHash('sha256').update(ca.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/** Every sale the server stored, read from its own storage. */
async function serverSales(running: RunningServer): Promise<{ deviceId: string }[]> {
  const page = await running.storage.pullEvents(running.storeId, '0', 5000);
  return page.events.map((json) => JSON.parse(json) as { kind: string; deviceId: string }).filter((e) => e.kind === 'sale');
}

const meta = async (page: Page, key: string) => (await readStore<{ key: string; value: unknown }>(page, 'meta')).find((r) => r.key === key)?.value;

describe.skipIf(skipReason !== null)('a tablet on the shop’s network (a real non-loopback address)', () => {
  beforeAll(async () => {
    await startShopServer();
    const wrapper = join(wrapperDir, 'chromium-in-lan');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${NAMESPACE} ${CHROMIUM} "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await chromium.launch({ executablePath: wrapper, args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${storeCaKeyHash()}`] });
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    removeLan();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(wrapperDir, { recursive: true, force: true });
  });

  it('sets up from the setup link over HTTPS with only the store CA trusted, sells, and syncs after working offline', async () => {
    const running = server as RunningServer;
    const context = await (browser as Browser).newContext({ viewport: TABLET, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[page error]', error.message));

    // What the QR code in the console says, opened on the tablet.
    const setupLink = running.setupUrl;
    expect(setupLink).toBe(`http://${SERVER_ADDRESS}:${ports.http}/setup?code=${running.setupCode}`);
    const opened = performance.now();
    await page.goto(setupLink);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set up this device for Demo grocery');
    await page.getByRole('link', { name: 'Open Perpetua and pair this device' }).click();

    await page.waitForSelector('.app', { timeout: 60_000 });
    expect(new URL(page.url()).origin).toBe(`https://${SERVER_ADDRESS}:${ports.https}`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000, polling: 100 });
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(await page.evaluate(() => typeof navigator.mediaDevices?.getUserMedia)).toBe('function');
    // Paired by the code in the link (the setup code: the owner's device), then the catalog pulled.
    await expect.poll(() => meta(page, 'deviceToken'), { timeout: 30_000 }).toEqual(expect.any(String));
    await expect.poll(() => meta(page, 'lastSyncAt'), { timeout: 30_000 }).toEqual(expect.any(String));
    expect(await meta(page, 'deviceRole')).toBe('owner');
    const deviceId = String(await meta(page, 'deviceId'));
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
    await payExactCash(page);
    const firstSaleSeconds = (performance.now() - opened) / 1000;
    console.log(`A new tablet, from opening the setup link to its first sale: ${firstSaleSeconds.toFixed(1)} s (test steps: setup page, open the app over HTTPS, pair, first sync, scan, pay).`);
    await page.getByRole('button', { name: 'New sale' }).click();
    await expect.poll(async () => (await serverSales(running)).filter((s) => s.deviceId === deviceId).length, { timeout: 30_000 }).toBe(1);

    // The server goes away; the app still opens from its service worker and sells.
    await running.close();
    server = null;
    await page.reload();
    await page.waitForSelector('.app', { timeout: 30_000 });
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
    await payExactCash(page);
    await page.getByRole('button', { name: 'New sale' }).click();

    // Back on the same port and data: the offline sale reaches it.
    const restarted = await startShopServer();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await serverSales(restarted)).filter((s) => s.deviceId === deviceId).length, { timeout: 60_000 }).toBe(2);

    // This tablet is the owner's: its next pairing code comes with the setup QR code for the next device.
    await page.goto(`https://${SERVER_ADDRESS}:${ports.https}/#/settings`);
    await page.getByRole('button', { name: 'Create pairing code' }).click();
    const code = await page.getByTestId('pairing-code').textContent();
    const qr = page.getByTestId('setup-qr');
    await qr.locator('svg').waitFor();
    expect(await qr.getByRole('link').getAttribute('href')).toBe(`http://${SERVER_ADDRESS}:${ports.http}/setup?code=${code}`);
    await context.close();
  });

  it('sends plain HTTP from the LAN to the setup page, while the server’s own computer keeps the app', async () => {
    const context = await (browser as Browser).newContext({ viewport: TABLET, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`http://${SERVER_ADDRESS}:${ports.http}/`);
    expect(new URL(page.url()).pathname).toBe('/setup');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Set up this device for Demo grocery');
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    await context.close();

    // The server's own computer, on loopback: a browser outside the namespace gets the app.
    const local = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const localPage = await local.newPage();
      await localPage.goto(`http://127.0.0.1:${ports.http}/`);
      await localPage.waitForSelector('.app', { timeout: 60_000 });
      expect(new URL(localPage.url()).pathname).toBe('/');
    } finally {
      await local.close();
    }
  });
});
