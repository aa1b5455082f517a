/**
 * App benchmark (issue 3) in real Chromium: run with `npx tsx bench/app/app.bench.ts`, or import
 * `run()` from bench/run-all.ts. Writes bench/results/app.json and prints a table.
 *
 * 1. Catalog import of 100,000 products (importCatalog: chunk records of 1,000 products, one
 *    products-defined event and outbox row per chunk, batched transactions, strict durability).
 *                                                                           Target < 10 s.
 * 2. Barcode lookup: CatalogIndex.byCode (in memory) beside a raw IndexedDB get of the chunk record
 *    holding the code, the same 10,000 codes, same run.                     Target p99 < 1 ms.
 * 3. Complete sale → committed: priceCart + settle + recordEvent with the 100k catalog loaded, beside a
 *    bare page (bare.html: no app, no catalog) writing the same rows (event + outbox row) in one raw
 *    strict transaction, alternated sale by sale, same run; then the same with the CPU throttled 4×
 *    (CDP Emulation.setCPUThrottlingRate, a low-end tablet).
 *                                           Target app p50 and p99 <= 1.5× bare; throttled p99 < 50 ms.
 * 4. App start with the 100k catalog: the built app served by the real server (src/server), in a
 *    profile whose IndexedDB already holds the catalog; navigation start → search box and a product
 *    tile on the Sell screen (and the next frame). A cold browser process first, then warm reloads.
 *                                                                           Target < 2 s.
 * 5. Initial JS payload: gzip of the JS the built index.html loads eagerly (module script +
 *    modulepreload), lazy chunks excluded; the biggest modules of those chunks.  Target < 80 KB.
 *
 * The browser runs on an on-disk profile (launchPersistentContext in a fresh temp directory):
 * Playwright's newContext() keeps IndexedDB in memory, which would make strict durability free.
 *
 * Options (env): BENCH_APP_PRODUCTS (100000), BENCH_APP_LOOKUPS (10000), BENCH_APP_SALES (1000),
 * BENCH_APP_STARTS (3 warm loads), BENCH_APP_COLD_STARTS (2), BENCH_APP_IMPORT_BATCH (10000),
 * BENCH_APP_DIST (use this already built app instead of building one into .tmp/bench-app/dist),
 * BENCH_APP_RAW_IMPORT_PRODUCTS (a fifth of the products), BENCH_APP_SKIP (comma list of:
 * lookup,sale,start,payload; the import always runs, it fills the database the others use),
 * BENCH_APP_OUT (results file, default bench/results/app.json), BENCH_APP_THROTTLED_SALES (as
 * BENCH_APP_SALES). `--only sale` (or `--only lookup,sale`…) runs the import and those parts only,
 * into bench/results/app-sale.json unless BENCH_APP_OUT says otherwise:
 *   npx tsx bench/app/app.bench.ts --only sale
 *
 * Everything runs on ONE on-disk profile and the app's own origin: the app's first start makes its
 * database, the bench page (served under /bench/ on the app's origin) imports the catalog into it
 * and measures lookups and sales there, then the app is started on that profile.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/chromium.ts';
import { build } from 'vite';
import { startServer } from '../../src/server/server.ts';
import type { ImportRun, LookupRun, PageInfo } from './bench-page.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const tmpRoot = path.join(repo, '.tmp/bench-app');

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};
const PRODUCTS = num('BENCH_APP_PRODUCTS', 100_000);
const LOOKUPS = num('BENCH_APP_LOOKUPS', 10_000);
const SALES = num('BENCH_APP_SALES', 1_000);
const WARM_STARTS = num('BENCH_APP_STARTS', 3);
const COLD_STARTS = num('BENCH_APP_COLD_STARTS', 2);
const IMPORT_BATCH = num('BENCH_APP_IMPORT_BATCH', 10_000);
/** The raw import baseline costs as much as the import itself: by default it runs on a fifth. */
const RAW_IMPORT = Math.min(PRODUCTS, num('BENCH_APP_RAW_IMPORT_PRODUCTS', Math.ceil(PRODUCTS / 5)));
const THROTTLED_SALES = num('BENCH_APP_THROTTLED_SALES', SALES);
const PARTS = ['lookup', 'sale', 'start', 'payload'];
const onlyArg = process.argv.indexOf('--only');
/** `--only sale` runs the import (it fills the database) and the sale benchmark alone. */
const ONLY = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',').map((s) => s.trim())) : null;
const SKIP = ONLY ? new Set(PARTS.filter((p) => !ONLY.has(p))) : new Set((process.env.BENCH_APP_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const DEFAULT_OUT = ONLY ? `../results/app-${[...ONLY].join('-')}.json` : '../results/app.json';

const TARGETS = { importMs: 10_000, lookupP99Ms: 1, saleOverBare: 1.5, throttledSaleP99Ms: 50, cpuThrottlingRate: 4, startMs: 2_000, payloadGzipKb: 80 };


export interface Stats {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, mean: round(mean), p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

function load(): { loadavg: number[]; uptime: string } {
  let uptime: string;
  try {
    uptime = execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = 'uptime unavailable';
  }
  return { loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), uptime };
}

function log(text: string): void {
  console.log(`[app bench ${new Date().toISOString().slice(11, 19)}] ${text}`);
}

// ---- browser ---------------------------------------------------------------------------------------

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.map': 'application/json', '.css': 'text/css' };

/**
 * The bench page is served under /bench/ on the APP's origin (Playwright answers those requests
 * from .tmp/bench-app/site), so it works on the app's own IndexedDB database. Answered with
 * COOP+COEP, so the page is cross-origin isolated and performance.now() ticks in 5 µs, not 100 µs.
 */
async function routeBenchPage(context: BrowserContext, siteDir: string): Promise<void> {
  await context.route(
    (url) => url.pathname.startsWith('/bench/'),
    async (route) => {
      const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice('/bench/'.length)) || 'index.html';
      const file = path.resolve(siteDir, rel);
      if (!file.startsWith(siteDir + path.sep) || !existsSync(file) || !statSync(file).isFile()) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({
        status: 200,
        headers: {
          'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
          'cache-control': 'no-store',
        },
        body: readFileSync(file),
      });
    },
  );
}

/** An on-disk profile (IndexedDB on disk, as on a till); `blockSw` keeps the service worker out. */
async function launch(userDataDir: string, blockSw = false): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    ...(blockSw ? { serviceWorkers: 'block' as const } : {}),
  });
}

