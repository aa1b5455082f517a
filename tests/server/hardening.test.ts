/**
 * Server hardening (issue 17), read from real responses of the real server on loopback: security
 * headers on every kind of response, HSTS only over HTTPS or a trusted proxy, pairing-code guesses
 * limited per address and per code, slow clients answered 408 with nothing stored, deep JSON 400,
 * prototype keys harmless, and the audit log's lines (with no secret in the file).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createFileAuditLog } from '../../src/server/log.ts';
import type { RunningServer, ServerOptions } from '../../src/server/server.ts';
import { saleEvent } from './fixtures.ts';
import { api, enroll, enrollDevices, pullAllEvents, startTestServer, type EnrolledDevice } from './harness.ts';
import { engines } from './storage-engines.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request with full control: the source address (127.0.0.x), any headers, TLS. */
function send(
  url: string,
  init: { method?: string; headers?: OutgoingHttpHeaders; body?: string; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const options = {
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(init.localAddress ? { localAddress: init.localAddress } : {}),
      ...(target.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
    };
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Writes raw bytes on a TCP connection and collects everything until the server closes it. */
function rawExchange(port: number, steps: { write: string; afterMs?: number }[], giveUpMs: number): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timers: NodeJS.Timeout[] = [];
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${giveUpMs} ms; got so far: ${text}`));
    }, giveUpMs);
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      for (const timer of timers) clearTimeout(timer);
      resolve({ text, ms: performance.now() - started });
    });
    socket.on('connect', () => {
      let at = 0;
      for (const step of steps) {
        at += step.afterMs ?? 0;
        timers.push(setTimeout(() => socket.writable && socket.write(step.write), at));
      }
    });
  });
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'perpetua-harden-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function expectSecurityHeaders(res: RawResponse, what: string): void {
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp, what).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("connect-src 'self'");
  expect(csp, what).not.toContain('unsafe-inline');
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers['referrer-policy'], what).toBe('no-referrer');
}

for (const engine of engines()) {
  describe(`hardening on ${engine.name}`, () => {
    const servers: RunningServer[] = [];
    async function start(options: ServerOptions = {}): Promise<RunningServer> {
      const server = await startTestServer({ ...engine.serverOptions(), ...options });
      servers.push(server);
      return server;
    }
    afterEach(async () => {
      for (const server of servers.splice(0)) await server.close();
    });
    afterAll(async () => {
      await engine.cleanup();
    });

    describe('security headers', () => {
      it('are on API replies, errors, the app’s files, its 404s, the setup page and its styles', async () => {
        const root = tempDir();
        const dist = join(root, 'dist');
        mkdirSync(join(dist, 'assets'), { recursive: true });
        writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Perpetua</title><script type="module" src="/assets/app.js"></script>');
        writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
        const server = await start({ staticDir: dist });
        const responses: [string, RawResponse, number][] = [
          ['health', await send(`${server.url}/api/health`), 200],
          ['401', await send(`${server.url}/api/v1/me`), 401],
          ['API 404', await send(`${server.url}/api/v1/nothing`), 404],
          ['405', await send(`${server.url}/api/v1/me`, { method: 'DELETE' }), 405],
          ['bad JSON', await send(`${server.url}/api/v1/devices/enroll`, { body: '{' }), 400],
          ['preflight', await send(`${server.url}/api/v1/sync/push`, { method: 'OPTIONS' }), 204],
          ['index.html', await send(`${server.url}/`), 200],
          ['asset', await send(`${server.url}/assets/app.js`), 200],
          ['static 404', await send(`${server.url}/missing.png`), 404],
          ['setup page', await send(`${server.url}/setup`), 200],
          ['setup styles', await send(`${server.url}/setup/setup.css`), 200],
          ['no store CA', await send(`${server.url}/setup/store-ca.crt`), 404],
        ];
        for (const [what, res, status] of responses) {
          expect(res.status, what).toBe(status);
          expectSecurityHeaders(res, what);
          expect(res.headers['strict-transport-security'], `${what} over plain HTTP`).toBeUndefined();
        }
        const setup = responses.find(([what]) => what === 'setup page')?.[1];
        // Nothing inline for the CSP to refuse: no <script> without src, no <style>, no style="…".
        expect(setup?.text).not.toMatch(/<script(?![^>]*\ssrc=)/i);
        expect(setup?.text).not.toMatch(/<style|\sstyle=/i);
        expect(setup?.text).toContain('<link rel="stylesheet" href="/setup/setup.css">');
        expect(responses.find(([what]) => what === 'setup styles')?.[1].headers['content-type']).toMatch(/^text\/css/);
      });

      it('an API server without the app still answers unknown paths with the headers', async () => {
        const server = await start();
        const res = await send(`${server.url}/anything`);
        expect(res.status).toBe(404);
        expectSecurityHeaders(res, 'no static dir');
      });

      it('Strict-Transport-Security over the HTTPS listener only, and through a proxy only when it is trusted', async () => {
        const dataDir = tempDir();
        const server = await start({ dataDir, https: { port: 0, names: () => ({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }) } });
        const overTls = await send(`https://127.0.0.1:${server.https?.port}/api/health`);
        expect(overTls.status).toBe(200);
        expectSecurityHeaders(overTls, 'https');
        expect(overTls.headers['strict-transport-security']).toBe('max-age=31536000');
        // localhost keeps the app on plain HTTP on this computer: no HSTS for that name.
        const overTlsLocalhost = await send(`https://127.0.0.1:${server.https?.port}/api/health`, { headers: { host: `localhost:${server.https?.port}` } });
        expect(overTlsLocalhost.headers['strict-transport-security']).toBeUndefined();
        // Plain HTTP claiming a TLS proxy in front, but nobody said to trust one.
        const claimed = await send(`${server.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
        expect(claimed.headers['strict-transport-security']).toBeUndefined();

        const proxied = await start({ trustProxy: true });
        expect((await send(`${proxied.url}/api/health`, { headers: { 'x-forwarded-proto': 'https' } })).headers['strict-transport-security']).toBe('max-age=31536000');
        expect((await send(`${proxied.url}/api/health`, { headers: { 'x-forwarded-proto': 'http' } })).headers['strict-transport-security']).toBeUndefined();
        expect((await send(`${proxied.url}/api/health`)).headers['strict-transport-security']).toBeUndefined();
      });
    });

    describe('pairing-code guesses', () => {
      const wrongCode = (i: number) => `ZZZZ-${String(1000 + i).slice(-4)}`;
      const tryCode = (server: RunningServer, code: string, init: { localAddress?: string; headers?: OutgoingHttpHeaders } = {}) =>
        send(`${server.url}/api/v1/devices/enroll`, { body: JSON.stringify({ pairingCode: code, deviceName: 'Guesser' }), ...init });

      it('the 11th wrong code from one address is refused with 429 and Retry-After; other addresses are not', async () => {
        const server = await start({ demo: false });
        for (let i = 0; i < 10; i += 1) {
          const res = await tryCode(server, wrongCode(i));
          expect(res.status, `attempt ${i + 1}`).toBe(401);
        }
        const blocked = await tryCode(server, wrongCode(10));
        expect(blocked.status).toBe(429);
        const retryAfter = Number(blocked.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        expect(retryAfter).toBeGreaterThan(14 * 60); // the first failure was moments ago
        const body = JSON.parse(blocked.text) as { error: string; reason: string; retryAfterSeconds: number };
        expect(body.reason).toBe('too-many-attempts');
        expect(body.retryAfterSeconds).toBe(retryAfter);
        expectSecurityHeaders(blocked, '429');
        expect(body.error).toMatch(/^Too many wrong pairing codes from this address: 10 in 15 minutes\. Try again in 1[45] minutes/);
        // The right code from the blocked address waits too (the address is what is limited) ...
        const setupCode = server.setupCode ?? '';
        expect((await tryCode(server, setupCode)).status).toBe(429);
        // ... while another address on this machine still pairs with it.
        const owner = await tryCode(server, setupCode, { localAddress: '127.0.0.2' });
        expect(owner.status).toBe(201);
      });

      it('one code guessed from many addresses is capped too (per code)', async () => {
        const server = await start({ demo: false });
        const code = 'QQQQ-7777';
        for (let i = 0; i < 10; i += 1) {
          expect((await tryCode(server, code, { localAddress: `127.0.0.${10 + i}` })).status, `address ${i}`).toBe(401);
        }
        const blocked = await tryCode(server, code.toLowerCase().replace('-', ''), { localAddress: '127.0.0.30' });
        expect(blocked.status).toBe(429);
        expect(JSON.parse(blocked.text)).toMatchObject({ error: expect.stringMatching(/^Too many wrong pairing codes for this code/) });
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
        // A different code from that address is answered normally.
        expect((await tryCode(server, 'QQQQ-8888', { localAddress: '127.0.0.30' })).status).toBe(401);
      });

      it('behind a trusted proxy the client address comes from X-Forwarded-For; without trust the header is ignored', async () => {
        const proxied = await start({ demo: false, trustProxy: true });
        // Many clients behind one proxy socket: no single one is limited ...
        for (let i = 0; i < 12; i += 1) {
          expect((await tryCode(proxied, wrongCode(i), { headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } })).status).toBe(401);
        }
        // ... but one client is, whatever it claims before the proxy's own entry.
        for (let i = 0; i < 10; i += 1) {
          const res = await tryCode(proxied, wrongCode(20 + i), { headers: { 'x-forwarded-for': `10.9.9.${i}, 198.51.100.7` } });
          expect(res.status).toBe(401);
        }
        expect((await tryCode(proxied, wrongCode(40), { headers: { 'x-forwarded-for': '198.51.100.7' } })).status).toBe(429);

        const direct = await start({ demo: false });
        for (let i = 0; i < 10; i += 1) {
          expect((await tryCode(direct, wrongCode(i), { headers: { 'x-forwarded-for': `203.0.113.${i + 1}` } })).status).toBe(401);
        }
        expect((await tryCode(direct, wrongCode(10), { headers: { 'x-forwarded-for': '203.0.113.99' } })).status).toBe(429);
      });

      it('a demo server behind a trusted proxy does not take every client for the server’s own computer', async () => {
        const proxied = await start({ demo: true, trustProxy: true });
        const lan = await api(proxied.url, '/api/v1/enrollment');
        expect(lan.body).toEqual({ demo: true, codeless: true }); // no header: the socket (loopback) counts
        const remote = await send(`${proxied.url}/api/v1/enrollment`, { headers: { 'x-forwarded-for': '192.0.2.10' } });
        expect(JSON.parse(remote.text)).toEqual({ demo: true, codeless: false });
        const codeless = await send(`${proxied.url}/api/v1/devices/enroll`, { body: JSON.stringify({ deviceName: 'Stranger' }), headers: { 'x-forwarded-for': '192.0.2.10' } });
        expect(codeless.status).toBe(400);
      });
    });

    describe('slow clients and odd bodies', () => {
      const timeouts = { headersMs: 400, requestMs: 2500, bodyIdleMs: 400 };

      it('headers that never finish are answered 408 and the connection closed', async () => {
        const server = await start({ timeouts });
        const { text, ms } = await rawExchange(
          server.port,
          [{ write: 'POST /api/v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\n' }, { write: 'X-Slow: 1\r\n', afterMs: 150 }],
          5000,
        );
        expect(text).toMatch(/^HTTP\/1\.1 408 /);
        expect(text).toMatch(/content-security-policy: /i);
        expect(text).toContain('stored nothing');
        expect(ms).toBeLessThan(3000);
      });

      it('a connection that never sends a byte (a browser\'s spare one) is closed quietly: no answer, no audit line', async () => {
        const dir = tempDir();
        const auditPath = join(dir, 'logs', 'audit.log');
        const auditLog = createFileAuditLog(auditPath);
        try {
          const server = await start({ timeouts, auditLog });
          const idle = await rawExchange(server.port, [], 5000);
          expect(idle.text).toBe('');
          expect(idle.ms).toBeLessThan(3000);
          // A request that did start and stalled is still refused, answered and audited.
          const slow = await rawExchange(server.port, [{ write: 'GET /api/health HTTP/1.1\r\n' }], 5000);
          expect(slow.text).toMatch(/^HTTP\/1\.1 408 /);
          await server.close();
          const refusals = readFileSync(auditPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'request-refused');
          expect(refusals).toEqual([expect.objectContaining({ status: 408, reason: 'ERR_HTTP_REQUEST_TIMEOUT' })]);
        } finally {
          auditLog.close();
        }
      });

      it('a body that stops arriving is answered 408 and nothing of it is stored', async () => {
        const server = await start({ timeouts });
        const [owner] = (await enrollDevices(server, 1)) as [EnrolledDevice];
        const body = JSON.stringify({ events: [saleEvent({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1 })] });
        const head = `POST /api/v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${owner.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
        const { text } = await rawExchange(server.port, [{ write: head + body.slice(0, 40) }], 5000);
        expect(text).toMatch(/^HTTP\/1\.1 408 /);
        expect(text).toContain('The request body stopped arriving');
        expect(await pullAllEvents(server.url, owner.token)).toEqual([]);
      });

      it('a body trickled slower than the request timeout is answered 408 and nothing is stored', async () => {
        const server = await start({ timeouts });
        const [owner] = (await enrollDevices(server, 1)) as [EnrolledDevice];
        const body = JSON.stringify({ events: [saleEvent({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1 })] });
        const head = `POST /api/v1/sync/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${owner.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
        // A byte every 200 ms: never idle long enough for the body timeout, far too slow in total.
        const steps = [{ write: head }, ...Array.from({ length: 40 }, (_, i) => ({ write: body.charAt(i), afterMs: 200 }))];
        const { text, ms } = await rawExchange(server.port, steps, 8000);
        expect(text).toMatch(/^HTTP\/1\.1 408 /);
        expect(ms).toBeLessThan(6000);
        expect(await pullAllEvents(server.url, owner.token)).toEqual([]);
        expect((await api(server.url, '/api/health')).status).toBe(200);
      });

      it('JSON nested deeper than 32 levels is refused with 400 before parsing, on push and on enroll', async () => {
        const server = await start();
        const [owner] = (await enrollDevices(server, 1)) as [EnrolledDevice];
        const deep = `{"events":[${'['.repeat(38)}${']'.repeat(38)}]}`;
        const push = await api(server.url, '/api/v1/sync/push', { token: owner.token, rawBody: deep });
        expect(push).toMatchObject({ status: 400, body: { error: 'The JSON is nested 40 levels deep; at most 32 are allowed. Nothing was stored.' } });
        const enrollDeep = await api(server.url, '/api/v1/devices/enroll', { rawBody: `{"deviceName":"x","deviceId":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}` });
        expect(enrollDeep.status).toBe(413); // over the enrollment body limit first
        const enrollDeepSmall = await api(server.url, '/api/v1/devices/enroll', { rawBody: `{"deviceName":"x","deviceId":${'['.repeat(40)}${']'.repeat(40)}}` });
        expect(enrollDeepSmall).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^The JSON is nested 41 levels deep; at most 32/) } });
        // Brackets inside strings are text, not nesting.
        const inString = await api(server.url, '/api/v1/devices/enroll', { rawBody: JSON.stringify({ deviceName: '['.repeat(90), pairingCode: '{'.repeat(50) }) });
        expect(inString.status).toBe(401); // read, and refused for its (unknown) code
        expect((inString.body as { reason: string }).reason).toBe('code-unknown');
        expect(await pullAllEvents(server.url, owner.token)).toEqual([]);
      });

      it('prototype keys in bodies pollute nothing and are not stored', async () => {
        const server = await start();
        const [owner] = (await enrollDevices(server, 1)) as [EnrolledDevice];
        const event = saleEvent({ storeId: owner.storeId, deviceId: owner.deviceId, seq: 1 });
        const eventText = JSON.stringify(event);
        const poisoned = [
          `{"events":[${eventText.slice(0, -1)},"__proto__":{"polluted":"yes","role":"owner"}}]}`,
          `{"__proto__":{"events":[${eventText}]}}`,
          `{"events":[${eventText.slice(0, -1)},"constructor":{"prototype":{"polluted":"yes"}}}]}`,
          `{"events":[{"__proto__":${eventText}}]}`,
        ];
        const statuses: number[] = [];
        for (const body of poisoned) statuses.push((await api(server.url, '/api/v1/sync/push', { token: owner.token, rawBody: body })).status);
        const enrollPoisoned = await api(server.url, '/api/v1/devices/enroll', { rawBody: '{"__proto__":{"deviceName":"Till","pairingCode":"ABCD-1234"}}' });
        expect(enrollPoisoned.status).toBe(400);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('polluted');
        expect(Object.prototype).not.toHaveProperty('role');
        // Whatever was accepted is the plain event, without the extra keys.
        expect(statuses.every((status) => status === 200 || status === 400 || status === 422)).toBe(true);
        const stored = await pullAllEvents(server.url, owner.token);
        for (const row of stored) {
          expect(Object.keys(row)).not.toContain('__proto__');
          expect(Object.keys(row)).not.toContain('constructor');
          expect(row).toEqual(event);
        }
        expect((await api(server.url, '/api/v1/me', { token: owner.token })).body).toMatchObject({ role: 'owner' });
      });
    });

    it('the audit log records enrollments, codes made and refusals, with their origin, and never a secret', async () => {
      const dir = tempDir();
      const auditPath = join(dir, 'logs', 'audit.log');
      const auditLog = createFileAuditLog(auditPath);
      try {
        const server = await start({ demo: false, auditLog });
        const setupCode = server.setupCode ?? '';
        const owner = await enroll(server.url, setupCode, 'Owner tablet', 'dev-owner');
        const made = await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: owner.token });
        const code = (made.body as { code: string }).code;
        const till = await enroll(server.url, code, 'Till 1', 'dev-till');
        const ua = { 'user-agent': 'Guesser/1.0' };
        // A used code, a wrong one, and a body the JSON parser quotes (code and all) in its message.
        await send(`${server.url}/api/v1/devices/enroll`, { body: JSON.stringify({ pairingCode: code, deviceName: 'Again' }), headers: ua, localAddress: '127.0.0.5' });
        await send(`${server.url}/api/v1/devices/enroll`, { body: JSON.stringify({ pairingCode: 'WXYZ-2345', deviceName: 'Guess' }), headers: ua });
        const quoted = await send(`${server.url}/api/v1/devices/enroll`, { body: `{"pairingCode":"${code}", deviceName: x}` });
        expect(quoted.status).toBe(400);
        // Refused requests: a staff device asking for pairing codes, a bad token, an oversized body.
        await api(server.url, '/api/v1/pairing-codes', { method: 'POST', token: till.token });
        await api(server.url, '/api/v1/sync/push', { token: `${till.token}x`, json: { events: [] } });
        await api(server.url, '/api/v1/sync/push', { token: till.token, rawBody: `{"events":[${'1,'.repeat(3_000_000)}1]}` });
        await api(server.url, '/api/v1/sync/push', { token: till.token, json: { events: [{ kind: 'sale' }] } });
        await server.close();

        const text = readFileSync(auditPath, 'utf8');
        const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
        for (const line of lines) {
          expect(typeof line.time).toBe('string');
          expect(typeof line.event).toBe('string');
        }
        const of = (event: string) => lines.filter((line) => line.event === event);
        expect(of('pairing-code-created')).toEqual([
          expect.objectContaining({ by: 'server start', role: 'owner', expiresAt: expect.any(String) }),
          expect.objectContaining({ deviceId: 'dev-owner', role: 'staff', expiresAt: (made.body as { expiresAt: string }).expiresAt, address: '127.0.0.1' }),
        ]);
        expect(of('device-enrolled')).toEqual([
          expect.objectContaining({ deviceId: 'dev-owner', role: 'owner', name: 'Owner tablet', address: '127.0.0.1' }),
          expect.objectContaining({ deviceId: 'dev-till', role: 'staff', name: 'Till 1', address: '127.0.0.1' }),
        ]);
        expect(of('enrollment-refused')).toEqual([
          expect.objectContaining({ status: 401, reason: 'code-used', address: '127.0.0.5', userAgent: 'Guesser/1.0' }),
          expect.objectContaining({ status: 401, reason: 'code-unknown', address: '127.0.0.1', userAgent: 'Guesser/1.0' }),
          expect.objectContaining({ status: 400, reason: 'invalid-json', address: '127.0.0.1' }),
        ]);
        expect(of('request-refused')).toEqual([
          expect.objectContaining({ route: '/api/v1/pairing-codes', status: 403, deviceId: 'dev-till', address: '127.0.0.1' }),
          expect.objectContaining({ route: '/api/v1/sync/push', status: 401, address: '127.0.0.1' }),
          expect.objectContaining({ route: '/api/v1/sync/push', status: 413, deviceId: 'dev-till', reason: 'body-too-large' }),
          expect.objectContaining({ route: '/api/v1/sync/push', status: 422, deviceId: 'dev-till' }),
        ]);
        expect(of('request-refused')[1]).not.toHaveProperty('deviceId');
        // No secret, in any spelling.
        for (const secret of [setupCode, code, owner.token, till.token, 'pdt_', code.replace('-', ''), 'WXYZ-2345', 'WXYZ2345']) {
          expect(text, 'a secret in the audit log').not.toContain(secret);
        }
      } finally {
        auditLog.close();
      }
    });
  });
}
