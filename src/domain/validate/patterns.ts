/**
 * What a valid field looks like, defined once for both checks that read events: the zod schemas
 * (schemas.ts, which also write the error) and the hand-written fast paths (fast-paths.ts).
 */
import type { StockUnit, TenderMethod } from '../events.ts';

export { HLC_PATTERN } from '../hlc.ts';
export { MAX_CASH_ROUNDING } from '../cash-rounding.ts';
export { MAX_LOCATION_ID, MAX_LOCATION_NAME } from '../locations.ts';
export { EVENT_SCHEMA_VERSION, MAX_CATEGORY, MAX_PRODUCTS_PER_EVENT, MAX_SUPPLIER } from '../events.ts';
export { LOCALE_PATTERN, MAX_CASH_STEP, MAX_DEAD_STOCK_DAYS, MAX_LEAD_TIME_DAYS, MAX_SERVICE_LEVEL, MIN_SERVICE_LEVEL, MAX_LOCALE, MAX_RECEIPT_TEXT, MAX_STORE_NAME, MAX_TAX_ID, MAX_TIME_ZONE, TIME_ZONE_PATTERN } from '../store-settings.ts';

/** An event id: a UUIDv7 in its text form, either case. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** An ISO 4217 currency code such as EUR. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

export const STOCK_UNITS = ['each', 'kg', 'l'] as const satisfies readonly StockUnit[];
export const TENDER_METHODS = ['cash', 'card'] as const satisfies readonly TenderMethod[];

/** The highest tax rate, 100 %, in basis points. */
export const MAX_TAX_RATE_BP = 100_00;

/** A calendar date, `2024-05-01`. */
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** A date-time with an offset, seconds optional (for dates a person may type, such as a delivery date). */
export const ISO_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStockUnit = (v: unknown): v is StockUnit => (STOCK_UNITS as readonly unknown[]).includes(v);
export const isTenderMethod = (v: unknown): v is TenderMethod => (TENDER_METHODS as readonly unknown[]).includes(v);

// Both lists must name every unit and method of the event types; these lines stop compiling if not.
const _everyUnit = (u: StockUnit): (typeof STOCK_UNITS)[number] => u;
const _everyMethod = (m: TenderMethod): (typeof TENDER_METHODS)[number] => m;
