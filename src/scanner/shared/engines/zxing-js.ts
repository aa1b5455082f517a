import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  NotFoundException,
  ChecksumException,
  FormatException,
  RGBLuminanceSource,
} from '@zxing/library';
import type { RawRead } from '../accept-read.ts';
import type { ScanFormat } from '../formats.ts';
import { luminanceOf, type DecodeEngine } from './engine.ts';

const TO_ZXING_JS: Record<ScanFormat, BarcodeFormat> = {
  ean13: BarcodeFormat.EAN_13,
  ean8: BarcodeFormat.EAN_8,
  upca: BarcodeFormat.UPC_A,
  upce: BarcodeFormat.UPC_E,
  code128: BarcodeFormat.CODE_128,
  code39: BarcodeFormat.CODE_39,
  itf: BarcodeFormat.ITF,
  qrcode: BarcodeFormat.QR_CODE,
};
const FROM_ZXING_JS = new Map<BarcodeFormat, ScanFormat>(
  Object.entries(TO_ZXING_JS).map(([ours, theirs]) => [theirs, ours as ScanFormat]),
);

/**
 * The ZXing JavaScript port (what @zxing/browser uses), measured as a candidate only. It does not
 * rotate on its own, so like the Java reference we try the image as given with TRY_HARDER.
 */
export function createZxingJsEngine(tryHarder = true): DecodeEngine {
  return {
    name: 'zxing-js',
    async decode(image, formats) {
      const reader = new MultiFormatReader();
      const hints = new Map<DecodeHintType, unknown>([
        [DecodeHintType.POSSIBLE_FORMATS, formats.map((format) => TO_ZXING_JS[format])],
      ]);
      if (tryHarder) hints.set(DecodeHintType.TRY_HARDER, true);
      reader.setHints(hints);
      const source = new RGBLuminanceSource(luminanceOf(image), image.width, image.height);
      try {
        const result = reader.decode(new BinaryBitmap(new HybridBinarizer(source)));
        const format = FROM_ZXING_JS.get(result.getBarcodeFormat());
        return format === undefined ? [] : [{ text: result.getText(), format } satisfies RawRead];
      } catch (error) {
        if (error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException) return [];
        throw error;
      }
    },
  };
}
