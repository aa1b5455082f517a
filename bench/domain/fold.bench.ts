/**
 * Benchmark of the domain fold (issue 4): run with `npx tsx bench/domain/fold.bench.ts`, or import
 * `run()` from bench/run-all.ts. Writes bench/results/domain.json and prints a table.
 *
 * 1. Full fold: 1,000,000 events (opening counts, receipts, sales, counts) over 10,000 SKUs, as they
 *    come from storage: each generated event goes through JSON.stringify/JSON.parse once before the
 *    timing (IndexedDB, SQLite rows and the sync protocol always hand the fold deserialized events
 *    with flat strings, never the cons strings a template literal makes). The timed part is
 *    `Books.fromEvents` on that array, nothing excluded: order check, id index, the fold. Wall and
 *    CPU time (process.cpuUsage) per run, `BENCH_DOMAIN_FOLD_RUNS` runs (default 3), median reported.
 * 2. Append: one new (newest) sale applied to that ledger; mean and p99 over many.
 * 3. Late insert into a 100,000-event history: a backdated sale for a SKU with a short history and for
 *    one with a long history. Only that SKU × location is re-folded, so the cost follows its history.
 *
 * Targets: full fold < 3 s, append < 50 µs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EVENT_SCHEMA_VERSION, type EventBody, type LedgerEvent } from '../../src/domain/events.ts';
import { encodeHlc } from '../../src/domain/hlc.ts';
import { Books } from '../../src/domain/books/index.ts';

const BASE_MS = 1_700_000_000_000;
const LOCATION = 'loc-1';

export interface DomainBenchResult {
  machine: { cpus: number; cpuModel: string; node: string; platform: string; totalMemGb: number; loadAverageAtStart: number[] };
  fullFold: {
    events: number;
    skus: number;
    input: string;
    /** Median wall time of the runs. */
    ms: number;
    /** Median CPU time (user + system, all threads incl. GC helpers) of the runs. */
    cpuMs: number;
    runs: { ms: number; cpuMs: number; loadAverage: number[] }[];
    eventsPerSecond: number;
    heapUsedMb: number;
    rssMb: number;
    execArgv: string[];
    targetMs: number;
    pass: boolean;
  };
  append: { samples: number; meanUs: number; p50Us: number; p99Us: number; targetUs: number; pass: boolean };
  lateInsert: {
    historyEvents: number;
    cases: { sku: string; skuHistory: number; refoldedEntriesPerInsert: number; medianUs: number; samples: number }[];
    longOverShortTime: number;
    longOverShortHistory: number;
  };
}

/** Makes events in ledger order with a deterministic mix; `pick` chooses the SKU of each event. */
export class EventMaker {
  private seq = 0;
  constructor(private readonly deviceId: string) {}

  /** `locationId`: the owner benchmark's second location (bench/owner). */
  make(wallMs: number, body: EventBody, locationId = LOCATION): LedgerEvent {
    this.seq++;
    return {
      id: `bench-${this.deviceId}-${this.seq}`,
      schema: EVENT_SCHEMA_VERSION,
      storeId: 'store-1',
      locationId,
      deviceId: this.deviceId,
      seq: this.seq,
      hlc: encodeHlc({ wallMs, counter: 0, deviceId: this.deviceId }),
      recordedAt: new Date(wallMs).toISOString(),
      userId: 'bench',
      currency: 'EUR',
      ...body,
    } as LedgerEvent;
  }
}

function sku(i: number): string {
  return `sku-${String(i).padStart(5, '0')}`;
}

function saleBody(productId: string, qty: number, n: number): EventBody {
  const net = qty * 250;
  const tax = Math.round(net * 0.2);
  return {
    kind: 'sale',
    receiptNo: `R-${n}`,
    pricesIncludeTax: false,
    lines: [{ lineId: 'line-1', productId, sku: productId, name: productId, qty, unit: 'each', unitPrice: 250, lineDiscount: 0, cartDiscountShare: 0, taxRateBp: 2000, net, tax, gross: net + tax }],
    totals: { net, tax, gross: net + tax, discount: 0 },
    tenders: [{ method: 'card', amount: net + tax }],
    change: 0,
  };
}

