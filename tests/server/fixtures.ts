/**
 * Valid ledger events for server and sync tests, built deterministically from a device id and a
 * sequence number (no clock, no randomness unless the caller passes them in).
 */
import { EVENT_SCHEMA_VERSION, encodeHlc, type EventBody, type EventEnvelope, type LedgerEvent, type StoreSettingsChanges } from '../../src/domain/index.ts';

/** A UUIDv7 whose time part is `ms` and whose random part is derived from `salt` and `n`. */
export function testUuidV7(ms: number, salt: string, n: number): string {
  let h = 2166136261;
  for (const ch of `${salt}:${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const rand = (h.toString(16).padStart(8, '0') + n.toString(16).padStart(12, '0')).slice(-20);
  const time = ms.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rand.slice(0, 3)}-${'89ab'[h & 3]}${rand.slice(3, 6)}-${rand.slice(8, 20)}`;
}

export interface SaleOptions {
  storeId: string;
  deviceId: string;
  seq: number;
  /** Wall time of the sale; defaults to a fixed day plus seq seconds. */
  wallMs?: number;
  productId?: string;
  qty?: number;
  unitPrice?: number;
  locationId?: string;
}

const BASE_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The fields every event carries, for one device's event number `seq` at `wallMs`. */
function envelope(options: { storeId: string; deviceId: string; seq: number; locationId?: string }, wallMs: number, idSalt: string, userId: string): EventEnvelope {
  return {
    id: testUuidV7(wallMs, idSalt, options.seq),
    schema: EVENT_SCHEMA_VERSION,
    storeId: options.storeId,
    locationId: options.locationId ?? 'loc-floor',
    deviceId: options.deviceId,
    seq: options.seq,
    hlc: encodeHlc({ wallMs, counter: 0, deviceId: options.deviceId }),
    recordedAt: new Date(wallMs).toISOString(),
    userId,
    currency: 'EUR',
  };
}

/**
 * Any event body as device `device`'s number `seq` at `wallMs`, acted by `userId` and approved by
 * `approvedBy` when given (staff tests). `idSalt` keeps its id apart from other fixtures' events.
 */
export function eventOf(
  device: { storeId: string; deviceId: string },
  seq: number,
  wallMs: number,
  userId: string,
  body: EventBody,
  options: { approvedBy?: string; idSalt?: string } = {},
): LedgerEvent {
  return {
    ...envelope({ ...device, seq }, wallMs, options.idSalt ?? device.deviceId, userId),
    ...(options.approvedBy === undefined ? {} : { approvedBy: options.approvedBy }),
    ...body,
  } as LedgerEvent;
}

export function saleEvent(options: SaleOptions): LedgerEvent {
  const wallMs = options.wallMs ?? BASE_MS + options.seq * 1000;
  const qty = options.qty ?? 1;
  const unitPrice = options.unitPrice ?? 250;
  const gross = qty * unitPrice;
  // 20 % tax included in the price: net + tax = gross exactly, as the domain requires.
  const tax = Math.round(gross / 6);
  const net = gross - tax;
  const productId = options.productId ?? 'p-coffee';
  return {
    ...envelope(options, wallMs, options.deviceId, 'cashier-1'),
    kind: 'sale',
    receiptNo: `${options.deviceId}-${options.seq}`,
    pricesIncludeTax: true,
    lines: [
      {
        lineId: `l${options.seq}`,
        productId,
        sku: `SKU-${productId}`,
        name: 'Coffee beans 250 g',
        qty,
        unit: 'each',
        unitPrice,
        lineDiscount: 0,
        cartDiscountShare: 0,
        taxRateBp: 2000,
        net,
        tax,
        gross,
      },
    ],
    totals: { net, tax, gross, discount: 0 },
    tenders: [{ method: 'card', amount: gross }],
    change: 0,
  };
}

export function saleEvents(storeId: string, deviceId: string, fromSeq: number, count: number): LedgerEvent[] {
  return Array.from({ length: count }, (_, i) => saleEvent({ storeId, deviceId, seq: fromSeq + i }));
}

export function openingBalance(options: {
  storeId: string;
  deviceId: string;
  seq: number;
  lines: { productId: string; qty: number; unitCost: number }[];
  wallMs?: number;
  locationId?: string;
}): LedgerEvent {
  const wallMs = options.wallMs ?? BASE_MS - 3_600_000 + options.seq;
  return {
    ...envelope(options, wallMs, `${options.deviceId}-ob`, 'owner'),
    kind: 'opening-balance',
    lines: options.lines,
  };
}

/** A catalog event: `count` products p-cat-<first>… with EAN-less codes, cost 100 + i. */
export function productsDefined(options: { storeId: string; deviceId: string; seq: number; count: number; first?: number; wallMs?: number }): LedgerEvent {
  const wallMs = options.wallMs ?? BASE_MS - 7_200_000 + options.seq;
  const first = options.first ?? 0;
  return {
    ...envelope(options, wallMs, `${options.deviceId}-cat`, 'owner'),
    kind: 'products-defined',
    products: Array.from({ length: options.count }, (_, k) => {
      const i = first + k;
      return { id: `p-cat-${i}`, name: `Catalog product ${i}`, sku: `CAT-${i}`, barcodes: [`INT${i}`], price: 200 + i, cost: 100 + i, currency: 'EUR', taxRateBp: 2000, unit: 'each' as const, active: true };
    }),
  };
}

/** The owner adding (or, with an id used before, renaming) a store location. */
export function locationDefined(options: { storeId: string; deviceId: string; seq: number; id: string; name: string; wallMs?: number }): LedgerEvent {
  const wallMs = options.wallMs ?? BASE_MS - 1_800_000 + options.seq;
  return {
    ...envelope(options, wallMs, `${options.deviceId}-loc`, 'owner'),
    kind: 'location-defined',
    location: { id: options.id, name: options.name },
  };
}

/** The owner changing store-wide settings (only the fields given). */
export function storeSettingsChanged(options: { storeId: string; deviceId: string; seq: number; changes: StoreSettingsChanges; wallMs?: number }): LedgerEvent {
  const wallMs = options.wallMs ?? BASE_MS - 1_700_000 + options.seq;
  return {
    ...envelope(options, wallMs, `${options.deviceId}-settings`, 'owner'),
    kind: 'store-settings-changed',
    changes: options.changes,
  };
}
