/**
 * How much of a sale can still be returned, for the till to refuse a return of more than was sold.
 *
 * Per sale line: sold − already returned (returns naming the sale, matched to lines exactly as the
 * books cost them: by `saleLineId`, else the first line of the product). A voided sale has nothing
 * left to return. The books themselves accept an over-return (it happened) without failing; this check
 * is for the screen, before the event is recorded.
 */
import type { Books } from './books/index.ts';
import type { EventOf } from './events.ts';
import { saleLineIndexOf } from './sale-lines.ts';

export interface ReturnableLine {
  lineId: string;
  productId: string;
  sold: number;
  returned: number;
  /** What may still be returned: sold − returned, never below 0 (0 once the sale is voided). */
  returnable: number;
}

/** The void that counts for a sale (the first in ledger order), if it was voided. */
export function effectiveVoidOf(books: Books, saleId: string): EventOf<'sale-voided'> | undefined {
  return books.eventsFor('sale', saleId).find((e): e is EventOf<'sale-voided'> => e.kind === 'sale-voided' && books.isEffectiveVoid(e));
}

/** Undefined when the sale is unknown (not synced yet, or not a sale). */
export function returnableQty(books: Books, saleId: string): ReturnableLine[] | undefined {
  const sale = books.getEvent(saleId);
  if (sale?.kind !== 'sale') return undefined;
  const returned = sale.lines.map(() => 0);
  const voided = effectiveVoidOf(books, saleId) !== undefined;
  for (const event of books.eventsFor('sale', saleId)) {
    if (event.kind !== 'return') continue;
    for (const line of event.lines) {
      const index = saleLineIndexOf(sale, line);
      if (index >= 0) returned[index] = (returned[index] ?? 0) + line.qty;
    }
  }
  return sale.lines.map((line, i) => {
    const done = returned[i] ?? 0;
    return { lineId: line.lineId, productId: line.productId, sold: line.qty, returned: done, returnable: voided ? 0 : Math.max(0, line.qty - done) };
  });
}
