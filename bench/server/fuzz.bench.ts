/**
 * Server fuzz at size (issue 17): `npx tsx bench/server/fuzz.bench.ts`, or `npm run bench`
 * (BENCH_ONLY=fuzz). The generated requests of tests/server/fuzz-requests.ts (malformed JSON, wrong
 * types, huge numbers, deep nesting, prototype keys, other stores' and devices' ids, odd query
 * parameters, valid events with one field broken, valid events) against the real server process on
 * SQLite, 4 at a time; then every stored event is checked against the domain and a normal push and
 * pull must still work. Writes bench/results/server-fuzz.json: requests, status histogram, p50/p99
 * latency, duration, and the machine's load before and after.
 *
 * BENCH_FUZZ_REQUESTS (10,000) sets the size, BENCH_FUZZ_SEED repeats a run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkAfterFuzz, percentile, runFuzz } from '../../tests/server/fuzz-requests.ts';
import { api, enroll } from '../../tests/server/harness.ts';
import { freePort, startServerProcess } from '../../tests/sync/server-process.ts';

const REQUESTS = Number(process.env.BENCH_FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.BENCH_FUZZ_SEED ?? 17);
const CONCURRENCY = 4;
const TIMEOUT_MS = 10_000;

export interface FuzzBenchResult {
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadBefore: number[]; loadAfter: number[] };
  seed: number;
  requests: number;
  concurrency: number;
  statuses: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
  durationMs: number;
  requestsPerSecond: number;
  acceptedEvents: number;
  storedEvents: number;
  failures: number;
  unparsableStored: number;
  rejectedByBooks: number;
  healthyAfter: boolean;
  roundTripAfter: boolean;
  pass: boolean;
}

export async function run(): Promise<FuzzBenchResult> {
  const loadBefore = os.loadavg();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'perpetua-fuzz-bench-'));
  const server = await startServerProcess({ DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'error' });
  try {
    const owner = await enroll(server.url, undefined, 'Owner', 'dev-owner');
    const code = (await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string };
    const staff = await enroll(server.url, code.code, 'Till', 'dev-staff');
    const target = { url: server.url, owner, staff };
    const fuzz = await runFuzz(target, { count: REQUESTS, seed: SEED, concurrency: CONCURRENCY, timeoutMs: TIMEOUT_MS });
    const after = await checkAfterFuzz(target, 9_000_001);
    const cpus = os.cpus();
    const result: FuzzBenchResult = {
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}`, loadBefore, loadAfter: os.loadavg() },
      seed: SEED,
      requests: fuzz.requests,
      concurrency: CONCURRENCY,
      statuses: Object.fromEntries(Object.entries(fuzz.statuses).sort(([a], [b]) => Number(a) - Number(b))),
      latencyMs: {
        p50: Math.round(percentile(fuzz.latenciesMs, 0.5) * 10) / 10,
        p99: Math.round(percentile(fuzz.latenciesMs, 0.99) * 10) / 10,
        max: Math.round(Math.max(...fuzz.latenciesMs)),
      },
      durationMs: Math.round(fuzz.durationMs),
      requestsPerSecond: Math.round(fuzz.requests / (fuzz.durationMs / 1000)),
      acceptedEvents: fuzz.accepted,
      storedEvents: after.storedEvents,
      failures: fuzz.failures.length,
      unparsableStored: after.unparsable.length,
      rejectedByBooks: after.rejectedByBooks.length,
      healthyAfter: after.healthy,
      roundTripAfter: after.roundTrip,
      pass: fuzz.failures.length === 0 && after.unparsable.length === 0 && after.rejectedByBooks.length === 0 && after.healthy && after.roundTrip,
    };
    const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results/server-fuzz.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.table({ requests: result.requests, 'p50 ms': result.latencyMs.p50, 'p99 ms': result.latencyMs.p99, 'duration ms': result.durationMs, failures: result.failures, pass: result.pass });
    console.log('statuses', result.statuses);
    for (const failure of fuzz.failures.slice(0, 5)) console.log('failure', JSON.stringify(failure).slice(0, 800));
    console.log(`results written to ${path.relative(process.cwd(), out)}`);
    return result;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  if (!result.pass) process.exitCode = 1;
}
