/**
 * Compression (issue 19): each text type the server sends comes compressed when the client asks
 * and plain when not, with the right Content-Encoding, Content-Length and Vary, and decompresses to
 * exactly the bytes of the file on disk or of the plain API response. Raw bytes are read with
 * node:http, since fetch would decompress them itself.
 */
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateEncoding, precompressDirectory } from '../../src/server/compression.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { saleEvents } from './fixtures.ts';
import { api, enrollDevices, rawRequest, startTestServer, type RawResponse } from './harness.ts';
import { engines } from './storage-engines.ts';


function decoded(res: RawResponse): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(res.body);
  if (encoding === 'gzip') return gunzipSync(res.body);
  if (encoding !== undefined) throw new Error(`unexpected Content-Encoding ${String(encoding)}`);
  return res.body;
}

/** Accept-Encoding as browsers and other clients send it, and the encoding each must get. */
const ASKS: { acceptEncoding: string | null; expected: 'br' | 'gzip' | undefined }[] = [
  { acceptEncoding: 'br', expected: 'br' },
  { acceptEncoding: 'gzip, deflate, br, zstd', expected: 'br' },
  { acceptEncoding: 'gzip', expected: 'gzip' },
  { acceptEncoding: 'br;q=0, gzip', expected: 'gzip' },
  { acceptEncoding: 'identity', expected: undefined },
  { acceptEncoding: null, expected: undefined },
];

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['gzip;q=0.5, br;q=0.5', 'br'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['*;q=0, gzip', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['BR', 'br'],
    ['x-gzip', 'gzip'],
    ['br;q=2, gzip;q=0.1', 'gzip'],
    [['gzip', 'br'], 'br'],
  ] as const)('%j → %s', (header, expected) => {
    expect(negotiateEncoding(header as string | string[] | undefined)).toBe(expected);
  });
});

