/**
 * Bulk import of a catalog (e.g. a supplier's or a previous system's product list): `products-defined`
 * ledger events of up to 1,000 products each, and the same products as chunk records of the stored
 * catalog (db.ts `catalogChunks`), written in batches.
 *
 * Each batch is ONE IndexedDB transaction that writes its chunk records, its events, the events'
 * outbox entries (they are this device's own events and must reach the server), with sequence
 * numbers and clock stamps from the device's one writer (ledger-writer.ts), like `recordEvent` for
 * a single event: the ledger never has a gap in the device's sequence, and a batch is either wholly
 * on disk or not at all. Batches
 * rather than one transaction: a 100,000-product import then shows progress, and a failure (e.g.
 * storage full) keeps the batches already committed; import the rest again. One event and one chunk
 * per 1,000 products rather than a row per product: IndexedDB costs a fixed amount per record, and
 * 300,000 records took minutes where 300 take about a second.
 *
 * Everything is checked before the first write: each product against the event schema; that no id,
 * SKU or barcode (compared as GTIN-14, like the scanner) appears twice in the import; that no id is
 * in the catalog already. Digit-only codes of GTIN length must carry a correct check digit.
 */
import type { LedgerEvent, ProductSnapshot } from '../domain/events.ts';
import { groupProductsForEvents } from '../domain/catalog-events.ts';
import { DEMO_CURRENCY, DEMO_LOCATIONS, recordingStoreId } from '../domain/demo-store.ts';
import { EVENT_SCHEMA_VERSION } from '../domain/events.ts';
import type { DeviceRole } from '../domain/permissions.ts';
import { parseEvent } from '../domain/validate.ts';
import { checkImport, MAX_IMPORT_PROBLEMS } from '../app/commands/catalog.ts';
import { refusalFor } from '../app/commands/registry.ts';
import type { CatalogIndex } from './catalog.ts';
import type { CatalogChunk, LocationRow, UnsentRow, PerpetuaDb } from './db.ts';
import { uuidv7 } from './ids.ts';
import { LedgerWriteError, toLedgerWriteError, type RecordingContext } from './ledger.ts';
import { ledgerWriterOf } from './ledger-writer.ts';
import { journalled } from './journal.ts';

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
  /** Products per transaction (default 10,000: ten events and ten chunk records). */
  batchSize?: number;
  /** An in-memory catalog to update as batches commit (e.g. the app's). */
  catalog?: CatalogIndex;
  /** Wall clock, for tests. */
  now?: () => number;
  /** The device's role: a staff device may not define products (the server would refuse them too). */
  role?: DeviceRole;
}

export interface ImportResult {
  imported: number;
  batches: number;
  /** `products-defined` events recorded (one per chunk record written). */
  events: number;
  firstSeq: number;
  lastSeq: number;
}

