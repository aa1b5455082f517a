/**
 * Sync benchmark (issue 5) in real Chromium against the real server on loopback: run with
 * `npx tsx bench/sync/drain.bench.ts`, or import `run()` from bench/run-all.ts. Writes
 * bench/results/sync.json and prints a table.
 *
 * 1. Drain: 10,000 sales recorded with the app's own recordEvent into the device's IndexedDB
 *    (on-disk profile, strict durability), then the outbox drained with the app's drainOutbox
 *    (batches of 1,000, the next batch read while one is in flight, Web Lock, HTTP to /api/v1/sync/push, each acknowledged batch
 *    removed from `unsent` with one range delete) until
 *    the server acknowledged every event. The server is the real one (src/server, SQLite with
 *    synchronous=FULL) in this process.                                        Target < 5 s.
 *    The same round's pull that follows (it fetches the drained sales back) is reported beside it.
 * 2. Pull: the server is filled to 100,000 events (the 10,000 drained sales, the demo seed, and
 *    sales of other devices written straight into its storage), then a fresh device (a new
 *    database, demo seed, paired) pulls all of them with the app's pullNewEvents (pages of 5,000, the next page fetched while one is validated and written,
 *    each page stored as ONE `pulled` record, in one IndexedDB transaction with the cursor).  Target < 5 s.
 *
 * Options (env): BENCH_SYNC_SALES (10000), BENCH_SYNC_PULL_EVENTS (100000), BENCH_SYNC_KEEP (keep the
 * temp directories).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/chromium.ts';
import { loadavg, startMachineRecord, type BenchMachine } from '../machine.ts';
import { call, openBenchPage } from './bench-driver.ts';
import { build } from 'vite';
import { uuidv7 } from '../../src/db/ids.ts';
import type { LedgerEvent } from '../../src/domain/events.ts';
import { encodeHlc } from '../../src/domain/hlc.ts';
import { canonicalJson } from '../../src/server/canonical-json.ts';
import { startServer, type RunningServer } from '../../src/server/server.ts';
import { eventRowOf, type EventRow } from '../../src/server/storage/store.ts';
import type { DrainRun, PreparedDevice, PullProbe, PullRun, RecordRun } from './bench-page.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const tmpRoot = path.join(repo, '.tmp/bench-sync');

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};
const SALES = num('BENCH_SYNC_SALES', 10_000);
const PULL_EVENTS = num('BENCH_SYNC_PULL_EVENTS', 100_000);
const TARGETS = { drainSeconds: 5, pullSeconds: 5 };

export interface SyncBenchResult {
  benchmark: 'sync';
  date: string;
  machine: BenchMachine;
  drain: {
    sales: number;
    recordSeconds: number;
    recordPerSaleMs: number;
    drainSeconds: number;
    eventsPerSecond: number;
    batches: number;
    acknowledged: number;
    rejected: number;
    pendingAfter: number;
    onServer: number;
    /** Of drainSeconds: waiting on the server's push answers (HTTP, server work, JSON). */
    pushWaitSeconds: number;
    followingPullSeconds: number;
    followingPullEvents: number;
    target: string;
    pass: boolean;
  };
  pull: {
    serverEvents: number;
    pulled: number;
    unreadable: number;
    eventsInDb: number;
    pullSeconds: number;
    eventsPerSecond: number;
    /** Of pullSeconds: waiting on the server's pull answers (HTTP, server work, JSON parse). */
    pullWaitSeconds: number;
    pages: number;
    /** CPU time used on the machine while the pull ran (all processes, both cores; 2 × pullSeconds is all of it). */
    cpuBusySeconds: number;
    fillServerSeconds: number;
    /** One page of 5,000 fetched, validated and written on its own after the pull (attribution). */
    probe: PullProbe;
    target: string;
    pass: boolean;
  };
}

const seconds = (ms: number) => Math.round(ms) / 1000;

function log(text: string): void {
  console.log(`[sync bench ${new Date().toISOString().slice(11, 19)}] ${text}`);
}

