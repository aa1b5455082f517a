/**
 * Counts end to end: a blind count scanned on two devices (two browser profiles against one demo
 * server), merged through sync, reviewed and approved by the owner. The stock and the shrinkage
 * journal are checked by folding the events stored in IndexedDB with the domain Books in Node; the
 * expected numbers are worked out by hand from the demo store (src/domain/demo-store.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { Books } from '../../src/domain/books/index.ts';
import { AppServer, FLOOR, PHONE, demoProduct, eur, onHandOf, openApp, readLedger, readStore, wedgeScan } from './harness.ts';
import { devicesPerTest } from './app-per-test.ts';
import { balanceOf, journalEntryOf, trialBalance } from '../../src/domain/journal.ts';

const product = demoProduct;
// Shop floor opening stock and unit cost (demo-store.ts): milk 48 at 0.71, coffee 18 at 3.40,
// spaghetti 40 at 0.60, cola 72.
const milk = product('Whole milk 1 l');
const coffee = product('Ground coffee 250 g');
const spaghetti = product('Spaghetti 500 g');
const cola = product('Cola 330 ml can');
const basil = product('Fresh basil pot'); // none in the back room: never received there
const BACK = DEMO_LOCATIONS[1].id;
const code = (p: { barcodes: string[] }) => p.barcodes[0] ?? '';

const devices = devicesPerTest();
let server: AppServer;

async function device(): Promise<Page> {
  return openApp(await devices.device(PHONE), server.url);
}

async function meta(page: Page, key: string): Promise<unknown> {
  return (await readStore<{ key: string; value: unknown }>(page, 'meta')).find((row) => row.key === key)?.value;
}

/** A demo server pairs the device by itself; then the first sync (pull of the seed) completes. */
async function waitUntilSynced(page: Page): Promise<void> {
  await expect.poll(() => meta(page, 'deviceToken'), { timeout: 30_000 }).toEqual(expect.any(String));
  await expect.poll(() => meta(page, 'lastSyncAt'), { timeout: 30_000 }).toEqual(expect.any(String));
}

const events = (page: Page) => readLedger<LedgerEvent>(page);
const ofKind = async (page: Page, kind: LedgerEvent['kind']) => (await events(page)).filter((e) => e.kind === kind);
const pendingCount = (page: Page) => page.getByTestId('pending-count').getAttribute('data-count');
const countedCell = (page: Page, productId: string) => page.locator(`.count-table tr[data-product-id="${productId}"] [data-testid="counted"]`).textContent();
const reviewCell = (page: Page, productId: string, col: string) => page.locator(`.review-table tr[data-product-id="${productId}"] [data-col="${col}"]`).textContent();

async function startCount(page: Page, name: string, blind: boolean): Promise<void> {
  await page.goto(`${server.url}/#/count`);
  await page.getByLabel('Name of the count').fill(name);
  const blindBox = page.getByLabel(/Blind count/);
  if ((await blindBox.isChecked()) !== blind) await blindBox.click();
  await page.getByRole('button', { name: 'Start count' }).click();
  await page.getByRole('heading', { name: `Counting: ${name}` }).waitFor();
}

/** Approval asks first, with the totals; this confirms it. */
async function confirmApproval(page: Page, products: number): Promise<void> {
  await page.getByRole('dialog').getByRole('button', { name: `Approve ${products} product${products === 1 ? '' : 's'}` }).click();
}

const total = (page: Page, name: string) => page.locator(`[data-testid="approve-totals"] [data-total="${name}"]`).textContent();

async function scanTimes(page: Page, barcode: string, times: number, productId: string, total: number): Promise<void> {
  for (let i = 0; i < times; i++) await wedgeScan(page, barcode);
  await expect.poll(() => countedCell(page, productId)).toBe(String(total));
}

