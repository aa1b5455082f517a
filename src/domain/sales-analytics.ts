/**
 * The owner's sales figures (issue 15): a period's money, its comparison with the period before,
 * sales by hour and by day, and the products that sold best and worst.
 *
 * The rules of what counts are `sales-summary.ts`'s (a voided sale is in no figure but the void
 * count; a return counts on the day it was recorded; COGS net of the returned goods' cost); this file
 * only adds them up by business day in the store's time zone (`calendar.ts`, from each event's
 * `recordedAt`). A void takes its sale out of the sale's own day, whenever it arrives.
 *
 * Incremental: `SalesAnalytics` keeps one bucket per business day (its tally, hours and products) and
 * the totals of the periods asked for so far. A new sale, return or void updates its day and those
 * periods in O(its lines), so the screen's figures follow each sale without a re-scan; a period not
 * asked for before is the sum of its days (≤ 31 for a month). Events may come in any order and twice:
 * the result is the same (tests/domain/sales-analytics.test.ts checks it against `salesSummary`).
 *
 * Costs are read when an event is added. They change only when a late event re-folds a product's
 * stream (a delivery synced after sales that came later); the owner of the accumulator then builds a
 * new one from the books (src/ui/owner/sales-analytics-store.ts).
 */
import type { Books } from './books/index.ts';
import { addDays, dayNumberOf, daysBetween, daysInMonth, localDateOf, startOfMonth, startOfPreviousMonth, startOfWeek, StoreClock, type LocalDate } from './calendar.ts';
import type { EventOf, LedgerEvent, Minor } from './events.ts';
import { encodeHlc } from './hlc.ts';
import { stampedSince } from './order.ts';
import { divideRounded } from './money.ts';
import { refundTotal } from './refunds.ts';
import { addTally, emptyTally, salesCostsOf, summaryOfTally, tallyReturn, tallySale, tallyVoid, type SalesLineCosts, type SalesSummary, type SalesTally } from './sales-summary.ts';

/** Inclusive business days. */
export interface Period {
  from: LocalDate;
  to: LocalDate;
}

export type PeriodChoice = { kind: 'today' } | { kind: 'week' } | { kind: 'month' } | { kind: 'range'; from: LocalDate; to: LocalDate };

/** What a period is compared with: the same span before it. */
export interface Comparison {
  kind: 'yesterday' | 'same-weekday-last-week' | 'last-week' | 'last-month' | 'previous-range';
  period: Period;
}

/**
 * The period a choice means on `today`, and what it is compared with. Week and month run to today and
 * are compared with the same days of the week or month before (Monday to Wednesday with last Monday
 * to Wednesday), so a week or month under way is not set against a whole one. A range is compared
 * with the range of equal length that ends the day before it starts.
 */
export function periodsOf(choice: PeriodChoice, today: LocalDate): { current: Period; comparisons: Comparison[] } {
  switch (choice.kind) {
    case 'today':
      return {
        current: { from: today, to: today },
        comparisons: [
          { kind: 'yesterday', period: { from: addDays(today, -1), to: addDays(today, -1) } },
          { kind: 'same-weekday-last-week', period: { from: addDays(today, -7), to: addDays(today, -7) } },
        ],
      };
    case 'week': {
      const monday = startOfWeek(today);
      return { current: { from: monday, to: today }, comparisons: [{ kind: 'last-week', period: { from: addDays(monday, -7), to: addDays(today, -7) } }] };
    }
    case 'month': {
      const previousStart = startOfPreviousMonth(today);
      const dayOfMonth = Number(today.slice(8, 10));
      const previousEnd = addDays(previousStart, Math.min(dayOfMonth, daysInMonth(previousStart)) - 1);
      return { current: { from: startOfMonth(today), to: today }, comparisons: [{ kind: 'last-month', period: { from: previousStart, to: previousEnd } }] };
    }
    case 'range': {
      const [from, to] = choice.from <= choice.to ? [choice.from, choice.to] : [choice.to, choice.from];
      const length = daysBetween(from, to);
      return { current: { from, to }, comparisons: [{ kind: 'previous-range', period: { from: addDays(from, -length), to: addDays(from, -1) } }] };
    }
  }
}

