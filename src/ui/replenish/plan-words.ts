/**
 * The planner's terms in plain words, for the Reorder screen: demand classes, forecasting methods,
 * where a lead time comes from, quantities in the product's unit.
 */
import type { DemandClass, ForecastMethod } from '../../domain/forecasting/types.ts';
import type { StockUnit } from '../../domain/events.ts';
import type { LeadTime } from '../../domain/replenishment/types.ts';
import { formatUnitQty } from '../../domain/catalog-csv.ts';

/** Syntetos–Boylan's four classes, as the owner would say them. */
export const DEMAND_CLASS_WORDS: Record<DemandClass, string> = {
  smooth: 'Smooth: sells most days, in similar amounts',
  erratic: 'Erratic: sells most days, but the amounts vary a lot',
  intermittent: 'Intermittent: many days without a sale, similar amounts when it sells',
  lumpy: 'Lumpy: many days without a sale, and the amounts vary a lot',
};

export function demandClassWords(demandClass: DemandClass | undefined): string {
  return demandClass === undefined ? 'Not classified yet: fewer than two days with a sale' : DEMAND_CLASS_WORDS[demandClass];
}

export const METHOD_WORDS: Record<ForecastMethod, string> = {
  ses: 'exponential smoothing: the latest days count most',
  sba: 'Syntetos–Boylan: the size of a sale and the days between sales, each smoothed, with Croston’s bias corrected',
  tsb: 'Teunter–Syntetos–Babai: how often it sells and how much, fading when it stops selling',
  croston: 'Croston: the size of a sale and the days between sales, each smoothed',
  'moving-average': 'the average of the last days',
  zero: 'nothing expected: it has not sold for a long time',
  combination: 'the middle one of three forecasts (exponential smoothing, TSB and a moving average)',
};

export function leadTimeWords(leadTime: LeadTime): string {
  const days = `${leadTime.days} ${leadTime.days === 1 ? 'day' : 'days'}`;
  switch (leadTime.source) {
    case 'learned':
      return `${days}, learned from ${leadTime.orders} ${leadTime.orders === 1 ? 'order' : 'orders'}`;
    case 'supplier-set':
      return `${days}, set by you`;
    case 'store-default':
      return `${days}, the store’s default (no delivery against an order yet)`;
  }
}

/** A quantity in stock units as the owner reads it: "12", "1.5 kg", "0.75 l". */
export function qtyText(qty: number, unit: StockUnit): string {
  return unit === 'each' ? String(qty) : `${formatUnitQty(qty, unit)} ${unit}`;
}

/** An expected amount (safety stock, demand over the lead time), rounded for reading: "8.7", "1.25 kg". */
export function amountText(amount: number, unit: StockUnit): string {
  if (unit === 'each') return String(Math.round(amount * 10) / 10);
  return `${(amount / 1000).toFixed(2)} ${unit}`;
}

/** Expected demand of a day, in the product's unit, one decimal for pieces (0.3 a day is a real rate). */
export function rateText(perDay: number, unit: StockUnit): string {
  if (unit === 'each') return perDay.toFixed(1);
  return `${(perDay / 1000).toFixed(2)} ${unit}`;
}

export function supplierName(supplier: string): string {
  return supplier === '' ? 'No supplier set' : supplier;
}
