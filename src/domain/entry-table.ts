/**
 * The entries of one stream of the books, in canonical order: per entry the event, a (line, role) tag
 * and six numbers (the outcome of folding it).
 *
 * The cost fold reaches entries only through this table (by index), so the representation can change
 * without touching the fold. Storage is columnar and shared by all the streams of one Books
 * (`EntryStore`); an earlier try with columns per stream gained nothing (10,000 small arrays, each
 * growing on its own), one object per entry cost the allocation of a million of them.
 *
 * Indices shift when an entry is inserted, so they are only held for one fold or one query.
 */
import { ChunkedList } from './chunked-list.ts';
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

/** Numbers per row: the six `EntryField`s, then the tag (line and role). */
const WIDTH = 7;
const TAG = 6;
/** Rows per chunk of numbers: 1,024 rows of 7 doubles are 56 KB, an ordinary heap object (see chunked-list.ts). */
const ROW_CHUNK_BITS = 10;
const ROW_CHUNK_MASK = (1 << ROW_CHUNK_BITS) - 1;

/**
 * A chunk of zeros. Filled with a fraction first so its elements are unboxed doubles from the start
 * (V8 then keeps that kind): every chunk has the same elements kind, so the accessors below stay
 * monomorphic, and no chunk is converted later when its first fractional quantity is stored.
 */
const EMPTY_CHUNK: number[] = new Array<number>(WIDTH << ROW_CHUNK_BITS).fill(0.5).fill(0);

/**
 * The entries of every stream of one Books, by row: row r's event is `events.at(r)`, its numbers
 * and tag are `WIDTH` consecutive doubles in chunk `r >> ROW_CHUNK_BITS`. Rows are only ever
 * appended; a stream keeps the list of its rows in canonical order.
 *
 * Issue 4: a million small entry objects cost ~0.8 s of CPU in the full fold on the 2-core VM
 * (allocating them, then copying every one out of the young generation). Arrays of doubles hold no
 * pointers for the GC to trace. They are plain arrays on purpose: typed arrays are external memory,
 * freshly mapped (a page fault per 4 KB, see chunked-list.ts), and V8 starts a full mark of the whole
 * heap whenever external memory grows by 64 MB (the million entries alone are 56 MB), which cost
 * 0.6–1.3 s with the million input events on the heap.
 */
export class EntryStore {
  private readonly events = new ChunkedList<LedgerEvent>();
  private readonly chunks: number[][] = [];

  /** Appends a row (numbers zero) and returns its number. */
  add(event: LedgerEvent, line: number, role: EntryRole): number {
    const row = this.events.push(event);
    if ((row & ROW_CHUNK_MASK) === 0) this.chunks.push(EMPTY_CHUNK.slice());
    this.set(row, TAG, (line << ROLE_BITS) | ROLE_INDEX[role]);
    return row;
  }

  event(row: number): LedgerEvent {
    return this.events.at(row);
  }

  /** How many rows there are (rows are numbered 0 … size − 1, in the order they were added). */
  get size(): number {
    return this.events.length;
  }

  tag(row: number): number {
    return this.get(row, TAG);
  }

  get(row: number, field: number): number {
    return (this.chunks[row >>> ROW_CHUNK_BITS] as number[])[(row & ROW_CHUNK_MASK) * WIDTH + field] as number;
  }

  set(row: number, field: number, value: number): void {
    (this.chunks[row >>> ROW_CHUNK_BITS] as number[])[(row & ROW_CHUNK_MASK) * WIDTH + field] = value;
  }

  /** Zeroes a row's numbers (not its tag). */
  clear(row: number): void {
    const chunk = this.chunks[row >>> ROW_CHUNK_BITS] as number[];
    const start = (row & ROW_CHUNK_MASK) * WIDTH;
    for (let k = start; k < start + TAG; k++) chunk[k] = 0;
  }
}

/** The entries of one stream: its rows of the books' `EntryStore`, in canonical order. */
export class EntryTable {
  /** Row numbers in the store; a small-integer array, so it holds no pointers for the GC to trace. */
  private readonly rows: number[] = [];

  constructor(private readonly store: EntryStore) {}

  get length(): number {
    return this.rows.length;
  }

  event(i: number): LedgerEvent {
    return this.store.event(this.rows[i] as number);
  }

  /** The entry's row in the store: fixed for as long as the books live, so a reader may key a cache by it. */
  row(i: number): number {
    return this.rows[i] as number;
  }

  /** Index of the line within the event (for voids: within the voided sale). */
  line(i: number): number {
    return this.store.tag(this.rows[i] as number) >>> ROLE_BITS;
  }

  role(i: number): EntryRole {
    return ROLES[this.store.tag(this.rows[i] as number) & ROLE_MASK] as EntryRole;
  }

  get(i: number, field: EntryField): number {
    return this.store.get(this.rows[i] as number, field);
  }

  set(i: number, field: EntryField, value: number): void {
    this.store.set(this.rows[i] as number, field, value);
  }

  /** Zeroes the entry's numbers before it is folded again. */
  clear(i: number): void {
    this.store.clear(this.rows[i] as number);
  }

  lastEvent(): LedgerEvent | undefined {
    const rows = this.rows;
    return rows.length === 0 ? undefined : this.store.event(rows[rows.length - 1] as number);
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
