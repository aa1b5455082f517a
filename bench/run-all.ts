/**
 * `npm run bench`: every benchmark in sequence (they share a 2-core machine, so never in parallel),
 * each writing its own bench/results/*.json:
 *   1. bench/domain/fold.bench.ts   → domain.json (ledger fold, append, late insert; Node)
 *   2. bench/server/ingest.bench.ts → server.json (API ingest vs raw SQLite/PostgreSQL; Node)
 *   3. bench/app/app.bench.ts       → app.json    (Chromium: import, lookup, sale, app start, payload)
 *   4. bench/sync/drain.bench.ts    → sync.json   (Chromium: drain, first pull)
 *   5. bench/owner/owner.bench.ts   → owner.json  (the owner's Today figures on a year of 1M events; Node)
 *   6. bench/forecast/forecast.bench.ts → forecast.json (forecast accuracy, inventory simulation, speed; Node)
 *   7. bench/server/fuzz.bench.ts   → server-fuzz.json (10,000 generated requests against the server process; Node)
 *   8. bench/sync/newdevice.bench.ts → newdevice.json (Chromium: a new device in a store of 1M events, to correct stock)
 *   9. bench/server/compression.bench.ts → compression.json (pull pages per encoding and level, dist/ bytes; Node)
 *  10. bench/lighthouse/lighthouse.bench.ts + repeat-load.bench.ts + first-start-tasks.bench.ts → lighthouse.json,
 *      repeat-load.json, first-start-tasks.json
 *      (`firstload`, issue 19: Lighthouse first loads, mobile and desktop; repeat load from the service worker;
 *      the main thread's tasks of a phone's first start)
 *
 * Sizes shrink with env knobs (BENCH_SERVER_EVENTS, BENCH_APP_*, BENCH_FUZZ_REQUESTS, BENCH_COMPRESSION_EVENTS; see each file), e.g. a quick pass:
 *   BENCH_SERVER_EVENTS=20000 BENCH_APP_PRODUCTS=20000 npm run bench
 * BENCH_ONLY=domain,server,app,sync,owner,forecast,fuzz,newdevice,compression,firstload runs a subset.
 */
import os from 'node:os';

const only = new Set((process.env.BENCH_ONLY ?? 'domain,server,app,sync,owner,forecast,fuzz,newdevice,compression,firstload').split(',').map((s) => s.trim()));
const started = Date.now();
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const summary: { bench: string; seconds: number; loadAfter: string }[] = [];

async function step(name: string, body: () => Promise<unknown>): Promise<void> {
  if (!only.has(name)) return;
  const t0 = Date.now();
  console.log(`\n=== ${name} benchmark (load ${loadavg()}) ===`);
  await body();
  summary.push({ bench: name, seconds: Math.round((Date.now() - t0) / 100) / 10, loadAfter: loadavg() });
}

await step('domain', async () => (await import('./domain/fold.bench.ts')).run());
await step('server', async () => (await import('./server/ingest.bench.ts')).run());
await step('app', async () => (await import('./app/app.bench.ts')).run());
await step('sync', async () => (await import('./sync/drain.bench.ts')).run());
await step('owner', async () => (await import('./owner/owner.bench.ts')).run());
await step('forecast', async () => (await import('./forecast/forecast.bench.ts')).run());
await step('fuzz', async () => (await import('./server/fuzz.bench.ts')).run());
await step('newdevice', async () => (await import('./sync/newdevice.bench.ts')).run());
await step('compression', async () => (await import('./server/compression.bench.ts')).run());
await step('firstload', async () => {
  await (await import('./lighthouse/lighthouse.bench.ts')).run();
  await (await import('./lighthouse/repeat-load.bench.ts')).run();
  await (await import('./lighthouse/first-start-tasks.bench.ts')).run();
});

console.log(`\nall benchmarks done in ${Math.round((Date.now() - started) / 1000)} s on ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}`);
console.table(summary);
