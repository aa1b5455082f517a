/**
 * The device's one writer in the real app (src/db/ledger-writer.ts): the sequence number and clock
 * live in memory and are restored from the ledger, so a browser killed in the middle of a sale
 * loses nothing and never hands out a number twice; and two tabs never both record (Web Lock).
 * Build first: `npx vite build`.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import { AppServer, TABLET, launchBrowser, openApp, payExactCash, readStore, wedgeScan } from './harness.ts';
import { profilePerTest } from './app-per-test.ts';

const milk = DEMO_PRODUCTS.find((p) => p.name === 'Whole milk 1 l');
const MILK = milk?.barcodes[0] ?? '';

interface OwnEvent {
  id: string;
  kind: string;
  deviceId: string;
  seq: number;
}

/** This device's own events (not the demo seed), by seq, and its unsent rows. */
async function ownLedger(page: Page): Promise<{ events: OwnEvent[]; unsent: { seq: number; eventId: string }[] }> {
  const [deviceRow] = (await readStore<{ key: string; value: unknown }>(page, 'meta')).filter((row) => row.key === 'deviceId');
  const events = (await readStore<OwnEvent>(page, 'events')).filter((e) => e.deviceId === deviceRow?.value).sort((a, b) => a.seq - b.seq);
  const unsent = (await readStore<{ seq: number; eventId: string }>(page, 'unsent')).sort((a, b) => a.seq - b.seq);
  return { events, unsent };
}

/** Gap-free and unique from 1, and the outbox holds exactly those events under the same numbers. */
function expectConsistent(ledger: Awaited<ReturnType<typeof ownLedger>>): void {
  expect(ledger.events.map((e) => e.seq)).toEqual(ledger.events.map((_, i) => i + 1));
  expect(ledger.unsent.map((row) => [row.seq, row.eventId])).toEqual(ledger.events.map((e) => [e.seq, e.id]));
}

async function sell(page: Page): Promise<void> {
  await wedgeScan(page, MILK);
  await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
  await payExactCash(page);
  await page.getByRole('button', { name: 'New sale' }).click();
}

