/**
 * Fault tests with real processes and sockets: the server SIGKILLed in the middle of a push batch,
 * a server answering 500s or hanging. The client is the app's real sync code on its real database
 * schema (fake-indexeddb in Node).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSyncStatus, startSyncScheduler, syncOnce } from '../../src/sync/index.ts';
import { enroll, pullAllEvents, rawPost, startTestServer } from '../server/harness.ts';
import { createTestDevice, queueOfflineSales } from './device.ts';
import { freePort, startServerProcess, type ServerProcess } from './server-process.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpetua-fault-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The real server as its own process on a fresh data directory, and a till paired with it. */
async function tillOnServerProcess() {
  const env = { DATA_DIR: tempDir(), PORT: String(await freePort()) };
  const server = await startServerProcess(env);
  try {
    const owner = await enroll(server.url, undefined, 'Till', 'dev-till');
    const device = await createTestDevice({ deviceId: owner.deviceId, storeId: owner.storeId, token: owner.token, serverUrl: server.url });
    return { env, server, owner, device };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

describe('server stopped with SIGTERM while a push batch is arriving', () => {
  it('finishes that batch, answers it, exits 0, and the batch is there after a restart', async () => {
    const { env, owner, device, ...started } = await tillOnServerProcess();
    let server: ServerProcess = started.server;
    try {
      const events = await queueOfflineSales(device, 200);
      device.close();
      const body = JSON.stringify({ events });
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${owner.token}` };
      const reply = rawPost(`${server.url}/api/v1/sync/push`, headers, (req) => {
        // Half the body, then the signal, then the rest: the batch is in flight when shutdown starts.
        req.write(body.slice(0, 2000));
        setTimeout(() => {
          server.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(2000)), 200);
        }, 200);
      });
      const res = await reply;
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ accepted: 200 });
      expect(await server.exited).toBe('0');

      server = await startServerProcess(env);
      const stored = await pullAllEvents(server.url, owner.token, 5000);
      expect(stored.filter((e) => e.deviceId === owner.deviceId).map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    } finally {
      await server.stop();
    }
  }, 90_000);
});

describe('server killed with SIGKILL in the middle of a push batch', () => {
  it('after a restart every event arrives exactly once', async () => {
    const { env, owner, device, ...started } = await tillOnServerProcess();
    let server: ServerProcess = started.server;
    try {
      const events = await queueOfflineSales(device, 6000);

      // Kill the server while the second batch is on the wire: its request has been sent, and the
      // first batch has been acknowledged.
      let pushes = 0;
      let killedDuringPush = false;
      const killingFetch: typeof fetch = async (input, init) => {
        const isPush = String(input).includes('/sync/push');
        if (isPush) pushes += 1;
        const reply = fetch(input, init);
        if (isPush && pushes === 2) {
          setTimeout(() => {
            killedDuringPush = true;
            server.child.kill('SIGKILL');
          }, 15);
        }
        return reply;
      };
      await expect(syncOnce(device.db, { fetch: killingFetch, pushBatchSize: 1000, broadcast: false })).rejects.toThrow();
      expect(killedDuringPush).toBe(true);
      expect(await server.exited).toBe('SIGKILL');
      const pendingAfterCrash = (await readSyncStatus(device.db)).pending;
      expect(pendingAfterCrash).toBeGreaterThan(0);
      expect(pendingAfterCrash).toBeLessThanOrEqual(5000);

      server = await startServerProcess(env);
      const report = await syncOnce(device.db, { pushBatchSize: 1000, broadcast: false });
      expect(report.pending).toBe(0);
      const stored = await pullAllEvents(server.url, owner.token, 5000);
      const mine = stored.filter((e) => e.deviceId === owner.deviceId).map((e) => e.id);
      expect(mine).toHaveLength(6000);
      expect(new Set(mine).size).toBe(6000);
      expect(mine.sort()).toEqual(events.map((e) => e.id).sort());
      device.close();
    } finally {
      await server.stop();
    }
  }, 90_000);
});

/** A proxy in front of the real server that fails on command: HTTP 500s, or accepting and hanging. */
async function startFaultyProxy(targetUrl: string) {
  const plan: ('500' | 'hang' | 'pass')[] = [];
  const hung: { destroy(): void }[] = [];
  const target = new URL(targetUrl);
  const proxy: Server = createServer((req, res) => {
    const mode = req.url?.startsWith('/api/v1/sync/') ? (plan.shift() ?? 'pass') : 'pass';
    if (mode === '500') {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"Simulated server failure"}');
      return;
    }
    if (mode === 'hang') {
      req.resume();
      hung.push(res.socket ?? res);
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    plan,
    close: async () => {
      for (const socket of hung) socket.destroy();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

describe('server answering 500s or hanging', () => {
  it('the client backs off with growing, jittered delays and later delivers everything', async () => {
    const server = await startTestServer({ dataDir: tempDir(), demo: true });
    const proxy = await startFaultyProxy(server.url);
    try {
      const owner = await enroll(server.url, undefined, 'Till', 'dev-till');
      const device = await createTestDevice({ deviceId: owner.deviceId, storeId: owner.storeId, token: owner.token, serverUrl: proxy.url });
      const events = await queueOfflineSales(device, 120);
      proxy.plan.push('500', '500', 'hang', '500', 'hang');

      const attempts: { ok: boolean; retryInMs?: number; at: number }[] = [];
      const done = new Promise<void>((resolve) => {
        const scheduler = startSyncScheduler(device.db, {
          broadcast: false,
          timeoutMs: 300,
          backoff: { baseMs: 40, maxMs: 2000 },
          random: () => 0.75,
          idleIntervalMs: 60_000,
          pushBatchSize: 50,
          events: new EventTarget(),
          onAttempt: (outcome) => {
            attempts.push({ ok: outcome.ok, at: performance.now(), ...(outcome.ok ? {} : { retryInMs: outcome.retryInMs }) });
            if (outcome.ok) {
              scheduler.stop();
              resolve();
            }
          },
        });
      });
      await done;
      // Five failures, each waiting longer than the last (0.75 × 40, 80, 160, 320, 640 ms), then success.
      expect(attempts.map((a) => a.ok)).toEqual([false, false, false, false, false, true]);
      expect(attempts.slice(0, 5).map((a) => a.retryInMs)).toEqual([30, 60, 120, 240, 480]);
      const status = await readSyncStatus(device.db);
      expect(status).toMatchObject({ pending: 0, lastSyncError: null });
      const stored = (await pullAllEvents(server.url, owner.token)).filter((e) => e.deviceId === owner.deviceId);
      expect(stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
      device.close();
    } finally {
      await proxy.close();
      await server.close();
    }
  }, 60_000);
});
