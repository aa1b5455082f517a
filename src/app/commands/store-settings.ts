/**
 * The store's settings (name, address, receipts, currency, locale, time zone, prices with or without
 * tax, valuation, cash rounding, scale labels, dead stock, the replenishment service level and default
 * lead time, the staff idle lock and discount limit): the owner's to change, the same on every device.
 * The form sends every field; the event carries only those that differ from the books' settings.
 */
import { CURRENCY_CODE } from '../../domain/validate/patterns.ts';
import { validateVariableMeasureRule } from '../../domain/gtin.ts';
import { currencyDigits } from '../../domain/money.ts';
import {
  LOCALE_PATTERN,
  MAX_CASH_STEP,
  MAX_DEAD_STOCK_DAYS,
  MAX_IDLE_LOCK_MINUTES,
  MAX_LEAD_TIME_DAYS,
  MAX_LOCALE,
  MAX_RECEIPT_TEXT,
  MAX_SERVICE_LEVEL,
  MAX_STORE_NAME,
  MAX_TAX_ID,
  MAX_TIME_ZONE,
  MIN_SERVICE_LEVEL,
  TIME_ZONE_PATTERN,
  changedFields,
  lockedFieldProblems,
  type StoreSettingsChanges,
} from '../../domain/store-settings.ts';
import { BOOKS_LOADING, accept, defineCommand, refuse, type FieldError } from './command.ts';

/** The settings as the form has them; a field left out stays as it is. */
export type ChangeStoreSettingsInput = StoreSettingsChanges;

export const changeStoreSettings = defineCommand<ChangeStoreSettingsInput>({
  name: 'change-store-settings',
  records: ['store-settings-changed'],
  permission: 'owner',
  action: 'change the store’s settings',
  check(input, context) {
    if (!context.books) return refuse(BOOKS_LOADING);
    const current = context.books.storeSettings();
    const { wanted, errors } = normalised(input);
    if (errors.length > 0) return refuse(...errors);
    const changes = changedFields(current, wanted);
    const currency = changes.currency ?? current.currency;
    for (const [prefix, rule] of Object.entries(changes.variableMeasure ?? {})) {
      const problem = rule && validateVariableMeasureRule(rule, currencyDigits(currency));
      if (!/^2\d$/.test(prefix)) errors.push({ field: 'variableMeasure', message: `Scale labels use the prefixes 20 to 29, not ${prefix}.` });
      else if (problem) errors.push({ field: 'variableMeasure', message: `Scale labels with prefix ${prefix}: ${problem}` });
    }
    errors.push(...lockedFieldProblems(current, changes, context.books.hasSales()));
    if (errors.length > 0) return refuse(...errors);
    // Nothing differs: nothing to record, and the form may say it is saved.
    if (Object.keys(changes).length === 0) return accept();
    return accept({ kind: 'store-settings-changed', changes });
  },
});

