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
/** The continuity correction for demand counted in whole units. */
const WHOLE_UNITS = 0.5;

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

  // A forecast that follows a weekday profile is not wrong by the weekday pattern: the spread is read
  // against a forecast that follows it too.
  const dispersion = dispersionIndex(history, lead + review, forecast.profile?.length);
  const overLead: DemandMoments = { mean: leadTimeDemand, variance: dispersion * leadTimeDemand };
  const overProtection: DemandMoments = { mean: protection, variance: dispersion * protection };

  // Units short per review period when the position after review is `level`: what the protection
  // period's demand exceeds it by, less what was already short by the time the order arrived.
  const shortPerReview = (level: number) => expectedExcess(overProtection, level) - expectedExcess(overLead, level);
  // Sales lost per review period allowed by the fill rate.
  const allowed = (1 - serviceLevel) * reviewDemand;
  // A sale lost is not reordered: the stock the next orders bring in is higher, by what was lost over
  // the protection period, than when the customer waits (the textbook back-order model). So a level
  // loses `allowed` per review when the back-order model at that level plus those units short by no more.
  // Demand comes in whole units: stock of S serves any demand up to S, which the continuous gamma
  // reads as demand below S + ½ (the continuity correction).
  const lostAt = (position: number) => shortPerReview(position + WHOLE_UNITS + (lead + review) * allowed);

  // The position after review sits between the two levels; their midpoint stands for it, so it moves
  // in half units: (orderUpTo + reorderPoint) / 2. The smallest midpoint that loses no more than
  // allowed is found in half units h; the gap between the levels is one review period's expected
  // demand rounded, or one more where the parity of h asks for it. For slow movers, whose levels are
  // a unit or two, this halves the step from one level to the next (order when at 1, up to 2, sits
  // between keeping 1 and keeping 2), so the fill rate reached is nearer the one asked for.
  const roundedGap = Math.round(reviewDemand);
  const halves = smallestMeeting((h) => lostAt(h / 2) <= allowed, roundedGap, Math.ceil(2 * protection - roundedGap));
  const gap = (halves - roundedGap) % 2 === 0 ? roundedGap : roundedGap + 1;
  const reorderPoint = (halves - gap) / 2;
  const orderUpTo = reorderPoint + gap;
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
