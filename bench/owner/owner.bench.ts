/**
 * Benchmark of the owner's Today screen (issue 15): run with `npx tsx bench/owner/owner.bench.ts`, or
 * from bench/run-all.ts. Writes bench/results/owner.json and prints a table.
 *
 * Ledger: 1,000,000 events over a year (10,000 products, 2 locations: opening stock at both, then
 * ~11 % deliveries, ~87 % sales of 1–3 lines paid by cash or card, ~1 % voids, ~1 % returns), every
 * event through one JSON round trip as storage hands it over. The books are folded once, not timed.
 *
 * Timed, against issue 15's targets:
 * 1. The month's figures from scratch: the accumulator built as the app builds it when the Today
 *    screen first opens (the events from `windowStart(today)` on, i.e. last month and this month,
 *    picked from the books by `SalesAnalytics.fromBooks`, their costs read in one walk), then
 *    everything the screen reads for "This month": the figures, last month's, top and bottom products
 *    by revenue and margin, the 30 days and today's hours; plus the stock part: the stock-health
 *    tracker over every product × location (value per location, out of stock, oversold, slow movers,
 *    days of cover, sell-through, ABC) and the month's shrinkage. Target < 1 s for all of it.
 * 2. Each later sale: the books apply it (not timed: that is the fold's, bench/domain), then the
 *    accumulator adds it and the screen's reads run again, and the stock-health tracker follows it
 *    and gives the tiles' figures (`summary`; a list the owner opens is `health`, timed apart).
 *    p50 / p99, target < 5 ms.
 * 3. The 30-day chart: its days read and laid out (`barChartLayout`, the SVG's geometry; the
 *    project has no preact-render-to-string to render the component itself). Target < 100 ms.
 *
 * Hook for more owner figures (stock health): `timeOwnerFigure(name, targetMs, compute)` registers a
 * computation over the same folded ledger; `run()` times each registered one (median of 5).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Books } from '../../src/domain/books/index.ts';
import { addDays, StoreClock } from '../../src/domain/calendar.ts';
import type { EventBody, LedgerEvent, SaleLine } from '../../src/domain/events.ts';
import { periodsOf, SalesAnalytics, windowStart, type Period } from '../../src/domain/sales-analytics.ts';
import { businessPeriod } from '../../src/domain/business-periods.ts';
import { shrinkage, stockHealth, StockHealthTracker } from '../../src/domain/stock-health.ts';
import { stockAlertsOf } from '../../src/domain/stock-alerts.ts';
import { barChartLayout } from '../../src/ui/owner/chart-layout.ts';
import { EventMaker, fromStorage } from '../domain/fold.bench.ts';

const EVENTS = Number(process.env.BENCH_OWNER_EVENTS ?? 1_000_000);
const PRODUCTS = 10_000;
const LOCATIONS = ['loc-1', 'loc-2'];
const TIME_ZONE = 'Europe/Dublin';
// Ends on 28 November: a month under way (28 days) against last month's same 28.
const START_MS = Date.parse('2025-11-28T08:00:00Z');
const YEAR_MS = 365 * 86_400_000;

/** The folded ledger every owner figure is timed on. */
export interface OwnerLedger {
  events: LedgerEvent[];
  books: Books;
  timeZone: string;
  /** The instant just after the last event: "now" for the screen. */
  nowMs: number;
  /** Makes the next sale (newest), for incremental timings. */
  nextSale(): LedgerEvent;
}

interface OwnerTiming {
  name: string;
  targetMs: number;
  compute: (ledger: OwnerLedger) => unknown;
}

const registered: OwnerTiming[] = [];

/** Registers another owner figure (e.g. stock health) to be timed on the same ledger by `run()`. */
export function timeOwnerFigure(name: string, targetMs: number, compute: (ledger: OwnerLedger) => unknown): void {
  registered.push({ name, targetMs, compute });
}

