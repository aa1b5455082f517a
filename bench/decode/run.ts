/**
 * `npm run bench:decode`: decoder comparison in Chromium, inside a Web Worker.
 *
 * Reads EVERY folder of ../shared/barcode-corpus (the ZXing project's photos; PERPETUA_SHARED_DIR
 * moves ../shared) when it is present, else says so and writes the synthetic photos of
 * tests/scanner/synthetic as a corpus and reads those; a folder's name prefix gives its format.
 * Each candidate decodes each image upright and turned 180°. Then frames of a fake camera (640×480
 * and 1280×720) go through the app's own DecoderBridge and decoder worker. Writes
 * bench/results/decode.json for the ZXing photos, bench/results/decode-synthetic.json for the
 * synthetic set (so the two are never mixed up); `corpus` in the file names the set.
 *
 * Options (env): BENCH_CANDIDATES=zxing-wasm,zxing-js,… (default: all), BENCH_FOLDERS=ean13-5,…,
 * BENCH_SKIP_CAMERA=1, BENCH_CAMERA_ONLY=1 (camera frames only, merged into decode.json),
 * BENCH_CAMERA_MS=6000 (per camera run), BENCH_CAMERA_RUNS=640x480,1280x720,1280x720-small-code.
 * BENCH_NO_WRITE=1 prints without touching the results file. BENCH_SYNTHETIC_CODES=5 (codes per
 * format in the synthetic set, each photographed once per defect class).
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tests/chromium.ts';
import { writeBarcodeY4m } from './fake-camera.ts';
import { writeSyntheticCorpus } from './synthetic-corpus.ts';
import { absentNotice, sharedDataSet } from '../../tests/shared-data.ts';
import { DEFAULT_ZXING_WASM_TUNING } from '../../src/scanner/shared/engines/zxing-wasm.ts';
import { DEFAULT_MAX_DECODE_WIDTH, DEFAULT_SCAN_REGION } from '../../src/scanner/decoder-bridge.ts';
import type { CandidateSpec } from './bench.worker.ts';
import type { CameraTiming, CorpusIndex, FolderResult } from './bench-page.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const outDir = join(repo, '.tmp/bench-decode');
const IMAGE = /\.(png|jpe?g|gif|bmp)$/i;

/** The default decoder, chosen by this benchmark (see src/scanner/README.md). */
const DEFAULT_DECODER = 'zxing-wasm';

const ALL_CANDIDATES: CandidateSpec[] = [
  // The app's default: DEFAULT_ZXING_WASM_TUNING, then SECOND_LOOK_TUNING on the image widened 2×
  // when the first look finds nothing (still images always; the camera loop on a cadence).
  { key: 'zxing-wasm', engine: 'zxing-wasm' },
  // The default before the second look existed: the first look alone.
  { key: 'zxing-wasm:first-look-only', engine: 'zxing-wasm', secondLook: null },
  { key: 'zxing-js', engine: 'zxing-js' },
  { key: 'barcode-detector', engine: 'barcode-detector' },
  // zxing-wasm with the library's own defaults (downscale by 3 from 500 px, inverted codes tried).
  { key: 'zxing-wasm:library-defaults', engine: 'zxing-wasm', tuning: { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true }, secondLook: null },
  // First-look variants tried while chasing the blurry set (ean13-5) and the last upca-2 image.
  { key: 'zxing-wasm:global-histogram', engine: 'zxing-wasm', tuning: { ...DEFAULT_ZXING_WASM_TUNING, binarizer: 'GlobalHistogram' }, secondLook: null },
  { key: 'zxing-wasm:min-lines-1', engine: 'zxing-wasm', tuning: { ...DEFAULT_ZXING_WASM_TUNING, minLineCount: 1 }, secondLook: null },
  { key: 'zxing-wasm:min-lines-3', engine: 'zxing-wasm', tuning: { ...DEFAULT_ZXING_WASM_TUNING, minLineCount: 3 }, secondLook: null },
  { key: 'zxing-wasm:fast', engine: 'zxing-wasm', tuning: { tryHarder: false, tryRotate: false, tryInvert: false, tryDownscale: false }, secondLook: null },
  // Second-look variants: the widened image read with rotation and downscaling as in the first look.
  { key: 'zxing-wasm:second-look-rotate', engine: 'zxing-wasm', secondLook: DEFAULT_ZXING_WASM_TUNING },
];

interface Corpus {
  root: string;
  /** What the results file and the output call it. */
  name: string;
  results: string;
}

