/**
 * Stock counts: a session opened (for every product at the location, or a chosen few), counters'
 * increments recorded from any device, and the owner's approval, which makes the count the stock as
 * at the moment each product was counted (what moved since is kept).
 */
import { approvalLines, countSession } from '../../domain/count-sessions.ts';
import type { UncountedProducts } from '../../domain/events.ts';
import { accept, BOOKS_LOADING, defineCommand, productName, refuse, type FieldError } from './command.ts';

export interface OpenCountInput {
  /** What is counted, for people: "Aisle 3", "Dairy fridge". */
  name: string;
  /** Counters do not see the expected quantity. */
  blind: boolean;
  /** Only these products are counted; absent for every product at the location. */
  productIds?: string[];
  /** What approving does to products in the count that nobody counted: left as they are (when absent), or set to zero. */
  uncounted?: UncountedProducts;
}

export const openCount = defineCommand<OpenCountInput>({
  name: 'open-count',
  records: ['count-session-opened'],
  permission: 'anyone',
  check(input, context) {
    const errors: FieldError[] = [];
    const name = input.name.trim();
    if (name === '') errors.push({ field: 'name', message: 'Give the count a name, such as "Aisle 3" or "Dairy fridge".' });
    if (input.productIds !== undefined && input.productIds.length === 0) {
      errors.push({ field: 'productIds', message: 'Pick at least one product to count, or count every product at this location.' });
    }
    if (errors.length > 0) return refuse(...errors);
    return accept({
      kind: 'count-session-opened',
      countSessionId: context.newId(),
      name,
      blind: input.blind,
      ...(input.productIds === undefined ? {} : { productIds: [...new Set(input.productIds)] }),
      ...(input.uncounted === undefined ? {} : { uncounted: input.uncounted }),
    });
  },
});

export interface RecordCountInput {
  countSessionId: string;
  productId: string;
  /** Stock units counted, added to what is counted so far: +1 for a scanned piece, 24 typed for a case, a label's grams, −1 to take one back. */
  qty: number;
}

export const recordCount = defineCommand<RecordCountInput>({
  name: 'record-count',
  records: ['count-recorded'],
  permission: 'anyone',
  check(input, context) {
    const { books } = context;
    if (!books) return refuse(BOOKS_LOADING);
    const name = productName(context, input.productId);
    if (!Number.isSafeInteger(input.qty) || input.qty === 0) {
      return refuse({ field: 'qty', message: `${input.qty} is not a count: use a whole number other than 0 (a negative one takes back).` });
    }
    const events = books.eventsFor('count-session', input.countSessionId);
    if (events.length === 0) return refuse({ field: 'countSessionId', message: 'This count is not on this device. Sync, then try again.' });
    const session = countSession(books, input.countSessionId);
    if (session?.status === 'approved') {
      return refuse({ field: 'countSessionId', message: `This count was approved; ${name} was not counted. Start a new count to count again.` });
    }
    const opened = events.find((e) => e.kind === 'count-session-opened');
    if (opened?.kind === 'count-session-opened' && opened.productIds && !opened.productIds.includes(input.productId)) {
      return refuse({ field: 'productId', message: `${name} is not part of "${opened.name}". Nothing was counted.` });
    }
    const countedSoFar = session?.lines.find((line) => line.productId === input.productId && line.recorded)?.counted ?? 0;
    if (countedSoFar + input.qty < 0) {
      return refuse({ field: 'qty', message: `Only ${countedSoFar} × ${name} counted so far: you cannot take back ${-input.qty}. Nothing was changed.` });
    }
    return accept({ kind: 'count-recorded', countSessionId: input.countSessionId, productId: input.productId, qty: input.qty });
  },
});

export interface ApproveCountInput {
  countSessionId: string;
}

/**
 * The approval carries the merged counts this device sees and when each product was counted, so its
 * effect does not depend on sync, and what moved between counting and approving is kept.
 */
export const approveCount = defineCommand<ApproveCountInput>({
  name: 'approve-count',
  records: ['count-session-approved'],
  permission: 'owner',
  action: 'approve counts',
  check(input, { books }) {
    if (!books) return refuse(BOOKS_LOADING);
    const session = countSession(books, input.countSessionId);
    if (!session) return refuse({ field: 'countSessionId', message: 'This count is not on this device. Sync, then try again.' });
    if (session.status === 'approved') return refuse({ field: 'countSessionId', message: 'This count is approved already: start a new count to count again.' });
    return accept({ kind: 'count-session-approved', countSessionId: input.countSessionId, lines: approvalLines(books, input.countSessionId) });
  },
});
