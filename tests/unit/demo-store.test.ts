import { describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS, demoSeedEvents } from '../../src/domain/demo-store.ts';
import { isValidGtin } from '../../src/domain/gtin.ts';
import { parseEvent } from '../../src/domain/validate.ts';

describe('demo store', () => {
  it('has at least 50 products with unique, valid barcodes', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(50);
    const codes = DEMO_PRODUCTS.flatMap((p) => p.barcodes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(isValidGtin(code), code).toBe(true);
    expect(codes.some((c) => c.length === 12)).toBe(true);
    expect(new Set(DEMO_PRODUCTS.map((p) => p.sku)).size).toBe(DEMO_PRODUCTS.length);
  });
  it('seed events are valid ledger events', () => {
    for (const event of demoSeedEvents()) {
      const parsed = parseEvent(event);
      expect(parsed.ok ? 'ok' : parsed.error).toBe('ok');
    }
  });
});
