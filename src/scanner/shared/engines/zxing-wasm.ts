import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import type { RawRead } from '../accept-read.ts';
import { isScanFormat, ZXING_CPP_NAMES, type ScanFormat } from '../formats.ts';
import type { DecodeEngine } from './engine.ts';

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

/** zxing-cpp in WebAssembly. Call `loadZxingWasm` first. Input: ImageData, or encoded image bytes in Node. */
export function createZxingWasmEngine(tuning: ZxingWasmTuning = DEFAULT_ZXING_WASM_TUNING): DecodeEngine & {
  decodeAny(image: ImageData | Uint8Array, formats: readonly ScanFormat[]): Promise<RawRead[]>;
} {
  async function decodeAny(image: ImageData | Uint8Array, formats: readonly ScanFormat[]): Promise<RawRead[]> {
    const results = await readBarcodes(image, {
      ...tuning,
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
  return { name: 'zxing-wasm', decode: decodeAny, decodeAny };
}
