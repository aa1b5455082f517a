/**
 * The setup page stays the server's, even in a browser where the app's service worker already
 * controls the origin (the owner's device, a tablet set up before): the worker serves the app shell
 * for every other page, and would otherwise show the app instead of the certificate steps.
 */
import { describe, expect, it } from 'vitest';
import { appPerTest } from './app-per-test.ts';

const app = appPerTest();

describe('the setup page', () => {
  it('comes from the server, not the service worker’s app shell', async () => {
    const { page, server } = app;
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.goto(`${server.url}/setup`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Set up this device for /);
    expect(await page.locator('.app').count()).toBe(0);
    await page.goto(`${server.url}/#/sell`);
    await page.waitForSelector('.app');
  });
});
