/**
 * Store-wide settings end to end (issue 13): the owner's device switches the store to tax-exclusive
 * prices and sets the receipt's address and tax ID; a staff device paired with a code the owner made
 * gets them by sync, shows them read-only, and prices the same product as the owner's till; the
 * service level and default lead time for reordering (issue 16) are set and refused the same way. Two
 * browser profiles against one real server (not a demo: there every device of the server's own
 * computer pairs as an owner).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { AppServer, PHONE, TABLET, eur, openApp, payExactCash, readLedger, wedgeScan, pairDevice } from './harness.ts';
import { devicesPerTest } from './app-per-test.ts';

const devices = devicesPerTest();
let server: AppServer;

async function device(viewport: typeof TABLET): Promise<Page> {
  return openApp(await devices.device(viewport), server.url, '/#/settings');
}


const csv = (text: string) => ({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
const MILK = '96385074';

describe('store settings', () => {
  it('are the owner’s to set, reach a staff device by sync, and price a product alike on both', async () => {
    server = await devices.server({ demo: false });

    // The owner's till: paired with the setup code, with one product at €1.19 and 7 % tax.
    const owner = await device(TABLET);
    await pairDevice(owner, server.server.setupCode ?? '', 'Till');
    await owner.getByLabel('Product list (CSV)').setInputFiles(csv(`name,sku,barcode,price,cost,tax,unit\nWhole milk 1 l,MILK-1,${MILK},1.19,0.71,7,each\n`));
    await expect.poll(() => owner.getByTestId('import-result').textContent()).toContain('Imported 1 product');

    // Prices exclude tax from now on; the receipt gets an address and a tax ID.
    await owner.getByLabel('exclude tax (tax is added at the till)').check();
    await owner.getByLabel('Address (printed on receipts)').fill('1 Main Street\nDublin 2');
    await owner.getByLabel('Tax ID').fill('IE1234567T');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const recorded = (await readLedger<LedgerEvent>(owner)).filter((e) => e.kind === 'store-settings-changed');
    expect(recorded.map((e) => e.kind === 'store-settings-changed' && e.changes)).toEqual([{ pricesIncludeTax: false, address: '1 Main Street\nDublin 2', taxId: 'IE1234567T' }]);

    // A wrong field is refused at the field, in words, and nothing is recorded.
    await owner.getByLabel('Time zone (such as Europe/Dublin)').fill('Mars/Olympus');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => owner.getByRole('alert').textContent()).toContain('“Mars/Olympus” is not a time zone');
    await owner.getByLabel('Time zone (such as Europe/Dublin)').fill('Europe/Dublin');

    // Reordering (issue 16): 95 % and 7 days until changed; out of range is refused at each field.
    const level = owner.getByLabel('Service level (%)');
    const leadTime = owner.getByLabel('Default lead time (days)');
    expect([await level.inputValue(), await leadTime.inputValue()]).toEqual(['95', '7']);
    await level.fill('100');
    await leadTime.fill('0');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => owner.getByRole('alert').textContent()).toContain('Service level: enter a percentage from 50 to 99.9');
    expect(await owner.getByRole('alert').textContent()).toContain('Default lead time: enter a whole number of days from 1 to 365');
    expect(await level.getAttribute('aria-describedby')).toBe('store-serviceLevel-hint store-serviceLevel-error');
    expect(await owner.locator('#store-defaultLeadTimeDays-error').textContent()).toBe('Default lead time: enter a whole number of days from 1 to 365, from ordering to delivery.');
    // A decimal is typed through its point, with a comma as some keyboards have it.
    await level.fill('');
    await level.pressSequentially('97,5');
    await leadTime.fill('10');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const reordering = (await readLedger<LedgerEvent>(owner)).filter((e) => e.kind === 'store-settings-changed');
    expect(reordering.map((e) => e.kind === 'store-settings-changed' && e.changes).at(-1)).toEqual({ serviceLevel: 97.5, defaultLeadTimeDays: 10 });
    expect(await level.inputValue()).toBe('97,5');

    await owner.getByRole('button', { name: 'Create pairing code' }).click();
    const code = (await owner.getByTestId('pairing-code').textContent()) ?? '';

    // The staff phone pairs with that code and syncs: the store's settings, read-only.
    const staff = await device(PHONE);
    await pairDevice(staff, code, 'Floor phone');
    await staff.reload();
    await staff.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => staff.getByTestId('store-prices').textContent(), { timeout: 30_000 }).toBe('exclude tax (tax is added at the till)');
    expect(await staff.getByTestId('store-settings-owner-only').textContent()).toContain('Set by the owner');
    expect(await staff.getByLabel('Store name').count()).toBe(0);
    expect(await staff.getByLabel('exclude tax (tax is added at the till)').count()).toBe(0);
    expect(await staff.getByTestId('store-reordering').textContent()).toBe('a service level of 97.5 %; suppliers deliver in 10 days unless their orders show otherwise');
    expect(await staff.getByLabel('Service level (%)').count()).toBe(0);

    // Both tills price the milk the same: €1.19 plus 7 % tax.
    const priced = async (page: Page) => {
      await page.goto(`${server.url}/#/sell`);
      await page.locator('body').click({ position: { x: 5, y: 300 } });
      await wedgeScan(page, MILK);
      await expect.poll(() => page.locator('.cart-line .name').textContent(), { timeout: 30_000 }).toBe('Whole milk 1 l');
      return page.getByTestId('cart-total').textContent();
    };
    expect(await priced(owner)).toContain(eur(127));
    expect(await priced(staff)).toContain(eur(127));

    // The staff sale is recorded tax-exclusive, and its receipt shows the store's address and tax ID.
    await payExactCash(staff);
    const [sale] = (await readLedger<LedgerEvent>(staff)).filter((e) => e.kind === 'sale');
    expect(sale?.kind === 'sale' && { pricesIncludeTax: sale.pricesIncludeTax, gross: sale.totals.gross }).toEqual({ pricesIncludeTax: false, gross: 127 });
    expect(await staff.getByTestId('receipt-address').textContent()).toBe('1 Main Street\nDublin 2');
    expect(await staff.getByTestId('receipt-tax-id').textContent()).toBe('Tax ID IE1234567T');
  });
});
