/// <reference types="vite/client" />
import * as Comlink from 'comlink';
// `?url` makes Vite emit the .wasm as a hashed asset of our own origin, so the service worker can
// precache it and scanning works offline. zxing-wasm would otherwise fetch it from a CDN.
import zxingWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { acceptRead } from './shared/accept-read.ts';
import type { ScanFormat } from './shared/formats.ts';
import type { DecodeOutcome, DecoderWorkerApi } from './shared/protocol.ts';
import { createZxingWasmEngine, loadZxingWasm } from './shared/engines/zxing-wasm.ts';
import { evenRect, LUMA_FIRST_FORMATS, lumaToRgba } from './shared/luma.ts';
import { cropRectangle, type ScanRegion } from './shared/region.ts';
import { SECOND_LOOK_EVERY, SecondLookCadence } from './shared/second-look.ts';

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
  const context2d = contextOf(width, height);
  context2d.drawImage(frame, 0, 0);
  frame.close();
  return context2d.getImageData(0, 0, width, height);
}

let frameBytes: Uint8Array<ArrayBuffer> | null = null;
let grey: Uint8ClampedArray<ArrayBuffer> | undefined;

/**
 * The scan region of a camera frame as ImageData at most `maxWidth` wide. YUV frames: the luma
 * plane is copied out of the frame and widened to grey RGBA (no colour conversion, no canvas).
 * Anything else (RGB frames, GPU frames without a CPU format, rotated frames): drawn on a canvas.
 * The frame is closed either way.
 */
async function pixelsOfVideoFrame(frame: VideoFrame, region: ScanRegion, maxWidth: number): Promise<{ image: ImageData; path: 'luma' | 'draw' }> {
  try {
    const visible = frame.visibleRect;
    const vx = visible?.x ?? 0;
    const vy = visible?.y ?? 0;
    const vw = visible?.width ?? frame.displayWidth;
    const vh = visible?.height ?? frame.displayHeight;
    const crop = cropRectangle(vw, vh, region);
    const rotated = ((frame as VideoFrame & { rotation?: number }).rotation ?? 0) !== 0 || (frame as VideoFrame & { flip?: boolean }).flip === true;
    const square = frame.displayWidth === vw && frame.displayHeight === vh;
    if (frame.format !== null && LUMA_FIRST_FORMATS.has(frame.format) && !rotated && square) {
      const rect = evenRect(vx + crop.sx, vy + crop.sy, crop.sw, crop.sh, vx + vw, vy + vh);
      const size = frame.allocationSize({ rect });
      if (frameBytes === null || frameBytes.length < size) frameBytes = new Uint8Array(size);
      const layout = await frame.copyTo(frameBytes, { rect });
      const luma = layout[0];
      if (luma !== undefined) {
        const out = lumaToRgba(frameBytes, luma.offset, luma.stride, rect.width, rect.height, maxWidth, grey);
        grey = out.data;
        return { image: new ImageData(out.data, out.width, out.height), path: 'luma' };
      }
    }
    // Display coordinates: the canvas applies rotation and pixel aspect as the <video> shows it.
    const display = cropRectangle(frame.displayWidth, frame.displayHeight, region);
    const scale = display.sw > maxWidth ? maxWidth / display.sw : 1;
    const width = Math.max(1, Math.round(display.sw * scale));
    const height = Math.max(1, Math.round(display.sh * scale));
    const context2d = contextOf(width, height);
    context2d.drawImage(frame, display.sx, display.sy, display.sw, display.sh, 0, 0, width, height);
    return { image: context2d.getImageData(0, 0, width, height), path: 'draw' };
  } finally {
    frame.close();
  }
}

function contextOf(width: number, height: number): OffscreenCanvasRenderingContext2D {
  if (canvas === null || canvas.width !== width || canvas.height !== height) {
    canvas = new OffscreenCanvas(width, height);
    context = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (context === null) throw new Error('This browser cannot read camera pixels in a worker.');
  return context;
}

/** Frames where the first look finds nothing get the slower second look on a cadence only. */
const secondLook = new SecondLookCadence(SECOND_LOOK_EVERY);

async function decodePixels(image: ImageData, formats: readonly ScanFormat[], started: number, pixelsMs: number, path: DecodeOutcome['path']): Promise<DecodeOutcome> {
  const reads = await engine.decode(image, formats, { secondLook: secondLook.due() });
  let rejected = 0;
  for (const raw of reads) {
    const read = acceptRead(raw);
    if (read !== null) {
      secondLook.record(true);
      return { read, rejected, decodeMs: performance.now() - started, pixelsMs, path };
    }
    rejected++;
  }
  secondLook.record(false);
  return { read: null, rejected, decodeMs: performance.now() - started, pixelsMs, path };
}

const api: DecoderWorkerApi = {
  async warmUp() {
    await ensureLoaded();
  },
  async decode(frame: ImageBitmap | ImageData, formats: readonly ScanFormat[]): Promise<DecodeOutcome> {
    await ensureLoaded();
    const started = performance.now();
    const pixels = pixelsOf(frame);
    return decodePixels(pixels, formats, started, performance.now() - started, 'close' in frame ? 'draw' : 'imagedata');
  },
  async decodeVideoFrame(frame: VideoFrame, region: ScanRegion, maxWidth: number, formats: readonly ScanFormat[]): Promise<DecodeOutcome> {
    try {
      await ensureLoaded();
    } catch (error) {
      frame.close();
      throw error;
    }
    const started = performance.now();
    const { image, path } = await pixelsOfVideoFrame(frame, region, maxWidth);
    return decodePixels(image, formats, started, performance.now() - started, path);
  },
};

Comlink.expose(api);
