/**
 * Compression benchmark (issue 19): run with `npx tsx bench/server/compression.bench.ts`, or
 * `BENCH_ONLY=compression npm run bench`. Writes bench/results/compression.json and prints tables.
 *
 * 1. Pull pages: the real server in its own process (SQLite), filled through the API with sale
 *    events of varied products, quantities, prices and devices; its pull pages of 5,000 events are
 *    read as plain bytes, then each page is compressed in this process at each candidate setting
 *    (none, gzip 1/6, Brotli 1/4/5) to measure its bytes and the CPU it costs (process.cpuUsage, so
 *    other load on the machine does not inflate it). From these, the modelled time to move 100,000
 *    events on a shop's Wi-Fi (20 and 100 Mbit/s): the server's compression plus the transfer.
 *    Decompression is left out: the browser does it in its network process while the page is busy
 *    with the previous page (about 1–2 ms per page for either, measured below for reference).
 * 2. Loopback through the real server: all pages pulled with Accept-Encoding identity, gzip and br
 *    (the levels the server uses, src/server/compression.ts), decompressed by the client.
 * 3. dist/: bytes per file type raw, gzip and Brotli (the build's .gz/.br files), and the first
 *    screen (what index.html loads eagerly). Needs `npx vite build` first; skipped without dist/.
 *
 * Size: BENCH_COMPRESSION_EVENTS (20,000: four pages of 5,000).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { JSON_BROTLI_QUALITY, JSON_GZIP_LEVEL } from '../../src/server/compression.ts';
import { saleEvent } from '../../tests/server/fixtures.ts';
import { rawRequest } from '../../tests/server/harness.ts';
import { seededRandom } from '../../tests/seeded-random.ts';
import { startServerProcess } from '../../tests/sync/server-process.ts';

const EVENTS = Number(process.env.BENCH_COMPRESSION_EVENTS ?? 20_000);
const PAGE = 5_000;
const BATCH = 100;
const REPEATS = 5;
const STORE = 'demo-store';
const LINKS_MBIT = [20, 100];

interface Candidate {
  name: string;
  compress: (body: Buffer) => Buffer;
  decompress: (body: Buffer) => Buffer;
}

const brotli = (quality: number): Candidate => ({
  name: `br-${quality}`,
  compress: (body) =>
    brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  decompress: (body) => brotliDecompressSync(body),
});
const gzip = (level: number): Candidate => ({ name: `gzip-${level}`, compress: (body) => gzipSync(body, { level }), decompress: (body) => gunzipSync(body) });
const CANDIDATES: Candidate[] = [
  { name: 'none', compress: (body) => body, decompress: (body) => body },
  gzip(1),
  gzip(6),
  brotli(1),
  brotli(4),
  brotli(5),
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/** CPU milliseconds (user + system) of one synchronous call in this process. */
function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}


/** Sales as a shop makes them: three tills, 2,000 products, 1–5 items, prices from 0.99 to 49.99. */
function saleBodies(deviceIds: string[]): Map<string, string[]> {
  const random = seededRandom(19);
  const bodies = new Map<string, string[]>(deviceIds.map((id) => [id, []]));
  const perDevice = Math.ceil(EVENTS / deviceIds.length);
  for (const deviceId of deviceIds) {
    for (let seq = 1; seq <= perDevice; seq += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, perDevice - seq + 1) }, (_, i) =>
        saleEvent({
          storeId: STORE,
          deviceId,
          seq: seq + i,
          productId: `p-${Math.floor(random() * 2000)}`,
          qty: 1 + Math.floor(random() * 5),
          unitPrice: 99 + Math.floor(random() * 4900),
          wallMs: Date.UTC(2026, 0, 1) + (seq + i) * 90_000 + Math.floor(random() * 60_000),
        }),
      );
      bodies.get(deviceId)?.push(JSON.stringify({ events }));
    }
  }
  return bodies;
}