function sku(i: number): string {
  return `sku-${String(i).padStart(5, '0')}`;
}

function saleBody(x: number, n: number): EventBody {
  const count = 1 + (x % 3);
  const lines: SaleLine[] = [];
  for (let i = 0; i < count; i++) {
    const product = (x * (i + 7) + n * 31) % PRODUCTS;
    const qty = 1 + ((x >> (i + 3)) % 2);
    const unitPrice = 250 + (product % 50) * 10;
    const net = qty * unitPrice;
    const tax = Math.round(net * 0.2);
    lines.push({ lineId: `line-${i + 1}`, productId: sku(product), sku: sku(product), name: `Product ${product}`, qty, unit: 'each', unitPrice, lineDiscount: 0, cartDiscountShare: 0, taxRateBp: 2000, net, tax, gross: net + tax });
  }
  const net = lines.reduce((s, l) => s + l.net, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  return {
    kind: 'sale',
    receiptNo: `R-${n}`,
    pricesIncludeTax: false,
    lines,
    totals: { net, tax, gross: net + tax, discount: 0 },
    tenders: [{ method: x % 2 === 0 ? 'cash' : 'card', amount: net + tax }],
    change: 0,
  };
}

/** A year of a two-location store, in ledger order, the same every run. */
export function makeYear(total: number): { events: LedgerEvent[]; maker: EventMaker; nextWall: number } {
  const maker = new EventMaker('till-1');
  const events: LedgerEvent[] = [];
  const step = YEAR_MS / total;
  let wall = START_MS;
  const at = () => Math.round((wall += step));
  for (const locationId of LOCATIONS) {
    for (let p = 0; p < PRODUCTS; p += 100) {
      const lines = Array.from({ length: 100 }, (_, i) => ({ productId: sku(p + i), qty: 200, unitCost: 100 + ((p + i) % 97) }));
      events.push(maker.make(at(), { kind: 'opening-balance', lines }, locationId));
    }
  }
  let x = 12345;
  let lastSale: LedgerEvent | undefined;
  while (events.length < total) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const locationId = LOCATIONS[x % 2] as string;
    const roll = x % 100;
    if (roll < 11) {
      const productId = sku(x % PRODUCTS);
      events.push(maker.make(at(), { kind: 'goods-received', supplier: 'S', reference: `D-${events.length}`, lines: [{ productId, qty: 20 + (x % 20), unitCost: 90 + (x % 40) + 0.25 }] }, locationId));
    } else if (roll < 98 || lastSale?.kind !== 'sale') {
      lastSale = maker.make(at(), saleBody(x, events.length), locationId);
      events.push(lastSale);
    } else if (roll === 98) {
      events.push(maker.make(at(), { kind: 'sale-voided', saleId: lastSale.id, reason: 'Wrong item' }, lastSale.locationId));
      lastSale = undefined;
    } else {
      const line = lastSale.lines[0] as SaleLine;
      events.push(
        maker.make(
          at(),
          { kind: 'return', saleId: lastSale.id, managerApproved: true, refundMethod: 'cash', lines: [{ productId: line.productId, qty: 1, refund: line.unitPrice + Math.round(line.unitPrice * 0.2), tax: Math.round(line.unitPrice * 0.2), disposition: 'restock', saleLineId: line.lineId }] },
          lastSale.locationId,
        ),
      );
      lastSale = undefined;
    }
  }
  return { events, maker, nextWall: wall + step };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Everything the Today screen reads for one period choice. */
function screenReads(analytics: SalesAnalytics, month: { current: Period; comparisons: { period: Period }[] }, today: string): number {
  let touched = analytics.figures(month.current).sales;
  for (const comparison of month.comparisons) touched += analytics.figures(comparison.period).sales;
  for (const by of ['revenue', 'margin'] as const) for (const end of ['top', 'bottom'] as const) touched += analytics.ranked(month.current, by, end, 5).length;
  touched += analytics.byDay({ from: addDays(today, -29), to: today }).length;
  touched += analytics.byHour(today).length;
  return touched;
}

export interface OwnerBenchResult {
  machine: { cpus: number; cpuModel: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  ledger: { events: number; products: number; locations: number; from: string; to: string; sales: number; foldMs: number; heapUsedMb: number };
  monthFromScratch: { windowFrom: string; buildMs: number; readsMs: number; stockHealthMs: number; shrinkageMs: number; totalMs: number; targetMs: number; pass: boolean; monthSales: number; streams: number };
  perSale: { samples: number; p50Ms: number; p99Ms: number; maxMs: number; targetMs: number; pass: boolean };
  chart30Days: { samples: number; p50Ms: number; p99Ms: number; targetMs: number; pass: boolean; how: string };
  registered: { name: string; medianMs: number; targetMs: number; pass: boolean }[];
}

// The rest of the screen, each from the books (not per sale): the lists behind the stock tiles when
// one is opened, and the low- and dead-stock alerts (the badge recomputes them after changes settle).
timeOwnerFigure('stock-health lists, from the books', 1000, (ledger) => stockHealth(ledger.books, ledger.nowMs));
timeOwnerFigure('stock alerts (low + dead), from the books', 1000, (ledger) => stockAlertsOf(ledger.books, ledger.nowMs));

export function run(): OwnerBenchResult {
  const cpus = os.cpus();
  const loadAverageAtStart = os.loadavg().map(round2);
  const made = makeYear(EVENTS);
  const events = fromStorage(made.events);
  made.events.length = 0;
  const t0 = performance.now();
  const books = Books.fromEvents(events, { valuation: 'fifo' });
  const foldMs = Math.round(performance.now() - t0);
  let wall = made.nextWall;
  let n = 0;
  let x = 987654;
  const ledger: OwnerLedger = {
    events,
    books,
    timeZone: TIME_ZONE,
    nowMs: wall,
    nextSale() {
      x = (x * 1103515245 + 12345) % 2147483648;
      wall += 1000;
      ledger.nowMs = wall;
      return fromStorage([made.maker.make(wall, saleBody(x, EVENTS + n++), LOCATIONS[x % 2])])[0] as LedgerEvent;
    },
  };
  const clock = new StoreClock(TIME_ZONE);
  const today = clock.today(ledger.nowMs);
  const month = periodsOf({ kind: 'month' }, today);

  // 1. The month's figures from scratch.
  const b0 = performance.now();
  const from = windowStart(today);
  const analytics = SalesAnalytics.fromBooks(books, TIME_ZONE, from);
  const buildMs = performance.now() - b0;
  const r0 = performance.now();
  screenReads(analytics, month, today);
  const readsMs = performance.now() - r0;
  const monthSales = analytics.figures(month.current).sales;
  // The screen's stock part, from scratch: the tracker over every stream, and the month's shrinkage.
  const h0 = performance.now();
  const tracker = new StockHealthTracker(books, ledger.nowMs);
  tracker.summary();
  const streams = books.stockLevels().length;
  const stockHealthMs = performance.now() - h0;
  const k0 = performance.now();
  shrinkage(books, businessPeriod('month', ledger.nowMs, TIME_ZONE));
  const shrinkageMs = performance.now() - k0;

  // 2. Each later sale.
  const samples = 500;
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const sale = ledger.nextSale();
    books.apply(sale);
    const s0 = performance.now();
    analytics.add(sale);
    screenReads(analytics, month, today);
    tracker.apply([sale], ledger.nowMs);
    tracker.summary();
    times.push(performance.now() - s0);
  }

  // 3. The 30-day chart.
  const chartTimes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const c0 = performance.now();
    const days = analytics.byDay({ from: addDays(today, -29), to: today });
    barChartLayout(days.map((d) => ({ label: d.date.slice(8), name: d.date, value: d.netSales })), 640, 180);
    chartTimes.push(performance.now() - c0);
  }

  const registeredResults = registered.map((timing) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s0 = performance.now();
      timing.compute(ledger);
      runs.push(performance.now() - s0);
    }
    const medianMs = round2(percentile(runs, 0.5));
    return { name: timing.name, medianMs, targetMs: timing.targetMs, pass: medianMs < timing.targetMs };
  });

  const totalMs = buildMs + readsMs + stockHealthMs + shrinkageMs;
  const result: OwnerBenchResult = {
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart, loadAverageAtEnd: os.loadavg().map(round2) },
    ledger: {
      events: events.length,
      products: PRODUCTS,
      locations: LOCATIONS.length,
      from: events[0]?.recordedAt ?? '',
      to: events[events.length - 1]?.recordedAt ?? '',
      sales: SalesAnalytics.of(events, TIME_ZONE).figures({ from: '2000-01-01', to: today }).sales,
      foldMs,
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1024 / 1024),
    },
    monthFromScratch: {
      windowFrom: from,
      buildMs: Math.round(buildMs),
      readsMs: round2(readsMs),
      stockHealthMs: Math.round(stockHealthMs),
      shrinkageMs: Math.round(shrinkageMs),
      totalMs: Math.round(totalMs),
      targetMs: 1000,
      pass: totalMs < 1000,
      monthSales,
      streams,
    },
    perSale: { samples, p50Ms: round2(percentile(times, 0.5)), p99Ms: round2(percentile(times, 0.99)), maxMs: round2(Math.max(...times)), targetMs: 5, pass: percentile(times, 0.99) < 5 },
    chart30Days: { samples: chartTimes.length, p50Ms: round2(percentile(chartTimes, 0.5)), p99Ms: round2(percentile(chartTimes, 0.99)), targetMs: 100, pass: percentile(chartTimes, 0.99) < 100, how: 'byDay(30) + barChartLayout (no preact-render-to-string installed)' },
    registered: registeredResults,
  };
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results/owner.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  console.log(`results written to ${path.relative(process.cwd(), out)}`);
  return result;
}

