/**
 * Staff on a shared till (issue 17), in the browser at 1280×800: a cashier's void and price override
 * wait for a supervisor's PIN on the spot and record who approved (`approvedBy`); cancelling records
 * nothing and says why; two cashiers on one tablet each keep a shift of their own, and each Z report
 * names its cashier and counts only their sales. The staff are defined as the owner's events on the
 * server (the Staff screen is another's), PINs hashed in Node with the app's own `hashPin`; members
 * sign in through the lock screen.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EVENT_SCHEMA_VERSION, type EventOf, type LedgerEvent, type StaffMemberSnapshot, type StaffRole } from '../../src/domain/events.ts';
import { encodeHlc } from '../../src/domain/hlc.ts';
import { MIN_PIN_ITERATIONS } from '../../src/domain/staff.ts';
import { eventRowOf } from '../../src/server/storage/store.ts';
import { hashPin } from '../../src/ui/staff/pin-hash.ts';
import { testUuidV7 } from '../domain/support/event-factory.ts';
import { appPerTest } from './app-per-test.ts';
import { demoProduct, eur, FLOOR, PHONE, readLedger, seriousViolations, TABLET, wedgeScan } from './harness.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../.tmp/shots');
const coffee = demoProduct('Ground coffee 250 g');
const code = (p: { barcodes: readonly string[] }) => p.barcodes[0] ?? '';

const app = appPerTest();

interface Member extends StaffMemberSnapshot {
  pinText: string;
}

async function member(name: string, role: StaffRole, pinText: string): Promise<Member> {
  return { id: testUuidV7(Date.now()), name, role, pin: await hashPin(pinText, MIN_PIN_ITERATIONS), active: true, pinText };
}

/** The owner's device defines the staff; the events reach the tablet by sync. */
async function defineStaff(page: Page, members: Member[]): Promise<void> {
  const now = Date.now();
  const events = members.map((m, i): LedgerEvent => {
    const { pinText: _pin, ...snapshot } = m;
    return {
      id: testUuidV7(now + i),
      schema: EVENT_SCHEMA_VERSION,
      storeId: app.server.server.storeId,
      locationId: FLOOR,
      deviceId: 'owner-device',
      seq: i + 1,
      hlc: encodeHlc({ wallMs: now, counter: i, deviceId: 'owner-device' }),
      recordedAt: new Date(now).toISOString(),
      userId: 'Owner',
      currency: 'EUR',
      kind: 'staff-member-defined',
      member: snapshot,
    };
  });
  await app.server.server.storage.appendEvents(events.map((e) => eventRowOf(e, JSON.stringify(e))), new Date(now).toISOString());
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByTestId('lock-screen').waitFor({ timeout: 30_000 });
}

async function signIn(page: Page, who: Member): Promise<void> {
  const lock = page.getByTestId('lock-screen');
  await lock.getByRole('button', { name: new RegExp(`^${who.name}`) }).click();
  await lock.getByLabel(`${who.name}’s PIN`).fill(who.pinText);
  await lock.getByLabel(`${who.name}’s PIN`).press('Enter');
  await lock.waitFor({ state: 'detached', timeout: 15_000 });
}

async function switchUser(page: Page, who: Member): Promise<void> {
  await page.getByTestId('actor-button').click();
  await signIn(page, who);
}

/** Approves in the open dialog as `who` with their PIN. */
async function approveAs(page: Page, who: Member, pinText = who.pinText): Promise<void> {
  const dialog = page.getByTestId('approval-dialog');
  const choice = dialog.getByRole('button', { name: new RegExp(`^${who.name}`) });
  if ((await choice.getAttribute('aria-pressed')) !== 'true') await choice.click();
  await dialog.getByLabel(`${who.name}’s PIN`).fill(pinText);
  await dialog.getByLabel(`${who.name}’s PIN`).press('Enter');
}

