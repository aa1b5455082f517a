/**
 * Speed of replenishment (issue 16): run with `npx tsx bench/forecast/speed.bench.ts`. Writes
 * bench/results/forecast-speed.json and prints a table.
 *
 * Ledger: 10,000 products × 2 locations × 365 days of generated history (`BENCH_FORECAST_PRODUCTS`
 * shrinks it for a quick pass), every event through one JSON round trip as storage hands it over:
 * - the catalog (20 suppliers, packs of 1, 6 or 12), opening stock at both locations;
 * - each day and location, each product's demand drawn from its own rate (a fifth fast movers, two
 *   fifths slow, two fifths rare, with a weekly profile), sold up to what is on the shelf (so empty
 *   shelves and stock-out days happen), batched 50 lines to a sale event;
 * - each supplier's weekly delivery day tops up its products that run low (goods received, 200 lines
 *   an event), and a purchase order a month per supplier received 2–8 days later (lead times learned);
 * - a few returns a day, pinned levels for 100 products, and transfers still in transit at the end.
 * The fold (`Books.fromEvents`) is timed and reported apart.
 *
 * Timed in a worker_threads Worker (as the app runs it in a Web Worker), on those books:
 * 1. `new ReplenishmentPlanner(books, now)` + `plan()` from scratch: histories, forecasts, lead
 *    times, levels and suggestions for every product × location. `BENCH_FORECAST_RUNS` runs
 *    (default 5), percentiles reported. Target < 2 s.
 * 2. After one sale (the newest event, applied to the books untimed): `update([sale], now)` and then
 *    `plan()`, with how many series were re-forecast (target: only the sale's one). 30 samples.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { Books } from '../../src/domain/books/index.ts';
import type { EventBody, LedgerEvent, ProductSnapshot, SaleLine } from '../../src/domain/events.ts';
import { StoreClock } from '../../src/domain/calendar.ts';
import { forecastSeries } from '../../src/domain/forecasting/index.ts';
import type { Forecast } from '../../src/domain/forecasting/types.ts';
import { BusinessDays, DemandReader } from '../../src/domain/replenishment/demand-history.ts';
import { FORECAST_HORIZON, ReplenishmentPlanner, SEASON_LENGTH } from '../../src/domain/replenishment/planner.ts';
import { policyLevels } from '../../src/domain/replenishment/policy.ts';
import type { DemandHistory } from '../../src/domain/replenishment/types.ts';
import { EventMaker, fromStorage } from '../domain/fold.bench.ts';
import { seededRandom } from '../../tests/seeded-random.ts';

const PRODUCTS = Number(process.env.BENCH_FORECAST_PRODUCTS ?? 10_000);
const RUNS = Math.max(1, Number(process.env.BENCH_FORECAST_RUNS ?? 5));
const UPDATES = 30;
const DAYS = 365;
const LOCATIONS = ['loc-1', 'loc-2'] as const;
const SUPPLIERS = 20;
const DAY_MS = 86_400_000;
/** The first day of the history, 08:00 UTC (09:00 in Dublin in winter); the plan is made on the last. */
const START_MS = Date.parse('2025-12-01T08:00:00Z');
const NOW = new Date(START_MS + (DAYS - 1) * DAY_MS + 10 * 3600_000).toISOString();
const TARGET_MS = 2000;

interface Stats {
  p50: number;
  p90: number;
  min: number;
  max: number;
}

