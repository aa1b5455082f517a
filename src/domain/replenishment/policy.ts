/**
 * PLACEHOLDER (issue 16 contract commit): reorder point and order-up-to level from a forecast, with a
 * stand-in safety stock, so the planner can be built against it. Replaced whole.
 */
import type { PolicyInput, PolicyLevels } from './types.ts';

export function policyLevels(input: PolicyInput): PolicyLevels {
  const perPeriod = input.forecast.perPeriod[0] ?? 0;
  const leadTimeDemand = perPeriod * input.leadTimePeriods;
  const safetyStock = Math.ceil(Math.sqrt(leadTimeDemand));
  const reorderPoint = Math.ceil(leadTimeDemand + safetyStock);
  return { reorderPoint, orderUpTo: Math.ceil(reorderPoint + perPeriod * input.reviewPeriods), leadTimeDemand, safetyStock };
}
