/**
 * Issue 15, item 4: the catalog import reads Shopify's product CSV and Square's item library CSV,
 * maps SKU, barcode, price, cost, tax and name, lists the columns it ignored, and refuses a file
 * with a bad row with the line it is on, importing nothing.
 */
import { describe, expect, it } from 'vitest';
import { parseAnyCatalogCsv } from '../../src/domain/exports/foreign-catalog.ts';

const SHOPIFY = [
  'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Price,Variant Compare At Price,Variant Taxable,Variant Barcode,Image Src,Cost per item,Status',
  'linen-tee,Linen Tee,"<p>Soft, light.</p>\nTwo lines",Acme,Shirts,,TRUE,Size,S,LT-S,200,38.00,,TRUE,4006381333931,https://x/1.jpg,12.50,active',
  'linen-tee,,,,,,,,M,LT-M,210,38.00,,TRUE,,,12.50,',
  'linen-tee,,,,,,,,,,,,,,,https://x/2.jpg,,',
  'gift-card,Gift Card,,,,,TRUE,Title,Default Title,GC-1,0,25.00,,FALSE,,,,active',
].join('\r\n');

describe('Shopify and Square catalog files', () => {
  it('maps a Shopify export, variants named by their option, and lists what it ignored', () => {
    const result = parseAnyCatalogCsv(SHOPIFY, 'EUR', { taxableRateBp: 2000 });
    expect(result.layout).toBe('shopify');
    expect(result.problems).toEqual([]);
    expect(result.products.map((p) => [p.name, p.sku, p.barcodes, p.price, p.cost, p.taxRateBp, p.category])).toEqual([
      ['Linen Tee S', 'LT-S', ['4006381333931'], 3800, 1250, 2000, 'Shirts'],
      ['Linen Tee M', 'LT-M', [], 3800, 1250, 2000, 'Shirts'],
      ['Gift Card', 'GC-1', [], 2500, 0, 0, undefined],
    ]);
    expect(result.ignoredColumns).toEqual(['Body (HTML)', 'Tags', 'Published', 'Option1 Name', 'Variant Grams', 'Variant Compare At Price', 'Image Src', 'Status']);
  });

  it('maps a Square item library with its tax columns', () => {
    const square = [
      'Token,Item Name,Variation Name,SKU,Description,Category,Price,Default Unit Cost,GTIN,Tax - VAT (20%),Tax - Levy (1.5%),Current Quantity Main',
      'AB1,Oat Milk,Regular,OAT-1,Barista,Drinks,2.49,1.10,5000112637922,Y,N,12',
      'AB2,Beans,1 kg,BEAN-1K,,Coffee,$18.00,9.00,,Y,Y,3',
    ].join('\n');
    const result = parseAnyCatalogCsv(square, 'EUR', { taxableRateBp: 2000 });
    expect(result.layout).toBe('square');
    expect(result.problems).toEqual([]);
    expect(result.products.map((p) => [p.name, p.sku, p.barcodes, p.price, p.cost, p.taxRateBp, p.category])).toEqual([
      ['Oat Milk', 'OAT-1', ['5000112637922'], 249, 110, 2000, 'Drinks'],
      ['Beans 1 kg', 'BEAN-1K', [], 1800, 900, 2150, 'Coffee'],
    ]);
    expect(result.ignoredColumns).toEqual(['Token', 'Description', 'Current Quantity Main']);
  });

  it('refuses a file with a bad row, naming the line it starts on in the file, and imports nothing', () => {
    // The Body (HTML) of line 2 spans two lines, so the bad row (price "free") starts on line 4.
    const bad = SHOPIFY.replace('LT-M,210,38.00', 'LT-M,210,free');
    const result = parseAnyCatalogCsv(bad, 'EUR', { taxableRateBp: 2000 });
    expect(result.products).toEqual([]);
    expect(result.problems).toEqual([{ line: 4, message: 'price: "free" is not an amount: use digits with at most 2 decimals, like 12.50..' }]);
  });
});
