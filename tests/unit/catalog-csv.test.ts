import { describe, expect, it } from 'vitest';
import { parseCatalogCsv, splitCsvLine } from '../../src/domain/catalog-csv.ts';

describe('catalog CSV', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('"Milk, whole",MILK,"say ""hi"""', ',')).toEqual(['Milk, whole', 'MILK', 'say "hi"']);
  });

  it('reads products with barcodes, tax and weighed units', () => {
    const csv = ['name,sku,barcode,price,cost,tax,unit', '"Milk, whole 1 l",milk-1,4006381333931,1.19,0.71,7,each', 'Gouda,GOUDA,,14.99,8.80,7%,kg'].join('\n');
    const { products, problems } = parseCatalogCsv(csv, 'EUR');
    expect(problems).toEqual([]);
    expect(products).toEqual([
      { id: 'sku-MILK-1', name: 'Milk, whole 1 l', sku: 'MILK-1', barcodes: ['4006381333931'], price: 119, cost: 71, currency: 'EUR', taxRateBp: 700, unit: 'each', active: true },
      // 8.80 per kg = 0.88 cents per gram, the stock unit of weighed goods
      { id: 'sku-GOUDA', name: 'Gouda', sku: 'GOUDA', barcodes: [], price: 1499, cost: 0.88, currency: 'EUR', taxRateBp: 700, unit: 'kg', active: true },
    ]);
  });

  it('reads the optional category and favourite columns for the Sell grid', () => {
    const csv = ['name,sku,price,category,favourite', 'Croissant,CR,0.89,Bakery,yes', 'Rye bread,RYE,3.20, Bakery ,', 'Cola,COLA,0.99,,x', 'Tea,TEA,3.49,Hot drinks,no'].join('\n');
    const { products, problems } = parseCatalogCsv(csv, 'EUR');
    expect(problems).toEqual([]);
    expect(products.map((p) => [p.sku, p.category, p.favourite])).toEqual([
      ['CR', 'Bakery', true],
      ['RYE', 'Bakery', undefined],
      ['COLA', undefined, true],
      ['TEA', 'Hot drinks', undefined],
    ]);
    // A list without the columns gives products without the fields, exactly as before.
    expect(Object.keys(parseCatalogCsv('name,sku,price\nA,A,1', 'EUR').products[0] ?? {})).not.toContain('category');
  });

  it('refuses a category too long for a chip and a favourite that is not yes or no, with the line', () => {
    const csv = ['name,sku,price,category,favourite', `A,A,1,${'x'.repeat(41)},`, 'B,B,1,Bakery,maybe'].join('\n');
    expect(parseCatalogCsv(csv, 'EUR').problems).toEqual([
      { line: 2, message: 'the category is longer than 40 characters.' },
      { line: 3, message: 'the favourite "maybe" is not yes or no.' },
    ]);
  });

  it('accepts semicolons and a header in any order', () => {
    const { products } = parseCatalogCsv('SKU;Price;Name\nA1;2,50;Apple', 'EUR');
    expect(products[0]).toMatchObject({ sku: 'A1', price: 250, name: 'Apple', taxRateBp: 0, unit: 'each' });
  });

  it('reports every bad row with its line and keeps none of it', () => {
    const csv = ['name,sku,price,tax,unit', ',X1,1.00,7,each', 'Tea,T1,abc,7,each', 'Tea,T2,1.00,7,box', 'Tea,T3,1.00,seven,each', 'Ok,T4,1,7,each', 'Again,t4,1,7,each'].join('\n');
    const { products, problems } = parseCatalogCsv(csv, 'EUR');
    expect(products.map((p) => p.sku)).toEqual(['T4']);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 7]);
    expect(problems[0]?.message).toContain('name is empty');
    expect(problems[1]?.message).toContain('price');
    expect(problems[2]?.message).toContain('"box"');
    expect(problems[3]?.message).toContain('"seven"');
    expect(problems[4]?.message).toContain('already on line 6');
  });

  it('refuses a file without the required columns', () => {
    expect(parseCatalogCsv('title,code\nMilk,1', 'EUR').problems).toEqual([{ line: 1, message: 'The header row lacks the column(s) name, sku, price.' }]);
  });
});

describe('catalog CSV reorder levels (issue 15)', () => {
  it('reads reorder_point and order_up_to in the product’s unit, with an optional location', () => {
    const csv = ['name,sku,price,unit,reorder_point,order_up_to,location', 'Tea,TEA,3.49,each,5,20,', 'Gouda,GOUDA,14.99,kg,2.5,10,Back room', 'Jam,JAM,2.10,each,,,', 'Oil,OIL,4.00,l,1,,loc-floor'].join('\n');
    const { products, problems, reorderLevels } = parseCatalogCsv(csv, 'EUR');
    expect(problems).toEqual([]);
    expect(products.map((p) => p.sku)).toEqual(['TEA', 'GOUDA', 'JAM', 'OIL']);
    // 2.5 kg = 2500 g, 10 kg = 10000 g; 1 l = 1000 ml. Jam has neither level: no line.
    expect(reorderLevels).toEqual([
      { line: 2, productId: 'sku-TEA', location: '', reorderPoint: 5, orderUpTo: 20 },
      { line: 3, productId: 'sku-GOUDA', location: 'Back room', reorderPoint: 2500, orderUpTo: 10000 },
      { line: 5, productId: 'sku-OIL', location: 'loc-floor', reorderPoint: 1000, orderUpTo: null },
    ]);
  });

  it('refuses bad levels with their line numbers, and reads nothing of those rows', () => {
    const csv = ['name,sku,price,unit,reorder_point,order_up_to', 'Tea,TEA,3.49,each,1.5,', 'Gouda,GOUDA,14.99,kg,2,1', 'Jam,JAM,2.10,each,-1,x'].join('\n');
    const { products, problems, reorderLevels } = parseCatalogCsv(csv, 'EUR');
    expect(products).toEqual([]);
    expect(reorderLevels).toEqual([]);
    expect(problems).toEqual([
      { line: 2, message: 'the reorder point "1.5" is not a whole number of pieces.' },
      { line: 3, message: 'order up to 1 is below the reorder point 2.' },
      { line: 4, message: 'the reorder point "-1" is not a whole number of pieces; the order-up-to level "x" is not a whole number of pieces.' },
    ]);
  });
});
