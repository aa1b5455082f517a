/**
 * The zod schemas of ledger events: the complete check, which also words every error precisely.
 * Each field's pattern and limit comes from patterns.ts, shared with the fast paths.
 */
import { z } from 'zod';
import { MAX_STAFF_NAME, SALE_WITHOUT_SHIFT, STAFF_ROLES, type LedgerEvent } from '../events.ts';
import { MAX_IDLE_LOCK_MINUTES } from '../store-settings.ts';
import { MIN_PIN_ITERATIONS } from '../staff.ts';
import { barcodeKey } from '../gtin.ts';
import { unlessMissing } from './messages.ts';
import {
  CURRENCY_CODE,
  EVENT_SCHEMA_VERSION,
  HLC_PATTERN,
  LOCALE_PATTERN,
  MAX_CASH_STEP,
  MAX_DEAD_STOCK_DAYS,
  MAX_LEAD_TIME_DAYS,
  MAX_SERVICE_LEVEL,
  MIN_SERVICE_LEVEL,
  MAX_LOCALE,
  MAX_RECEIPT_TEXT,
  MAX_STORE_NAME,
  MAX_TAX_ID,
  MAX_TIME_ZONE,
  TIME_ZONE_PATTERN,
  ISO_DATE,
  ISO_INSTANT,
  MAX_CASH_ROUNDING,
  MAX_LOCATION_ID,
  MAX_LOCATION_NAME,
  MAX_CATEGORY,
  MAX_SUPPLIER,
  MAX_PRODUCTS_PER_EVENT,
  MAX_TAX_RATE_BP,
  STOCK_UNITS,
  TENDER_METHODS,
  UUID_V7,
  isRecord,
} from './patterns.ts';

// No JIT: zod probes for it with `new Function`, which the app's Content-Security-Policy (no
// 'unsafe-eval', src/server/security-headers.ts) refuses and the browser reports as a violation.
// Sales and catalog events, the hot ones, take the hand-written fast paths anyway.
z.config({ jitless: true });

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

// ---- field schemas -------------------------------------------------------------------------------


const text = z.string({ error: unlessMissing('must be text') }).min(1, { error: 'must not be empty' });
const minor = z.int({ error: unlessMissing('must be a whole number of minor units (cents)') });
const nonNegativeMinor = minor.min(0, { error: 'must not be negative' });
/** Signed, never 0 (then it is left out), at most half of the largest cash step (cash-rounding.ts). */
const cashRoundingAmount = minor.refine((r) => r !== 0 && Math.abs(r) <= MAX_CASH_ROUNDING, {
  error: `must be a non-zero rounding of at most ${MAX_CASH_ROUNDING} minor units either way`,
});
const positiveQty = z
  .int({ error: unlessMissing('must be a whole number of stock units') })
  .min(1, { error: 'must be a positive quantity' });
const nonNegativeQty = z
  .int({ error: unlessMissing('must be a whole number of stock units') })
  .min(0, { error: 'must not be negative' });
/** Unit costs may be fractional minor units (a rate), but never negative or infinite. */
const unitCost = z
  .number({ error: unlessMissing('must be a number of minor units') })
  .refine(Number.isFinite, { error: 'must be a finite number' })
  .refine((value) => value >= 0, { error: 'must not be negative' });
const currency = z.string({ error: unlessMissing('must be a 3-letter ISO 4217 code such as EUR') }).regex(CURRENCY_CODE, { error: 'must be a 3-letter ISO 4217 code such as EUR' });
const uuidV7 = z
  .string({ error: unlessMissing('must be a UUIDv7') })
  .regex(UUID_V7, { error: 'must be a UUIDv7' });
const hlc = z.string({ error: unlessMissing('must be an HLC stamp') }).regex(HLC_PATTERN, { error: 'must be an HLC stamp like 001712345678901-000000-device' });
const stockUnit = z.enum(STOCK_UNITS, { error: unlessMissing(`must be one of ${STOCK_UNITS.join(', ')}`) });
const taxRateBp = z
  .int({ error: unlessMissing('must be whole basis points') })
  .min(0, { error: 'must not be negative' })
  .max(MAX_TAX_RATE_BP, { error: `must be at most ${MAX_TAX_RATE_BP} (100 %)` });
