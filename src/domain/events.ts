/**
 * The ledger's event types: the contract shared by the browser, the service worker and the server.
 *
 * Every stock-affecting action is one immutable event. An event is never edited or deleted: a
 * mistake is corrected by a later event (a void, a return, an adjustment).
 *
 * Conventions
 * - Money is an integer number of minor units (cents) in the event's `currency`.
 * - Unit costs may be fractional minor units (e.g. 233.3333); every posted money *movement* is
 *   rounded to whole minor units, half away from zero.
 * - `qty` is an integer number of the product's stock unit: pieces for `each`, grams for `kg`,
 *   millilitres for `l`. Prices of weighed products are per kg / per litre, i.e. per
 *   `QTY_PER_PRICE_UNIT[unit]` stock units.
 * - Tax rates are integers in basis points (2000 = 20.00 %).
 */

import type { VariableMeasureRules } from './gtin.ts';

export const EVENT_SCHEMA_VERSION = 1;

export type Minor = number;
export type StockUnit = 'each' | 'kg' | 'l';
export const QTY_PER_PRICE_UNIT: Record<StockUnit, number> = { each: 1, kg: 1000, l: 1000 };

/** Hybrid logical clock, encoded so that string order is causal order (see hlc.ts). */
export type HlcString = string;

export interface EventEnvelope {
  /** UUIDv7, made by the device that recorded the event. */
  id: string;
  schema: typeof EVENT_SCHEMA_VERSION;
  storeId: string;
  /** The location whose stock the event affects (for transfers: the sending/receiving end). */
  locationId: string;
  deviceId: string;
  /** 1, 2, 3… per device, without gaps. */
  seq: number;
  hlc: HlcString;
  /** Wall-clock time of the device when recorded, ISO 8601, for people; ordering uses `hlc`. */
  recordedAt: string;
  /**
   * Who acted: the signed-in staff member's id (`staff-member-defined`) from issue 17 on. Before that,
   * and on a store with no staff members, the device's free-text cashier name: shown as it is.
   */
  userId: string;
  currency: string;
  /**
   * The staff member who approved this event on the spot with their PIN, when the acting member's
   * role lacks a privilege the event needs (staff.ts `privilegesNeeded`). Added in issue 17.
   */
  approvedBy?: string;
}

export type TenderMethod = 'cash' | 'card';
export interface Tender {
  method: TenderMethod;
  /** Amount applied to the sale (for cash: excluding change given back). */
  amount: Minor;
  /** Cash handed over by the customer, when more than `amount` (change = received − amount). */
  received?: Minor;
}

export interface SaleLine {
  lineId: string;
  productId: string;
  sku: string;
  name: string;
  qty: number;
  unit: StockUnit;
  unitPrice: Minor;
  /** Discount on this line, minor units, before the cart discount is spread. */
  lineDiscount: Minor;
  /** Share of the cart-level discount attributed to this line. */
  cartDiscountShare: Minor;
  taxRateBp: number;
  /** Net revenue of the line (excluding tax, after discounts). */
  net: Minor;
  tax: Minor;
  /** What the customer pays for the line (net + tax). */
  gross: Minor;
  /**
   * The catalog price per price unit when the cashier changed the line's price (a price override,
   * issue 17); absent when the line sells at the catalog's (or a scale label's) price.
   */
  listPrice?: Minor;
}

export interface SaleTotals {
  net: Minor;
  tax: Minor;
  gross: Minor;
  discount: Minor;
}

/**
 * Most products one `products-defined` event may carry. A typical product is about 220 bytes of
 * JSON, so a full event is ~0.25 MB: well inside the server's 4 MiB request limit even with several
 * events per push, and small enough to validate and fold in a millisecond or two.
 */
export const MAX_PRODUCTS_PER_EVENT = 1000;