export const DEFAULT_IMPORT_BATCH = 10_000;

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
  const refusal = refusalFor(options.role ?? 'owner', 'products-defined');
  if (refusal !== undefined) throw new CatalogImportError(`${refusal} Nothing was imported; ask the owner to import the file on their device.`);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_IMPORT_BATCH));
  const now = options.now ?? Date.now;
  const known = options.catalog?.loaded ? options.catalog : await storedProductIds(db);
  const checked = checkProducts(products, (id) => known.get(id) !== undefined);
  const context = options.context ?? (await recordingContextFromDb(db, products[0]?.currency));
  const batches = Math.ceil(products.length / batchSize);
  let firstSeq = 0;
  let lastSeq = 0;
  let eventCount = 0;
  for (let b = 0; b < batches; b++) {
    const slice = checked.slice(b * batchSize, (b + 1) * batchSize);
    const groups = groupProductsForEvents(slice);
    const nowMs = now();
    let written: { events: LedgerEvent[]; chunks: CatalogChunk[] };
    try {
      written = await ledgerWriterOf(db, context.deviceId).write(nowMs, async (next) => {
        const recordedAt = new Date(nowMs).toISOString();
        const events: LedgerEvent[] = [];
        const unsent: UnsentRow[] = [];
        groups.forEach((group, g) => {
          const { seq, hlc } = next();
          const event = {
            id: uuidv7(nowMs),
            schema: EVENT_SCHEMA_VERSION,
            ...context,
            seq,
            hlc,
            recordedAt,
            kind: 'products-defined',
            products: group,
          } satisfies LedgerEvent;
          // checkProducts has validated every product and that none repeats across the import; the
          // envelope is the same for the whole batch but for id, seq and clock, so checking the
          // first event whole guards the rest without validating 10,000 products twice.
          if (g === 0) {
            const parsed = parseEvent(event);
            if (!parsed.ok) throw new LedgerWriteError(`The product import could not be recorded: ${parsed.error}`);
          }
          events.push(event);
          unsent.push({ seq, eventId: event.id, attempts: 0 });
        });
        // Journalled like every own event (journal.ts): a lost database gets the import back.
        return journalled(db, events, () =>
          db.transaction('rw', [db.catalogChunks, db.events, db.unsent], async () => {
            const lastChunk = await db.catalogChunks.toCollection().lastKey();
            const chunk0 = typeof lastChunk === 'number' ? lastChunk + 1 : 1;
            const chunks: CatalogChunk[] = groups.map((group, g) => ({ id: chunk0 + g, products: group }));
            await Promise.all([db.catalogChunks.bulkAdd(chunks), db.events.bulkAdd(events), db.unsent.bulkAdd(unsent)]);
            return { events, chunks };
          }),
        );
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
    if (b === 0) firstSeq = written.events[0]?.seq ?? 0;
    lastSeq = written.events[written.events.length - 1]?.seq ?? lastSeq;
    eventCount += written.events.length;
    if (options.catalog) for (const chunk of written.chunks) for (const product of chunk.products) options.catalog.put(product, chunk.id);
    onProgress?.({ done: Math.min(products.length, (b + 1) * batchSize), total: products.length, batch: b + 1, batches });
  }
  return { imported: products.length, batches, events: eventCount, firstSeq, lastSeq };
}

/** The ids of the products stored already (when no loaded in-memory catalog is at hand). */
async function storedProductIds(db: PerpetuaDb): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  await db.catalogChunks.each((chunk) => {
    for (const product of chunk.products) ids.set(product.id, chunk.id);
  });
  return ids;
}

/**
 * Refuses the whole import, before anything is written, when a product is malformed or repeated.
 * Returns the products as the schema reads them (unknown fields dropped), which is what is stored.
 */
export function checkProducts(products: readonly ProductSnapshot[], alreadyStored: (id: string) => boolean = () => false): ProductSnapshot[] {
  // The checks are the import-catalog command's (src/app/commands/catalog.ts): one set of rules.
  const { checked, problems } = checkImport(products, alreadyStored);
  if (problems.length > 0) {
    const listed = problems.map((p) => p.message).join('; ');
    throw new CatalogImportError(`Nothing was imported: ${listed}${problems.length === MAX_IMPORT_PROBLEMS ? '; …' : ''}`);
  }
  return checked;
}

/** The same context the Sell screen records with (see ui/app-context.ts), read from the database. */
export async function recordingContextFromDb(db: PerpetuaDb, fallbackCurrency: string | undefined): Promise<RecordingContext> {
  // The device's own settings, and the store's as the projection cached them (store-settings.ts).
  const [deviceRow, settingsRow, storeRow, pairedRow] = await db.meta.bulkGet(['deviceId', 'settings', 'storeSettings', 'storeId']);
  const deviceId = deviceRow?.value as string | undefined;
  if (!deviceId) throw new CatalogImportError('This device has no id yet: open the app once before importing a catalog.');
  const settings = (settingsRow?.value ?? {}) as { locationId?: string; cashier?: string };
  const store = (storeRow?.value ?? {}) as { currency?: string };
  const locations: LocationRow[] = await db.locations.toArray();
  // As the app does: the settings' location, else the demo store's default one.
  const locationId = settings.locationId ?? DEMO_LOCATIONS[0].id;
  const location = locations.find((l) => l.id === locationId) ?? locations[0];
  if (!location) throw new CatalogImportError('The store has no location yet: open the app once before importing a catalog.');
  return {
    // As the app does: the paired store, not the id the first start's default locations were seeded with.
    storeId: recordingStoreId(pairedRow?.value as string | undefined, locations),
    locationId: location.id,
    deviceId,
    userId: settings.cashier ?? 'catalog-import',
    currency: store.currency ?? fallbackCurrency ?? DEMO_CURRENCY,
  };
}
