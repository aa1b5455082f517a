/**
 * The fast paths of validation: hand-written checks for the events that arrive by the thousand
 * (sales, deliveries, and catalog imports as `products-defined`). Each accepts only what the zod schema accepts
 * and builds the same output (same keys, same order, unknown keys dropped); for anything it does not
 * vouch for it returns undefined, and the schema decides and words the error.
 */
import type { EventEnvelope, LedgerEvent, ProductSnapshot } from '../events.ts';
import { barcodeKey } from '../gtin.ts';
import { ISO_DATETIME } from './schemas.ts';
import {
  CURRENCY_CODE,
  EVENT_SCHEMA_VERSION,
  HLC_PATTERN,
  MAX_CASH_ROUNDING,
  MAX_CATEGORY,
  MAX_SUPPLIER,
  MAX_PRODUCTS_PER_EVENT,
  MAX_TAX_RATE_BP,
  UUID_V7,
  isRecord,
  isStockUnit,
  isTenderMethod,
} from './patterns.ts';

// ---- fast path for sales -------------------------------------------------------------------------
//
// parseEvent runs on every event a device pulls and every event the server is pushed (100,000 on a
// fresh device), and zod costs several times this hand-written check. It mirrors `sale` above field
// by field (schemas.ts); when in doubt it returns undefined and zod decides. tests/sync/validate-fast-path.test.ts
// checks that both give identical output for valid sales and that every bad event still fails.

type Rec = Record<string, unknown>;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isNonNegInt = (v: unknown): v is number => isInt(v) && v >= 0;
const isTaxRate = (v: unknown): v is number => isInt(v) && v >= 0 && v <= MAX_TAX_RATE_BP;
const isCashRounding = (v: unknown): boolean => isInt(v) && v !== 0 && Math.abs(v) <= MAX_CASH_ROUNDING;
/** An optional key: absent is fine, present-but-undefined is left to zod. */
const absentOr = (o: Rec, key: string, ok: (v: unknown) => boolean): boolean => (key in o ? ok(o[key]) : true);

/**
 * What a fast path vouches for: the event as validated, and whether it is exactly the input (the
 * same keys at every level: nothing unknown was dropped). A fast path copies every key it knows, so
 * the copy is exact when each level has as many keys as the input's; that count costs a fifth of
 * comparing the two whole (isExactCopy), which a new device otherwise did for 1,000,000 events.
 */
export interface FastParse {
  event: LedgerEvent;
  exact: boolean;
}

/** How many own enumerable keys `o` has (Object.keys reads V8's cached key list: ~3 times a for-in). */
function keyCount(o: object): number {
  return Object.keys(o).length;
}

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
    CURRENCY_CODE.test(e.currency) &&
    absentOr(e, 'approvedBy', isText)
  );
}

/** A fresh copy of a checked envelope, keys in the schema's order (so stored JSON is canonical). */
function envelopeOf(e: Rec): EventEnvelope {
  // The optional key by assignment, not by a conditional spread (V8's slow generic copy).
  const envelope: Rec = {
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
  };
  if ('approvedBy' in e) envelope.approvedBy = e.approvedBy;
  return envelope as unknown as EventEnvelope;
}

export function fastSale(input: unknown): FastParse | undefined {
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
  let exact = true;
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
      !isStockUnit(l.unit) ||
      !isNonNegInt(l.unitPrice) ||
      !isNonNegInt(l.lineDiscount) ||
      !isNonNegInt(l.cartDiscountShare) ||
      !isTaxRate(l.taxRateBp) ||
      !isInt(l.net) ||
      !isInt(l.tax) ||
      !isInt(l.gross) ||
      l.net + l.tax !== l.gross ||
      !absentOr(l, 'listPrice', isNonNegInt)
    ) {
      return undefined;
    }
    net += l.net;
    tax += l.tax;
    gross += l.gross;
    const line: Rec = {
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
    };
    if ('listPrice' in l) line.listPrice = l.listPrice;
    exact &&= keyCount(l) === keyCount(line);
    lines.push(line);
  }
  const t = e.totals;
  if (!isInt(t.net) || !isInt(t.tax) || !isInt(t.gross) || !isNonNegInt(t.discount)) return undefined;
  if (t.net !== net || t.tax !== tax || t.gross !== gross) return undefined;
  exact &&= keyCount(t) === 4;
  const tenders: Rec[] = [];
  let tendered = 0;
  let change = 0;
  for (const td of e.tenders as unknown[]) {
    if (!isRecord(td) || !isTenderMethod(td.method) || !isNonNegInt(td.amount)) return undefined;
    tendered += td.amount;
    if ('received' in td) {
      if (!isNonNegInt(td.received) || td.received < td.amount) return undefined;
      change += td.received - td.amount;
      tenders.push({ method: td.method, amount: td.amount, received: td.received });
      exact &&= keyCount(td) === 3;
    } else {
      tenders.push({ method: td.method, amount: td.amount });
      exact &&= keyCount(td) === 2;
    }
  }
  const rounding = (e.cashRounding as number | undefined) ?? 0;
  if (tendered !== t.gross + rounding || e.change !== change) return undefined;
  if (rounding !== 0 && !tenders.some((td) => td.method === 'cash')) return undefined;
  // Keys added one by one onto the fresh envelope, in the schema's order: a literal that spreads the
  // envelope and then lists more keys makes V8 add each of those the slow way (~10 µs a sale).
  const sale = envelopeOf(e) as unknown as Rec;
  sale.kind = 'sale';
  sale.receiptNo = e.receiptNo;
  sale.pricesIncludeTax = e.pricesIncludeTax;
  sale.lines = lines;
  sale.totals = { net: t.net, tax: t.tax, gross: t.gross, discount: t.discount };
  sale.tenders = tenders;
  sale.change = e.change;
  if ('cashRounding' in e) sale.cashRounding = e.cashRounding;
  if ('shiftId' in e) sale.shiftId = e.shiftId;
  return { event: sale as unknown as LedgerEvent, exact: exact && keyCount(e) === keyCount(sale) };
}

