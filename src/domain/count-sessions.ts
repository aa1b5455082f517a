/**
 * Count sessions (cycle counts and audits): what was counted, what the books expected, and the
 * variance in quantity and value, for the review screen.
 *
 * - `count-recorded` increments from every device merge by summing per product (order-free).
 * - While the session is open: expected = on hand now at the session's location, variance =
 *   counted − expected, valued at the current unit cost (rounded half away from zero).
 * - Once approved: the approval is a stock count at its place in ledger order (books.ts), and the
 *   figures are the ones it posted: counted = the approved quantity, variance = the adjustment it
 *   made, expected = counted − variance (what was projected at that instant), value = the posted
 *   value. Counts recorded after the approval are reported but change nothing.
 * - A blind session shows the counter no expected quantity: the UI hides `expected` and `variance*`
 *   while `blind` is true and the session is open.
 */
import type { EventOf } from './events.ts';
import type { Books } from './books/index.ts';
import { roundHalfAwayFromZero } from './money.ts';
import { compareEvents, compareStrings } from './order.ts';

export interface CountSessionLine {
  productId: string;
  /** The approved quantity, or while open the sum of all devices' increments. */
  counted: number;
  expected: number;
  varianceQty: number;
  /** Whole minor units; negative = shrinkage. */
  varianceValue: number;
  /** False for a product in the session's scope that nobody has counted yet. */
  recorded: boolean;
}

export interface CountSessionView {
  countSessionId: string;
  name: string | undefined;
  locationId: string | undefined;
  blind: boolean;
  status: 'open' | 'approved';
  approvalId: string | undefined;
  /** Increments recorded after the approval in ledger order: they did not count. */
  lateIncrements: number;
  lines: CountSessionLine[];
}

export function countSession(books: Books, countSessionId: string): CountSessionView | undefined {
  const events = books.eventsFor('count-session', countSessionId);
  if (events.length === 0) return undefined;
  let opened: EventOf<'count-session-opened'> | undefined;
  let approval: EventOf<'count-session-approved'> | undefined;
  const counted = new Map<string, number>();
  const increments: EventOf<'count-recorded'>[] = [];
  for (const event of events) {
    if (event.kind === 'count-session-opened') opened ??= event;
    else if (event.kind === 'count-session-approved' && books.isEffectiveApproval(event)) approval = event;
    else if (event.kind === 'count-recorded') {
      increments.push(event);
      counted.set(event.productId, (counted.get(event.productId) ?? 0) + event.qty);
    }
  }
  const locationId = approval?.locationId ?? opened?.locationId ?? increments[0]?.locationId;
  const base = {
    countSessionId,
    name: opened?.name,
    locationId,
    blind: opened?.blind ?? false,
    approvalId: approval?.id,
    lateIncrements: approval ? increments.filter((e) => compareEvents(e, approval) > 0).length : 0,
  };
  if (approval) {
    const posted = new Map(books.movementsOf(approval.id).map((m) => [m.productId, m]));
    const lines = approval.lines.map((line) => {
      const movement = posted.get(line.productId);
      const varianceQty = movement?.qty ?? 0;
      return {
        productId: line.productId,
        counted: line.countedQty,
        expected: line.countedQty - varianceQty,
        varianceQty,
        varianceValue: movement?.value ?? 0,
        recorded: counted.has(line.productId),
      };
    });
    return { ...base, status: 'approved', lines };
  }
  const productIds = new Set([...(opened?.productIds ?? []), ...counted.keys()]);
  const lines = [...productIds].sort(compareStrings).map((productId) => {
    const qty = counted.get(productId) ?? 0;
    const valuation = locationId === undefined ? undefined : books.valuationOf(productId, locationId);
    const expected = valuation?.qty ?? 0;
    const varianceQty = qty - expected;
    return {
      productId,
      counted: qty,
      expected,
      varianceQty,
      varianceValue: roundHalfAwayFromZero(varianceQty * (valuation?.unitCost ?? 0)) || 0,
      recorded: counted.has(productId),
    };
  });
  return { ...base, status: 'open', lines };
}

/** The lines an approval should carry: the merged counts of the session as this device sees them. */
export function countedTotals(books: Books, countSessionId: string): { productId: string; countedQty: number }[] {
  return (countSession(books, countSessionId)?.lines ?? [])
    .filter((line) => line.recorded)
    .map((line) => ({ productId: line.productId, countedQty: Math.max(0, line.counted) }));
}