/** A period's figures: the sales summary and what the owner's screen adds to it. */
export interface PeriodFigures extends SalesSummary {
  /** Tax collected: the sales' tax − the refunds' tax. */
  tax: Minor;
  /** Discounts given on the sales that stand. */
  discounts: Minor;
  /** Gross sales ÷ number of sales (what a customer spent on average, incl. tax); 0 without sales. */
  averageBasket: Minor;
  /** Cash taken (change excluded, cash rounding included) − cash paid back by returns. */
  cash: Minor;
  /** Card taken − card refunds. */
  card: Minor;
  /** Margin ÷ net revenue, in basis points (4500 = 45.00 %); undefined without COGS or revenue. */
  marginBp: number | undefined;
}

/** One product's sales in a period, net of its returns. */
export interface ProductFigures {
  /** The screen names it from the catalog: a name taken from sale lines would depend on the order they came in. */
  productId: string;
  /** Sold − returned, in the product's stock unit. */
  qty: number;
  /** Net revenue, excl. tax, after discounts, less the returns' net. */
  revenue: Minor;
  cogs: Minor | undefined;
  margin: Minor | undefined;
}

export interface HourFigures {
  hour: number;
  sales: number;
  /** Gross sales − refunds of the hour, incl. tax. */
  netSales: Minor;
}

export interface DayFigures {
  date: LocalDate;
  sales: number;
  /** Gross sales − refunds of the day, incl. tax. */
  netSales: Minor;
}

export type ProductRanking = 'revenue' | 'margin';

export function figuresOf(tally: Readonly<SalesTally>): PeriodFigures {
  const summary = summaryOfTally(tally);
  return {
    ...summary,
    tax: tally.salesTax - tally.refundedTax,
    discounts: tally.discounts,
    averageBasket: tally.sales === 0 ? 0 : divideRounded(tally.grossSales, tally.sales),
    cash: tally.cashTaken - tally.cashRefunded,
    card: tally.cardTaken - tally.cardRefunded,
    marginBp: summary.margin === undefined || summary.netRevenue === 0 ? undefined : divideRounded(summary.margin * 10_000, summary.netRevenue),
  };
}

interface ProductTally {
  productId: string;
  qty: number;
  revenue: Minor;
  cogs: Minor;
  unknownCosts: number;
}

/** What a day and a period keep. */
interface Totals {
  tally: SalesTally;
  products: Map<string, ProductTally>;
}

interface DayBucket extends Totals {
  /** Sales (voided ones too) and returns recorded this day, in the order they were added. */
  sales: EventOf<'sale'>[];
  returns: EventOf<'return'>[];
  hourSales: number[];
  hourNetSales: Minor[];
}

interface PeriodTotals extends Totals {
  from: number;
  to: number;
}

/** How many periods' totals are kept up to date (the screen shows one period and its comparisons). */
const KEPT_PERIODS = 12;

/**
 * The first day the Today screen needs on `today`: last month's first day or 35 days back (the 30-day
 * chart and last week's same weekday), whichever is earlier. Counting from there, not from the
 * ledger's first day, keeps the first build to two months of a year's ledger.
 */
export function windowStart(today: LocalDate): LocalDate {
  const previousMonth = startOfPreviousMonth(today);
  const back = addDays(today, -35);
  return previousMonth < back ? previousMonth : back;
}

/**
 * The events, in canonical order, that can fall on `from` or later in any time zone: every event
 * stamped from the day before on. An event's `recordedAt` is never later than its HLC's wall clock
 * (both come from the same reading, the HLC only moves forward), so an event stamped earlier was
 * recorded earlier.
 */
export function eventsFrom(ordered: readonly LedgerEvent[], from: LocalDate): readonly LedgerEvent[] {
  return stampedSince(ordered, earliestStampOf(from));
}

/** The HLC bound of `eventsFrom`: the day before `from`, before any device's stamp of that moment. */
function earliestStampOf(from: LocalDate): string {
  // '!' sorts before any device id: no stamp of that millisecond sorts before this one.
  return encodeHlc({ wallMs: Math.max(0, (dayNumberOf(from) - 1) * 86_400_000), counter: 0, deviceId: '!' });
}

