/**
 * Appends this device's own events to the local ledger. One IndexedDB transaction writes the event,
 * its `unsent` entry (the outbox), the on-hand change (or the location it names) and the device's
 * sequence/clock: either all of it is on disk or none of it is.
 */
import Dexie from 'dexie';
import type { EventBody, LedgerEvent } from '../domain/events.ts';
import { EVENT_SCHEMA_VERSION } from '../domain/events.ts';
import { HLC_ZERO, hlcNow, hlcStateOf } from '../domain/hlc.ts';
import { onHandDeltas } from '../domain/on-hand.ts';
import type { PerpetuaDb, StockRow } from './db.ts';
import { findEvent } from './event-store.ts';
import { uuidv7 } from './ids.ts';

export interface RecordingContext {
  storeId: string;
  locationId: string;
  deviceId: string;
  userId: string;
  currency: string;
}

export class LedgerWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerWriteError';
  }
}

export async function recordEvent(
  db: PerpetuaDb,
  context: RecordingContext,
  makeBody: EventBody | ((seq: number) => EventBody),
  nowMs: number = Date.now(),
): Promise<LedgerEvent> {
  const kind = typeof makeBody === 'function' ? 'event' : makeBody.kind;
  // Validation (zod) loads on first use, not with the first screen; the import must finish before the
  // transaction starts, since an IndexedDB transaction commits as soon as it waits on anything else.
  const { parseEvent } = await import('../domain/validate.ts');
  try {
    return await db.transaction('rw', [db.events, db.unsent, db.stock, db.locations, db.meta, db.pulled], async () => {
      const [seqRow, stampRow] = await db.meta.bulkGet(['nextSeq', 'hlc']);
      const seq = (seqRow?.value as number | undefined) ?? 1;
      const lastStamp = stampRow?.value as string | undefined;
      const body = typeof makeBody === 'function' ? makeBody(seq) : makeBody;
      const clock = hlcNow(lastStamp ? hlcStateOf(lastStamp) : HLC_ZERO, nowMs, context.deviceId);
      const candidate = {
        id: uuidv7(nowMs),
        schema: EVENT_SCHEMA_VERSION,
        ...context,
        seq,
        hlc: clock.stamp,
        recordedAt: new Date(nowMs).toISOString(),
        ...body,
      };
      const parsed = parseEvent(candidate);
      if (!parsed.ok) throw new LedgerWriteError(`This ${body.kind} could not be recorded: ${parsed.error}`);
      const event = parsed.event;

      // The stock rows the event touches are the same whatever their on-hand is, so one read finds
      // them all (counts need the current on-hand to compute their adjustment).
      const voidedSale = event.kind === 'sale-voided' ? await findEvent(db, event.saleId) : undefined;
      const sale = () => (voidedSale?.kind === 'sale' ? voidedSale : undefined);
      const touched = onHandDeltas(event, { sale, onHand: () => 0 });
      const current = await loadStockRows(db, touched.map((d) => [d.productId, d.locationId]));
      const deltas = onHandDeltas(event, { sale, onHand: (productId, locationId) => current.get(stockKey(productId, locationId))?.onHand ?? 0 });
      const changed = new Map<string, StockRow>();
      for (const d of deltas) {
        const key = stockKey(d.productId, d.locationId);
        const row = changed.get(key) ?? current.get(key) ?? { productId: d.productId, locationId: d.locationId, onHand: 0 };
        changed.set(key, { ...row, onHand: row.onHand + d.delta });
      }

      // Issued together, not one after another: each await would be a round trip to the
      // IndexedDB backend before the next write is even asked for (bench/README.md, sale commit).
      await Promise.all([
        db.events.add(event),
        db.unsent.add({ seq, eventId: event.id, attempts: 0 }),
        changed.size > 0 ? db.stock.bulkPut([...changed.values()]) : undefined,
        // This device's newest event names the location at once, with or without a projection.
        event.kind === 'location-defined' ? db.locations.put({ ...event.location, storeId: event.storeId }) : undefined,
        db.meta.bulkPut([
          { key: 'nextSeq', value: seq + 1 },
          { key: 'hlc', value: clock.stamp },
        ]),
      ]);
      return event;
    });
  } catch (error) {
    throw toLedgerWriteError(error, kind);
  }
}

function stockKey(productId: string, locationId: string): string {
  return `${productId}|${locationId}`;
}

async function loadStockRows(db: PerpetuaDb, keys: [string, string][]): Promise<Map<string, StockRow>> {
  const byKey = new Map<string, StockRow>();
  if (keys.length === 0) return byKey;
  for (const row of await db.stock.bulkGet(keys)) if (row) byKey.set(stockKey(row.productId, row.locationId), row);
  return byKey;
}

/** Turns IndexedDB's failures into sentences a cashier can act on. */
export function toLedgerWriteError(error: unknown, kind: string): LedgerWriteError {
  if (error instanceof LedgerWriteError) return error;
  const name = error instanceof Error ? error.name : '';
  const inner = error instanceof Dexie.DexieError && error.inner instanceof Error ? error.inner.name : '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return new LedgerWriteError(
      `The ${kind} was NOT recorded: this device's storage is full. Free up space (or sync and clear old data), then try again.`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new LedgerWriteError(`The ${kind} was NOT recorded: the device's database refused it (${detail}). Nothing was saved; try again.`, {
    cause: error,
  });
}
