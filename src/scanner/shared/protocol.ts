import type { ScanRead } from './accept-read.ts';
import type { ScanFormat } from './formats.ts';

/** What one frame gave: at most one trusted read, and how long the worker spent on it. */
export interface DecodeOutcome {
  read: ScanRead | null;
  /** Reads the engine returned that failed the check digit (counted for diagnostics). */
  rejected: number;
  /** Time inside the worker from pixels in to answer out, milliseconds. */
  decodeMs: number;
}

/** The decoder worker's comlink API; the worker implements it, the bridge calls it. */
export interface DecoderWorkerApi {
  /** Loads the WebAssembly ahead of the first frame so the first scan is not slow. */
  warmUp(): Promise<void>;
  decode(frame: ImageBitmap | ImageData, formats: readonly ScanFormat[]): Promise<DecodeOutcome>;
}