// ---- payload ---------------------------------------------------------------------------------------

interface PayloadResult {
  eagerFiles: { file: string; bytes: number; gzipBytes: number }[];
  eagerGzipBytes: number;
  eagerGzipKb: number;
  css: { file: string; bytes: number; gzipBytes: number }[];
  lazyJs: { file: string; bytes: number; gzipBytes: number }[];
  /** From the source maps: minified bytes per source file (npm packages grouped), share, estimated gzip. */
  topModules: { module: string; minifiedBytes: number; share: number; estGzipBytes: number }[];
  targetKb: number;
  pass: boolean;
}

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  modules?: Record<string, { renderedLength: number }>;
}

function chunksOf(output: unknown): ChunkLike[] {
  const outputs = Array.isArray(output) ? output : [output];
  const chunks: ChunkLike[] = [];
  for (const o of outputs) {
    const list = (o as { output?: unknown[] } | null)?.output;
    if (!Array.isArray(list)) continue;
    for (const item of list) if ((item as { type?: string }).type === 'chunk') chunks.push(item as ChunkLike);
  }
  return chunks;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Which sources the minified bytes of a built file come from, read from its source map (VLQ
 * mappings decoded here): bytes per source, grouped by npm package for node_modules.
 */
export function attributeBytes(code: string, map: { sources: string[]; mappings: string }): Map<string, string> {
  const lines = code.split('\n');
  const bySource = new Map<string, string[]>();
  let source = 0;
  const mapLines = map.mappings.split(';');
  for (let l = 0; l < mapLines.length && l < lines.length; l++) {
    const line = lines[l] ?? '';
    const segments: { col: number; source: number }[] = [];
    let col = 0;
    for (const segment of (mapLines[l] ?? '').split(',')) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += values[0] ?? 0;
      if (values.length >= 4) source += values[1] ?? 0;
      segments.push({ col, source: values.length >= 4 ? source : -1 });
    }
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as { col: number; source: number };
      const end = segments[i + 1]?.col ?? line.length;
      const name = seg.source >= 0 ? (map.sources[seg.source] ?? '?') : '(unmapped)';
      const list = bySource.get(name) ?? [];
      list.push(line.slice(seg.col, end));
      bySource.set(name, list);
    }
  }
  return new Map([...bySource].map(([k, v]) => [k, v.join('')]));
}

