/**
 * Issue 17, item 5 on the owner's phone (390×844): the audit trail. The owner's back-office device
 * defined Maya (manager) and Sam (cashier), PINs hashed with the app's own PBKDF2; a till recorded
 * Sam's sale, its void and a cash drop both approved by Maya, and a wrong PIN of Sam's: they reach
 * this device by sync. The Audit screen lists them by member (each member's totals at the top), the
 * member filter keeps Maya's approvals, and the downloaded CSV has the same rows. Axe clean, nothing
 * wider than the screen, at 390×844 and 1280×800; a staff device is told why it sees nothing.
 * Build first: `npx vite build`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { businessDateOf, parseCsv } from '../../src/domain/exports/index.ts';
import { eventRowOf } from '../../src/server/storage/store.ts';
import { hashPin } from '../../src/ui/staff/pin-hash.ts';
import { Device, testUuidV7 } from '../domain/support/event-factory.ts';
import { appPerTest } from './app-per-test.ts';
import { FLOOR, PHONE, TABLET, becomeStaff, demoProduct, eur, noHorizontalOverflow, readLedger, readMeta, seriousViolations } from './harness.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/shots');
const app = appPerTest({ viewport: PHONE, path: '/#/sell' });
const milk = demoProduct('Whole milk 1 l');

/** The back office defines the staff; a till records Sam's void, cash drop and wrong PIN. All today, a minute ago. */
async function theShift(storeId: string, now: number): Promise<{ events: LedgerEvent[]; maya: string; sam: string; receiptNo: string; gross: number }> {
  const office = new Device('back-office', FLOOR, now - 60_000);
  const till = new Device('till-front', FLOOR, now - 50_000);
  const maya = testUuidV7(now - 60_000);
  const sam = testUuidV7(now - 60_000);
  const as = (event: LedgerEvent, userId: string, approvedBy?: string): LedgerEvent => ({ ...event, storeId, userId, ...(approvedBy === undefined ? {} : { approvedBy }) });
  const staff = [
    as(office.event({ kind: 'staff-member-defined', member: { id: maya, name: 'Maya', role: 'manager', pin: await hashPin('2468', 100_000), active: true } }), 'owner'),
    as(office.event({ kind: 'staff-member-defined', member: { id: sam, name: 'Sam', role: 'cashier', pin: await hashPin('1357', 100_000), active: true } }), 'owner'),
  ];
  const sale = as(till.sale([{ productId: milk.id, qty: 2, unitPrice: milk.price }]), sam);
  if (sale.kind !== 'sale') throw new Error('not a sale');
  const events = [
    ...staff,
    sale,
    as(till.event({ kind: 'sale-voided', saleId: sale.id, reason: 'Scanned twice' }), sam, maya),
    as(till.event({ kind: 'cash-moved', shiftId: 'shift-front', amount: -2500, reason: 'Drop to the safe' }), sam, maya),
    as(till.event({ kind: 'pin-rejected', memberId: sam, purpose: 'sign-in' }), sam),
  ];
  return { events, maya, sam, receiptNo: sale.receiptNo, gross: sale.totals.gross };
}