/** The ZXing photos in ../shared when present; else the synthetic set, written under .tmp. */
async function corpus(): Promise<Corpus> {
  const shared = sharedDataSet('barcode-corpus');
  if (shared.present) return { root: shared.path, name: `${shared.label} (the ZXing project's photos)`, results: 'decode.json' };
  console.log(`${absentNotice(shared, 'the ZXing photos')}\nReading the synthetic set instead (tests/scanner/synthetic).`);
  const root = join(outDir, 'synthetic-corpus');
  const images = await writeSyntheticCorpus(root, Number(process.env['BENCH_SYNTHETIC_CODES'] ?? 5), 6);
  return { root, name: `synthetic: ${images} images rendered with bwip-js, defects added (tests/scanner/synthetic)`, results: 'decode-synthetic.json' };
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

async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

type FrameTiming = CameraTiming & { sentWidth: number; sentHeight: number; pixelsMedianMs: number; paths: Record<string, number> };
export type CameraResult = FrameTiming & {
  scanRegion: FrameTiming;
  /**
   * The same scan region through the ImageBitmap path (browsers without WebCodecs VideoFrame):
   * scaled to maxWidth in createImageBitmap, and at full resolution (the path before the change).
   */
  imageBitmap: { scanRegion: FrameTiming; fullResolution?: FrameTiming };
  moduleWidthPx: number;
};

const CAMERA_MS = Number(process.env['BENCH_CAMERA_MS'] ?? 6000);

async function measureCamera(origin: string, width: number, height: number, moduleWidth: number, noCode = false): Promise<CameraResult> {
  const video = join(outDir, `camera-${width}x${height}-m${moduleWidth}${noCode ? '-no-code' : ''}.y4m`);
  writeBarcodeY4m(
    video,
    noCode
      ? { width, height, bcid: 'ean13', text: '4006381333931', framesWithCode: 0, framesWithout: 10, fps: 30, background: 'clutter' }
      : { width, height, bcid: 'ean13', text: '4006381333931', framesWithCode: 10, fps: 30, moduleWidth },
  );
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
    // maxWidth undefined = the bridge's default downscale; -1 = full resolution.
    const run = (region: boolean, videoFrames = true, maxWidth?: number) =>
      page.evaluate(
        ([w, h, ms, r, v, m]) => window.perpetuaBench.runCamera(w, h, ms, r, { videoFrames: v, ...(m === null ? {} : { maxWidth: m }) }),
        [width, height, CAMERA_MS, region, videoFrames, maxWidth ?? null] as const,
      );
    const wholeFrame = await run(false);
    const scanRegion = await run(true);
    const bitmapRegion = await run(true, false);
    const imageBitmap: CameraResult['imageBitmap'] = { scanRegion: bitmapRegion };
    if (bitmapRegion.sentWidth < width * DEFAULT_SCAN_REGION.width - 1) imageBitmap.fullResolution = await run(true, false, -1);
    return { ...wholeFrame, scanRegion, imageBitmap, moduleWidthPx: moduleWidth };
  } finally {
    await browser.close();
  }
}

/** The 1-, 5- and 15-minute load averages, so timings measured on a shared machine can be judged. */
function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

const CAMERA_RUNS: { key: string; width: number; height: number; moduleWidth: number; noCode?: true }[] = [
  { key: '640x480', width: 640, height: 480, moduleWidth: 3 },
  // No code in view, a busy scene instead: what most frames of a camera loop are, and the frames
  // that pay for the decoder's second look (every SECOND_LOOK_EVERY-th frame without a read).
  { key: '640x480-no-code', width: 640, height: 480, moduleWidth: 3, noCode: true },
  { key: '1280x720', width: 1280, height: 720, moduleWidth: 4 },
  // A code held farther away: 2 px per module at 720p is 1.67 px after scaling to 960 px.
  { key: '1280x720-small-code', width: 1280, height: 720, moduleWidth: 2 },
];

/** BENCH_CAMERA_RUNS=640x480,1280x720 picks runs by key (default: all). */
function cameraRuns(): typeof CAMERA_RUNS {
  const only = process.env['BENCH_CAMERA_RUNS']?.split(',');
  return only === undefined ? CAMERA_RUNS : CAMERA_RUNS.filter((r) => only.includes(r.key));
}

