/**
 * importCatalog on the app's real Dexie schema (fake-indexeddb in Node): chunk records of up to 1,000
 * products, one products-defined event and one outbox row per chunk, a gapless device sequence
 * continuing after events recorded before, and all-or-nothing refusal of bad input.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeCatalog } from '../../bench/app/catalog-gen.ts';
import Dexie from 'dexie';
import { CatalogIndex, firstProducts, loadCatalog } from '../../src/db/catalog.ts';
import { storeProducts } from '../../src/db/catalog-store.ts';
import { LocalProjection } from '../../src/db/projection.ts';
import { importCatalog } from '../../src/db/catalog-import.ts';
import { openDb, STORES_V1, type PerpetuaDb } from '../../src/db/db.ts';
import type { ProductSnapshot } from '../../src/domain/events.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { positionFromLedger } from '../../src/db/ledger-writer.ts';
import { seedDemoStoreIfEmpty, seedIfEmpty } from '../../src/db/seed.ts';
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

/** Every stored product, in chunk order. */
async function storedProducts(db: PerpetuaDb): Promise<ProductSnapshot[]> {
  return (await db.catalogChunks.toArray()).flatMap((chunk) => chunk.products);
}

describe('importCatalog', () => {
  it('writes chunk records of 1,000 products, one products-defined event and one outbox row per chunk, in batches', async () => {
    const db = await freshDb();
    const products = makeCatalog(2_500);
    const progress: number[] = [];
    const catalog = new CatalogIndex([]);
    const result = await importCatalog(db, products, (p) => progress.push(p.done), { context: CONTEXT, batchSize: 1_200, catalog });

    // Batches of 1,200 products: 1,000 + 200, 1,000 + 200, then 100 → 5 events and 5 chunks.
    expect(result).toEqual({ imported: 2_500, batches: 3, events: 5, firstSeq: 1, lastSeq: 5 });
    expect(progress).toEqual([1_200, 2_400, 2_500]);
    const chunks = await db.catalogChunks.toArray();
    expect(chunks.map((c) => [c.id, c.products.length])).toEqual([[1, 1_000], [2, 200], [3, 1_000], [4, 200], [5, 100]]);
    expect(await storedProducts(db)).toEqual(products);
    expect(await db.unsent.count()).toBe(5);
    const events = await db.events.orderBy('[deviceId+seq]').toArray();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const event of events) expect(parseEvent(event)).toEqual({ ok: true, event, exact: true });
    // The events carry exactly the stored chunks' products.
    expect(events.map((e) => (e.kind === 'products-defined' ? e.products : []))).toEqual(chunks.map((c) => c.products));
    // HLC strings sort causally: each import event after the one before.
    for (let i = 1; i < events.length; i++) expect((events[i - 1]?.hlc ?? '') < (events[i]?.hlc ?? '')).toBe(true);
    expect((await positionFromLedger(db, CONTEXT.deviceId)).nextSeq).toBe(6);

    // The in-memory catalog was updated (and knows each product's chunk), and the stored one loads the same.
    const sample = products[1_777];
    expect(catalog.byCode(sample?.barcodes[0] ?? '')?.id).toBe(sample?.id);
    expect(catalog.chunkOf(sample?.id ?? '')).toBe(3);
    const loaded = await loadCatalog(db);
    expect(loaded.size).toBe(2_500);
    expect(loaded.byCode(sample?.barcodes[0] ?? '')?.id).toBe(sample?.id);
    expect(loaded.chunkOf(sample?.id ?? '')).toBe(3);
  });

  it('continues the device sequence after earlier events, with the context from the database, after the demo chunk', async () => {
    const db = await freshDb();
    await seedDemoStoreIfEmpty(db);
    await db.meta.put({ key: 'deviceId', value: CONTEXT.deviceId });
    await recordEvent(db, CONTEXT, { kind: 'stock-adjusted', reason: 'found', lines: [{ productId: 'demo-p001', qty: 1 }] });
    const result = await importCatalog(db, makeCatalog(10));
    expect(result).toMatchObject({ events: 1, firstSeq: 2, lastSeq: 2 });
    const imported = await db.events.where('[deviceId+seq]').equals([CONTEXT.deviceId, 2]).toArray();
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ storeId: 'demo-store', locationId: 'loc-floor', kind: 'products-defined' });
    expect((await db.catalogChunks.toArray()).map((c) => [c.id, c.products.length])).toEqual([[1, 58], [2, 10]]);
  });

  it('stamps the store the device is paired with, not the id its default locations were seeded with', async () => {
    const db = await freshDb();
    await seedIfEmpty(db, 'empty-store');
    await db.meta.bulkPut([
      { key: 'deviceId', value: CONTEXT.deviceId },
      { key: 'storeId', value: 'store-corner-shop' },
    ]);
    await importCatalog(db, makeCatalog(3));
    expect((await db.events.toArray()).map((event) => event.storeId)).toEqual(['store-corner-shop']);
  });

  it('refuses the whole import, writing nothing, when a product is malformed, repeated or already stored', async () => {
    const db = await freshDb();
    await seedDemoStoreIfEmpty(db);
    const products = makeCatalog(20);
    const badCheckDigit = products.map((p, i) => (i === 5 ? { ...p, barcodes: [`${p.barcodes[0]?.slice(0, 12)}${(Number(p.barcodes[0]?.[12]) + 1) % 10}`] } : p));
    await expect(importCatalog(db, badCheckDigit, undefined, { context: CONTEXT })).rejects.toThrow(/product 6: barcode .* wrong check digit/);
    const duplicateCode = [...products, { ...products[3]!, id: 'other', sku: 'OTHER-1' }];
    await expect(importCatalog(db, duplicateCode, undefined, { context: CONTEXT })).rejects.toThrow(/also on product/);
    const negativePrice = products.map((p, i) => (i === 2 ? { ...p, price: -5 } : p));
    await expect(importCatalog(db, negativePrice, undefined, { context: CONTEXT })).rejects.toThrow(/product 3: price: must not be negative/);
    const wrongType = products.map((p, i) => (i === 4 ? { ...p, active: 'yes' as unknown as boolean } : p));
    await expect(importCatalog(db, wrongType, undefined, { context: CONTEXT })).rejects.toThrow(/product 5: active/);
    const known = [...products, { ...products[0]!, id: 'demo-p001', sku: 'NEW-SKU', barcodes: [] }];
    await expect(importCatalog(db, known, undefined, { context: CONTEXT })).rejects.toThrow(/product 21: id "demo-p001" is already in the catalog/);
    // A staff device may not define products, however good the file.
    await expect(importCatalog(db, products, undefined, { context: CONTEXT, role: 'staff' })).rejects.toThrow(/Only the owner.s device can .*Nothing was imported/);
    expect(await db.catalogChunks.count()).toBe(1); // the demo store's chunk only
    expect(await db.events.where('kind').equals('products-defined').count()).toBe(0);
    expect(await db.unsent.count()).toBe(0);
  });

  it('keeps the committed batches and says how far it got when a later batch fails', async () => {
    const db = await freshDb();
    const products = makeCatalog(30);
    // The third batch's transaction fails (as a full disk would make it).
    db.catalogChunks.hook('creating', (_key, chunk) => {
      if (chunk.products[0]?.id === products[20]?.id) throw new Error('simulated write failure');
    });
    await expect(importCatalog(db, products, undefined, { context: CONTEXT, batchSize: 10 })).rejects.toThrow(/^20 of 30 products were imported; products 21–30 were not/);
    expect(await storedProducts(db)).toEqual(products.slice(0, 20));
    expect(await db.events.count()).toBe(2);
    expect(await db.unsent.count()).toBe(2);
    expect((await positionFromLedger(db, CONTEXT.deviceId)).nextSeq).toBe(3);
  });
});

