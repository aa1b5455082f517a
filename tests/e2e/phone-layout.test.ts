/**
 * Stock on a phone (issue 15, item 5): at 390×844, with real content on each (long product names,
 * both locations, lines being entered, sales), Stock, Look up, Sales, Receive, Counts, Transfers and
 * Returns do not scroll sideways, the top bar fits, and the status bar keeps to one line. And a
 * staff device sees no cost, margin or valuation figures where the owner's device does.
 *
 * Set PHONE_SHOTS=<folder> to keep a screenshot of each screen.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { AppServer, PHONE, TABLET, demoProduct, eur, openApp, payExactCash, readLedger, wedgeScan, pairDevice } from './harness.ts';
import { devicesPerTest } from './app-per-test.ts';

const devices = devicesPerTest();
const SHOTS = process.env.PHONE_SHOTS;

const milk = demoProduct('Whole milk 1 l');
const OIL = { name: 'Organic extra virgin olive oil, cold pressed, single estate, 750 ml glass bottle', sku: 'OIL-EVOO-750-ESTATE', barcode: '5012345678900' };
const BREAD = { name: 'Wholegrain spelt sourdough loaf with sunflower and pumpkin seeds 800 g', sku: 'BREAD-SPELT-800', barcode: '5012345678917' };
const CATALOG = `name,sku,barcode,price,cost,tax,unit\n"${OIL.name}",${OIL.sku},${OIL.barcode},12.95,7.10,23,each\n${BREAD.name},${BREAD.sku},${BREAD.barcode},5.49,2.20,0,each\n`;

const csv = (text: string) => ({ name: 'products.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

/** The whole page; a long one (Stock's hundred products) as the screen shows it around `at`. */
async function shot(page: Page, name: string, at?: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  if (at) await page.locator(at).first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, `phone-${name}.png`), fullPage: at === undefined });
}

