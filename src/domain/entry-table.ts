/**
 * The entries of one ledger stream, in canonical order: per entry the event, a (line, role) tag and
 * six numbers (the outcome of folding it).
 *
 * The ledger reaches entries only through this table (by index), so the representation can change
 * without touching the fold. Storage is columnar and shared by all the ledger's streams
 * (`EntryStore`); an earlier try with columns per stream gained nothing (10,000 small arrays, each
 * growing on its own), one object per entry cost the allocation of a million of them.
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

/** Numbers per entry: one row of `EntryStore.numbers`. */
const WIDTH = 6;

/**
 * The entries of every stream of one ledger, columnar: row r's event is `events[r]`, its tag (line
 * and role) `tags[r]`, its numbers `numbers[r * WIDTH + field]`. Rows are only ever appended; a
 * stream keeps the list of its rows in canonical order. Issue 4: a million small entry objects cost
 * ~0.8 s of CPU in the full fold on the 2-core VM (allocation, then copying every one of them out of
 * the young generation), typed arrays that grow by doubling cost almost nothing and are not scanned
 * by the garbage collector.
 */
export class EntryStore {
  readonly events: LedgerEvent[] = [];
  tags = new Int32Array(1024);
  numbers = new Float64Array(1024 * WIDTH);

  /** Makes room for `count` more rows without growing on the way. */
  reserve(count: number): void {
    const needed = this.events.length + count;
    if (needed > this.tags.length) this.grow(needed);
  }

  /** Appends a row (numbers zero) and returns its number. */
  add(event: LedgerEvent, line: number, role: EntryRole): number {
    const row = this.events.length;
    if (row >= this.tags.length) this.grow(row * 2);
    this.events.push(event);
    this.tags[row] = (line << ROLE_BITS) | ROLE_INDEX[role];
    return row;
  }

  private grow(rows: number): void {
    const tags = new Int32Array(rows);
    tags.set(this.tags);
    this.tags = tags;
    const numbers = new Float64Array(rows * WIDTH);
    numbers.set(this.numbers);
    this.numbers = numbers;
  }
}

/** The entries of one stream: its rows of the ledger's `EntryStore`, in canonical order. */
export class EntryTable {
  /** Row numbers in the store; a small-integer array, so it holds no pointers for the GC to trace. */
  private readonly rows: number[] = [];

  constructor(private readonly store: EntryStore) {}

  get length(): number {
    return this.rows.length;
  }

  event(i: number): LedgerEvent {
    return this.store.events[this.rows[i] as number] as LedgerEvent;
  }

  /** Index of the line within the event (for voids: within the voided sale). */
  line(i: number): number {
    return (this.store.tags[this.rows[i] as number] as number) >>> ROLE_BITS;
  }

  role(i: number): EntryRole {
    return ROLES[(this.store.tags[this.rows[i] as number] as number) & ROLE_MASK] as EntryRole;
  }

  get(i: number, field: EntryField): number {
    return this.store.numbers[(this.rows[i] as number) * WIDTH + field] as number;
  }

  set(i: number, field: EntryField, value: number): void {
    this.store.numbers[(this.rows[i] as number) * WIDTH + field] = value;
  }

  /** Zeroes the entry's numbers before it is folded again. */
  clear(i: number): void {
    const numbers = this.store.numbers;
    const start = (this.rows[i] as number) * WIDTH;
    for (let k = start; k < start + WIDTH; k++) numbers[k] = 0;
  }

  lastEvent(): LedgerEvent | undefined {
    const rows = this.rows;
    return rows.length === 0 ? undefined : this.store.events[rows[rows.length - 1] as number];
  }

  /** Appends an entry (numbers zero) and returns its index. */
  push(event: LedgerEvent, line: number, role: EntryRole): number {
    return this.rows.push(this.store.add(event, line, role)) - 1;
  }

  /** Inserts an entry (numbers zero) at index `i`, shifting the later ones. */
  insertAt(i: number, event: LedgerEvent, line: number, role: EntryRole): number {
    this.rows.splice(i, 0, this.store.add(event, line, role));
    return i;
  }
}