const tenderMethod = z.enum(TENDER_METHODS, { error: unlessMissing(`must be ${TENDER_METHODS.join(' or ')}`) });
const isoInstant = z.iso.datetime({ offset: true, error: unlessMissing('must be an ISO 8601 date-time') });
/** The exact pattern zod's z.iso.datetime({offset: true}) checks, taken from the schema itself (for the fast paths). */
export const ISO_DATETIME: RegExp | undefined = (isoInstant._zod.def as { pattern?: RegExp }).pattern;

// ---- envelope ------------------------------------------------------------------------------------

const envelope = {
  id: uuidV7,
  schema: z.literal(EVENT_SCHEMA_VERSION, { error: unlessMissing(`must be ${EVENT_SCHEMA_VERSION}`) }),
  storeId: text,
  locationId: text,
  deviceId: text,
  seq: z.int({ error: unlessMissing('must be a whole number') }).min(1, { error: 'must be 1 or more' }),
  hlc,
  recordedAt: isoInstant,
  userId: text,
  currency,
  approvedBy: text.optional(),
};

// ---- bodies --------------------------------------------------------------------------------------

const receiptText = z.string({ error: unlessMissing('must be text') }).max(MAX_RECEIPT_TEXT, { error: `must be at most ${MAX_RECEIPT_TEXT} characters` });
/** One scale-label rule per EAN-13 prefix 20–29 (gtin.ts; the currency-dependent checks are the command's). */
const variableMeasureRules = z.partialRecord(
  z.string().regex(/^2\d$/, { error: 'must be an EAN-13 prefix from 20 to 29' }),
  z.object({
    kind: z.enum(['price', 'weight', 'count'], { error: unlessMissing('must be price, weight or count') }),
    pattern: z.string().regex(/^[ICV]{12}$/, { error: 'must be 12 letters, each I, C or V' }),
    decimals: z.int({ error: unlessMissing('must be a whole number') }).min(0, { error: 'must not be negative' }).max(5, { error: 'must be at most 5' }),
  }),
);
/**
 * The fields a `store-settings-changed` event may set (store-settings.ts), each optional, at least one.
 * Locale and time zone are checked by pattern, the same on every runtime: the command checks them
 * against the browser's Intl as well.
 */
const leadTimeDays = z
  .int({ error: unlessMissing('must be a whole number of days') })
  .min(1, { error: 'must be 1 or more' })
  .max(MAX_LEAD_TIME_DAYS, { error: `must be at most ${MAX_LEAD_TIME_DAYS}` });
const supplierName = text.max(MAX_SUPPLIER, { error: `must be at most ${MAX_SUPPLIER} characters` });
const packQty = z.int({ error: unlessMissing('must be a whole number of stock units') }).min(1, { error: 'must be 1 or more' }).max(1_000_000_000, { error: 'must be at most 1000000000' });

