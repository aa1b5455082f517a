/**
 * Bulk import of a catalog (e.g. a supplier's or a previous system's product list): the products
 * table and one `product-defined` ledger event per product, written in batches.
 *
 * Each batch is ONE IndexedDB transaction that writes its products, their events, the events' outbox
 * entries (they are this device's own events and must reach the server) and the device's sequence
 * number and clock, exactly like `recordEvent` does for a single event, so the ledger never has a
 * gap in the device's sequence and a batch is either wholly on disk or not at all. Batches rather
 * than one transaction: a 100,000-product import then shows progress, keeps memory bounded, and a
 * failure (e.g. storage full) keeps the batches already committed; import the rest again.
 *
 * Everything is checked before the first write: each product against the event schema, and that no
 * id, SKU or barcode (compared as GTIN-14, like the scanner) appears twice in the import. Digit-only
 * codes of GTIN length must carry a correct check digit. A product id that already exists in the
 * database makes its batch fail (`bulkAdd`), and the error names how far the import got.
 */
import type { LedgerEvent, ProductSnapshot } from '../domain/events.ts';
import { DEMO_CURRENCY, DEMO_LOCATIONS, DEMO_STORE_ID } from '../domain/demo-store.ts';
import { EVENT_SCHEMA_VERSION } from '../domain/events.ts';
import { isValidGtin } from '../domain/gtin.ts';
import { HLC_ZERO, hlcNow, hlcStateOf, type HlcState } from '../domain/hlc.ts';
import { parseEvent } from '../domain/validate.ts';
import { barcodeKey, type CatalogIndex } from './catalog.ts';
import type { LocationRow, UnsentRow, PerpetuaDb } from './db.ts';
import { uuidv7 } from './ids.ts';
import { LedgerWriteError, toLedgerWriteError, type RecordingContext } from './ledger.ts';

export interface ImportProgress {
  /** Products committed so far. */
  done: number;
  total: number;
  batch: number;
  batches: number;
}

export interface ImportOptions {
  /** Who and where records the events; by default read from the database (device id, settings). */
  context?: RecordingContext;
  /** Products per transaction (default 5,000). */
  batchSize?: number;
  /** An in-memory catalog to update as batches commit (e.g. the session's). */
  catalog?: CatalogIndex;
  /** Wall clock, for tests. */
  now?: () => number;
}

export interface ImportResult {
  imported: number;
  batches: number;
  firstSeq: number;
  lastSeq: number;
}

export const DEFAULT_IMPORT_BATCH = 5_000;

export class CatalogImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatalogImportError';
  }
}

export async function importCatalog(
  db: PerpetuaDb,
  products: readonly ProductSnapshot[],
  onProgress?: (progress: ImportProgress) => void,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_IMPORT_BATCH));
  const now = options.now ?? Date.now;
  const checked = checkProducts(products);
  const context = options.context ?? (await recordingContextFromDb(db, products[0]?.currency));
  const batches = Math.ceil(products.length / batchSize);
  let firstSeq = 0;
  let lastSeq = 0;
  for (let b = 0; b < batches; b++) {
    const slice = checked.slice(b * batchSize, (b + 1) * batchSize);
    const nowMs = now();
    let events: LedgerEvent[];
    try {
      events = await db.transaction('rw', [db.products, db.events, db.unsent, db.meta], async () => {
        const [seqRow, hlcRow] = await db.meta.bulkGet(['nextSeq', 'hlc']);
        const seq0 = (seqRow?.value as number | undefined) ?? 1;
        const lastStamp = hlcRow?.value as string | undefined;
        let clock: HlcState = lastStamp ? hlcStateOf(lastStamp) : HLC_ZERO;
        let stamp = lastStamp ?? '';
        const recordedAt = new Date(nowMs).toISOString();
        const made: LedgerEvent[] = new Array<LedgerEvent>(slice.length);
        const unsent: UnsentRow[] = new Array<UnsentRow>(slice.length);
        for (let i = 0; i < slice.length; i++) {
          const next = hlcNow(clock, nowMs, context.deviceId);
          clock = next.state;
          stamp = next.stamp;
          const seq = seq0 + i;
          const event: LedgerEvent = {
            id: uuidv7(nowMs),
            schema: EVENT_SCHEMA_VERSION,
            ...context,
            seq,
            hlc: stamp,
            recordedAt,
            kind: 'product-defined',
            product: slice[i] as ProductSnapshot,
          };
          // checkProducts has validated every product; the envelope is the same for the whole batch,
          // so checking the first event's guards the rest (and saves re-validating 100,000 products).
          if (i === 0) {
            const parsed = parseEvent(event);
            if (!parsed.ok) throw new LedgerWriteError(`The product import could not be recorded: ${parsed.error}`);
          }
          made[i] = event;
          unsent[i] = { seq, eventId: event.id, attempts: 0 };
        }
        await Promise.all([
          db.products.bulkAdd(slice),
          db.events.bulkAdd(made),
          db.unsent.bulkAdd(unsent),
          db.meta.bulkPut([
            { key: 'nextSeq', value: seq0 + slice.length },
            { key: 'hlc', value: stamp },
          ]),
        ]);
        return made;
      });
    } catch (error) {
      const done = b * batchSize;
      const inner = toLedgerWriteError(error, 'product import');
      throw new CatalogImportError(
        `${done} of ${products.length} products were imported; products ${done + 1}–${done + slice.length} were not (${inner.message}).` +
          (done > 0 ? ' Import the rest again from there.' : ''),
        { cause: error },
      );
    }
    if (b === 0) firstSeq = events[0]?.seq ?? 0;
    lastSeq = events[events.length - 1]?.seq ?? lastSeq;
    if (options.catalog) for (const product of slice) options.catalog.put(product);
    onProgress?.({ done: Math.min(products.length, (b + 1) * batchSize), total: products.length, batch: b + 1, batches });
  }
  return { imported: products.length, batches, firstSeq, lastSeq };
}

