/**
 * The benchmark page. Corpus images are decoded in a worker (bench.worker.ts); camera frames go
 * through the app's own DecoderBridge and decoder worker, the path a cashier's frames take.
 */
import * as Comlink from 'comlink';
import { cropRectangle, decodeSize, DecoderBridge, DEFAULT_MAX_DECODE_WIDTH, DEFAULT_SCAN_REGION } from '../../src/scanner/decoder-bridge.ts';
import { SCAN_FORMATS, formatOfFolder, type ScanFormat } from '../../src/scanner/shared/formats.ts';
import type { BenchWorkerApi, CandidateSpec } from './bench.worker.ts';

export interface CorpusImage {
  url: string;
  /** Expected text; null in folders that hold no barcode. */
  expected: string | null;
}
export type CorpusIndex = Record<string, CorpusImage[]>;

export interface FolderStats {
  images: number;
  correct: number;
  misreads: number;
  medianMs: number;
  p95Ms: number;
}

export interface FolderResult extends FolderStats {
  rotated180: FolderStats;
  misreadDetails: { image: string; rotated: boolean; expected: string | null; got: string }[];
  /** Images (with orientation) that were not read, to compare candidates image by image. */
  missed: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? 0) * 100) / 100;
}

function stats(outcomes: { ok: boolean; misread: boolean; ms: number }[]): FolderStats {
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    images: outcomes.length,
    correct: outcomes.filter((o) => o.ok).length,
    misreads: outcomes.filter((o) => o.misread).length,
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
  };
}

async function runCorpus(index: CorpusIndex, candidates: CandidateSpec[]): Promise<Record<string, Record<string, FolderResult>>> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<BenchWorkerApi>(worker);
  const results: Record<string, Record<string, FolderResult>> = {};
  for (const candidate of candidates) results[candidate.key] = {};
  // One untimed decode per candidate so WebAssembly compilation and JIT warm-up are not billed
  // to the first folder.
  const first = Object.values(index).find((images) => images.length > 0)?.[0];
  if (first !== undefined) {
    await api.load(first.url);
    for (const candidate of candidates) await api.decode(candidate, [...SCAN_FORMATS], false);
  }
  for (const [folder, images] of Object.entries(index)) {
    // A folder without a format prefix (falsepositives-*) is read with every format we scan.
    const format = formatOfFolder(folder);
    const formats: ScanFormat[] = format === null ? [...SCAN_FORMATS] : [format];
    const perCandidate = new Map<string, { up: { ok: boolean; misread: boolean; ms: number }[]; down: { ok: boolean; misread: boolean; ms: number }[]; details: FolderResult['misreadDetails']; missed: string[] }>();
    for (const candidate of candidates) perCandidate.set(candidate.key, { up: [], down: [], details: [], missed: [] });
    for (const image of images) {
      document.title = `${folder} ${image.url}`;
      await api.load(image.url);
      for (const candidate of candidates) {
        const bucket = perCandidate.get(candidate.key);
        if (bucket === undefined) continue;
        for (const rotated of [false, true]) {
          const outcome = await api.decode(candidate, formats, rotated);
          const ok = outcome.text !== null && outcome.text === image.expected;
          const misread = outcome.text !== null && !ok;
          if (!ok && image.expected !== null) bucket.missed.push(`${image.url.split('/').pop() ?? ''}${rotated ? '@180' : ''}`);
          if (misread) bucket.details.push({ image: image.url, rotated, expected: image.expected, got: outcome.text ?? '' });
          (rotated ? bucket.down : bucket.up).push({ ok, misread, ms: outcome.ms });
        }
      }
    }
    for (const candidate of candidates) {
      const bucket = perCandidate.get(candidate.key);
      const target = results[candidate.key];
      if (bucket === undefined || target === undefined) continue;
      target[folder] = { ...stats(bucket.up), rotated180: stats(bucket.down), misreadDetails: bucket.details, missed: bucket.missed };
    }
  }
  worker.terminate();
  return results;
}

async function availableEngines(): Promise<{ barcodeDetector: string[] }> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<BenchWorkerApi>(worker);
  const available = await api.available();
  worker.terminate();
  return available;
}

