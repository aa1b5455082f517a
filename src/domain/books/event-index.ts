/**
 * The event index of the books: events by id, and keeping lists in canonical order.
 */
import { ChunkedList } from '../chunked-list.ts';
import type { LedgerEvent } from '../events.ts';

/**
 * Events by id: an open-addressing hash table (linear probing) over an append-only event array.
 * Issue 4: a `Map` of a million string keys cost ~1 s of CPU in the full fold on the 2-core VM
 * (growing and rehashing its backing store, survivor copying); this table costs a fraction of that
 * and can be sized up front for a batch. Each slot holds the id's hash next to the event's position,
 * so a probe reads one cache line and only touches an event whose hash matches: the fold looks up a
 * million ids that are not there yet, and each avoided cache miss is ~0.1 s of the total. Only
 * add / get / has / size are needed: events are never removed.
 */
export class IdIndex {
  /** In arrival order. */
  private readonly events = new ChunkedList<LedgerEvent>();
  /** Two numbers per slot: the id's hash, then the event's position in `events` + 1 (0 = empty). The slot count is a power of two; at most half are used. */
  private slots = new Int32Array(2 * 32);

  get size(): number {
    return this.events.length;
  }

  /** Makes room for `count` more events without growing on the way. */
  reserve(count: number): void {
    const needed = this.events.length + count;
    if (needed * 2 > this.slots.length / 2) this.rehash(needed * 2);
  }

  /** `hash`: `hashString(id)`, when the caller has it already. */
  get(id: string, hash = hashString(id)): LedgerEvent | undefined {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const position = slots[2 * i + 1] as number;
      if (position === 0) return undefined;
      if (slots[2 * i] === hash) {
        const event = this.events.at(position - 1);
        if (event.id === id) return event;
      }
    }
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The event added last. */
  last(): LedgerEvent | undefined {
    return this.events.last();
  }

  /** Every event, in arrival order. */
  toArray(): LedgerEvent[] {
    return this.events.toArray();
  }

  /** Adds an event whose id is not in the index yet. */
  add(event: LedgerEvent, hash = hashString(event.id)): void {
    if ((this.events.length + 1) * 2 > this.slots.length / 2) this.rehash(this.slots.length);
    const position = this.events.push(event);
    this.place(this.slots, hash, position + 1);
  }

  private place(slots: Int32Array, hash: number, position: number): void {
    const mask = (slots.length >>> 1) - 1;
    let i = hash & mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    slots[2 * i] = hash;
    slots[2 * i + 1] = position;
  }

  private rehash(minSlots: number): void {
    let size = this.slots.length / 2;
    while (size < minSlots) size *= 2;
    const old = this.slots;
    this.slots = new Int32Array(2 * size);
    for (let k = 0; k < old.length; k += 2) {
      if (old[k + 1] !== 0) this.place(this.slots, old[k] as number, old[k + 1] as number);
    }
  }
}

/** FNV-1a over UTF-16 code units, with a final avalanche so linear probing sees well-spread bits. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

/** Inserts keeping the array sorted; appending the newest item is O(1). */
export function insertSorted<T>(items: T[], item: T, compare: (a: T, b: T) => number): void {
  const last = items[items.length - 1];
  if (last === undefined || compare(last, item) <= 0) {
    items.push(item);
    return;
  }
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid] as T, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  items.splice(lo, 0, item);
}
