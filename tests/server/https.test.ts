/**
 * The running server over HTTPS: a TLS client that trusts only the store CA connects (Node's
 * tls.connect checks the chain and the name), the setup page and the CA download over plain HTTP,
 * the certificate replaced while running when the addresses change, and TLS_CERT/TLS_KEY served as
 * given. Which requests go to the setup page is checked on the request itself (loopback is all a
 * unit test can reach; tests/e2e/https-lan.test.ts goes over a real non-loopback address).
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.ts';
import { isPlainHttpNavigationFromLan } from '../../src/server/setup-routes.ts';
import type { MachineNames } from '../../src/server/tls/machine-names.ts';
import { storeIssuedCredentials, tlsDirOf } from '../../src/server/tls/tls-credentials.ts';
import { startTestServer } from './harness.ts';

const NAMES: MachineNames = { dnsNames: ['localhost', 'till-server', 'till-server.local'], ipAddresses: ['127.0.0.1', '::1', '192.168.1.20'] };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'perpetua-https-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function started(server: Promise<RunningServer>): Promise<RunningServer> {
  const running = await server;
  cleanups.push(() => running.close());
  return running;
}

/** A TLS handshake that trusts only `ca`: whether the server's chain and name were accepted. */
function handshake(port: number, ca: string, servername: string): Promise<{ authorized: boolean; error: string | null; peer: DetailedPeerCertificate }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername, rejectUnauthorized: false }, () => {
      const result = { authorized: socket.authorized, error: socket.authorizationError ? String(socket.authorizationError) : null, peer: socket.getPeerCertificate(true) };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
  });
}