// ---- fast path for deliveries --------------------------------------------------------------------
//
// About a fifth of a shop's history is `goods-received` (the new-device benchmark's year: 18 %), and
// zod took ~12 µs each. This mirrors `goods-received` and `costLine` (schemas.ts); the same
// differential test as for sales checks it (tests/sync/validate-fast-path.test.ts).

const isPositiveQty = (v: unknown): v is number => isInt(v) && v >= 1;
const isUnitCost = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function fastGoodsReceived(input: unknown): FastParse | undefined {
  if (!ISO_DATETIME || !isRecord(input) || input.kind !== 'goods-received') return undefined;
  const e = input;
  if (!hasValidEnvelope(e) || !isText(e.supplier) || !isText(e.reference) || !absentOr(e, 'purchaseOrderId', isText) || !Array.isArray(e.lines) || e.lines.length === 0) {
    return undefined;
  }
  const lines: Rec[] = [];
  let exact = true;
  for (const l of e.lines as unknown[]) {
    if (!isRecord(l) || !isText(l.productId) || !isPositiveQty(l.qty) || !isUnitCost(l.unitCost)) return undefined;
    lines.push({ productId: l.productId, qty: l.qty, unitCost: l.unitCost });
    exact &&= keyCount(l) === 3;
  }
  // Keys one by one onto the fresh envelope, in the schema's order (see fastSale).
  const received = envelopeOf(e) as unknown as Rec;
  received.kind = 'goods-received';
  received.supplier = e.supplier;
  received.reference = e.reference;
  if ('purchaseOrderId' in e) received.purchaseOrderId = e.purchaseOrderId;
  received.lines = lines;
  return { event: received as unknown as LedgerEvent, exact: exact && keyCount(e) === keyCount(received) };
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

const isPackQty = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 1_000_000_000;

export function fastProduct(p: unknown): ProductSnapshot | undefined {
  if (
    !isRecord(p) ||
    !isText(p.id) ||
    !isText(p.name) ||
    !isText(p.sku) ||
    !Array.isArray(p.barcodes) ||
    !allText(p.barcodes as unknown[]) ||
    !isNonNegInt(p.price) ||
    !isFiniteNonNeg(p.cost) ||
    !(typeof p.currency === 'string' && CURRENCY_CODE.test(p.currency)) ||
    !isTaxRate(p.taxRateBp) ||
    !isStockUnit(p.unit) ||
    typeof p.active !== 'boolean' ||
    !(p.category === undefined || (typeof p.category === 'string' && p.category.length <= MAX_CATEGORY)) ||
    !(p.favourite === undefined || typeof p.favourite === 'boolean') ||
    !(p.supplier === undefined || (typeof p.supplier === 'string' && p.supplier.length <= MAX_SUPPLIER)) ||
    !(p.packSize === undefined || isPackQty(p.packSize)) ||
    !(p.minOrderQty === undefined || isPackQty(p.minOrderQty))
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
    // Left out when absent, as zod leaves them out: both paths give identical output.
    ...(p.category === undefined ? {} : { category: p.category }),
    ...(p.favourite === undefined ? {} : { favourite: p.favourite }),
    ...(p.supplier === undefined ? {} : { supplier: p.supplier }),
    ...(p.packSize === undefined ? {} : { packSize: p.packSize }),
    ...(p.minOrderQty === undefined ? {} : { minOrderQty: p.minOrderQty }),
  };
}

export function fastProductsDefined(input: unknown): FastParse | undefined {
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
  let exact = true;
  for (const raw of e.products as unknown[]) {
    const product = fastProduct(raw);
    if (!product) return undefined;
    // barcodes is copied whole, so the product's own keys are all there is to count.
    exact &&= keyCount(raw as object) === keyCount(product);
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
  const event = envelopeOf(e) as unknown as Rec;
  event.kind = 'products-defined';
  event.products = products;
  return { event: event as unknown as LedgerEvent, exact: exact && keyCount(e) === keyCount(event) };
}

