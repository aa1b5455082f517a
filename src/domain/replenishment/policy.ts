/**
 * Reorder point and order-up-to level for a fill rate (issue 16). Review every `reviewPeriods`
 * periods; when the inventory position (on hand + on order + in transit) is below the reorder point,
 * order up to the order-up-to level; the order arrives after the lead time. The formulas and what the
 * service level means are in README.md ("Policy").
 */
import { expectedExcess, type DemandMoments } from './demand-distribution.ts';
import { dispersionIndex } from './demand-variability.ts';
import type { PolicyInput, PolicyLevels } from './types.ts';

/** Expected demand per review below this (a millionth of a unit) is none: no stock is held for it. */
const NOTHING = 1e-6;

export function policyLevels(input: PolicyInput): PolicyLevels {
  const { forecast, history } = input;
  const lead = Math.max(0, input.leadTimePeriods);
  const review = Math.max(1, input.reviewPeriods);
  const serviceLevel = Math.min(Math.max(input.serviceLevel, 0), 1);

  const leadTimeDemand = demandOver(forecast.perPeriod, 0, lead);
  const reviewDemand = demandOver(forecast.perPeriod, lead, review);
  const protection = leadTimeDemand + reviewDemand;
  if (reviewDemand < NOTHING) {
    // Nothing expected: hold nothing (a forecast of zero is the forecaster's judgement that it stopped selling).
    return { reorderPoint: 0, orderUpTo: 0, leadTimeDemand, safetyStock: 0 };
  }

  const dispersion = dispersionIndex(history, lead + review);
  const overLead: DemandMoments = { mean: leadTimeDemand, variance: dispersion * leadTimeDemand };
  const overProtection: DemandMoments = { mean: protection, variance: dispersion * protection };

  // The gap between the two levels is one review period's expected demand, in whole units.
  const gap = Math.round(reviewDemand);
  // Units short per review period when the position after review is `level`: what the protection
  // period's demand exceeds it by, less what was already short by the time the order arrived.
  const shortPerReview = (level: number) => expectedExcess(overProtection, level) - expectedExcess(overLead, level);
  // Sales lost per review period allowed by the fill rate.
  const allowed = (1 - serviceLevel) * reviewDemand;
  // A sale lost is not reordered: the stock the next orders bring in is higher, by what was lost over
  // the protection period, than when the customer waits (the textbook back-order model). So a level
  // loses `allowed` per review when the back-order model at that level plus those units short by no
  // more. The position after review sits between the two levels; its midpoint stands for it.
  const lostAt = (orderUpTo: number) => shortPerReview(orderUpTo - gap / 2 + (lead + review) * allowed);
  const orderUpTo = smallestMeeting((level) => lostAt(level) <= allowed, gap, Math.ceil(protection));
  const reorderPoint = orderUpTo - gap;
  return { reorderPoint, orderUpTo, leadTimeDemand, safetyStock: reorderPoint - leadTimeDemand };
}

/** Expected demand over `count` periods starting `from` periods ahead; the last forecast period repeats beyond the horizon; fractions count pro rata. */
function demandOver(perPeriod: readonly number[], from: number, count: number): number {
  const last = perPeriod.length > 0 ? perPeriod[perPeriod.length - 1]! : 0;
  const at = (i: number) => Math.max(0, i < perPeriod.length ? perPeriod[i]! : last);
  let total = 0;
  let position = from;
  const end = from + count;
  while (position < end - 1e-9) {
    const index = Math.floor(position + 1e-9);
    const step = Math.min(index + 1, end) - position;
    total += at(index) * step;
    position += step;
  }
  return total;
}

/** The smallest whole level ≥ `floor` for which `meets` holds (it holds for every larger level too), searching up from `guess`. */
function smallestMeeting(meets: (level: number) => boolean, floor: number, guess: number): number {
  let high = Math.max(floor, guess);
  let low = floor - 1; // does not meet, or is below the floor
  while (!meets(high)) {
    low = high;
    high = high * 2 + 1;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (meets(middle)) high = middle;
    else low = middle;
  }
  return high;
}