/** The input as it is stored (trimmed, canonical codes), and what is wrong with it, field by field. */
function normalised(input: ChangeStoreSettingsInput): { wanted: StoreSettingsChanges; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const wanted: StoreSettingsChanges = { ...input };
  const text = (field: 'address' | 'taxId' | 'receiptHeader' | 'receiptFooter', label: string, max: number) => {
    const value = input[field];
    if (value === undefined) return;
    wanted[field] = value.trim();
    if (wanted[field].length > max) errors.push({ field, message: `${label}: keep it to ${max} characters or fewer.` });
  };
  if (input.storeName !== undefined) {
    wanted.storeName = input.storeName.trim();
    if (wanted.storeName === '') errors.push({ field: 'storeName', message: 'Enter the store’s name: it is printed on every receipt.' });
    else if (wanted.storeName.length > MAX_STORE_NAME) errors.push({ field: 'storeName', message: `Keep the store’s name to ${MAX_STORE_NAME} characters or fewer.` });
  }
  text('address', 'Address', MAX_RECEIPT_TEXT);
  text('taxId', 'Tax ID', MAX_TAX_ID);
  text('receiptHeader', 'Receipt header', MAX_RECEIPT_TEXT);
  text('receiptFooter', 'Receipt footer', MAX_RECEIPT_TEXT);
  if (input.currency !== undefined) {
    wanted.currency = input.currency.trim().toUpperCase();
    if (!CURRENCY_CODE.test(wanted.currency) || !Intl.supportedValuesOf('currency').includes(wanted.currency)) {
      errors.push({ field: 'currency', message: `“${input.currency}” is not a currency code: use the 3-letter ISO 4217 code, such as EUR, GBP or CHF.` });
    }
  }
  if (input.locale !== undefined) {
    const locale = canonicalLocale(input.locale.trim());
    if (locale === undefined) errors.push({ field: 'locale', message: `“${input.locale}” is not a language and region: use a tag such as en-IE, de-DE or fr-CH.` });
    else wanted.locale = locale;
  }
  if (input.timeZone !== undefined) {
    const zone = canonicalTimeZone(input.timeZone.trim());
    if (zone === undefined) errors.push({ field: 'timeZone', message: `“${input.timeZone}” is not a time zone: use a name such as Europe/Dublin or America/New_York.` });
    else wanted.timeZone = zone;
  }
  if (input.cashStep !== undefined && !(Number.isSafeInteger(input.cashStep) && input.cashStep >= 1 && input.cashStep <= MAX_CASH_STEP)) {
    errors.push({ field: 'cashStep', message: `The cash rounding step must be a whole number of minor units from 1 (no rounding) to ${MAX_CASH_STEP}.` });
  }
  if (input.deadStockDays !== undefined && !(Number.isSafeInteger(input.deadStockDays) && input.deadStockDays >= 1 && input.deadStockDays <= MAX_DEAD_STOCK_DAYS)) {
    errors.push({ field: 'deadStockDays', message: `Dead stock after: enter a whole number of days from 1 to ${MAX_DEAD_STOCK_DAYS}.` });
  }
  const level = input.serviceLevel;
  if (level !== undefined && !(Number.isFinite(level) && level >= MIN_SERVICE_LEVEL && level <= MAX_SERVICE_LEVEL)) {
    errors.push({ field: 'serviceLevel', message: `Service level: enter a percentage from ${MIN_SERVICE_LEVEL} to ${MAX_SERVICE_LEVEL}, such as 95 (95 of every 100 items asked for are on the shelf).` });
  }
  const days = input.defaultLeadTimeDays;
  if (days !== undefined && !(Number.isSafeInteger(days) && days >= 1 && days <= MAX_LEAD_TIME_DAYS)) {
    errors.push({ field: 'defaultLeadTimeDays', message: `Default lead time: enter a whole number of days from 1 to ${MAX_LEAD_TIME_DAYS}, from ordering to delivery.` });
  }
  const idle = input.idleLockMinutes;
  if (idle !== undefined && !(Number.isSafeInteger(idle) && idle >= 0 && idle <= MAX_IDLE_LOCK_MINUTES)) {
    errors.push({ field: 'idleLockMinutes', message: `Lock the till after: enter a whole number of minutes from 1 to ${MAX_IDLE_LOCK_MINUTES}, or 0 to never lock it by itself.` });
  }
  const limit = input.discountApprovalPercent;
  if (limit !== undefined && !(Number.isFinite(limit) && limit >= 0 && limit <= 100)) {
    errors.push({ field: 'discountApprovalPercent', message: 'Discounts above: enter a percentage from 0 (every discount needs a supervisor) to 100 (none does).' });
  }
  return { wanted, errors };
}

/** The tag as `Intl` writes it ('en-ie' → 'en-IE'), when it is one this runtime and every device's events accept. */
function canonicalLocale(tag: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical !== undefined && canonical.length <= MAX_LOCALE && LOCALE_PATTERN.test(canonical) ? canonical : undefined;
  } catch {
    return undefined;
  }
}

/** The zone's IANA name as `Intl` knows it ('europe/dublin' → 'Europe/Dublin'), when it knows it. */
function canonicalTimeZone(name: string): string | undefined {
  if (name === '') return undefined;
  try {
    const zone = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    return zone.length <= MAX_TIME_ZONE && TIME_ZONE_PATTERN.test(zone) ? zone : undefined;
  } catch {
    return undefined;
  }
}
