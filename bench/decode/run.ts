/**
 * `npm run bench:decode`: decoder comparison in Chromium, inside a Web Worker.
 *
 * Reads EVERY folder of ../shared/barcode-corpus (or tests/fixtures/barcode-corpus when the shared
 * corpus is absent); a folder's name prefix gives its format. Each candidate decodes each image
 * upright and turned 180°. Then frames of a fake camera (640×480 and 1280×720) go through the app's
 * own DecoderBridge and decoder worker. Writes bench/results/decode.json.
 *
 * Options (env): BENCH_CANDIDATES=zxing-wasm,zxing-js,… (default: all), BENCH_FOLDERS=ean13-5,…
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { writeBarcodeY4m } from './fake-camera.ts';
import { DEFAULT_ZXING_WASM_TUNING } from '../../src/scanner/shared/engines/zxing-wasm.ts';
import type { CandidateSpec } from './bench.worker.ts';
import type { CameraTiming, CorpusIndex, FolderResult } from './bench-page.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const outDir = join(repo, '.tmp/bench-decode');
const IMAGE = /\.(png|jpe?g|gif|bmp)$/i;

/** The default decoder, chosen by this benchmark (see src/scanner/README.md). */
const DEFAULT_DECODER = 'zxing-wasm';

const ALL_CANDIDATES: CandidateSpec[] = [
  // The app's default: DEFAULT_ZXING_WASM_TUNING.
  { key: 'zxing-wasm', engine: 'zxing-wasm' },
  { key: 'zxing-js', engine: 'zxing-js' },
  { key: 'barcode-detector', engine: 'barcode-detector' },
  // zxing-wasm with the library's own defaults (downscale by 3 from 500 px, inverted codes tried).
  { key: 'zxing-wasm:library-defaults', engine: 'zxing-wasm', tuning: { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true } },
  // Variants tried while chasing the blurry set (ean13-5) and the last upca-2 image.
  { key: 'zxing-wasm:global-histogram', engine: 'zxing-wasm', tuning: { ...DEFAULT_ZXING_WASM_TUNING, binarizer: 'GlobalHistogram' } },
  { key: 'zxing-wasm:min-lines-1', engine: 'zxing-wasm', tuning: { ...DEFAULT_ZXING_WASM_TUNING, minLineCount: 1 } },
  { key: 'zxing-wasm:min-lines-3', engine: 'zxing-wasm', tuning: { ...DEFAULT_ZXING_WASM_TUNING, minLineCount: 3 } },
  { key: 'zxing-wasm:fast', engine: 'zxing-wasm', tuning: { tryHarder: false, tryRotate: false, tryInvert: false, tryDownscale: false } },
];

export function corpusRoot(): string {
  const shared = resolve(repo, '../shared/barcode-corpus');
  return existsSync(shared) ? shared : join(repo, 'tests/fixtures/barcode-corpus');
}

/** Expected text of an image: its .txt file exactly, minus a final line break (some texts have spaces). */
function expectedText(txtPath: string): string | null {
  if (!existsSync(txtPath)) return null;
  return readFileSync(txtPath, 'utf8').replace(/\r?\n$/, '');
}

export function indexCorpus(root: string, only?: string[]): CorpusIndex {
  const index: CorpusIndex = {};
  for (const folder of readdirSync(root).sort()) {
    if (!statSync(join(root, folder)).isDirectory()) continue;
    if (only !== undefined && !only.includes(folder)) continue;
    const images = readdirSync(join(root, folder))
      .filter((file) => IMAGE.test(file))
      .sort();
    index[folder] = images.map((file) => ({
      url: `/corpus/${encodeURIComponent(folder)}/${encodeURIComponent(file)}`,
      expected: folder.startsWith('falsepositives') ? null : expectedText(join(root, folder, file.replace(IMAGE, '.txt'))),
    }));
  }
  return index;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.map': 'application/json',
};