describe('stored catalog chunks', () => {
  it('storeProducts replaces a product in its own chunk and appends new ones to the last chunk, then new chunks', async () => {
    const db = await freshDb();
    const products = makeCatalog(2_100);
    await importCatalog(db, products.slice(0, 1_500), undefined, { context: CONTEXT });
    const catalog = await loadCatalog(db);
    const changed = { ...products[1_200]!, price: 1, name: 'Renamed' };
    const placed = await storeProducts(db, [changed, ...products.slice(1_500)], catalog);
    expect(placed.get(changed.id)).toBe(2);
    // Chunk 2 had 500 products: it takes 500 of the new ones, and chunk 3 the other 100.
    expect(placed.get(products[1_999]!.id)).toBe(2);
    expect(placed.get(products[2_000]!.id)).toBe(3);
    const chunks = await db.catalogChunks.toArray();
    expect(chunks.map((c) => c.products.length)).toEqual([1_000, 1_000, 100]);
    expect(chunks[1]?.products[200]).toEqual(changed);
    const reloaded = await loadCatalog(db);
    expect(reloaded.size).toBe(2_100);
    expect(reloaded.get(changed.id)?.name).toBe('Renamed');

    // Without a loaded index it finds the product's chunk by reading the chunks.
    const again = { ...products[5]!, price: 2 };
    expect((await storeProducts(db, [again])).get(again.id)).toBe(1);
    expect((await loadCatalog(db)).get(again.id)?.price).toBe(2);
    expect((await storedProducts(db)).length).toBe(2_100);
  });

  it('a product-changed event (e.g. from another device) rewrites the product in its chunk', async () => {
    const db = await freshDb();
    await seedDemoStoreIfEmpty(db);
    const catalog = await loadCatalog(db);
    const projection = await LocalProjection.open(db, catalog, 'fifo');
    await recordEvent(db, CONTEXT, { kind: 'product-changed', productId: 'demo-p002', changes: { price: 12_345, name: 'Renamed demo product' } });
    await projection.refresh();
    expect(catalog.get('demo-p002')).toMatchObject({ price: 12_345, name: 'Renamed demo product' });
    const chunks = await db.catalogChunks.toArray();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.products.find((p) => p.id === 'demo-p002')).toMatchObject({ price: 12_345, name: 'Renamed demo product' });
    expect(chunks[0]?.products).toHaveLength(58);
  });

  it('firstProducts reads only as far as it needs', async () => {
    const db = await freshDb();
    await seedDemoStoreIfEmpty(db);
    const first = await firstProducts(db, 24);
    expect(first).toHaveLength(24);
    expect(first[0]?.id).toBe('demo-p001');
  });

  it('the version 2 upgrade moves a version 1 products table into chunks, keeping every other table', async () => {
    const name = `catalog-upgrade-${process.pid}-${++counter}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(STORES_V1);
    const products = makeCatalog(2_345);
    await v1.table('products').bulkAdd(products);
    await v1.table('meta').put({ key: 'deviceId', value: 'dev-old' });
    await v1.table('stock').put({ productId: products[0]!.id, locationId: 'loc-floor', onHand: 7 });
    v1.close();

    const db = openDb(name);
    await db.open();
    opened.push(db);
    expect(db.verno).toBeGreaterThanOrEqual(2);
    expect(db.tables.map((t) => t.name)).not.toContain('products');
    const chunks = await db.catalogChunks.toArray();
    expect(chunks.map((c) => c.products.length)).toEqual([1_000, 1_000, 345]);
    // Key order of the old table (product id), every product intact.
    const byId = [...products].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    expect(chunks.flatMap((c) => c.products)).toEqual(byId);
    expect(await db.meta.get('deviceId')).toEqual({ key: 'deviceId', value: 'dev-old' });
    expect(await db.stock.count()).toBe(1);
    expect((await loadCatalog(db)).byCode(products[99]!.barcodes[0]!)?.id).toBe(products[99]!.id);
  });
});