export interface ForecastSpeedResult {
  machine: { cpus: number; cpuModel: string; node: string; platform: string; totalMemGb: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  ledger: { products: number; locations: number; days: number; events: number; saleLines: number; generateMs: number; foldMs: number };
  fromScratch: { series: number; runs: { constructMs: number; planMs: number; totalMs: number; cpuMs: number; loadAverage: number[] }[]; totalMs: Stats; cpuMs: Stats; constructMs: Stats; planMs: Stats; purchaseLines: number; transfers: number; targetMs: number; pass: boolean };
  /** The same work stage by stage, each over every series (CPU ms of the median run): where the time goes. */
  stages: { historyMs: number; forecastMs: number; policyMs: number; forecastSeries: number };
  afterOneSale: { samples: number; updateMs: Stats; updateAndPlanMs: Stats; reforecastPerSale: number[]; relevelledPerSale: number[]; pass: boolean };
  forecaster: string;
}


function poisson(rate: number, next: () => number): number {
  if (rate <= 0) return 0;
  const limit = Math.exp(-rate);
  let k = 0;
  let p = next();
  while (p > limit) {
    k++;
    p *= next();
  }
  return k;
}

const productId = (i: number): string => `p${String(i).padStart(5, '0')}`;
const supplierName = (s: number): string => `Supplier ${String(s + 1).padStart(2, '0')}`;

function saleLine(id: string, qty: number, n: number): SaleLine {
  const net = qty * 250;
  const tax = Math.round(net * 0.2);
  return { lineId: `l${n}`, productId: id, sku: id, name: id, qty, unit: 'each', unitPrice: 250, lineDiscount: 0, cartDiscountShare: 0, taxRateBp: 2000, net, tax, gross: net + tax };
}

function saleBody(lines: SaleLine[], n: number): EventBody {
  const net = lines.reduce((s, l) => s + l.net, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  return { kind: 'sale', receiptNo: `R-${n}`, pricesIncludeTax: false, lines, totals: { net, tax, gross: net + tax, discount: 0 }, tenders: [{ method: 'card', amount: net + tax }], change: 0 };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The year's events in ledger order, and how many sale lines they hold. */
export function generate(): { events: LedgerEvent[]; saleLines: number; maker: EventMaker; lastWall: number } {
  const next = seededRandom(16);
  const maker = new EventMaker('bench-till');
  const events: LedgerEvent[] = [];
  let wall = START_MS - DAY_MS;
  const products: ProductSnapshot[] = [];
  const rate: number[] = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const roll = next();
    rate.push(roll < 0.2 ? 1 + next() * 4 : roll < 0.6 ? 0.1 + next() * 0.6 : 0.005 + next() * 0.05);
    products.push({ id: productId(i), name: `Product ${i}`, sku: productId(i), barcodes: [], price: 250, cost: 100 + (i % 90), currency: 'EUR', taxRateBp: 2000, unit: 'each', active: true, supplier: supplierName(i % SUPPLIERS), packSize: [1, 6, 12][i % 3] as number, minOrderQty: i % 5 === 0 ? 24 : 1 });
  }
  for (const batch of chunks(products, 1000)) events.push(maker.make(wall++, { kind: 'products-defined', products: batch }));
  const stock = LOCATIONS.map(() => products.map((_, i) => Math.ceil(14 * (rate[i] as number)) + 3));
  LOCATIONS.forEach((locationId, l) => {
    for (const batch of chunks(products.map((p, i) => ({ productId: p.id, qty: stock[l]?.[i] as number, unitCost: p.cost })), 1000)) events.push(maker.make(wall++, { kind: 'opening-balance', lines: batch }, locationId));
  });
  events.push(maker.make(wall++, { kind: 'reorder-levels-set', lines: Array.from({ length: 100 }, (_, i) => ({ productId: productId(i * 7), locationId: 'loc-1', reorderPoint: 5, orderUpTo: 20 })) }));
  /** Purchase-order receipts due, by day. */
  const due = new Map<number, { purchaseOrderId: string; supplier: string; lines: { productId: string; qty: number; unitCost: number }[] }[]>();
  const weekly = [1, 1, 1, 1.1, 1.3, 1.5, 0.8];
  let saleLines = 0;
  let receipts = 0;
  let orders = 0;
  for (let day = 0; day < DAYS; day++) {
    wall = Math.max(wall, START_MS + day * DAY_MS);
    const weekday = day % 7;
    // Morning: deliveries, then purchase orders received against.
    LOCATIONS.forEach((locationId, l) => {
      const lines: { productId: string; qty: number; unitCost: number }[] = [];
      for (let i = 0; i < PRODUCTS; i++) {
        if (i % SUPPLIERS % 7 !== weekday) continue;
        const r = rate[i] as number;
        const shelf = stock[l] as number[];
        if ((shelf[i] as number) >= 7 * r + 1 || next() < 0.15) continue; // now and then a delivery is missed: a stock-out
        const pack = (products[i] as ProductSnapshot).packSize ?? 1;
        const qty = Math.max(pack, Math.ceil((14 * r) / pack) * pack);
        shelf[i] = (shelf[i] as number) + qty;
        lines.push({ productId: productId(i), qty, unitCost: 100 + (i % 90) + (day % 3) });
      }
      for (const batch of chunks(lines, 200)) events.push(maker.make(wall++, { kind: 'goods-received', supplier: 'Various', reference: `D-${++receipts}`, lines: batch }, locationId));
    });
    for (const order of due.get(day) ?? []) {
      const floor = stock[0] as number[];
      for (const line of order.lines) {
        const i = Number(line.productId.slice(1));
        floor[i] = (floor[i] as number) + line.qty;
      }
      events.push(maker.make(wall++, { kind: 'goods-received', supplier: order.supplier, reference: `PO-D-${++receipts}`, purchaseOrderId: order.purchaseOrderId, lines: order.lines }, 'loc-1'));
    }
    for (let s = 0; s < SUPPLIERS; s++) {
      if (day % 30 !== s % 30) continue;
      const purchaseOrderId = `po-${++orders}`;
      const lines = Array.from({ length: 5 }, (_, k) => ({ productId: productId((s + k * SUPPLIERS + day) % PRODUCTS), qty: 12, unitCost: 120 }));
      events.push(maker.make(wall++, { kind: 'purchase-order-created', purchaseOrderId, supplier: supplierName(s), lines }, 'loc-1'));
      const arrives = day + 2 + (s % 7);
      // Orders due after the last day stay open: they are on order in the plan.
      const list = due.get(arrives) ?? [];
      list.push({ purchaseOrderId, supplier: supplierName(s), lines });
      due.set(arrives, list);
    }
    // The day's sales, 50 lines an event.
    LOCATIONS.forEach((locationId, l) => {
      const lines: SaleLine[] = [];
      const shelf = stock[l] as number[];
      const factor = weekly[weekday] as number;
      for (let i = 0; i < PRODUCTS; i++) {
        const wanted = poisson((rate[i] as number) * factor * (l === 0 ? 1 : 0.6), next);
        const sold = Math.min(wanted, shelf[i] as number);
        if (sold <= 0) continue;
        shelf[i] = (shelf[i] as number) - sold;
        lines.push(saleLine(productId(i), sold, lines.length));
      }
      saleLines += lines.length;
      for (const batch of chunks(lines, 50)) events.push(maker.make(wall++, saleBody(batch.map((line, n) => ({ ...line, lineId: `l${n}` })), events.length), locationId));
      // A few returns without a receipt.
      for (let k = 0; k < 3; k++) {
        const i = Math.floor(next() * PRODUCTS);
        shelf[i] = (shelf[i] as number) + 1;
        events.push(maker.make(wall++, { kind: 'return', managerApproved: true, refundMethod: 'card', lines: [{ productId: productId(i), qty: 1, refund: 300, tax: 50, disposition: 'restock' }] }, locationId));
      }
    });
  }
  // Transfers still on the way at the end: 50 products from the back room to the floor.
  for (let k = 0; k < 50; k++) {
    const i = k * 37;
    if (((stock[1] as number[])[i] as number) < 2) continue;
    events.push(maker.make(wall++, { kind: 'transfer-out', transferId: `t-${k}`, toLocationId: 'loc-1', lines: [{ productId: productId(i), qty: 1 }] }, 'loc-2'));
  }
  return { events, saleLines, maker, lastWall: wall };
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => round2(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), min: round2(sorted[0] ?? 0), max: round2(sorted[sorted.length - 1] ?? 0) };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** History, forecast and policy timed apart over every series, `RUNS` times; the median CPU ms of each. */
function stagesOf(books: Books): ForecastSpeedResult['stages'] {
  const clock = new StoreClock(books.storeSettings().timeZone);
  const asOfDay = clock.of(NOW)?.day ?? 0;
  const keys = books.stockKeys();
  const cpuMs = (work: () => void): number => {
    const before = process.cpuUsage();
    work();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  const median = (values: number[]): number => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0);
  const history: number[] = [];
  const forecast: number[] = [];
  const policy: number[] = [];
  let forecasted = 0;
  for (let r = 0; r < RUNS; r++) {
    const histories: DemandHistory[] = [];
    history.push(cpuMs(() => {
      const reader = new DemandReader(books, new BusinessDays(clock), asOfDay);
      for (const { productId, locationId } of keys) {
        const read = reader.read(productId, locationId);
        if (read) histories.push(read);
      }
    }));
    const withDemand = histories.filter((h) => h.days.some((d) => d !== null && d > 0));
    const forecasts: Forecast[] = [];
    forecast.push(cpuMs(() => {
      for (const h of withDemand) forecasts.push(forecastSeries(h.days, { horizon: FORECAST_HORIZON, seasonLength: SEASON_LENGTH }));
    }));
    forecasted = withDemand.length;
    policy.push(cpuMs(() => {
      withDemand.forEach((h, i) => {
        const f = forecasts[i];
        if (f?.kind === 'forecast') policyLevels({ history: h.days, forecast: f, leadTimePeriods: 7, reviewPeriods: 1, serviceLevel: 0.95 });
      });
    }));
  }
  return { historyMs: median(history), forecastMs: median(forecast), policyMs: median(policy), forecastSeries: forecasted };
}

/** Runs inside the worker: generate, fold, then time the planner. */
function measure(): Omit<ForecastSpeedResult, 'machine'> {
  let started = performance.now();
  const generated = generate();
  const events = fromStorage(generated.events);
  const generateMs = performance.now() - started;
  started = performance.now();
  const books = Books.fromEvents(events, { valuation: 'fifo' });
  const foldMs = performance.now() - started;

  const runs: ForecastSpeedResult['fromScratch']['runs'] = [];
  let planner: ReplenishmentPlanner | undefined;
  let series = 0;
  let purchaseLines = 0;
  let transfers = 0;
  for (let r = 0; r < RUNS; r++) {
    const loadAverage = os.loadavg().map(round2);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const made = new ReplenishmentPlanner(books, NOW);
    const t1 = performance.now();
    const plan = made.plan();
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    runs.push({ constructMs: round2(t1 - t0), planMs: round2(t2 - t1), totalMs: round2(t2 - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000), loadAverage });
    series = plan.series.length;
    purchaseLines = plan.purchases.reduce((n, s) => n + s.lines.length, 0);
    transfers = plan.transfers.length;
    planner = made;
  }
  if (!planner) throw new Error('no run');

  const updateMs: number[] = [];
  const updateAndPlanMs: number[] = [];
  const reforecast: number[] = [];
  const relevelled: number[] = [];
  const next = seededRandom(99);
  let wall = generated.lastWall;
  for (let k = 0; k < UPDATES; k++) {
    const id = productId(Math.floor(next() * PRODUCTS));
    const sale = fromStorage([generated.maker.make(++wall, saleBody([saleLine(id, 1, 0)], 1_000_000 + k), 'loc-1')])[0] as LedgerEvent;
    books.apply(sale);
    const t0 = performance.now();
    planner.update([sale], NOW);
    const t1 = performance.now();
    planner.plan();
    const t2 = performance.now();
    updateMs.push(t1 - t0);
    updateAndPlanMs.push(t2 - t0);
    reforecast.push(planner.lastUpdate().reforecast);
    relevelled.push(planner.lastUpdate().relevelled);
  }
  const totals = stats(runs.map((r) => r.totalMs));
  const stages = stagesOf(books);
  return {
    ledger: { products: PRODUCTS, locations: LOCATIONS.length, days: DAYS, events: events.length, saleLines: generated.saleLines, generateMs: Math.round(generateMs), foldMs: Math.round(foldMs) },
    fromScratch: {
      series,
      runs,
      totalMs: totals,
      cpuMs: stats(runs.map((r) => r.cpuMs)),
      constructMs: stats(runs.map((r) => r.constructMs)),
      planMs: stats(runs.map((r) => r.planMs)),
      purchaseLines,
      transfers,
      targetMs: TARGET_MS,
      pass: totals.p50 < TARGET_MS,
    },
    stages,
    afterOneSale: {
      samples: UPDATES,
      updateMs: stats(updateMs),
      updateAndPlanMs: stats(updateAndPlanMs),
      reforecastPerSale: reforecast,
      relevelledPerSale: relevelled,
      pass: reforecast.every((n) => n === 1),
    },
    forecaster: 'src/domain/forecasting/index.ts as on this branch',
  };
}

export async function run(): Promise<ForecastSpeedResult> {
  const cpus = os.cpus();
  const loadAverageAtStart = os.loadavg().map(round2);
  const measured = await new Promise<Omit<ForecastSpeedResult, 'machine'>>((resolve, reject) => {
    // The worker runs this same file. Node 20 does not hand the main thread's loaders to a worker, so
    // the worker registers tsx's own before it imports the TypeScript.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 8192 } });
    worker.once('message', (message: Omit<ForecastSpeedResult, 'machine'>) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The benchmark worker stopped with code ${code}.`));
    });
  });
  const result: ForecastSpeedResult = {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      totalMemGb: Math.round(os.totalmem() / 1024 ** 3),
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg().map(round2),
    },
    ...measured,
  };
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results/forecast-speed.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  console.log(`results written to ${path.relative(process.cwd(), out)}`);
  return result;
}

function printTable(r: ForecastSpeedResult): void {
  const s = (x: Stats): string => `p50 ${x.p50} ms, p90 ${x.p90}, min ${x.min}, max ${x.max}`;
  const rows = [
    ['ledger', `${r.ledger.products.toLocaleString('en')} products × ${r.ledger.locations} locations × ${r.ledger.days} days`, `${r.ledger.events.toLocaleString('en')} events, ${r.ledger.saleLines.toLocaleString('en')} sale lines`, '', ''],
    ['fold', 'Books.fromEvents (not in the target)', `${r.ledger.foldMs} ms (generated in ${r.ledger.generateMs} ms)`, '', ''],
    ['from scratch', `planner + plan(), ${r.fromScratch.series.toLocaleString('en')} series, ${r.fromScratch.runs.length} runs`, s(r.fromScratch.totalMs), `< ${r.fromScratch.targetMs} ms`, r.fromScratch.pass ? 'pass' : 'FAIL'],
    ['  CPU', 'process CPU time (all threads, GC too)', s(r.fromScratch.cpuMs), '', ''],
    ['  construct', 'histories, forecasts, levels', s(r.fromScratch.constructMs), '', ''],
    ['  plan()', 'suggestions, sorting', s(r.fromScratch.planMs), '', ''],
    ['  suggests', '', `${r.fromScratch.purchaseLines} purchase lines, ${r.fromScratch.transfers} transfers`, '', ''],
    ['stages (CPU)', `each over every series, median of ${r.fromScratch.runs.length}`, `history ${r.stages.historyMs} ms, forecast ${r.stages.forecastMs} ms (${r.stages.forecastSeries.toLocaleString('en')} series with demand), policy ${r.stages.policyMs} ms`, '', ''],
    ['after a sale', `update(), ${r.afterOneSale.samples} sales`, s(r.afterOneSale.updateMs), '', ''],
    ['  + plan()', '', s(r.afterOneSale.updateAndPlanMs), '', ''],
    ['  re-forecast', 'series per sale', [...new Set(r.afterOneSale.reforecastPerSale)].join(', '), '1', r.afterOneSale.pass ? 'pass' : 'FAIL'],
  ];
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  console.log(`replenishment speed — ${r.machine.cpus} cores, ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${r.machine.loadAverageAtStart.join(' ')} → ${r.machine.loadAverageAtEnd.join(' ')}`);
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
}

if (!isMainThread) {
  parentPort?.postMessage(measure());
} else {
  const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
  if (invokedDirectly) await run();
}
