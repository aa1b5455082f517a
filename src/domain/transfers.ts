/**
 * Transfers between locations: per transfer and product, what was sent (`transfer-out`) and what
 * has been received (`transfer-in`, possibly in parts), the discrepancy, and the value still in
 * transit at the sender's cost.
 *
 * Status: `sent` (nothing received yet), `partially-received`, `received` (every product in full),
 * `over-received` (more arrived than was sent), `not-sent` (a receipt whose dispatch has not synced).
 */
import type { Books } from './books/index.ts';
import { compareStrings } from './order.ts';

export type TransferStatus = 'sent' | 'partially-received' | 'received' | 'over-received' | 'not-sent';

export interface TransferLine {
  productId: string;
  sent: number;
  received: number;
  /** sent − received: positive = missing or still on the way, negative = more arrived than sent. */
  discrepancy: number;
  /** Value still in the Inventory in transit account for this product, whole minor units. */
  valueInTransit: number;
}

export interface TransferView {
  transferId: string;
  fromLocationId: string | undefined;
  toLocationId: string | undefined;
  status: TransferStatus;
  lines: TransferLine[];
}

export function transfers(books: Books): TransferView[] {
  const transitValue = new Map<string, number>();
  for (const t of books.inTransit()) transitValue.set(`${t.transferId}\u0000${t.productId}`, t.value);
  return books.idsOf('transfer').map((transferId) => {
    let fromLocationId: string | undefined;
    let toLocationId: string | undefined;
    const sent = new Map<string, number>();
    const received = new Map<string, number>();
    for (const event of books.eventsFor('transfer', transferId)) {
      if (event.kind === 'transfer-out') {
        fromLocationId ??= event.locationId;
        toLocationId ??= event.toLocationId;
        for (const line of event.lines) sent.set(line.productId, (sent.get(line.productId) ?? 0) + line.qty);
      } else if (event.kind === 'transfer-in') {
        fromLocationId ??= event.fromLocationId;
        toLocationId ??= event.locationId;
        for (const line of event.lines) received.set(line.productId, (received.get(line.productId) ?? 0) + line.qty);
      }
    }
    const productIds = [...new Set([...sent.keys(), ...received.keys()])].sort(compareStrings);
    const lines = productIds.map((productId) => {
      const s = sent.get(productId) ?? 0;
      const r = received.get(productId) ?? 0;
      return { productId, sent: s, received: r, discrepancy: s - r, valueInTransit: transitValue.get(`${transferId}\u0000${productId}`) ?? 0 };
    });
    return { transferId, fromLocationId, toLocationId, status: transferStatus(lines, sent.size > 0), lines };
  });
}

function transferStatus(lines: readonly TransferLine[], dispatched: boolean): TransferStatus {
  if (!dispatched) return 'not-sent';
  if (lines.some((line) => line.discrepancy < 0)) return 'over-received';
  if (lines.every((line) => line.discrepancy === 0)) return 'received';
  if (lines.some((line) => line.received > 0)) return 'partially-received';
  return 'sent';
}