/**
 * Refuses the whole import, before anything is written, when a product is malformed or repeated.
 * Returns the products as the schema reads them (unknown fields dropped), which is what is stored.
 */
export function checkProducts(products: readonly ProductSnapshot[]): ProductSnapshot[] {
  const problems: string[] = [];
  const checked: ProductSnapshot[] = [];
  const ids = new Set<string>();
  const skus = new Set<string>();
  const codes = new Map<string, string>();
  const note = (i: number, text: string) => {
    if (problems.length < 10) problems.push(`product ${i + 1}: ${text}`);
  };
  const envelope = {
    id: '00000000-0000-7000-8000-000000000000',
    schema: EVENT_SCHEMA_VERSION,
    storeId: 'check',
    locationId: 'check',
    deviceId: 'check',
    seq: 1,
    hlc: '000000000000000-000000-check',
    recordedAt: '2026-01-01T00:00:00.000Z',
    userId: 'check',
    kind: 'product-defined',
  };
  for (let i = 0; i < products.length; i++) {
    const raw = products[i] as ProductSnapshot | undefined;
    const parsed = parseEvent({ ...envelope, currency: raw?.currency, product: raw });
    if (!parsed.ok || parsed.event.kind !== 'product-defined') {
      note(i, parsed.ok ? 'not a product' : parsed.error);
      continue;
    }
    const product = parsed.event.product;
    checked.push(product);
    if (ids.has(product.id)) note(i, `id "${product.id}" appears twice`);
    ids.add(product.id);
    const sku = product.sku.trim().toUpperCase();
    if (skus.has(sku)) note(i, `SKU "${product.sku}" appears twice`);
    skus.add(sku);
    for (const code of product.barcodes) {
      if (/^\d+$/.test(code) && [8, 12, 13, 14].includes(code.length) && !isValidGtin(code)) {
        note(i, `barcode ${code} has a wrong check digit`);
      }
      const key = barcodeKey(code);
      const owner = codes.get(key);
      if (owner !== undefined && owner !== product.id) note(i, `barcode ${code} is also on product "${owner}"`);
      codes.set(key, product.id);
    }
  }
  if (problems.length > 0) {
    throw new CatalogImportError(`Nothing was imported: ${problems.join('; ')}${problems.length === 10 ? '; …' : ''}`);
  }
  return checked;
}

/** The same context the Sell screen records with (see ui/session.ts), read from the database. */
export async function recordingContextFromDb(db: PerpetuaDb, fallbackCurrency: string | undefined): Promise<RecordingContext> {
  const [deviceRow, settingsRow] = await db.meta.bulkGet(['deviceId', 'settings']);
  const deviceId = deviceRow?.value as string | undefined;
  if (!deviceId) throw new CatalogImportError('This device has no id yet: open the app once before importing a catalog.');
  const settings = (settingsRow?.value ?? {}) as { locationId?: string; cashier?: string; currency?: string };
  const locations: LocationRow[] = await db.locations.toArray();
  // As the session does: the settings' location, else the demo store's default one.
  const locationId = settings.locationId ?? DEMO_LOCATIONS[0].id;
  const location = locations.find((l) => l.id === locationId) ?? locations[0];
  if (!location) throw new CatalogImportError('The store has no location yet: open the app once before importing a catalog.');
  return {
    storeId: locations[0]?.storeId ?? DEMO_STORE_ID,
    locationId: location.id,
    deviceId,
    userId: settings.cashier ?? 'catalog-import',
    currency: settings.currency ?? fallbackCurrency ?? DEMO_CURRENCY,
  };
}
