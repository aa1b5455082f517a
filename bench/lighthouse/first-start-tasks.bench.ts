/**
 * The main thread of a phone's first start (issue 19), counted from Chromium's own trace rather than
 * Lighthouse's simulation: Lighthouse's TBT moves by 300–500 ms from run to run on a 2-core VM, too
 * much to see a change of a part of a screen. Each run opens the page in a fresh browser context
 * (empty storage: the first start, demo seed and all) at 412×823, unthrottled, traces the renderer's
 * main thread for BENCH_TASKS_WINDOW_MS (6,000) from navigation, and sums:
 * - `busyMs`: every task's time;
 * - `blockingAt4xMs`: each task's time ×4 past 50 ms (what TBT would count of it at Lighthouse's 4×
 *   CPU), over all tasks of the window, before and after the first paint alike.
 *
 * The built app (BENCH_LH_DIST, else a build into .tmp/bench-lighthouse/dist) on the real server
 * (demo store, SQLite in a temp directory, 127.0.0.1); Debian's Chromium via playwright-core.
 * BENCH_TASKS_RUNS (6) runs per page, alternating pages (and builds, with BENCH_LH_COMPARE=dirA,dirB
 * as in lighthouse.bench.ts) so the machine's load weighs on all alike. Writes
 * bench/results/first-start-tasks.json. Run alone: `npx tsx bench/lighthouse/first-start-tasks.bench.ts`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/chromium.ts';
import { builtApp, percentile } from './built-app.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const resultsFile = path.join(repo, 'bench/results/first-start-tasks.json');
const RUNS = Math.max(1, Number(process.env.BENCH_TASKS_RUNS ?? 6) || 6);
const WINDOW_MS = Math.max(1000, Number(process.env.BENCH_TASKS_WINDOW_MS ?? 6000) || 6000);
const PAGES = [
  { name: 'sell', path: '/' },
  { name: 'today', path: '/#/today' },
];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { documentLoaderURL?: string } };
}

interface TaskSums {
  busyMs: number;
  blockingAt4xMs: number;
  longTasksAt4x: number;
}

/** The sums over the main thread's tasks of the page's renderer, from navigation start on. */
function taskSums(events: TraceEvent[]): TaskSums {
  const navigation = events.find((e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').startsWith('http'));
  if (!navigation) throw new Error('the trace has no navigation: was the page opened?');
  const mainThread = events.find((e) => e.pid === navigation.pid && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasks = events.filter((e) => e.pid === navigation.pid && e.tid === mainThread?.tid && e.name === 'RunTask' && e.ph === 'X' && e.ts >= navigation.ts);
  const ms = tasks.map((t) => (t.dur ?? 0) / 1000);
  return {
    busyMs: ms.reduce((sum, x) => sum + x, 0),
    blockingAt4xMs: ms.reduce((sum, x) => sum + Math.max(0, x * 4 - 50), 0),
    longTasksAt4x: ms.filter((x) => x * 4 > 50).length,
  };
}

const round = (x: number) => Math.round(x);

export async function run() {
  const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const compare = (process.env.BENCH_LH_COMPARE ?? '').split(',').filter(Boolean).map((d) => path.resolve(repo, d));
  const builds = compare.length > 0 ? compare : [await builtApp()];
  const dataDirs: string[] = [];
  const servers: RunningServer[] = [];
  for (const staticDir of builds) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'perpetua-bench-tasks-'));
    dataDirs.push(dataDir);
    servers.push(await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir, demo: true, logLevel: 'silent' }));
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const traceFile = path.join(os.tmpdir(), `perpetua-bench-tasks-${process.pid}.json`);
  const sums = new Map<string, TaskSums[]>();
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const page of PAGES) {
        for (const [b, server] of servers.entries()) {
          const key = `${compare.length > 0 ? `${builds[b]}:` : ''}${page.name}`;
          const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
          const tab = await context.newPage();
          await browser.startTracing(tab, { path: traceFile, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'loading', 'blink.user_timing'] });
          await tab.goto(`http://127.0.0.1:${server.port}${page.path}`);
          await tab.waitForTimeout(WINDOW_MS);
          await browser.stopTracing();
          await context.close();
          const measured = taskSums((JSON.parse(readFileSync(traceFile, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
          sums.set(key, [...(sums.get(key) ?? []), measured]);
          console.log(`${key} #${i + 1}: busy ${round(measured.busyMs)} ms, blocking at 4× ${round(measured.blockingAt4xMs)} ms in ${measured.longTasksAt4x} tasks (load ${os.loadavg()[0]!.toFixed(2)})`);
        }
      }
    }
  } finally {
    await browser.close();
    for (const server of servers) await server.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    rmSync(traceFile, { force: true });
  }
  const pages = Object.fromEntries(
    [...sums].map(([key, runs]) => {
      const busy = runs.map((r) => r.busyMs);
      const blocking = runs.map((r) => r.blockingAt4xMs);
      return [key, { busyMs: { median: round(percentile(busy, 50)), worst: round(Math.max(...busy)) }, blockingAt4xMs: { median: round(percentile(blocking, 50)), worst: round(Math.max(...blocking)) }, perRun: runs.map((r) => ({ busyMs: round(r.busyMs), blockingAt4xMs: round(r.blockingAt4xMs), longTasksAt4x: r.longTasksAt4x })) }];
    }),
  );
  console.table(Object.entries(pages).map(([key, p]) => ({ page: key, 'busy ms med/worst': `${p.busyMs.median} / ${p.busyMs.worst}`, 'blocking at 4× ms med/worst': `${p.blockingAt4xMs.median} / ${p.blockingAt4xMs.worst}` })));
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpuModel: os.cpus()[0]?.model ?? '', cores: os.cpus().length, loadAtStart, loadAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    viewport: '412×823',
    windowMs: WINDOW_MS,
    runs: RUNS,
    pages,
  };
  const file: Record<string, unknown> = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  file[compare.length > 0 ? 'compare' : 'latest'] = result;
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`written to ${path.relative(repo, resultsFile)}; load at start ${loadAtStart.join(' ')}, at end ${result.machine.loadAtEnd.join(' ')}`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
