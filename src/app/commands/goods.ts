/** Buying: a purchase order created and closed (the owner's), goods received (anyone's). */
import { purchaseOrder } from '../../domain/purchase-orders.ts';
import { accept, defineCommand, ownLocationProblem, refuse, type FieldError } from './command.ts';
import { costedLineErrors, type CostedLine } from './lines.ts';

export interface ReceiveGoodsInput {
  supplier: string;
  /** The delivery note's number; empty when there is none. */
  reference: string;
  /** The order the goods were delivered against, if any. */
  purchaseOrderId?: string;
  lines: CostedLine[];
}

export const receiveGoods = defineCommand<ReceiveGoodsInput>({
  name: 'receive-goods',
  records: ['goods-received'],
  permission: 'anyone',
  check(input, context) {
    const errors = headerErrors(input.supplier, context);
    if (input.purchaseOrderId !== undefined && context.books && !purchaseOrder(context.books, input.purchaseOrderId)) {
      errors.push({ field: 'purchaseOrderId', message: 'This purchase order is not on this device. Sync, then try again, or receive without an order.' });
    }
    errors.push(...costedLineErrors(input.lines, context));
    if (errors.length > 0) return refuse(...errors);
    return accept({
      kind: 'goods-received',
      supplier: input.supplier.trim(),
      reference: input.reference.trim() || 'no delivery note',
      ...(input.purchaseOrderId === undefined ? {} : { purchaseOrderId: input.purchaseOrderId }),
      lines: input.lines.map(({ productId, qty, unitCost }) => ({ productId, qty, unitCost })),
    });
  },
});

export interface CreatePurchaseOrderInput {
  supplier: string;
  /** Expected delivery date, 2024-05-01; empty when not known. */
  expectedAt: string;
  lines: CostedLine[];
}

export const createPurchaseOrder = defineCommand<CreatePurchaseOrderInput>({
  name: 'create-purchase-order',
  records: ['purchase-order-created'],
  permission: 'owner',
  action: 'create purchase orders',
  check(input, context) {
    const errors = headerErrors(input.supplier, context);
    const expectedAt = input.expectedAt.trim();
    if (expectedAt !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(expectedAt)) {
      errors.push({ field: 'expectedAt', message: `"${expectedAt}" is not a date: use the date picker or write it like 2024-05-01.` });
    }
    errors.push(...costedLineErrors(input.lines, context));
    if (errors.length > 0) return refuse(...errors);
    return accept({
      kind: 'purchase-order-created',
      purchaseOrderId: context.newId(),
      supplier: input.supplier.trim(),
      ...(expectedAt === '' ? {} : { expectedAt }),
      lines: input.lines.map(({ productId, qty, unitCost }) => ({ productId, qty, unitCost })),
    });
  },
});

export interface ClosePurchaseOrderInput {
  purchaseOrderId: string;
  /** Why nothing more is expected: "Complete", "Rest cancelled"… */
  reason: string;
}

export const closePurchaseOrder = defineCommand<ClosePurchaseOrderInput>({
  name: 'close-purchase-order',
  records: ['purchase-order-closed'],
  permission: 'owner',
  action: 'close purchase orders',
  check(input, { books }) {
    const errors: FieldError[] = [];
    const reason = input.reason.trim();
    if (reason === '') errors.push({ field: 'reason', message: 'Give a reason for closing the order, such as "Complete" or "Rest cancelled".' });
    const order = books ? purchaseOrder(books, input.purchaseOrderId) : undefined;
    if (books && !order) errors.push({ field: 'purchaseOrderId', message: 'This purchase order is not on this device. Sync, then try again.' });
    if (order?.status === 'closed') errors.push({ field: 'purchaseOrderId', message: `This order is closed already (${order.closedReason ?? 'no reason given'}).` });
    if (errors.length > 0) return refuse(...errors);
    return accept({ kind: 'purchase-order-closed', purchaseOrderId: input.purchaseOrderId, reason });
  },
});

function headerErrors(supplier: string, context: Parameters<typeof ownLocationProblem>[0]): FieldError[] {
  const errors: FieldError[] = [];
  const location = ownLocationProblem(context);
  if (location) errors.push(location);
  if (supplier.trim() === '') errors.push({ field: 'supplier', message: 'Enter the supplier.' });
  return errors;
}
