/** The store's settings: the owner's command, its field errors, and the fields a first sale fixes. */
import { describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/domain/cart.ts';
import { DEFAULT_STORE_SETTINGS } from '../../src/domain/store-settings.ts';
import { changeStoreSettings, completeSale } from '../../src/app/commands/index.ts';
import { bodiesOf, errorsOf, product, Till } from './support.ts';
import { cardThenCash } from '../domain/support/payment.ts';

const owner = () => new Till('dev-owner', { role: 'owner' });

describe('changeStoreSettings', () => {
  it('records only the fields that changed, trimmed and canonical, and the books then hold them', () => {
    const till = owner();
    const form = { ...till.books.storeSettings(), storeName: '  Corner Shop ', address: 'Main St 1\nDublin', locale: 'de-de', timeZone: 'europe/berlin', pricesIncludeTax: false };
    expect(bodiesOf(till.run(changeStoreSettings, form))).toEqual([
      { kind: 'store-settings-changed', changes: { storeName: 'Corner Shop', address: 'Main St 1\nDublin', locale: 'de-DE', timeZone: 'Europe/Berlin', pricesIncludeTax: false } },
    ]);
    till.act(changeStoreSettings, form);
    expect(till.books.storeSettings()).toMatchObject({ storeName: 'Corner Shop', locale: 'de-DE', timeZone: 'Europe/Berlin', pricesIncludeTax: false, currency: DEFAULT_STORE_SETTINGS.currency });
    // The same form again changes nothing, so nothing is recorded.
    expect(bodiesOf(till.run(changeStoreSettings, form))).toEqual([]);
  });

  it('refuses each bad field with a sentence at that field', () => {
    const till = owner();
    const refusal = (input: Parameters<typeof changeStoreSettings.run>[0]) => errorsOf(till.run(changeStoreSettings, input));
    expect(refusal({ storeName: '  ' })).toEqual([{ field: 'storeName', message: 'Enter the store’s name: it is printed on every receipt.' }]);
    expect(refusal({ storeName: 'x'.repeat(81) })).toEqual([{ field: 'storeName', message: 'Keep the store’s name to 80 characters or fewer.' }]);
    expect(refusal({ currency: 'EURO' })).toEqual([{ field: 'currency', message: '“EURO” is not a currency code: use the 3-letter ISO 4217 code, such as EUR, GBP or CHF.' }]);
    expect(refusal({ currency: 'XQZ' })).toEqual([{ field: 'currency', message: '“XQZ” is not a currency code: use the 3-letter ISO 4217 code, such as EUR, GBP or CHF.' }]);
    expect(refusal({ locale: 'english please' })).toEqual([{ field: 'locale', message: '“english please” is not a language and region: use a tag such as en-IE, de-DE or fr-CH.' }]);
    expect(refusal({ timeZone: 'Mars/Olympus' })).toEqual([{ field: 'timeZone', message: '“Mars/Olympus” is not a time zone: use a name such as Europe/Dublin or America/New_York.' }]);
    expect(refusal({ cashStep: 0 })).toEqual([{ field: 'cashStep', message: 'The cash rounding step must be a whole number of minor units from 1 (no rounding) to 100.' }]);
    expect(refusal({ taxId: '1'.repeat(41) })).toEqual([{ field: 'taxId', message: 'Tax ID: keep it to 40 characters or fewer.' }]);
    expect(refusal({ variableMeasure: { '29': { kind: 'price', pattern: 'IIIIIIIVVVVV', decimals: 3 } } })).toEqual([
      { field: 'variableMeasure', message: 'Scale labels with prefix 29: The price has more decimals than the currency has minor units.' },
    ]);
    till.booksLoaded = false;
    expect(refusal({ storeName: 'Shop' })).toEqual([{ message: 'The books are still loading on this device; try again in a moment.' }]);
  });

  it('sets the replenishment service level and default lead time (issue 16): 95 % and 7 days until changed', () => {
    const till = owner();
    expect(till.books.storeSettings()).toMatchObject({ serviceLevel: 95, defaultLeadTimeDays: 7 });
    expect(bodiesOf(till.run(changeStoreSettings, { ...till.books.storeSettings(), serviceLevel: 97.5, defaultLeadTimeDays: 10 }))).toEqual([
      { kind: 'store-settings-changed', changes: { serviceLevel: 97.5, defaultLeadTimeDays: 10 } },
    ]);
    till.act(changeStoreSettings, { serviceLevel: 99.9, defaultLeadTimeDays: 365 });
    expect(till.books.storeSettings()).toMatchObject({ serviceLevel: 99.9, defaultLeadTimeDays: 365 });
    till.act(changeStoreSettings, { serviceLevel: 50, defaultLeadTimeDays: 1 });
    expect(till.books.storeSettings()).toMatchObject({ serviceLevel: 50, defaultLeadTimeDays: 1 });
  });

  it('refuses a service level outside 50–99.9 % and a lead time that is not 1 to 365 whole days, with what to enter', () => {
    const till = owner();
    const level = { field: 'serviceLevel', message: 'Service level: enter a percentage from 50 to 99.9, such as 95 (95 of every 100 items asked for are on the shelf).' };
    const days = { field: 'defaultLeadTimeDays', message: 'Default lead time: enter a whole number of days from 1 to 365, from ordering to delivery.' };
    for (const serviceLevel of [49.9, 100, Number.NaN, Number.POSITIVE_INFINITY]) expect(errorsOf(till.run(changeStoreSettings, { serviceLevel }))).toEqual([level]);
    for (const defaultLeadTimeDays of [0, 366, 2.5, Number.NaN]) expect(errorsOf(till.run(changeStoreSettings, { defaultLeadTimeDays }))).toEqual([days]);
    expect(errorsOf(till.run(changeStoreSettings, { serviceLevel: 100, defaultLeadTimeDays: 0 }))).toEqual([level, days]);
  });

  it('sets the staff idle lock and the discount limit (issue 17): 5 minutes and 10 % until changed; 0 minutes never locks, 100 % never asks', () => {
    const till = owner();
    expect(till.books.storeSettings()).toMatchObject({ idleLockMinutes: 5, discountApprovalPercent: 10 });
    expect(bodiesOf(till.run(changeStoreSettings, { ...till.books.storeSettings(), idleLockMinutes: 15, discountApprovalPercent: 12.5 }))).toEqual([
      { kind: 'store-settings-changed', changes: { idleLockMinutes: 15, discountApprovalPercent: 12.5 } },
    ]);
    for (const [idleLockMinutes, discountApprovalPercent] of [[0, 0], [480, 100], [1, 10]] as const) {
      till.act(changeStoreSettings, { idleLockMinutes, discountApprovalPercent });
      expect(till.books.storeSettings()).toMatchObject({ idleLockMinutes, discountApprovalPercent });
    }
  });

  it('refuses an idle lock that is not 0 to 480 whole minutes and a discount limit outside 0–100 %, with what to enter', () => {
    const till = owner();
    const idle = { field: 'idleLockMinutes', message: 'Lock the till after: enter a whole number of minutes from 1 to 480, or 0 to never lock it by itself.' };
    const limit = { field: 'discountApprovalPercent', message: 'Discounts above: enter a percentage from 0 (every discount needs a supervisor) to 100 (none does).' };
    for (const idleLockMinutes of [-1, 481, 2.5, Number.NaN]) expect(errorsOf(till.run(changeStoreSettings, { idleLockMinutes }))).toEqual([idle]);
    for (const discountApprovalPercent of [-0.5, 100.1, Number.NaN, Number.POSITIVE_INFINITY]) expect(errorsOf(till.run(changeStoreSettings, { discountApprovalPercent }))).toEqual([limit]);
    expect(errorsOf(till.run(changeStoreSettings, { idleLockMinutes: 481, discountApprovalPercent: 101 }))).toEqual([idle, limit]);
  });

  it('is the owner’s: a staff device is refused before any rule', () => {
    const till = new Till('dev-staff', { role: 'staff' });
    expect(errorsOf(till.run(changeStoreSettings, { pricesIncludeTax: false }))).toEqual([
      { message: 'Only the owner’s device can change the store’s settings. Ask the owner to do it on their device.' },
    ]);
  });

  it('changes currency and valuation freely before the first sale, and refuses both after it', () => {
    const till = owner();
    till.act(changeStoreSettings, { currency: 'GBP', valuation: 'average' });
    expect(till.books.storeSettings()).toMatchObject({ currency: 'GBP', valuation: 'average' });
    till.act(changeStoreSettings, { currency: 'EUR', valuation: 'fifo' });
    const tea = till.stock(product('tea', { price: 250 }), 5);
    till.act(completeSale, { cart: addToCart(emptyCart, tea, 1, 'line-1'), withoutShift: true, payment: cardThenCash(250, 0) });
    expect(errorsOf(till.run(changeStoreSettings, { currency: 'GBP', valuation: 'average', storeName: 'Still fine' }))).toEqual([
      { field: 'currency', message: 'The currency cannot change once the store has sales: its books are kept in EUR. Start a new store for another currency.' },
      {
        field: 'valuation',
        message: 'The valuation method cannot change once the store has sales: the cost of every sale so far was taken by FIFO. Start a new store to use another method.',
      },
    ]);
    // The other settings still change, and sending the same currency is no change at all.
    expect(bodiesOf(till.run(changeStoreSettings, { currency: 'EUR', valuation: 'fifo', storeName: 'Still fine' }))).toEqual([
      { kind: 'store-settings-changed', changes: { storeName: 'Still fine' } },
    ]);
  });
});