describe('static files', () => {
  let server: RunningServer;
  let root: string;
  let dist: string;

  // Real-looking files of each text type, plus an image, compressed by the build's own function.
  const FILES = {
    html: '/index.html',
    js: '/assets/app-4f2a9c.js',
    css: '/assets/index-9c1d7e.css',
    svg: '/icons/icon.svg',
    manifest: '/manifest.webmanifest',
    wasm: '/assets/mappings-77ab01.wasm',
    serviceWorker: '/sw.js',
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'perpetua-compression-'));
    dist = join(root, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    mkdirSync(join(dist, 'icons'), { recursive: true });
    const preloads = Array.from({ length: 20 }, (_, i) => `    <link rel="modulepreload" crossorigin href="/assets/chunk-${i}-a1b2c3.js">`).join('\n');
    writeFileSync(
      join(dist, 'index.html'),
      `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>Perpetua</title>\n    <script type="module" crossorigin src="${FILES.js}"></script>\n${preloads}\n    <link rel="stylesheet" crossorigin href="${FILES.css}">\n  <link rel="manifest" href="/manifest.webmanifest"></head>\n  <body><div id="app"><p class="booting">Opening the till…</p></div></body>\n</html>\n`,
    );
    copyFileSync('node_modules/preact/dist/preact.mjs', join(dist, FILES.js));
    copyFileSync('node_modules/preact/dist/preact.mjs', join(dist, FILES.serviceWorker));
    copyFileSync('src/ui/styles.css', join(dist, FILES.css));
    copyFileSync('public/icons/icon.svg', join(dist, FILES.svg));
    copyFileSync('public/icons/icon-192.png', join(dist, 'icons/icon-192.png'));
    copyFileSync('node_modules/source-map/lib/mappings.wasm', join(dist, FILES.wasm));
    writeFileSync(
      join(dist, FILES.manifest),
      JSON.stringify({ name: 'Perpetua point of sale', short_name: 'Perpetua', start_url: '/', display: 'standalone', icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }] }),
    );
    await precompressDirectory(dist);
    // Written after the build's compression: a file without variants, as from a dist built some other way.
    writeFileSync(join(dist, 'assets/late-0d0d0d.js'), readFileSync(join(dist, FILES.js)));
    server = await startTestServer({ dataDir: join(root, 'data'), staticDir: dist });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  for (const [type, path] of Object.entries(FILES)) {
    it(`sends ${type} (${path}) compressed as asked, byte-identical to the file`, async () => {
      const onDisk = readFileSync(join(dist, path));
      for (const { acceptEncoding, expected } of ASKS) {
        const res = await rawRequest(`${server.url}${path}`, acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding });
        const label = `${path} with Accept-Encoding ${String(acceptEncoding)}`;
        expect(res.status, label).toBe(200);
        expect(res.headers['content-encoding'], label).toBe(expected);
        expect(res.headers.vary, label).toBe('Accept-Encoding');
        expect(Number(res.headers['content-length']), label).toBe(res.body.length);
        if (expected) expect(res.body.length, label).toBeLessThan(onDisk.length);
        expect(decoded(res).equals(onDisk), label).toBe(true);
        // Compression leaves the other headers as they were.
        expect(res.headers['content-security-policy'], label).toContain("default-src 'self'");
        expect(res.headers['x-content-type-options'], label).toBe('nosniff');
        expect(res.headers['cache-control'], label).toBe(path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
    });
  }

  it('keeps the content type and the service worker scope header on compressed responses', async () => {
    const sw = await rawRequest(`${server.url}${FILES.serviceWorker}`, { 'accept-encoding': 'br' });
    expect(sw.headers['content-encoding']).toBe('br');
    expect(sw.headers['content-type']).toMatch(/^text\/javascript/);
    expect(sw.headers['service-worker-allowed']).toBe('/');
    const wasm = await rawRequest(`${server.url}${FILES.wasm}`, { 'accept-encoding': 'gzip' });
    expect(wasm.headers['content-type']).toBe('application/wasm');
    const manifest = await rawRequest(`${server.url}${FILES.manifest}`, { 'accept-encoding': 'br' });
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
  });

  it('answers HEAD with the headers of the variant it would send and no body', async () => {
    for (const { acceptEncoding, expected } of ASKS) {
      const get = await rawRequest(`${server.url}${FILES.js}`, acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding });
      const head = await rawRequest(`${server.url}${FILES.js}`, acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      expect(head.headers['content-encoding']).toBe(expected);
      expect(head.headers.vary).toBe('Accept-Encoding');
      expect(head.headers['content-length']).toBe(String(get.body.length));
    }
  });

  it('serves index.html compressed for client routes too', async () => {
    const res = await rawRequest(`${server.url}/sell`, { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(decoded(res).equals(readFileSync(join(dist, 'index.html')))).toBe(true);
  });

  it('sends a file without precompressed variants as it is, still with Vary', async () => {
    const res = await rawRequest(`${server.url}/assets/late-0d0d0d.js`, { 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.body.equals(readFileSync(join(dist, 'assets/late-0d0d0d.js')))).toBe(true);
  });

  it('sends a file changed after the build as it is, not its stale variant', async () => {
    const path = join(dist, 'assets/patched-2b2b2b.js');
    writeFileSync(path, 'console.log("first build");\n'.repeat(100));
    await precompressDirectory(dist);
    const built = await rawRequest(`${server.url}/assets/patched-2b2b2b.js`, { 'accept-encoding': 'br' });
    expect(built.headers['content-encoding']).toBe('br');
    // As a deploy that patches sw.js in place does: the .br beside it now holds the old bytes.
    await new Promise((resolve) => setTimeout(resolve, 20));
    appendFileSync(path, '// deployed again\n');
    const patched = await rawRequest(`${server.url}/assets/patched-2b2b2b.js`, { 'accept-encoding': 'br, gzip' });
    expect(patched.headers['content-encoding']).toBeUndefined();
    expect(patched.body.equals(readFileSync(path))).toBe(true);
  });

  it('sends images as they are, without Vary', async () => {
    const res = await rawRequest(`${server.url}/icons/icon-192.png`, { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
    expect(res.body.equals(readFileSync(join(dist, 'icons/icon-192.png')))).toBe(true);
  });

  it('picks up a rebuilt file and its new variants without a restart', async () => {
    const path = join(dist, 'assets/rebuilt-1a1a1a.css');
    writeFileSync(path, 'body { color: red; }\n'.repeat(100));
    const before = await rawRequest(`${server.url}/assets/rebuilt-1a1a1a.css`, { 'accept-encoding': 'br' });
    expect(before.headers['content-encoding']).toBeUndefined();
    writeFileSync(path, '.till { display: grid; }\n'.repeat(200));
    await precompressDirectory(dist);
    const after = await rawRequest(`${server.url}/assets/rebuilt-1a1a1a.css`, { 'accept-encoding': 'br' });
    expect(after.headers['content-encoding']).toBe('br');
    expect(decoded(after).equals(readFileSync(path))).toBe(true);
  });
});

describe.each(engines())('API JSON on $name', (engine) => {
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(engine.serverOptions());
    const [owner] = await enrollDevices(server, 1);
    if (!owner) throw new Error('no owner enrolled');
    token = owner.token;
    const pushed = await api(server.url, '/api/v1/sync/push', { token, json: { events: saleEvents(owner.storeId, owner.deviceId, 1, 300) } });
    expect(pushed.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await engine.cleanup();
  });

  it('sends a pull page compressed as asked, byte-identical to the plain page', async () => {
    const path = '/api/v1/sync/pull?after=0&limit=300';
    const plain = await rawRequest(`${server.url}${path}`, { authorization: `Bearer ${token}` });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((JSON.parse(plain.body.toString('utf8')) as { events: unknown[] }).events).toHaveLength(300);
    for (const { acceptEncoding, expected } of ASKS) {
      const res = await rawRequest(`${server.url}${path}`, { authorization: `Bearer ${token}`, ...(acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }) });
      const label = `pull with Accept-Encoding ${String(acceptEncoding)}`;
      expect(res.status, label).toBe(200);
      expect(res.headers['content-encoding'], label).toBe(expected);
      expect(res.headers.vary, label).toBe('Accept-Encoding');
      expect(res.headers['content-type'], label).toMatch(/^application\/json/);
      expect(res.headers['cache-control'], label).toBe('no-store');
      expect(Number(res.headers['content-length']), label).toBe(res.body.length);
      if (expected) expect(res.body.length, label).toBeLessThan(plain.body.length / 4);
      expect(decoded(res).equals(plain.body), label).toBe(true);
    }
  });

  it('sends each part of a CSV export compressed as asked, byte-identical to the plain part', async () => {
    const path = '/api/v1/exports/journal-xero?from=2026-01-05&to=2026-01-05';
    const first = await rawRequest(`${server.url}${path}`, { authorization: `Bearer ${token}` });
    expect(first.status).toBe(200);
    const parts = Number(first.headers['x-export-parts']);
    // Xero's journal splits at 300 lines: 300 sales make several parts.
    expect(parts).toBeGreaterThan(1);
    for (let part = 1; part <= parts; part++) {
      const plain = await rawRequest(`${server.url}${path}&part=${part}`, { authorization: `Bearer ${token}` });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept-Encoding');
      expect(Number(plain.headers['x-export-rows'])).toBeGreaterThan(0);
      for (const { acceptEncoding, expected } of ASKS) {
        const res = await rawRequest(`${server.url}${path}&part=${part}`, { authorization: `Bearer ${token}`, ...(acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }) });
        const label = `export part ${part} with Accept-Encoding ${String(acceptEncoding)}`;
        expect(res.status, label).toBe(200);
        expect(res.headers['content-encoding'], label).toBe(expected);
        expect(res.headers.vary, label).toBe('Accept-Encoding');
        expect(res.headers['content-type'], label).toBe('text/csv; charset=utf-8');
        expect(res.headers['content-disposition'], label).toBe(plain.headers['content-disposition']);
        expect(res.headers['x-export-part'], label).toBe(String(part));
        expect(res.headers['x-export-rows'], label).toBe(plain.headers['x-export-rows']);
        expect(Number(res.headers['content-length']), label).toBe(res.body.length);
        if (expected) expect(res.body.length, label).toBeLessThan(plain.body.length / 4);
        expect(decoded(res).equals(plain.body), label).toBe(true);
      }
    }
  });

  it('sends small JSON plain, with Vary', async () => {
    const res = await rawRequest(`${server.url}/api/health`, { 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ ok: true });
  });

  it('sends error answers plain and whole', async () => {
    const res = await rawRequest(`${server.url}/api/v1/sync/pull?after=0&limit=0`, { authorization: `Bearer ${token}`, 'accept-encoding': 'br' });
    expect(res.status).toBe(400);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect((JSON.parse(res.body.toString('utf8')) as { error: string }).error).toMatch(/limit/);
  });
});
