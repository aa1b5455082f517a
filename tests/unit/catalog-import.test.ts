/**
 * importCatalog on the app's real Dexie schema (fake-indexeddb in Node): products, one
 * product-defined event and one outbox row per product, a gapless device sequence continuing
 * after events recorded before, and all-or-nothing refusal of bad input.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCatalog } from '../../bench/app/catalog-gen.ts';
import { CatalogIndex, loadCatalog } from '../../src/db/catalog.ts';
import { CatalogImportError, importCatalog } from '../../src/db/catalog-import.ts';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { seedDemoStoreIfEmpty } from '../../src/db/seed.ts';
import { isValidGtin } from '../../src/domain/gtin.ts';
import { parseEvent } from '../../src/domain/validate.ts';

const CONTEXT: RecordingContext = { storeId: 'demo-store', locationId: 'loc-floor', deviceId: 'dev-import-test', userId: 'owner', currency: 'EUR' };

let counter = 0;
const opened: PerpetuaDb[] = [];
async function freshDb(): Promise<PerpetuaDb> {
  const db = openDb(`catalog-import-${process.pid}-${++counter}`);
  await db.open();
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('benchmark catalog generator', () => {
  it('makes unique products with valid EAN-13 (and some UPC-A) barcodes', () => {
    const products = makeCatalog(5_000);
    const codes = products.flatMap((p) => p.barcodes);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every(isValidGtin)).toBe(true);
    expect(codes.some((c) => c.length === 12)).toBe(true);
    expect(new Set(products.map((p) => p.id)).size).toBe(products.length);
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
  });
});

describe('importCatalog', () => {
  it('writes products, one product-defined event and one outbox row per product, in batches', async () => {
    const db = await freshDb();
    const products = makeCatalog(1_050);
    const progress: number[] = [];
    const catalog = new CatalogIndex();
    const result = await importCatalog(db, products, (p) => progress.push(p.done), { context: CONTEXT, batchSize: 400, catalog });

    expect(result).toEqual({ imported: 1_050, batches: 3, firstSeq: 1, lastSeq: 1_050 });
    expect(progress).toEqual([400, 800, 1_050]);
    expect(await db.products.count()).toBe(1_050);
    expect(await db.unsent.count()).toBe(1_050);
    const events = await db.events.orderBy('[deviceId+seq]').toArray();
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 1_050 }, (_, i) => i + 1));
    for (const event of events.slice(0, 20)) expect(parseEvent(event).ok).toBe(true);
    // HLC strings sort causally: each import event after the one before.
    for (let i = 1; i < events.length; i++) expect((events[i - 1]?.hlc ?? '') < (events[i]?.hlc ?? '')).toBe(true);
    expect(events.every((e) => e.kind === 'product-defined')).toBe(true);
    expect(await db.meta.get('nextSeq')).toEqual({ key: 'nextSeq', value: 1_051 });

    // The in-memory catalog was updated, and the stored one loads the same.
    const sample = products[777];
    expect(catalog.byCode(sample?.barcodes[0] ?? '')?.id).toBe(sample?.id);
    const loaded = await loadCatalog(db);
    expect(loaded.size).toBe(1_050);
    expect(loaded.byCode(sample?.barcodes[0] ?? '')?.id).toBe(sample?.id);
  });

  it('continues the device sequence after earlier events, with the context from the database', async () => {
    const db = await freshDb();
    await seedDemoStoreIfEmpty(db);
    await db.meta.put({ key: 'deviceId', value: CONTEXT.deviceId });
    await recordEvent(db, CONTEXT, { kind: 'stock-adjusted', reason: 'found', lines: [{ productId: 'demo-p001', qty: 1 }] });
    const result = await importCatalog(db, makeCatalog(10));
    expect(result.firstSeq).toBe(2);
    expect(result.lastSeq).toBe(11);
    const imported = await db.events.where('[deviceId+seq]').between([CONTEXT.deviceId, 2], [CONTEXT.deviceId, 11], true, true).toArray();
    expect(imported).toHaveLength(10);
    expect(imported[0]).toMatchObject({ storeId: 'demo-store', locationId: 'loc-floor', kind: 'product-defined' });
  });

  it('refuses the whole import, writing nothing, when a product is malformed or repeated', async () => {
    const db = await freshDb();
    const products = makeCatalog(20);
    const badCheckDigit = products.map((p, i) => (i === 5 ? { ...p, barcodes: [`${p.barcodes[0]?.slice(0, 12)}${(Number(p.barcodes[0]?.[12]) + 1) % 10}`] } : p));
    await expect(importCatalog(db, badCheckDigit, undefined, { context: CONTEXT })).rejects.toThrow(/product 6: barcode .* wrong check digit/);
    const duplicateCode = [...products, { ...products[3]!, id: 'other', sku: 'OTHER-1' }];
    await expect(importCatalog(db, duplicateCode, undefined, { context: CONTEXT })).rejects.toThrow(/also on product/);
    const negativePrice = products.map((p, i) => (i === 2 ? { ...p, price: -5 } : p));
    await expect(importCatalog(db, negativePrice, undefined, { context: CONTEXT })).rejects.toThrow(CatalogImportError);
    expect(await db.products.count()).toBe(0);
    expect(await db.events.count()).toBe(0);
    expect(await db.unsent.count()).toBe(0);
  });

  it('keeps the committed batches and says how far it got when a later batch fails', async () => {
    const db = await freshDb();
    const products = makeCatalog(30);
    await db.products.add(products[25]!); // already in the catalog: the third batch's bulkAdd fails
    await expect(importCatalog(db, products, undefined, { context: CONTEXT, batchSize: 10 })).rejects.toThrow(/^20 of 30 products were imported; products 21–30 were not/);
    expect(await db.products.count()).toBe(21);
    expect(await db.events.count()).toBe(20);
    expect(await db.unsent.count()).toBe(20);
    expect(await db.meta.get('nextSeq')).toEqual({ key: 'nextSeq', value: 21 });
  });
});
