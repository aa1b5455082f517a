/**
 * Staff on a shared till (issue 17), on a tablet (1280×800): the owner defines a manager and a
 * cashier on the Staff screen; the till then asks who is acting; signing in by PIN stamps every new
 * event with the member's id; switching user is one tap and a PIN; 5 wrong PINs refuse the member for
 * a minute, across a reload; the till locks itself after the store's idle time. Time is Playwright's
 * clock (`page.clock`), installed before the page loads, so a minute passes at once.
 */
import { mkdirSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { appPerTest } from './app-per-test.ts';
import { PHONE, TABLET, demoProduct, payExactCash, readLedger, readMeta, seriousViolations, noHorizontalOverflow } from './harness.ts';

const app = appPerTest({ path: '/#/staff' });
let page: Page;
beforeEach(async () => {
  page = app.page;
  // Fake timers for the whole test: installed, then the app loaded again under them.
  await page.clock.install();
  await page.reload();
  await page.waitForSelector('.app');
});

const milk = demoProduct('Whole milk 1 l');
const SHOTS = '.tmp/shots';

/** Every string or number in an event, however deep, as text. */
function leafValues(value: unknown): string[] {
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(leafValues);
}

async function addMember(name: string, role: 'Manager' | 'Supervisor' | 'Cashier', pin: string): Promise<string> {
  await page.goto(`${app.server.url}/#/staff`);
  await page.getByRole('button', { name: /^Add (yourself as the first manager|a staff member)$/ }).click();
  const form = page.getByTestId('staff-form');
  await form.getByLabel('Name (as on receipts and reports)').fill(name);
  await form.getByLabel(new RegExp(`^${role}:`)).check();
  await form.getByLabel('PIN (4 to 6 digits)').fill(pin);
  await form.getByLabel('The same PIN again').fill(pin);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect.poll(() => page.getByTestId('staff-notice').textContent(), { timeout: 15_000 }).toBe(`Added ${name} (${role.toLowerCase()}).`);
  const defined = (await readLedger<LedgerEvent>(page)).filter((e) => e.kind === 'staff-member-defined' && e.member.name === name);
  expect(defined).toHaveLength(1);
  return defined[0]!.kind === 'staff-member-defined' ? defined[0]!.member.id : '';
}

const lockScreen = () => page.getByTestId('lock-screen');
const pinAlert = () => lockScreen().getByTestId('pin-pad').getByRole('alert');

async function tapName(name: string): Promise<void> {
  await lockScreen().getByRole('button', { name: new RegExp(`^${name}`) }).click();
}

/** Types the PIN into the labelled field and presses Enter, as a keyboard user does. */
async function typePin(name: string, pin: string): Promise<void> {
  const field = lockScreen().getByLabel(`${name}’s PIN`);
  await field.pressSequentially(pin);
  await field.press('Enter');
}

/** Taps the PIN on the pad's buttons, then OK. */
async function tapPin(pin: string): Promise<void> {
  const pad = lockScreen().getByTestId('pin-pad');
  for (const digit of pin) await pad.getByRole('button', { name: digit, exact: true }).click();
  await pad.getByRole('button', { name: 'OK', exact: true }).click();
}

async function signedInAs(name: string): Promise<void> {
  await expect.poll(() => page.getByTestId('actor-button').textContent(), { timeout: 15_000 }).toBe(`${name} · Switch user`);
  expect(await lockScreen().count()).toBe(0);
}

async function sellMilk(): Promise<LedgerEvent> {
  await page.goto(`${app.server.url}/#/sell`);
  await page.locator('.product-tile').filter({ hasText: milk.name }).first().click();
  await payExactCash(page);
  await page.getByRole('button', { name: 'New sale' }).click();
  const sales = (await readLedger<LedgerEvent>(page)).filter((e) => e.kind === 'sale');
  return sales.sort((a, b) => (a.hlc < b.hlc ? -1 : 1)).at(-1)!;
}

describe('staff on a shared till', () => {
  it('asks who is acting once there is staff, stamps each event with the member, and switches user by one tap and a PIN', async () => {
    // Before any staff: the till works as ever, no lock, no member in the top bar.
    await expect.poll(() => page.getByTestId('staff-empty').count()).toBe(1);
    expect(await page.getByTestId('actor-button').count()).toBe(0);
    expect(await page.getByText('The first member is you, the owner, as a manager').count()).toBe(1);

    const mia = await addMember('Mia', 'Manager', '1357');
    // The owner who just chose the PIN is signed in as that first manager.
    await signedInAs('Mia');
    const ana = await addMember('Ana', 'Cashier', '2468');
    const anaDefined = (await readLedger<LedgerEvent>(page)).find((e) => e.kind === 'staff-member-defined' && e.member.id === ana);
    expect(anaDefined?.userId).toBe(mia);
    // The PIN is kept only as its PBKDF2 hash. (Not a substring check of the whole event: its ids
    // start with the time in hex, and at some minutes of a day those hold "2468" too.)
    expect(leafValues(anaDefined)).not.toContain('2468');
    expect(anaDefined?.kind === 'staff-member-defined' && anaDefined.member.pin).toMatchObject({ algorithm: 'PBKDF2-SHA-256', hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) });
    const rows = page.getByTestId('staff-list').locator('tbody tr');
    expect(await rows.allInnerTexts()).toEqual([expect.stringMatching(/^Ana\s+Cashier\s+Active/), expect.stringMatching(/^Mia\s+Manager\s+Active/)]);

    // One tap locks the till: the whole app is behind the lock screen, which lists the staff.
    await page.getByTestId('actor-button').click();
    await lockScreen().waitFor();
    expect(await page.locator('.app').getAttribute('inert')).not.toBeNull();
    expect(await lockScreen().getByRole('button').allInnerTexts()).toEqual([expect.stringMatching(/^Ana\s+Cashier$/), expect.stringMatching(/^Mia\s+Manager$/)]);

    // Ana signs in with the keyboard; her sale carries her member id.
    await tapName('Ana');
    await typePin('Ana', '2468');
    await signedInAs('Ana');
    expect((await sellMilk()).userId).toBe(ana);

    // Switching: one tap on the name in the top bar, a tap on Mia, her PIN on the pad.
    await page.getByTestId('actor-button').click();
    await tapName('Mia');
    await tapPin('1357');
    await signedInAs('Mia');
    expect((await sellMilk()).userId).toBe(mia);

    // A reload within the idle time keeps Mia signed in.
    await page.reload();
    await signedInAs('Mia');
  });

  it('refuses a member for a minute after 5 wrong PINs, records each, keeps the lockout across a reload, and takes the right PIN after it', async () => {
    await addMember('Mia', 'Manager', '1357');
    const ana = await addMember('Ana', 'Cashier', '2468');
    await page.getByTestId('actor-button').click();
    await tapName('Ana');
    for (const left of [4, 3, 2, 1]) {
      await typePin('Ana', '1111');
      await expect.poll(() => pinAlert().textContent()).toBe(`Wrong PIN: ${left} ${left === 1 ? 'try' : 'tries'} left.`);
    }
    await typePin('Ana', '1111');
    await expect.poll(() => pinAlert().textContent()).toBe('Too many wrong PINs for Ana: try again in 60 s, or ask a manager.');
    await expect.poll(() => lockScreen().getByLabel('Ana’s PIN').isDisabled()).toBe(true);
    const rejected = (await readLedger<LedgerEvent>(page)).filter((e) => e.kind === 'pin-rejected');
    expect(rejected.map((e) => e.kind === 'pin-rejected' && [e.memberId, e.purpose])).toEqual(Array.from({ length: 5 }, () => [ana, 'sign-in']));
    expect(await readMeta(page, 'pinAttempts')).toEqual({ [ana]: { failures: 5, lastFailureAt: expect.any(Number) } });

    // Mia is not refused for Ana's tries; a reload does not lift Ana's lockout.
    await tapName('Mia');
    await lockScreen().getByLabel('Mia’s PIN').waitFor();
    expect(await lockScreen().getByLabel('Mia’s PIN').isDisabled()).toBe(false);
    await page.reload();
    await tapName('Ana');
    await expect.poll(() => pinAlert().textContent()).toMatch(/^Too many wrong PINs for Ana: try again in \d+ s, or ask a manager\.$/);
    await expect.poll(() => lockScreen().getByRole('button', { name: 'OK', exact: true }).isDisabled()).toBe(true);

    // A minute later Ana may try again, and her right PIN signs her in.
    await page.clock.fastForward(60_000);
    await expect.poll(() => lockScreen().getByLabel('Ana’s PIN').isDisabled()).toBe(false);
    expect(await pinAlert().textContent()).toBe('');
    await typePin('Ana', '2468');
    await signedInAs('Ana');
    expect(await readMeta(page, 'pinAttempts')).toEqual({});
    expect((await readLedger<LedgerEvent>(page)).filter((e) => e.kind === 'pin-rejected')).toHaveLength(5);
  });

  it('locks itself after the store’s idle time without a touch, and only a manager changes the store’s settings', async () => {
    await addMember('Mia', 'Manager', '1357');
    await addMember('Ana', 'Cashier', '2468');

    // Mia (a manager) sets the idle lock to 1 minute in Settings → This store.
    await page.goto(`${app.server.url}/#/settings`);
    await page.getByLabel('Lock the till after (minutes without a touch)').fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const changes = (await readLedger<LedgerEvent>(page)).filter((e) => e.kind === 'store-settings-changed').map((e) => e.kind === 'store-settings-changed' && e.changes);
    expect(changes).toEqual([{ idleLockMinutes: 1 }]);

    // 40 s idle, a touch, 40 s more: not locked (the idle time counts from the last touch) …
    await page.clock.fastForward(40_000);
    await page.locator('h1').first().click();
    await page.clock.fastForward(40_000);
    expect(await lockScreen().count()).toBe(0);
    // … 25 s more without one: locked.
    await page.clock.fastForward(25_000);
    await lockScreen().waitFor();

    // Ana (a cashier) may not change the store's settings on the owner's device.
    await tapName('Ana');
    await typePin('Ana', '2468');
    await signedInAs('Ana');
    await page.getByLabel('Lock the till after (minutes without a touch)').fill('10');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Only a manager' }).textContent()).toBe(
      'Only a manager can change the store’s settings: sign in as a manager. The settings were not saved.',
    );
    expect((await readLedger<LedgerEvent>(page)).filter((e) => e.kind === 'store-settings-changed')).toHaveLength(1);
    // An out-of-range idle time is refused at its field, in words.
    await page.getByTestId('actor-button').click();
    await tapName('Mia');
    await typePin('Mia', '1357');
    await signedInAs('Mia');
    await page.getByLabel('Lock the till after (minutes without a touch)').fill('481');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('#store-idleLockMinutes-error').textContent()).toBe(
      'Lock the till after: enter a whole number of minutes from 1 to 480, or 0 to never lock it by itself.',
    );
  });

  it('keeps the Staff screen and the lock screen accessible on a tablet and a phone', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await addMember('Mia', 'Manager', '1357');
    await addMember('Ana', 'Cashier', '2468');
    await page.getByRole('button', { name: 'Change Ana' }).click();
    // A PIN typed once is refused next to the field, before anything is hashed or recorded.
    await page.getByLabel('New PIN (blank keeps the PIN)').fill('12');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('#staff-pin-error').textContent()).toBe('A PIN is 4 to 6 digits. Type it in both PIN fields.');
    for (const [name, viewport] of [['tablet', TABLET], ['phone', PHONE]] as const) {
      await page.setViewportSize(viewport);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await noHorizontalOverflow(page)).toBe(true);
      await page.screenshot({ path: `${SHOTS}/staff-screen-${name}.png`, fullPage: true });
    }
    await page.setViewportSize(TABLET);
    await page.getByTestId('actor-button').click();
    await tapName('Ana');
    await typePin('Ana', '1111');
    await expect.poll(() => pinAlert().textContent()).toBe('Wrong PIN: 4 tries left.');
    for (const [name, viewport] of [['tablet', TABLET], ['phone', PHONE]] as const) {
      await page.setViewportSize(viewport);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await noHorizontalOverflow(page)).toBe(true);
      // Thumb-sized: every button on the lock screen at least 56 px tall.
      const heights = await lockScreen().getByTestId('pin-pad').locator('button').evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().height));
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(56);
      await page.screenshot({ path: `${SHOTS}/lock-screen-${name}.png` });
    }
  });
});
