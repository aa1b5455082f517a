import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compressUpcA,
  expandUpcE,
  gtinCheckDigit,
  isValidGtin,
  normalizeGtin,
  parseVariableMeasure,
  priceCheckDigit,
  validateVariableMeasureRule,
  type VariableMeasureLayout,
} from '../../src/domain/gtin.ts';

describe('gtinCheckDigit (published examples)', () => {
  it.each([
    // GS1's own check digit calculator example (GTIN-13).
    ['629104150021', 3],
    // Wikipedia "Universal Product Code": 0 36000 29145 2.
    ['03600029145', 2],
    // Wikipedia "International Article Number": 400638133393 1.
    ['400638133393', 1],
    // Wikipedia EAN-8 example 9638507 4.
    ['9638507', 4],
    // GS1 General Specifications example for an SSCC-like 17-digit string.
    ['37610425002123456', 9],
  ])('check digit of %s is %i', (data, check) => {
    expect(gtinCheckDigit(data)).toBe(check);
  });

  it('rejects non-digits instead of guessing', () => {
    expect(() => gtinCheckDigit('12a4')).toThrow(/digits/);
  });
});

describe('isValidGtin', () => {
  it.each(['6291041500213', '036000291452', '96385074', '4006381333931', '10614141000415'])('accepts %s', (code) => {
    expect(isValidGtin(code)).toBe(true);
  });
  it.each(['6291041500214', '036000291453', '1234567', '12345678901', ''])('rejects %s', (code) => {
    expect(isValidGtin(code)).toBe(false);
  });
  it('detects every single-digit substitution (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.nat(12), fc.integer({ min: 1, max: 9 }), (data, at, delta) => {
        const code = data + String(gtinCheckDigit(data));
        const changed = code.slice(0, at) + String((Number(code[at]) + delta) % 10) + code.slice(at + 1);
        expect(isValidGtin(code)).toBe(true);
        expect(isValidGtin(changed)).toBe(false);
      }),
    );
  });
});

describe('UPC-E expansion', () => {
  it.each([
    // Wikipedia "Universal Product Code", UPC-E section examples.
    ['01234565', '012345000065'],
    ['04252614', '042100005264'],
    // One case per rule of the last data digit.
    ['01234505', '012000003455'],
    ['01234133', '012300000413'],
    ['01234543', '012340000053'],
    ['11234562', '112345000062'],
  ])('%s expands to %s', (upcE, upcA) => {
    expect(expandUpcE(upcE)).toBe(upcA);
    expect(isValidGtin(upcA)).toBe(true);
  });

  it('expands six data digits with number system 0', () => {
    expect(expandUpcE('123456')).toBe('012345000065');
  });

  it('rejects a wrong check digit, a number system other than 0/1, and other lengths', () => {
    expect(expandUpcE('01234566')).toBeNull();
    expect(expandUpcE('21234565')).toBeNull();
    expect(expandUpcE('0123456')).toBeNull();
    expect(expandUpcE('0123456a')).toBeNull();
  });

  it('compressUpcA gives a UPC-E that expands back to the same UPC-A (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1'), fc.stringMatching(/^\d{6}$/), (ns, data) => {
        // Exactly one check digit makes ns+data a valid UPC-E.
        const valid = '0123456789'
          .split('')
          .map((check) => ns + data + check)
          .filter((upcE) => expandUpcE(upcE) !== null);
        expect(valid).toHaveLength(1);
        const upcA = expandUpcE(valid[0] ?? '');
        if (upcA === null) throw new Error('unreachable');
        const compressed = compressUpcA(upcA);
        expect(compressed).not.toBeNull();
        expect(expandUpcE(compressed ?? '')).toBe(upcA);
      }),
    );
  });

  it('does not compress a UPC-A that has no zero-suppressed form', () => {
    expect(compressUpcA('036000291452')).toBeNull();
    expect(compressUpcA('012345000065')).toBe('01234565');
  });
});

