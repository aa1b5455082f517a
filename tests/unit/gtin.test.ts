import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, isValidGtin } from '../../src/domain/gtin.ts';

describe('GTIN check digits', () => {
  it('matches published examples', () => {
    // GS1's own worked example: 629104150021 → 3
    expect(gtinCheckDigit('629104150021')).toBe(3);
    expect(isValidGtin('4006381333931')).toBe(true); // Stabilo pen, the usual Wikipedia EAN-13 example
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A example from Wikipedia
    expect(isValidGtin('96385074')).toBe(true); // EAN-8 example from Wikipedia
  });
  it('rejects a wrong digit and wrong lengths', () => {
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('400638133393')).toBe(false);
    expect(isValidGtin('40063813339a1')).toBe(false);
    expect(isValidGtin('')).toBe(false);
  });
});
