/**
 * The symbologies the store scans, named like the folders of the barcode corpus (`ean13-2` holds
 * EAN-13), so a benchmark folder's prefix is its format without a lookup table elsewhere.
 */
export const SCAN_FORMATS = ['ean13', 'ean8', 'upca', 'upce', 'code128', 'code39', 'itf', 'qrcode'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** Retail symbologies carry a GTIN with a mandatory check digit. */
export const GTIN_FORMATS: readonly ScanFormat[] = ['ean13', 'ean8', 'upca', 'upce'];

/** Names people read on screen (and pass to `onDetected`). */
export const FORMAT_LABELS: Record<ScanFormat, string> = {
  ean13: 'EAN-13',
  ean8: 'EAN-8',
  upca: 'UPC-A',
  upce: 'UPC-E',
  code128: 'Code 128',
  code39: 'Code 39',
  itf: 'ITF',
  qrcode: 'QR Code',
};

/** zxing-cpp's (zxing-wasm's) names for our formats. */
export const ZXING_CPP_NAMES: Record<ScanFormat, string> = {
  ean13: 'EAN13',
  ean8: 'EAN8',
  upca: 'UPCA',
  upce: 'UPCE',
  code128: 'Code128',
  code39: 'Code39',
  itf: 'ITF',
  qrcode: 'QRCode',
};

/** The format a corpus folder holds, from its name's prefix (`upce-2` → upce); null for none. */
export function formatOfFolder(folder: string): ScanFormat | null {
  const prefix = folder.split('-')[0] ?? '';
  return (SCAN_FORMATS as readonly string[]).includes(prefix) ? (prefix as ScanFormat) : null;
}

export function isScanFormat(name: string): name is ScanFormat {
  return (SCAN_FORMATS as readonly string[]).includes(name);
}