function groupOf(source: string): string {
  const at = source.lastIndexOf('node_modules/');
  if (at < 0) return source.replace(/^(\.\.\/)+/, '');
  const rest = source.slice(at + 'node_modules/'.length).split('/');
  return `npm:${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
}

function measurePayload(distDir: string, chunks: ChunkLike[]): PayloadResult {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const eager = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)) if (m[1]) eager.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) if (m[1]) eager.add(m[1]);
  const cssFiles = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1] ?? '');
  const sizeOf = (rel: string) => {
    const bytes = readFileSync(path.join(distDir, rel.replace(/^\.?\//, '')));
    return { file: rel.replace(/^\.?\//, ''), bytes: bytes.length, gzipBytes: gzipSync(bytes).length };
  };
  const eagerFiles = [...eager].map(sizeOf);
  const eagerGzipBytes = eagerFiles.reduce((s, f) => s + f.gzipBytes, 0);
  const eagerNames = new Set(eagerFiles.map((f) => f.file));
  const allJs = chunks.map((c) => c.fileName).filter((f) => f.endsWith('.js') && f !== 'sw.js');
  const lazyJs = allJs.filter((f) => !eagerNames.has(f) && existsSync(path.join(distDir, f))).map(sizeOf);
  // Attribution of the eager bytes: by source map when present, else the bundler's rendered lengths.
  const groups = new Map<string, { minifiedBytes: number; text: string[] }>();
  for (const f of eagerFiles) {
    const mapFile = path.join(distDir, `${f.file}.map`);
    if (!existsSync(mapFile)) continue;
    const code = readFileSync(path.join(distDir, f.file), 'utf8');
    for (const [source, text] of attributeBytes(code, JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string })) {
      const group = groups.get(groupOf(source)) ?? { minifiedBytes: 0, text: [] };
      group.minifiedBytes += text.length;
      group.text.push(text);
      groups.set(groupOf(source), group);
    }
  }
  const totalMinified = [...groups.values()].reduce((s, g) => s + g.minifiedBytes, 0);
  const separateGzip = new Map([...groups].map(([k, g]) => [k, gzipSync(g.text.join('')).length]));
  const separateTotal = [...separateGzip.values()].reduce((s, x) => s + x, 0);
  const bySourceMap = [...groups]
    .map(([module, g]) => ({
      module,
      minifiedBytes: g.minifiedBytes,
      share: Math.round((g.minifiedBytes / Math.max(1, totalMinified)) * 1000) / 10,
      // Each group gzipped alone, scaled so the groups add up to the real total.
      estGzipBytes: Math.round(((separateGzip.get(module) ?? 0) / Math.max(1, separateTotal)) * eagerGzipBytes),
    }))
    .sort((a, b) => b.minifiedBytes - a.minifiedBytes);
  const topModules =
    bySourceMap.length > 0
      ? bySourceMap.slice(0, 20)
      : chunks
          .filter((c) => eagerNames.has(c.fileName))
          .flatMap((c) => Object.entries(c.modules ?? {}).map(([id, m]) => ({ module: path.relative(repo, id.replace(/^\0/, '')), minifiedBytes: m.renderedLength, share: NaN, estGzipBytes: NaN })))
          .sort((a, b) => b.minifiedBytes - a.minifiedBytes)
          .slice(0, 20);
  const eagerGzipKb = Math.round((eagerGzipBytes / 1024) * 10) / 10;
  return { eagerFiles, eagerGzipBytes, eagerGzipKb, css: cssFiles.map(sizeOf), lazyJs, topModules, targetKb: TARGETS.payloadGzipKb, pass: eagerGzipKb < TARGETS.payloadGzipKb };
}

// ---- app start -------------------------------------------------------------------------------------

interface StartSample {
  kind: 'cold' | 'warm';
  /** navigation start → #product-search and a .product-tile both in the DOM. */
  readyMs: number;
  /** … → the first task after the next frame: the screen is painted and input would be handled. */
  interactiveMs: number;
  responseEndMs: number;
  domContentLoadedMs: number;
  controlledBySw: boolean;
  tiles: number;
}

declare global {
  interface Window {
    __benchReady?: number;
    __benchInteractive?: number;
  }
}

/**
 * Installed before any page script (addInitScript). A string, not a function: tsx's transform would
 * add helpers (__name) to a function's source that do not exist in the page.
 */
const READY_PROBE = `(() => {
  if (location.protocol !== 'http:' || location.pathname.startsWith('/api/') || location.pathname.startsWith('/bench/')) return;
  const observer = new MutationObserver(() => {
    if (window.__benchReady !== undefined) return;
    if (document.querySelector('#product-search') && document.querySelector('.product-tile')) {
      window.__benchReady = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.__benchInteractive = performance.now(); }, 0));
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function measureStart(context: BrowserContext, url: string, kind: 'cold' | 'warm'): Promise<StartSample> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[app page error]', error.message));
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__benchInteractive !== undefined, undefined, { timeout: 120_000, polling: 50 });
  const sample = await page.evaluate((k) => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      kind: k,
      readyMs: window.__benchReady ?? NaN,
      interactiveMs: window.__benchInteractive ?? NaN,
      responseEndMs: nav?.responseEnd ?? NaN,
      domContentLoadedMs: nav?.domContentLoadedEventEnd ?? NaN,
      controlledBySw: navigator.serviceWorker?.controller !== null,
      tiles: document.querySelectorAll('.product-tile').length,
    };
  }, kind);
  await page.close();
  return sample;
}

