/**
 * Moving stock between the store's locations: sent from this device's location (never more than is
 * on hand there), received at the other end for what actually arrived.
 */
import { accept, BOOKS_LOADING, defineCommand, isQty, ownLocationProblem, productName, refuse, type CommandContext, type FieldError } from './command.ts';
import { qtyOf } from './lines.ts';

export interface TransferLineInput {
  productId: string;
  qty: number;
}

export interface SendTransferInput {
  toLocationId: string;
  lines: TransferLineInput[];
}

export const sendTransfer = defineCommand<SendTransferInput>({
  name: 'send-transfer',
  records: ['transfer-out'],
  permission: 'anyone',
  check(input, context) {
    const { books, locationId: here } = context;
    if (!books) return refuse(BOOKS_LOADING);
    const errors: FieldError[] = [];
    const location = ownLocationProblem(context);
    if (location) errors.push(location);
    if (!context.locations.some((l) => l.id === input.toLocationId) || input.toLocationId === here) {
      errors.push({ field: 'toLocationId', message: 'Choose the location to send to.' });
    }
    if (input.lines.length === 0) errors.push({ field: 'lines', message: 'Add at least one product: scan it or search for it.' });
    input.lines.forEach((line, i) => {
      const name = productName(context, line.productId);
      if (!isQty(line.qty)) {
        errors.push({ field: `lines.${i}.qty`, message: `${name}: ${line.qty} is not a quantity to send: use a whole number from 1, or remove the line.` });
        return;
      }
      const onHand = books.onHand(line.productId, here);
      if (line.qty > onHand) {
        errors.push({
          field: `lines.${i}.qty`,
          message: `${name}: only ${qtyOf(context, line.productId, Math.max(0, onHand))} on hand at ${locationName(context, here)}, so ${qtyOf(context, line.productId, line.qty)} cannot be sent. Count the shelf, or send less.`,
        });
      }
    });
    if (errors.length > 0) return refuse(...errors);
    return accept({ kind: 'transfer-out', transferId: context.newId(), toLocationId: input.toLocationId, lines: input.lines.map(({ productId, qty }) => ({ productId, qty })) });
  },
});

export interface ReceiveTransferInput {
  transferId: string;
  /** What arrived, per product; 0 for a product that did not come. */
  lines: TransferLineInput[];
}

export const receiveTransfer = defineCommand<ReceiveTransferInput>({
  name: 'receive-transfer',
  records: ['transfer-in'],
  permission: 'anyone',
  check(input, context) {
    const { books, locationId: here } = context;
    if (!books) return refuse(BOOKS_LOADING);
    const errors: FieldError[] = [];
    // Ends as the transfer's first events name them (transfers.ts): the dispatch, or else an
    // earlier receipt whose dispatch has not synced yet.
    const events = books.eventsFor('transfer', input.transferId);
    const out = events.find((e) => e.kind === 'transfer-out');
    const earlier = events.find((e) => e.kind === 'transfer-in');
    const from = out?.locationId ?? (earlier?.kind === 'transfer-in' ? earlier.fromLocationId : undefined);
    const to = out?.kind === 'transfer-out' ? out.toLocationId : earlier?.locationId;
    if (from === undefined) {
      errors.push({ field: 'transferId', message: 'This transfer is not known on this device yet. Sync, then try again.' });
    } else if (to !== undefined && to !== here) {
      errors.push({ field: 'transferId', message: `This transfer goes to ${locationName(context, to)}, but this device is at ${locationName(context, here)}.` });
    }
    const lines: TransferLineInput[] = [];
    input.lines.forEach((line, i) => {
      if (!isQty(line.qty, 0)) {
        errors.push({ field: `lines.${i}.qty`, message: `${productName(context, line.productId)}: ${line.qty} is not a quantity: use a whole number from 0.` });
      } else if (line.qty > 0) lines.push({ productId: line.productId, qty: line.qty });
    });
    if (errors.length === 0 && lines.length === 0) errors.push({ field: 'lines', message: 'Nothing to receive: enter the quantity that arrived for at least one product.' });
    if (errors.length > 0 || from === undefined) return refuse(...errors);
    return accept({ kind: 'transfer-in', transferId: input.transferId, fromLocationId: from, lines });
  },
});

export function locationName(context: CommandContext, locationId: string): string {
  return context.locations.find((l) => l.id === locationId)?.name ?? locationId;
}