const storeSettingsChanges = z
  .object({
    storeName: text.max(MAX_STORE_NAME, { error: `must be at most ${MAX_STORE_NAME} characters` }).optional(),
    address: receiptText.optional(),
    taxId: z.string({ error: unlessMissing('must be text') }).max(MAX_TAX_ID, { error: `must be at most ${MAX_TAX_ID} characters` }).optional(),
    receiptHeader: receiptText.optional(),
    receiptFooter: receiptText.optional(),
    currency: currency.optional(),
    locale: z
      .string({ error: unlessMissing('must be a language tag such as en-IE') })
      .max(MAX_LOCALE, { error: `must be at most ${MAX_LOCALE} characters` })
      .regex(LOCALE_PATTERN, { error: 'must be a language tag such as en-IE or de-DE' })
      .optional(),
    timeZone: z
      .string({ error: unlessMissing('must be a time zone such as Europe/Dublin') })
      .max(MAX_TIME_ZONE, { error: `must be at most ${MAX_TIME_ZONE} characters` })
      .regex(TIME_ZONE_PATTERN, { error: 'must be an IANA time zone such as Europe/Dublin' })
      .optional(),
    pricesIncludeTax: z.boolean({ error: unlessMissing('must be true or false') }).optional(),
    valuation: z.enum(['fifo', 'average'], { error: unlessMissing('must be fifo or average') }).optional(),
    cashStep: z
      .int({ error: unlessMissing('must be a whole number of minor units') })
      .min(1, { error: 'must be 1 or more' })
      .max(MAX_CASH_STEP, { error: `must be at most ${MAX_CASH_STEP}` })
      .optional(),
    variableMeasure: variableMeasureRules.optional(),
    blindCashUp: z.boolean({ error: unlessMissing('must be true or false') }).optional(),
    saleWithoutShift: z.enum(SALE_WITHOUT_SHIFT, { error: unlessMissing(`must be ${SALE_WITHOUT_SHIFT.join(' or ')}`) }).optional(),
    deadStockDays: z
      .int({ error: unlessMissing('must be a whole number of days') })
      .min(1, { error: 'must be 1 or more' })
      .max(MAX_DEAD_STOCK_DAYS, { error: `must be at most ${MAX_DEAD_STOCK_DAYS}` })
      .optional(),
    serviceLevel: z
      .number({ error: unlessMissing('must be a percentage') })
      .min(MIN_SERVICE_LEVEL, { error: `must be ${MIN_SERVICE_LEVEL} or more` })
      .max(MAX_SERVICE_LEVEL, { error: `must be at most ${MAX_SERVICE_LEVEL}` })
      .optional(),
    defaultLeadTimeDays: leadTimeDays.optional(),
    idleLockMinutes: z
      .int({ error: unlessMissing('must be a whole number of minutes') })
      .min(0, { error: 'must not be negative' })
      .max(MAX_IDLE_LOCK_MINUTES, { error: `must be at most ${MAX_IDLE_LOCK_MINUTES}` })
      .optional(),
    discountApprovalPercent: z
      .number({ error: unlessMissing('must be a percentage') })
      .min(0, { error: 'must not be negative' })
      .max(100, { error: 'must be at most 100' })
      .optional(),
  })
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, { error: 'must change at least one setting' });

export const productSnapshot = z.object({
  id: text,
  name: text,
  sku: text,
  barcodes: z.array(text),
  price: nonNegativeMinor,
  cost: unitCost,
  currency,
  taxRateBp,
  unit: stockUnit,
  active: z.boolean(),
  category: z.string({ error: unlessMissing('must be text') }).max(MAX_CATEGORY, { error: `must be at most ${MAX_CATEGORY} characters` }).optional(),
  favourite: z.boolean({ error: unlessMissing('must be true or false') }).optional(),
  supplier: z.string({ error: unlessMissing('must be text') }).max(MAX_SUPPLIER, { error: `must be at most ${MAX_SUPPLIER} characters` }).optional(),
  packSize: packQty.optional(),
  minOrderQty: packQty.optional(),
});

const saleLine = z
  .object({
    lineId: text,
    productId: text,
    sku: text,
    name: z.string(),
    qty: positiveQty,
    unit: stockUnit,
    unitPrice: nonNegativeMinor,
    lineDiscount: nonNegativeMinor,
    cartDiscountShare: nonNegativeMinor,
    taxRateBp,
    net: minor,
    tax: minor,
    gross: minor,
    listPrice: nonNegativeMinor.optional(),
  })
  .check((ctx) => {
    const line = ctx.value;
    if (line.net + line.tax !== line.gross) {
      ctx.issues.push({
        code: 'custom',
        input: line.gross,
        path: ['gross'],
        message: `must equal net + tax (${line.net} + ${line.tax} = ${line.net + line.tax}), got ${line.gross}`,
      });
    }
  });

const tender = z.object({ method: tenderMethod, amount: nonNegativeMinor, received: nonNegativeMinor.optional() });