async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });
}

// ---- the run ---------------------------------------------------------------------------------------

interface SaleSide {
  app: Stats;
  bare: Stats;
  appOverBare: { p50: number; p95: number; p99: number };
}

interface SaleResult {
  sales: number;
  catalogProducts: number;
  linesPerSale: number;
  eventBytes: number;
  /** Unthrottled: the app's sale and the bare page's write, alternated sale by sale. */
  normal: SaleSide;
  /** The same with both pages' CPU throttled `cpuThrottlingRate`× (a low-end tablet). */
  throttled: SaleSide & { sales: number; cpuThrottlingRate: number };
  counts: { events: number; unsent: number };
  targets: { overBare: number; throttledP99Ms: number };
  pass: { p50: boolean; p99: boolean; throttledP99: boolean };
}

/**
 * Alternates, sale by sale, the app's sale (bench page: the app's database with its 100k catalog
 * loaded) with the bare page's write of the same rows; who goes first alternates too, so a load
 * spike hits both alike. Samples after `warmUp` unrecorded rounds.
 */
async function alternateSales(page: Page, bare: Page, sales: number, warmUp: number, from: number): Promise<{ appMs: number[]; bareMs: number[]; lines: number; bytes: number }> {
  const appMs: number[] = [];
  const bareMs: number[] = [];
  let lines = 0;
  let bytes = 0;
  let template: unknown = null;
  for (let i = 0; i < warmUp + sales; i++) {
    const recorded = i >= warmUp;
    const appFirst = i % 2 === 0 || template === null;
    if (!appFirst) {
      const ms = await bare.evaluate((t) => window.perpetuaBare.write(t as Record<string, unknown>), template);
      if (recorded) bareMs.push(ms);
    }
    const sale = await page.evaluate((n) => window.perpetuaAppBench.appSale(n), from + i);
    template = sale.event;
    if (recorded) {
      appMs.push(sale.ms);
      lines += sale.lines;
      bytes += JSON.stringify(sale.event).length;
    }
    if (appFirst) {
      const ms = await bare.evaluate((t) => window.perpetuaBare.write(t as Record<string, unknown>), template);
      if (recorded) bareMs.push(ms);
    }
  }
  return { appMs, bareMs, lines, bytes };
}

function saleSide(appMs: number[], bareMs: number[]): SaleSide {
  const app = stats(appMs);
  const bare = stats(bareMs);
  return { app, bare, appOverBare: { p50: ratio(app.p50, bare.p50), p95: ratio(app.p95, bare.p95), p99: ratio(app.p99, bare.p99) } };
}