/** Static files of the built bench page plus the corpus, on loopback only. */
function serve(root: string, corpus: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const base = path.startsWith('/corpus/') ? corpus : root;
    const relative = path.startsWith('/corpus/') ? path.slice('/corpus/'.length) : path === '/' ? 'index.html' : path.slice(1);
    const file = resolve(base, relative);
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      done({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

async function measureCamera(origin: string, width: number, height: number): Promise<CameraTiming & { scanRegion: CameraTiming }> {
  const video = join(outDir, `camera-${width}x${height}.y4m`);
  writeBarcodeY4m(video, { width, height, bcid: 'ean13', text: '4006381333931', framesWithCode: 10, fps: 30, moduleWidth: width >= 1280 ? 4 : 3 });
  const browser = await launch([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  try {
    const context = await browser.newContext({ permissions: ['camera'] });
    const page = await context.newPage();
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.dataset['ready'] === 'true');
    const wholeFrame = await page.evaluate(([w, h]) => window.perpetuaBench.runCamera(w, h, 6000, false), [width, height] as const);
    const scanRegion = await page.evaluate(([w, h]) => window.perpetuaBench.runCamera(w, h, 6000, true), [width, height] as const);
    return { ...wholeFrame, scanRegion };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const wanted = process.env['BENCH_CANDIDATES']?.split(',');
  // Extra tuning variants to explore, e.g. BENCH_VARIANTS='[{"key":"x","engine":"zxing-wasm","tuning":{…}}]'.
  const variants = JSON.parse(process.env['BENCH_VARIANTS'] ?? '[]') as CandidateSpec[];
  ALL_CANDIDATES.push(...variants);
  const onlyFolders = process.env['BENCH_FOLDERS']?.split(',');
  const root = corpusRoot();
  const index = indexCorpus(root, onlyFolders);
  mkdirSync(outDir, { recursive: true });

  await build({
    configFile: false,
    root: here,
    base: './',
    logLevel: 'warn',
    build: { outDir: join(outDir, 'site'), emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  const { server, origin } = await serve(join(outDir, 'site'), root);

  const browser = await launch();
  let corpusResults: Record<string, Record<string, FolderResult>>;
  let available: { barcodeDetector: string[] };
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => document.getElementById('status')?.dataset['ready'] === 'true');
    available = await page.evaluate(() => window.perpetuaBench.availableEngines());
    const candidates = ALL_CANDIDATES.filter(
      (c) => (wanted === undefined || wanted.includes(c.key)) && (c.engine !== 'barcode-detector' || available.barcodeDetector.length > 0),
    );
    console.log(`corpus ${root}: ${Object.keys(index).length} folders; candidates ${candidates.map((c) => c.key).join(', ')}`);
    console.log(`BarcodeDetector in headless Chromium: ${available.barcodeDetector.length > 0 ? available.barcodeDetector.join(' ') : 'absent'}`);
    const started = Date.now();
    corpusResults = await page.evaluate(([i, c]) => window.perpetuaBench.runCorpus(i, c), [index, candidates] as const);
    console.log(`corpus pass: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await browser.close();
  }

  const camera: Record<string, CameraTiming & { scanRegion: CameraTiming }> = {};
  if (process.env['BENCH_SKIP_CAMERA'] !== '1') {
    for (const [w, h] of [[640, 480], [1280, 720]] as const) {
      camera[`${w}x${h}`] = await measureCamera(origin, w, h);
    }
  }
  server.close();

  const { [DEFAULT_DECODER]: defaultFolders, ...others } = corpusResults;
  const result = {
    decoder: DEFAULT_DECODER,
    folders: defaultFolders ?? {},
    candidates: Object.fromEntries(Object.entries(others).map(([key, folders]) => [key, { decoder: key, folders }])),
    cameraFrames: { decoder: DEFAULT_DECODER, path: 'DecoderBridge → decoder.worker.ts, all 8 formats; whole frame, and scanRegion = the app default crop', ...camera },
    barcodeDetector: available.barcodeDetector.length > 0 ? available.barcodeDetector : 'absent in headless Chromium on Linux',
    corpus: root.startsWith(repo) ? root.slice(repo.length + 1) : '../shared/barcode-corpus',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    measuredAt: new Date().toISOString(),
  };
  mkdirSync(join(repo, 'bench/results'), { recursive: true });
  writeFileSync(join(repo, 'bench/results/decode.json'), JSON.stringify(result, null, 2) + '\n');
  printSummary(result.folders, result.candidates, camera);
}

function printSummary(
  folders: Record<string, FolderResult>,
  candidates: Record<string, { folders: Record<string, FolderResult> }>,
  camera: Record<string, CameraTiming & { scanRegion: CameraTiming }>,
): void {
  const rows: string[] = [];
  const all = { [DEFAULT_DECODER]: { folders }, ...candidates };
  for (const [key, { folders: byFolder }] of Object.entries(all)) {
    for (const [folder, r] of Object.entries(byFolder)) {
      rows.push(
        `${key.padEnd(28)} ${folder.padEnd(17)} ${String(r.correct).padStart(3)}/${String(r.rotated180.correct).padEnd(3)} of ${String(r.images).padEnd(3)} misreads ${r.misreads}/${r.rotated180.misreads}  median ${r.medianMs} ms  p95 ${r.p95Ms} ms`,
      );
    }
  }
  console.log(rows.join('\n'));
  for (const [size, t] of Object.entries(camera)) {
    for (const [what, m] of [['whole frame', t], ['scan region', t.scanRegion]] as const) {
      console.log(`camera ${size} ${what}: ${m.frames} frames, decoded ${m.decoded}, worker median ${m.medianMs} ms p95 ${m.p95Ms} ms, round trip median ${m.roundTripMedianMs} ms p95 ${m.roundTripP95Ms} ms`);
    }
  }
}

await main();
