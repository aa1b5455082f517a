/**
 * Issue 16, item 3: the catalog import reads a product's usual supplier, pack size and minimum order
 * (`supplier`, `pack_size`, `min_order_qty`, optional, pack and minimum in the product's unit), and
 * refuses a bad cell with its line number as it does every other column; Shopify's Vendor and
 * Square's Default Vendor Name become the supplier.
 */
import { describe, expect, it } from 'vitest';
import { parseCatalogCsv } from '../../src/domain/catalog-csv.ts';
import { parseAnyCatalogCsv } from '../../src/domain/exports/foreign-catalog.ts';

describe('supplier, pack size and minimum order in the catalog CSV', () => {
  it('reads them in the product’s unit and stores stock units: 2.5 kg is 2500 g, 0.75 l is 750 ml', () => {
    const csv = [
      'name,sku,price,unit,supplier,pack_size,min_order_qty',
      'Pen,PEN,1.20,each," Office, Direct ",12,48',
      'Flour,FLOUR,0.90,kg,Mill Ltd,2.5,25',
      'Oil,OIL,4.00,l,Mill Ltd,"0,75",',
      'Tape,TAPE,2.00,each,,,',
    ].join('\n');
    const { products, problems } = parseCatalogCsv(csv, 'EUR');
    expect(problems).toEqual([]);
    expect(products.map((p) => [p.sku, p.supplier, p.packSize, p.minOrderQty])).toEqual([
      ['PEN', 'Office, Direct', 12, 48],
      ['FLOUR', 'Mill Ltd', 2500, 25_000],
      ['OIL', 'Mill Ltd', 750, undefined],
      ['TAPE', undefined, undefined, undefined],
    ]);
    // Empty cells leave the fields out, as a list without the columns does: the same products as before issue 16.
    expect(Object.keys(products[3] ?? {})).toEqual(['id', 'name', 'sku', 'barcodes', 'price', 'cost', 'currency', 'taxRateBp', 'unit', 'active']);
  });

  it('refuses a supplier over 80 characters, and a pack or minimum that is zero, negative, fractional pieces or too finely weighed, each with its line', () => {
    const csv = [
      'name,sku,price,unit,supplier,pack_size,min_order_qty',
      `A,A,1,each,${'x'.repeat(81)},,`,
      'B,B,1,each,,0,',
      'C,C,1,each,,1.5,-2',
      'D,D,1,kg,,0.0005,0',
      'E,E,1,each,Fine,6,6',
      'F,F,1,l,,six,0.001',
    ].join('\n');
    const { products, problems } = parseCatalogCsv(csv, 'EUR');
    expect(products.map((p) => p.sku)).toEqual(['E']);
    expect(problems).toEqual([
      { line: 2, message: 'the supplier is longer than 80 characters.' },
      { line: 3, message: 'the pack size "0" is not a whole number of pieces, 1 or more.' },
      { line: 4, message: 'the pack size "1.5" is not a whole number of pieces, 1 or more; the minimum order "-2" is not a whole number of pieces, 1 or more.' },
      { line: 5, message: 'the pack size "0.0005" is not a number of kilograms above 0 with up to 3 decimals; the minimum order "0" is not a number of kilograms above 0 with up to 3 decimals.' },
      { line: 7, message: 'the pack size "six" is not a number of litres above 0 with up to 3 decimals.' },
    ]);
    // 80 characters and 0.001 l (one millilitre) are the limits, and pass.
    const edge = parseCatalogCsv(`name,sku,price,unit,supplier,pack_size\nG,G,1,l,${'y'.repeat(80)},0.001`, 'EUR');
    expect(edge.problems).toEqual([]);
    expect(edge.products[0]).toMatchObject({ supplier: 'y'.repeat(80), packSize: 1 });
  });

  it('takes Shopify’s Vendor as the supplier, for every variant of the product', () => {
    const shopify = [
      'Handle,Title,Vendor,Type,Option1 Value,Variant SKU,Variant Price,Variant Taxable',
      'linen-tee,Linen Tee,Acme Textiles,Shirts,S,LT-S,38.00,TRUE',
      'linen-tee,,,,M,LT-M,38.00,TRUE',
      'mug,Mug,,,Default Title,MUG,9.00,TRUE',
    ].join('\n');
    const result = parseAnyCatalogCsv(shopify, 'EUR', { taxableRateBp: 2000 });
    expect(result.problems).toEqual([]);
    expect(result.ignoredColumns).toEqual([]);
    expect(result.products.map((p) => [p.sku, p.supplier])).toEqual([
      ['LT-S', 'Acme Textiles'],
      ['LT-M', 'Acme Textiles'],
      ['MUG', undefined],
    ]);
  });

  it('takes Square’s Default Vendor Name as the supplier, and refuses one too long with the file’s line', () => {
    const square = ['Token,Item Name,Variation Name,SKU,Price,Default Vendor Name', 'A1,Oat Milk,Regular,OAT-1,2.49,Oatly Wholesale', 'A2,Beans,Regular,BEAN,18.00,'].join('\n');
    const result = parseAnyCatalogCsv(square, 'EUR', { taxableRateBp: 2000 });
    expect(result.problems).toEqual([]);
    expect(result.products.map((p) => [p.sku, p.supplier])).toEqual([
      ['OAT-1', 'Oatly Wholesale'],
      ['BEAN', undefined],
    ]);
    const long = parseAnyCatalogCsv(square.replace('Oatly Wholesale', 'z'.repeat(81)), 'EUR', { taxableRateBp: 2000 });
    expect(long.products).toEqual([]);
    expect(long.problems).toEqual([{ line: 2, message: 'the supplier is longer than 80 characters.' }]);
  });
});