const sale = z
  .object({
    ...envelope,
    kind: z.literal('sale'),
    receiptNo: text,
    pricesIncludeTax: z.boolean(),
    lines: z.array(saleLine).min(1, { error: 'a sale needs at least one line' }),
    totals: z.object({ net: minor, tax: minor, gross: minor, discount: nonNegativeMinor }),
    tenders: z.array(tender),
    change: nonNegativeMinor,
    cashRounding: cashRoundingAmount.optional(),
    shiftId: text.optional(),
  })
  .check((ctx) => {
    // The journal posts tenders against revenue and tax: they only balance if these sums agree.
    const s = ctx.value;
    const sum = (pick: (line: (typeof s.lines)[number]) => number): number =>
      s.lines.reduce((acc, line) => acc + pick(line), 0);
    for (const field of ['net', 'tax', 'gross'] as const) {
      const expected = sum((line) => line[field]);
      if (s.totals[field] !== expected) {
        ctx.issues.push({
          code: 'custom',
          input: s.totals[field],
          path: ['totals', field],
          message: `must equal the sum of the lines' ${field} (${expected}), got ${s.totals[field]}`,
        });
      }
    }
    const tendered = s.tenders.reduce((acc, t) => acc + t.amount, 0);
    const rounding = s.cashRounding ?? 0;
    if (tendered !== s.totals.gross + rounding) {
      ctx.issues.push({
        code: 'custom',
        input: s.tenders,
        path: ['tenders'],
        message:
          rounding === 0
            ? `amounts must add up to totals.gross (${s.totals.gross}), got ${tendered}`
            : `amounts must add up to totals.gross plus cashRounding (${s.totals.gross} + ${rounding}), got ${tendered}`,
      });
    }
    if (rounding !== 0 && !s.tenders.some((t) => t.method === 'cash')) {
      ctx.issues.push({ code: 'custom', input: rounding, path: ['cashRounding'], message: 'needs a cash tender: only cash is rounded' });
    }
    s.tenders.forEach((t, i) => {
      if (t.received !== undefined && t.received < t.amount) {
        ctx.issues.push({
          code: 'custom',
          input: t.received,
          path: ['tenders', i, 'received'],
          message: `must be at least the amount (${t.amount}), got ${t.received}`,
        });
      }
    });
    const change = s.tenders.reduce((acc, t) => acc + (t.received === undefined ? 0 : t.received - t.amount), 0);
    if (s.change !== change) {
      ctx.issues.push({
        code: 'custom',
        input: s.change,
        path: ['change'],
        message: `must equal cash received minus amount (${change}), got ${s.change}`,
      });
    }
  });

const qtyLine = z.object({ productId: text, qty: positiveQty });
const costLine = z.object({ productId: text, qty: positiveQty, unitCost });
const countedLine = z.object({ productId: text, countedQty: nonNegativeQty });
const approvedCountLine = countedLine.extend({ countedAt: hlc.optional() });
/** A signed whole number that must not be zero: an event that changes nothing is a mistake. */
const nonZeroInt = (unit: string, hint: string) =>
  z.int({ error: unlessMissing(`must be a whole number of ${unit}`) }).refine((n) => n !== 0, { error: `must not be zero (${hint})` });
const isoDateOrInstant = z
  .string({ error: unlessMissing('must be an ISO 8601 date such as 2024-05-01') })
  .refine((value) => ISO_DATE.test(value) || ISO_INSTANT.test(value), { error: 'must be an ISO 8601 date such as 2024-05-01, or a date-time with an offset' });

const locationId = text.max(MAX_LOCATION_ID, { error: `must be at most ${MAX_LOCATION_ID} characters` });
/** Refused rather than trimmed: the stored event is exactly the one the owner's device recorded. */
const locationName = z
  .string({ error: unlessMissing('must be text') })
  .refine((name) => name.trim().length > 0, { error: 'must not be empty', abort: true })
  .refine((name) => name === name.trim(), { error: 'must not start or end with spaces' })
  .refine((name) => name.length <= MAX_LOCATION_NAME, { error: `must be at most ${MAX_LOCATION_NAME} characters` });

/** A reorder level in stock units, or null to clear it; an order-up-to level below the reorder point is refused. */
const reorderLevel = nonNegativeQty.nullable();
const reorderLevelLine = z
  .object({ productId: text, locationId, reorderPoint: reorderLevel, orderUpTo: reorderLevel })
  .refine((line) => line.reorderPoint === null || line.orderUpTo === null || line.orderUpTo >= line.reorderPoint, {
    error: 'orderUpTo must be at least the reorderPoint',
    path: ['orderUpTo'],
  });

