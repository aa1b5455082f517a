/**
 * First-load benchmark (issue 19): Lighthouse 12.2.3 (its Node API) on Debian's Chromium against the
 * BUILT app served by the REAL server (src/server, SQLite in a temp directory, demo store as
 * `npm start`), on 127.0.0.1 only. Run with `npx tsx bench/lighthouse/lighthouse.bench.ts`, or from
 * bench/run-all.ts (`firstload`). Writes bench/results/lighthouse.json and prints a table.
 *
 * Pages: the Sell screen (`/`) and the owner's home (`/#/today`: a device not paired with a server is
 * its owner's, so the Today screen opens on a fresh device). Presets: Lighthouse's default (mobile:
 * simulated slow 4G, 4× CPU slowdown, 412×823) and its desktop config. Every run is a first visit:
 * a fresh Chromium profile, and Lighthouse clears the origin's storage, so the demo seed is written
 * each time. Per page × preset: median and worst of the performance score, FCP, LCP, TBT and CLS, and
 * the bytes of the first load before and after compression (network-requests: resourceSize against
 * transferSize). Targets: mobile median ≥ 90, worst ≥ 80; desktop median ≥ 98; CLS < 0.05 every run.
 *
 * Env: BENCH_LH_RUNS (5 per page × preset), BENCH_LH_DIST (measure this built app instead of building
 * one into .tmp/bench-lighthouse/dist), BENCH_LH_PHASE (`after`, default, or `before`: which half of the
 * results file the figures go to; the other half is kept, so the figures before a change stay beside
 * the ones after it), BENCH_LH_PAGES (sell,today), BENCH_LH_PRESETS (mobile,desktop).
 *
 * BENCH_LH_COMPARE=<dist>,<dist>[,…] measures built apps side by side instead: each on its own server,
 * their runs alternated (A, B, A, B…) so a busy machine, whose load scales Lighthouse's simulated CPU,
 * weighs on each alike. Written to the results file's `compare` part, keyed `<dist>:<page>/<preset>`.
 * E.g. main's build against this checkout's:
 *   (cd ../main && npx vite build --outDir /tmp/main-dist) && npx vite build --outDir .tmp/this-dist &&
 *   BENCH_LH_COMPARE=/tmp/main-dist,.tmp/this-dist BENCH_LH_PAGES=today BENCH_LH_PRESETS=mobile npx tsx bench/lighthouse/lighthouse.bench.ts
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig, type Config, type Flags } from 'lighthouse';
import { startServer } from '../../src/server/server.ts';
import { CHROMIUM } from '../../tests/chromium.ts';
import { builtApp } from './built-app.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const resultsFile = path.join(repo, 'bench/results/lighthouse.json');

const RUNS = Math.max(1, Number(process.env.BENCH_LH_RUNS ?? 5) || 5);
const PHASE = process.env.BENCH_LH_PHASE === 'before' ? 'before' : 'after';
const PAGES = [
  { name: 'sell', path: '/' },
  { name: 'today', path: '/#/today' },
].filter((p) => (process.env.BENCH_LH_PAGES ?? 'sell,today').split(',').includes(p.name));
const PRESETS = (['mobile', 'desktop'] as const).filter((p) => (process.env.BENCH_LH_PRESETS ?? 'mobile,desktop').split(',').includes(p));

/** The Chromium flags: headless, and nothing that would reach beyond loopback on its own. */
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * chrome-launcher's own defaults, except that they leave RenderDocument on, as Chromium ships it.
 * chrome-launcher turns it off; with it off, the navigation from Lighthouse's about:blank reuses that
 * document's compositor, and in most runs headless Chromium then gave the page one frame a second
 * during the load: the boot frame, ready at ~0.25 s, was first shown at ~1.25 or ~2.25 s, and
 * Lantern, which counts everything before the observed paint, simulated FCP and LCP ~0.35 s later.
 * A phone's Chrome runs with RenderDocument on and paints at once, as Playwright's Chromium does here.
 */
const LAUNCHER_FLAGS = chromeLauncher.Launcher.defaultFlags().map((flag) => {
  if (!flag.startsWith('--disable-features=')) return flag;
  const features = flag.slice('--disable-features='.length).split(',');
  return `--disable-features=${features.filter((feature) => feature !== 'RenderDocument').join(',')}`;
});

export interface LighthouseRun {
  score: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** Bytes of every response of the first load, uncompressed (resourceSize) and as sent (transferSize). */
  resourceBytes: number;
  transferBytes: number;
  requests: number;
  /** What moved (layout-shifts audit): the shifted node and its share of CLS. */
  shifts: { node: string; score: number }[];
  lcpElement: string;
}

interface Summary {
  runs: number;
  score: { median: number; worst: number };
  fcpMs: { median: number; worst: number };
  lcpMs: { median: number; worst: number };
  tbtMs: { median: number; worst: number };
  cls: { median: number; worst: number };
  resourceBytes: number;
  transferBytes: number;
}