async function sellCoffee(page: Page, times = 1): Promise<void> {
  await page.goto(`${app.server.url}/#/sell`);
  for (let i = 0; i < times; i++) await wedgeScan(page, code(coffee));
  await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(times * coffee.price));
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByRole('button', { name: 'Exact cash' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByRole('button', { name: 'New sale' }).click();
}

const ofKind = async <K extends LedgerEvent['kind']>(page: Page, kind: K): Promise<EventOf<K>[]> =>
  (await readLedger<LedgerEvent>(page)).filter((e): e is EventOf<K> => e.kind === kind);

let ana: Member;
let ben: Member;
let sue: Member;
let max: Member;
beforeEach(async () => {
  [max, ana, ben, sue] = [await member('Max', 'manager', '9090'), await member('Ana', 'cashier', '2468'), await member('Ben', 'cashier', '1212'), await member('Sue', 'supervisor', '1357')];
});

describe('a supervisor approves on the spot', () => {
  it('a cashier’s void waits for a supervisor’s PIN and records who approved; cancelling records nothing', async () => {
    const { page } = app;
    await defineStaff(page, [max, ana, ben, sue]);
    await signIn(page, ana);
    await page.goto(`${app.server.url}/#/shift`);
    await page.getByLabel(/Float in the drawer/).fill('50');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await expect.poll(() => page.locator('.shift-screen').getAttribute('data-shift-status')).toBe('open');
    await sellCoffee(page);
    const [sale] = await ofKind(page, 'sale');
    expect(sale).toMatchObject({ userId: ana.id });

    await page.goto(`${app.server.url}/#/sales`);
    const row = page.locator(`[data-receipt="${sale!.receiptNo}"]`);
    expect(await row.getByTestId('sale-cashier').textContent()).toBe('Ana');
    await row.locator('.sale-row').click();
    expect(await row.getByTestId('receipt-cashier').textContent()).toBe('Ana');
    const voidOnce = async () => {
      await row.getByRole('button', { name: 'Void sale' }).click();
      const voidDialog = page.getByRole('dialog', { name: /Void receipt/ });
      await voidDialog.getByRole('radio', { name: 'Wrong item' }).check();
      await voidDialog.getByRole('button', { name: /^Void/ }).click();
      await page.getByTestId('approval-dialog').waitFor();
      return voidDialog;
    };

    // Cancel: nothing is recorded, and the void dialog says why.
    const voidDialog = await voidOnce();
    const approval = page.getByTestId('approval-dialog');
    expect(await approval.getByTestId('approval-summary').textContent()).toBe(`Void receipt ${sale!.receiptNo} (${eur(coffee.price)}): Wrong item`);
    expect(await approval.textContent()).toContain('Voiding a sale needs a supervisor’s approval: Ana is a cashier.');
    // Those who may approve: Sue (supervisor) and Max (manager), not Ana herself nor Ben (cashier).
    expect(await approval.getByRole('group', { name: 'Who approves?' }).getByRole('button').allTextContents()).toEqual(['Max Manager', 'Sue Supervisor']);
    await approval.getByRole('button', { name: /^Sue/ }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'approval-void-1280x800.png') });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: path.join(SHOTS, 'approval-void-390x844.png') });
    await page.setViewportSize(TABLET);
    await approval.getByRole('button', { name: 'Cancel' }).click();
    await approval.waitFor({ state: 'detached' });
    await expect.poll(() => voidDialog.getByRole('alert').textContent()).toContain('Voiding a sale needs a supervisor’s approval: ask one to enter their PIN.');
    expect(await ofKind(page, 'sale-voided')).toEqual([]);
    await voidDialog.getByRole('button', { name: 'Cancel' }).click();

    // A wrong PIN is refused and kept for the audit trail; Sue's right one records the void.
    await voidOnce();
    await approveAs(page, sue, '0000');
    await expect.poll(() => approval.getByRole('alert').first().textContent()).toContain('Wrong PIN: 4 tries left.');
    expect(await ofKind(page, 'pin-rejected')).toMatchObject([{ memberId: sue.id, purpose: 'approval', userId: ana.id }]);
    await approveAs(page, sue);
    await approval.waitFor({ state: 'detached' });
    await expect.poll(async () => (await ofKind(page, 'sale-voided')).length).toBe(1);
    const [voided] = await ofKind(page, 'sale-voided');
    expect(voided).toMatchObject({ saleId: sale!.id, userId: ana.id, approvedBy: sue.id, reason: 'Wrong item' });
  });

  it('a price changed at the till needs a supervisor’s approval, and the sale records the catalog price', async () => {
    const { page } = app;
    await defineStaff(page, [max, ana, sue]);
    await signIn(page, ana);
    await page.goto(`${app.server.url}/#/sell`);
    await wedgeScan(page, code(coffee));
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(coffee.price));
    // Keyboard: the button, then the new price and Enter.
    await page.getByRole('button', { name: `Change price of ${coffee.name}` }).click();
    // Typed at a person's pace: an Enter within 150 ms of the scan's own Enter would be taken for
    // the scanner's CR LF suffix (keyboard-wedge.ts), as it should be, and never reach the field.
    await page.getByLabel(`New price of ${coffee.name}`).fill('');
    await page.getByLabel(`New price of ${coffee.name}`).pressSequentially('4.00', { delay: 200 });
    await page.getByLabel(`New price of ${coffee.name}`).press('Enter');
    await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe(eur(400));
    expect(await page.getByTestId('price-override').textContent()).toContain(`was ${eur(coffee.price)}`);
    await page.screenshot({ path: path.join(SHOTS, 'sell-price-override-1280x800.png') });
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('button', { name: 'Exact cash' }).click();
    await page.getByRole('button', { name: 'Complete sale', exact: false }).click();
    const approval = page.getByTestId('approval-dialog');
    await approval.waitFor();
    expect(await approval.getByTestId('approval-summary').textContent()).toBe(`Sale of ${eur(400)}: ${coffee.name} at ${eur(400)} instead of ${eur(coffee.price)}`);
    await page.screenshot({ path: path.join(SHOTS, 'approval-price-1280x800.png') });
    await approveAs(page, sue);
    await page.getByRole('button', { name: 'New sale' }).waitFor();
    const [sale] = await ofKind(page, 'sale');
    expect(sale).toMatchObject({ userId: ana.id, approvedBy: sue.id, totals: { gross: 400 }, lines: [{ unitPrice: 400, listPrice: coffee.price }] });
  });
});

