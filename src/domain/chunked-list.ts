/**
 * An append-only list kept in fixed-size chunks, for the books' per-event and per-entry lists
 * (a million items in a full fold).
 *
 * Why not one array: a JavaScript array of a million items is a "large object" that grows by
 * copying into a new, larger one, each freshly mapped from the operating system. On the shared
 * 2-core VM of issue 4 every first touch of a fresh page costs ~20 µs (a page fault through the
 * hypervisor): one such list cost ~0.15 s of the 1M-event fold. Chunks of `CHUNK` items are ordinary
 * heap objects, placed in memory the heap already has, and are never copied when the list grows.
 */
export const CHUNK_BITS = 12;
/** Items per chunk: 4,096 references are 32 KB, well under V8's large-object threshold (128 KB). */
export const CHUNK = 1 << CHUNK_BITS;
export const CHUNK_MASK = CHUNK - 1;

export class ChunkedList<T> {
  private readonly chunks: T[][] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Appends and returns the item's index. */
  push(item: T): number {
    const index = this.count++;
    if ((index & CHUNK_MASK) === 0) this.chunks.push([]);
    (this.chunks[index >>> CHUNK_BITS] as T[]).push(item);
    return index;
  }

  /** The item at `index` (0 ≤ index < length). */
  at(index: number): T {
    return (this.chunks[index >>> CHUNK_BITS] as T[])[index & CHUNK_MASK] as T;
  }

  last(): T | undefined {
    return this.count === 0 ? undefined : this.at(this.count - 1);
  }

  toArray(): T[] {
    const all: T[] = [];
    for (const chunk of this.chunks) for (const item of chunk) all.push(item);
    return all;
  }
}
