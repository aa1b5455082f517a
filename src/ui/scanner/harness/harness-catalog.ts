import { normalizeGtin } from '../../../domain/gtin.ts';

/** What the real catalog does (src/db/catalog.ts barcodeKey): GTIN-14 keys, other codes as typed. */
export function barcodeKeyForTest(code: string): string {
  return normalizeGtin(code) ?? code.trim().toUpperCase();
}