/** A PIN's stored hash (events.ts PinHash): never the PIN itself, so no other key is let through. */
const pinHash = z
  .strictObject({
    algorithm: z.literal('PBKDF2-SHA-256', { error: unlessMissing('must be PBKDF2-SHA-256') }),
    iterations: z.int({ error: unlessMissing('must be a whole number') }).min(MIN_PIN_ITERATIONS, { error: `must be at least ${MIN_PIN_ITERATIONS}` }).max(10_000_000, { error: 'must be at most 10000000' }),
    salt: z.string({ error: unlessMissing('must be base64 text') }).regex(BASE64_PATTERN, { error: 'must be base64' }).min(16, { error: 'must be at least 16 characters (12 bytes)' }).max(88, { error: 'must be at most 88 characters' }),
    hash: z.string({ error: unlessMissing('must be base64 text') }).regex(BASE64_PATTERN, { error: 'must be base64' }).length(44, { error: 'must be 44 characters (32 bytes in base64)' }).regex(/^[A-Za-z0-9+/]{43}=$/, { error: 'must be 32 bytes in base64: 43 characters and one =' }),
  }, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `must hold only algorithm, iterations, salt and hash (a PIN is stored hashed, never as it is), not ${issue.keys.join(', ')}` : undefined,
  });
const staffName = z
  .string({ error: unlessMissing('must be text') })
  .refine((name) => name.trim().length > 0, { error: 'must not be empty', abort: true })
  .refine((name) => name === name.trim(), { error: 'must not start or end with spaces' })
  .refine((name) => name.length <= MAX_STAFF_NAME, { error: `must be at most ${MAX_STAFF_NAME} characters` });
const staffMember = z.object({
  id: uuidV7,
  name: staffName,
  role: z.enum(STAFF_ROLES, { error: unlessMissing(`must be one of ${STAFF_ROLES.join(', ')}`) }),
  pin: pinHash,
  active: z.boolean({ error: unlessMissing('must be true or false') }),
});

