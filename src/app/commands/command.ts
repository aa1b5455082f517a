/**
 * The contract every command keeps: plain input and a context in, the event bodies to record or the
 * errors a person can act on out. A command reads the books and the context only: no clock, no
 * database, no network, no random ids of its own (`now` and `newId` come in through the context), so
 * it runs the same in a test, in the browser and anywhere else.
 */
import type { Books, DeviceRole, EventBody, EventKind } from '../../domain/index.ts';

/** Something wrong with the input, said so that a person knows what to do. */
export interface FieldError {
  /** The input field the message is about (a form can show it there); absent for the whole action. */
  field?: string;
  message: string;
}

/**
 * One event to record. A body that needs this device's sequence number (a receipt number is made
 * from it) is a function of it: `AppContext.record` calls it inside the write, with the number the
 * event gets.
 */
export type Recordable = EventBody | ((seq: number) => EventBody);

export type CommandResult = { ok: true; bodies: Recordable[] } | { ok: false; errors: FieldError[] };

/** The store settings a command needs (a subset of the UI's StoreSettings). */
export interface CommandSettings {
  /** ISO 4217 code of the store's money, e.g. 'EUR'. */
  currency: string;
  pricesIncludeTax: boolean;
  /** Cash payments and refunds are rounded to this step, in minor units (1 = no rounding). */
  cashStep: number;
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
  /** Milliseconds since the epoch, as the caller's clock says now. */
  now: number;
  /** Makes a new id (UUIDv7 in the app); a test passes a predictable one. */
  newId: () => string;
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
