/** Payments for tests: the parts a customer hands over, in order. */
import type { Payment } from '../../../src/domain/cart.ts';

/** A card part charged first, then cash counted: the order a split payment took before issue 14. */
export function cardThenCash(card: number, cash: number): Payment {
  return [
    ...(card > 0 ? [{ method: 'card' as const, amount: card }] : []),
    ...(cash > 0 ? [{ method: 'cash' as const, amount: cash }] : []),
  ];
}

/** Euro rules, cash to the cent, or to the given step. */
export function euroRules(cashStep = 1): { currency: string; cashStep: number } {
  return { currency: 'EUR', cashStep };
}
