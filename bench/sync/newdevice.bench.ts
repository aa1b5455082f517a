/**
 * New device in a big store (issue 19, item 5), in real Chromium against the real server on
 * loopback: `npx tsx bench/sync/newdevice.bench.ts`, or `BENCH_ONLY=newdevice npm run bench`.
 * Writes bench/results/newdevice.json.
 *
 * The server (src/server, SQLite) holds a year of sales: bench/domain/fold.bench.ts's history
 * (an opening count per SKU, then ~80 % sales, ~18 % deliveries, ~2 % counts over 2,000 SKUs and
 * the demo store's two locations), 1,000,000 events. A fresh device (the bench page, built from the
 * app's own modules: openDb, seed, enrollThisDevice, pullNewEvents, LocalProjection, recordEvent)
 * is paired and pulls, its projection folding each page as it is stored; a sale of a known product
 * is recorded as soon as the device is paired. Reported:
 * - time to correct stock: from paired until the on-hand the device shows (its `stock` table) is
 *   complete; then proved equal, every product × location, to the server's GET /api/v1/stock (after
 *   the device's one sale is pushed) and to a full fold (Books.fromEvents) of the device's ledger;
 * - time to first sale possible; bytes pulled; pages; load.                           Target < 30 s.
 *
 * Options (env): BENCH_NEWDEVICE_EVENTS (1000000). The filled server data directory is kept in
 * .tmp/bench-newdevice/fill-<events> and copied for each run (filling 1,000,000 takes minutes).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { uuidv7 } from '../../src/db/ids.ts';
import { DEMO_LOCATIONS } from '../../src/domain/demo-store.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { canonicalJson } from '../../src/server/canonical-json.ts';
import { startServer } from '../../src/server/server.ts';
import { eventRowOf, type EventRow } from '../../src/server/storage/store.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/chromium.ts';
import { loadavg, startMachineRecord, type BenchMachine } from '../machine.ts';
import { call, openBenchPage } from './bench-driver.ts';
import { EventMaker, makeHistory } from '../domain/fold.bench.ts';
import type { NewDeviceRun } from './bench-page.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const tmpRoot = path.join(repo, '.tmp/bench-newdevice');
const EVENTS = (() => {
  const value = Number(process.env.BENCH_NEWDEVICE_EVENTS ?? 1_000_000);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 1_000_000;
})();
const TARGET_SECONDS = 30;

export interface NewDeviceBenchResult {
  benchmark: 'newdevice';
  date: string;
  machine: BenchMachine;
  serverEvents: number;
  pulled: number;
  unreadable: number;
  pages: number;
  /** Of pullSeconds: waiting on the server's answers (HTTP, server work, JSON.parse in the page). */
  pullWaitSeconds: number;
  /** The pull answers on the wire (compressed, with headers) and decoded, from the page's Resource Timing. */
  bytesOnWire: number;
  bytesDecoded: number;
  pairSeconds: number;
  firstSaleSeconds: number;
  pullSeconds: number;
  correctStockSeconds: number;
  /** Product × location rows compared with the server's GET /api/v1/stock (all of them). */
  stockRowsCompared: number;
  stockEqualsServer: boolean;
  stockEqualsFullFold: boolean;
  fullFoldSeconds: number;
  cpuBusySeconds: number;
  target: string;
  pass: boolean;
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const log = (text: string) => console.log(`[newdevice bench ${new Date().toISOString().slice(11, 19)}] ${text}`);