/** `total` events over `skus` SKUs: an opening count each, then ~18 % receipts, ~80 % sales, ~2 % counts. */
export function makeHistory(total: number, skus: number, pickSku: (i: number) => number, maker = new EventMaker('till-1')): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  let wall = BASE_MS;
  for (let s = 0; s < skus && events.length < total; s++) {
    events.push(maker.make(wall++, { kind: 'opening-balance', lines: [{ productId: sku(s), qty: 50, unitCost: 100 + (s % 97) }] }));
  }
  let x = 12345;
  while (events.length < total) {
    x = (x * 1103515245 + 12345) % 2147483648; // a fixed LCG: the same history every run
    const productId = sku(pickSku(events.length));
    const roll = x % 100;
    if (roll < 18) {
      events.push(maker.make(wall++, { kind: 'goods-received', supplier: 'S', reference: `D-${events.length}`, lines: [{ productId, qty: 5 + (x % 20), unitCost: 90 + (x % 40) + 0.25 }] }));
    } else if (roll < 98) {
      events.push(maker.make(wall++, saleBody(productId, 1 + (x % 3), events.length)));
    } else {
      events.push(maker.make(wall++, { kind: 'stock-counted', lines: [{ productId, countedQty: x % 60 }] }));
    }
  }
  return events;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** Events as storage returns them: one JSON round trip each (a row, a sync batch item). */
export function fromStorage(events: LedgerEvent[]): LedgerEvent[] {
  return events.map((event) => JSON.parse(JSON.stringify(event)) as LedgerEvent);
}

/** In its own frame, so the generated (pre-JSON) events are garbage before the heap is measured. */
function storedHistory(events: number, skus: number): LedgerEvent[] {
  return fromStorage(makeHistory(events, skus, (i) => (i * 7919) % skus));
}

function benchFullFoldAndAppend(): Pick<DomainBenchResult, 'fullFold' | 'append'> {
  const EVENTS = Number(process.env.BENCH_DOMAIN_EVENTS ?? 1_000_000);
  const SKUS = 10_000;
  const RUNS = Math.max(1, Number(process.env.BENCH_DOMAIN_FOLD_RUNS ?? 3));
  const events = storedHistory(EVENTS, SKUS);
  const runs: DomainBenchResult['fullFold']['runs'] = [];
  /** Holds the last run's ledger (for the append test); emptied before each run so gc() frees it. */
  const kept: Books[] = [];
  let heapUsedMb = 0;
  let rssMb = 0;
  for (let r = 0; r < RUNS; r++) {
    kept.length = 0;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const loadAverage = os.loadavg().map(round2);
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const folded = Books.fromEvents(events, { valuation: 'fifo' });
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    kept.push(folded);
    runs.push({ ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), loadAverage });
    gc();
    const memory = process.memoryUsage();
    // First run only: later ones may still see the previous ledger through a stack slot at heapBefore.
    if (r === 0) heapUsedMb = mb(memory.heapUsed - heapBefore);
    rssMb = mb(memory.rss);
  }
  const ledger = kept[0];
  if (ledger === undefined) throw new Error('no fold run');
  const ms = median(runs.map((r) => r.ms));
  const cpuMs = median(runs.map((r) => r.cpuMs));

  // Append: new sales, each the newest event, applied one at a time.
  const maker = new EventMaker('till-2');
  const wall = BASE_MS + EVENTS + 10;
  const samples = 20_000;
  const fresh = fromStorage(Array.from({ length: samples }, (_, i) => maker.make(wall + i, saleBody(sku((i * 31) % SKUS), 1, i))));
  const times: number[] = [];
  for (const event of fresh) {
    const t0 = performance.now();
    ledger.apply(event);
    times.push((performance.now() - t0) * 1000);
  }
  const meanUs = times.reduce((s, t) => s + t, 0) / times.length;
  return {
    fullFold: {
      events: EVENTS,
      skus: SKUS,
      input: 'generated, then JSON.stringify/JSON.parse per event (as read from storage); not timed',
      ms,
      cpuMs,
      runs,
      eventsPerSecond: Math.round(EVENTS / (ms / 1000)),
      heapUsedMb,
      rssMb,
      execArgv: [...process.execArgv, ...(process.env.NODE_OPTIONS ? [`NODE_OPTIONS=${process.env.NODE_OPTIONS}`] : [])],
      targetMs: 3000,
      pass: ms < 3000,
    },
    append: {
      samples,
      meanUs: round2(meanUs),
      p50Us: round2(median(times)),
      p99Us: round2(percentile(times, 0.99)),
      targetUs: 50,
      pass: meanUs < 50,
    },
  };
}