/** Other devices' sales, cloned from a real one, written straight into the server's storage. */
async function fillServer(server: RunningServer, template: LedgerEvent, count: number): Promise<void> {
  const perDevice = 10_000;
  const base = Date.parse(template.recordedAt);
  let rows: EventRow[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const outcomes = await server.storage.appendEvents(rows, new Date().toISOString());
    const refused = outcomes.filter((o) => o.status !== 'accepted');
    if (refused.length > 0) throw new Error(`the server storage refused ${refused.length} generated events: ${JSON.stringify(refused[0])}`);
    rows = [];
  };
  for (let i = 0; i < count; i++) {
    const deviceId = `dev-bench-other-${Math.floor(i / perDevice)}`;
    const seq = (i % perDevice) + 1;
    const wallMs = base + i;
    const event = {
      ...template,
      id: uuidv7(wallMs),
      deviceId,
      seq,
      hlc: encodeHlc({ wallMs, counter: 0, deviceId }),
      recordedAt: new Date(wallMs).toISOString(),
      ...('receiptNo' in template ? { receiptNo: `OTHER-${seq}` } : {}),
    } as LedgerEvent;
    rows.push(eventRowOf(event, canonicalJson(event)));
    if (rows.length === 1000) await flush();
  }
  await flush();
}

