/**
 * Server ingest benchmark (issue 5): run with `npx tsx bench/server/ingest.bench.ts`, or import
 * `run()` from bench/run-all.ts. Writes bench/results/server.json and prints a table.
 *
 * For each engine (SQLite always; PostgreSQL when TEST_DATABASE_URL or DATABASE_URL is set):
 * 1. API ingest: the real server in its own process (node, loopback), a bounded load generator
 *    sending pre-serialised batches of 100 sale events over a few keep-alive connections.
 *    Every event goes through auth, JSON parsing, domain validation, canonical JSON, a durable
 *    transaction (SQLite synchronous=FULL) and the per-event reply.
 * 2. Raw insert: the same rows straight into the same kind of database, in transactions of 100,
 *    in this process: the ceiling the API is measured against.
 * 3. Pull: all ingested events back through GET /api/v1/sync/pull in pages of 5,000.
 *
 * Targets: >= 15,000 events/s through the API on SQLite; pull of 100,000 events < 5 s.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { canonicalJson } from '../../src/server/canonical-json.ts';
import { PostgresStore } from '../../src/server/storage/postgres.ts';
import { saleEvent } from '../../tests/server/fixtures.ts';
import { startServerProcess } from '../../tests/sync/server-process.ts';

const EVENTS = Number(process.env.BENCH_SERVER_EVENTS ?? 100_000);
const BATCH = 100;
const CONNECTIONS = 8;
const TARGET_API_EPS_SQLITE = 15_000;
const TARGET_PULL_MS = 5_000;

interface EngineResult {
  engine: 'sqlite' | 'postgres';
  events: number;
  batch: number;
  connections: number;
  api: { ms: number; eventsPerSecond: number; p50BatchMs: number; p99BatchMs: number };
  raw: { ms: number; eventsPerSecond: number };
  apiOverRaw: number;
  pull: { events: number; ms: number; pageSize: number; pass: boolean };
  target?: { apiEventsPerSecond: number; pass: boolean };
}

export interface ServerBenchResult {
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  results: EngineResult[];
}

const STORE = 'demo-store';
const DEVICE = 'bench-device';

function makeBodies(deviceId: string): string[] {
  const bodies: string[] = [];
  for (let seq = 1; seq <= EVENTS; seq += BATCH) {
    const events = Array.from({ length: Math.min(BATCH, EVENTS - seq + 1) }, (_, i) =>
      saleEvent({ storeId: STORE, deviceId, seq: seq + i, productId: `p-${(seq + i) % 500}` }),
    );
    bodies.push(JSON.stringify({ events }));
  }
  return bodies;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function measureApi(url: string, bodies: string[]) {
  const enroll = await fetch(`${url}/api/v1/devices/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deviceName: 'Bench', deviceId: DEVICE }),
  });
  const { token } = (await enroll.json()) as { token: string };
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const t0 = performance.now();
        const res = await fetch(`${url}/api/v1/sync/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
        });
        const reply = (await res.json()) as { accepted?: number };
        if (res.status !== 200 || reply.accepted !== BATCH) throw new Error(`push failed: ${res.status} ${JSON.stringify(reply).slice(0, 200)}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const ms = performance.now() - started;
  latencies.sort((a, b) => a - b);

  const pullStarted = performance.now();
  let cursor = '0';
  let pulled = 0;
  for (;;) {
    const res = await fetch(`${url}/api/v1/sync/pull?after=${cursor}&limit=5000`, { headers: { authorization: `Bearer ${token}` } });
    const page = (await res.json()) as { events: { deviceId: string }[]; cursor: string; hasMore: boolean };
    pulled += page.events.filter((e) => e.deviceId === DEVICE).length;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const pullMs = performance.now() - pullStarted;
  return {
    api: { ms: Math.round(ms), eventsPerSecond: Math.round((EVENTS / ms) * 1000), p50BatchMs: +percentile(latencies, 0.5).toFixed(1), p99BatchMs: +percentile(latencies, 0.99).toFixed(1) },
    pull: { events: pulled, ms: Math.round(pullMs), pageSize: 5000, pass: pulled === EVENTS && pullMs < TARGET_PULL_MS },
  };
}

function rowsFor(deviceId: string) {
  return Array.from({ length: EVENTS }, (_, i) => {
    const event = saleEvent({ storeId: STORE, deviceId, seq: i + 1, productId: `p-${(i + 1) % 500}` });
    return [event.id, event.storeId, event.deviceId, event.seq, event.hlc, event.kind, canonicalJson(event)] as const;
  });
}

function rawSqlite(dir: string): { ms: number; eventsPerSecond: number } {
  const db = new Database(path.join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, store_id TEXT NOT NULL,
    device_id TEXT NOT NULL, device_seq INTEGER NOT NULL, hlc TEXT NOT NULL, kind TEXT NOT NULL, json TEXT NOT NULL,
    received_at TEXT NOT NULL, UNIQUE (device_id, device_seq))`);
  const insert = db.prepare('INSERT INTO events (id, store_id, device_id, device_seq, hlc, kind, json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const rows = rowsFor('raw-device');
  const insertBatch = db.transaction((batch: typeof rows) => {
    for (const row of batch) insert.run(...row, 'now');
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) insertBatch(rows.slice(i, i + BATCH));
  const ms = performance.now() - started;
  db.close();
  return { ms: Math.round(ms), eventsPerSecond: Math.round((EVENTS / ms) * 1000) };
}

async function rawPostgres(url: string, schema: string): Promise<{ ms: number; eventsPerSecond: number }> {
  const store = new PostgresStore({ connectionString: url, schema });
  await store.migrate();
  await store.close();
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS, options: `-c search_path=${schema}` });
  const rows = rowsFor('raw-device');
  const batches: (typeof rows)[] = [];
  for (let i = 0; i < rows.length; i += BATCH) batches.push(rows.slice(i, i + BATCH));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as typeof rows;
        const values: unknown[] = [];
        const tuples = batch.map((row, r) => {
          values.push(...row, 'now');
          return `(${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(',')})`;
        });
        await pool.query(`INSERT INTO events (id, store_id, device_id, device_seq, hlc, kind, json, received_at) VALUES ${tuples.join(',')}`, values);
      }
    }),
  );
  const ms = performance.now() - started;
  await pool.end();
  return { ms: Math.round(ms), eventsPerSecond: Math.round((EVENTS / ms) * 1000) };
}

async function benchEngine(engine: 'sqlite' | 'postgres', databaseUrl?: string): Promise<EngineResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perpetua-bench-'));
  const schema = `bench_${Date.now().toString(36)}`;
  const env: Record<string, string> = { PORT: '0', LOG_LEVEL: 'warn', PERPETUA_DEMO: '1', DATA_DIR: dir };
  if (engine === 'postgres' && databaseUrl) Object.assign(env, { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema });
  const bodies = makeBodies(DEVICE);
  const server = await startServerProcess(env);
  try {
    const measured = await measureApi(server.url, bodies);
    await server.stop();
    const raw = engine === 'sqlite' ? rawSqlite(dir) : await rawPostgres(databaseUrl ?? '', `${schema}_raw`);
    const result: EngineResult = {
      engine,
      events: EVENTS,
      batch: BATCH,
      connections: CONNECTIONS,
      ...measured,
      raw,
      apiOverRaw: +(measured.api.eventsPerSecond / raw.eventsPerSecond).toFixed(2),
    };
    if (engine === 'sqlite') result.target = { apiEventsPerSecond: TARGET_API_EPS_SQLITE, pass: measured.api.eventsPerSecond >= TARGET_API_EPS_SQLITE };
    return result;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'postgres' && databaseUrl) {
      for (const s of [schema, `${schema}_raw`]) {
        const store = new PostgresStore({ connectionString: databaseUrl, schema: s });
        await store.dropSchema();
        await store.close();
      }
    }
  }
}

export async function run(): Promise<ServerBenchResult> {
  const results: EngineResult[] = [await benchEngine('sqlite')];
  const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (databaseUrl) results.push(await benchEngine('postgres', databaseUrl));
  const cpus = os.cpus();
  const result: ServerBenchResult = {
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` },
    results,
  };
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results/server.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.table(
    results.map((r) => ({
      engine: r.engine,
      'API events/s': r.api.eventsPerSecond,
      'raw events/s': r.raw.eventsPerSecond,
      'API/raw': r.apiOverRaw,
      'p50 batch ms': r.api.p50BatchMs,
      'p99 batch ms': r.api.p99BatchMs,
      [`pull ${r.pull.events} ms`]: r.pull.ms,
    })),
  );
  console.log(`results written to ${path.relative(process.cwd(), out)}`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
}