/** What does not fit the phone's width: the page's own scroll, and any element inside main or the bars that reaches past the viewport. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push(`the page is ${doc.scrollWidth} px wide in a ${doc.clientWidth} px viewport`);
    const hiddenFromSight = (e: Element): boolean => {
      for (let at: Element | null = e; at; at = at.parentElement) {
        const box = at.getBoundingClientRect();
        if (box.width <= 1 && box.height <= 1 && getComputedStyle(at).overflow === 'hidden') return true;
      }
      return false;
    };
    const describe = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.trim().split(/\s+/).join('.')}` : ''} “${(e.textContent ?? '').trim().slice(0, 40)}”`;
    for (const e of document.querySelectorAll('main *, header.top *, .status-bar *')) {
      const box = e.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // A visually hidden element (1 px, clipped: a table's header row on a phone) is read, not seen.
      if (hiddenFromSight(e)) continue;
      if (box.left < -0.5 || box.right > doc.clientWidth + 0.5) problems.push(`${describe(e)} spans ${Math.round(box.left)}–${Math.round(box.right)} px`);
    }
    // A container that scrolls sideways hides part of what it holds.
    for (const e of document.querySelectorAll('main *, header.top *, .status-bar')) {
      // A text field scrolls its own long text; a visually hidden label is clipped on purpose.
      if (e.matches('input, textarea, select') || e.clientWidth <= 1) continue;
      if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible' && e.clientWidth > 0) problems.push(`${describe(e)} scrolls sideways (${e.scrollWidth} in ${e.clientWidth} px)`);
    }
    // The status bar keeps to one line: every visible part of it on the same row.
    const bar = document.querySelector('.status-bar');
    if (bar) {
      const tops = [...bar.children].map((c) => c.getBoundingClientRect()).filter((b) => b.width > 1 && b.height > 1);
      const barBox = bar.getBoundingClientRect();
      if (barBox.height > 48) problems.push(`the status bar is ${Math.round(barBox.height)} px high`);
      if (tops.some((b) => b.top >= tops[0]!.bottom)) problems.push('the status bar wraps onto a second line');
    }
    // The top bar: every screen's link in view, none under 44 px.
    for (const link of document.querySelectorAll('header.top nav a')) {
      const box = link.getBoundingClientRect();
      if (box.height < 44) problems.push(`the ${link.textContent} link is ${Math.round(box.height)} px high`);
    }
    return problems;
  });
}

async function expectFits(page: Page, name: string, at?: string): Promise<void> {
  await shot(page, name, at);
  expect(await layoutProblems(page), name).toEqual([]);
}

async function go(page: Page, screen: string): Promise<void> {
  await page.locator('header.top nav').getByRole('link', { name: screen, exact: true }).click();
}

describe('on a 390×844 phone, with content', () => {
  it('Stock, Look up, Sales, Receive, Transfers, Returns and Counts fit the width; the bars fit', async () => {
    const server = await devices.server();
    const page = await openApp(await devices.device(PHONE), server.url, '/#/settings');
    await page.getByLabel('Product list (CSV)').setInputFiles(csv(CATALOG));
    await expect.poll(() => page.getByTestId('import-result').textContent()).toContain('Imported 2 products');

    // Two sales, one with a long name on it.
    await go(page, 'Sell');
    await wedgeScan(page, OIL.barcode);
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await expect.poll(() => page.locator('.cart-line').count()).toBe(2);
    await payExactCash(page);
    await page.getByRole('button', { name: 'New sale' }).click();
    await wedgeScan(page, BREAD.barcode);
    await payExactCash(page);
    await page.getByRole('button', { name: 'New sale' }).click();

    // Receive: a purchase order being written, then the list of orders, then a delivery.
    await page.goto(`${server.url}/#/receive`);
    await page.getByRole('button', { name: 'New purchase order' }).click();
    await page.getByLabel('Supplier').fill('Mediterranean Fine Foods Wholesale Ltd');
    await wedgeScan(page, OIL.barcode);
    await wedgeScan(page, BREAD.barcode);
    await page.getByLabel(`Quantity of ${OIL.name}`).fill('120');
    await page.getByLabel(`Unit cost of ${OIL.name}`).fill('7.10');
    await page.getByLabel(`Quantity of ${BREAD.name}`).fill('24');
    await page.getByLabel(`Unit cost of ${BREAD.name}`).fill('2.20');
    await expectFits(page, 'receive-order-form');
    await page.getByRole('button', { name: 'Create purchase order' }).click();
    await page.getByTestId('order-status').first().waitFor();
    await expectFits(page, 'receive-orders');
    await page.getByRole('button', { name: 'Receive against this order' }).click();
    await page.getByLabel(`Quantity of ${OIL.name}`).fill('100');
    await expectFits(page, 'receive-delivery');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await page.getByTestId('receipt-result').waitFor();
    await expectFits(page, 'receive-result');

    // Transfers: lines to send, then the transfer in transit.
    await page.goto(`${server.url}/#/transfers`);
    await page.getByRole('button', { name: 'Send stock to another location' }).click();
    await wedgeScan(page, OIL.barcode);
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await page.getByLabel(`Quantity of ${OIL.name}`).fill('30');
    await page.getByLabel(`Quantity of ${milk.name}`).fill('6');
    await expectFits(page, 'transfers-send');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByTestId('transfer-status').first().waitFor();
    await expectFits(page, 'transfers');

    // Stock: long names, both locations.
    await go(page, 'Stock');
    await page.locator(`tr[data-product-id] >> text=${OIL.sku}`).waitFor();
    await expectFits(page, 'stock', `tr:has-text("${OIL.sku}")`);
    // Stacked into blocks, it is still a table to a screen reader: Chromium's own accessibility tree.
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value?: string }; name?: { value?: string }; ignored?: boolean }[] };
    await cdp.detach();
    const roles = (role: string) => nodes.filter((n) => !n.ignored && n.role?.value === role);
    expect(roles('table').length).toBeGreaterThan(0);
    expect(roles('columnheader').map((n) => n.name?.value)).toEqual(['Product', 'Shop floor', 'Back room', 'Price', 'Value at cost']);
    expect(roles('rowheader').some((n) => n.name?.value?.startsWith(OIL.name))).toBe(true);

    // Look up a product with a long name.
    await go(page, 'Look up');
    await page.getByLabel('Search or scan').fill('olive oil');
    await page.getByRole('button', { name: new RegExp(`^${OIL.name.slice(0, 20)}`) }).click();
    await page.getByTestId('lookup-product').waitFor();
    await expectFits(page, 'lookup');

    // Sales: the list, and one sale opened.
    await go(page, 'Sales');
    await page.locator('.sale-row').first().click();
    await page.locator('.sale-detail').waitFor();
    await expectFits(page, 'sales');

    // Returns: the lines of a receipt.
    const [firstSale] = (await readLedger<LedgerEvent>(page)).filter((e) => e.kind === 'sale').sort((a, b) => (a.hlc < b.hlc ? -1 : 1));
    await page.goto(`${server.url}/#/returns`);
    await page.getByLabel('Receipt number (type or scan)').fill(firstSale?.kind === 'sale' ? firstSale.receiptNo : '');
    await page.getByRole('button', { name: 'Find sale' }).click();
    await page.getByTestId('return-receipt-no').waitFor();
    await page.getByLabel(`Quantity of ${OIL.name} returned`).fill('1');
    await expectFits(page, 'returns');

    // Counts: counting, then the review.
    await page.goto(`${server.url}/#/count`);
    await page.getByLabel('Name of the count').fill('Oils and bread, aisle 3');
    await page.getByRole('button', { name: 'Start count' }).click();
    await page.getByRole('heading', { name: 'Counting: Oils and bread, aisle 3' }).waitFor();
    await wedgeScan(page, OIL.barcode);
    await wedgeScan(page, BREAD.barcode);
    await wedgeScan(page, milk.barcodes[0] ?? '');
    await expect.poll(() => page.locator('.count-table tbody tr').count()).toBe(3);
    await expectFits(page, 'count');
    await page.getByRole('button', { name: '← All counts' }).click();
    await page.getByRole('button', { name: 'Review Oils and bread, aisle 3' }).click();
    await page.getByRole('heading', { name: /^Review/ }).waitFor();
    await expectFits(page, 'count-review');

    // The status bar unfolds to its full sentences and folds back to one line.
    const details = page.getByRole('button', { name: /^Sync details/ });
    expect(await details.getAttribute('aria-expanded')).toBe('false');
    // Folded, the full sentence is only read out (visually hidden: 1 px), the short word is shown.
    const widthOfSentence = async () => (await page.getByTestId('network-status').boundingBox())?.width ?? 0;
    expect(await widthOfSentence()).toBeLessThanOrEqual(1);
    await details.click();
    expect(await details.getAttribute('aria-expanded')).toBe('true');
    expect(await widthOfSentence()).toBeGreaterThan(20);
    await shot(page, 'status-unfolded');
    await details.click();
    expect(await layoutProblems(page)).toEqual([]);

    // Stock and Sales on a tablet, for the record: the table is a table again.
    if (SHOTS) {
      await page.setViewportSize(TABLET);
      await go(page, 'Stock');
      await page.screenshot({ path: join(SHOTS, 'phone-1280-stock.png') });
      await go(page, 'Sales');
      await page.locator('.sale-row').first().click();
      await page.screenshot({ path: join(SHOTS, 'phone-1280-sales.png') });
    }
  }, 240_000);
});

// The rest of this file: cost, margin and valuation on an owner's device, and none on a staff one.


/** What a person sees in main on the Stock, Look up (oil) and Sales (a sale opened) screens. */
async function figures(page: Page, label: string): Promise<{ stock: string; lookup: string; sales: string }> {
  await go(page, 'Stock');
  await page.locator('tr[data-product-id]').first().waitFor();
  await shot(page, `${label}-stock`, 'tr:has-text("OIL-EVOO")');
  const stock = await page.locator('main').innerText();
  await go(page, 'Look up');
  await page.getByLabel('Search or scan').fill('olive oil');
  await page.getByRole('button', { name: /^Organic extra virgin/ }).click();
  await page.getByTestId('lookup-last-received').filter({ hasText: 'at Shop floor' }).waitFor({ timeout: 30_000 });
  await shot(page, `${label}-lookup`);
  const lookup = await page.locator('main').innerText();
  await go(page, 'Sales');
  await page.locator('.sale-row').first().click();
  await page.locator('.sale-detail').waitFor();
  await shot(page, `${label}-sales`);
  const sales = await page.locator('main').innerText();
  return { stock, lookup, sales };
}

