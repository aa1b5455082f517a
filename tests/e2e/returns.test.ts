/**
 * Returns: a cash sale of 3 milk, an over-return refused, 2 returned and restocked, the last one
 * written off (damaged), and a manager-approved return without a receipt. Stock and the journal are
 * checked by folding the device's events with the domain Books in Node; the numbers are worked out
 * by hand from src/domain/demo-store.ts (milk: 1.19 incl. 7 % tax, cost 0.71, 48 on the floor).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { Page } from 'playwright-core';
import type { EventOf, LedgerEvent } from '../../src/domain/events.ts';
import { Books } from '../../src/domain/books/index.ts';
import { appPerTest } from './app-per-test.ts';
import { AppServer, FLOOR, demoProduct, eur, onHandOf, payExactCash, readStore, wedgeScan } from './harness.ts';
import { balanceOf, journalEntryOf, trialBalance } from '../../src/domain/journal.ts';

const product = demoProduct;
const milk = product('Whole milk 1 l');
const butter = product('Salted butter 250 g');

const app = appPerTest();
beforeAll(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
});
let server: AppServer;
let page: Page;
// Short names for this test's app (see app-per-test.ts).
beforeEach(async () => {
  ({ server, page } = app);
});

const events = () => readStore<LedgerEvent>(page, 'events');
const fold = async () => Books.fromEvents(await events(), { valuation: 'fifo' });
const returns = async () => (await events()).filter((e): e is EventOf<'return'> => e.kind === 'return');
const journalSums = (ledger: Books, eventId: string) => {
  const sums: Record<string, number> = {};
  for (const line of journalEntryOf(ledger, eventId)?.lines ?? []) sums[line.code] = (sums[line.code] ?? 0) + line.debit - line.credit;
  return sums;
};

async function sellThreeMilk(): Promise<EventOf<'sale'>> {
  for (let i = 0; i < 3; i++) await wedgeScan(page, milk.barcodes[0] ?? '');
  await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(3 * milk.price));
  await payExactCash(page);
  const sale = (await events()).find((e): e is EventOf<'sale'> => e.kind === 'sale');
  if (!sale) throw new Error('the sale was not recorded');
  return sale;
}

async function findSale(receiptNo: string): Promise<void> {
  await page.getByLabel('Receipt number (type or scan)').fill(receiptNo);
  await page.getByRole('button', { name: 'Find sale' }).click();
  await expect.poll(() => page.getByTestId('return-receipt-no').textContent()).toBe(receiptNo);
}

describe('returns', () => {
  it('says a voided sale was voided and offers no refund (issue 14, item 10)', async () => {
    const sale = await sellThreeMilk();
    await page.getByRole('button', { name: 'New sale' }).click();
    await page.goto(`${server.url}/#/sales`);
    await page.locator('.sale-row').first().click();
    await page.getByRole('button', { name: 'Void sale' }).click();
    const voidDialog = page.getByRole('dialog', { name: /^Void receipt/ });
    await voidDialog.getByRole('radio', { name: 'Wrong item' }).check();
    await voidDialog.getByRole('button', { name: /^Void receipt / }).click();
    await expect.poll(() => page.locator('.sales-list li.voided').count()).toBe(1);

    await page.goto(`${server.url}/#/returns`);
    await page.getByLabel('Receipt number (type or scan)').fill(sale.receiptNo);
    await page.getByRole('button', { name: 'Find sale' }).click();
    await expect.poll(() => page.getByTestId('return-voided').textContent()).toBe(
      `Receipt ${sale.receiptNo} was voided: its money was given back and its stock restored then, so nothing on it can be returned. Check the receipt number.`,
    );
    expect(await page.getByRole('button', { name: /^Refund / }).count()).toBe(0);
    expect((await events()).filter((e) => e.kind === 'return')).toHaveLength(0);
  });

  it('refuses an over-return, then restocks 2 and writes off 1, with the journal of each', async () => {
    const sale = await sellThreeMilk();
    const [line] = sale.lines;
    // 3 × 1.19 = 3.57 incl. 7 % tax: net 3.34, tax 0.23.
    expect(line).toMatchObject({ qty: 3, gross: 357, tax: 23 });
    await page.goto(`${server.url}/#/returns`);
    // Lower case on purpose: the receipt number is matched whatever the case.
    await page.getByLabel('Receipt number (type or scan)').fill(sale.receiptNo.toLowerCase());
    await page.getByRole('button', { name: 'Find sale' }).click();
    await expect.poll(() => page.getByTestId('return-receipt-no').textContent()).toBe(sale.receiptNo);
    expect(await page.getByTestId('returnable').textContent()).toBe('3');

    // More than was sold: refused with a clear message, nothing recorded.
    await page.getByLabel(`Quantity of ${milk.name} returned`).fill('4');
    await page.getByRole('button', { name: /^Refund / }).click();
    await expect.poll(() => page.getByTestId('return-errors').textContent()).toContain(
      `${milk.name}: at most 3 can be returned on receipt ${sale.receiptNo} (3 sold, 0 already returned), not 4.`,
    );
    expect(await returns()).toHaveLength(0);
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(45);

    // 2 come back resellable: refund 3.57 × 2/3 = 2.38, tax 0.23 × 2/3 = 0.15 (rounded), in cash.
    await page.getByLabel(`Quantity of ${milk.name} returned`).fill('2');
    await expect.poll(() => page.getByRole('button', { name: /^Refund / }).textContent()).toBe(`Refund ${eur(238)}`);
    await page.getByRole('button', { name: /^Refund / }).click();
    await expect.poll(() => page.getByTestId('refund-total').textContent()).toBe(eur(238));
    const [restock] = await returns();
    expect(restock).toMatchObject({
      saleId: sale.id,
      managerApproved: false,
      refundMethod: 'cash',
      lines: [{ productId: milk.id, qty: 2, refund: 238, tax: 15, disposition: 'restock', saleLineId: line?.lineId }],
    });
    let ledger = await fold();
    expect(ledger.onHand(milk.id, FLOOR)).toBe(47);
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(47);
    // Dr Returns 2.23 + tax 0.15, Cr Cash 2.38; the 2 come back at their cost: Dr Inventory 1.42, Cr COGS.
    expect(journalSums(ledger, restock?.id ?? '')).toEqual({ '4100': 223, '2200': 15, '1000': -238, '1200': 142, '5000': -142 });
    expect(await page.getByTestId('return-result').locator('tr[data-account="1200"]').textContent()).toContain(eur(142));

    // The last one is damaged: written off, so its cost goes from COGS to shrinkage, not to stock.
    await page.getByRole('button', { name: 'Next return' }).click();
    await findSale(sale.receiptNo);
    expect(await page.getByTestId('returnable').textContent()).toBe('1');
    await page.getByLabel(`Quantity of ${milk.name} returned`).fill('2');
    await page.getByRole('button', { name: /^Refund / }).click();
    await expect.poll(() => page.getByTestId('return-errors').textContent()).toContain('at most 1 can be returned');
    expect(await returns()).toHaveLength(1);
    await page.getByLabel(`Quantity of ${milk.name} returned`).fill('1');
    await page.getByLabel(`Condition of ${milk.name}`).selectOption('write-off');
    await page.getByRole('button', { name: /^Refund / }).click();
    // 3.57 / 3 = 1.19, tax 0.23 / 3 = 0.0767 → 0.08.
    await expect.poll(() => page.getByTestId('refund-total').textContent()).toBe(eur(119));
    const writeOff = (await returns()).find((r) => r.id !== restock?.id);
    expect(writeOff?.lines).toEqual([{ productId: milk.id, qty: 1, refund: 119, tax: 8, disposition: 'write-off', saleLineId: line?.lineId }]);
    ledger = await fold();
    expect(ledger.onHand(milk.id, FLOOR)).toBe(47);
    expect(journalSums(ledger, writeOff?.id ?? '')).toEqual({ '4100': 111, '2200': 8, '1000': -119, '5100': 71, '5000': -71 });
    // Over the sale and both returns: COGS 3 × 0.71 − 2 × 0.71 − 0.71 = 0; shrinkage 0.71; cash 3.57 − 3.57 = 0.
    expect(balanceOf(ledger, 'cogs')).toBe(0);
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(71);
    expect(balanceOf(ledger, 'cash')).toBe(0);
    const trial = trialBalance(ledger);
    expect(trial.totalDebit).toBe(trial.totalCredit);

    // Exchange: the 1.19 cash refund pays for part of a butter; the customer hands over the rest.
    await page.getByRole('button', { name: 'Exchange: start a sale with credit' }).click();
    await expect.poll(() => page.url()).toContain(`#/sell?credit=119&return=${writeOff?.id ?? ''}`);
    await page.getByTestId('exchange-credit').waitFor();
    await wedgeScan(page, butter.barcodes[0] ?? '');
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(butter.price));
    await page.getByRole('button', { name: /^Pay / }).click();
    expect(await page.getByTestId('pay-credit').textContent()).toContain(`Collect ${eur(butter.price - 119)} more.`);
    await page.getByRole('button', { name: 'Exact cash' }).click();
    expect(await page.getByLabel('Cash received').inputValue()).toBe(((butter.price - 119) / 100).toFixed(2));
    expect(await page.getByTestId('change-due').textContent()).toBe(eur(0));
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await page.getByRole('button', { name: 'New sale' }).click();
    // The credit is used up: the next sale starts without it.
    await expect.poll(() => page.url()).toMatch(/#\/sell$/);
    expect(await page.getByTestId('exchange-credit').count()).toBe(0);
    const exchangeSale = (await events()).filter((e): e is EventOf<'sale'> => e.kind === 'sale').find((e) => e.id !== sale.id);
    expect(exchangeSale?.tenders).toEqual([{ method: 'cash', amount: butter.price }]);
    // Cash: the refund (−1.19) never left the drawer; with what the customer handed over it paid the butter.
    ledger = await fold();
    expect(balanceOf(ledger, 'cash')).toBe(butter.price);
    const exchangeTrial = trialBalance(ledger);
    expect(exchangeTrial.totalDebit).toBe(exchangeTrial.totalCredit);
  });

  it('the printed receipt carries its number as a barcode; scanning it finds the sale', async () => {
    const sale = await sellThreeMilk();
    // The receipt dialog is open: read its barcode with an independent decoder, as a scanner would.
    const png = await page.locator('.receipt-barcode svg').screenshot();
    const [read] = await readBarcodes(new Uint8Array(png), { formats: ['Code128'] });
    expect(read?.text).toBe(sale.receiptNo);
    await page.getByRole('button', { name: 'New sale' }).click();

    await page.goto(`${server.url}/#/returns`);
    await page.getByRole('heading', { name: 'Returns and exchanges' }).waitFor();
    await wedgeScan(page, read?.text ?? '');
    await expect.poll(() => page.getByTestId('return-receipt-no').textContent()).toBe(sale.receiptNo);
    expect(await page.getByTestId('returnable').textContent()).toBe('3');
  });

  it('returns without a receipt only with the manager flag', async () => {
    await page.goto(`${server.url}/#/returns`);
    await page.getByRole('heading', { name: 'Returns and exchanges' }).waitFor();
    await page.getByLabel('Return without a receipt').check();
    await page.getByRole('button', { name: /^Refund / }).click();
    await expect.poll(() => page.getByTestId('return-errors').textContent()).toContain('needs a manager');
    expect(await returns()).toHaveLength(0);

    await page.getByLabel('Manager approved').check();
    await page.getByLabel('Returned product: search or scan').fill(butter.name);
    await page.getByRole('button', { name: new RegExp(`^${butter.name}`) }).click();
    await page.getByLabel(`Refund for ${butter.name}`).fill('2.00');
    await page.getByRole('button', { name: /^Refund / }).click();
    await expect.poll(() => page.getByTestId('refund-total').textContent()).toBe(eur(200));
    const [done] = await returns();
    // 2.00 incl. 7 %: tax 2.00 × 7 / 107 = 0.13.
    expect(done).toMatchObject({ managerApproved: true, refundMethod: 'cash', lines: [{ productId: butter.id, qty: 1, refund: 200, tax: 13, disposition: 'restock' }] });
    expect(done?.saleId).toBeUndefined();
    const ledger = await fold();
    expect(ledger.onHand(butter.id, FLOOR)).toBe(25);
    // Restocked at the last known cost, 1.65.
    expect(journalSums(ledger, done?.id ?? '')).toEqual({ '4100': 187, '2200': 13, '1000': -200, '1200': 165, '5000': -165 });
  });

  it('refunds without a receipt at most the product’s price now (issue 14, item 1)', async () => {
    await page.goto(`${server.url}/#/returns`);
    await page.getByLabel('Return without a receipt').check();
    await page.getByLabel('Manager approved').check();
    await page.getByLabel('Returned product: search or scan').fill(butter.name);
    await page.getByRole('button', { name: new RegExp(`^${butter.name}`) }).click();
    await page.getByLabel(`Refund for ${butter.name}`).fill('50.00');
    await page.getByRole('button', { name: /^Refund / }).click();
    await expect.poll(() => page.getByTestId('return-errors').textContent()).toContain(
      `${butter.name}: at most ${eur(butter.price)} can be refunded without a receipt (its price now × 1); refund less, or find the receipt.`,
    );
    expect(await returns()).toHaveLength(0);
  });

  it('refuses a receipt number that matches no sale', async () => {
    await page.goto(`${server.url}/#/returns`);
    await page.getByLabel('Receipt number (type or scan)').fill('ZZZZ-99');
    await page.getByRole('button', { name: 'Find sale' }).click();
    await expect.poll(() => page.getByTestId('return-errors').textContent()).toContain('No sale with receipt number ZZZZ-99 is on this device');
    expect(await returns()).toHaveLength(0);
  });
});