interface PhaseResult {
  measuredAt: string;
  commit: string;
  machine: { cpuModel: string; cores: number; loadAtStart: number[]; loadAtEnd: number[]; chromium: string; lighthouse: string };
  summary: Record<string, Summary>;
  runs: Record<string, LighthouseRun[]>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

function summarise(runs: LighthouseRun[]): Summary {
  const of = (pick: (r: LighthouseRun) => number, worst: 'min' | 'max', digits = 0) => ({
    median: round(median(runs.map(pick)), digits),
    worst: round(Math[worst](...runs.map(pick)), digits),
  });
  return {
    runs: runs.length,
    score: of((r) => r.score, 'min'),
    fcpMs: of((r) => r.fcpMs, 'max'),
    lcpMs: of((r) => r.lcpMs, 'max'),
    tbtMs: of((r) => r.tbtMs, 'max'),
    cls: of((r) => r.cls, 'max', 3),
    resourceBytes: Math.round(median(runs.map((r) => r.resourceBytes))),
    transferBytes: Math.round(median(runs.map((r) => r.transferBytes))),
  };
}

interface AuditDetails {
  items?: Record<string, unknown>[];
}

/** One Lighthouse run in a fresh Chromium. */
async function lighthouseRun(url: string, preset: 'mobile' | 'desktop'): Promise<{ run: LighthouseRun; chromium: string; lighthouse: string }> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'perpetua-lh-'));
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, ignoreDefaultFlags: true, chromeFlags: [...LAUNCHER_FLAGS, ...CHROME_FLAGS], userDataDir, logLevel: 'silent' });
  try {
    const flags: Flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] };
    const config: Config | undefined = preset === 'desktop' ? desktopConfig : undefined;
    const result = await lighthouse(url, flags, config);
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${lhr.runtimeError.message}`);
    // The whole report, for a look at what shifted or blocked (not committed: .tmp is ignored).
    if (process.env.BENCH_LH_SAVE) {
      mkdirSync(path.join(repo, '.tmp/bench-lighthouse'), { recursive: true });
      writeFileSync(path.join(repo, '.tmp/bench-lighthouse', `${process.env.BENCH_LH_SAVE}.json`), JSON.stringify(lhr));
    }
    const audit = (id: string) => lhr.audits[id];
    const numeric = (id: string) => audit(id)?.numericValue ?? NaN;
    const requests = ((audit('network-requests')?.details as AuditDetails | undefined)?.items ?? []) as { resourceSize?: number; transferSize?: number }[];
    const shiftItems = ((audit('layout-shifts')?.details as AuditDetails | undefined)?.items ?? []) as { node?: { snippet?: string; selector?: string }; score?: number }[];
    const lcpItems = ((audit('largest-contentful-paint-element')?.details as { items?: { items?: { node?: { snippet?: string } }[] }[] } | undefined)?.items ?? []);
    return {
      chromium: lhr.environment.hostUserAgent,
      lighthouse: lhr.lighthouseVersion,
      run: {
        score: Math.round((lhr.categories['performance']?.score ?? 0) * 100),
        fcpMs: round(numeric('first-contentful-paint')),
        lcpMs: round(numeric('largest-contentful-paint')),
        tbtMs: round(numeric('total-blocking-time')),
        cls: round(numeric('cumulative-layout-shift'), 4),
        resourceBytes: requests.reduce((sum, r) => sum + (r.resourceSize ?? 0), 0),
        transferBytes: requests.reduce((sum, r) => sum + (r.transferSize ?? 0), 0),
        requests: requests.length,
        shifts: shiftItems.map((s) => ({ node: s.node?.selector ?? s.node?.snippet ?? '?', score: round(s.score ?? 0, 4) })),
        lcpElement: lcpItems[0]?.items?.[0]?.node?.snippet ?? '',
      },
    };
  } finally {
    chrome.kill();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<PhaseResult> {
  const loadAtStart = os.loadavg().map((x) => round(x, 2));
  const compare = (process.env.BENCH_LH_COMPARE ?? '').split(',').filter(Boolean);
  if (compare.length > 0) return runCompare(compare, loadAtStart);
  const distDir = await builtApp();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'perpetua-bench-lh-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir: distDir, demo: true, logLevel: 'silent' });
  const base = `http://127.0.0.1:${server.port}`;
  const result: PhaseResult = {
    measuredAt: new Date().toISOString(),
    commit: '',
    machine: { cpuModel: os.cpus()[0]?.model ?? '', cores: os.cpus().length, loadAtStart, loadAtEnd: [], chromium: '', lighthouse: '' },
    summary: {},
    runs: {},
  };
  try {
    const { execSync } = await import('node:child_process');
    const head = execSync('git rev-parse --short HEAD', { cwd: repo }).toString().trim();
    // A given build may be older code than the checkout: say which was measured.
    result.commit = process.env.BENCH_LH_DIST ? `${head} (measured build: ${process.env.BENCH_LH_DIST})` : head;
  } catch {
    result.commit = 'unknown';
  }
  try {
    for (const preset of PRESETS) {
      for (const page of PAGES) {
        const key = `${page.name}/${preset}`;
        const runs: LighthouseRun[] = [];
        for (let i = 0; i < RUNS; i++) {
          const { run, chromium, lighthouse: version } = await lighthouseRun(base + page.path, preset);
          result.machine.chromium = chromium;
          result.machine.lighthouse = version;
          runs.push(run);
          logRun(`${key} #${i + 1}`, run);
        }
        result.runs[key] = runs;
        result.summary[key] = summarise(runs);
      }
    }
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  result.machine.loadAtEnd = os.loadavg().map((x) => round(x, 2));

  const file: Record<string, unknown> = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  file['targets'] = { mobileMedianScore: 90, mobileWorstScore: 80, desktopMedianScore: 98, clsEveryRun: 0.05 };
  file[PHASE] = result;
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(file, null, 2) + '\n');

  printTable(result.summary);
  console.log(`${PHASE} figures written to ${path.relative(repo, resultsFile)}; load at start ${loadAtStart.join(' ')}, at end ${result.machine.loadAtEnd.join(' ')}`);
  return result;
}