describe('HTTPS with the store’s own certificate', () => {
  it('is trusted by a client that trusts only the store CA, for each of the machine’s names', async () => {
    const dataDir = tempDir();
    const server = await started(startTestServer({ dataDir, https: { port: 0, names: () => NAMES } }));
    expect(server.https).not.toBeNull();
    const caPem = readFileSync(join(tlsDirOf(dataDir), 'store-ca.crt'), 'utf8');
    for (const name of ['localhost', 'till-server.local']) {
      const result = await handshake(server.https?.port ?? 0, caPem, name);
      expect(result, name).toMatchObject({ authorized: true, error: null });
      // The chain is sent: the leaf's issuer is the store CA itself.
      expect(result.peer.issuerCertificate.fingerprint256).toBe(new X509Certificate(caPem).fingerprint256);
    }
    expect((await handshake(server.https?.port ?? 0, caPem, 'elsewhere.example')).authorized).toBe(false);
    // A client trusting another CA refuses it.
    const otherCa = (await storeIssuedCredentials({ dataDir: tempDir(), storeName: 'Other', now: new Date(), names: NAMES })).caCertificatePem ?? '';
    const refused = await handshake(server.https?.port ?? 0, otherCa, 'localhost');
    expect(refused.authorized).toBe(false);
    expect(refused.error).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('serves the store CA (public part, DER) and the setup page over plain HTTP', async () => {
    const dataDir = tempDir();
    const server = await started(startTestServer({ dataDir, storeName: 'Corner shop', https: { port: 0, names: () => NAMES } }));
    const ca = await fetch(`${server.url}/setup/store-ca.crt`);
    expect(ca.status).toBe(200);
    expect(ca.headers.get('content-type')).toBe('application/x-x509-ca-cert');
    const der = Buffer.from(await ca.arrayBuffer());
    const served = new X509Certificate(der);
    expect(served.ca).toBe(true);
    expect(served.fingerprint256).toBe(new X509Certificate(readFileSync(join(tlsDirOf(dataDir), 'store-ca.crt'))).fingerprint256);

    const page = await fetch(`${server.url}/setup?code=abcd-1234`, { headers: { host: '192.168.1.20:8080' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<h1>Set up this device for Corner shop</h1>');
    for (const platform of ['iPad or iPhone', 'Android phone or tablet', 'Chromebook', 'Windows PC']) expect(html).toContain(platform);
    expect(html).toContain('Certificate Trust Settings');
    expect(html).toContain(served.fingerprint256);
    expect(html).toContain(`href="https://192.168.1.20:${server.https?.port}/#/pair?code=ABCD-1234"`);
    // A code that is not a code does not reach the page.
    expect(await (await fetch(`${server.url}/setup?code=%3Cscript%3E`)).text()).not.toContain('<script>');

    const info = (await (await fetch(`${server.url}/setup/info.json`)).json()) as { setupUrl: string; appUrl: string };
    expect(info).toEqual({ setupUrl: `http://192.168.1.20:${server.port}/setup`, appUrl: `https://192.168.1.20:${server.https?.port}/` });
    expect(server.setupUrl).toBe(`http://192.168.1.20:${server.port}/setup?code=${server.setupCode}`);
  });

  it('replaces its certificate while running when the machine’s addresses change', async () => {
    let names = NAMES;
    const dataDir = tempDir();
    const server = await started(startTestServer({ dataDir, https: { port: 0, names: () => names, refreshIntervalMs: 50 } }));
    const caPem = readFileSync(join(tlsDirOf(dataDir), 'store-ca.crt'), 'utf8');
    const before = (await handshake(server.https?.port ?? 0, caPem, 'localhost')).peer;
    names = { ...NAMES, ipAddresses: ['127.0.0.1', '::1', '10.1.2.3'] };
    await expect
      .poll(async () => (await handshake(server.https?.port ?? 0, caPem, 'localhost')).peer.subjectaltname, { timeout: 5000 })
      .toContain('IP Address:10.1.2.3');
    const after = await handshake(server.https?.port ?? 0, caPem, 'localhost');
    expect(after.authorized).toBe(true);
    expect(after.peer.fingerprint256).not.toBe(before.fingerprint256);
  });

  it('stays off unless asked for, as the tests before HTTPS expect', async () => {
    const server = await started(startTestServer({ dataDir: tempDir() }));
    expect(server.https).toBeNull();
    expect((await fetch(`${server.url}/setup/store-ca.crt`)).status).toBe(404);
  });
});

describe('HTTPS with TLS_CERT and TLS_KEY', () => {
  it('serves the given certificate; no store CA is made', async () => {
    const own = tempDir();
    const issued = await storeIssuedCredentials({ dataDir: own, storeName: 'Public', now: new Date(), names: { dnsNames: ['shop.example.com'], ipAddresses: [] } });
    const certificateFile = join(own, 'fullchain.pem');
    const keyFile = join(own, 'privkey.pem');
    writeFileSync(certificateFile, issued.cert);
    writeFileSync(keyFile, issued.key);
    const dataDir = tempDir();
    const server = await started(startTestServer({ dataDir, https: { port: 0, certificateFile, keyFile } }));
    const result = await handshake(server.https?.port ?? 0, issued.caCertificatePem ?? '', 'shop.example.com');
    expect(result.authorized).toBe(true);
    expect(result.peer.fingerprint256).toBe(new X509Certificate(issued.cert).fingerprint256);
    expect(existsSync(tlsDirOf(dataDir))).toBe(false);
    expect((await fetch(`${server.url}/setup/store-ca.crt`)).status).toBe(404);
    const html = await (await fetch(`${server.url}/setup`)).text();
    expect(html).toContain('nothing to install');
    expect(html).toContain(`href="https://shop.example.com:${server.https?.port}/#/settings"`);
  });
});

describe('plain HTTP from another machine', () => {
  const request = (overrides: { remoteAddress?: string; encrypted?: boolean; accept?: string; method?: string; headers?: Record<string, string> }) =>
    ({
      method: overrides.method ?? 'GET',
      headers: { accept: overrides.accept ?? 'text/html,application/xhtml+xml', ...overrides.headers },
      socket: { remoteAddress: overrides.remoteAddress ?? '192.168.1.31', encrypted: overrides.encrypted },
    }) as unknown as IncomingMessage;

  it('is sent to the setup page for pages of the app, not for the API, files, HTTPS or the server’s own computer', () => {
    expect(isPlainHttpNavigationFromLan(request({}), '/')).toBe(true);
    expect(isPlainHttpNavigationFromLan(request({}), '/index.html')).toBe(true);
    expect(isPlainHttpNavigationFromLan(request({ remoteAddress: '::ffff:10.0.0.9' }), '/sell')).toBe(true);
    expect(isPlainHttpNavigationFromLan(request({ remoteAddress: '127.0.0.1' }), '/')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({ remoteAddress: '::1' }), '/')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({ encrypted: true }), '/')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({ headers: { 'x-forwarded-proto': 'https' } }), '/')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({ accept: 'application/json' }), '/api/v1/sync/pull')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({}), '/api/v1/enrollment')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({ accept: '*/*' }), '/assets/app-3f9a.js')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({}), '/setup')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({ method: 'POST' }), '/')).toBe(false);
    expect(isPlainHttpNavigationFromLan(request({ headers: { cookie: 'perpetua-stay-on-http=1' } }), '/')).toBe(false);
  });

  it('keeps the app on loopback HTTP when HTTPS is on', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'index.html'), '<!doctype html><title>Perpetua</title>');
    const server = await started(startTestServer({ dataDir: join(root, 'data'), staticDir: join(root, 'dist'), https: { port: 0, names: () => NAMES } }));
    const res = await fetch(`${server.url}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Perpetua</title>');
  });
});