export class SalesAnalytics {
  readonly clock: StoreClock;
  /** Days before this are not counted (undefined: every day). */
  readonly from: LocalDate | undefined;
  private readonly fromDay: number;
  private readonly days = new Map<number, DayBucket>();
  private readonly salesById = new Map<string, EventOf<'sale'>>();
  private readonly voided = new Set<string>();
  private readonly returnIds = new Set<string>();
  private readonly periods = new Map<string, PeriodTotals>();
  private changes = 0;

  /**
   * `costs` undefined: no COGS or margin (the books not folded yet). `from`: the first day counted;
   * events of earlier days are left out (a void of an earlier sale too).
   */
  constructor(
    timeZone: string,
    private readonly costs?: SalesLineCosts,
    from?: LocalDate,
  ) {
    this.clock = new StoreClock(timeZone);
    this.from = from;
    this.fromDay = from === undefined ? -Infinity : dayNumberOf(from);
  }

  /**
   * The accumulator as the Today screen builds it from the books, counting from `from`: the window's
   * events only (a binary search into the books, no copy of the year's ledger), their sale lines'
   * costs read in one walk over the streams (`salesCostsOf(books, since)`).
   */
  static fromBooks(books: Books, timeZone: string, from: LocalDate): SalesAnalytics {
    const earliest = earliestStampOf(from);
    return SalesAnalytics.of(books.eventsSince(earliest), timeZone, salesCostsOf(books, earliest), from);
  }

  static of(events: Iterable<LedgerEvent>, timeZone: string, costs?: SalesLineCosts, from?: LocalDate): SalesAnalytics {
    const analytics = new SalesAnalytics(timeZone, costs, from);
    for (const event of events) analytics.add(event);
    return analytics;
  }

  /** Adds one event (other kinds than sales, voids and returns are ignored); true when a figure changed. */
  add(event: LedgerEvent): boolean {
    const changed = this.addKnown(event);
    if (changed) this.changes++;
    return changed;
  }

  /**
   * How many times a figure changed: the accumulator is updated in place, so a screen that keeps what
   * it drew from it (the Today screen's cards) knows by this number when to draw them again.
   */
  get revision(): number {
    return this.changes;
  }

  private addKnown(event: LedgerEvent): boolean {
    switch (event.kind) {
      case 'sale':
        return this.addSale(event);
      case 'sale-voided':
        return this.addVoid(event);
      case 'return':
        return this.addReturn(event);
      default:
        return false;
    }
  }

  /** Whether the period's every day is counted. */
  covers(period: Period): boolean {
    return this.from === undefined || period.from >= this.from;
  }

  private addSale(sale: EventOf<'sale'>): boolean {
    if (this.salesById.has(sale.id)) return false;
    const at = this.clock.of(sale.recordedAt);
    if (!at || at.day < this.fromDay) return false;
    this.salesById.set(sale.id, sale);
    this.dayOf(at.day).sales.push(sale);
    if (this.voided.has(sale.id)) this.countVoid(sale, at.day, 1);
    else this.countSale(sale, at.day, at.hour, 1);
    return true;
  }

  private addVoid(voided: EventOf<'sale-voided'>): boolean {
    if (this.voided.has(voided.saleId)) return false;
    this.voided.add(voided.saleId);
    const sale = this.salesById.get(voided.saleId);
    // A void before its sale: the sale is counted as voided when it comes.
    if (!sale) return false;
    const at = this.clock.of(sale.recordedAt);
    if (!at) return false;
    this.countSale(sale, at.day, at.hour, -1);
    this.countVoid(sale, at.day, 1);
    return true;
  }