function logRun(label: string, run: LighthouseRun): void {
  const shifts = run.shifts.map((s) => `${s.node} ${s.score}`).join('; ');
  console.log(
    `${label}: score ${run.score}, FCP ${run.fcpMs} ms, LCP ${run.lcpMs} ms, TBT ${run.tbtMs} ms, CLS ${run.cls}` +
      `, ${round(run.transferBytes / 1024, 1)} KB sent of ${round(run.resourceBytes / 1024, 1)} KB (${run.requests} requests)` +
      (shifts ? ` — shifted: ${shifts}` : '') +
      ` (load ${os.loadavg()[0]!.toFixed(2)})`,
  );
}

function printTable(summary: Record<string, Summary>): void {
  console.table(
    Object.entries(summary).map(([key, s]) => ({
      'page/preset': key,
      'score med/worst': `${s.score.median} / ${s.score.worst}`,
      'FCP ms': `${s.fcpMs.median} / ${s.fcpMs.worst}`,
      'LCP ms': `${s.lcpMs.median} / ${s.lcpMs.worst}`,
      'TBT ms': `${s.tbtMs.median} / ${s.tbtMs.worst}`,
      CLS: `${s.cls.median} / ${s.cls.worst}`,
      'KB sent / raw': `${round(s.transferBytes / 1024, 1)} / ${round(s.resourceBytes / 1024, 1)}`,
    })),
  );
}

/** BENCH_LH_COMPARE: several built apps, each on its own server, their runs alternated. */
async function runCompare(dists: string[], loadAtStart: number[]): Promise<PhaseResult> {
  const builds: { label: string; base: string; close(): Promise<void> }[] = [];
  const result: PhaseResult = {
    measuredAt: new Date().toISOString(),
    commit: `compare: ${dists.join(' vs ')}`,
    machine: { cpuModel: os.cpus()[0]?.model ?? '', cores: os.cpus().length, loadAtStart, loadAtEnd: [], chromium: '', lighthouse: '' },
    summary: {},
    runs: {},
  };
  try {
    for (const dist of dists) {
      const staticDir = path.resolve(repo, dist);
      if (!existsSync(path.join(staticDir, 'index.html'))) throw new Error(`No built app in ${staticDir}: build it with npx vite build --outDir ${dist}.`);
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'perpetua-bench-lh-'));
      const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir, demo: true, logLevel: 'silent' });
      builds.push({
        label: dist,
        base: `http://127.0.0.1:${server.port}`,
        close: async () => {
          await server.close();
          rmSync(dataDir, { recursive: true, force: true });
        },
      });
    }
    for (const preset of PRESETS) {
      for (const page of PAGES) {
        for (let i = 0; i < RUNS; i++) {
          for (const build of builds) {
            const key = `${build.label}:${page.name}/${preset}`;
            const { run, chromium, lighthouse: version } = await lighthouseRun(build.base + page.path, preset);
            result.machine.chromium = chromium;
            result.machine.lighthouse = version;
            (result.runs[key] ??= []).push(run);
            logRun(`${key} #${i + 1}`, run);
          }
        }
        for (const build of builds) {
          const key = `${build.label}:${page.name}/${preset}`;
          result.summary[key] = summarise(result.runs[key] ?? []);
        }
      }
    }
  } finally {
    for (const build of builds) await build.close();
  }
  result.machine.loadAtEnd = os.loadavg().map((x) => round(x, 2));
  const file: Record<string, unknown> = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  file['compare'] = result;
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(file, null, 2) + '\n');
  printTable(result.summary);
  console.log(`compared figures written to ${path.relative(repo, resultsFile)} (compare); load at start ${loadAtStart.join(' ')}, at end ${result.machine.loadAtEnd.join(' ')}`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