describe('the audit trail on the owner’s phone', () => {
  it('lists the void, the cash drop, the approvals and the wrong PIN by member, and downloads them as CSV', async () => {
    const { page, server } = app;
    await expect.poll(() => readMeta(page, 'deviceToken'), { timeout: 30_000 }).toEqual(expect.any(String));
    await expect.poll(() => readMeta(page, 'lastSyncAt'), { timeout: 30_000 }).toEqual(expect.any(String));
    const now = Date.now();
    const shift = await theShift(server.server.storeId, now);
    await server.server.storage.appendEvents(
      shift.events.map((event) => eventRowOf(event, JSON.stringify(event))),
      new Date(now).toISOString(),
    );
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await readLedger(page)).filter((e) => e.kind === 'pin-rejected').length, { timeout: 30_000 }).toBe(1);
    // The store has staff now, so the owner's phone too asks who is acting: Maya, the manager.
    const lock = page.getByTestId('lock-screen');
    await lock.getByRole('button', { name: /^Maya/ }).click();
    await lock.getByLabel('Maya’s PIN').fill('2468');
    await lock.getByLabel('Maya’s PIN').press('Enter');
    await lock.waitFor({ state: 'detached', timeout: 15_000 });

    await page.goto(`${server.url}/#/audit`);
    const entries = page.getByTestId('audit-entry');
    await expect.poll(() => entries.count(), { timeout: 30_000 }).toBe(5);
    const rows = async () =>
      entries.evaluateAll((items) =>
        items.map((li) => [li.getAttribute('data-kind'), li.getAttribute('data-member'), li.querySelector('.audit-amount')?.textContent ?? '', li.querySelector('.audit-detail')?.textContent ?? '', li.querySelector('.audit-meta')?.textContent ?? '']),
      );
    const listed = await rows();
    expect(listed.map((r) => r.slice(0, 4))).toEqual([
      ['void', 'Sam', eur(shift.gross), 'Scanned twice'],
      ['approval', 'Maya', eur(shift.gross), 'Approved voiding a sale for Sam'],
      ['cash-move', 'Sam', eur(-2500), 'Cash out 25.00: Drop to the safe'],
      ['approval', 'Maya', eur(-2500), 'Approved moving cash in or out of the drawer for Sam'],
      ['pin-rejected', 'Sam', '', 'Wrong PIN at sign-in'],
    ]);
    expect(listed[0]?.[4]).toContain(`receipt ${shift.receiptNo}`);
    expect(listed[0]?.[4]).toContain('approved by Maya');
    expect(listed[0]?.[4]).toContain('Shop floor');
    // Each member's totals at the top.
    const members = await page.getByTestId('audit-member').evaluateAll((items) => items.map((li) => [li.getAttribute('data-member'), [...li.querySelectorAll('li')].map((k) => k.textContent)]));
    expect(members).toEqual([
      ['Maya', ['Approval: 2']],
      ['Sam', [`Void: 1 · ${eur(shift.gross)}`, `Cash in or out: 1 · ${eur(-2500)}`, 'Wrong PIN: 1']],
    ]);
    const today = businessDateOf(new Date(now).toISOString(), 'Europe/Dublin');
    expect(await page.getByTestId('audit-period').textContent()).toContain(new Date(`${today}T12:00:00Z`).toLocaleDateString('en-IE', { day: 'numeric', month: 'long', timeZone: 'UTC' }));

    mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/audit-390x844.png` });
    await page.screenshot({ path: `${SHOTS}/audit-390x844-full.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(await noHorizontalOverflow(page)).toBe(true);

    // The downloaded file: the same rows, by member, with the approver.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-audit').click()]);
    expect(download.suggestedFilename()).toBe(`audit-${today}-to-${today}.csv`);
    const csv = parseCsv(readFileSync(await download.path(), 'utf8')).map((r) => r.fields);
    expect(csv[0]).toEqual(['Date', 'Time', 'Member', 'Role', 'Kind', 'Amount', 'Receipt', 'Approved By', 'Detail', 'Device', 'Location']);
    expect(csv.slice(1).map((r) => [r[0], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]])).toEqual([
      [today, 'Sam', 'Cashier', 'Void', (shift.gross / 100).toFixed(2), shift.receiptNo, 'Maya', 'Scanned twice', 'till-front', 'Shop floor'],
      [today, 'Maya', 'Manager', 'Approval', (shift.gross / 100).toFixed(2), shift.receiptNo, 'Maya', 'Approved voiding a sale for Sam', 'till-front', 'Shop floor'],
      [today, 'Sam', 'Cashier', 'Cash in or out', '-25.00', '', 'Maya', 'Cash out 25.00: Drop to the safe', 'till-front', 'Shop floor'],
      [today, 'Maya', 'Manager', 'Approval', '-25.00', '', 'Maya', 'Approved moving cash in or out of the drawer for Sam', 'till-front', 'Shop floor'],
      [today, 'Sam', 'Cashier', 'Wrong PIN', '0.00', '', '', 'Wrong PIN at sign-in', 'till-front', 'Shop floor'],
    ]);

    // One member: Maya's approvals only, on screen and in the file.
    await page.getByRole('combobox', { name: 'Member' }).selectOption({ label: 'Maya' });
    await expect.poll(() => entries.count()).toBe(2);
    expect((await rows()).map((r) => r[0])).toEqual(['approval', 'approval']);
    const [mayaFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-audit').click()]);
    expect(parseCsv(readFileSync(await mayaFile.path(), 'utf8')).slice(1).map((r) => r.fields[2])).toEqual(['Maya', 'Maya']);

    // This week holds today; a custom range before it is empty.
    await page.getByRole('combobox', { name: 'Member' }).selectOption({ label: 'All members' });
    await page.getByRole('button', { name: 'This week' }).click();
    await expect.poll(() => entries.count()).toBe(5);
    await page.getByRole('button', { name: 'From – to' }).click();
    await page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await page.getByLabel('To', { exact: true }).fill('2020-01-31');
    await expect.poll(() => page.getByTestId('audit-empty').count()).toBe(1);
    expect(await entries.count()).toBe(0);

    await page.getByRole('button', { name: 'Today' }).click();
    await expect.poll(() => entries.count()).toBe(5);
    await page.setViewportSize(TABLET);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/audit-1280x800.png` });
    expect(await seriousViolations(page)).toEqual([]);
    expect(await noHorizontalOverflow(page)).toBe(true);

    // A staff device is told whose screen this is.
    await becomeStaff(page, 'staff-token-for-the-test');
    await page.reload();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'only the owner’s device shows it' }).count()).toBe(1);
    expect(await entries.count()).toBe(0);
  });
});
