/**
 * Streams: the entries of one product at one location (or of one transfer's goods in transit), in
 * canonical order, and the cost position after the last one. Finding entries in a stream is here; what
 * an entry does to the position is the cost fold (cost-fold.ts).
 */
import type { CostPosition } from '../cost-position.ts';
import { QTY_AFTER, type EntryRole, type EntryTable } from '../entry-table.ts';
import type { LedgerEvent } from '../events.ts';
import { compareEvents, compareStrings } from '../order.ts';

/** One entry of one stream; valid until the next event is applied. */
export interface EntryRef {
  readonly stream: Stream;
  readonly index: number;
}

export interface Stream {
  readonly transit: boolean;
  readonly productId: string;
  /** Location id for stock, transfer id for transit. */
  readonly placeId: string;
  readonly entries: EntryTable;
  position: CostPosition;
  /** Streams whose entries read values from this one (created on the first such read). */
  dependents: Set<Stream> | undefined;
  queued: boolean;
}

/** Canonical order of entries, across streams. */
export function compareRefs(a: EntryRef, b: EntryRef): number {
  return (
    compareEvents(a.stream.entries.event(a.index), b.stream.entries.event(b.index)) ||
    a.stream.entries.line(a.index) - b.stream.entries.line(b.index)
  );
}

/** True when an entry of `event` belongs after every entry of the table. */
export function isAtEnd(entries: EntryTable, event: LedgerEvent): boolean {
  const last = entries.lastEvent();
  return last === undefined || compareEvents(last, event) <= 0;
}

/** Where an entry of (`event`, `line`) goes to keep the table in ledger order (after equal ones). */
export function insertionIndex(entries: EntryTable, event: LedgerEvent, line: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((compareEvents(entries.event(mid), event) || entries.line(mid) - line) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the entry of (`event`, `line`) in the stream, or −1. */
export function findEntry(stream: Stream, event: LedgerEvent, line: number): number {
  const entries = stream.entries;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEvents(entries.event(mid), event) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < entries.length; i++) {
    if (entries.event(i).id !== event.id) break;
    if (entries.line(i) === line) return i;
  }
  return -1;
}

export function firstEventWithRole(stream: Stream, role: EntryRole): LedgerEvent | undefined {
  for (let i = 0; i < stream.entries.length; i++) if (stream.entries.role(i) === role) return stream.entries.event(i);
  return undefined;
}

/**
 * The quantity after the last of the first `end` entries stamped at or before `hlc` (0 before any):
 * the stock as at that moment. Entries are in ledger order, which sorts by HLC first.
 */
export function qtyAsAt(entries: EntryTable, hlc: string, end: number): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStrings(entries.event(mid).hlc, hlc) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : entries.get(lo - 1, QTY_AFTER);
}
