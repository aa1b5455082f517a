/**
 * Fuzzing the real server process on SQLite (issue 17): 1,500 generated requests against push,
 * pull, enroll and the read endpoints (tests/server/fuzz-requests.ts says which). Properties: no
 * 5xx, every request answered within 10 s, no stored event the domain refuses, the server healthy
 * afterwards (health, and a normal push and pull), and no token or code in its audit log.
 * FUZZ_SEED repeats a run; bench/server/fuzz.bench.ts runs 10,000 and more.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServerProcess, type ServerProcess } from '../sync/server-process.ts';
import { checkAfterFuzz, percentile, runFuzz, type FuzzTarget } from './fuzz-requests.ts';
import { api, enroll } from './harness.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe('fuzzing the server process (SQLite)', () => {
  let dataDir: string;
  let server: ServerProcess;
  let target: FuzzTarget;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'perpetua-fuzz-'));
    server = await startServerProcess({ DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'error' });
    const owner = await enroll(server.url, undefined, 'Owner', 'dev-owner');
    const code = (await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token })).body as { code: string };
    const staff = await enroll(server.url, code.code, 'Till', 'dev-staff');
    target = { url: server.url, owner, staff };
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`answers ${REQUESTS} generated requests with no 5xx and no hang, stores only events the domain accepts, and stays healthy`, async () => {
    const run = await runFuzz(target, { count: REQUESTS, seed: SEED, concurrency: 4, timeoutMs: 10_000 });
    const summary = `seed ${SEED}: ${JSON.stringify(run.statuses)}, p99 ${Math.round(percentile(run.latenciesMs, 0.99))} ms`;
    console.info(`fuzz ${summary}, ${run.accepted} events accepted, ${Math.round(run.durationMs)} ms`);
    expect(run.failures, summary).toEqual([]);
    expect(run.requests).toBe(REQUESTS);
    // The generator reaches the routes' refusals and also stores things.
    expect(run.accepted, summary).toBeGreaterThan(0);
    for (const status of ['200', '400', '401', '403', '413', '422']) expect(run.statuses[status] ?? 0, `${summary}: some ${status}`).toBeGreaterThan(0);

    const after = await checkAfterFuzz(target, 9_000_001);
    expect(after.unparsable, summary).toEqual([]);
    expect(after.rejectedByBooks, summary).toEqual([]);
    expect(after.healthy).toBe(true);
    expect(after.roundTrip).toBe(true);
    // Whatever was accepted is there, next to the demo store's seed, and nothing else.
    const seedEvents = after.storedEvents - run.accepted - 1;
    expect(seedEvents, summary).toBeGreaterThan(0);
    const pulledAgain = await checkAfterFuzz(target, 9_000_002);
    expect(pulledAgain.storedEvents).toBe(after.storedEvents + 1);

    const audit = readFileSync(join(dataDir, 'audit.log'), 'utf8');
    expect(audit).toContain('"event":"enrollment-refused"');
    expect(audit).toContain('"event":"request-refused"');
    for (const secret of [target.owner.token, target.staff.token, 'pdt_']) expect(audit).not.toContain(secret);
  }, 120_000);
});
