/**
 * The store's settings: what every device of the store prices, prints and counts by. They are a
 * projection of the ledger: the owner's `store-settings-changed` events carry the fields that
 * changed, and for each field the change latest in canonical ledger order (order.ts) wins, whatever
 * order the events arrived in. A store that never set a field has its default (the demo store's).
 *
 * Two fields are fixed once the store has sold: the currency (the books are kept in it) and the
 * valuation method (the cost of every sale so far was taken by it). Changing either then is refused
 * (`lockedFieldProblem`) rather than taking effect from a date: the books stay one story in one
 * currency and one method.
 */
import { defaultCashStep } from './cash-rounding.ts';
import { DEMO_CURRENCY } from './demo-store.ts';
import type { EventOf, LedgerEvent, StoreSettings, StoreSettingsChanges } from './events.ts';
import { compareEvents } from './order.ts';
import { DEFAULT_VARIABLE_MEASURE_RULES } from './scan-lookup.ts';

export type { StoreSettings, StoreSettingsChanges } from './events.ts';
export type StoreSettingsChange = EventOf<'store-settings-changed'>;

/** Every field's name, in the order forms show them. */
export const STORE_SETTINGS_FIELDS = [
  'storeName',
  'address',
  'taxId',
  'receiptHeader',
  'receiptFooter',
  'currency',
  'locale',
  'timeZone',
  'pricesIncludeTax',
  'valuation',
  'cashStep',
  'variableMeasure',
  'blindCashUp',
  'saleWithoutShift',
  'deadStockDays',
  'serviceLevel',
  'defaultLeadTimeDays',
  'idleLockMinutes',
  'discountApprovalPercent',
] as const satisfies readonly (keyof StoreSettings)[];

/** The settings of a store that never changed them (the demo store's), but the cash step. */
export const DEFAULT_STORE_SETTINGS: Readonly<Omit<StoreSettings, 'cashStep'>> = {
  storeName: 'Perpetua Demo Market',
  address: '',
  taxId: '',
  receiptHeader: '',
  receiptFooter: '',
  currency: DEMO_CURRENCY,
  locale: 'en-IE',
  timeZone: 'Europe/Dublin',
  pricesIncludeTax: true,
  valuation: 'fifo',
  variableMeasure: DEFAULT_VARIABLE_MEASURE_RULES,
  blindCashUp: false,
  saleWithoutShift: 'ask',
  deadStockDays: 60,
  serviceLevel: 95,
  defaultLeadTimeDays: 7,
  idleLockMinutes: 5,
  discountApprovalPercent: 10,
};

export const MAX_STORE_NAME = 80;
export const MAX_TAX_ID = 40;
/** Address, receipt header and footer: a few printed lines. */
export const MAX_RECEIPT_TEXT = 500;
export const MAX_LOCALE = 35;
export const MAX_TIME_ZONE = 64;
/** The largest cash step, in minor units. */
export const MAX_CASH_STEP = 100;
/** Dead stock: no sale for at least 1 day and at most 10 years. */
export const MAX_DEAD_STOCK_DAYS = 3650;
/** The service level is a fill rate in percent: 50 % (half the demand served) to 99.9 %. */
export const MIN_SERVICE_LEVEL = 50;
export const MAX_SERVICE_LEVEL = 99.9;
/** A lead time is whole days, from 1 (tomorrow) to a year. */
export const MAX_LEAD_TIME_DAYS = 365;

/** The idle lock: from 1 minute to 8 hours, or 0 for never. */
export const MAX_IDLE_LOCK_MINUTES = 480;

/** A BCP 47 language tag as `Intl.getCanonicalLocales` accepts it, roughly: en, en-IE, de-CH, zh-Hant-TW. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?(-([A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*(-u(-[A-Za-z\d]{2,8})+)?$/;
/** An IANA time zone name: UTC, Europe/Dublin, America/Argentina/Buenos_Aires, Etc/GMT+1. */
export const TIME_ZONE_PATTERN = /^(UTC|[A-Za-z][A-Za-z_-]*(\/[A-Za-z0-9_+-]+)+)$/;

/** The fields the changes latest in ledger order set, from the store's `store-settings-changed` events in any order. */
export function storeSettingsChangesOf(events: Iterable<LedgerEvent>): StoreSettingsChanges {
  const changes = [...events].filter((e): e is StoreSettingsChange => e.kind === 'store-settings-changed').sort(compareEvents);
  return changes.reduce<StoreSettingsChanges>((settings, event) => ({ ...settings, ...event.changes }), {});
}

/** A store's settings: its defaults with the fields it set. Unset, the cash step is the currency's usual one. */
export function withDefaults(changes: StoreSettingsChanges): StoreSettings {
  const currency = changes.currency ?? DEFAULT_STORE_SETTINGS.currency;
  return { ...DEFAULT_STORE_SETTINGS, cashStep: defaultCashStep(currency), ...changes };
}

/** The store's settings after `events`, in any order. */
export function storeSettingsOf(events: Iterable<LedgerEvent>): StoreSettings {
  return withDefaults(storeSettingsChangesOf(events));
}

/** The fields of `wanted` that differ from `current`: what a change records (nothing when all are equal). */
export function changedFields(current: StoreSettings, wanted: StoreSettingsChanges): StoreSettingsChanges {
  const changes: Record<string, unknown> = {};
  for (const field of STORE_SETTINGS_FIELDS) {
    const value = wanted[field];
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(current[field])) changes[field] = value;
  }
  return changes as StoreSettingsChanges;
}

/**
 * Why `changes` cannot be made to a store that has sold (`hasSales`), per field; empty when they can.
 * The currency and the valuation method are fixed by the first sale.
 */
export function lockedFieldProblems(current: StoreSettings, changes: StoreSettingsChanges, hasSales: boolean): { field: 'currency' | 'valuation'; message: string }[] {
  if (!hasSales) return [];
  const problems: { field: 'currency' | 'valuation'; message: string }[] = [];
  if (changes.currency !== undefined && changes.currency !== current.currency) {
    problems.push({
      field: 'currency',
      message: `The currency cannot change once the store has sales: its books are kept in ${current.currency}. Start a new store for another currency.`,
    });
  }
  if (changes.valuation !== undefined && changes.valuation !== current.valuation) {
    problems.push({
      field: 'valuation',
      message: `The valuation method cannot change once the store has sales: the cost of every sale so far was taken by ${current.valuation === 'fifo' ? 'FIFO' : 'moving average'}. Start a new store to use another method.`,
    });
  }
  return problems;
}
