/**
 * Locations: the owner adds a warehouse in Settings and renames it; it becomes a destination in
 * Transfers and a column on the Stock screen without a reload, and an empty or taken name is
 * refused next to the field.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { appPerTest } from './app-per-test.ts';
import { readStore } from './harness.ts';

const app = appPerTest({ path: '/#/settings' });
let page: Page;
beforeEach(async () => {
  ({ page } = app);
  await page.getByRole('heading', { name: 'Locations', level: 2 }).waitFor();
});

const locationEvents = async () => (await readStore<LedgerEvent>(page, 'events')).filter((e) => e.kind === 'location-defined');
const listed = () => page.getByTestId('location-list').locator('.location-name').allTextContents();
const alert = () => page.locator('.locations [role="alert"]').textContent();

describe('locations', () => {
  it('the owner adds and renames a location, and Transfers and Stock offer it', async () => {
    expect(await listed()).toEqual(['Shop floor', 'Back room']);

    await page.getByLabel('New location name').fill('  Warehouse ');
    await page.getByRole('button', { name: 'Add location' }).click();
    await expect.poll(listed).toEqual(['Shop floor', 'Back room', 'Warehouse']);
    // The field clears once the command has finished (after the backup copy), which can be a
    // render after the list shows the new location: polled, as every state here is.
    await expect.poll(() => page.getByLabel('New location name').inputValue()).toBe('');
    const [added] = await locationEvents();
    expect(added?.kind === 'location-defined' && added.location).toEqual({ id: expect.stringMatching(/^loc-[0-9a-f]{8}-[0-9a-f]{4}-7/), name: 'Warehouse' });
    const id = added?.kind === 'location-defined' ? added.location.id : '';
    expect(await readStore(page, 'locations')).toContainEqual(expect.objectContaining({ id, name: 'Warehouse' }));

    // Renaming to a name taken (whatever the case) is refused, then to a free name accepted.
    await page.getByRole('button', { name: 'Rename Warehouse' }).click();
    await page.getByLabel('New name for Warehouse').fill('back room');
    await page.getByRole('button', { name: 'Save name' }).click();
    expect(await alert()).toBe('There is already a location called “Back room”.');
    expect(await page.getByLabel('New name for Warehouse').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('New name for Warehouse').fill('Main warehouse');
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect.poll(listed).toEqual(['Shop floor', 'Back room', 'Main warehouse']);
    expect((await locationEvents()).map((e) => e.kind === 'location-defined' && e.location)).toEqual([
      { id, name: 'Warehouse' },
      { id, name: 'Main warehouse' },
    ]);
    // The device's own location choice lists it too.
    expect(await page.getByLabel('This device sells from').locator('option').allTextContents()).toContain('Main warehouse');

    await page.getByRole('link', { name: 'Stock' }).click();
    await expect.poll(() => page.locator('.stock-table thead th').allTextContents()).toContain('Main warehouse');

    await page.goto(`${app.server.url}/#/transfers`);
    await page.getByRole('button', { name: 'Send stock to another location' }).click();
    const destinations = page.getByLabel('Send to').locator('option');
    expect(await destinations.allTextContents()).toEqual(['Back room', 'Main warehouse']);
    await page.getByLabel('Send to').selectOption(id);
  });

  it('refuses an empty name or one the store has, with a message by the field', async () => {
    await page.getByRole('button', { name: 'Add location' }).click();
    expect(await alert()).toBe('Enter a name for the location.');
    await page.getByLabel('New location name').fill('   ');
    await page.getByRole('button', { name: 'Add location' }).click();
    expect(await alert()).toBe('Enter a name for the location.');
    await page.getByLabel('New location name').fill(' SHOP FLOOR');
    await page.getByRole('button', { name: 'Add location' }).click();
    expect(await alert()).toBe('There is already a location called “Shop floor”.');
    expect(await locationEvents()).toEqual([]);
    expect(await listed()).toEqual(['Shop floor', 'Back room']);
  });
});
