/**
 * The entries of one ledger stream, in canonical order: per entry the event, a (line, role) tag and
 * six numbers (the outcome of folding it).
 *
 * The ledger reaches entries only through this table (by index), so the representation can change
 * without touching the fold. Measured for issue 4 on the shared 2-core VM: column storage (an event
 * array, a tag array and an unboxed double array per stream) showed no CPU gain within the noise
 * and used ~30 MB more heap from array growth slack; typed arrays were no better (many small ones
 * grow off-heap). One small fixed-shape object per entry is therefore kept.
 *
 * Indices shift when an entry is inserted, so they are only held for one fold or one query.
 */
import type { LedgerEvent } from './events.ts';

/** What an entry does to its stream. */
export type EntryRole =
  | 'opening'
  | 'receipt'
  | 'sale'
  | 'void'
  | 'return-restock'
  | 'return-write-off'
  | 'count'
  | 'adjustment'
  | 'transfer-out'
  | 'transfer-in'
  /** Transit stream: goods leave the sender and enter transit. */
  | 'dispatch'
  /** Transit stream: goods leave transit at the receiver. */
  | 'arrival';

const ROLES: readonly EntryRole[] = [
  'opening',
  'receipt',
  'sale',
  'void',
  'return-restock',
  'return-write-off',
  'count',
  'adjustment',
  'transfer-out',
  'transfer-in',
  'dispatch',
  'arrival',
];
const ROLE_BITS = 4;
const ROLE_MASK = (1 << ROLE_BITS) - 1;
const ROLE_INDEX = Object.fromEntries(ROLES.map((role, i) => [role, i])) as Record<EntryRole, number>;

/** The numbers kept per entry, in this order. */
export const QTY = 0;
/** Quantity of the stream after the entry. */
export const QTY_AFTER = 1;
/** Signed change of the stream's value (Inventory or In transit). */
export const VALUE = 2;
/** The movement's own value, ≥ 0: the cost taken out, or the value brought in. */
export const AMOUNT = 3;
/** COGS correction of a shortfall filled by this entry (incoming entries only). */
export const CORRECTION = 4;
/** Units sold or moved beyond the stock on hand (an oversell). */
export const SHORT_QTY = 5;
export type EntryField = typeof QTY | typeof QTY_AFTER | typeof VALUE | typeof AMOUNT | typeof CORRECTION | typeof SHORT_QTY;

/**
 * One entry. `tag` packs the line index and the role; `n0`…`n5` are the numbers by `EntryField`,
 * as fields rather than an array so an entry stays a single allocation.
 */
interface Row {
  readonly event: LedgerEvent;
  readonly tag: number;
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
  n5: number;
}

export class EntryTable {
  private readonly rows: Row[] = [];

  get length(): number {
    return this.rows.length;
  }

  event(i: number): LedgerEvent {
    return (this.rows[i] as Row).event;
  }

  /** Index of the line within the event (for voids: within the voided sale). */
  line(i: number): number {
    return (this.rows[i] as Row).tag >>> ROLE_BITS;
  }

  role(i: number): EntryRole {
    return ROLES[(this.rows[i] as Row).tag & ROLE_MASK] as EntryRole;
  }

  get(i: number, field: EntryField): number {
    const r = this.rows[i] as Row;
    switch (field) {
      case QTY:
        return r.n0;
      case QTY_AFTER:
        return r.n1;
      case VALUE:
        return r.n2;
      case AMOUNT:
        return r.n3;
      case CORRECTION:
        return r.n4;
      case SHORT_QTY:
        return r.n5;
    }
  }

  set(i: number, field: EntryField, value: number): void {
    const r = this.rows[i] as Row;
    switch (field) {
      case QTY:
        r.n0 = value;
        return;
      case QTY_AFTER:
        r.n1 = value;
        return;
      case VALUE:
        r.n2 = value;
        return;
      case AMOUNT:
        r.n3 = value;
        return;
      case CORRECTION:
        r.n4 = value;
        return;
      case SHORT_QTY:
        r.n5 = value;
        return;
    }
  }

  /** Zeroes the entry's numbers before it is folded again. */
  clear(i: number): void {
    const r = this.rows[i] as Row;
    r.n0 = r.n1 = r.n2 = r.n3 = r.n4 = r.n5 = 0;
  }

  lastEvent(): LedgerEvent | undefined {
    return this.rows[this.rows.length - 1]?.event;
  }

  /** Appends an entry (numbers zero) and returns its index. */
  push(event: LedgerEvent, line: number, role: EntryRole): number {
    return this.rows.push(row(event, line, role)) - 1;
  }

  /** Inserts an entry (numbers zero) at index `i`, shifting the later ones. */
  insertAt(i: number, event: LedgerEvent, line: number, role: EntryRole): number {
    this.rows.splice(i, 0, row(event, line, role));
    return i;
  }
}

function row(event: LedgerEvent, line: number, role: EntryRole): Row {
  return { event, tag: (line << ROLE_BITS) | ROLE_INDEX[role], n0: 0, n1: 0, n2: 0, n3: 0, n4: 0, n5: 0 };
}
