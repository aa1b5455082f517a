/// <reference types="vite/client" />
/// <reference lib="webworker" />
/**
 * The benchmark's worker: decodes corpus images with each candidate engine, inside a Web Worker in
 * Chromium, the way the app's decoder worker does (same engine modules, same acceptance rule).
 */
import * as Comlink from 'comlink';
import zxingWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { acceptRead } from '../../src/scanner/shared/accept-read.ts';
import type { ScanFormat } from '../../src/scanner/shared/formats.ts';
import type { DecodeEngine, EngineName } from '../../src/scanner/shared/engines/engine.ts';
import { createBarcodeDetectorEngine, nativeBarcodeFormats } from '../../src/scanner/shared/engines/barcode-detector.ts';
import { createZxingJsEngine } from '../../src/scanner/shared/engines/zxing-js.ts';
import { createZxingWasmEngine, loadZxingWasm, SECOND_LOOK_TUNING, type ZxingWasmTuning } from '../../src/scanner/shared/engines/zxing-wasm.ts';

export interface CandidateSpec {
  /** Key in decode.json, e.g. "zxing-wasm" or "zxing-wasm:globalHistogram". */
  key: string;
  engine: EngineName;
  tuning?: ZxingWasmTuning;
  /** zxing-wasm's second look when the first finds nothing: default SECOND_LOOK_TUNING, null for none. */
  secondLook?: ZxingWasmTuning | null;
}

export interface ImageOutcome {
  /** Accepted text, or null when nothing passed the acceptance rule. */
  text: string | null;
  ms: number;
}

export interface BenchWorkerApi {
  available(): Promise<{ barcodeDetector: string[] }>;
  /** Fetches and rasterises one image, keeping it (upright and turned 180°) for the next calls. */
  load(url: string): Promise<{ width: number; height: number }>;
  decode(candidate: CandidateSpec, formats: ScanFormat[], rotated: boolean): Promise<ImageOutcome>;
}

let upright: ImageData | null = null;
let turned: ImageData | null = null;
const engines = new Map<string, DecodeEngine>();

async function engineFor(candidate: CandidateSpec): Promise<DecodeEngine | null> {
  const cached = engines.get(candidate.key);
  if (cached !== undefined) return cached;
  let engine: DecodeEngine | null;
  switch (candidate.engine) {
    case 'zxing-wasm':
      await loadZxingWasm({ wasmUrl: zxingWasmUrl });
      engine = createZxingWasmEngine(candidate.tuning, candidate.secondLook === undefined ? SECOND_LOOK_TUNING : candidate.secondLook);
      break;
    case 'zxing-js':
      engine = createZxingJsEngine(true);
      break;
    case 'barcode-detector':
      engine = createBarcodeDetectorEngine();
      break;
  }
  if (engine !== null) engines.set(candidate.key, engine);
  return engine;
}

const api: BenchWorkerApi = {
  async available() {
    return { barcodeDetector: await nativeBarcodeFormats() };
  },
  async load(url) {
    const blob = await (await fetch(url)).blob();
    const bitmap = await createImageBitmap(blob);
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('no 2d context in worker');
    context.drawImage(bitmap, 0, 0);
    upright = context.getImageData(0, 0, width, height);
    context.setTransform(-1, 0, 0, -1, width, height); // 180° about the centre
    context.drawImage(bitmap, 0, 0);
    turned = context.getImageData(0, 0, width, height);
    bitmap.close();
    return { width, height };
  },
  async decode(candidate, formats, rotated) {
    const image = rotated ? turned : upright;
    if (image === null) throw new Error('load an image first');
    const engine = await engineFor(candidate);
    if (engine === null) throw new Error(`${candidate.engine} is not available here`);
    const started = performance.now();
    const reads = await engine.decode(image, formats);
    let text: string | null = null;
    for (const raw of reads) {
      const read = acceptRead(raw);
      if (read !== null) {
        text = read.text;
        break;
      }
    }
    return { text, ms: performance.now() - started };
  },
};

Comlink.expose(api);