describe('cost, margin and valuation', () => {
  it('show on the owner’s device, and nowhere on a staff device', async () => {
    const server: AppServer = await devices.server({ demo: false });
    const owner = await openApp(await devices.device(TABLET), server.url, '/#/settings');
    await pairDevice(owner, server.server.setupCode ?? '', 'Office');
    await owner.getByLabel('Product list (CSV)').setInputFiles(csv(CATALOG));
    await expect.poll(() => owner.getByTestId('import-result').textContent()).toContain('Imported 2 products');
    // 10 bottles at €7.10 on the floor, and one sold.
    await owner.goto(`${server.url}/#/receive`);
    await owner.getByRole('button', { name: 'Receive without an order' }).click();
    await owner.getByLabel('Supplier').fill('Olive Co');
    await wedgeScan(owner, OIL.barcode);
    await owner.getByLabel(`Quantity of ${OIL.name}`).fill('10');
    await owner.getByLabel(`Unit cost of ${OIL.name}`).fill('7.10');
    await owner.getByRole('button', { name: 'Record delivery' }).click();
    await owner.getByTestId('receipt-result').waitFor();
    await go(owner, 'Sell');
    await wedgeScan(owner, OIL.barcode);
    await payExactCash(owner);
    await owner.getByRole('button', { name: 'New sale' }).click();

    const own = await figures(owner, 'owner');
    // 9 left at €7.10 (€63.90); the sale: €12.95 incl. 23 % tax, net €10.53, cost €7.10, margin €3.43.
    expect(own.stock).toContain(`Inventory at cost (FIFO): ${eur(6390)}`);
    expect(own.stock).toContain('Value at cost');
    expect(own.lookup).toContain('Value at cost');
    expect(own.lookup).toContain(`${eur(710)} each`);
    expect(own.sales).toContain(`cost of goods sold ${eur(710)}`);
    expect(own.sales).toContain(`Cost of goods ${eur(710)} · margin ${eur(343)}`);

    await owner.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => owner.getByTestId('pending-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    await owner.goto(`${server.url}/#/settings`);
    await owner.getByRole('button', { name: 'Create pairing code' }).click();
    const code = (await owner.getByTestId('pairing-code').textContent()) ?? '';

    // A staff phone: pairs, syncs the catalog and the books, and sells a bottle itself.
    const staff = await openApp(await devices.device(PHONE), server.url, '/#/settings');
    await pairDevice(staff, code, 'Floor phone');
    await staff.reload();
    await staff.waitForSelector('.app');
    await go(staff, 'Sell');
    await expect
      .poll(
        async () => {
          const found = await staff.locator('.product-tile').filter({ hasText: 'Organic extra virgin' }).count();
          if (found === 0) await staff.getByRole('button', { name: 'Sync now' }).click();
          return found;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    await wedgeScan(staff, OIL.barcode);
    await payExactCash(staff);
    await staff.getByRole('button', { name: 'New sale' }).click();

    const seen = await figures(staff, 'staff');
    for (const [screen, text] of Object.entries(seen)) {
      expect(text, screen).not.toMatch(/cost|margin|valu/i);
      expect(text, screen).not.toContain(eur(710));
      expect(text, screen).not.toContain(eur(6390));
    }
    // What staff need is still there: stock per location, prices, the sale itself.
    expect(seen.stock).toContain(OIL.name);
    expect(seen.lookup).toContain(eur(1295));
    expect(seen.sales).toContain(eur(1295));
  }, 240_000);
});
