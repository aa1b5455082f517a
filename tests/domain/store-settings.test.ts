/**
 * The store's settings: `store-settings-changed` is checked at the boundary like every event, and the
 * settings are a fold of the set of events only (per field, the change latest in ledger order wins).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent, StoreSettingsChanges } from '../../src/domain/events.ts';
import { Books } from '../../src/domain/books/index.ts';
import { journalEntries } from '../../src/domain/journal.ts';
import { DEFAULT_STORE_SETTINGS, lockedFieldProblems, storeSettingsOf } from '../../src/domain/store-settings.ts';
import { parseEvent } from '../../src/domain/validate.ts';
import { Device } from './support/event-factory.ts';

const owner = new Device('owner-1');
const change = (changes: StoreSettingsChanges, at?: number): LedgerEvent => owner.event({ kind: 'store-settings-changed', changes }, at === undefined ? {} : { at });

function errorOf(input: unknown): string {
  const result = parseEvent(input);
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.error;
}

describe('store-settings-changed validation', () => {
  const good = change({ storeName: 'Corner Shop', address: 'Main St 1\nDublin 2', locale: 'en-IE', timeZone: 'America/Argentina/Buenos_Aires', cashStep: 5, variableMeasure: {} });

  it('accepts a well-formed event and returns it unchanged', () => {
    expect(parseEvent(good)).toEqual({ ok: true, event: good, exact: true });
  });

  it.each([
    ['no change at all', {}, /^changes: must change at least one setting$/],
    ['an unknown setting', { colour: 'red' }, /^changes: /],
    ['an empty store name', { storeName: '' }, /^changes\.storeName: must not be empty$/],
    ['a lower-case currency', { currency: 'eur' }, /^changes\.currency: must be a 3-letter ISO 4217 code such as EUR$/],
    ['a locale that is no tag', { locale: 'english' }, /^changes\.locale: must be a language tag such as en-IE or de-DE$/],
    ['a locale of 38 characters', { locale: `en-${'abcdefgh-'.repeat(3)}abcdefgh` }, /^changes\.locale: must be at most 35 characters$/],
    ['a time zone that is no IANA name', { timeZone: 'GMT+1 please' }, /^changes\.timeZone: must be an IANA time zone such as Europe\/Dublin$/],
    ['a cash step of 0', { cashStep: 0 }, /^changes\.cashStep: must be 1 or more$/],
    ['a valuation that is neither', { valuation: 'lifo' }, /^changes\.valuation: must be fifo or average$/],
    ['a scale-label prefix outside 20–29', { variableMeasure: { '30': { kind: 'price', pattern: 'IIIIIIIVVVVV', decimals: 2 } } }, /^changes\.variableMeasure/],
  ])('refuses %s', (_name, changes, message) => {
    expect(errorOf({ ...good, changes })).toMatch(message);
  });

  it('has no stock effect and posts nothing to the journal', () => {
    const books = Books.fromEvents([change({ pricesIncludeTax: false })], { valuation: 'fifo' });
    expect(journalEntries(books)).toEqual([]);
    expect(books.stockLevels()).toEqual([]);
  });
});

describe('storeSettingsOf', () => {
  it('is the demo store’s settings for a store that never set any, the cash step the currency’s', () => {
    expect(storeSettingsOf([])).toEqual({ ...DEFAULT_STORE_SETTINGS, cashStep: 1 });
    expect(storeSettingsOf([change({ currency: 'CHF' })]).cashStep).toBe(5);
    expect(storeSettingsOf([change({ currency: 'CHF', cashStep: 1 })]).cashStep).toBe(1);
  });

  it('takes each field from the latest change in ledger order that sets it', () => {
    const first = change({ storeName: 'A', pricesIncludeTax: false }, 1_800_000_000_000);
    const second = change({ storeName: 'B' }, 1_800_000_001_000);
    expect(storeSettingsOf([second, first])).toMatchObject({ storeName: 'B', pricesIncludeTax: false });
  });

  it('is the same for any arrival order of the same events, in the books too', () => {
    const devices = [new Device('owner-a'), new Device('owner-b', 'loc-1', 1_700_000_000_500)];
    const changes = fc.record(
      {
        storeName: fc.constantFrom('Corner Shop', 'Deli', 'Market'),
        pricesIncludeTax: fc.boolean(),
        valuation: fc.constantFrom('fifo' as const, 'average' as const),
        cashStep: fc.constantFrom(1, 5, 10),
        locale: fc.constantFrom('en-IE', 'de-DE', 'fr-CH'),
      },
      { requiredKeys: [] },
    ).filter((c) => Object.keys(c).length > 0);
    const history = fc
      .array(fc.record({ device: fc.integer({ min: 0, max: 1 }), changes, at: fc.integer({ min: 0, max: 5 }) }), { maxLength: 20 })
      .map((list) => list.map((c) => (devices[c.device] as Device).event({ kind: 'store-settings-changed', changes: c.changes }, { at: 1_800_000_000_000 + c.at * 1000 })));
    const withArrivalOrder = history.chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })));
    fc.assert(
      fc.property(withArrivalOrder, ([events, arrivals]) => {
        const expected = storeSettingsOf(events);
        expect(storeSettingsOf(arrivals)).toEqual(expected);
        const books = new Books({ valuation: 'fifo' });
        for (const event of arrivals) books.apply(event);
        expect(books.storeSettings()).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('currency and valuation after the first sale', () => {
  const current = storeSettingsOf([]);

  it('may change before any sale', () => {
    expect(lockedFieldProblems(current, { currency: 'GBP', valuation: 'average' }, false)).toEqual([]);
  });

  it('are refused once the store has sold, with why and what to do', () => {
    expect(lockedFieldProblems(current, { currency: 'GBP', storeName: 'Shop' }, true)).toEqual([
      { field: 'currency', message: 'The currency cannot change once the store has sales: its books are kept in EUR. Start a new store for another currency.' },
    ]);
    expect(lockedFieldProblems(current, { valuation: 'average' }, true).map((p) => p.field)).toEqual(['valuation']);
    expect(lockedFieldProblems(current, { currency: 'EUR', valuation: 'fifo' }, true)).toEqual([]);
  });

  it('the books know when the store has sold', () => {
    const seller = new Device('till-1');
    const books = new Books({ valuation: 'fifo' });
    expect(books.hasSales()).toBe(false);
    books.apply(seller.sale([{ productId: 'p1', qty: 1, unitPrice: 100 }]));
    expect(books.hasSales()).toBe(true);
  });
});
