/**
 * GTINs as printed on retail goods: check digits, the UPC-E → UPC-A → GTIN-14 ladder, and GS1
 * variable-measure numbers (restricted circulation EAN-13 with prefixes 20–29, whose meaning is set
 * by the local GS1 organisation, hence a store-configurable layout).
 *
 * Pure: strings in, strings or plain records out. Every product key in the catalog is a GTIN-14 so
 * the same product is found whether its pack shows UPC-E, UPC-A, EAN-13 or an ITF-14 carton code.
 */
import { assertNever } from './assert-never.ts';

/** GTIN check digits (GS1 mod-10): the weights 3,1,3,1… run from the rightmost data digit. */
export function gtinCheckDigit(dataDigits: string): number {
  if (!/^\d+$/.test(dataDigits)) throw new Error(`GTIN data must be digits, got "${dataDigits}"`);
  let sum = 0;
  for (let i = 0; i < dataDigits.length; i++) {
    const digit = dataDigits.charCodeAt(dataDigits.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an 8, 12, 13 or 14 digit code whose last digit is its correct check digit. */
export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);
}

/**
 * Expands a UPC-E code to its 12-digit UPC-A.
 *
 * Accepts the 8 printed digits (number system 0 or 1, six data digits, check digit) or the six data
 * digits alone (number system 0 assumed, check digit computed). The check digit of UPC-E is the one
 * of the expanded UPC-A, so an 8-digit input whose last digit disagrees is rejected (null).
 */
export function expandUpcE(upcE: string): string | null {
  let numberSystem: string;
  let data: string;
  let printedCheck: string | undefined;
  if (/^\d{6}$/.test(upcE)) {
    numberSystem = '0';
    data = upcE;
  } else if (/^[01]\d{7}$/.test(upcE)) {
    numberSystem = upcE.slice(0, 1);
    data = upcE.slice(1, 7);
    printedCheck = upcE.slice(7);
  } else {
    return null;
  }
  const [d1, d2, d3, d4, d5, d6] = data;
  // The last data digit says where the manufacturer number ends and how many zeros were squeezed out.
  let body: string;
  switch (d6) {
    case '0':
    case '1':
    case '2':
      body = `${d1}${d2}${d6}0000${d3}${d4}${d5}`;
      break;
    case '3':
      body = `${d1}${d2}${d3}00000${d4}${d5}`;
      break;
    case '4':
      body = `${d1}${d2}${d3}${d4}00000${d5}`;
      break;
    default:
      body = `${d1}${d2}${d3}${d4}${d5}0000${d6}`;
  }
  const withoutCheck = numberSystem + body;
  const check = String(gtinCheckDigit(withoutCheck));
  if (printedCheck !== undefined && printedCheck !== check) return null;
  return withoutCheck + check;
}

/**
 * Compresses a UPC-A to its 8-digit UPC-E when the zero-suppression rules allow it, else null.
 * The inverse of `expandUpcE`; used to show a code in the form printed on small packs.
 */
export function compressUpcA(upcA: string): string | null {
  if (!/^[01]\d{11}$/.test(upcA) || !isValidGtin(upcA)) return null;
  const ns = upcA.slice(0, 1);
  const manufacturer = upcA.slice(1, 6);
  const product = upcA.slice(6, 11);
  const check = upcA.slice(11);
  let data: string | null = null;
  if (/^\d\d[012]00$/.test(manufacturer) && /^00\d{3}$/.test(product)) {
    data = manufacturer.slice(0, 2) + product.slice(2) + manufacturer.slice(2, 3);
  } else if (/^\d\d\d00$/.test(manufacturer) && /^000\d\d$/.test(product)) {
    data = manufacturer.slice(0, 3) + product.slice(3) + '3';
  } else if (/^\d{4}0$/.test(manufacturer) && /^0000\d$/.test(product)) {
    data = manufacturer.slice(0, 4) + product.slice(4) + '4';
  } else if (/^\d{4}[1-9]$/.test(manufacturer) && /^0000[5-9]$/.test(product)) {
    data = manufacturer + product.slice(4);
  }
  return data === null ? null : ns + data + check;
}

/**
 * How a code was printed, when the reader knows: `upc-e` expands zero-suppressed codes; `auto`
 * reads an 8-digit code as EAN-8 (the two cannot be told apart by their digits alone) and a
 * 6-digit code as UPC-E data digits.
 */
export type GtinForm = 'auto' | 'upc-e';

/**
 * The GTIN-14 key of a code (EAN-8, UPC-E, UPC-A, EAN-13, GTIN-14, or any of them padded with
 * leading zeros), or null when it is not a valid GTIN.
 */
export function normalizeGtin(code: string, form: GtinForm = 'auto'): string | null {
  const digits = code.trim();
  if (!/^\d+$/.test(digits)) return null;
  const zeroSuppressed = digits.length === 6 || (form === 'upc-e' && digits.length === 8);
  if (zeroSuppressed) {
    const upcA = expandUpcE(digits);
    return upcA === null ? null : upcA.padStart(14, '0');
  }
  if (!isValidGtin(digits)) return null;
  return digits.padStart(14, '0');
}

/**
 * The key a catalog compares barcodes by: a code's GTIN-14, so UPC-A, EAN-13 and UPC-E prints of one
 * code are the same key; any other code as typed (trimmed, upper case).
 */
export function barcodeKey(code: string): string {
  const trimmed = code.trim();
  return normalizeGtin(trimmed) ?? trimmed.toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// GS1 variable measure (restricted circulation numbers, EAN-13 prefixes 20–29)
// ---------------------------------------------------------------------------------------------

/**
 * Price/weight check digit tables of the GS1 General Specifications (§7.9.3): each weighting factor
 * maps a digit to the units digit of a product, with the tens digit added (+) or subtracted (−).
 */
const WEIGHT_2_MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7] as const;
const WEIGHT_3 = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7] as const;
const WEIGHT_5_PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9] as const;
const WEIGHT_5_MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1] as const;

