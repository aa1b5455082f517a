/**
 * Stock set or corrected outside a sale, a delivery or a count session: the opening balance (the
 * owner's, when a store starts), a direct count of a shelf, and an adjustment for damage, theft,
 * expiry, stock found or a correction.
 */
import type { EventBody } from '../../domain/events.ts';
import { accept, defineCommand, isQty, ownLocationProblem, refuse } from './command.ts';
import { costedLineErrors, quantityLineErrors, type CostedLine } from './lines.ts';

export interface OpeningBalanceInput {
  lines: CostedLine[];
}

export const recordOpeningBalance = defineCommand<OpeningBalanceInput>({
  name: 'record-opening-balance',
  records: ['opening-balance'],
  permission: 'owner',
  action: 'record opening balances',
  check(input, context) {
    const location = ownLocationProblem(context);
    const errors = [...(location ? [location] : []), ...costedLineErrors(input.lines, context)];
    if (errors.length > 0) return refuse(...errors);
    return accept({ kind: 'opening-balance', lines: input.lines.map(({ productId, qty, unitCost }) => ({ productId, qty, unitCost })) });
  },
});

export interface CountStockInput {
  /** What is on the shelf now, per product (0 for none). */
  lines: { productId: string; countedQty: number }[];
}

export const countStock = defineCommand<CountStockInput>({
  name: 'count-stock',
  records: ['stock-counted'],
  permission: 'anyone',
  check(input, context) {
    const errors = quantityLineErrors(input.lines, context, 'countedQty', (line) =>
      isQty(line.countedQty, 0) ? undefined : `${line.countedQty} is not a count: use a whole number from 0.`,
    );
    if (errors.length > 0) return refuse(...errors);
    return accept({ kind: 'stock-counted', lines: input.lines.map(({ productId, countedQty }) => ({ productId, countedQty })) });
  },
});

export type AdjustmentReason = Extract<EventBody, { kind: 'stock-adjusted' }>['reason'];

export interface AdjustStockInput {
  reason: AdjustmentReason;
  note?: string;
  /** Signed: −2 takes two out (damaged, stolen, expired), +1 adds one (found). */
  lines: { productId: string; qty: number }[];
}

export const adjustStock = defineCommand<AdjustStockInput>({
  name: 'adjust-stock',
  records: ['stock-adjusted'],
  permission: 'anyone',
  check(input, context) {
    const errors = quantityLineErrors(input.lines, context, 'qty', (line) =>
      isQty(Math.abs(line.qty)) ? undefined : `${line.qty} is not an adjustment: use a whole number, negative to take stock out.`,
    );
    if (errors.length > 0) return refuse(...errors);
    const note = input.note?.trim() ?? '';
    return accept({
      kind: 'stock-adjusted',
      reason: input.reason,
      ...(note === '' ? {} : { note }),
      lines: input.lines.map(({ productId, qty }) => ({ productId, qty })),
    });
  },
});