describe('a browser killed in the middle of a sale', () => {
  const env = profilePerTest('perpetua-e2e-crash-');
  const { server, launch } = env;
  let context: BrowserContext;

  /** The Chromium browser process of this profile, started by this test: SIGKILL, as a power cut would stop it. */
  const killBrowser = () => {
    const processes = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
    const main = processes.find((line) => line.includes(`--user-data-dir=${env.profile}`) && !line.includes('--type='));
    const pid = Number(main?.trim().split(/\s+/)[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no Chromium process found for ${env.profile}`);
    process.kill(pid, 'SIGKILL');
  };

  it('keeps the sequence gap-free and unique, and the outbox in step with the events, across kills', async () => {
    context = await launch();
    let page = await openApp(context, server.url);
    // Offline from here: sync would empty the outbox, and this test compares it with the events.
    await server.stop();
    await sell(page);
    await sell(page);

    // Kill the browser while the sale's transaction is in flight, then right after it reports back.
    for (const delayMs of [0, 15]) {
      await wedgeScan(page, MILK);
      await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.getByRole('button', { name: 'Exact cash' }).click();
      const completing = page.getByRole('button', { name: 'Complete sale' }).click().catch(() => undefined);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      killBrowser();
      await completing;
      await context.close().catch(() => undefined);

      // Reopen on the same profile (the service worker serves the app offline) and sell again.
      context = await launch();
      page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('.app', { timeout: 60_000 });
      const afterCrash = await ownLedger(page);
      expectConsistent(afterCrash);
      await sell(page);
      const after = await ownLedger(page);
      expectConsistent(after);
      expect(after.events).toHaveLength(afterCrash.events.length + 1);
      expect(after.events.at(-1)?.seq).toBe(afterCrash.events.length + 1);
    }
    // 2 sales, then per round: the killed one (committed or not) and one more.
    const { events } = await ownLedger(page);
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events.length).toBeLessThanOrEqual(6);
    expect(events.every((e) => e.kind === 'sale')).toBe(true);
  }, 240_000);

  it('never offers a recorded sale for payment again: its cart goes in the sale\'s own transaction (issue 14, item 16)', async () => {
    context = await launch();
    // Once armed, the page stops dead the moment the sale's transaction (events + unsent) commits,
    // before it runs another line: nothing written after the sale can reach the disk before the kill.
    await context.addInitScript(() => {
      const original = IDBDatabase.prototype.transaction;
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
        const transaction = original.apply(this, args);
        const names = typeof args[0] === 'string' ? [args[0]] : [...args[0]];
        const armed = (window as { freezeAfterSale?: boolean }).freezeAfterSale === true;
        if (armed && args[1] === 'readwrite' && names.includes('events') && names.includes('unsent')) {
          transaction.addEventListener('complete', () => {
            console.log('sale-committed');
            const until = Date.now() + 60_000;
            while (Date.now() < until) {
              // Frozen until the browser is killed.
            }
          });
        }
        return transaction;
      };
    });
    let page = await openApp(context, server.url);
    await server.stop();
    await wedgeScan(page, MILK);
    await expect.poll(() => page.locator('.cart-line').count()).toBe(1);
    // The cart in progress is saved, as it must be to survive a crash before the sale.
    await expect.poll(async () => (await readStore<{ key: string; value: { lines: unknown[] } }>(page, 'meta')).find((row) => row.key === 'cart')?.value.lines.length).toBe(1);
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    const committed = page.waitForEvent('console', { predicate: (message) => message.text() === 'sale-committed', timeout: 30_000 });
    await page.evaluate(() => ((window as { freezeAfterSale?: boolean }).freezeAfterSale = true));
    void page.getByRole('button', { name: 'Complete sale' }).click().catch(() => undefined);
    await committed;
    killBrowser();
    await context.close().catch(() => undefined);

    context = await launch();
    page = await context.newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-scanner-ready="true"]', { state: 'attached', timeout: 60_000 });
    const { events } = await ownLedger(page);
    expect(events.map((e) => e.kind)).toEqual(['sale']);
    // The saved cart went with the sale: nothing to restore, nothing to pay for twice.
    const savedCart = (await readStore<{ key: string; value: { lines: unknown[] } }>(page, 'meta')).find((row) => row.key === 'cart');
    expect(savedCart?.value.lines ?? []).toEqual([]);
    await page.waitForTimeout(500);
    expect(await page.locator('.cart-line').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Pay / }).isDisabled()).toBe(true);
  }, 240_000);
});

describe('two tabs of the app', () => {
  const server = new AppServer();
  let context: BrowserContext;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeEach(async () => {
    await server.start();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: TABLET, locale: 'en-US' });
  });
  afterEach(async () => {
    await context?.close();
    await browser?.close();
    await server.dispose();
  });

  const notice = (page: Page) => page.getByTestId('writer-notice');

  it('never both record: the second tab is read-only and says so, until it takes over or the first closes', async () => {
    const first = await openApp(context, server.url);
    await sell(first);
    const second = await context.newPage();
    await second.goto(server.url);
    await second.waitForSelector('.app');
    await expect.poll(() => notice(second).getAttribute('data-state')).toBe('other-tab');
    expect(await notice(second).textContent()).toContain('Perpetua is open in another tab');
    expect(await notice(first).count()).toBe(0);

    // A sale in the read-only tab is refused, in words, and nothing is written.
    await wedgeScan(second, MILK);
    await expect.poll(() => second.locator('.cart-line').count()).toBe(1);
    await second.getByRole('button', { name: /^Pay / }).click();
    await second.getByRole('button', { name: 'Exact cash' }).click();
    await second.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => second.locator('[role="dialog"] [role="alert"]').first().textContent()).toContain('NOT recorded: Perpetua is open in another tab');
    expect((await ownLedger(first)).events).toHaveLength(1);
    await second.getByRole('button', { name: 'Back to cart' }).click();

    // "Use Perpetua here": the second tab records, the first becomes read-only and says so.
    await second.getByRole('button', { name: 'Use Perpetua here' }).click();
    await expect.poll(() => notice(second).count()).toBe(0);
    await expect.poll(() => notice(first).getAttribute('data-state')).toBe('taken-over');
    expect(await notice(first).textContent()).toContain('Perpetua is now in use in another tab');
    await payExactCash(second);
    await second.getByRole('button', { name: 'New sale' }).click();

    // The first tab cannot record now.
    await wedgeScan(first, MILK);
    await expect.poll(() => first.locator('.cart-line').count()).toBe(1);
    await first.getByRole('button', { name: /^Pay / }).click();
    await first.getByRole('button', { name: 'Exact cash' }).click();
    await first.getByRole('button', { name: 'Complete sale' }).click();
    await expect.poll(() => first.locator('[role="dialog"] [role="alert"]').first().textContent()).toContain('NOT recorded: Perpetua is now in use in another tab');
    await first.getByRole('button', { name: 'Back to cart' }).click();

    // The second tab closes: the first takes over by itself, continuing the sequence.
    await second.close();
    await expect.poll(() => notice(first).count(), { timeout: 10_000 }).toBe(0);
    await payExactCash(first);
    const sales = (await ownLedger(first)).events.filter((e) => e.kind === 'sale');
    expect(sales.map((e) => e.seq)).toEqual([1, 2, 3]);
  }, 180_000);

  it('never give two sales one receipt number, and leave no gap, when the writer moves between them (issue 14, item 5)', async () => {
    const first = await openApp(context, server.url);
    await sell(first);
    // An event that is not a sale between the sales: a shift opened in the first tab.
    await first.goto(`${server.url}/#/shift`);
    await first.getByLabel(/Float in the drawer/).fill('50');
    await first.getByRole('button', { name: 'Open shift' }).click();
    await expect.poll(async () => (await ownLedger(first)).events.map((e) => e.kind)).toEqual(['sale', 'shift-opened']);
    await first.goto(`${server.url}/#/sell`);

    // The second tab takes over and sells; then it closes and the first sells again.
    const second = await context.newPage();
    await second.goto(server.url);
    await second.waitForSelector('.app');
    await second.getByRole('button', { name: 'Use Perpetua here' }).click();
    await expect.poll(() => notice(first).getAttribute('data-state')).toBe('taken-over');
    await sell(second);
    await second.close();
    await expect.poll(() => notice(first).count(), { timeout: 10_000 }).toBe(0);
    await sell(first);

    const events = (await readStore<OwnEvent & { receiptNo?: string }>(first, 'events')).filter((e) => e.kind === 'sale').sort((a, b) => a.seq - b.seq);
    const code = (events[0]?.receiptNo ?? '').replace(/-\d+$/, '');
    expect(events.map((e) => e.receiptNo)).toEqual([`${code}-1`, `${code}-2`, `${code}-3`]);
    expect(events.map((e) => e.seq)).toEqual([1, 3, 4]);
  }, 180_000);
});