export type EventBody =
  | { kind: 'product-defined'; product: ProductSnapshot }
  /**
   * Many products defined at once (a catalog import): each product as in `product-defined`. One event
   * per 1,000 products instead of one per product keeps a 100,000-product import to 100 ledger rows.
   * No two products of one event share an id, a SKU or a barcode (compared as GTIN-14).
   */
  | { kind: 'products-defined'; products: ProductSnapshot[] }
  | { kind: 'product-changed'; productId: string; changes: Partial<Omit<ProductSnapshot, 'id'>> }
  /**
   * Adds a store location, or renames one: the same `location.id` again is a rename, and the
   * definition latest in ledger order names it (locations.ts). No stock effect.
   */
  | { kind: 'location-defined'; location: { id: string; name: string } }
  /**
   * The owner changes store-wide settings (store-settings.ts): only the fields that changed. For each
   * field the change latest in ledger order wins. No stock effect, nothing posted.
   */
  | { kind: 'store-settings-changed'; changes: StoreSettingsChanges }
  /**
   * The owner sets when a product runs low at a location (`reorderPoint`: on hand below it is low
   * stock) and what to order up to (`orderUpTo`); null clears a level. Per product × location the
   * line latest in ledger order wins (reorder-levels.ts). Each line names its own location, so one
   * event may set levels anywhere. No stock effect, nothing posted. Added in issue 15.
   */
  | { kind: 'reorder-levels-set'; lines: ReorderLevelLine[] }
  /**
   * The owner sets how many days a supplier takes from order to delivery, overriding what its
   * purchase orders taught (lead-times.ts); null goes back to the learned lead time. Per supplier
   * name the event latest in ledger order wins. No stock effect. Added in issue 16.
   */
  | { kind: 'supplier-lead-time-set'; supplier: string; leadTimeDays: number | null }
  | { kind: 'opening-balance'; lines: { productId: string; qty: number; unitCost: number }[] }
  | {
      kind: 'sale';
      receiptNo: string;
      pricesIncludeTax: boolean;
      lines: SaleLine[];
      totals: SaleTotals;
      tenders: Tender[];
      change: Minor;
      /**
       * Cash rounding applied to the cash part (see cash-rounding.ts), signed, never 0 when present:
       * the tenders add up to `totals.gross + cashRounding`.
       */
      cashRounding?: Minor;
      shiftId?: string;
    }
  | {
      kind: 'sale-voided';
      saleId: string;
      reason: string;
      /** The cashier's shift whose drawer pays the money back; without it, the sale's shift. */
      shiftId?: string;
    }
  | {
      kind: 'return';
      /** The sale being returned, when the customer has the receipt. */
      saleId?: string;
      managerApproved: boolean;
      /** The cashier's shift whose drawer pays a cash refund. */
      shiftId?: string;
      lines: {
        productId: string;
        qty: number;
        /** Refund for the line, incl. tax. */
        refund: Minor;
        tax: Minor;
        disposition: 'restock' | 'write-off';
        saleLineId?: string;
      }[];
      refundMethod: TenderMethod;
      /**
       * Cash rounding of a cash refund, signed, never 0 when present: the drawer pays out the lines'
       * refunds plus this.
       */
      cashRounding?: Minor;
    }
  | {
      kind: 'goods-received';
      supplier: string;
      reference: string;
      purchaseOrderId?: string;
      lines: { productId: string; qty: number; unitCost: number }[];
    }
  | { kind: 'stock-counted'; countSessionId?: string; lines: CountedLine[] }
  | {
      kind: 'stock-adjusted';
      reason: 'damage' | 'theft' | 'expiry' | 'found' | 'correction';
      note?: string;
      lines: { productId: string; qty: number }[];
    }
  | { kind: 'transfer-out'; transferId: string; toLocationId: string; lines: { productId: string; qty: number }[] }
  | { kind: 'transfer-in'; transferId: string; fromLocationId: string; lines: { productId: string; qty: number }[] }
  // ---- store operations (issue 7) ----
  /** An order placed with a supplier. No stock effect: stock moves when `goods-received` names it. */
  | {
      kind: 'purchase-order-created';
      purchaseOrderId: string;
      supplier: string;
      /** Expected delivery, ISO 8601 date (2024-05-01) or date-time. */
      expectedAt?: string;
      lines: PurchaseOrderLine[];
    }
  /** Nothing more is expected on the order (complete, cancelled, or the rest will not come). */
  | { kind: 'purchase-order-closed'; purchaseOrderId: string; reason: string }
  /**
   * A count session at the event's location; `productIds` limits it to an aisle or a subset.
   * `uncounted`: what approving does to a product in the count's scope that nobody counted; absent
   * (every session before issue 14) means 'leave'.
   */
  | {
      kind: 'count-session-opened';
      countSessionId: string;
      name: string;
      blind: boolean;
      productIds?: string[];
      uncounted?: UncountedProducts;
    }
  /**
   * One counter's increment (a scan adds 1; a negative number undoes). Increments from every device
   * merge by summing per product. No stock effect until the session is approved.
   */
  | { kind: 'count-recorded'; countSessionId: string; productId: string; qty: number }
  /**
   * The owner's approval. It carries the counted totals the owner reviewed, so its effect does not
   * depend on which increments had synced; the books post it at its own place in ledger order (at
   * the event's location). A line with `countedAt` takes effect as at that moment: the adjustment is
   * counted − on hand at `countedAt`, so stock moved between counting and approval is kept. A line
   * without it (approvals before issue 14) sets the stock to the counted quantity at the approval.
   * Only the first approval of a session counts.
   */
  | { kind: 'count-session-approved'; countSessionId: string; lines: ApprovedCountLine[] }
  | { kind: 'shift-opened'; shiftId: string; float: Minor }
  /** Cash put into (+) or taken out of (−) the drawer, e.g. to or from the safe. */
  | { kind: 'cash-moved'; shiftId: string; amount: Minor; reason: string }
  /**
   * `expectedCash`: what the till computed the drawer should hold when it was closed (issue 17); a
   * close whose count differs from it needs the 'close-shift-with-difference' privilege. Absent on
   * shifts closed before.
   */
  | { kind: 'shift-closed'; shiftId: string; countedCash: Minor; expectedCash?: Minor }
  // ---- staff (issue 17) ----
  /**
   * The owner defines a staff member, or changes one: the same `member.id` again replaces its
   * definition (name, role, PIN hash, active), and per member the definition latest in ledger order
   * wins (staff.ts). No stock effect, nothing posted.
   */
  | { kind: 'staff-member-defined'; member: StaffMemberSnapshot }
  /**
   * A wrong PIN was entered for `memberId` on this device's lock screen or approval pad: kept for
   * the owner's audit trail. The envelope's `userId` is whoever was signed in, or `memberId` on the
   * lock screen. No stock effect.
   */
  | { kind: 'pin-rejected'; memberId: string; purpose: 'sign-in' | 'approval' };

