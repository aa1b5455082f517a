/**
 * Replenishment's contract (issue 16): what the planner gives the Reorder screen. Levels and
 * quantities are in stock units (grams for kg, millilitres for l); money in minor units.
 */
import type { DemandSeries, Forecast } from '../forecasting/types.ts';

/** A product × location's daily demand, in the store's time zone. */
export interface DemandHistory {
  productId: string;
  locationId: string;
  /** The business date of `days[0]` (YYYY-MM-DD); the last day is the day the plan is made for. */
  firstDay: string;
  /** Units sold minus returned per day (voided sales left out); null on a stock-out day with no sale. */
  days: DemandSeries;
  /** Days that ended at zero on hand (or below), as indexes into `days`. */
  stockOutDays: number[];
}

/** Where a lead time comes from, for the screen to say. */
export type LeadTimeSource = 'supplier-set' | 'learned' | 'store-default';

export interface LeadTime {
  days: number;
  source: LeadTimeSource;
  /** Purchase orders it was learned from (0 unless learned). */
  orders: number;
}

/**
 * The policy: review every period; when the inventory position (on hand + on order + in transit)
 * is below `reorderPoint`, order up to `orderUpTo`. Whole stock units, reorderPoint ≤ orderUpTo.
 */
export interface PolicyLevels {
  reorderPoint: number;
  orderUpTo: number;
  /** Expected demand over the lead time and the stock held against its variability. */
  leadTimeDemand: number;
  safetyStock: number;
}

export interface PolicyInput {
  history: DemandSeries;
  forecast: Extract<Forecast, { kind: 'forecast' }>;
  /** In periods of the series (days for the app). */
  leadTimePeriods: number;
  /** Periods between reviews: 1 (every day in the app). */
  reviewPeriods: number;
  /** Fill rate aimed for, as a fraction: 0.95. */
  serviceLevel: number;
}

/** One product × location as the Reorder screen shows it. */
export interface SeriesPlan {
  productId: string;
  locationId: string;
  forecast: Forecast;
  /** Days of history and how many were stock-outs. */
  historyDays: number;
  stockOutDays: number;
  supplier: string | undefined;
  leadTime: LeadTime;
  /** The computed levels; undefined without a forecast. */
  computed: PolicyLevels | undefined;
  /** What applies: the owner's pinned level where there is one, else the computed one. */
  reorderPoint: number | undefined;
  orderUpTo: number | undefined;
  pinned: { reorderPoint: boolean; orderUpTo: boolean };
  onHand: number;
  /** Outstanding on open purchase orders for this location. */
  onOrder: number;
  /** Sent from another location and not yet received here. */
  inTransit: number;
}

export interface SuggestedPurchaseLine {
  productId: string;
  locationId: string;
  /** orderUpTo − (on hand + on order + in transit), before rounding. */
  need: number;
  /** `need` rounded up to the pack size and the minimum order: what to order. */
  qty: number;
  packSize: number;
  minOrderQty: number;
  /** The last cost paid (or the catalog cost), per stock unit, minor units. */
  unitCost: number;
  /** qty × unitCost, rounded to minor units. */
  value: number;
}

export interface SupplierSuggestion {
  /** '' for products with no default supplier. */
  supplier: string;
  leadTime: LeadTime;
  lines: SuggestedPurchaseLine[];
  value: number;
}

export interface SuggestedTransfer {
  productId: string;
  fromLocationId: string;
  toLocationId: string;
  qty: number;
}

export interface ReplenishmentPlan {
  /** The business date the plan is for. */
  asOf: string;
  series: SeriesPlan[];
  /** Transfers first: a need another location can cover from its surplus is not bought. */
  transfers: SuggestedTransfer[];
  purchases: SupplierSuggestion[];
}