describe('counts', () => {
  it('merges a blind count from two devices; the owner reviews and approves; stock and shrinkage follow', async () => {
    server = await devices.server();
    const [owner, helper] = [await device(), await device()];
    await Promise.all([waitUntilSynced(owner), waitUntilSynced(helper)]);

    await startCount(owner, 'Aisle 3', true);
    // The owner counts 3 milk and 1 spaghetti.
    await scanTimes(owner, code(milk), 3, milk.id, 3);
    await scanTimes(owner, code(spaghetti), 1, spaghetti.id, 1);
    expect(await owner.locator('.count-table th', { hasText: 'Expected' }).count()).toBe(0);
    await expect.poll(() => pendingCount(owner), { timeout: 30_000 }).toBe('0');

    // The helper's phone gets the app by sync and counts in it too, blind.
    await helper.goto(`${server.url}/#/count`);
    await helper.getByRole('button', { name: 'Sync now' }).click();
    await helper.getByRole('button', { name: 'Count Aisle 3' }).click({ timeout: 30_000 });
    expect(await helper.locator('.counting').getAttribute('data-blind')).toBe('true');
    await expect.poll(() => countedCell(helper, milk.id)).toBe('3'); // what the owner counted so far
    await scanTimes(helper, code(milk), 2, milk.id, 5);
    await scanTimes(helper, code(coffee), 2, coffee.id, 2);
    await helper.getByRole('button', { name: 'Undo last' }).click(); // one coffee was scanned twice
    await expect.poll(() => countedCell(helper, coffee.id)).toBe('1');
    expect(await helper.locator('.count-table th', { hasText: 'Expected' }).count()).toBe(0);
    expect(await helper.locator('.count-table').textContent()).not.toContain('48');
    await expect.poll(() => pendingCount(helper), { timeout: 30_000 }).toBe('0');

    // The owner pulls the helper's counts and reviews: counted − expected, valued at unit cost.
    await owner.getByRole('button', { name: 'Sync now' }).click();
    await owner.getByRole('button', { name: '← All counts' }).click();
    await owner.getByRole('button', { name: 'Review Aisle 3' }).click();
    await expect.poll(() => reviewCell(owner, milk.id, 'counted'), { timeout: 30_000 }).toBe('5');
    await expect.poll(() => reviewCell(owner, coffee.id, 'counted'), { timeout: 30_000 }).toBe('1');
    expect(await reviewCell(owner, milk.id, 'expected')).toBe('48');
    expect(await reviewCell(owner, milk.id, 'variance')).toBe('-43');
    expect(await reviewCell(owner, milk.id, 'value')).toBe(eur(-43 * 71)); // −30.53
    expect(await reviewCell(owner, coffee.id, 'variance')).toBe('-17');
    expect(await reviewCell(owner, coffee.id, 'value')).toBe(eur(-17 * 340)); // −57.80
    expect(await reviewCell(owner, spaghetti.id, 'variance')).toBe('-39');
    expect(await reviewCell(owner, spaghetti.id, 'value')).toBe(eur(-39 * 60)); // −23.40
    const shrinkage = 43 * 71 + 17 * 340 + 39 * 60; // 111.73
    expect(await owner.getByTestId('variance-total').textContent()).toBe(eur(-shrinkage));

    await owner.getByRole('button', { name: 'Approve count' }).click();
    await confirmApproval(owner, 3);
    await expect.poll(() => owner.locator('.review').getAttribute('data-status')).toBe('approved');

    const [approval] = await ofKind(owner, 'count-session-approved');
    // Each line also says when it was counted (issue 14): the product's latest increment, from either device.
    const recorded = await ofKind(owner, 'count-recorded');
    const lastCounted = (productId: string) => recorded.flatMap((e) => (e.kind === 'count-recorded' && e.productId === productId ? [e.hlc] : [])).sort().at(-1);
    expect(approval?.kind === 'count-session-approved' && approval.lines).toEqual([
      { productId: milk.id, countedQty: 5, countedAt: lastCounted(milk.id) },
      { productId: spaghetti.id, countedQty: 1, countedAt: lastCounted(spaghetti.id) },
      { productId: coffee.id, countedQty: 1, countedAt: lastCounted(coffee.id) },
    ]); // sorted by product id: demo-p001, demo-p019, demo-p032
    expect(await ofKind(owner, 'count-recorded')).toHaveLength(3 + 1 + 2 + 2 + 1);
    expect(await onHandOf(owner, milk.id, FLOOR)).toBe(5);
    expect(await onHandOf(owner, coffee.id, FLOOR)).toBe(1);
    expect(await onHandOf(owner, spaghetti.id, FLOOR)).toBe(1);

    // The whole ledger folded independently in Node: stock and journal.
    const ledger = Books.fromEvents(await events(owner), { valuation: 'fifo' });
    expect(ledger.onHand(milk.id, FLOOR)).toBe(5);
    expect(ledger.onHand(coffee.id, FLOOR)).toBe(1);
    expect(ledger.onHand(spaghetti.id, FLOOR)).toBe(1);
    expect(ledger.onHand(cola.id, FLOOR)).toBe(72); // not counted: left as it was
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(shrinkage);
    const entry = journalEntryOf(ledger, approval?.id ?? '');
    const sum = (account: string, side: 'debit' | 'credit') => entry?.lines.filter((l) => l.account === account).reduce((s, l) => s + l[side], 0);
    expect(sum('inventoryShrinkage', 'debit')).toBe(shrinkage);
    expect(sum('inventory', 'credit')).toBe(shrinkage);
    const trial = trialBalance(ledger);
    expect(trial.totalDebit).toBe(trial.totalCredit);

    // The helper's device follows after its next sync.
    await helper.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => onHandOf(helper, milk.id, FLOOR), { timeout: 30_000 }).toBe(5);
    expect(await onHandOf(helper, coffee.id, FLOOR)).toBe(1);
  });

  it('says so when a scanned code is unknown and records nothing; shows expected quantities when not blind', async () => {
    server = await devices.server();
    const page = await device();
    await startCount(page, 'Drinks', false);

    await wedgeScan(page, '9780201379624');
    await expect.poll(() => page.getByTestId('count-notice').textContent()).toContain('No product has the code 9780201379624.');
    expect(await page.getByTestId('count-notice').textContent()).toContain('Nothing was counted');
    expect(await page.getByTestId('count-notice').getAttribute('role')).toBe('alert');
    expect(await ofKind(page, 'count-recorded')).toHaveLength(0);

    await scanTimes(page, code(cola), 1, cola.id, 1);
    expect(await page.locator('.count-table th', { hasText: 'Expected' }).count()).toBe(1);
    expect(await page.locator(`.count-table tr[data-product-id="${cola.id}"] td`).nth(2).textContent()).toBe('72');
    expect(await ofKind(page, 'count-recorded')).toHaveLength(1);
  });
  it('takes a first stock-take (opening balance) in a place with no stock: the count simply sets it', async () => {
    server = await devices.server();
    const page = await device();
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('This device sells from').selectOption(BACK);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('button', { name: 'Move to Back room' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await onHandOf(page, basil.id, BACK)).toBe(0);

    await startCount(page, 'Back room opening', false);
    expect(await page.locator('.screen').textContent()).toContain('Back room');
    await scanTimes(page, code(basil), 3, basil.id, 3);
    await page.getByRole('button', { name: '← All counts' }).click();
    expect(await page.locator('.count-new').textContent()).toContain('First stock-take');
    await page.getByRole('button', { name: 'Review Back room opening' }).click();
    expect(await reviewCell(page, basil.id, 'expected')).toBe('0');
    expect(await reviewCell(page, basil.id, 'variance')).toBe('+3');
    await page.getByRole('button', { name: 'Approve count' }).click();
    await confirmApproval(page, 1);
    await expect.poll(() => page.locator('.review').getAttribute('data-status')).toBe('approved');
    expect(await onHandOf(page, basil.id, BACK)).toBe(3);
    // Found stock with no cost history is valued at the catalog cost (0.90 each).
    await expect.poll(() => reviewCell(page, basil.id, 'value')).toBe(eur(3 * 90));
    const ledger = Books.fromEvents(await events(page), { valuation: 'fifo' });
    expect(ledger.onHand(basil.id, BACK)).toBe(3);
    expect(ledger.valuationOf(basil.id, BACK).value).toBe(270);
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(-270);
  });
  it('limits a count to picked products and refuses to count anything else', async () => {
    server = await devices.server();
    const page = await device();
    await page.goto(`${server.url}/#/count`);
    await page.getByLabel('Name of the count').fill('Pasta shelf');
    await page.getByLabel(/Only some products/).check();
    await page.getByLabel('Find products to include').fill('spaghetti');
    await page.getByLabel(spaghetti.name).check();
    await page.getByRole('button', { name: 'Start count' }).click();
    await page.getByRole('heading', { name: 'Counting: Pasta shelf' }).waitFor();
    const [opened] = await ofKind(page, 'count-session-opened');
    expect(opened?.kind === 'count-session-opened' && opened.productIds).toEqual([spaghetti.id]);

    await wedgeScan(page, code(cola));
    await expect.poll(() => page.getByTestId('count-notice').textContent()).toBe(`${cola.name} is not part of "Pasta shelf". Nothing was counted.`);
    await scanTimes(page, code(spaghetti), 2, spaghetti.id, 2);
    expect((await ofKind(page, 'count-recorded')).map((e) => e.kind === 'count-recorded' && e.productId)).toEqual([spaghetti.id, spaghetti.id]);
  });
  it('issue 14 item 7 (phone): a count taken before a 48-unit delivery and approved after it keeps the delivery; the shrinkage is only the real variance', async () => {
    server = await devices.server();
    const page = await device();
    await waitUntilSynced(page);
    await startCount(page, 'Dairy fridge', false);
    // 45 milk on the shelf (48 expected): a case typed, then one scan.
    await page.getByLabel('How many the next scan or pick adds').fill('45');
    await scanTimes(page, code(milk), 1, milk.id, 45);

    // Then a 48-unit delivery of milk is received, before the owner approves.
    await page.goto(`${server.url}/#/receive`);
    await page.getByRole('button', { name: 'Receive without an order' }).click();
    await page.getByLabel('Supplier').fill('Dairy Co');
    await wedgeScan(page, code(milk));
    await page.getByLabel(`Quantity of ${milk.name}`).fill('48');
    await page.getByLabel(`Unit cost of ${milk.name}`).fill('0.71');
    await page.getByRole('button', { name: 'Record delivery' }).click();
    await page.getByTestId('receipt-result').waitFor();
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(96);

    // The review shows the count as at the moment it was taken, and the delivery since.
    await page.goto(`${server.url}/#/count`);
    await page.getByRole('button', { name: 'Review Dairy fridge' }).click();
    expect(await reviewCell(page, milk.id, 'counted')).toBe('45');
    expect(await reviewCell(page, milk.id, 'expected')).toBe('48');
    expect(await reviewCell(page, milk.id, 'variance')).toBe('-3');
    expect(await reviewCell(page, milk.id, 'moved')).toBe('+48');
    expect(await reviewCell(page, milk.id, 'resulting')).toBe('93');
    expect(await reviewCell(page, milk.id, 'value')).toBe(eur(-3 * 71));
    expect(await page.getByTestId('uncounted-rule').textContent()).toContain('Products nobody counted keep their stock as it is');

    // Approving asks first, with the totals; Cancel changes nothing.
    await page.getByRole('button', { name: 'Approve count' }).click();
    expect(await page.getByRole('dialog').getByRole('heading').textContent()).toBe('Approve “Dairy fridge”?');
    expect(await total(page, 'products')).toBe('1');
    expect(await total(page, 'units')).toBe('-3 pieces');
    expect(await total(page, 'value')).toBe(eur(-3 * 71));
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await ofKind(page, 'count-session-approved')).toHaveLength(0);
    await page.getByRole('button', { name: 'Approve count' }).click();
    await confirmApproval(page, 1);
    await expect.poll(() => page.locator('.review').getAttribute('data-status')).toBe('approved');

    // 45 counted + 48 delivered since = 93; shrinkage 3 × 0.71, not the delivery.
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(93);
    expect(await reviewCell(page, milk.id, 'resulting')).toBe('93');
    const ledger = Books.fromEvents(await events(page), { valuation: 'fifo' });
    expect(ledger.onHand(milk.id, FLOOR)).toBe(93);
    expect(balanceOf(ledger, 'inventoryShrinkage')).toBe(3 * 71);
    const trial = trialBalance(ledger);
    expect(trial.totalDebit).toBe(trial.totalCredit);
  });

  it('issue 14 item 8 (phone): a typed 24 counts a case in one scan; a full count that zeroes says so and sets the products nobody counted to zero', async () => {
    server = await devices.server();
    const page = await device();
    await waitUntilSynced(page);
    await page.goto(`${server.url}/#/count`);
    await page.getByLabel('Name of the count').fill('Year end');
    await page.getByLabel(/Set their stock to zero/).check();
    await page.getByRole('button', { name: 'Start count' }).click();
    await page.getByRole('heading', { name: 'Counting: Year end' }).waitFor();
    const [opened] = await ofKind(page, 'count-session-opened');
    expect(opened?.kind === 'count-session-opened' && opened.uncounted).toBe('set-to-zero');

    // A case of 24 cola: typed, then one scan adds 24; the field goes back to 1.
    await page.getByLabel('How many the next scan or pick adds').fill('24');
    expect(await page.locator('#count-qty-hint').textContent()).toContain('The next scan or pick adds 24');
    await scanTimes(page, code(cola), 1, cola.id, 24);
    expect(await page.getByLabel('How many the next scan or pick adds').inputValue()).toBe('1');
    expect(await page.getByTestId('count-notice').textContent()).toBe(`Counted 24 × ${cola.name}.`);
    // Then one more can by a scan: 25; undo takes back that one, then the case.
    await scanTimes(page, code(cola), 1, cola.id, 25);
    await page.getByRole('button', { name: 'Undo last' }).click();
    await expect.poll(() => countedCell(page, cola.id)).toBe('24');
    expect((await ofKind(page, 'count-recorded')).map((e) => e.kind === 'count-recorded' && e.qty)).toEqual([24, 1, -1]);
    // Something that is not a quantity counts nothing and says so.
    await page.getByLabel('How many the next scan or pick adds').fill('0');
    await wedgeScan(page, code(cola));
    await expect.poll(() => page.getByTestId('count-notice').textContent()).toContain('is not a quantity');
    expect(await countedCell(page, cola.id)).toBe('24');

    // The review says what happens to products nobody counted, and lists them.
    await page.getByRole('button', { name: '← All counts' }).click();
    await page.getByRole('button', { name: 'Review Year end' }).click();
    expect(await page.getByTestId('uncounted-rule').textContent()).toContain('Products nobody counted are set to zero');
    expect(await reviewCell(page, cola.id, 'counted')).toBe('24');
    expect(await reviewCell(page, milk.id, 'counted')).toBe('0 (not counted)');
    expect(await reviewCell(page, milk.id, 'resulting')).toBe('0');
    const stocked = DEMO_PRODUCTS.filter((p) => p.id !== cola.id);
    const onFloor = (await Promise.all(stocked.map(async (p) => ((await onHandOf(page, p.id, FLOOR)) !== 0 ? 1 : 0)))).reduce<number>((a, b) => a + b, 0);
    await page.getByRole('button', { name: 'Approve count' }).click();
    expect(await total(page, 'products')).toBe(String(onFloor + 1));
    await confirmApproval(page, onFloor + 1);
    await expect.poll(() => page.locator('.review').getAttribute('data-status')).toBe('approved');
    expect(await onHandOf(page, cola.id, FLOOR)).toBe(24);
    expect(await onHandOf(page, milk.id, FLOOR)).toBe(0);
    expect(await onHandOf(page, coffee.id, FLOOR)).toBe(0);
    const ledger = Books.fromEvents(await events(page), { valuation: 'fifo' });
    expect(ledger.stockLevels().filter((l) => l.locationId === FLOOR && l.qty !== 0).map((l) => l.productId)).toEqual([cola.id]);
  });
});