export interface AppBenchResult {
  machine: { cpuModel: string; cores: number; totalMemGb: number; platform: string; node: string; chromium: string; loadAtStart: ReturnType<typeof load> };
  config: { products: number; lookups: number; sales: number; warmStarts: number; coldStarts: number; importBatch: number; rawImportProducts: number };
  page?: PageInfo;
  load: Record<string, ReturnType<typeof load>>;
  import?: { products: number; batchSize: number; ms: number; checkMs: number; productsPerSecond: number; batchMs: Stats; counts: ImportRun['counts']; raw: { products: number; ms: number; productsPerSecond: number };
    appOverRawPerProduct: number;
    targetMs: number; pass: boolean };
  lookup?: {
    catalogProducts: number;
    loadCatalogMs: number;
    /** A second load, split: db.catalogChunks.toArray() vs CatalogIndex.fill(chunks). */
    loadCatalogSplit: { readRowsMs: number; buildIndexMs: number };
    lookups: number;
    app: Stats;
    appBatchMeanUs: number;
    raw: Stats;
    rawOverApp: { p50: number; p99: number };
    hits: { app: number; raw: number };
    targetP99Ms: number;
    pass: boolean;
  };
  sale?: SaleResult;
  appStart?: {
    catalogProducts: number;
    samples: StartSample[];
    cold: Stats;
    warm: Stats;
    coldInteractive: Stats;
    warmInteractive: Stats;
    targetMs: number;
    pass: boolean;
  };
  payload?: PayloadResult;
  durationS: number;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export async function run(): Promise<AppBenchResult> {
  const started = Date.now();
  const cpus = os.cpus();
  const result: AppBenchResult = {
    machine: {
      cpuModel: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      totalMemGb: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      chromium: '',
      loadAtStart: load(),
    },
    config: { products: PRODUCTS, lookups: LOOKUPS, sales: SALES, warmStarts: WARM_STARTS, coldStarts: COLD_STARTS, importBatch: IMPORT_BATCH, rawImportProducts: RAW_IMPORT },
    load: {},
    durationS: 0,
  };
  log(`${PRODUCTS} products, ${LOOKUPS} lookups, ${SALES} sales; ${result.machine.loadAtStart.uptime}`);
  mkdirSync(tmpRoot, { recursive: true });

  // The bench page, and (unless BENCH_APP_DIST names one) the app, built into .tmp: a dist/ that
  // other work is using is left alone.
  const siteDir = path.join(tmpRoot, 'site');
  await build({
    configFile: false,
    root: here,
    base: './',
    logLevel: 'warn',
    build: { outDir: siteDir, emptyOutDir: true, target: 'es2022', sourcemap: false, rollupOptions: { input: { index: path.join(here, 'index.html'), bare: path.join(here, 'bare.html') } } },
  });
  const distDir = path.resolve(process.env.BENCH_APP_DIST ? path.resolve(repo, process.env.BENCH_APP_DIST) : path.join(tmpRoot, 'dist'));
  let appChunks: ChunkLike[] = [];
  if (!process.env.BENCH_APP_DIST) {
    log('building the app (vite build with the project config) into .tmp/bench-app/dist');
    appChunks = chunksOf(await build({ root: repo, logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } }));
  }

