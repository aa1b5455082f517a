/** Which line of a sale a return line means. */
import type { EventOf } from './events.ts';

/**
 * The sale line a return line refers to: by line id, or else the first line of the same product.
 * `returnableQty` (returns.ts) matches lines the same way, so what it allows is what gets costed.
 */
export function saleLineIndexOf(sale: EventOf<'sale'>, line: { productId: string; saleLineId?: string }): number {
  return sale.lines.findIndex((l) => (line.saleLineId !== undefined ? l.lineId === line.saleLineId : l.productId === line.productId));
}