/**
 * The store's own settings, the same on every device: what receipts print, how money and dates read,
 * how prices and stock are counted. Each device's own settings (its location, cashier, scanner) are
 * not here: they stay on the device.
 */
export interface StoreSettings {
  storeName: string;
  /** Printed on receipts, one line per line. */
  address: string;
  /** The store's VAT or tax number, printed on receipts; empty when none. */
  taxId: string;
  receiptHeader: string;
  receiptFooter: string;
  /** ISO 4217 code of the store's money, e.g. 'EUR'. */
  currency: string;
  /** BCP 47 tag for dates and numbers on receipts, e.g. 'en-IE', 'de-DE'. */
  locale: string;
  /** IANA time zone of the store, e.g. 'Europe/Dublin'. */
  timeZone: string;
  pricesIncludeTax: boolean;
  valuation: 'fifo' | 'average';
  /** Cash payments and refunds are rounded to this step, minor units (1 = no rounding). */
  cashStep: Minor;
  /** How this store's scale labels (GS1 variable measure, prefixes 20–29) carry a weight or price. */
  variableMeasure: VariableMeasureRules;
  /**
   * Blind cash-up: while a shift is open the till does not show what the drawer should hold, so the
   * cashier counts what is there rather than confirming a number; the expected cash and the
   * difference appear once the count is entered.
   */
  blindCashUp: boolean;
  /** A sale on a till with no open shift: 'ask' offers to open one first, 'refuse' requires one. */
  saleWithoutShift: SaleWithoutShift;
  /** Stock on hand with no sale at its location for this many days is dead stock (stock-alerts.ts). Added in issue 15. */
  deadStockDays: number;
  /**
   * Replenishment (issue 16): the share of demand the owner wants served from the shelf (fill rate),
   * in percent (95 = 95 %), which computed reorder points aim for; and the lead time, in days, of a
   * supplier whose orders have taught nothing yet and who has no lead time set.
   */
  serviceLevel: number;
  defaultLeadTimeDays: number;
  /**
   * Staff (issue 17): a till with staff members locks itself after this many minutes without a
   * touch (0: never); a sale's discounts above this percentage of its price before discounts need a
   * supervisor (100: never asked).
   */
  idleLockMinutes: number;
  discountApprovalPercent: number;
}

