import { describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS, demoSeedEvents } from '../../src/domain/demo-catalog.ts';
import { DEMO_STORE_ID, recordingStoreId } from '../../src/domain/demo-store.ts';
import type { ProductSnapshot } from '../../src/domain/events.ts';
import { sellGroups } from '../../src/domain/sell-groups.ts';
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
  it('arranges products into categories and favourites by later events, leaving the earlier seed events as they were', () => {
    const events = demoSeedEvents();
    // The product definitions and openings carry no category: the same content as before issue 14.
    for (const event of events) if (event.kind === 'product-defined') expect(Object.keys(event.product)).not.toContain('category');
    const changes = events.filter((e) => e.kind === 'product-changed');
    expect(events.indexOf(changes[0]!)).toBe(events.length - changes.length);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
    // Folding the seed gives the demo catalog.
    const catalog = new Map<string, ProductSnapshot>();
    for (const event of events) {
      if (event.kind === 'product-defined') catalog.set(event.product.id, event.product);
      if (event.kind === 'product-changed') catalog.set(event.productId, { ...catalog.get(event.productId)!, ...event.changes });
    }
    expect([...catalog.values()]).toEqual(DEMO_PRODUCTS);
    const groups = sellGroups(DEMO_PRODUCTS);
    expect(groups.favourites.map((p) => p.name)).toContain('Butter croissant');
    expect([...groups.categories.keys()]).toEqual(['Bakery', 'Dairy', 'Drinks', 'Flowers', 'Fruit & veg', 'Household', 'Snacks']);
    expect([...groups.categories.values()].reduce((n, list) => n + list.length, 0)).toBeGreaterThan(DEMO_PRODUCTS.length / 2);
  });

  it('records for the paired store, else the store the locations were seeded for, else the demo', () => {
    const seeded = [{ storeId: 'store-first-start' }, { storeId: 'store-other' }];
    expect(recordingStoreId('store-paired', seeded)).toBe('store-paired');
    expect(recordingStoreId(undefined, seeded)).toBe('store-first-start');
    expect(recordingStoreId(undefined, [])).toBe(DEMO_STORE_ID);
  });
});