function benchLateInsert(): DomainBenchResult['lateInsert'] {
  const HISTORY = 100_000;
  const SKUS = 1_000;
  // sku-00000 gets every 5th event (a long history), the others share the rest.
  const events = makeHistory(HISTORY, SKUS, (i) => (i % 5 === 0 ? 0 : 1 + (i % (SKUS - 1))));
  const ledger = Books.fromEvents(events, { valuation: 'fifo' });
  const lengthOf = (productId: string): number => ledger.movements(productId).length;
  const late = new EventMaker('till-late');
  const cases: DomainBenchResult['lateInsert']['cases'] = [];
  const repeats = 15;
  for (const productId of [sku(1), sku(0)]) {
    const skuHistory = lengthOf(productId);
    const times: number[] = [];
    const refoldedBefore = ledger.foldStats().refoldedEntries;
    for (let r = 0; r < repeats; r++) {
      // Backdated to the middle of the history: recorded offline, synced now.
      const event = late.make(BASE_MS + HISTORY / 2 + r, saleBody(productId, 1, r));
      const t0 = performance.now();
      ledger.apply(event);
      times.push((performance.now() - t0) * 1000);
    }
    const refoldedEntriesPerInsert = Math.round((ledger.foldStats().refoldedEntries - refoldedBefore) / repeats);
    cases.push({ sku: productId, skuHistory, refoldedEntriesPerInsert, medianUs: round2(median(times)), samples: repeats });
  }
  const [short, long] = cases as [(typeof cases)[number], (typeof cases)[number]];
  return {
    historyEvents: HISTORY,
    cases,
    longOverShortTime: round2(long.medianUs / short.medianUs),
    longOverShortHistory: round2(long.skuHistory / short.skuHistory),
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function run(): DomainBenchResult {
  const cpus = os.cpus();
  const result: DomainBenchResult = {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      totalMemGb: Math.round(os.totalmem() / 1024 ** 3),
      // The VM is shared: a load above the core count means the timings below are inflated.
      loadAverageAtStart: os.loadavg().map(round2),
    },
    ...benchFullFoldAndAppend(),
    lateInsert: benchLateInsert(),
  };
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results/domain.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  console.log(`results written to ${path.relative(process.cwd(), out)}`);
  return result;
}

function printTable(r: DomainBenchResult): void {
  const rows = [
    ['full fold', `${r.fullFold.events.toLocaleString('en')} events / ${r.fullFold.skus.toLocaleString('en')} SKUs`, `median ${r.fullFold.ms} ms (CPU ${r.fullFold.cpuMs} ms)`, `< ${r.fullFold.targetMs} ms`, r.fullFold.pass ? 'pass' : 'FAIL'],
    ['  runs', `load at start of each`, r.fullFold.runs.map((x) => `${x.ms}/${x.cpuMs} ms @${x.loadAverage[0]}`).join(', '), 'wall/CPU', ''],
    ['  input', 'events as read from storage', 'JSON round trip per event, before timing', '', ''],
    ['  memory', 'heap growth / rss', `${r.fullFold.heapUsedMb} MB / ${r.fullFold.rssMb} MB`, '', ''],
    ['append newest', `${r.append.samples} sales`, `mean ${r.append.meanUs} µs, p99 ${r.append.p99Us} µs`, `< ${r.append.targetUs} µs`, r.append.pass ? 'pass' : 'FAIL'],
    ...r.lateInsert.cases.map((c) => ['late insert', `${c.sku}: ${c.skuHistory} movements of ${r.lateInsert.historyEvents.toLocaleString('en')}`, `median ${c.medianUs} µs (${c.refoldedEntriesPerInsert} entries re-folded)`, '∝ SKU history', '']),
    ['  ratio', `history ×${r.lateInsert.longOverShortHistory}`, `time ×${r.lateInsert.longOverShortTime}`, '', ''],
  ];
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  console.log(
    `domain fold — ${r.machine.cpus} cores, ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${r.machine.loadAverageAtStart.join(' ')}`,
  );
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) run();
