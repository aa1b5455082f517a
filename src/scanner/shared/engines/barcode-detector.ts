import type { RawRead } from '../accept-read.ts';
import type { ScanFormat } from '../formats.ts';
import type { DecodeEngine } from './engine.ts';

/** The Shape Detection API is not in TypeScript's lib yet; this is the part we use. */
interface DetectedBarcodeLike {
  rawValue: string;
  format: string;
}
interface BarcodeDetectorLike {
  detect(image: ImageData | ImageBitmap): Promise<DetectedBarcodeLike[]>;
}
interface BarcodeDetectorConstructor {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

const TO_NATIVE: Record<ScanFormat, string> = {
  ean13: 'ean_13',
  ean8: 'ean_8',
  upca: 'upc_a',
  upce: 'upc_e',
  code128: 'code_128',
  code39: 'code_39',
  itf: 'itf',
  qrcode: 'qr_code',
};
const FROM_NATIVE = new Map<string, ScanFormat>(Object.entries(TO_NATIVE).map(([ours, theirs]) => [theirs, ours as ScanFormat]));

function nativeDetector(): BarcodeDetectorConstructor | null {
  const candidate = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  return candidate ?? null;
}

/** The formats the platform's BarcodeDetector supports; empty where it has none (most desktops). */
export async function nativeBarcodeFormats(): Promise<string[]> {
  const Detector = nativeDetector();
  if (Detector === null) return [];
  try {
    return await Detector.getSupportedFormats();
  } catch {
    return [];
  }
}

export function createBarcodeDetectorEngine(): DecodeEngine | null {
  const Detector = nativeDetector();
  if (Detector === null) return null;
  const detectors = new Map<string, BarcodeDetectorLike>();
  return {
    name: 'barcode-detector',
    async decode(image, formats) {
      const key = formats.join(',');
      let detector = detectors.get(key);
      if (detector === undefined) {
        detector = new Detector({ formats: formats.map((format) => TO_NATIVE[format]) });
        detectors.set(key, detector);
      }
      const found = await detector.detect(image);
      const reads: RawRead[] = [];
      for (const barcode of found.slice(0, 1)) {
        const format = FROM_NATIVE.get(barcode.format);
        if (format !== undefined) reads.push({ text: barcode.rawValue, format });
      }
      return reads;
    },
  };
}
