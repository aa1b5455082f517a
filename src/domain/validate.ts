/**
 * The boundary check for ledger events: everything that arrives from storage, the network or another
 * device goes through `parseEvent` before any projection sees it. A rejected event changes nothing.
 *
 * Errors name the field (`lines[0].qty`) and say what was wrong, so a sync log or a support person
 * can tell which device sent what.
 */
import { z } from 'zod';
import { EVENT_SCHEMA_VERSION, MAX_PRODUCTS_PER_EVENT, type EventEnvelope, type LedgerEvent, type ProductSnapshot } from './events.ts';
import { barcodeKey } from './gtin.ts';
import { HLC_PATTERN } from './hlc.ts';
import { MAX_CASH_ROUNDING } from './cash-rounding.ts';
import { MAX_LOCATION_ID, MAX_LOCATION_NAME } from './locations.ts';

export type ParseResult = { ok: true; event: LedgerEvent } | { ok: false; error: string };

// ---- field schemas -------------------------------------------------------------------------------

/** Type-level errors: a missing field says so, instead of describing the expected type. */
const unlessMissing =
  (message: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is missing' : message;

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
const currency = z.string({ error: unlessMissing('must be a 3-letter ISO 4217 code such as EUR') }).regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter ISO 4217 code such as EUR' });
const uuidV7 = z
  .string({ error: unlessMissing('must be a UUIDv7') })
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, { error: 'must be a UUIDv7' });
const hlc = z.string({ error: unlessMissing('must be an HLC stamp') }).regex(HLC_PATTERN, { error: 'must be an HLC stamp like 001712345678901-000000-device' });
const stockUnit = z.enum(['each', 'kg', 'l'], { error: unlessMissing('must be one of each, kg, l') });
const taxRateBp = z
  .int({ error: unlessMissing('must be whole basis points') })
  .min(0, { error: 'must not be negative' })
  .max(100_00, { error: 'must be at most 10000 (100 %)' });
const tenderMethod = z.enum(['cash', 'card'], { error: unlessMissing('must be cash or card') });
const isoInstant = z.iso.datetime({ offset: true, error: unlessMissing('must be an ISO 8601 date-time') });

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
};

// ---- bodies --------------------------------------------------------------------------------------

const productSnapshot = z.object({
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
/** A signed whole number that must not be zero: an event that changes nothing is a mistake. */
const nonZeroInt = (unit: string, hint: string) =>
  z.int({ error: unlessMissing(`must be a whole number of ${unit}`) }).refine((n) => n !== 0, { error: `must not be zero (${hint})` });
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ISO_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
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
    lines: z.array(countedLine).check(uniqueProducts('is counted twice in one approval; merge the counts first')),
  }),
  z.object({ ...envelope, kind: z.literal('shift-opened'), shiftId: text, float: nonNegativeMinor }),
  z.object({
    ...envelope,
    kind: z.literal('cash-moved'),
    shiftId: text,
    amount: nonZeroInt('minor units (cents)', 'positive puts cash into the drawer, negative takes it out'),
    reason: text,
  }),
  z.object({ ...envelope, kind: z.literal('shift-closed'), shiftId: text, countedCash: nonNegativeMinor }),
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

// ---- entry point ---------------------------------------------------------------------------------

export function parseEvent(input: unknown): ParseResult {
  // Fast path for the event nearly every sync page is full of. It accepts only what the schema
  // accepts and builds the same output (same keys, same order, unknown keys dropped); anything it
  // does not vouch for goes through zod, which also writes the precise error.
  const fast = fastSale(input) ?? fastProductsDefined(input);
  if (fast) return { ok: true, event: fast };
  const versionError = checkSchemaVersion(input);
  if (versionError) return { ok: false, error: versionError };
  const result = ledgerEventSchema.safeParse(input, { error: describeGenericIssue });
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, error: result.error.issues.map(formatIssue).join('; ') };
}

export type ProductParseResult = { ok: true; product: ProductSnapshot } | { ok: false; error: string };

/**
 * One product as `product-defined` and `products-defined` carry it (unknown fields dropped), e.g. a
 * row of a catalog import checked before any event is made. Errors name the field (`price: …`).
 */
export function parseProduct(input: unknown): ProductParseResult {
  const fast = fastProduct(input);
  if (fast) return { ok: true, product: fast };
  const result = productSnapshot.safeParse(input, { error: describeGenericIssue });
  if (result.success) return { ok: true, product: result.data };
  return { ok: false, error: result.error.issues.map(formatIssue).join('; ') };
}

/** Checked first so an event from a newer app says "update" rather than listing field errors. */
function checkSchemaVersion(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || !('schema' in input)) return undefined;
  const version = (input as { schema: unknown }).schema;
  if (typeof version === 'number' && Number.isInteger(version) && version > EVENT_SCHEMA_VERSION) {
    return `schema: event schema version ${version} is newer than this app understands (${EVENT_SCHEMA_VERSION}); update the app before syncing this event`;
  }
  return undefined;
}

function describeGenericIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is missing';
  if (issue.code === 'invalid_type') return `must be ${withArticle(issue.expected)}, got ${describeValue(issue.input)}`;
  return undefined;
}

function withArticle(expected: string): string {
  return expected === 'object' || expected === 'array' ? `an ${expected}` : expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

/** `lines[0].qty`, or `event` for the whole value. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'event';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

// ---- fast path for sales -------------------------------------------------------------------------
//
// parseEvent runs on every event a device pulls and every event the server is pushed (100,000 on a
// fresh device), and zod costs several times this hand-written check. It mirrors `sale` above field
// by field; when in doubt it returns undefined and zod decides. tests/sync/validate-fast-path.test.ts
// checks that both give identical output for valid sales and that every bad event still fails.

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const CURRENCY = /^[A-Z]{3}$/;
/** The exact pattern zod's z.iso.datetime({offset: true}) checks, taken from the schema itself. */
const ISO_DATETIME: RegExp | undefined = (isoInstant._zod.def as { pattern?: RegExp }).pattern;

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isNonNegInt = (v: unknown): v is number => isInt(v) && v >= 0;
const isTaxRate = (v: unknown): v is number => isInt(v) && v >= 0 && v <= 100_00;
const isCashRounding = (v: unknown): boolean => isInt(v) && v !== 0 && Math.abs(v) <= MAX_CASH_ROUNDING;
/** An optional key: absent is fine, present-but-undefined is left to zod. */
const absentOr = (o: Rec, key: string, ok: (v: unknown) => boolean): boolean => (key in o ? ok(o[key]) : true);

/** The envelope every event carries, checked the way the zod schema does (for the fast paths). */
function hasValidEnvelope(e: Rec): boolean {
  return (
    typeof e.id === 'string' &&
    UUID_V7.test(e.id) &&
    e.schema === EVENT_SCHEMA_VERSION &&
    isText(e.storeId) &&
    isText(e.locationId) &&
    isText(e.deviceId) &&
    isInt(e.seq) &&
    e.seq >= 1 &&
    typeof e.hlc === 'string' &&
    HLC_PATTERN.test(e.hlc) &&
    typeof e.recordedAt === 'string' &&
    ISO_DATETIME !== undefined &&
    ISO_DATETIME.test(e.recordedAt) &&
    isText(e.userId) &&
    typeof e.currency === 'string' &&
    CURRENCY.test(e.currency)
  );
}

/** A fresh copy of a checked envelope, keys in the schema's order (so stored JSON is canonical). */
function envelopeOf(e: Rec): EventEnvelope {
  return {
    id: e.id,
    schema: e.schema,
    storeId: e.storeId,
    locationId: e.locationId,
    deviceId: e.deviceId,
    seq: e.seq,
    hlc: e.hlc,
    recordedAt: e.recordedAt,
    userId: e.userId,
    currency: e.currency,
  } as EventEnvelope;
}

function fastSale(input: unknown): LedgerEvent | undefined {
  if (!ISO_DATETIME || !isRecord(input) || input.kind !== 'sale') return undefined;
  const e = input;
  if (
    !hasValidEnvelope(e) ||
    !isText(e.receiptNo) ||
    typeof e.pricesIncludeTax !== 'boolean' ||
    !Array.isArray(e.lines) ||
    e.lines.length === 0 ||
    !isRecord(e.totals) ||
    !Array.isArray(e.tenders) ||
    !isNonNegInt(e.change) ||
    !absentOr(e, 'shiftId', isText) ||
    !absentOr(e, 'cashRounding', isCashRounding)
  ) {
    return undefined;
  }
  const lines: Rec[] = [];
  let net = 0;
  let tax = 0;
  let gross = 0;
  for (const l of e.lines as unknown[]) {
    if (
      !isRecord(l) ||
      !isText(l.lineId) ||
      !isText(l.productId) ||
      !isText(l.sku) ||
      typeof l.name !== 'string' ||
      !(isInt(l.qty) && l.qty >= 1) ||
      !(l.unit === 'each' || l.unit === 'kg' || l.unit === 'l') ||
      !isNonNegInt(l.unitPrice) ||
      !isNonNegInt(l.lineDiscount) ||
      !isNonNegInt(l.cartDiscountShare) ||
      !isTaxRate(l.taxRateBp) ||
      !isInt(l.net) ||
      !isInt(l.tax) ||
      !isInt(l.gross) ||
      l.net + l.tax !== l.gross
    ) {
      return undefined;
    }
    net += l.net;
    tax += l.tax;
    gross += l.gross;
    lines.push({
      lineId: l.lineId,
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      qty: l.qty,
      unit: l.unit,
      unitPrice: l.unitPrice,
      lineDiscount: l.lineDiscount,
      cartDiscountShare: l.cartDiscountShare,
      taxRateBp: l.taxRateBp,
      net: l.net,
      tax: l.tax,
      gross: l.gross,
    });
  }
  const t = e.totals;
  if (!isInt(t.net) || !isInt(t.tax) || !isInt(t.gross) || !isNonNegInt(t.discount)) return undefined;
  if (t.net !== net || t.tax !== tax || t.gross !== gross) return undefined;
  const tenders: Rec[] = [];
  let tendered = 0;
  let change = 0;
  for (const td of e.tenders as unknown[]) {
    if (!isRecord(td) || !(td.method === 'cash' || td.method === 'card') || !isNonNegInt(td.amount)) return undefined;
    tendered += td.amount;
    if ('received' in td) {
      if (!isNonNegInt(td.received) || td.received < td.amount) return undefined;
      change += td.received - td.amount;
      tenders.push({ method: td.method, amount: td.amount, received: td.received });
    } else {
      tenders.push({ method: td.method, amount: td.amount });
    }
  }
  const rounding = (e.cashRounding as number | undefined) ?? 0;
  if (tendered !== t.gross + rounding || e.change !== change) return undefined;
  if (rounding !== 0 && !tenders.some((td) => td.method === 'cash')) return undefined;
  const sale: Rec = {
    ...envelopeOf(e),
    kind: 'sale',
    receiptNo: e.receiptNo,
    pricesIncludeTax: e.pricesIncludeTax,
    lines,
    totals: { net: t.net, tax: t.tax, gross: t.gross, discount: t.discount },
    tenders,
    change: e.change,
  };
  if ('cashRounding' in e) sale.cashRounding = e.cashRounding;
  if ('shiftId' in e) sale.shiftId = e.shiftId;
  return sale as unknown as LedgerEvent;
}

// ---- fast path for catalog events ----------------------------------------------------------------
//
// A 100,000-product import is 100 `products-defined` events of 1,000 products: checked once when
// imported, again by the server, and again by every device that pulls them. zod takes ~20 µs per
// product; this check mirrors `productSnapshot` and `uniqueCatalogKeys` and takes about 1 µs. As with
// sales, anything it does not vouch for goes to zod. tests/domain/products-defined.test.ts checks
// that both give identical output for valid events and that every bad one still fails.

/** Indexed, not `every`: `every` skips the holes of a sparse array, which zod reads as missing. */
function allText(list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (!isText(list[i])) return false;
  return true;
}

const isFiniteNonNeg = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function fastProduct(p: unknown): ProductSnapshot | undefined {
  if (
    !isRecord(p) ||
    !isText(p.id) ||
    !isText(p.name) ||
    !isText(p.sku) ||
    !Array.isArray(p.barcodes) ||
    !allText(p.barcodes as unknown[]) ||
    !isNonNegInt(p.price) ||
    !isFiniteNonNeg(p.cost) ||
    !(typeof p.currency === 'string' && CURRENCY.test(p.currency)) ||
    !isTaxRate(p.taxRateBp) ||
    !(p.unit === 'each' || p.unit === 'kg' || p.unit === 'l') ||
    typeof p.active !== 'boolean'
  ) {
    return undefined;
  }
  return {
    id: p.id,
    name: p.name,
    sku: p.sku,
    barcodes: [...(p.barcodes as string[])],
    price: p.price,
    cost: p.cost,
    currency: p.currency,
    taxRateBp: p.taxRateBp,
    unit: p.unit,
    active: p.active,
  };
}

function fastProductsDefined(input: unknown): LedgerEvent | undefined {
  if (!ISO_DATETIME || !isRecord(input) || input.kind !== 'products-defined') return undefined;
  const e = input;
  if (
    !hasValidEnvelope(e) ||
    !Array.isArray(e.products) ||
    e.products.length === 0 ||
    e.products.length > MAX_PRODUCTS_PER_EVENT
  ) {
    return undefined;
  }
  const products: ProductSnapshot[] = [];
  const ids = new Set<string>();
  const skus = new Set<string>();
  const codes = new Map<string, number>();
  for (const raw of e.products as unknown[]) {
    const product = fastProduct(raw);
    if (!product) return undefined;
    const sku = product.sku.trim().toUpperCase();
    if (ids.has(product.id) || skus.has(sku)) return undefined;
    ids.add(product.id);
    skus.add(sku);
    for (const code of product.barcodes) {
      const key = barcodeKey(code);
      const owner = codes.get(key);
      if (owner !== undefined && owner !== products.length) return undefined;
      codes.set(key, products.length);
    }
    products.push(product);
  }
  return {
    ...envelopeOf(e),
    kind: 'products-defined',
    products,
  };
}