export async function run(): Promise<SyncBenchResult> {
  const machine = startMachineRecord();
  const loadBefore = loadavg();
  mkdirSync(tmpRoot, { recursive: true });
  const work = mkdtempSync(path.join(tmpRoot, 'run-'));
  const siteDir = path.join(work, 'site');
  log(`building the bench page (load ${loadBefore.join(' ')})`);
  // The page is built into <site>/bench/ and served by the sync server itself (its static-file
  // handler), on the server's origin like the app. Not through Playwright request routing: with any
  // route installed, every request, the API's POST bodies included, is paused and relayed through
  // the DevTools protocol, which added ~2.5 ms per pushed event (measured) that no real device pays.
  await build({ configFile: false, root: here, base: './', logLevel: 'warn', build: { outDir: path.join(siteDir, 'bench'), emptyOutDir: true, target: 'es2022', sourcemap: false } });

  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: path.join(work, 'server'), staticDir: siteDir, demo: true, logLevel: 'warn' });
  const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    serviceWorkers: 'block',
  });
  try {
    const page = await openBenchPage(context, server.url);
    const chromiumVersion = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));

    // 1. Drain
    const device: PreparedDevice = await call(page, 'prepare', 'perpetua-bench-till', server.url, 'Bench till');
    log(`device ${device.deviceId} paired; recording ${SALES} sales with recordEvent`);
    const recorded: RecordRun = await call(page, 'record', 'perpetua-bench-till', SALES);
    if (recorded.pending !== SALES) throw new Error(`expected ${SALES} pending outbox rows, found ${recorded.pending}`);
    log(`recorded in ${seconds(recorded.recordMs)} s; draining (load ${loadavg().join(' ')})`);
    const drained: DrainRun = await call(page, 'drain', 'perpetua-bench-till');
    const onServer = await countDeviceEvents(server, device.deviceId);
    if (drained.pendingAfter !== 0 || onServer !== SALES) {
      throw new Error(`drain incomplete: ${drained.pendingAfter} still pending, ${onServer} of ${SALES} on the server`);
    }
    log(`drained ${drained.acknowledged} in ${seconds(drained.drainMs)} s (${drained.batches} batches, ${seconds(drained.network.pushMs)} s waiting on pushes)`);

    // 2. Pull into a fresh device
    const existing = await server.storage.countEvents(server.storeId);
    const t0 = performance.now();
    const template = await firstEventOf(server, device.deviceId);
    await fillServer(server, template, Math.max(0, PULL_EVENTS - existing));
    const fillMs = performance.now() - t0;
    const serverEvents = await server.storage.countEvents(server.storeId);
    log(`server holds ${serverEvents} events (filled in ${seconds(fillMs)} s); fresh device pulls (load ${loadavg().join(' ')})`);
    const fresh = await openBenchPage(context, server.url);
    await call(fresh, 'prepare', 'perpetua-bench-fresh', server.url, 'Fresh till');
    const cpuBefore = os.cpus().map((c) => c.times);
    const pulled: PullRun = await call(fresh, 'pull', 'perpetua-bench-fresh');
    const cpuBusyMs = os.cpus().reduce((sum, c, i) => {
      const before = cpuBefore[i];
      return before ? sum + c.times.user - before.user + c.times.sys - before.sys + c.times.nice - before.nice : sum;
    }, 0);
    if (pulled.pulled + pulled.unreadable !== serverEvents) throw new Error(`pulled ${pulled.pulled} (+${pulled.unreadable} unreadable) of ${serverEvents}`);
    log(`pulled ${pulled.pulled} in ${seconds(pulled.pullMs)} s (${pulled.network.pulls} pages, ${seconds(pulled.network.pullMs)} s waiting on the server)`);
    const probe: PullProbe = await call(fresh, 'probe', 'perpetua-bench-fresh', 5000);
    log(`CPU busy during the pull (both cores, every process): ${seconds(cpuBusyMs)} s`);
    log(`the same page by hand: body by text() ${Math.round(probe.viaTextMs)} ms, by blob().text() ${Math.round(probe.viaBlobMs)} ms (fetch and JSON.parse included)`);
    log(`one page of ${probe.events}: fetch ${Math.round(probe.fetchMs)} ms, validate ${Math.round(probe.validateMs)} ms, write ${Math.round(probe.writeMs)} ms (plain IndexedDB: strict ${Math.round(probe.rawStrictMs)} ms, relaxed ${Math.round(probe.rawRelaxedMs)} ms, no secondary index ${Math.round(probe.rawNoIndexMs)} ms)`);

    const result: SyncBenchResult = {
      benchmark: 'sync',
      date: new Date().toISOString(),
      machine: machine.finish(chromiumVersion),
      drain: {
        sales: SALES,
        recordSeconds: seconds(recorded.recordMs),
        recordPerSaleMs: Math.round((recorded.recordMs / SALES) * 1000) / 1000,
        drainSeconds: seconds(drained.drainMs),
        eventsPerSecond: Math.round(drained.acknowledged / (drained.drainMs / 1000)),
        batches: drained.batches,
        acknowledged: drained.acknowledged,
        rejected: drained.rejected,
        pendingAfter: drained.pendingAfter,
        onServer,
        pushWaitSeconds: seconds(drained.network.pushMs),
        followingPullSeconds: seconds(drained.pullAfterMs),
        followingPullEvents: drained.pulledAfter,
        target: `< ${TARGETS.drainSeconds} s`,
        pass: drained.drainMs / 1000 < TARGETS.drainSeconds,
      },
      pull: {
        serverEvents,
        pulled: pulled.pulled,
        unreadable: pulled.unreadable,
        eventsInDb: pulled.eventsInDb,
        pullSeconds: seconds(pulled.pullMs),
        eventsPerSecond: Math.round(pulled.pulled / (pulled.pullMs / 1000)),
        pullWaitSeconds: seconds(pulled.network.pullMs),
        pages: pulled.network.pulls,
        cpuBusySeconds: seconds(cpuBusyMs),
        fillServerSeconds: seconds(fillMs),
        probe,
        target: `< ${TARGETS.pullSeconds} s`,
        pass: pulled.pullMs / 1000 < TARGETS.pullSeconds,
      },
    };
    mkdirSync(path.join(repo, 'bench/results'), { recursive: true });
    writeFileSync(path.join(repo, 'bench/results/sync.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.table([
      { measure: `drain ${SALES} queued sales`, seconds: result.drain.drainSeconds, perSecond: result.drain.eventsPerSecond, target: result.drain.target, pass: result.drain.pass },
      { measure: `pull ${serverEvents} events (fresh device)`, seconds: result.pull.pullSeconds, perSecond: result.pull.eventsPerSecond, target: result.pull.target, pass: result.pull.pass },
      { measure: `record ${SALES} sales (recordEvent)`, seconds: result.drain.recordSeconds, perSecond: Math.round(SALES / result.drain.recordSeconds), target: '', pass: '' },
    ]);
    log(`machine ${result.machine.cpu} × ${result.machine.cores}; ${result.machine.uptimeAfter}`);
    return result;
  } finally {
    await context.close();
    await server.close();
    if (!process.env.BENCH_SYNC_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

async function countDeviceEvents(server: RunningServer, deviceId: string): Promise<number> {
  let after = '0';
  let count = 0;
  for (;;) {
    const page = await server.storage.pullEvents(server.storeId, after, 5000);
    for (const json of page.events) if ((JSON.parse(json) as { deviceId: string }).deviceId === deviceId) count += 1;
    after = page.nextCursor;
    if (!page.hasMore) return count;
  }
}

async function firstEventOf(server: RunningServer, deviceId: string): Promise<LedgerEvent> {
  let after = '0';
  for (;;) {
    const page = await server.storage.pullEvents(server.storeId, after, 5000);
    for (const json of page.events) {
      const event = JSON.parse(json) as LedgerEvent;
      if (event.deviceId === deviceId && event.kind === 'sale') return event;
    }
    after = page.nextCursor;
    if (!page.hasMore) throw new Error(`no sale of ${deviceId} on the server`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
