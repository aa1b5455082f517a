/**
 * The cashier's shift end to end: open with a float, take cash out to the safe, sell for cash (the
 * sale carries the shift's id), close with a counted total that is short, and read the Z report. The
 * expected figures are worked out by hand; the journal is checked by folding the stored events with
 * the domain Books in Node.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import type { EventOf, LedgerEvent } from '../../src/domain/events.ts';
import { Books } from '../../src/domain/books/index.ts';
import { appPerTest } from './app-per-test.ts';
import { AppServer, eur, readStore, wedgeScan } from './harness.ts';
import { balanceOf, trialBalance } from '../../src/domain/journal.ts';

const coffee = DEMO_PRODUCTS.find((p) => p.name === 'Ground coffee 250 g');
if (!coffee) throw new Error('demo product Ground coffee 250 g missing');
const COFFEE_PRICE = coffee.price; // 5.49

const app = appPerTest();
let server: AppServer;
let page: Page;
// Short names for this test's app (see app-per-test.ts).
beforeEach(async () => {
  ({ server, page } = app);
  await page.goto(`${server.url}/#/shift`);
  await page.locator('.shift-screen').waitFor();
});

const events = () => readStore<LedgerEvent>(page, 'events');
async function ofKind<K extends LedgerEvent['kind']>(kind: K): Promise<EventOf<K>[]> {
  return (await events()).filter((e): e is EventOf<K> => e.kind === kind);
}
const shiftStatus = () => page.locator('.shift-screen').getAttribute('data-shift-status');

describe('the cashier’s shift', () => {
  it('refuses a float that is not an amount and records nothing', async () => {
    await page.getByLabel(/Float in the drawer/).fill('abc');
    await page.getByRole('button', { name: 'Open shift' }).click();
    const alert = page.locator('.shift-screen [role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('"abc" is not an amount');
    expect(await alert.textContent()).toContain('The shift was not opened.');
    expect(await ofKind('shift-opened')).toHaveLength(0);
    expect(await shiftStatus()).toBe('closed');
  });

  it('refuses to take out more cash than the drawer should hold, and records nothing', async () => {
    await page.getByLabel(/Float in the drawer/).fill('154');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await expect.poll(shiftStatus).toBe('open');
    await page.getByLabel('Out of the drawer').check();
    await page.getByLabel(/^Amount/).fill('500');
    await page.getByLabel('Reason').fill('Bank');
    await page.getByRole('button', { name: 'Record cash out' }).click();
    await expect.poll(() => page.locator('.shift-screen').textContent()).toContain(`The drawer should hold only ${eur(15_400)}: take out at most that`);
    expect(await ofKind('cash-moved')).toHaveLength(0);
  });

  it('with a blind cash-up, hides what the drawer should hold until the count is entered (issue 14)', async () => {
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel(/Blind cash-up/).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.goto(`${server.url}/#/shift`);
    await page.getByLabel(/Float in the drawer/).fill('100');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await expect.poll(shiftStatus).toBe('open');
    // The X report says the cash-up is blind and shows no cash figure; not even a refused cash out tells.
    await page.getByTestId('blind-cash-up').waitFor();
    expect(await page.getByTestId('expected-cash').count()).toBe(0);
    expect(await page.getByTestId('report-cash-sales').count()).toBe(0);
    await page.getByLabel('Out of the drawer').check();
    await page.getByLabel(/^Amount/).fill('500');
    await page.getByLabel('Reason').fill('Bank');
    await page.getByRole('button', { name: 'Record cash out' }).click();
    await expect.poll(() => page.locator('.shift-screen [role="alert"]').textContent()).toContain('That is more than the drawer should hold: take out less');
    expect(await page.locator('.shift-screen').textContent()).not.toContain(eur(10_000));
    // The count entered, the Z report shows the expected cash and the difference.
    await page.getByLabel(/Cash counted in the drawer/).fill('99.50');
    await page.getByRole('button', { name: 'Close shift' }).click();
    await expect.poll(shiftStatus).toBe('closed');
    expect(await page.getByTestId('expected-cash').textContent()).toBe(eur(10_000));
    expect(await page.getByTestId('cash-difference').textContent()).toBe(`${eur(-50)}`);
  });

  it('asks to open a shift when paying on a till without one, and can open it there; or refuses, as the owner set (issue 14)', async () => {
    await page.goto(`${server.url}/#/sell`);
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await page.getByRole('button', { name: /^Pay / }).click();
    // Default: asked. Opening the shift from the dialog puts this sale into its drawer.
    await page.getByTestId('no-shift').waitFor();
    expect(await page.getByRole('button', { name: 'Complete sale without a shift' }).count()).toBe(1);
    await page.getByRole('dialog').getByLabel('Float in the drawer').fill('50');
    await page.getByRole('dialog').getByRole('button', { name: 'Open shift' }).click();
    await expect.poll(() => page.getByTestId('no-shift').count()).toBe(0);
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('button', { name: 'Complete sale', exact: true }).click();
    await page.getByRole('button', { name: 'New sale' }).click();
    const [opened] = await ofKind('shift-opened');
    const [sold] = await ofKind('sale');
    expect(opened?.float).toBe(5000);
    expect(sold?.shiftId).toBe(opened?.shiftId);

    // Closed again, and the owner now refuses sales without a shift: the dialog cannot complete one.
    await page.goto(`${server.url}/#/shift`);
    await page.getByLabel(/Cash counted in the drawer/).fill(String(50 + COFFEE_PRICE / 100));
    await page.getByRole('button', { name: 'Close shift' }).click();
    await expect.poll(shiftStatus).toBe('closed');
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('refuse it until a shift is open').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.goto(`${server.url}/#/sell`);
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await page.getByRole('button', { name: /^Pay / }).click();
    await expect.poll(() => page.getByTestId('no-shift').textContent()).toContain('this store needs one for every sale');
    await page.getByRole('button', { name: 'Exact cash' }).click();
    expect(await page.getByRole('button', { name: 'Complete sale' }).isDisabled()).toBe(true);
    expect(await ofKind('sale')).toHaveLength(1);
  });

  it('opens with a float, moves cash out, sells for cash, closes short, and the Z report shows it', async () => {
    await page.getByLabel(/Float in the drawer/).fill('100');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await expect.poll(shiftStatus).toBe('open');
    const [opened] = await ofKind('shift-opened');
    expect(opened?.float).toBe(10_000);
    const shiftId = opened?.shiftId;

    // 20.00 to the safe.
    await page.getByLabel('Out of the drawer').check();
    await page.getByLabel(/^Amount/).fill('20');
    await page.getByLabel('Reason').fill('Safe drop');
    await page.getByRole('button', { name: 'Record cash out' }).click();
    await expect.poll(async () => (await ofKind('cash-moved')).map((e) => [e.shiftId, e.amount, e.reason])).toEqual([[shiftId, -2000, 'Safe drop']]);
    await expect.poll(() => page.getByTestId('report-cash-out').textContent()).toBe(`−${eur(2000)}`);

    // A coffee paid with a 20 note: 5.49 goes into the drawer, the change comes back out.
    await page.goto(`${server.url}/#/sell`);
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(COFFEE_PRICE));
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByLabel('Cash received').fill('20');
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await page.getByRole('button', { name: 'New sale' }).click();
    const [sale] = await ofKind('sale');
    expect(sale?.shiftId).toBe(shiftId);

    // X report mid-shift: 100.00 + 5.49 − 20.00 = 85.49.
    const expected = 10_000 + COFFEE_PRICE - 2000;
    await page.goto(`${server.url}/#/shift`);
    await expect.poll(() => page.locator('.shift-report').getAttribute('data-report')).toBe('X');
    expect(await page.getByTestId('expected-cash').textContent()).toBe(eur(expected));
    expect(await page.getByTestId('report-cash-sales').textContent()).toBe(eur(COFFEE_PRICE));
    expect(await page.getByRole('button', { name: 'Print X report' }).count()).toBe(1);

    // The counted drawer holds 85.00: 0.49 short.
    await page.getByLabel(/Cash counted in the drawer/).fill('85.00');
    await page.getByRole('button', { name: 'Close shift' }).click();
    await expect.poll(shiftStatus).toBe('closed');
    await expect.poll(() => page.locator('.shift-report').getAttribute('data-report')).toBe('Z');
    expect(await page.getByTestId('expected-cash').textContent()).toBe(eur(expected));
    expect(await page.getByTestId('counted-cash').textContent()).toBe(eur(8500));
    expect(await page.getByTestId('cash-difference').textContent()).toBe(eur(8500 - expected)); // −0.49
    expect(await page.locator('.shift-report tr', { has: page.getByTestId('cash-difference') }).locator('th').textContent()).toBe('Short');
    expect(await page.getByRole('button', { name: 'Print Z report' }).count()).toBe(1);
    const [closed] = await ofKind('shift-closed');
    expect(closed).toEqual(expect.objectContaining({ shiftId, countedCash: 8500 }));

    // Journal: the float and the safe drop stay within Cash; the sale adds 5.49; the close takes
    // the 0.49 shortage out of Cash into Cash over and short.
    const ledger = Books.fromEvents(await events(), { valuation: 'fifo' });
    expect(balanceOf(ledger, 'cashOverShort')).toBe(49);
    expect(balanceOf(ledger, 'cash')).toBe(COFFEE_PRICE - 49);
    const trial = trialBalance(ledger);
    expect(trial.totalDebit).toBe(trial.totalCredit);

    // A sale after the close belongs to no shift.
    await page.goto(`${server.url}/#/sell`);
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await page.getByRole('button', { name: 'New sale' }).waitFor();
    await expect.poll(async () => (await ofKind('sale')).length).toBe(2);
    expect((await ofKind('sale')).filter((s) => s.shiftId === undefined)).toHaveLength(1);
  });

  it('rounds the cash part to the store’s coin step at the till and posts the rounding to 5200', async () => {
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('Round cash payments and refunds to').selectOption('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();

    // Coffee 5.49 in cash: the drawer has no 1-cent coins, so the customer pays 5.50.
    await page.goto(`${server.url}/#/sell`);
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await page.getByRole('button', { name: /^Pay / }).click();
    expect(await page.getByTestId('cash-due').textContent()).toBe(eur(550));
    await page.getByRole('button', { name: 'Exact cash' }).click();
    expect(await page.getByTestId('change-due').textContent()).toBe(eur(0));
    await page.getByRole('button', { name: 'Complete sale' }).click();
    expect(await page.getByTestId('receipt-rounding').textContent()).toBe(eur(1));
    await page.getByRole('button', { name: 'New sale' }).click();
    const [sale] = await ofKind('sale');
    expect(sale).toEqual(expect.objectContaining({ cashRounding: 1, tenders: [{ method: 'cash', amount: 550 }] }));
    expect(sale?.totals.gross).toBe(COFFEE_PRICE);

    // Split: the card pays 2.02 exactly, the cash rest 3.47 rounds down to 3.45.
    await wedgeScan(page, coffee.barcodes[0] ?? '');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByLabel('Card (on terminal)').fill('2.02');
    await page.getByRole('button', { name: 'Charge card' }).click();
    expect(await page.getByTestId('cash-due').textContent()).toBe(eur(345));
    await page.getByLabel('Cash received').fill('3.45');
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await page.getByRole('button', { name: 'New sale' }).click();
    await expect.poll(async () => (await ofKind('sale')).length).toBe(2);
    const split = (await ofKind('sale')).find((s) => s.id !== sale?.id);
    expect(split).toEqual(expect.objectContaining({ cashRounding: -2, tenders: [{ method: 'card', amount: 202 }, { method: 'cash', amount: 345 }] }));

    // Cash holds what changed hands (5.50 + 3.45); 5200 nets the roundings (credit 0.01, debit 0.02).
    const ledger = Books.fromEvents(await events(), { valuation: 'fifo' });
    expect(balanceOf(ledger, 'cash')).toBe(550 + 345);
    expect(balanceOf(ledger, 'cashOverShort')).toBe(2 - 1);
    const trial = trialBalance(ledger);
    expect(trial.totalDebit).toBe(trial.totalCredit);
  });
});