  const scratch: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perpetua-bench-app-'));
    scratch.push(dir);
    return dir;
  };
  // The real server (src/server) serving the built app, as tests/e2e/harness.ts's AppServer does,
  // but from the build above.
  const appServer = await startServer({ port: 0, host: '127.0.0.1', dataDir: tempDir(), staticDir: distDir, demo: true, logLevel: 'silent' });
  const appUrl = `http://127.0.0.1:${appServer.port}/`;
  const userDataDir = tempDir();
  const dbName = 'perpetua';

  try {
    // ---- set-up and 1–3, with the service worker kept out (it would answer /bench/ with the app) ----
    let context = await launch(userDataDir, true);
    try {
      result.machine.chromium = context.browser()?.version() ?? '';
      await routeBenchPage(context, siteDir);
      // The app's own first start: database, demo store, device id.
      const first = await context.newPage();
      first.on('pageerror', (error) => console.error('[app page error]', error.message));
      await first.goto(appUrl);
      await first.waitForSelector('.product-tile', { timeout: 60_000 });
      await first.close();

      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('[bench page error]', error.message));
      await page.goto(`${appUrl}bench/index.html`);
      await page.waitForFunction(() => document.getElementById('status')?.dataset['ready'] === 'true');
      result.page = await page.evaluate(() => window.perpetuaAppBench.info());
      if (result.machine.chromium === '') result.machine.chromium = result.page.userAgent;
      await page.evaluate((db) => window.perpetuaAppBench.useAppDevice(db), dbName);
      await page.evaluate((n) => window.perpetuaAppBench.makeCatalog(n), PRODUCTS);

      // 1. Import: into the app's own database, as this device (it also sets up 2–4).
      result.load['import'] = load();
      log(`import of ${PRODUCTS} products into the app's database (batches of ${IMPORT_BATCH}); load ${result.load['import'].loadavg.join(' ')}`);
      const imp = await page.evaluate(([db, batch]) => window.perpetuaAppBench.importBench(db, batch), [dbName, IMPORT_BATCH] as const);
      log(`  ${Math.round(imp.importMs)} ms; raw IndexedDB baseline: the first ${RAW_IMPORT} products, same rows and batches`);
      const rawImp = await page.evaluate(([db, batch, n]) => window.perpetuaAppBench.rawImportBench(db, batch, n), ['perpetua-bench-raw-import', IMPORT_BATCH, RAW_IMPORT] as const);
      result.import = {
        products: imp.products,
        batchSize: imp.batchSize,
        ms: Math.round(imp.importMs),
        checkMs: Math.round(imp.checkMs),
        productsPerSecond: Math.round(imp.products / (imp.importMs / 1000)),
        batchMs: stats(imp.batchMs),
        counts: imp.counts,
        raw: { products: rawImp.products, ms: Math.round(rawImp.ms), productsPerSecond: Math.round(rawImp.products / (rawImp.ms / 1000)) },
        appOverRawPerProduct: ratio(imp.importMs / imp.products, rawImp.ms / rawImp.products),
        targetMs: TARGETS.importMs,
        pass: imp.importMs < TARGETS.importMs,
      };

      // 2. Lookups: read only.
      if (!SKIP.has('lookup')) {
        result.load['lookup'] = load();
        log(`lookups (${LOOKUPS} each); load ${result.load['lookup'].loadavg.join(' ')}`);
        const lk: LookupRun = await page.evaluate(([db, n]) => window.perpetuaAppBench.lookupBench(db, n), [dbName, LOOKUPS] as const);
        const app = stats(lk.appMs);
        const raw = stats(lk.rawMs);
        const floor = result.page.timerResolutionMs;
        result.lookup = {
          catalogProducts: lk.catalogProducts,
          loadCatalogMs: Math.round(lk.loadCatalogMs),
          loadCatalogSplit: { readRowsMs: Math.round(lk.readRowsMs), buildIndexMs: Math.round(lk.buildIndexMs) },
          lookups: lk.lookups,
          app,
          appBatchMeanUs: Math.round(lk.appBatchMeanUs * 100) / 100,
          raw,
          rawOverApp: { p50: ratio(raw.p50, Math.max(app.p50, floor)), p99: ratio(raw.p99, Math.max(app.p99, floor)) },
          hits: { app: lk.hits, raw: lk.rawHits },
          targetP99Ms: TARGETS.lookupP99Ms,
          pass: app.p99 < TARGETS.lookupP99Ms && lk.hits === lk.lookups,
        };
      }

      // 3. Sales: the app's sales are this device's real sales in its ledger. The bare page works on
      // a database of its own, deleted afterwards.
      if (!SKIP.has('sale')) {
        result.load['sale'] = load();
        log(`sales (${SALES} app + ${SALES} on the bare page, alternated); load ${result.load['sale'].loadavg.join(' ')}`);
        const bare = await context.newPage();
        bare.on('pageerror', (error) => console.error('[bare page error]', error.message));
        await bare.goto(`${appUrl}bench/bare.html`);
        await bare.waitForFunction(() => document.getElementById('status')?.dataset['ready'] === 'true');
        await bare.evaluate(() => window.perpetuaBare.open('perpetua-bench-bare'));
        const { catalogProducts } = await page.evaluate((db) => window.perpetuaAppBench.prepareSales(db), dbName);
        const normal = await alternateSales(page, bare, SALES, 30, 0);

        result.load['saleThrottled'] = load();
        log(`the same, CPU throttled ${TARGETS.cpuThrottlingRate}× (${THROTTLED_SALES} each); load ${result.load['saleThrottled'].loadavg.join(' ')}`);
        const sessions = [await context.newCDPSession(page), await context.newCDPSession(bare)];
        for (const cdp of sessions) await cdp.send('Emulation.setCPUThrottlingRate', { rate: TARGETS.cpuThrottlingRate });
        const throttled = await alternateSales(page, bare, THROTTLED_SALES, 10, 10_000);
        for (const cdp of sessions) {
          await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
          await cdp.detach();
        }
        const counts = await page.evaluate(() => window.perpetuaAppBench.finishSales());
        await bare.evaluate(() => window.perpetuaBare.close());
        await bare.evaluate(() => new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase('perpetua-bench-bare');
          request.onsuccess = request.onerror = () => resolve();
        }));
        await bare.close();

        const normalSide = saleSide(normal.appMs, normal.bareMs);
        const throttledSide = saleSide(throttled.appMs, throttled.bareMs);
        result.sale = {
          sales: SALES,
          catalogProducts,
          linesPerSale: Math.round((normal.lines / SALES) * 100) / 100,
          eventBytes: Math.round(normal.bytes / SALES),
          normal: normalSide,
          throttled: { ...throttledSide, sales: THROTTLED_SALES, cpuThrottlingRate: TARGETS.cpuThrottlingRate },
          counts,
          targets: { overBare: TARGETS.saleOverBare, throttledP99Ms: TARGETS.throttledSaleP99Ms },
          pass: {
            p50: normalSide.appOverBare.p50 <= TARGETS.saleOverBare,
            p99: normalSide.appOverBare.p99 <= TARGETS.saleOverBare,
            throttledP99: throttledSide.app.p99 < TARGETS.throttledSaleP99Ms,
          },
        };
      }
      await page.close();
    } finally {
      await context.close();
    }

    // ---- 4. App start on that profile: first visit installs the service worker, then cold
    // browser processes and warm reloads, all served by the service worker. ----
    if (!SKIP.has('start')) {
      result.load['start'] = load();
      log(`app start: first visit, ${COLD_STARTS} cold (new browser process), ${WARM_STARTS} warm; load ${result.load['start'].loadavg.join(' ')}`);
      const samples: StartSample[] = [];
      context = await launch(userDataDir);
      try {
        await context.addInitScript({ content: READY_PROBE });
        const firstVisit = await context.newPage();
        await firstVisit.goto(appUrl, { waitUntil: 'commit' });
        await waitForServiceWorker(firstVisit);
        await firstVisit.close();
        for (let i = 0; i < COLD_STARTS; i++) {
          await context.close();
          context = await launch(userDataDir);
          await context.addInitScript({ content: READY_PROBE });
          samples.push(await measureStart(context, appUrl, 'cold'));
        }
        for (let i = 0; i < WARM_STARTS; i++) samples.push(await measureStart(context, appUrl, 'warm'));
      } finally {
        await context.close();
      }
      const cold = samples.filter((s) => s.kind === 'cold');
      const warm = samples.filter((s) => s.kind === 'warm');
      const worst = Math.max(...samples.map((s) => s.readyMs));
      result.appStart = {
        catalogProducts: result.import?.counts.products ?? 0,
        samples: samples.map((s) => ({ ...s, readyMs: Math.round(s.readyMs), interactiveMs: Math.round(s.interactiveMs), responseEndMs: Math.round(s.responseEndMs), domContentLoadedMs: Math.round(s.domContentLoadedMs) })),
        cold: stats(cold.map((s) => s.readyMs)),
        warm: stats(warm.map((s) => s.readyMs)),
        coldInteractive: stats(cold.map((s) => s.interactiveMs)),
        warmInteractive: stats(warm.map((s) => s.interactiveMs)),
        targetMs: TARGETS.startMs,
        pass: worst < TARGETS.startMs,
      };
    }

    // ---- 5. Payload ----
    if (!SKIP.has('payload')) result.payload = measurePayload(distDir, appChunks);
  } finally {
    await appServer.close();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  }

  result.load['end'] = load();
  result.durationS = Math.round((Date.now() - started) / 1000);
  const out = path.resolve(repo, process.env.BENCH_APP_OUT ?? path.join(here, DEFAULT_OUT));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  printTable(result);
  console.log(`results written to ${path.relative(process.cwd(), out)} (${result.durationS} s)`);
  return result;
}

