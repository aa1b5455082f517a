/**
 * Chrome must consider the app installable, and axe-core must find no serious or critical
 * accessibility violation on any screen, at tablet and phone sizes.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AppServer, CHROMIUM, CHROMIUM_ARGS, PHONE, TABLET, launchBrowser, openApp, scrollThroughToday, wedgeScan } from './harness.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated, not an inline <script>: the server's Content-Security-Policy refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

let browser: Browser;
let server: AppServer;

beforeAll(async () => {
  browser = await launchBrowser();
  server = new AppServer();
  await server.start();
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('a new version deployed', () => {
  it('offers "New version ready: reload", and the new service worker takes over after the tap', async () => {
    // Its own copy of the built app, so the "deploy" touches no other test's files.
    const site = mkdtempSync(join(tmpdir(), 'perpetua-deploy-'));
    cpSync('dist', site, { recursive: true });
    const deployed = new AppServer({ staticDir: site });
    await deployed.start();
    const context = await browser.newContext({ viewport: TABLET, locale: 'en-US' });
    try {
      const page = await openApp(context, deployed.url);
      // The cashier's next day: the app opens under the worker installed on the first visit.
      await page.reload();
      await page.waitForSelector('.app');
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      const firstWorker = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL ?? null);
      expect(firstWorker).toMatch(/sw\.js$/);
      expect(await page.getByRole('button', { name: 'New version ready: reload' }).count()).toBe(0);

      // Deploy: a changed service worker script, found when the browser checks for updates.
      appendFileSync(join(site, 'sw.js'), '\n// deployed again\n');
      await page.evaluate(() => (window as unknown as { beforeUpdate: boolean }).beforeUpdate = true);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      const prompt = page.getByRole('button', { name: 'New version ready: reload' });
      await prompt.waitFor({ timeout: 60_000 });
      // The new worker waits for the cashier: nothing reloads under a sale in progress.
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBe(true);

      await prompt.click();
      // The page reloads under the new worker: the marker set before is gone, nothing waits any more.
      await expect.poll(() => page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate ?? false), { timeout: 60_000 }).toBe(false);
      await page.waitForSelector('.app');
      await expect
        .poll(() => page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return registration?.waiting === null && navigator.serviceWorker.controller !== null;
        }), { timeout: 30_000 })
        .toBe(true);
      expect(await page.getByRole('button', { name: 'New version ready: reload' }).count()).toBe(0);
    } finally {
      await context.close();
      await deployed.dispose();
      rmSync(site, { recursive: true, force: true });
    }
  });
});

describe('installable PWA', () => {
  it('Chrome reports no installability errors', async () => {
    // A persistent profile: Chrome never offers to install from an incognito (throwaway) context.
    const profile = mkdtempSync(join(tmpdir(), 'perpetua-profile-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: TABLET });
    const page = await openApp(context, server.url);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toContain('manifest.webmanifest');
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('the service worker is one classic script that parses (no chunk loader, no import.meta)', () => {
    // A dynamic import reachable from the worker's code once brought Vite's chunk loader into it: the
    // browser then refused to register it, and no later load was served offline.
    const code = readFileSync(join(import.meta.dirname, '../../dist/sw.js'), 'utf8');
    expect(() => new Script(code, { filename: 'sw.js' })).not.toThrow();
    expect(code).not.toContain('import.meta');
  });
});

const SCREENS = ['sell', 'today', 'lookup', 'stock', 'sales', 'receive', 'count', 'returns', 'transfers', 'shift', 'exports', 'settings', 'more'];

describe.each([
  ['tablet', TABLET],
  ['phone', PHONE],
])('accessibility at %s size', (_name, viewport) => {
  it.each(SCREENS)('%s screen has no serious or critical axe violation', async (screen) => {
    const context = await browser.newContext({ viewport });
    const page = await openApp(context, server.url, `/#/${screen}`);
    if (screen === 'sell') await wedgeScan(page, DEMO_PRODUCTS[0]?.barcodes[0] ?? '');
    if (screen === 'sales') {
      await page.goto(`${server.url}/#/sell`);
      await wedgeScan(page, DEMO_PRODUCTS[0]?.barcodes[0] ?? '');
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.getByRole('button', { name: 'Exact cash' }).click();
      await page.getByRole('button', { name: 'Complete sale' }).click();
      await page.getByRole('button', { name: 'New sale' }).click();
      await page.goto(`${server.url}/#/sales`);
      await page.locator('.sale-row').first().click();
    }
    // The owner's home draws its parts once the books are read, each as the page scrolls to it.
    if (screen === 'today') await scrollThroughToday(page);
    if (screen === 'settings') {
      // Protected storage settles from 'Checking…' to what the browser actually answers.
      const persistence = page.getByTestId('persistence');
      await expect.poll(() => persistence.textContent(), { timeout: 10_000 }).toMatch(/^(Granted|Not granted): /);
      const persisted = await page.evaluate(() => navigator.storage.persisted());
      expect(await persistence.textContent()).toMatch(persisted ? /^Granted: / : /^Not granted: /);
    }
    await page.waitForTimeout(300);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('the payment dialog has no serious or critical axe violation', async () => {
    const context = await browser.newContext({ viewport });
    const page = await openApp(context, server.url);
    await wedgeScan(page, DEMO_PRODUCTS[0]?.barcodes[0] ?? '');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByLabel('Cash received').fill('5');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('the void dialog, with "Other" and its text field, has no serious or critical axe violation (issue 14, item 6)', async () => {
    const context = await browser.newContext({ viewport });
    const page = await openApp(context, server.url);
    await wedgeScan(page, DEMO_PRODUCTS[0]?.barcodes[0] ?? '');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await page.getByRole('button', { name: 'New sale' }).click();
    await page.goto(`${server.url}/#/sales`);
    await page.locator('.sale-row').first().click();
    await page.getByRole('button', { name: 'Void sale' }).click();
    const dialog = page.getByRole('dialog', { name: /^Void receipt/ });
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('radio', { name: 'Other' }).check();
    await dialog.getByLabel('Other reason').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('the product edit form, with errors next to its fields, has no serious or critical axe violation', async () => {
    const context = await browser.newContext({ viewport });
    const product = DEMO_PRODUCTS[0];
    const page = await openApp(context, server.url, `/#/product?id=${product?.id ?? ''}`);
    await page.getByLabel('Selling price', { exact: true }).fill('abc');
    // Issue 16: the Buying fields, one with an error beside it.
    await page.getByLabel('Supplier', { exact: true }).fill('Dairy Co');
    await page.getByLabel(/^Pack size/).fill('a dozen');
    await page.getByLabel('Add a barcode (type or scan it)').fill(DEMO_PRODUCTS[1]?.barcodes[0] ?? '');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#product-edit-price-error').waitFor();
    await page.locator('#product-edit-pack-size-error').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('the settings’ Reordering section, with refused values beside their fields, has no serious or critical axe violation (issue 16)', async () => {
    const context = await browser.newContext({ viewport });
    const page = await openApp(context, server.url, '/#/settings');
    await page.getByLabel('Service level (%)').fill('42');
    await page.getByLabel('Default lead time (days)').fill('a week');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#store-serviceLevel-error').waitFor();
    await page.locator('#store-defaultLeadTimeDays-error').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('the locations editor, renaming with a refused name, has no serious or critical axe violation', async () => {
    const context = await browser.newContext({ viewport });
    const page = await openApp(context, server.url, '/#/settings');
    await page.getByRole('button', { name: 'Rename Back room' }).click();
    await page.getByLabel('New name for Back room').fill('shop floor');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.locator('.locations [role="alert"]').waitFor();
    await page.getByRole('button', { name: 'Add location' }).click();
    await expect.poll(() => page.locator('.locations [role="alert"]').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