async function enrollAndPush(url: string): Promise<string> {
  const deviceIds = ['till-front', 'till-back', 'till-cafe'];
  const bodies = saleBodies(deviceIds);
  let ownerToken = '';
  for (const deviceId of deviceIds) {
    const res = await fetch(`${url}/api/v1/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceName: deviceId, deviceId }),
    });
    const { token } = (await res.json()) as { token: string };
    ownerToken ||= token;
    for (const body of bodies.get(deviceId) ?? []) {
      const push = await fetch(`${url}/api/v1/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      if (push.status !== 200) throw new Error(`push failed: ${push.status} ${await push.text()}`);
    }
  }
  return ownerToken;
}

async function pullPages(url: string, token: string, acceptEncoding: string): Promise<{ pages: Buffer[]; wireBytes: number; ms: number }> {
  const pages: Buffer[] = [];
  let wireBytes = 0;
  let cursor = '0';
  const started = performance.now();
  for (;;) {
    const res = await rawRequest(`${url}/api/v1/sync/pull?after=${cursor}&limit=${PAGE}`, { authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding });
    if (res.status !== 200) throw new Error(`pull failed: ${res.status}`);
    wireBytes += res.body.length;
    const encoding = res.headers['content-encoding'];
    const body = encoding === 'br' ? brotliDecompressSync(res.body) : encoding === 'gzip' ? gunzipSync(res.body) : res.body;
    pages.push(body);
    const page = JSON.parse(body.toString('utf8')) as { cursor: string; hasMore: boolean };
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return { pages, wireBytes, ms: performance.now() - started };
}

/** Per full page of PAGE events (the last, shorter page of a pull is left out of the figures). */
function measureCandidates(pages: Buffer[]) {
  const full = pages.filter((page) => (JSON.parse(page.toString('utf8')) as { events: unknown[] }).events.length === PAGE);
  if (full.length === 0) throw new Error(`no full page of ${PAGE} events: raise BENCH_COMPRESSION_EVENTS`);
  return CANDIDATES.map((candidate) => {
    const cpu: number[] = [];
    const decompressCpu: number[] = [];
    let bytes = 0;
    for (const page of full) {
      let compressed = page;
      for (let repeat = 0; repeat < REPEATS; repeat += 1) cpu.push(cpuMs(() => (compressed = candidate.compress(page))));
      bytes += compressed.length;
      if (!candidate.decompress(compressed).equals(page)) throw new Error(`${candidate.name} did not give the page back`);
      decompressCpu.push(cpuMs(() => candidate.decompress(compressed)));
    }
    cpu.sort((a, b) => a - b);
    decompressCpu.sort((a, b) => a - b);
    const rawBytes = full.reduce((sum, page) => sum + page.length, 0);
    const pagesPer100k = 100_000 / PAGE;
    const bytesPerPage = bytes / full.length;
    const cpuMedian = percentile(cpu, 0.5);
    const modelled = Object.fromEntries(
      LINKS_MBIT.map((mbit) => [`${mbit}Mbit`, round((pagesPer100k * (cpuMedian + (bytesPerPage * 8) / (mbit * 1000))) / 1000, 2)]),
    );
    return {
      encoding: candidate.name,
      bytesPerPage: Math.round(bytesPerPage),
      ratio: round(rawBytes / bytes, 2),
      cpuMsPerPage: { median: round(cpuMedian), p95: round(percentile(cpu, 0.95)) },
      decompressMsPerPage: round(percentile(decompressCpu, 0.5)),
      secondsPer100kEvents: modelled,
    };
  });
}

interface TypeBytes {
  files: number;
  raw: number;
  gzip: number;
  brotli: number;
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** What a browser receives for a file in each encoding: the build's variant, or the file itself. */
function variantBytes(file: string) {
  const raw = statSync(file).size;
  return { raw, gzip: sizeOf(`${file}.gz`) || raw, brotli: sizeOf(`${file}.br`) || raw };
}

function distBytes(dist: string) {
  const byType: Record<string, TypeBytes> = {};
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const extension = path.extname(entry.name).slice(1);
    if (extension === 'br' || extension === 'gz') continue;
    const type = extension === 'mjs' ? 'js' : extension;
    const bytes = variantBytes(path.join(entry.parentPath, entry.name));
    const total = (byType[type] ??= { files: 0, raw: 0, gzip: 0, brotli: 0 });
    total.files += 1;
    total.raw += bytes.raw;
    total.gzip += bytes.gzip;
    total.brotli += bytes.brotli;
  }
  // The files index.html makes the browser fetch before the first screen: scripts, module
  // preloads, the stylesheet, the icon and the manifest, and the page itself.
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const eager = ['/index.html', ...[...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string)].filter(
    (href) => href.startsWith('/') && !href.endsWith('.png'),
  );
  const firstScreen = { files: eager.length, raw: 0, gzip: 0, brotli: 0, jsGzip: 0 };
  for (const href of eager) {
    const bytes = variantBytes(path.join(dist, href));
    firstScreen.raw += bytes.raw;
    firstScreen.gzip += bytes.gzip;
    firstScreen.brotli += bytes.brotli;
    if (href.endsWith('.js')) firstScreen.jsGzip += bytes.gzip;
  }
  return { byType, firstScreen };
}

export async function run() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'perpetua-compression-bench-'));
  const server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  let pulls;
  try {
    const token = await enrollAndPush(server.url);
    const plain = await pullPages(server.url, token, 'identity');
    const eventsPulled = plain.pages.reduce((sum, page) => sum + (JSON.parse(page.toString('utf8')) as { events: unknown[] }).events.length, 0);
    const candidates = measureCandidates(plain.pages);
    const loopback: Record<string, { wireBytes: number; secondsPer100kEvents: number }> = {};
    for (const encoding of ['identity', 'gzip', 'br']) {
      const times: number[] = [];
      let wireBytes = 0;
      for (let repeat = 0; repeat < 3; repeat += 1) {
        const pulled = await pullPages(server.url, token, encoding);
        if (!Buffer.concat(pulled.pages).equals(Buffer.concat(plain.pages))) throw new Error(`pull with ${encoding} gave other bytes`);
        times.push(pulled.ms);
        wireBytes = pulled.wireBytes;
      }
      times.sort((a, b) => a - b);
      loopback[encoding] = { wireBytes, secondsPer100kEvents: round(((percentile(times, 0.5) / eventsPulled) * 100_000) / 1000, 2) };
    }
    const stock = await rawRequest(`${server.url}/api/v1/stock`, { authorization: `Bearer ${token}`, 'accept-encoding': 'br' });
    pulls = {
      events: eventsPulled,
      pageSize: PAGE,
      rawBytesPerEvent: round(plain.pages.reduce((sum, page) => sum + page.length, 0) / eventsPulled),
      candidates,
      serverLevels: { brotli: JSON_BROTLI_QUALITY, gzip: JSON_GZIP_LEVEL },
      loopback,
      stock: { rawBytes: (stock.headers['content-encoding'] === 'br' ? brotliDecompressSync(stock.body) : stock.body).length, wireBytes: stock.body.length, encoding: stock.headers['content-encoding'] ?? 'identity' },
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const dist = path.join(root, 'dist');
  const staticFiles = existsSync(path.join(dist, 'index.html')) ? distBytes(dist) : null;

  const result = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: os.loadavg().map((x) => round(x, 2)) },
    pulls,
    dist: staticFiles,
  };
  console.table(pulls.candidates.map((c) => ({ encoding: c.encoding, bytesPerPage: c.bytesPerPage, ratio: c.ratio, cpuMedian: c.cpuMsPerPage.median, cpuP95: c.cpuMsPerPage.p95, ...c.secondsPer100kEvents })));
  console.table(pulls.loopback);
  if (staticFiles) {
    console.table(staticFiles.byType);
    console.table({ firstScreen: staticFiles.firstScreen });
  } else console.log('no dist/: run `npx vite build` for the static files part');
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/compression.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
