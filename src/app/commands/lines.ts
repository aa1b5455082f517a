/** Checks shared by the commands that move stock line by line (receive, order, transfer, adjust). */
import { qtyWithUnit } from '../queries.ts';
import { isQty, ownLocationProblem, productName, type CommandContext, type FieldError } from './command.ts';

export interface CostedLine {
  productId: string;
  /** Stock units: pieces, or grams / millilitres for weighed and measured products. */
  qty: number;
  /** Minor units per stock unit (may be fractional: a cost per kg divided by 1,000). */
  unitCost: number;
}

export function isUnitCost(cost: number): boolean {
  return Number.isFinite(cost) && cost >= 0;
}

/** Errors of lines of products with quantities and unit costs; none for good lines. */
export function costedLineErrors(lines: readonly CostedLine[], context: CommandContext): FieldError[] {
  const errors: FieldError[] = [];
  if (lines.length === 0) errors.push({ field: 'lines', message: 'Add at least one product: scan it or search for it.' });
  lines.forEach((line, i) => {
    const name = productName(context, line.productId);
    if (!isQty(line.qty)) errors.push({ field: `lines.${i}.qty`, message: `${name}: ${line.qty} is not a quantity to record: use a whole number from 1, or remove the line.` });
    if (!isUnitCost(line.unitCost)) errors.push({ field: `lines.${i}.unitCost`, message: `${name}, cost: enter a cost of zero or more.` });
  });
  return errors;
}

/**
 * Errors of lines that each carry one quantity, checked by `problem` (the end of the sentence, or
 * undefined for a good line), at this device's own location; an empty list is refused too.
 */
export function quantityLineErrors<L extends { productId: string }>(
  lines: readonly L[],
  context: CommandContext,
  field: keyof L & string,
  problem: (line: L) => string | undefined,
): FieldError[] {
  const location = ownLocationProblem(context);
  const errors: FieldError[] = location ? [location] : [];
  if (lines.length === 0) errors.push({ field: 'lines', message: 'Add at least one product: scan it or search for it.' });
  lines.forEach((line, i) => {
    const end = problem(line);
    if (end !== undefined) errors.push({ field: `lines.${i}.${field}`, message: `${productName(context, line.productId)}: ${end}` });
  });
  return errors;
}

/** A quantity of a product with its unit, for messages. */
export function qtyOf(context: CommandContext, productId: string, qty: number): string {
  return qtyWithUnit(qty, context.catalog.get(productId)?.unit ?? 'each');
}