/** What a staff member may do is decided by their role (staff.ts `ROLE_PRIVILEGES`). */
export const STAFF_ROLES = ['cashier', 'supervisor', 'manager'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * A PIN as stored: a PBKDF2-SHA-256 hash with a salt of the member's own. A 4–6 digit PIN cannot
 * resist an offline attack on its hash, so the hash is not a secret credential: it only lets a
 * paired device check who is at the till, and the server never accepts it as one.
 */
export interface PinHash {
  algorithm: 'PBKDF2-SHA-256';
  /** At least 100,000. */
  iterations: number;
  /** Base64, 16 random bytes, new for every PIN set. */
  salt: string;
  /** Base64, 32 bytes. */
  hash: string;
}

export interface StaffMemberSnapshot {
  /** UUIDv7, made when the owner first defines the member; the events' `userId`. */
  id: string;
  name: string;
  role: StaffRole;
  pin: PinHash;
  /** An inactive member cannot sign in or approve; their past events keep their name. */
  active: boolean;
}

/** The longest staff member's name. */
export const MAX_STAFF_NAME = 60;

/** One product × location's reorder levels, in stock units (grams for kg, millilitres for l). */
export interface ReorderLevelLine {
  productId: string;
  locationId: string;
  /** On hand below this is low stock; null: no reorder point. */
  reorderPoint: number | null;
  /** What to order up to; at least `reorderPoint` when both are set; null: none. */
  orderUpTo: number | null;
}

export const SALE_WITHOUT_SHIFT = ['ask', 'refuse'] as const;
export type SaleWithoutShift = (typeof SALE_WITHOUT_SHIFT)[number];

export type StoreSettingsChanges = Partial<StoreSettings>;

export interface PurchaseOrderLine {
  productId: string;
  qty: number;
  unitCost: number;
}

export interface CountedLine {
  productId: string;
  countedQty: number;
}

/** A line of a count approval. */
export interface ApprovedCountLine extends CountedLine {
  /**
   * The HLC the count of this product was taken at: its latest count increment, or the session's
   * opening for a product nobody counted that the session sets to zero.
   */
  countedAt?: string;
}

/** What approving a count does to a product in its scope that nobody counted. */
export type UncountedProducts = 'leave' | 'set-to-zero';

export interface ProductSnapshot {
  id: string;
  name: string;
  sku: string;
  barcodes: string[];
  price: Minor;
  cost: number;
  currency: string;
  taxRateBp: number;
  unit: StockUnit;
  active: boolean;
  /**
   * The owner's grouping for the Sell grid's chips ("Bakery", "Drinks"); absent or '' for none, so
   * a `product-changed` with `category: ''` takes a product out of its category. Added in issue 14;
   * products stored before have neither field.
   */
  category?: string;
  /** Shown under the Sell grid's Favourites chip; absent means false. */
  favourite?: boolean;
  /**
   * Replenishment (issue 16): who the product is usually bought from (a supplier's name as purchase
   * orders carry it; absent or '' for none), the pack it is bought in and the least a supplier
   * takes, both in stock units (absent: 1). Products stored before have none of them.
   */
  supplier?: string;
  packSize?: number;
  minOrderQty?: number;
}

/** The longest supplier name, as a purchase order carries it. */
export const MAX_SUPPLIER = 80;

/** The longest category name: a chip's worth of text. */
export const MAX_CATEGORY = 40;

export type LedgerEvent = EventEnvelope & EventBody;
export type EventKind = LedgerEvent['kind'];
export type EventOf<K extends EventKind> = Extract<LedgerEvent, { kind: K }>;
