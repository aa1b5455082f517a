/**
 * Device revocation in the browser (issue 17, item 6): the owner pairs a staff till, sees it on the
 * Devices screen, revokes it after a confirmation naming it; the till's next sync says it was
 * removed by the owner, and keeps its sales. Screenshots go to .tmp/shots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { devicesPerTest } from './app-per-test.ts';
import { PHONE, TABLET, noHorizontalOverflow, openApp, pairDevice, payExactCash, readLedger, seriousViolations, wedgeScan } from './harness.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/shots');
mkdirSync(SHOTS, { recursive: true });

const devices = devicesPerTest();

const OIL = { name: 'Olive oil 750 ml', sku: 'OIL-750', barcode: '5012345678900' };
const CATALOG = `name,sku,barcode,price,cost,tax,unit\n${OIL.name},${OIL.sku},${OIL.barcode},12.95,7.10,23,each\n`;

async function atBothSizes(page: Page, name: string): Promise<void> {
  for (const size of [PHONE, TABLET]) {
    await page.setViewportSize(size);
    expect(await noHorizontalOverflow(page), `${name} at ${size.width}`).toBe(true);
    expect(await seriousViolations(page), `${name} at ${size.width}`).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/${name}-${size.width}x${size.height}.png` });
  }
}

async function syncNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sync now' }).click();
}

describe('Devices', () => {
  it('the owner revokes a staff till; the till’s next sync says it was removed, and its sales stay', async () => {
    const server = await devices.server({ demo: false });
    const owner = await openApp(await devices.device(TABLET), server.url, '/#/settings');
    await pairDevice(owner, server.server.setupCode ?? '', 'Office');
    // A one-product catalog, so the till has something to sell.
    await owner.getByLabel('Product list (CSV)').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(CATALOG) });
    await expect.poll(() => owner.getByTestId('import-result').textContent()).toContain('Imported 1 product');
    await syncNow(owner);
    await expect.poll(() => owner.getByTestId('pending-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    await owner.getByRole('button', { name: 'Create pairing code' }).click();
    const code = (await owner.getByTestId('pairing-code').textContent()) ?? '';

    const till = await openApp(await devices.device(TABLET), server.url, '/#/settings');
    await pairDevice(till, code, 'Till 2');
    await syncNow(till);
    await expect.poll(() => till.getByTestId('network-status').getAttribute('data-connection'), { timeout: 30_000 }).toBe('online');
    // The till has the owner's catalog before it is revoked.
    await till.goto(`${server.url}/#/sell`);
    const tile = till.locator('.product-tile').filter({ hasText: OIL.name });
    await expect
      .poll(
        async () => {
          const found = await tile.count();
          if (found === 0) await syncNow(till);
          return found;
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBeGreaterThan(0);

    // A staff device is told why it sees no list.
    await till.goto(`${server.url}/#/devices`);
    await expect.poll(() => till.getByTestId('devices-not-owner').textContent()).toContain('Only the owner’s device');

    await owner.goto(`${server.url}/#/devices`);
    const rows = owner.getByTestId('device-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const tillRow = owner.locator('[data-testid="device-row"]', { hasText: 'Till 2' });
    expect(await tillRow.getByTestId('device-last-sync').textContent()).toBe('just now');
    expect(await tillRow.getByTestId('device-status').textContent()).toBe('Paired');
    expect(await owner.locator('[data-testid="device-row"]', { hasText: 'Office' }).textContent()).toContain('(this device)');
    // The owner's own device has no Revoke button.
    expect(await owner.getByRole('button', { name: 'Revoke Office' }).count()).toBe(0);
    await atBothSizes(owner, 'devices');

    await owner.getByRole('button', { name: 'Revoke Till 2' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Revoke “Till 2”?' });
    await dialog.waitFor();
    await atBothSizes(owner, 'devices-confirm');
    await dialog.getByRole('button', { name: 'Revoke Till 2' }).click();
    await expect.poll(() => owner.getByTestId('devices-done').textContent()).toBe('Revoked. The server never received 0 of its events.');
    expect(await tillRow.getAttribute('data-revoked')).toBe('true');
    expect(await tillRow.getByTestId('device-status').textContent()).toMatch(/^Revoked /);
    await atBothSizes(owner, 'devices-revoked');

    // The till sells, then syncs: the server refuses it, the status bar says why, the sale stays.
    await till.goto(`${server.url}/#/sell`);
    await tile.waitFor({ timeout: 30_000 });
    await wedgeScan(till, OIL.barcode);
    await payExactCash(till);
    await till.getByRole('button', { name: 'New sale' }).click();
    await syncNow(till);
    const status = till.getByTestId('network-status');
    await expect.poll(() => status.getAttribute('data-connection'), { timeout: 30_000 }).toBe('revoked');
    expect(await status.textContent()).toContain('This device was removed from the store by the owner');
    expect(await status.textContent()).toContain('Its sales stay here: ask the owner for a pairing code and pair it again in Settings.');

    expect(await till.getByTestId('pending-count').getAttribute('data-count')).toBe('1');
    expect((await readLedger(till)).filter((e) => e.kind === 'sale')).toHaveLength(1);
    await till.goto(`${server.url}/#/settings`);
    await expect.poll(() => till.getByTestId('sync-enrolled').textContent()).toContain('removed from the store by the owner');
    expect(await till.getByTestId('sync-panel-error').textContent()).toContain('Nothing on it was deleted');
    await atBothSizes(till, 'devices-till-revoked');

    // Offline, the owner is told plainly that the list needs the network.
    await owner.context().setOffline(true);
    await expect.poll(() => owner.getByTestId('devices-offline').textContent()).toContain('This device is offline');
    await atBothSizes(owner, 'devices-offline');
  }, 180_000);
});