  private addReturn(returned: EventOf<'return'>): boolean {
    if (this.returnIds.has(returned.id)) return false;
    const at = this.clock.of(returned.recordedAt);
    if (!at || at.day < this.fromDay) return false;
    this.returnIds.add(returned.id);
    const day = this.dayOf(at.day);
    day.returns.push(returned);
    const costs = this.costs?.returnedCostByProduct(returned.id);
    const cost = costs?.reduce((sum, line) => sum + line.cost, 0);
    for (const totals of this.totalsHolding(at.day)) {
      tallyReturn(totals.tally, returned, cost, 1);
      for (const line of returned.lines) {
        const product = productIn(totals, line.productId);
        product.qty -= line.qty;
        product.revenue -= line.refund - line.tax;
        if (!costs) product.unknownCosts++;
      }
      for (const line of costs ?? []) productIn(totals, line.productId).cogs -= line.cost;
    }
    day.hourNetSales[at.hour] = (day.hourNetSales[at.hour] ?? 0) - refundTotal(returned.lines);
    return true;
  }

  private countSale(sale: EventOf<'sale'>, dayNumber: number, hour: number, sign: 1 | -1): void {
    const lineCogs = this.costs?.saleLineCogs(sale.id);
    const cogs = lineCogs?.reduce((sum, amount) => sum + amount, 0);
    for (const totals of this.totalsHolding(dayNumber)) {
      tallySale(totals.tally, sale, cogs, sign);
      sale.lines.forEach((line, i) => {
        const product = productIn(totals, line.productId);
        product.qty += sign * line.qty;
        product.revenue += sign * line.net;
        const lineCost = lineCogs?.[i];
        if (lineCost === undefined) product.unknownCosts += sign;
        else product.cogs += sign * lineCost;
      });
    }
    const day = this.dayOf(dayNumber);
    day.hourSales[hour] = (day.hourSales[hour] ?? 0) + sign;
    day.hourNetSales[hour] = (day.hourNetSales[hour] ?? 0) + sign * sale.totals.gross;
  }

  private countVoid(sale: EventOf<'sale'>, dayNumber: number, sign: 1 | -1): void {
    for (const totals of this.totalsHolding(dayNumber)) tallyVoid(totals.tally, sale, sign);
  }

  /** The day's bucket and every kept period that holds the day. */
  private totalsHolding(dayNumber: number): Totals[] {
    const holding: Totals[] = [this.dayOf(dayNumber)];
    for (const period of this.periods.values()) if (period.from <= dayNumber && dayNumber <= period.to) holding.push(period);
    return holding;
  }

  private dayOf(dayNumber: number): DayBucket {
    let day = this.days.get(dayNumber);
    if (!day) {
      day = { tally: emptyTally(), products: new Map(), sales: [], returns: [], hourSales: new Array<number>(24).fill(0), hourNetSales: new Array<number>(24).fill(0) };
      this.days.set(dayNumber, day);
    }
    return day;
  }

  /** A period's totals: kept up to date once asked for, summed from its days the first time. */
  private totalsOf(period: Period): Totals {
    const key = `${period.from}..${period.to}`;
    const kept = this.periods.get(key);
    if (kept) return kept;
    const from = dayNumberOf(period.from);
    const to = dayNumberOf(period.to);
    const totals: PeriodTotals = { from, to, tally: emptyTally(), products: new Map() };
    for (const [, day] of this.daysIn(from, to)) {
      addTally(totals.tally, day.tally);
      for (const product of day.products.values()) {
        const sum = productIn(totals, product.productId);
        sum.qty += product.qty;
        sum.revenue += product.revenue;
        sum.cogs += product.cogs;
        sum.unknownCosts += product.unknownCosts;
      }
    }
    if (this.periods.size >= KEPT_PERIODS) {
      const oldest = this.periods.keys().next().value;
      if (oldest !== undefined) this.periods.delete(oldest);
    }
    this.periods.set(key, totals);
    return totals;
  }

  /** The buckets of the days from `from` to `to` that have any, in date order. */
  private daysIn(from: number, to: number): [number, DayBucket][] {
    const found: [number, DayBucket][] = [];
    if (to - from < this.days.size) {
      for (let dayNumber = from; dayNumber <= to; dayNumber++) {
        const day = this.days.get(dayNumber);
        if (day) found.push([dayNumber, day]);
      }
      return found;
    }
    for (const entry of this.days) if (entry[0] >= from && entry[0] <= to) found.push(entry);
    return found.sort((a, b) => a[0] - b[0]);
  }

  figures(period: Period): PeriodFigures {
    return figuresOf(this.totalsOf(period).tally);
  }