/** BENCH_CAMERA_ONLY=1: re-measure camera frames only and replace `cameraFrames` in decode.json. */
async function cameraOnly(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await buildBenchPage();
  // Camera frames only: no corpus images are served.
  const { server, origin } = await serve(join(outDir, 'site'), join(outDir, 'site'));
  const loadBefore = loadAverage();
  const camera: Record<string, CameraResult> = {};
  try {
    for (const r of cameraRuns()) camera[r.key] = await measureCamera(origin, r.width, r.height, r.moduleWidth, r.noCode);
  } finally {
    server.close();
  }
  const file = join(repo, 'bench/results/decode.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : { decoder: DEFAULT_DECODER, folders: {} };
  previous['cameraFrames'] = cameraFrames(camera, loadBefore);
  if (process.env['BENCH_NO_WRITE'] !== '1') writeFileSync(file, JSON.stringify(previous, null, 2) + '\n');
  printCamera(camera);
}

function cameraFrames(camera: Record<string, CameraResult>, loadBefore: string): Record<string, unknown> {
  return {
    decoder: DEFAULT_DECODER,
    path: 'DecoderBridge → decoder.worker.ts, all 8 formats. Default path: the video frame as a WebCodecs VideoFrame, cropped in the worker, luma plane read directly, scaled to ≤ maxWidth. Whole frame, and scanRegion = the app default crop. imageBitmap = the fallback path (createImageBitmap crop+resize, drawImage+getImageData in the worker); imageBitmap.fullResolution = the path before frames were scaled down. medianMs = worker time incl. pixelsMedianMs (getting pixels).',
    maxWidth: DEFAULT_MAX_DECODE_WIDTH,
    durationMsPerRun: CAMERA_MS,
    loadAverage: { before: loadBefore, after: loadAverage() },
    measuredAt: new Date().toISOString(),
    ...camera,
  };
}

function buildBenchPage(): Promise<unknown> {
  return build({
    configFile: false,
    root: here,
    base: './',
    logLevel: 'warn',
    build: { outDir: join(outDir, 'site'), emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
}

async function main(): Promise<void> {
  const wanted = process.env['BENCH_CANDIDATES']?.split(',');
  // Extra tuning variants to explore, e.g. BENCH_VARIANTS='[{"key":"x","engine":"zxing-wasm","tuning":{…}}]'.
  const variants = JSON.parse(process.env['BENCH_VARIANTS'] ?? '[]') as CandidateSpec[];
  ALL_CANDIDATES.push(...variants);
  const onlyFolders = process.env['BENCH_FOLDERS']?.split(',');
  mkdirSync(outDir, { recursive: true });
  const { root, name: corpusName, results } = await corpus();
  const index = indexCorpus(root, onlyFolders);

  await buildBenchPage();
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
    console.log(`corpus ${corpusName}: ${Object.keys(index).length} folders; candidates ${candidates.map((c) => c.key).join(', ')}`);
    console.log(`BarcodeDetector in headless Chromium: ${available.barcodeDetector.length > 0 ? available.barcodeDetector.join(' ') : 'absent'}`);
    const started = Date.now();
    corpusResults = await page.evaluate(([i, c]) => window.perpetuaBench.runCorpus(i, c), [index, candidates] as const);
    console.log(`corpus pass: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await browser.close();
  }

  const camera: Record<string, CameraResult> = {};
  const loadBefore = loadAverage();
  if (process.env['BENCH_SKIP_CAMERA'] !== '1') {
    for (const r of cameraRuns()) camera[r.key] = await measureCamera(origin, r.width, r.height, r.moduleWidth, r.noCode);
  }
  server.close();

  const { [DEFAULT_DECODER]: defaultFolders, ...others } = corpusResults;
  const result = {
    decoder: DEFAULT_DECODER,
    folders: defaultFolders ?? {},
    candidates: Object.fromEntries(Object.entries(others).map(([key, folders]) => [key, { decoder: key, folders }])),
    cameraFrames: cameraFrames(camera, loadBefore),
    barcodeDetector: available.barcodeDetector.length > 0 ? available.barcodeDetector : 'absent in headless Chromium on Linux',
    corpus: corpusName,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    measuredAt: new Date().toISOString(),
  };
  printSummary(result.folders, result.candidates, camera);
  console.log(`corpus: ${corpusName}`);
  if (process.env['BENCH_NO_WRITE'] === '1') return;
  mkdirSync(join(repo, 'bench/results'), { recursive: true });
  writeFileSync(join(repo, 'bench/results', results), JSON.stringify(result, null, 2) + '\n');
  console.log(`written: bench/results/${results}`);
}

function printSummary(
  folders: Record<string, FolderResult>,
  candidates: Record<string, { folders: Record<string, FolderResult> }>,
  camera: Record<string, CameraResult>,
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
  printCamera(camera);
}

function printCamera(camera: Record<string, CameraResult>): void {
  for (const [size, t] of Object.entries(camera)) {
    const runs: [string, FrameTiming][] = [['whole frame', t], ['scan region', t.scanRegion], ['scan region, ImageBitmap', t.imageBitmap.scanRegion]];
    if (t.imageBitmap.fullResolution) runs.push(['scan region, ImageBitmap full res', t.imageBitmap.fullResolution]);
    for (const [what, m] of runs) {
      console.log(
        `camera ${size} ${what} (sent ${m.sentWidth}×${m.sentHeight}): ${m.frames} frames, decoded ${m.decoded}, worker median ${m.medianMs} ms mean ${m.meanMs} ms (pixels ${m.pixelsMedianMs}, ${Object.entries(m.paths).map(([k, n]) => `${k} ${n}`).join(' ')}) p95 ${m.p95Ms} ms, round trip median ${m.roundTripMedianMs} ms p95 ${m.roundTripP95Ms} ms`,
      );
    }
  }
  console.log(`load average now: ${loadAverage()}`);
}

if (process.env['BENCH_CAMERA_ONLY'] === '1') await cameraOnly();
else await main();
