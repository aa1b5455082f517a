import type { ScanRead } from './accept-read.ts';
import type { ScanFormat } from './formats.ts';
import type { ScanRegion } from './region.ts';

/** What one frame gave: at most one trusted read, and how long the worker spent on it. */
export interface DecodeOutcome {
  read: ScanRead | null;
  /** Reads the engine returned that failed the check digit (counted for diagnostics). */
  rejected: number;
  /** Time inside the worker from pixels in to answer out, milliseconds. */
  decodeMs: number;
  /** Part of decodeMs spent turning the transferred bitmap into pixels (drawImage + getImageData). */
  pixelsMs?: number;
  /** How the pixels were read: 'luma' (VideoFrame Y plane), 'draw' (canvas) or 'imagedata'. */
  path?: 'luma' | 'draw' | 'imagedata';
}

/** The decoder worker's comlink API; the worker implements it, the bridge calls it. */
export interface DecoderWorkerApi {
  /** Loads the WebAssembly ahead of the first frame so the first scan is not slow. */
  warmUp(): Promise<void>;
  decode(frame: ImageBitmap | ImageData, formats: readonly ScanFormat[]): Promise<DecodeOutcome>;
  /**
   * A camera frame as is (transferred; the worker closes it): the worker crops `region`, reads the
   * luma plane (YUV formats) scaled to at most `maxWidth`, or draws the frame when it is not YUV.
   */
  decodeVideoFrame(frame: VideoFrame, region: ScanRegion, maxWidth: number, formats: readonly ScanFormat[]): Promise<DecodeOutcome>;
}
