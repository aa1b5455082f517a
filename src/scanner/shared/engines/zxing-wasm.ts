import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import type { RawRead } from '../accept-read.ts';
import { isScanFormat, ZXING_CPP_NAMES, type ScanFormat } from '../formats.ts';
import { widenTwice } from '../widen.ts';
import type { DecodeEngine, DecodeOptions } from './engine.ts';

/**
 * Where the zxing-cpp WebAssembly comes from. Never a CDN: the browser gets our own bundled URL
 * (precached by the service worker), Node tests pass the bytes from node_modules.
 */
export type WasmSource = { wasmUrl: string } | { wasmBinary: ArrayBuffer };

/** Tuning knobs measured by the benchmark (see src/scanner/README.md). */
export type ZxingWasmTuning = Pick<
  ReaderOptions,
  'tryHarder' | 'tryRotate' | 'tryInvert' | 'tryDownscale' | 'downscaleFactor' | 'downscaleThreshold' | 'binarizer' | 'minLineCount'
>;

/**
 * The default, chosen by `npm run bench:decode` (src/scanner/README.md): zxing-cpp's try-harder
 * reading plus a second look at the image halved in size from 240 px up, which reads two more
 * ean13-2 and one more upca-5 image than the library defaults at no measurable cost. Inverted
 * (white-on-black) codes are not retail practice, so that pass is skipped.
 */
export const DEFAULT_ZXING_WASM_TUNING: ZxingWasmTuning = {
  tryHarder: true,
  tryRotate: true,
  tryInvert: false,
  tryDownscale: true,
  downscaleFactor: 2,
  downscaleThreshold: 240,
};

/**
 * The second look, when the first found nothing: the image widened 2× (shared/widen.ts), read
 * once more with try-harder only. Widening helps only codes read along rows, so rotating is
 * pointless, and downscaling would undo the widening. Measured on the whole corpus
 * (src/scanner/README.md): reads upca-2 41 / 41 instead of 35 and upce-2 37 / 37 instead of 35,
 * no new misread, nothing on falsepositives-2.
 */
export const SECOND_LOOK_TUNING: ZxingWasmTuning = {
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: false,
};

export async function loadZxingWasm(source: WasmSource): Promise<void> {
  const overrides =
    'wasmBinary' in source
      ? { wasmBinary: source.wasmBinary }
      : { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? source.wasmUrl : prefix + path) };
  await prepareZXingModule({ overrides, fireImmediately: true });
}

/** The printed UPC-E digits zxing-cpp puts in `extra` as `{"UPCE":"0…"}` while `text` is expanded. */
function printedUpcEOf(extra: string): string | undefined {
  if (!extra.includes('UPCE')) return undefined;
  try {
    const parsed: unknown = JSON.parse(extra);
    if (typeof parsed === 'object' && parsed !== null && 'UPCE' in parsed) {
      const value = (parsed as { UPCE: unknown }).UPCE;
      return typeof value === 'string' ? value : undefined;
    }
  } catch {
    // Not JSON: fall back to compressing the expanded form.
  }
  return undefined;
}

const FORMAT_BY_ZXING_NAME = new Map<string, ScanFormat>(
  Object.entries(ZXING_CPP_NAMES).map(([ours, theirs]) => [theirs, ours as ScanFormat]),
);

/**
 * zxing-cpp in WebAssembly. Call `loadZxingWasm` first. Input: ImageData, or encoded image bytes in
 * Node (those get no second look: their pixels are decoded inside the library). `secondLook: null`
 * turns the second look off (benchmark candidates measure one set of options alone).
 */
export function createZxingWasmEngine(
  tuning: ZxingWasmTuning = DEFAULT_ZXING_WASM_TUNING,
  secondLook: ZxingWasmTuning | null = SECOND_LOOK_TUNING,
): DecodeEngine & {
  decodeAny(image: ImageData | Uint8Array, formats: readonly ScanFormat[], options?: DecodeOptions): Promise<RawRead[]>;
} {
  async function readOnce(image: ImageData | Uint8Array, formats: readonly ScanFormat[], options: ZxingWasmTuning): Promise<RawRead[]> {
    const results = await readBarcodes(image, {
      ...options,
      formats: formats.map((format) => ZXING_CPP_NAMES[format]) as ReaderOptions['formats'],
      // One symbol per frame: the cashier aims at one item; more symbols cost time and invite
      // reading the neighbour's barcode.
      maxNumberOfSymbols: 1,
      eanAddOnSymbol: 'Ignore',
    });
    const reads: RawRead[] = [];
    for (const result of results) {
      if (!result.isValid) continue;
      const format = FORMAT_BY_ZXING_NAME.get(result.format) ?? (isScanFormat(result.format) ? result.format : null);
      if (format === null) continue;
      const printedUpcE = format === 'upce' ? printedUpcEOf(result.extra) : undefined;
      reads.push(printedUpcE === undefined ? { text: result.text, format } : { text: result.text, format, printedUpcE });
    }
    return reads;
  }
  // The widened image's buffer, kept for the next second look (see widenTwice on why).
  let scratch: Uint8ClampedArray<ArrayBuffer> | undefined;
  async function decodeAny(image: ImageData | Uint8Array, formats: readonly ScanFormat[], options: DecodeOptions = {}): Promise<RawRead[]> {
    const reads = await readOnce(image, formats, tuning);
    if (reads.length > 0 || secondLook === null || options.secondLook === false || image instanceof Uint8Array) return reads;
    const widened = widenTwice(image, scratch);
    if (scratch === undefined || widened.data.buffer !== scratch.buffer) scratch = widened.data;
    // zxing-wasm reads any { data, width, height } (Node has no ImageData class).
    return readOnce(widened as ImageData, formats, secondLook);
  }
  return { name: 'zxing-wasm', decode: decodeAny, decodeAny };
}