const schemas = [
  z.object({ ...envelope, kind: z.literal('product-defined'), product: productSnapshot }),
  z.object({
    ...envelope,
    kind: z.literal('products-defined'),
    products: z
      .array(productSnapshot)
      .min(1, { error: 'needs at least one product' })
      .max(MAX_PRODUCTS_PER_EVENT, { error: `must hold at most ${MAX_PRODUCTS_PER_EVENT} products; split them over several events` })
      .check(uniqueCatalogKeys),
  }),
  z.object({
    ...envelope,
    kind: z.literal('product-changed'),
    productId: text,
    changes: productSnapshot.omit({ id: true }).partial(),
  }),
  z.object({
    ...envelope,
    kind: z.literal('location-defined'),
    location: z.object({ id: locationId, name: locationName }),
  }),
  z.object({ ...envelope, kind: z.literal('store-settings-changed'), changes: storeSettingsChanges }),
  z.object({
    ...envelope,
    kind: z.literal('reorder-levels-set'),
    lines: z.array(reorderLevelLine).min(1, { error: 'needs at least one line' }).check(uniqueProductLocations),
  }),
  z.object({ ...envelope, kind: z.literal('supplier-lead-time-set'), supplier: supplierName, leadTimeDays: leadTimeDays.nullable() }),
  z.object({
    ...envelope,
    kind: z.literal('opening-balance'),
    lines: z.array(z.object({ productId: text, qty: nonNegativeQty, unitCost })).min(1, { error: 'needs at least one line' }),
  }),
  sale,
  z.object({ ...envelope, kind: z.literal('sale-voided'), saleId: uuidV7, reason: text, shiftId: text.optional() }),
  z.object({
    ...envelope,
    kind: z.literal('return'),
    saleId: uuidV7.optional(),
    managerApproved: z.boolean(),
    shiftId: text.optional(),
    lines: z
      .array(
        z.object({
          productId: text,
          qty: positiveQty,
          refund: nonNegativeMinor,
          tax: nonNegativeMinor,
          disposition: z.enum(['restock', 'write-off'], { error: unlessMissing('must be restock or write-off') }),
          saleLineId: text.optional(),
        }),
      )
      .min(1, { error: 'needs at least one line' }),
    refundMethod: tenderMethod,
    cashRounding: cashRoundingAmount.optional(),
  }).check((ctx) => {
    if (ctx.value.cashRounding !== undefined && ctx.value.refundMethod !== 'cash') {
      ctx.issues.push({ code: 'custom', input: ctx.value.cashRounding, path: ['cashRounding'], message: 'needs refundMethod cash: only cash is rounded' });
    }
  }),
  z.object({
    ...envelope,
    kind: z.literal('goods-received'),
    supplier: text,
    reference: text,
    purchaseOrderId: text.optional(),
    lines: z.array(costLine).min(1, { error: 'needs at least one line' }),
  }),
  z.object({
    ...envelope,
    kind: z.literal('stock-counted'),
    countSessionId: text.optional(),
    lines: z
      .array(countedLine)
      .min(1, { error: 'needs at least one line' })
      .check(uniqueProducts('is counted twice in one count')),
  }),
  z.object({
    ...envelope,
    kind: z.literal('stock-adjusted'),
    reason: z.enum(['damage', 'theft', 'expiry', 'found', 'correction'], {
      error: unlessMissing('must be one of damage, theft, expiry, found, correction'),
    }),
    note: z.string().optional(),
    lines: z
      .array(
        z.object({
          productId: text,
          qty: z
            .int({ error: unlessMissing('must be a whole number of stock units') })
            .refine((q) => q !== 0, { error: 'must not be zero (use a signed quantity)' }),
        }),
      )
      .min(1, { error: 'needs at least one line' }),
  }),
  z.object({
    ...envelope,
    kind: z.literal('transfer-out'),
    transferId: text,
    toLocationId: text,
    lines: z.array(qtyLine).min(1, { error: 'needs at least one line' }),
  }),
  z.object({
    ...envelope,
    kind: z.literal('transfer-in'),
    transferId: text,
    fromLocationId: text,
    lines: z.array(qtyLine).min(1, { error: 'needs at least one line' }),
  }),
  // ---- store operations (issue 7) ----
  z.object({
    ...envelope,
    kind: z.literal('purchase-order-created'),
    purchaseOrderId: text,
    supplier: text,
    expectedAt: isoDateOrInstant.optional(),
    lines: z
      .array(costLine)
      .min(1, { error: 'a purchase order needs at least one line' })
      .check(uniqueProducts('is on the order twice; put the whole quantity on one line')),
  }),
  z.object({ ...envelope, kind: z.literal('purchase-order-closed'), purchaseOrderId: text, reason: text }),
  z.object({
    ...envelope,
    kind: z.literal('count-session-opened'),
    countSessionId: text,
    name: text,
    blind: z.boolean({ error: unlessMissing('must be true or false') }),
    productIds: z
      .array(text)
      .min(1, { error: 'must list at least one product, or be left out to count every product' })
      .check(uniqueIds('is listed twice'))
      .optional(),
    uncounted: z.enum(['leave', 'set-to-zero'], { error: unlessMissing('must be leave or set-to-zero') }).optional(),
  }),
  z.object({
    ...envelope,
    kind: z.literal('count-recorded'),
    countSessionId: text,
    productId: text,
    qty: nonZeroInt('stock units', 'a negative number undoes earlier counts'),
  }),
  z.object({
    ...envelope,
    kind: z.literal('count-session-approved'),
    countSessionId: text,
    // May be empty: approving a session in which nothing was counted closes it without effect.
    lines: z.array(approvedCountLine).check(uniqueProducts('is counted twice in one approval; merge the counts first')),
  }),
  z.object({ ...envelope, kind: z.literal('shift-opened'), shiftId: text, float: nonNegativeMinor }),
  z.object({
    ...envelope,
    kind: z.literal('cash-moved'),
    shiftId: text,
    amount: nonZeroInt('minor units (cents)', 'positive puts cash into the drawer, negative takes it out'),
    reason: text,
  }),
  z.object({ ...envelope, kind: z.literal('shift-closed'), shiftId: text, countedCash: nonNegativeMinor, expectedCash: minor.optional() }),
  z.object({ ...envelope, kind: z.literal('staff-member-defined'), member: staffMember }),
  z.object({
    ...envelope,
    kind: z.literal('pin-rejected'),
    memberId: text,
    purpose: z.enum(['sign-in', 'approval'], { error: unlessMissing('must be sign-in or approval') }),
  }),
] as const;