describe('normalizeGtin to GTIN-14', () => {
  it.each([
    ['96385074', 'auto', '00000096385074'],
    ['036000291452', 'auto', '00036000291452'],
    ['0036000291452', 'auto', '00036000291452'],
    ['4006381333931', 'auto', '04006381333931'],
    // GS1 General Specifications GTIN-14 example.
    ['10614141000415', 'auto', '10614141000415'],
    ['01234565', 'upc-e', '00012345000065'],
    ['123456', 'auto', '00012345000065'],
    [' 4006381333931 ', 'auto', '04006381333931'],
  ] as const)('%s (%s) → %s', (code, form, gtin14) => {
    expect(normalizeGtin(code, form)).toBe(gtin14);
  });

  it('finds the same product whichever form is printed', () => {
    const fromUpcE = normalizeGtin('04252614', 'upc-e');
    const fromUpcA = normalizeGtin('042100005264');
    const fromEan13 = normalizeGtin('0042100005264');
    expect(fromUpcE).toBe('00042100005264');
    expect(fromUpcA).toBe(fromUpcE);
    expect(fromEan13).toBe(fromUpcE);
  });

  it.each(['4006381333932', '12345', 'abcdefghijklm', '01234566', '123456789012345'])('rejects %s', (code) => {
    expect(normalizeGtin(code, code.length === 8 ? 'upc-e' : 'auto')).toBeNull();
  });
});

describe('GS1 price/weight check digit', () => {
  it('matches the GS1 General Specifications examples', () => {
    // GS1 GenSpecs §7.9.3: four-digit price field 2875 → 9, five-digit 14685 → 6.
    expect(priceCheckDigit('2875')).toBe(9);
    expect(priceCheckDigit('14685')).toBe(6);
  });
  it('rejects other lengths', () => {
    expect(() => priceCheckDigit('123')).toThrow();
    expect(() => priceCheckDigit('123456')).toThrow();
  });
});

