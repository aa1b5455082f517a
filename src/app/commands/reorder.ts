/**
 * Reorder levels (issue 15): per product × location, the reorder point below which stock is low and
 * the level to order up to. The owner's to set, on the Edit product screen or from the catalog CSV.
 * Only lines that differ from the books' levels are recorded, so a form may send every location.
 */
import type { ReorderLevelLine } from '../../domain/events.ts';
import { reorderKey, reorderLevelProblem } from '../../domain/reorder-levels.ts';
import { BOOKS_LOADING, accept, defineCommand, productName, refuse, type FieldError } from './command.ts';

export interface SetReorderLevelsInput {
  /** Levels in stock units (grams for kg, millilitres for l); null clears one. */
  lines: ReorderLevelLine[];
}

export const setReorderLevels = defineCommand<SetReorderLevelsInput>({
  name: 'set-reorder-levels',
  records: ['reorder-levels-set'],
  permission: 'owner',
  action: 'set reorder points',
  check(input, context) {
    if (!context.books) return refuse(BOOKS_LOADING);
    if (input.lines.length === 0) return refuse({ field: 'lines', message: 'Give a reorder point or an order-up-to level for at least one product.' });
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    input.lines.forEach((line, i) => {
      const name = productName(context, line.productId);
      if (!context.catalog.get(line.productId)) errors.push({ field: `lines.${i}.productId`, message: `${name} is not in the catalog on this device. Sync, then try again.` });
      const location = context.locations.find((l) => l.id === line.locationId);
      if (!location) errors.push({ field: `lines.${i}.locationId`, message: `${line.locationId} is not one of the store’s locations on this device. Sync, then try again.` });
      const key = reorderKey(line.productId, line.locationId);
      if (seen.has(key)) errors.push({ field: `lines.${i}`, message: `${name} at ${location?.name ?? line.locationId} is listed twice: keep one line.` });
      seen.add(key);
      const problem = reorderLevelProblem(line.reorderPoint, line.orderUpTo);
      if (problem) errors.push({ field: `lines.${i}.${problem.field}`, message: `${name} at ${location?.name ?? line.locationId}: ${problem.message}` });
    });
    if (errors.length > 0) return refuse(...errors);
    const current = context.books.reorderLevels();
    const changed = input.lines.filter((line) => {
      const level = current.get(reorderKey(line.productId, line.locationId));
      return (level?.reorderPoint ?? null) !== line.reorderPoint || (level?.orderUpTo ?? null) !== line.orderUpTo;
    });
    // Nothing differs: nothing to record, and the form may say it is saved.
    if (changed.length === 0) return accept();
    return accept({
      kind: 'reorder-levels-set',
      lines: changed.map(({ productId, locationId, reorderPoint, orderUpTo }) => ({ productId, locationId, reorderPoint, orderUpTo })),
    });
  },
});
