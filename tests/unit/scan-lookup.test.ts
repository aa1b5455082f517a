import { describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/db/catalog.ts';
import { DEMO_PRODUCTS } from '../../src/domain/demo-catalog.ts';
import { DEFAULT_VARIABLE_MEASURE_RULES, lookupScan, variableMeasureLabel } from '../../src/domain/scan-lookup.ts';
import { isValidGtin } from '../../src/domain/gtin.ts';

const catalog = new CatalogIndex(DEMO_PRODUCTS);
const byCode = (code: string) => catalog.byCode(code);
/** The layout a new store reads scale labels by, in euros. */
const DEMO_VARIABLE_MEASURE = { rules: DEFAULT_VARIABLE_MEASURE_RULES, currencyMinorDigits: 2 };
const gouda = DEMO_PRODUCTS.find((p) => p.name.startsWith('Gouda'));

describe('scan lookup', () => {
  it('finds an ordinary product by EAN-13, by its GTIN-14 and by UPC-A with a leading zero', () => {
    const milk = DEMO_PRODUCTS[0];
    const code = milk?.barcodes[0] ?? '';
    expect(lookupScan(code, byCode, DEMO_VARIABLE_MEASURE)).toMatchObject({ found: true, product: { id: milk?.id }, qty: 1 });
    expect(lookupScan(`0${code}`, byCode, DEMO_VARIABLE_MEASURE)).toMatchObject({ found: true, product: { id: milk?.id } });
    const upc = DEMO_PRODUCTS.find((p) => p.barcodes[0]?.length === 12);
    expect(lookupScan(`0${upc?.barcodes[0] ?? ''}`, byCode, DEMO_VARIABLE_MEASURE)).toMatchObject({ found: true, product: { id: upc?.id } });
  });
  it('reads the weight from a scale label of a weighed product', () => {
    const itemKey = gouda?.barcodes[1] ?? '';
    const label = variableMeasureLabel(itemKey.slice(0, 7), 345);
    expect(isValidGtin(label)).toBe(true);
    expect(lookupScan(label, byCode, DEMO_VARIABLE_MEASURE)).toMatchObject({ found: true, product: { id: gouda?.id }, qty: 345, measured: true });
  });
  it('says what is wrong with an unknown or broken code', () => {
    expect(lookupScan('4006381333931', byCode, DEMO_VARIABLE_MEASURE)).toEqual({ found: false, reason: 'No product has the code 4006381333931.' });
    // A camera reports the GTIN-14; people read the code as printed.
    expect(lookupScan('04006381333931', byCode, DEMO_VARIABLE_MEASURE)).toEqual({ found: false, reason: 'No product has the code 4006381333931.' });
    const unknownScale = variableMeasureLabel('2899999', 100);
    expect(lookupScan(unknownScale, byCode, DEMO_VARIABLE_MEASURE).found).toBe(false);
  });
});