export interface CameraTiming {
  width: number;
  height: number;
  frames: number;
  decoded: number;
  dropped: number;
  /** Worker-side decode time per frame. */
  medianMs: number;
  p95Ms: number;
  /** Mean worker time: what the frames cost the CPU on average, second looks included. */
  meanMs: number;
  /** Main thread: from frame offered to answer back (crop, transfer, decode, reply). */
  roundTripMedianMs: number;
  roundTripP95Ms: number;
  firstText: string | null;
}

/** Feeds frames of the (fake) camera through the app's DecoderBridge for `durationMs`. */
async function runCamera(
  width: number,
  height: number,
  durationMs: number,
  cropToScanRegion: boolean,
  options: { maxWidth?: number; videoFrames?: boolean } = {},
): Promise<CameraTiming & { sentWidth: number; sentHeight: number; pixelsMedianMs: number; paths: Record<string, number> }> {
  const maxWidth = options.maxWidth;
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { exact: width }, height: { exact: height } } });
  const video = document.getElementById('camera') as HTMLVideoElement;
  video.srcObject = stream;
  await video.play();
  // Whole frame ("per 640×480 frame"), or the app's default scan region (what a cashier's frames cost).
  // maxWidth: the bridge's default downscale (undefined), or Infinity for full resolution.
  const region = cropToScanRegion ? DEFAULT_SCAN_REGION : { x: 0, y: 0, width: 1, height: 1 };
  const bridge = new DecoderBridge({
    formats: SCAN_FORMATS,
    region,
    videoFrames: options.videoFrames ?? true,
    ...(maxWidth === undefined ? {} : { maxWidth: maxWidth < 0 ? Infinity : maxWidth }),
  });
  const paths: Record<string, number> = {};
  await bridge.warmUp();
  const decodeMs: number[] = [];
  const pixelsMs: number[] = [];
  const roundTrip: number[] = [];
  let decoded = 0;
  let firstText: string | null = null;
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
    const started = performance.now();
    const outcome = await bridge.submit(video);
    if ('dropped' in outcome) continue;
    roundTrip.push(performance.now() - started);
    decodeMs.push(outcome.decodeMs);
    pixelsMs.push(outcome.pixelsMs ?? 0);
    paths[outcome.path ?? 'unknown'] = (paths[outcome.path ?? 'unknown'] ?? 0) + 1;
    if (outcome.read !== null) {
      decoded++;
      firstText ??= outcome.read.text;
    }
  }
  bridge.terminate();
  for (const track of stream.getTracks()) track.stop();
  const crop = cropRectangle(video.videoWidth, video.videoHeight, region);
  const sent = decodeSize(crop.sw, crop.sh, maxWidth === undefined ? DEFAULT_MAX_DECODE_WIDTH : maxWidth < 0 ? Infinity : maxWidth);
  const sortedDecode = [...decodeMs].sort((a, b) => a - b);
  const sortedTrip = [...roundTrip].sort((a, b) => a - b);
  return {
    width: video.videoWidth,
    height: video.videoHeight,
    frames: decodeMs.length,
    decoded,
    dropped: bridge.dropped,
    medianMs: percentile(sortedDecode, 50),
    p95Ms: percentile(sortedDecode, 95),
    meanMs: Math.round((decodeMs.reduce((sum, ms) => sum + ms, 0) / Math.max(1, decodeMs.length)) * 100) / 100,
    roundTripMedianMs: percentile(sortedTrip, 50),
    roundTripP95Ms: percentile(sortedTrip, 95),
    firstText,
    paths,
    pixelsMedianMs: percentile([...pixelsMs].sort((a, b) => a - b), 50),
    sentWidth: sent.width,
    sentHeight: sent.height,
  };
}

declare global {
  interface Window {
    perpetuaBench: {
      runCorpus: typeof runCorpus;
      runCamera: typeof runCamera;
      availableEngines: typeof availableEngines;
    };
  }
}

window.perpetuaBench = { runCorpus, runCamera, availableEngines };
document.getElementById('status')?.setAttribute('data-ready', 'true');