function weighted(table: readonly number[], digitChar: string | undefined): number {
  const digit = Number(digitChar);
  const value = table[digit];
  if (value === undefined) throw new Error(`Not a digit: "${String(digitChar)}"`);
  return value;
}

/** The check digit GS1 defines for a 4- or 5-digit price or weight field. */
export function priceCheckDigit(value: string): number {
  if (!/^\d{4,5}$/.test(value)) throw new Error(`A price check digit covers 4 or 5 digits, got "${value}"`);
  const d = value.split('');
  if (d.length === 4) {
    const sum =
      weighted(WEIGHT_2_MINUS, d[0]) + weighted(WEIGHT_2_MINUS, d[1]) + weighted(WEIGHT_3, d[2]) + weighted(WEIGHT_5_MINUS, d[3]);
    return (sum * 3) % 10;
  }
  const sum =
    weighted(WEIGHT_5_PLUS, d[0]) +
    weighted(WEIGHT_2_MINUS, d[1]) +
    weighted(WEIGHT_5_MINUS, d[2]) +
    weighted(WEIGHT_5_PLUS, d[3]) +
    weighted(WEIGHT_2_MINUS, d[4]);
  // The check digit is the one whose 5− weighted value brings the sum to a multiple of ten.
  const wanted = (10 - (sum % 10)) % 10;
  return WEIGHT_5_MINUS.indexOf(wanted as (typeof WEIGHT_5_MINUS)[number]);
}

export type VariableMeasureKind = 'price' | 'weight' | 'count';

/**
 * How one EAN-13 prefix (20–29) is laid out in a store's region.
 *
 * `pattern` covers the 12 digits before the EAN check digit: `I` item reference (including the
 * prefix), `C` the price/weight check digit, `V` the value. E.g. GS1 UK price: `IIIIIIICVVVV`.
 * `decimals` is how many of the value digits are after the decimal point (price in major units,
 * weight in kilograms).
 */
export interface VariableMeasureRule {
  kind: VariableMeasureKind;
  pattern: string;
  decimals: number;
}

/** EAN-13 prefix ("20"…"29") → rule; prefixes left out are ordinary GTINs. */
export type VariableMeasureRules = Readonly<Partial<Record<string, VariableMeasureRule>>>;

/** A store's layout: its rules, read in its currency. */
export interface VariableMeasureLayout {
  rules: VariableMeasureRules;
  /** Digits after the decimal point in the store's currency (2 for EUR, 0 for JPY). */
  currencyMinorDigits: number;
}