/** A server data directory holding the demo store and `count` events of a year's history. */
export async function filledServerDir(count: number): Promise<string> {
  const dir = path.join(tmpRoot, `fill-${count}`);
  if (existsSync(path.join(dir, 'complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, demo: true, logLevel: 'warn' });
  const history = makeHistory(count, 2000, (i) => (i * 7919) % 2000, new EventMaker('dev-bench-history'));
  let rows: EventRow[] = [];
  const flush = async () => {
    const outcomes = await server.storage.appendEvents(rows, new Date().toISOString());
    if (outcomes.some((o) => o.status !== 'accepted')) throw new Error('the server storage refused generated events');
    rows = [];
  };
  for (let i = 0; i < history.length; i++) {
    const e = history[i] as LedgerEvent;
    // The store's own id, event ids the validator accepts, and both demo locations.
    const event = { ...e, id: uuidv7(Date.parse(e.recordedAt)), storeId: server.storeId, locationId: DEMO_LOCATIONS[i % DEMO_LOCATIONS.length]?.id ?? e.locationId } as LedgerEvent;
    rows.push(eventRowOf(event, canonicalJson(event)));
    if (rows.length === 5000) await flush();
  }
  if (rows.length > 0) await flush();
  await server.close();
  writeFileSync(path.join(dir, 'complete'), String(count));
  return dir;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per function, the 25 largest: where the page's main thread went. */
function printTopFunctions(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const key = frame ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}` : '?';
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0));
  });
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  // Inclusive time (the function and what it called), each function once per sample: the steps.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const total = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame?.url) continue;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0));
    }
  });
  log('inclusive:');
  for (const [key, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 40)) log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
}

/** Rows that differ between two stock lists (product, location, on-hand; zero rows count as absent). */
function stockDifferences(a: [string, string, number][], b: [string, string, number][]): string[] {
  const mapOf = (rows: [string, string, number][]) => new Map(rows.filter((r) => r[2] !== 0).map((r) => [`${r[0]}|${r[1]}`, r[2]]));
  const left = mapOf(a);
  const right = mapOf(b);
  const keys = new Set([...left.keys(), ...right.keys()]);
  return [...keys].filter((k) => left.get(k) !== right.get(k)).map((k) => `${k}: ${left.get(k)} vs ${right.get(k)}`);
}

export async function run(): Promise<NewDeviceBenchResult> {
  const machine = startMachineRecord();
  const loadBefore = loadavg();
  mkdirSync(tmpRoot, { recursive: true });
  log(`filling (or reusing) a server with ${EVENTS} events (load ${loadBefore.join(' ')})`);
  const filled = await filledServerDir(EVENTS);
  const work = mkdtempSync(path.join(tmpRoot, 'run-'));
  const siteDir = path.join(work, 'site');
  await build({ configFile: false, root: here, base: './', logLevel: 'warn', build: { outDir: path.join(siteDir, 'bench'), emptyOutDir: true, target: 'es2022', sourcemap: false, minify: !process.env.BENCH_NEWDEVICE_PROFILE } });
  cpSync(filled, path.join(work, 'server'), { recursive: true });
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: path.join(work, 'server'), staticDir: siteDir, demo: true, logLevel: 'warn' });
  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, serviceWorkers: 'block' });
  try {
    const serverEvents = await server.storage.countEvents(server.storeId);
    const page = await openBenchPage(context, server.url);
    const chromiumVersion = context.browser()?.version() ?? 'unknown';
    log(`server holds ${serverEvents} events; a new device pairs and pulls (load ${loadavg().join(' ')})`);
    const cpuBefore = os.cpus().map((c) => c.times);
    // BENCH_NEWDEVICE_PROFILE=1: a CPU profile of the page during the run, its top functions printed.
    const profiler = process.env.BENCH_NEWDEVICE_PROFILE ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    const device: NewDeviceRun = await call(page, 'newDevice', 'perpetua-newdevice', server.url);
    if (profiler) printTopFunctions((await profiler.send('Profiler.stop')).profile);
    const cpuBusyMs = os.cpus().reduce((sum, c, i) => {
      const b = cpuBefore[i];
      return b ? sum + c.times.user - b.user + c.times.sys - b.sys + c.times.nice - b.nice : sum;
    }, 0);
    log(`first sale ${seconds(device.firstSaleMs)} s, pulled ${device.pulled} in ${seconds(device.pullMs)} s, correct stock at ${seconds(device.correctStockMs)} s (${device.pages} pages, ${Math.round(device.bytesOnWire / 1e6)} MB on the wire, ${Math.round(device.bytesDecoded / 1e6)} MB decoded, ${seconds(device.pullWaitMs)} s waiting on the server)`);
    await call(page, 'drainOnly', 'perpetua-newdevice');
    const serverStock = await call(page, 'serverStock', 'perpetua-newdevice');
    const againstServer = stockDifferences(device.shownStock, serverStock);
    const againstFold = stockDifferences(device.shownStock, device.fullFoldStock);
    if (againstServer.length > 0) console.error('shown stock differs from the server:', againstServer.slice(0, 5));
    if (againstFold.length > 0) console.error('shown stock differs from a full fold:', againstFold.slice(0, 5));
    const result: NewDeviceBenchResult = {
      benchmark: 'newdevice',
      date: new Date().toISOString(),
      machine: machine.finish(chromiumVersion),
      serverEvents,
      pulled: device.pulled,
      unreadable: device.unreadable,
      pages: device.pages,
      pullWaitSeconds: seconds(device.pullWaitMs),
      bytesOnWire: device.bytesOnWire,
      bytesDecoded: device.bytesDecoded,
      pairSeconds: seconds(device.pairMs),
      firstSaleSeconds: seconds(device.firstSaleMs),
      pullSeconds: seconds(device.pullMs),
      correctStockSeconds: seconds(device.correctStockMs),
      stockRowsCompared: serverStock.length,
      stockEqualsServer: againstServer.length === 0,
      stockEqualsFullFold: againstFold.length === 0,
      fullFoldSeconds: seconds(device.fullFoldMs),
      cpuBusySeconds: seconds(cpuBusyMs),
      target: `correct stock < ${TARGET_SECONDS} s after pairing, with ${EVENTS} events on the server`,
      pass: device.correctStockMs < TARGET_SECONDS * 1000 && againstServer.length === 0 && againstFold.length === 0,
    };
    writeFileSync(path.join(repo, 'bench/results/newdevice.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.table([{ events: serverEvents, firstSale: result.firstSaleSeconds, pull: result.pullSeconds, correctStock: result.correctStockSeconds, rows: result.stockRowsCompared, equal: result.stockEqualsServer && result.stockEqualsFullFold, pass: result.pass }]);
    return result;
  } finally {
    await context.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) await run();
