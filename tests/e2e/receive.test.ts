/**
 * Receiving: a purchase order created on the device, a partial delivery against it, stock,
 * valuation and the journal checked by folding the device's events with the domain Books in Node.
 * Expected numbers are worked out by hand from the demo store (src/domain/demo-store.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { Books } from '../../src/domain/books/index.ts';
import { purchaseOrders } from '../../src/domain/purchase-orders.ts';
import { appPerTest } from './app-per-test.ts';
import { AppServer, FLOOR, demoProduct, onHandOf, readStore, wedgeScan } from './harness.ts';
import { balanceOf, journalEntryOf, trialBalance } from '../../src/domain/journal.ts';

const product = demoProduct;
const milk = product('Whole milk 1 l'); // 48 on the floor at 0.71
const butter = product('Salted butter 250 g'); // 24 on the floor at 1.65

const app = appPerTest({ path: '/#/receive' });
let server: AppServer;
let page: Page;
// Short names for this test's app (see app-per-test.ts).
beforeEach(async () => {
  ({ server, page } = app);
  await page.getByRole('heading', { name: 'Receive goods' }).waitFor();
});

const events = () => readStore<LedgerEvent>(page, 'events');
const fold = async () => Books.fromEvents(await events(), { valuation: 'fifo' });
const kinds = async () => (await events()).map((e) => e.kind).filter((k) => k !== 'product-defined' && k !== 'opening-balance');

async function addBySearch(name: string): Promise<void> {
  await page.getByLabel('Add a product: search or scan').fill(name);
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
}

describe('receiving', () => {
  it('creates a purchase order, receives part of it, and posts stock, value and Inventory / GRNI', async () => {
    const before = await fold();
    const inventoryBefore = before.inventoryValue();

    await page.getByRole('button', { name: 'New purchase order' }).click();
    await page.getByLabel('Supplier').fill('Dairy Co');
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await addBySearch(butter.name);
    await page.getByLabel(`Quantity of ${milk.name}`).fill('24');
    await page.getByLabel(`Unit cost of ${milk.name}`).fill('0.70');
    await page.getByLabel(`Quantity of ${butter.name}`).fill('12');
    await page.getByLabel(`Unit cost of ${butter.name}`).fill('1.60');
    await page.getByRole('button', { name: 'Create purchase order' }).click();
    await expect.poll(() => page.getByTestId('order-status').first().textContent()).toBe('Open');

    const order = (await events()).find((e) => e.kind === 'purchase-order-created');
    expect(order?.kind === 'purchase-order-created' && order.lines).toEqual([
      { productId: milk.id, qty: 24, unitCost: 70 },
      { productId: butter.id, qty: 12, unitCost: 160 },
    ]);

    // The delivery: 10 of the 24 milk (partial), all 12 butter at the order's cost (prefilled).
    await page.getByRole('button', { name: 'Receive against this order' }).click();
    await expect.poll(() => page.getByLabel(`Quantity of ${milk.name}`).inputValue()).toBe('24');
    expect(await page.getByLabel(`Unit cost of ${butter.name}`).inputValue()).toBe('1.60');
    await page.getByLabel(`Quantity of ${milk.name}`).fill('10');
    await expect.poll(() => page.locator('.ops-short').first().textContent()).toContain('14 short');
    await page.getByLabel('Delivery note number (optional)').fill('DN-4711');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await page.getByTestId('receipt-result').waitFor();
    await expect.poll(() => page.getByTestId('order-status').first().textContent()).toBe('Partially received');

    const receipt = (await events()).find((e) => e.kind === 'goods-received');
    expect(receipt?.kind === 'goods-received' && receipt).toMatchObject({
      supplier: 'Dairy Co',
      reference: 'DN-4711',
      purchaseOrderId: order?.kind === 'purchase-order-created' ? order.purchaseOrderId : 'missing',
      locationId: FLOOR,
      lines: [
        { productId: milk.id, qty: 10, unitCost: 70 },
        { productId: butter.id, qty: 12, unitCost: 160 },
      ],
    });

    // Stock: 48 + 10 milk, 24 + 12 butter on the floor, in the on-hand cache and in the ledger.
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(58);
    expect(await onHandOf(page, butter.id, FLOOR)).toBe(36);
    const ledger = await fold();
    expect(ledger.onHand(milk.id, FLOOR)).toBe(58);
    expect(ledger.onHand(butter.id, FLOOR)).toBe(36);
    // Value: 48 × 0.71 + 10 × 0.70 = 34.08 + 7.00; butter 24 × 1.65 + 12 × 1.60 = 39.60 + 19.20.
    expect(ledger.valuationOf(milk.id, FLOOR).value).toBe(3408 + 700);
    expect(ledger.valuationOf(butter.id, FLOOR).value).toBe(3960 + 1920);
    expect(ledger.inventoryValue() - inventoryBefore).toBe(2620);
    // Journal: Dr Inventory 26.20, Cr Goods received not invoiced 26.20, and the books balance.
    const entry = journalEntryOf(ledger, receipt?.id ?? '');
    const sum = (code: string, side: 'debit' | 'credit') => entry?.lines.filter((l) => l.code === code).reduce((s, l) => s + l[side], 0);
    expect(sum('1200', 'debit')).toBe(2620);
    expect(sum('2100', 'credit')).toBe(2620);
    expect(entry?.lines.every((l) => l.code === '1200' || l.code === '2100')).toBe(true);
    const trial = trialBalance(ledger);
    expect(trial.totalDebit).toBe(trial.totalCredit);
    expect(balanceOf(ledger, 'goodsReceivedNotInvoiced')).toBe(-2620);
    const [view] = purchaseOrders(ledger);
    expect(view?.lines.map((l) => [l.productId, l.received, l.outstanding])).toEqual([
      [milk.id, 10, 14],
      [butter.id, 12, 0],
    ]);

    // The screen shows the resulting stock and the journal entry.
    const result = page.getByTestId('receipt-result');
    expect(await result.locator(`tr[data-product-id="${milk.id}"] [data-testid="on-hand-now"]`).textContent()).toBe('58');
    expect(await result.locator('tr[data-account="1200"]').textContent()).toContain('€26.20');
    expect(await result.locator('tr[data-account="2100"]').textContent()).toContain('€26.20');

    // Nothing more will come: close the order.
    await page.getByRole('button', { name: 'Close order' }).click();
    await page.getByLabel('Reason for closing').fill('Rest out of stock at supplier');
    await page.getByRole('button', { name: 'Confirm close' }).click();
    await expect.poll(() => page.getByTestId('order-status').first().textContent()).toBe('Closed');
    expect(purchaseOrders(await fold())[0]?.closedReason).toBe('Rest out of stock at supplier');
  });

  it('receives without an order and shows an over-delivery against an order', async () => {
    await page.getByRole('button', { name: 'New purchase order' }).click();
    await page.getByLabel('Supplier').fill('Bakery');
    await addBySearch(milk.name);
    await page.getByLabel(`Quantity of ${milk.name}`).fill('5');
    await page.getByRole('button', { name: 'Create purchase order' }).click();
    await page.getByRole('button', { name: 'Receive against this order' }).click();
    await page.getByLabel(`Quantity of ${milk.name}`).fill('7');
    await expect.poll(() => page.locator('.ops-over').first().textContent()).toContain('2 over');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await expect.poll(() => page.getByTestId('order-status').first().textContent()).toBe('Over-delivered');

    await page.getByRole('button', { name: 'Receive without an order' }).click();
    await page.getByLabel('Supplier').fill('Cash and carry');
    await addBySearch(butter.name);
    await page.getByLabel(`Quantity of ${butter.name}`).fill('3');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await page.getByTestId('receipt-result').waitFor();
    // The catalog cost (1.65) was taken when nothing else was given.
    const ledger = await fold();
    expect(ledger.onHand(butter.id, FLOOR)).toBe(27);
    expect(ledger.onHand(milk.id, FLOOR)).toBe(55);
    expect(ledger.valuationOf(butter.id, FLOOR).value).toBe(3960 + 3 * 165);
  });

  it('refuses a quantity of 0 or "abc" and records nothing', async () => {
    await page.getByRole('button', { name: 'Receive without an order' }).click();
    await page.getByLabel('Supplier').fill('Dairy Co');
    await addBySearch(milk.name);
    const before = await kinds();

    await page.getByLabel(`Quantity of ${milk.name}`).fill('0');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await expect.poll(() => page.getByTestId('receive-errors').textContent()).toContain(`${milk.name}: 0 is not a quantity to record`);

    await page.getByLabel(`Quantity of ${milk.name}`).fill('abc');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await expect.poll(() => page.getByTestId('receive-errors').textContent()).toContain(`${milk.name}: "abc" is not a quantity`);

    await page.getByLabel(`Quantity of ${milk.name}`).fill('2');
    await page.getByLabel(`Unit cost of ${milk.name}`).fill('0,7x');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await expect.poll(() => page.getByTestId('receive-errors').textContent()).toContain('is not an amount');

    expect(await kinds()).toEqual(before);
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(48);
  });

  it('offers to create a product for an unknown code, then receives it', async () => {
    await page.getByRole('button', { name: 'Receive without an order' }).click();
    await page.getByLabel('Supplier').fill('New brand Ltd');
    await wedgeScan(page, '4006381333931');
    await page.getByRole('dialog', { name: /Unknown code 4006381333931/ }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Fancy jam 300 g');
    await page.getByLabel('Selling price', { exact: true }).fill('3.49');
    await page.getByLabel('Unit cost', { exact: true }).fill('1.80');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByLabel('Quantity of Fancy jam 300 g').fill('6');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await page.getByTestId('receipt-result').waitFor();

    const all = await events();
    const defined = all.find((e) => e.kind === 'product-defined' && e.product.barcodes.includes('4006381333931'));
    expect(defined?.kind === 'product-defined' && defined.product).toMatchObject({ name: 'Fancy jam 300 g', price: 349, cost: 180, unit: 'each' });
    const id = defined?.kind === 'product-defined' ? defined.product.id : '';
    const ledger = await fold();
    expect(ledger.onHand(id, FLOOR)).toBe(6);
    expect(ledger.valuationOf(id, FLOOR).value).toBe(1080);
    // Scannable at once, e.g. on the Look up screen.
    await page.goto(`${server.url}/#/lookup`);
    await wedgeScan(page, '4006381333931');
    await expect.poll(() => page.locator('.lookup-product h2').textContent()).toContain('Fancy jam 300 g');
  });
});