  /** Every product sold or returned in the period (one whose only sale was voided is not). */
  products(period: Period): ProductFigures[] {
    return [...this.totalsOf(period).products.values()].filter((product) => !isEmpty(product)).map(productFigures);
  }

  /**
   * The `count` products with the highest (`end` 'top') or lowest ('bottom') revenue or margin in the
   * period; ties by product id. Products whose cost is not known are left out of the margin ranking.
   */
  ranked(period: Period, by: ProductRanking, end: 'top' | 'bottom', count: number): ProductFigures[] {
    const value = (product: ProductTally): number => (by === 'revenue' ? product.revenue : product.revenue - product.cogs);
    // Best first in `chosen`: a selection, not a sort of every product (10,000 of them in a month).
    const better = (a: ProductTally, b: ProductTally): boolean => {
      const difference = end === 'top' ? value(a) - value(b) : value(b) - value(a);
      return difference > 0 || (difference === 0 && a.productId < b.productId);
    };
    const chosen: ProductTally[] = [];
    for (const product of this.totalsOf(period).products.values()) {
      if (isEmpty(product) || (by === 'margin' && product.unknownCosts !== 0)) continue;
      if (chosen.length === count && !better(product, chosen[count - 1] as ProductTally)) continue;
      let at = chosen.length;
      while (at > 0 && better(product, chosen[at - 1] as ProductTally)) at--;
      chosen.splice(at, 0, product);
      if (chosen.length > count) chosen.pop();
    }
    return chosen.map(productFigures);
  }

  /** The day's 24 hours on the store's wall clock. */
  byHour(date: LocalDate): HourFigures[] {
    const day = this.days.get(dayNumberOf(date));
    return Array.from({ length: 24 }, (_, hour) => ({ hour, sales: day?.hourSales[hour] ?? 0, netSales: day?.hourNetSales[hour] ?? 0 }));
  }

  /** Each day of the period, days without sales included. */
  byDay(period: Period): DayFigures[] {
    const from = dayNumberOf(period.from);
    const to = dayNumberOf(period.to);
    const result: DayFigures[] = [];
    for (let dayNumber = from; dayNumber <= to; dayNumber++) {
      const day = this.days.get(dayNumber);
      result.push({ date: localDateOf(dayNumber), sales: day?.tally.sales ?? 0, netSales: day ? day.tally.grossSales - day.tally.refunds : 0 });
    }
    return result;
  }

  /** The sales recorded in the period, voided ones too, newest first (what "Sales 12" taps through to). */
  salesIn(period: Period): EventOf<'sale'>[] {
    return this.daysIn(dayNumberOf(period.from), dayNumberOf(period.to))
      .flatMap(([, day]) => day.sales)
      .sort((a, b) => (a.hlc < b.hlc ? 1 : a.hlc > b.hlc ? -1 : 0));
  }

  /** The returns recorded in the period, newest first. */
  returnsIn(period: Period): EventOf<'return'>[] {
    return this.daysIn(dayNumberOf(period.from), dayNumberOf(period.to))
      .flatMap(([, day]) => day.returns)
      .sort((a, b) => (a.hlc < b.hlc ? 1 : a.hlc > b.hlc ? -1 : 0));
  }

  isVoided(saleId: string): boolean {
    return this.voided.has(saleId);
  }
}

function productIn(totals: Totals, productId: string): ProductTally {
  let product = totals.products.get(productId);
  if (!product) {
    product = { productId, qty: 0, revenue: 0, cogs: 0, unknownCosts: 0 };
    totals.products.set(productId, product);
  }
  return product;
}

/** Nothing left of it: e.g. its only sale was voided (the entry stays, as 0, in the order that made it). */
function isEmpty(product: ProductTally): boolean {
  return product.qty === 0 && product.revenue === 0 && product.cogs === 0 && product.unknownCosts === 0;
}

function productFigures(product: ProductTally): ProductFigures {
  const cogs = product.unknownCosts === 0 ? product.cogs : undefined;
  return { productId: product.productId, qty: product.qty, revenue: product.revenue, cogs, margin: cogs === undefined ? undefined : product.revenue - cogs };
}