const KINDS = schemas.map((schema) => schema.shape.kind.value);

/** The zod schema of a ledger event, for callers that compose it into larger messages. */
export const ledgerEventSchema = z.discriminatedUnion('kind', schemas, {
  error: (issue) =>
    issue.code === 'invalid_union' ? `must be one of the event kinds ${KINDS.join(', ')}` : undefined,
});

type ListCheck<T> = (ctx: { value: T[]; issues: z.core.$ZodRawIssue[] }) => void;

/** Rejects a second line for the same product; `problem` finishes the sentence "product X …". */
function uniqueProducts(problem: string): ListCheck<{ productId: string }> {
  return (ctx) => {
    const seen = new Set<string>();
    ctx.value.forEach((line, i) => {
      if (seen.has(line.productId)) {
        ctx.issues.push({ code: 'custom', input: line.productId, path: [i, 'productId'], message: `product ${line.productId} ${problem}` });
      }
      seen.add(line.productId);
    });
  };
}

/** One line per product × location: two would leave which one counts to their order in the event. */
function uniqueProductLocations(ctx: { value: { productId: string; locationId: string }[]; issues: z.core.$ZodRawIssue[] }): void {
  const seen = new Set<string>();
  ctx.value.forEach((line, i) => {
    const key = JSON.stringify([line.productId, line.locationId]);
    if (seen.has(key)) ctx.issues.push({ code: 'custom', input: line.productId, path: [i, 'productId'], message: `product ${line.productId} at ${line.locationId} is set twice` });
    seen.add(key);
  });
}

function uniqueIds(problem: string): ListCheck<string> {
  return (ctx) => {
    const seen = new Set<string>();
    ctx.value.forEach((id, i) => {
      if (seen.has(id)) ctx.issues.push({ code: 'custom', input: id, path: [i], message: `product ${id} ${problem}` });
      seen.add(id);
    });
  };
}

/**
 * No two products of one `products-defined` event may share an id, a SKU (case-insensitive) or a
 * barcode (compared as GTIN-14, as the scanner does): the catalog would not know which one a scan means.
 */
function uniqueCatalogKeys(ctx: { value: unknown[]; issues: z.core.$ZodRawIssue[] }): void {
  const ids = new Map<string, number>();
  const skus = new Map<string, number>();
  const codes = new Map<string, number>();
  ctx.value.forEach((item, i) => {
    // Guarded: the items are products by now, but this must not throw on anything else.
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.sku !== 'string' || !Array.isArray(item.barcodes)) return;
    const issue = (path: PropertyKey[], message: string) => ctx.issues.push({ code: 'custom', input: item, path: [i, ...path], message });
    const sameId = ids.get(item.id);
    if (sameId !== undefined) issue(['id'], `product id ${item.id} appears twice (also products[${sameId}])`);
    else ids.set(item.id, i);
    const sku = item.sku.trim().toUpperCase();
    const sameSku = skus.get(sku);
    if (sameSku !== undefined) issue(['sku'], `SKU ${item.sku} is also on products[${sameSku}]`);
    else skus.set(sku, i);
    item.barcodes.forEach((code: unknown, j) => {
      if (typeof code !== 'string') return;
      const key = barcodeKey(code);
      const owner = codes.get(key);
      if (owner !== undefined && owner !== i) issue(['barcodes', j], `barcode ${code} is also on products[${owner}]`);
      else codes.set(key, i);
    });
  });
}

// The schema must produce exactly the contract type; these lines stop compiling if the two drift.
type Parsed = z.output<typeof ledgerEventSchema>;
const _parsedIsEvent = (p: Parsed): LedgerEvent => p;
const _eventIsParsed = (e: LedgerEvent): Parsed => e;
