/**
 * Canonical ledger order: HLC, then device id, then per-device sequence number.
 *
 * Every projection folds events in this order, so two devices holding the same set of events compute
 * the same stock and the same journal, whatever order the events arrived in. The HLC already ends
 * with the device id; the explicit tie-breakers keep the order total even for hand-made events
 * that share a stamp.
 */
import type { EventEnvelope } from './events.ts';

export type Ordered = Pick<EventEnvelope, 'hlc' | 'deviceId' | 'seq' | 'id'>;

export function compareEvents(a: Ordered, b: Ordered): number {
  return (
    compareStrings(a.hlc, b.hlc) || compareStrings(a.deviceId, b.deviceId) || a.seq - b.seq || compareStrings(a.id, b.id)
  );
}

/** Code-unit order, the same in every JavaScript engine and in SQL `COLLATE "C"` / SQLite BINARY. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The items of `ordered` (in canonical order) stamped at or after `hlc` (an HLC string, or any prefix
 * of one such as its wall-time digits): a binary search, then a copy of just those.
 */
export function stampedSince<T extends Pick<EventEnvelope, 'hlc'>>(ordered: readonly T[], hlc: string): T[] {
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ordered[middle] as T).hlc < hlc) low = middle + 1;
    else high = middle;
  }
  return ordered.slice(low);
}