export type VariableMeasure =
  | { kind: 'price'; itemKey: string; amountMinor: number }
  /** Grams, the stock unit of `kg` products. */
  | { kind: 'weight'; itemKey: string; grams: number }
  | { kind: 'count'; itemKey: string; count: number };

export type VariableMeasureResult =
  | { ok: true; measure: VariableMeasure }
  | { ok: false; reason: 'not-variable-measure' | 'invalid-gtin' | 'invalid-price-check' | 'bad-layout' };

/** Checks a rule once, when a store saves its settings, so parsing never meets a broken pattern. */
export function validateVariableMeasureRule(rule: VariableMeasureRule, currencyMinorDigits: number): string | null {
  if (!/^[ICV]{12}$/.test(rule.pattern)) return 'The pattern must be 12 letters, each I, C or V.';
  if (!/^II/.test(rule.pattern)) return 'The pattern must start with the two prefix digits (II).';
  const value = /V+/.exec(rule.pattern);
  if (value === null || (rule.pattern.match(/V/g) ?? []).length !== value[0].length) {
    return 'The value digits (V) must be one unbroken run.';
  }
  const checks = (rule.pattern.match(/C/g) ?? []).length;
  if (checks > 1) return 'There can be at most one price check digit (C).';
  if (checks === 1 && value[0].length !== 4 && value[0].length !== 5) {
    return 'A price check digit (C) needs a value of 4 or 5 digits.';
  }
  if (!Number.isInteger(rule.decimals) || rule.decimals < 0) return 'Decimals must be a whole number, 0 or more.';
  if (rule.kind === 'price' && rule.decimals > currencyMinorDigits) {
    return 'The price has more decimals than the currency has minor units.';
  }
  if (rule.kind === 'weight' && rule.decimals > 3) return 'A weight in kilograms has at most 3 decimals (grams).';
  if (rule.kind === 'count' && rule.decimals !== 0) return 'A count has no decimals.';
  return null;
}

/**
 * Reads a variable-measure EAN-13 (or its GTIN-14 with a leading 0) by the store's layout.
 *
 * `itemKey` is the GTIN-14 with the value and its check digit set to zero and the EAN check digit
 * recomputed: the key under which the catalog lists the weighed or priced item.
 */
export function parseVariableMeasure(code: string, layout: VariableMeasureLayout): VariableMeasureResult {
  const ean13 = code.length === 14 && code.startsWith('0') ? code.slice(1) : code;
  if (!/^\d{13}$/.test(ean13)) return { ok: false, reason: 'invalid-gtin' };
  if (!isValidGtin(ean13)) return { ok: false, reason: 'invalid-gtin' };
  const rule = layout.rules[ean13.slice(0, 2)];
  if (rule === undefined) return { ok: false, reason: 'not-variable-measure' };
  if (validateVariableMeasureRule(rule, layout.currencyMinorDigits) !== null) return { ok: false, reason: 'bad-layout' };

  const valueStart = rule.pattern.indexOf('V');
  const valueEnd = rule.pattern.lastIndexOf('V') + 1;
  const valueDigits = ean13.slice(valueStart, valueEnd);
  const checkAt = rule.pattern.indexOf('C');
  if (checkAt >= 0 && Number(ean13[checkAt]) !== priceCheckDigit(valueDigits)) {
    return { ok: false, reason: 'invalid-price-check' };
  }

  const zeroed = ean13
    .slice(0, 12)
    .split('')
    .map((digit, i) => (rule.pattern[i] === 'I' ? digit : '0'))
    .join('');
  const itemKey = (zeroed + String(gtinCheckDigit(zeroed))).padStart(14, '0');
  const value = Number(valueDigits);

  switch (rule.kind) {
    case 'price':
      return { ok: true, measure: { kind: 'price', itemKey, amountMinor: value * 10 ** (layout.currencyMinorDigits - rule.decimals) } };
    case 'weight':
      return { ok: true, measure: { kind: 'weight', itemKey, grams: value * 10 ** (3 - rule.decimals) } };
    case 'count':
      return { ok: true, measure: { kind: 'count', itemKey, count: value } };
    default:
      return assertNever(rule.kind, 'variable measure kind');
  }
}
