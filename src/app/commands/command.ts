/**
 * The contract every command keeps: plain input and a context in, the event bodies to record or the
 * errors a person can act on out. A command reads the books and the context only: no clock, no
 * database, no network, no random ids of its own (`now` and `newId` come in through the context), so
 * it runs the same in a test, in the browser and anywhere else.
 */
import type { Books } from '../../domain/books/index.ts';
import type { EventBody, EventKind, ProductSnapshot } from '../../domain/events.ts';
import type { StoreLocation } from '../../domain/locations.ts';
import type { DeviceRole } from '../../domain/permissions.ts';
import type { StaffMemberSnapshot } from '../../domain/staff.ts';

/** Something wrong with the input, said so that a person knows what to do. */
export interface FieldError {
  /** The input field the message is about (a form can show it there); absent for the whole action. */
  field?: string;
  message: string;
}

/**
 * One event to record. A sale's body needs this device's next receipt counter (gap-free per device,
 * counting sales only), so it is a function of it: `AppContext.record` calls it inside the write,
 * with the counter the device's one writer hands out (src/db/ledger-writer.ts).
 */
export type Recordable = EventBody | ((receiptCounter: number) => EventBody);

export type CommandResult = { ok: true; bodies: Recordable[] } | { ok: false; errors: FieldError[] };

/** The store settings a command needs (a subset of the UI's StoreSettings). */
export interface CommandSettings {
  /** ISO 4217 code of the store's money, e.g. 'EUR'. */
  currency: string;
  pricesIncludeTax: boolean;
  /** Cash payments and refunds are rounded to this step, in minor units (1 = no rounding). */
  cashStep: number;
}

/** The catalog as a command reads it (the app's in-memory `CatalogIndex` is one). */
export interface ProductLookup {
  get(productId: string): ProductSnapshot | undefined;
  /** The product with this barcode (compared as GTIN-14) or SKU. */
  byCode(code: string): ProductSnapshot | undefined;
}

export interface CommandContext {
  /** The current projection of the ledger; null while it is still being folded at start. */
  books: Books | null;
  /** Whose device records: the owner's, or a staff device. */
  role: DeviceRole;
  deviceId: string;
  storeId: string;
  /** The location this device records at (the envelope's `locationId`). */
  locationId: string;
  settings: CommandSettings;
  /** The store's locations (the app's list: it names this device's own new location at once). */
  locations: readonly StoreLocation[];
  catalog: ProductLookup;
  /** Milliseconds since the epoch, as the caller's clock says now. */
  now: number;
  /** Makes a new id (UUIDv7 in the app); a test passes a predictable one. */
  newId: () => string;
  /**
   * The staff member signed in on this device (issue 17); absent on a store without staff, where
   * the events' `userId` is the device's cashier name.
   */
  actor?: StaffMemberSnapshot;
}

/** Who may run a command. */
export type Permission = 'anyone' | 'owner';

export interface Command<Input> {
  /** Stable name, e.g. 'complete-sale'. */
  readonly name: string;
  /** The event kinds the command records: the registry derives each kind's permission from them. */
  readonly records: readonly EventKind[];
  readonly permission: Permission;
  /** What the owner-only action is, finishing "Only the owner's device can …" (owner commands only). */
  readonly action?: string;
  run(input: Input, context: CommandContext): CommandResult;
}

export function refuse(...errors: FieldError[]): CommandResult {
  return { ok: false, errors };
}

export function accept(...bodies: Recordable[]): CommandResult {
  return { ok: true, bodies };
}

/** The words of a refusal for want of the owner's device: also what the server answers. */
export function ownerOnlyRefusal(action: string): string {
  return `Only the owner’s device can ${action}.`;
}

/**
 * Makes a command whose permission is checked before its rules: a staff device asking for an
 * owner's action hears so first, whatever else is wrong with the input.
 */
export function defineCommand<Input>(spec: {
  name: string;
  records: readonly EventKind[];
  permission: Permission;
  action?: string;
  check(input: Input, context: CommandContext): CommandResult;
}): Command<Input> {
  if (spec.permission === 'owner' && spec.action === undefined) throw new Error(`Command ${spec.name} is owner-only but says no action.`);
  return {
    name: spec.name,
    records: spec.records,
    permission: spec.permission,
    ...(spec.action === undefined ? {} : { action: spec.action }),
    run(input, context) {
      if (spec.permission === 'owner' && context.role !== 'owner') {
        return refuse({ message: `${ownerOnlyRefusal(spec.action ?? 'do this')} Ask the owner to do it on their device.` });
      }
      return spec.check(input, context);
    },
  };
}

/** The refusal while the books are still being folded at start. */
export const BOOKS_LOADING: FieldError = { message: 'The books are still loading on this device; try again in a moment.' };

/** A whole number of stock units from `min` (a count of pieces, grams or millilitres). */
export function isQty(qty: number, min = 1): boolean {
  return Number.isSafeInteger(qty) && qty >= min && qty <= 1_000_000_000;
}

/** Whole minor units, zero or more. */
export function isAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount >= 0;
}

/** The product's name for a message, or its id when this device does not know it. */
export function productName(context: CommandContext, productId: string): string {
  return context.catalog.get(productId)?.name ?? productId;
}

/** Why this device's own location cannot record stock; undefined when it can. */
export function ownLocationProblem(context: CommandContext): FieldError | undefined {
  if (context.locations.some((l) => l.id === context.locationId)) return undefined;
  return { field: 'location', message: `This device's location (${context.locationId}) is not one of the store's locations. Choose the location in Settings first.` };
}