function printTable(r: OwnerBenchResult): void {
  const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  console.log(`owner screen — ${r.machine.cpus} cores, ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${r.machine.loadAverageAtStart.join(' ')} → ${r.machine.loadAverageAtEnd.join(' ')}`);
  console.log(`ledger: ${r.ledger.events.toLocaleString('en')} events, ${r.ledger.sales.toLocaleString('en')} sales standing, ${r.ledger.from} → ${r.ledger.to}; fold ${r.ledger.foldMs} ms (not timed); heap ${r.ledger.heapUsedMb} MB`);
  const rows = [
    ['month from scratch', `sales: build ${r.monthFromScratch.buildMs} ms + reads ${r.monthFromScratch.readsMs} ms; stock health ${r.monthFromScratch.stockHealthMs} ms (${r.monthFromScratch.streams} streams); shrinkage ${r.monthFromScratch.shrinkageMs} ms; total ${r.monthFromScratch.totalMs} ms (${r.monthFromScratch.monthSales} sales in the month)`, `< ${r.monthFromScratch.targetMs} ms`, verdict(r.monthFromScratch.pass)],
    ['each later sale', `p50 ${r.perSale.p50Ms} ms, p99 ${r.perSale.p99Ms} ms, max ${r.perSale.maxMs} ms (${r.perSale.samples})`, `< ${r.perSale.targetMs} ms`, verdict(r.perSale.pass)],
    ['30-day chart', `p50 ${r.chart30Days.p50Ms} ms, p99 ${r.chart30Days.p99Ms} ms`, `< ${r.chart30Days.targetMs} ms`, verdict(r.chart30Days.pass)],
    ...r.registered.map((t) => [t.name, `median ${t.medianMs} ms`, `< ${t.targetMs} ms`, verdict(t.pass)]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) run();
