/// <reference types="vite/client" />
import * as Comlink from 'comlink';
// `?url` makes Vite emit the .wasm as a hashed asset of our own origin, so the service worker can
// precache it and scanning works offline. zxing-wasm would otherwise fetch it from a CDN.
import zxingWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { acceptRead } from './shared/accept-read.ts';
import type { ScanFormat } from './shared/formats.ts';
import type { DecodeOutcome, DecoderWorkerApi } from './shared/protocol.ts';
import { createZxingWasmEngine, loadZxingWasm } from './shared/engines/zxing-wasm.ts';

const engine = createZxingWasmEngine();
let loading: Promise<void> | null = null;

function ensureLoaded(): Promise<void> {
  loading ??= loadZxingWasm({ wasmUrl: zxingWasmUrl }).catch((error: unknown) => {
    loading = null; // let the next frame try again rather than failing forever
    throw error;
  });
  return loading;
}

let canvas: OffscreenCanvas | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;

/** ImageBitmap → ImageData on one reused canvas; the bitmap is closed to free its memory at once. */
function pixelsOf(frame: ImageBitmap | ImageData): ImageData {
  if (!('close' in frame)) return frame;
  const { width, height } = frame;
  if (canvas === null || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
    context = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (context === null) throw new Error('This browser cannot read camera pixels in a worker.');
  context.drawImage(frame, 0, 0);
  frame.close();
  return context.getImageData(0, 0, width, height);
}

const api: DecoderWorkerApi = {
  async warmUp() {
    await ensureLoaded();
  },
  async decode(frame: ImageBitmap | ImageData, formats: readonly ScanFormat[]): Promise<DecodeOutcome> {
    await ensureLoaded();
    const started = performance.now();
    const reads = await engine.decode(pixelsOf(frame), formats);
    let rejected = 0;
    for (const raw of reads) {
      const read = acceptRead(raw);
      if (read !== null) return { read, rejected, decodeMs: performance.now() - started };
      rejected++;
    }
    return { read: null, rejected, decodeMs: performance.now() - started };
  },
};

Comlink.expose(api);
