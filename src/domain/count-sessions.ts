/**
 * Count sessions (cycle counts and audits): what was counted, what the books expected, and the
 * variance in quantity and value, for the review screen.
 *
 * - `count-recorded` increments from every device merge by summing per product (order-free).
 * - A count takes effect as at the moment each product was counted: its latest increment. Expected =
 *   on hand at that moment, variance = counted − expected; stock moved since (a delivery, a sale)
 *   is kept, so the stock after approving is counted + moved since (issue 14, item 7).
 * - A product in the session's scope that nobody counted is left as it is, or, when the session
 *   was opened with `uncounted: 'set-to-zero'`, counted as none as at the session's opening. The
 *   scope is the session's products, or for a full count every product with stock at the location
 *   when it opened. Sessions from before that choice leave them.
 * - While the session is open: the variance is valued at the current unit cost (rounded half away
 *   from zero).
 * - Once approved: the approval is posted at its place in ledger order (books.ts), and the figures
 *   are the ones it posted: counted = the approved quantity, variance = the adjustment it made,
 *   expected = counted − variance, value = the posted value, resulting = the stock right after it.
 *   Counts recorded after the approval are reported but change nothing.
 * - A blind session shows the counter no expected quantity: the UI hides `expected` and `variance*`
 *   while `blind` is true and the session is open.
 */
import type { ApprovedCountLine, EventOf, UncountedProducts } from './events.ts';
import type { Books } from './books/index.ts';
import { roundHalfAwayFromZero } from './money.ts';
import { compareEvents, compareStrings } from './order.ts';

export interface CountSessionLine {
  productId: string;
  /** The approved quantity, or while open the sum of all devices' increments (0 if nobody counted it). */
  counted: number;
  /** On hand when the product was counted; for a product nobody counted that approving leaves, on hand now. */
  expected: number;
  varianceQty: number;
  /** Whole minor units; negative = shrinkage. */
  varianceValue: number;
  /** False for a product in the session's scope that nobody has counted yet. */
  recorded: boolean;
  /**
   * The HLC the count takes effect at: the product's latest increment, or the session's opening for
   * a product nobody counted that approving sets to zero. Undefined for a product approving leaves,
   * and for an approval from before issue 14 (it took effect at the approval).
   */
  countedAt: string | undefined;
  /** Stock moved at the location since the count (once approved: until the approval); approving keeps it. */
  movedSince: number;
  /** The stock after approving: counted + moved since (once approved: right after the approval). */
  resulting: number;
}

export interface CountSessionView {
  countSessionId: string;
  name: string | undefined;
  locationId: string | undefined;
  blind: boolean;
  /** What approving does to products in the scope that nobody counted. */
  uncounted: UncountedProducts;
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
  /** productId → HLC of its latest increment (events come in ledger order). */
  const lastCounted = new Map<string, string>();
  const increments: EventOf<'count-recorded'>[] = [];
  for (const event of events) {
    if (event.kind === 'count-session-opened') opened ??= event;
    else if (event.kind === 'count-session-approved' && books.isEffectiveApproval(event)) approval = event;
    else if (event.kind === 'count-recorded') {
      increments.push(event);
      counted.set(event.productId, (counted.get(event.productId) ?? 0) + event.qty);
      lastCounted.set(event.productId, event.hlc);
    }
  }
  const locationId = approval?.locationId ?? opened?.locationId ?? increments[0]?.locationId;
  const uncounted = opened?.uncounted ?? 'leave';
  const base = {
    countSessionId,
    name: opened?.name,
    locationId,
    blind: opened?.blind ?? false,
    uncounted,
    approvalId: approval?.id,
    lateIncrements: approval ? increments.filter((e) => compareEvents(e, approval) > 0).length : 0,
  };
  if (approval) {
    const posted = new Map(books.movementsOf(approval.id).map((m) => [m.productId, m]));
    const lines = approval.lines.map((line): CountSessionLine => {
      const movement = posted.get(line.productId);
      const varianceQty = movement?.qty ?? 0;
      const resulting = movement?.qtyAfter ?? line.countedQty;
      return {
        productId: line.productId,
        counted: line.countedQty,
        expected: line.countedQty - varianceQty,
        varianceQty,
        varianceValue: movement?.value ?? 0,
        recorded: counted.has(line.productId),
        countedAt: line.countedAt,
        movedSince: resulting - line.countedQty,
        resulting,
      };
    });
    return { ...base, status: 'approved', lines };
  }
  const zeroedAt = uncounted === 'set-to-zero' ? opened?.hlc : undefined;
  const scope = opened?.productIds ?? (zeroedAt !== undefined && locationId !== undefined ? stockedAt(books, locationId, zeroedAt) : []);
  const productIds = new Set([...scope, ...counted.keys()]);
  const lines = [...productIds].sort(compareStrings).map((productId): CountSessionLine => {
    const qty = counted.get(productId) ?? 0;
    const valuation = locationId === undefined ? undefined : books.valuationOf(productId, locationId);
    const now = valuation?.qty ?? 0;
    const countedAt = lastCounted.get(productId) ?? zeroedAt;
    const expected = countedAt === undefined || locationId === undefined ? now : books.onHandAsAt(productId, locationId, countedAt);
    const varianceQty = qty - expected;
    const movedSince = countedAt === undefined ? 0 : now - expected;
    return {
      productId,
      counted: qty,
      expected,
      varianceQty,
      varianceValue: roundHalfAwayFromZero(varianceQty * (valuation?.unitCost ?? 0)) || 0,
      recorded: counted.has(productId),
      countedAt,
      movedSince,
      resulting: countedAt === undefined ? now : qty + movedSince,
    };
  });
  return { ...base, status: 'open', lines };
}

/** Products with stock (or a shortfall) at the location as at `hlc`: the scope of a full count that zeroes. */
function stockedAt(books: Books, locationId: string, hlc: string): string[] {
  return books
    .stockLevels()
    .filter((level) => level.locationId === locationId && books.onHandAsAt(level.productId, locationId, hlc) !== 0)
    .map((level) => level.productId);
}

/** Whether approving an open session sets this line's product: it was counted, or nobody counted it and the session zeroes. */
export function isInApproval(line: CountSessionLine): boolean {
  return line.countedAt !== undefined;
}

/** The merged counts of the session as this device sees them (what was counted, without when). */
export function countedTotals(books: Books, countSessionId: string): { productId: string; countedQty: number }[] {
  return (countSession(books, countSessionId)?.lines ?? [])
    .filter((line) => line.recorded)
    .map((line) => ({ productId: line.productId, countedQty: Math.max(0, line.counted) }));
}

/**
 * The lines an approval should carry: each counted product's merged count and the moment it was
 * counted, plus, when the session zeroes, each product nobody counted as none at the opening.
 */
export function approvalLines(books: Books, countSessionId: string): ApprovedCountLine[] {
  return (countSession(books, countSessionId)?.lines ?? []).flatMap((line) =>
    isInApproval(line) ? [{ productId: line.productId, countedQty: Math.max(0, line.counted), countedAt: line.countedAt }] : [],
  );
}