describe('one shift per cashier on a shared tablet', () => {
  it('two cashiers each open, sell into and close a shift; each Z report names its cashier and counts only their sales', async () => {
    const { page } = app;
    await defineStaff(page, [max, ana, ben]);
    const openShift = async (float: string) => {
      await page.goto(`${app.server.url}/#/shift`);
      await page.getByLabel(/Float in the drawer/).fill(float);
      await page.getByRole('button', { name: 'Open shift' }).click();
      await expect.poll(() => page.locator('.shift-screen').getAttribute('data-shift-status')).toBe('open');
    };
    const closeShift = async (counted: number) => {
      await page.goto(`${app.server.url}/#/shift`);
      await page.getByLabel(/Cash counted in the drawer/).fill((counted / 100).toFixed(2));
      await page.getByRole('button', { name: 'Close shift' }).click();
      await expect.poll(() => page.locator('.shift-report').getAttribute('data-report')).toBe('Z');
    };

    await signIn(page, ana);
    await openShift('50');
    await sellCoffee(page);
    await switchUser(page, ben);
    // Ana's shift is hers: Ben finds none open and opens his own on the same tablet.
    await page.goto(`${app.server.url}/#/shift`);
    expect(await page.locator('.shift-screen').getAttribute('data-shift-status')).toBe('closed');
    await openShift('20');
    await sellCoffee(page);
    await sellCoffee(page);
    await closeShift(2_000 + 2 * coffee.price);
    const report = page.locator('.shift-report');
    expect(await report.getByTestId('report-cashier').textContent()).toBe('Ben');
    expect(await report.textContent()).toContain('2 sales · 0 voids');
    expect(await report.getByTestId('report-cash-sales').textContent()).toBe(eur(2 * coffee.price));
    await page.screenshot({ path: path.join(SHOTS, 'shift-z-ben-1280x800.png') });

    await switchUser(page, ana);
    await page.goto(`${app.server.url}/#/shift`);
    expect(await page.locator('.shift-screen').getAttribute('data-shift-status')).toBe('open');
    expect(await page.locator('.shift-screen .hint').first().textContent()).toContain('Ana’s shift');
    await closeShift(5_000 + coffee.price);
    expect(await report.getByTestId('report-cashier').textContent()).toBe('Ana');
    expect(await report.textContent()).toContain('1 sales · 0 voids');
    expect(await report.getByTestId('report-cash-sales').textContent()).toBe(eur(coffee.price));
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: path.join(SHOTS, 'shift-z-ana-390x844.png'), fullPage: true });

    const opened = await ofKind(page, 'shift-opened');
    const sales = await ofKind(page, 'sale');
    const shiftOf = (who: Member) => opened.find((s) => s.userId === who.id)?.shiftId;
    expect(sales.filter((s) => s.userId === ana.id).map((s) => s.shiftId)).toEqual([shiftOf(ana)]);
    expect(sales.filter((s) => s.userId === ben.id).map((s) => s.shiftId)).toEqual([shiftOf(ben), shiftOf(ben)]);
    // Both closed with the drawer as expected: nothing to approve.
    expect((await ofKind(page, 'shift-closed')).map((c) => c.countedCash === c.expectedCash)).toEqual([true, true]);
  });
});
