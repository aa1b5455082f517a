import type { RawRead } from '../accept-read.ts';
import type { ScanFormat } from '../formats.ts';

/**
 * One barcode decoding library behind one contract, so the worker and the benchmark measure
 * exactly the code that ships. Engines return what they saw; `acceptRead` decides what to trust.
 */
export interface DecodeEngine {
  readonly name: EngineName;
  decode(image: ImageData, formats: readonly ScanFormat[], options?: DecodeOptions): Promise<RawRead[]>;
}

export interface DecodeOptions {
  /**
   * May the engine take a slower second look when the first finds nothing (default true)? The
   * camera loop allows it on some frames only, to bound the cost of frames without a code.
   */
  secondLook?: boolean;
}

export type EngineName = 'zxing-wasm' | 'zxing-js' | 'barcode-detector';

/** RGBA → 8-bit luminance (ITU-R BT.601 weights in integers), the input of every 1D decoder. */
export function luminanceOf(image: ImageData): Uint8ClampedArray {
  const { data, width, height } = image;
  const out = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] = ((data[p] ?? 0) * 306 + (data[p + 1] ?? 0) * 601 + (data[p + 2] ?? 0) * 117) >> 10;
  }
  return out;
}