describe('GS1 variable measure', () => {
  // Layouts as published by GS1 member organisations (UK, Sweden, Germany).
  const uk: VariableMeasureLayout = {
    currencyMinorDigits: 2,
    rules: { '20': { kind: 'price', pattern: 'IIIIIIICVVVV', decimals: 2 } },
  };
  const sweden: VariableMeasureLayout = {
    currencyMinorDigits: 2,
    rules: {
      '20': { kind: 'price', pattern: 'IIIIIIIIVVVV', decimals: 2 },
      '23': { kind: 'weight', pattern: 'IIIIIIIIVVVV', decimals: 3 },
    },
  };
  const germany: VariableMeasureLayout = {
    currencyMinorDigits: 2,
    rules: {
      '22': { kind: 'price', pattern: 'IIIIIICVVVVV', decimals: 2 },
      '28': { kind: 'weight', pattern: 'IIIIIICVVVVV', decimals: 3 },
      '25': { kind: 'count', pattern: 'IIIIIICVVVVV', decimals: 0 },
    },
  };

  it('reads a GS1 UK price label with its price check digit: £12.34', () => {
    expect(parseVariableMeasure('2011122912346', uk)).toEqual({
      ok: true,
      measure: { kind: 'price', itemKey: '02011122000005', amountMinor: 1234 },
    });
  });

  it('reads a Swedish price label: 12.34 SEK', () => {
    expect(parseVariableMeasure('2088060112343', sweden)).toEqual({
      ok: true,
      measure: { kind: 'price', itemKey: '02088060100005', amountMinor: 1234 },
    });
  });

  it('reads a German weight label: 6.870 kg as 6870 g, also from its GTIN-14', () => {
    const expected = { ok: true, measure: { kind: 'weight', itemKey: '02811110000006', grams: 6870 } };
    expect(parseVariableMeasure('2811111068708', germany)).toEqual(expected);
    expect(parseVariableMeasure('02811111068708', germany)).toEqual(expected);
  });

  it('reads weights with fewer decimals and counts', () => {
    const layout: VariableMeasureLayout = {
      currencyMinorDigits: 2,
      rules: { '24': { kind: 'weight', pattern: 'IIIIIIIIVVVV', decimals: 2 } },
    };
    const data = '240000010125'; // 1.25 kg
    const code = data + String(gtinCheckDigit(data));
    expect(parseVariableMeasure(code, layout)).toMatchObject({ ok: true, measure: { kind: 'weight', grams: 1250 } });

    const countData = '251234' + String(priceCheckDigit('00012')) + '00012';
    const countCode = countData + String(gtinCheckDigit(countData));
    expect(parseVariableMeasure(countCode, germany)).toMatchObject({ ok: true, measure: { kind: 'count', count: 12 } });
  });

  it('scales a price to minor units of a currency with no decimals', () => {
    const yen: VariableMeasureLayout = {
      currencyMinorDigits: 0,
      rules: { '21': { kind: 'price', pattern: 'IIIIIIIVVVVV', decimals: 0 } },
    };
    const data = '210012301980';
    expect(parseVariableMeasure(data + String(gtinCheckDigit(data)), yen)).toMatchObject({
      ok: true,
      measure: { kind: 'price', amountMinor: 1980 },
    });
  });

  it('refuses a label whose price check digit is wrong, even with a valid EAN check digit', () => {
    const data = '201112281234'; // price check digit 8 instead of 9
    const code = data + String(gtinCheckDigit(data));
    expect(isValidGtin(code)).toBe(true);
    expect(parseVariableMeasure(code, uk)).toEqual({ ok: false, reason: 'invalid-price-check' });
  });

  it('leaves prefixes outside the layout and ordinary GTINs alone', () => {
    expect(parseVariableMeasure('4006381333931', uk)).toEqual({ ok: false, reason: 'not-variable-measure' });
    expect(parseVariableMeasure('2302148210869', uk)).toEqual({ ok: false, reason: 'not-variable-measure' });
    expect(parseVariableMeasure('2011122912345', uk)).toEqual({ ok: false, reason: 'invalid-gtin' });
  });

  it('explains a broken layout in words and never parses with it', () => {
    expect(validateVariableMeasureRule({ kind: 'price', pattern: 'IIIIIIIVVVVV', decimals: 2 }, 2)).toBeNull();
    expect(validateVariableMeasureRule({ kind: 'price', pattern: 'IIIIIIVIVVVV', decimals: 2 }, 2)).toMatch(/unbroken/);
    expect(validateVariableMeasureRule({ kind: 'price', pattern: 'IIIIICVVVVVV', decimals: 2 }, 2)).toMatch(/4 or 5/);
    expect(validateVariableMeasureRule({ kind: 'price', pattern: 'IIIIIIIIVVVV', decimals: 3 }, 2)).toMatch(/minor units/);
    expect(validateVariableMeasureRule({ kind: 'weight', pattern: 'IIII', decimals: 3 }, 2)).toMatch(/12 letters/);
    const broken: VariableMeasureLayout = { currencyMinorDigits: 2, rules: { '20': { kind: 'weight', pattern: 'IIIIIIIIVVVV', decimals: 4 } } };
    expect(parseVariableMeasure('2088060112343', broken)).toEqual({ ok: false, reason: 'bad-layout' });
  });

  it('gives every label of one item the same itemKey whatever its price (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{4}$/), fc.stringMatching(/^\d{4}$/), (a, b) => {
        const label = (value: string): string => {
          const data = '2011122' + String(priceCheckDigit(value)) + value;
          return data + String(gtinCheckDigit(data));
        };
        const ra = parseVariableMeasure(label(a), uk);
        const rb = parseVariableMeasure(label(b), uk);
        if (!ra.ok || !rb.ok) throw new Error('expected both labels to parse');
        expect(ra.measure.itemKey).toBe(rb.measure.itemKey);
        expect(ra.measure).toMatchObject({ amountMinor: Number(a) });
      }),
    );
  });
});