function printTable(r: AppBenchResult): void {
  const rows: Record<string, string | number>[] = [];
  const ok = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
  const row = (metric: string, s: Stats | undefined, target: string, pass: boolean | undefined, extra: Record<string, string | number> = {}) =>
    rows.push({ metric, p50: s?.p50 ?? '', p95: s?.p95 ?? '', p99: s?.p99 ?? '', max: s?.max ?? '', target, result: pass === undefined ? '' : ok(pass), ...extra });
  if (r.import) {
    rows.push({ metric: `import ${r.import.products} products (ms)`, p50: '', p95: '', p99: '', max: r.import.ms, target: '< 10000', result: ok(r.import.pass) });
    rows.push({ metric: `raw IDB import of ${r.import.raw.products}, same rows (ms)`, p50: '', p95: '', p99: '', max: r.import.raw.ms, target: 'baseline', result: '' });
  }
  if (r.lookup) {
    row('lookup CatalogIndex.byCode (ms)', r.lookup.app, 'p99 < 1', r.lookup.pass);
    row('lookup raw IDB chunk get + search (ms)', r.lookup.raw, 'baseline', undefined);
  }
  if (r.sale) {
    const sale = r.sale;
    row('sale priceCart+settle+recordEvent (ms)', sale.normal.app, `p50, p99 <= ${sale.targets.overBare}x bare`, sale.pass.p50 && sale.pass.p99);
    row('sale, bare page: raw strict tx, same rows (ms)', sale.normal.bare, 'baseline', undefined);
    rows.push({ metric: 'sale app / bare', p50: sale.normal.appOverBare.p50, p95: sale.normal.appOverBare.p95, p99: sale.normal.appOverBare.p99, max: '', target: `<= ${sale.targets.overBare}`, result: ok(sale.pass.p50 && sale.pass.p99) });
    row(`sale, CPU ${sale.throttled.cpuThrottlingRate}x throttled (ms)`, sale.throttled.app, `p99 < ${sale.targets.throttledP99Ms}`, sale.pass.throttledP99);
    row(`sale, bare page, CPU ${sale.throttled.cpuThrottlingRate}x throttled (ms)`, sale.throttled.bare, 'baseline', undefined);
  }
  if (r.appStart) {
    row('app start, cold browser (ms)', r.appStart.cold, '< 2000', r.appStart.cold.max < r.appStart.targetMs);
    row('app start, warm reload (ms)', r.appStart.warm, '< 2000', r.appStart.warm.max < r.appStart.targetMs);
  }
  if (r.payload) rows.push({ metric: 'initial JS gzip (KB)', p50: '', p95: '', p99: '', max: r.payload.eagerGzipKb, target: '< 80', result: ok(r.payload.pass) });
  console.table(rows);
  console.log(`machine: ${r.machine.cpuModel}, ${r.machine.cores} cores, Chromium ${r.machine.chromium}; load at start ${r.machine.loadAtStart.loadavg.join(' ')}, at end ${r.load['end']?.loadavg.join(' ')}`);
  if (r.page) console.log(`timer resolution in the bench page: ${r.page.timerResolutionMs} ms (cross-origin isolated: ${r.page.crossOriginIsolated})`);
  if (r.import) {
    console.log(
      `import: ${r.import.productsPerSecond} products/s (raw IndexedDB ${r.import.raw.productsPerSecond}/s; app/raw per product ${r.import.appOverRawPerProduct}); validation ${r.import.checkMs} ms`,
    );
    console.log(`import wrote ${r.import.counts.chunks} chunk records; the database holds ${r.import.counts.events} events and ${r.import.counts.unsent} unsent rows`);
  }
  if (r.lookup) console.log(`loadCatalog (${r.lookup.catalogProducts} products → in-memory index): ${r.lookup.loadCatalogMs} ms (again: read rows ${r.lookup.loadCatalogSplit.readRowsMs} ms + build maps ${r.lookup.loadCatalogSplit.buildIndexMs} ms); byCode batch mean ${r.lookup.appBatchMeanUs} µs`);
  if (r.payload?.topModules.length) {
    console.log('what the eagerly loaded JS is made of (source maps; minified bytes, share, estimated gzip):');
    for (const m of r.payload.topModules.slice(0, 12)) {
      console.log(`  ${String(m.minifiedBytes).padStart(8)} B  ${String(m.share).padStart(5)} %  ~${(m.estGzipBytes / 1024).toFixed(1).padStart(5)} KB gz  ${m.module}`);
    }
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  await run();
}
