/**
 * What a scanned code means at the till: a catalog product, and for the scale labels of weighed or
 * pre-priced goods (GS1 variable measure, EAN-13 prefixes 20–29) also the weight or price printed in
 * the code.
 */
import type { Minor, ProductSnapshot } from './events.ts';
import { gtinCheckDigit, parseVariableMeasure, type VariableMeasureLayout, type VariableMeasureRules } from './gtin.ts';

export type ScanMatch =
  | { found: true; product: ProductSnapshot; qty: number; unitPrice?: Minor; measured: boolean }
  | { found: false; reason: string };

/**
 * The scale labels a store reads until its owner sets its own (Settings): prefix 28 carries a weight
 * in grams, prefix 29 a price in cents. The demo store's weighed goods are labelled this way.
 */
export const DEFAULT_VARIABLE_MEASURE_RULES: VariableMeasureRules = {
  '28': { kind: 'weight', pattern: 'IIIIIIIVVVVV', decimals: 3 },
  '29': { kind: 'price', pattern: 'IIIIIIIVVVVV', decimals: 2 },
};

/** A scale label for the item key `itemPrefix7` (7 digits incl. the 2-digit prefix) and a 5-digit value. */
export function variableMeasureLabel(itemPrefix7: string, value: number): string {
  const data = `${itemPrefix7}${String(value).padStart(5, '0')}`;
  return data + String(gtinCheckDigit(data));
}

/** A code as printed on the pack: the GTIN-14 a camera reports loses its padding zero. */
export function printedForm(code: string): string {
  return /^0\d{13}$/.test(code) ? code.slice(1) : code;
}

export function lookupScan(code: string, byCode: (code: string) => ProductSnapshot | undefined, layout: VariableMeasureLayout): ScanMatch {
  const product = byCode(code);
  if (product) return { found: true, product, qty: product.unit === 'each' ? 1 : 1000, measured: false };
  const parsed = parseVariableMeasure(code, layout);
  if (!parsed.ok) {
    return {
      found: false,
      reason:
        parsed.reason === 'invalid-price-check'
          ? `The price check digit in ${printedForm(code)} is wrong: scan again or key the item.`
          : `No product has the code ${printedForm(code)}.`,
    };
  }
  const item = byCode(parsed.measure.itemKey);
  if (!item) return { found: false, reason: `No product is set up for the scale label ${code}.` };
  const { measure } = parsed;
  switch (measure.kind) {
    case 'weight':
      if (item.unit === 'each') return { found: false, reason: `${item.name} is sold by the piece, but ${code} is a weight label.` };
      return measure.grams > 0 ? { found: true, product: item, qty: measure.grams, measured: true } : { found: false, reason: `The label ${code} shows no weight.` };
    case 'price':
      if (item.unit !== 'each') return { found: false, reason: `${item.name} is sold by weight; its label must carry a weight.` };
      return { found: true, product: item, qty: 1, unitPrice: measure.amountMinor, measured: true };
    case 'count':
      return measure.count > 0 ? { found: true, product: item, qty: measure.count, measured: true } : { found: false, reason: `The label ${code} shows no count.` };
  }
}
