/**
 * Transfers: send from the shop floor to the back room, receive fewer than were sent at the other
 * end, and check stock, the value left in transit and the journal by folding the device's events
 * with the domain Books in Node. Numbers worked out by hand from src/domain/demo-store.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { Books } from '../../src/domain/books/index.ts';
import { transfers } from '../../src/domain/transfers.ts';
import { appPerTest } from './app-per-test.ts';
import { FLOOR, demoProduct, onHandOf, readStore, wedgeScan } from './harness.ts';
import { balanceOf, journalEntryOf, trialBalance } from '../../src/domain/journal.ts';

const BACK = DEMO_LOCATIONS[1].id;
const product = demoProduct;
const milk = product('Whole milk 1 l'); // floor 48, back 96, at 0.71
const butter = product('Salted butter 250 g'); // floor 24, back 48, at 1.65

const app = appPerTest({ path: '/#/transfers' });
let page: Page;
// Short names for this test's app (see app-per-test.ts).
beforeEach(async () => {
  ({ page } = app);
  await page.getByRole('heading', { name: 'Transfers', level: 1 }).waitFor();
});

const events = () => readStore<LedgerEvent>(page, 'events');
const fold = async () => Books.fromEvents(await events(), { valuation: 'fifo' });
const kinds = async () => (await events()).map((e) => e.kind).filter((k) => k !== 'product-defined' && k !== 'opening-balance');

describe('transfers', () => {
  it('sends stock, receives it short at the other end, and shows the discrepancy', async () => {
    const inventoryBefore = (await fold()).inventoryValue();
    await page.getByRole('button', { name: 'Send stock to another location' }).click();
    await page.getByLabel('Send to').selectOption(BACK);
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await page.getByLabel('Add a product: search or scan').fill(butter.name);
    await page.getByRole('button', { name: new RegExp(`^${butter.name}`) }).click();
    await page.getByLabel(`Quantity of ${milk.name}`).fill('10');
    await page.getByLabel(`Quantity of ${butter.name}`).fill('5');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('transfer-status').first().textContent()).toBe('In transit');

    const out = (await events()).find((e) => e.kind === 'transfer-out');
    expect(out?.kind === 'transfer-out' && out).toMatchObject({
      locationId: FLOOR,
      toLocationId: BACK,
      lines: [
        { productId: milk.id, qty: 10 },
        { productId: butter.id, qty: 5 },
      ],
    });
    expect(out?.kind === 'transfer-out' && out.transferId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(38);
    // On its way, not missing, until it is received (issue 14, item 9).
    expect(await page.locator(`li[data-transfer-id] tr[data-product-id="${milk.id}"] [data-testid="discrepancy"]`).textContent()).toBe('10 in transit');

    // At the other end (this device moves to the back room), 8 milk and all 5 butter arrive.
    await page.getByRole('button', { name: 'This device is now at Back room' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Move to Back room' }).click();
    await expect.poll(() => page.getByTestId('device-location').textContent()).toBe('Back room');
    await page.getByRole('button', { name: 'Receive here' }).click();
    await expect.poll(() => page.getByLabel(`Quantity of ${milk.name}`).inputValue()).toBe('10');
    await page.getByLabel(`Quantity of ${milk.name}`).fill('8');
    await page.getByRole('button', { name: 'Record what arrived' }).click();
    await expect.poll(() => page.getByTestId('transfer-status').first().textContent()).toBe('Partly received');
    expect(await page.getByTestId('transfer-discrepancies').textContent()).toContain(`${milk.name}: sent 10, received 8 (2 missing`);
    expect(await page.locator(`li[data-transfer-id] tr[data-product-id="${milk.id}"] [data-testid="discrepancy"]`).textContent()).toBe('2 missing');

    const incoming = (await events()).find((e) => e.kind === 'transfer-in');
    expect(incoming?.kind === 'transfer-in' && incoming).toMatchObject({
      locationId: BACK,
      fromLocationId: FLOOR,
      transferId: out?.kind === 'transfer-out' ? out.transferId : 'missing',
      lines: [
        { productId: milk.id, qty: 8 },
        { productId: butter.id, qty: 5 },
      ],
    });

    const ledger = await fold();
    expect(ledger.onHand(milk.id, FLOOR)).toBe(38);
    expect(ledger.onHand(milk.id, BACK)).toBe(104);
    expect(ledger.onHand(butter.id, FLOOR)).toBe(19);
    expect(ledger.onHand(butter.id, BACK)).toBe(53);
    expect(await onHandOf(page, milk.id, BACK)).toBe(104);
    // Out: 10 × 0.71 + 5 × 1.65 = 15.35 into transit; in: 8 × 0.71 + 5 × 1.65 = 13.93 out of it.
    const sum = (eventId: string, code: string, side: 'debit' | 'credit') =>
      journalEntryOf(ledger, eventId)?.lines.filter((l) => l.code === code).reduce((s, l) => s + l[side], 0);
    expect(sum(out?.id ?? '', '1210', 'debit')).toBe(1535);
    expect(sum(out?.id ?? '', '1200', 'credit')).toBe(1535);
    expect(sum(incoming?.id ?? '', '1200', 'debit')).toBe(1393);
    expect(sum(incoming?.id ?? '', '1210', 'credit')).toBe(1393);
    expect(balanceOf(ledger, 'inventoryInTransit')).toBe(142);
    expect(inventoryBefore - ledger.inventoryValue()).toBe(142);
    const trial = trialBalance(ledger);
    expect(trial.totalDebit).toBe(trial.totalCredit);
    const [view] = transfers(ledger);
    expect(view?.status).toBe('partially-received');
    expect(view?.lines.find((l) => l.productId === milk.id)).toMatchObject({ sent: 10, received: 8, discrepancy: 2, valueInTransit: 142 });
  });

  it('refuses to send more than is on hand, or "abc", and records nothing', async () => {
    const before = await kinds();
    await page.getByRole('button', { name: 'Send stock to another location' }).click();
    await page.getByLabel('Add a product: search or scan').fill(milk.name);
    await page.getByRole('button', { name: new RegExp(`^${milk.name}`) }).click();
    await page.getByLabel(`Quantity of ${milk.name}`).fill('49');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('transfer-errors').textContent()).toContain('only 48 on hand at Shop floor');
    await page.getByLabel(`Quantity of ${milk.name}`).fill('abc');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('transfer-errors').textContent()).toContain('"abc" is not a quantity');
    expect(await kinds()).toEqual(before);
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(48);
  });
});
