/**
 * A simulated device for Node tests: the app's real Dexie database (src/db) on fake-indexeddb,
 * recording sales through the app's real `recordEvent`, paired with a real server.
 */
import 'fake-indexeddb/auto';
import { openDb, type PerpetuaDb } from '../../src/db/db.ts';
import { recordEvent, type RecordingContext } from '../../src/db/ledger.ts';
import { ledgerWriterOf } from '../../src/db/ledger-writer.ts';
import type { EventBody, LedgerEvent } from '../../src/domain/index.ts';
import { saleEvent } from '../server/fixtures.ts';

let dbCounter = 0;

export interface TestDevice {
  db: PerpetuaDb;
  context: RecordingContext;
  /** Records a sale of `qty` units through the app's ledger (event + outbox in one transaction). */
  sell(qty?: number, productId?: string, nowMs?: number): Promise<LedgerEvent>;
  record(body: EventBody, nowMs?: number): Promise<LedgerEvent>;
  /** As if the app were opened again: the writer reads its position from the ledger anew. */
  restart(): Promise<void>;
  close(): void;
}

export async function createTestDevice(options: { deviceId: string; storeId: string; token: string; serverUrl: string }): Promise<TestDevice> {
  dbCounter += 1;
  const db = openDb(`perpetua-test-${process.pid}-${dbCounter}-${options.deviceId}`);
  await db.open();
  await db.meta.bulkPut([
    { key: 'deviceId', value: options.deviceId },
    { key: 'deviceToken', value: options.token },
    { key: 'serverUrl', value: options.serverUrl },
  ]);
  const context: RecordingContext = {
    storeId: options.storeId,
    locationId: 'loc-floor',
    deviceId: options.deviceId,
    userId: 'cashier-1',
    currency: 'EUR',
  };
  let clock = Date.UTC(2026, 0, 5, 9, 0, 0);
  const record = (body: EventBody, nowMs?: number) => recordEvent(db, context, body, nowMs ?? (clock += 1000));
  return {
    db,
    context,
    record,
    sell: (qty = 1, productId = 'p-coffee', nowMs?: number) => record(saleBody(qty, productId), nowMs),
    restart: async () => void (await ledgerWriterOf(db, context.deviceId).restoreFromLedger()),
    close: () => db.close(),
  };
}

/** The body (no envelope) of a valid sale, from the shared fixtures. */
export function saleBody(qty: number, productId: string): EventBody {
  const { id: _id, schema: _s, storeId: _st, locationId: _l, deviceId: _d, seq: _q, hlc: _h, recordedAt: _r, userId: _u, currency: _c, ...body } =
    saleEvent({ storeId: 'x', deviceId: 'x', seq: 1, qty, productId });
  return body as EventBody;
}

/**
 * Puts `count` sales straight into the ledger and outbox in one transaction, the state of a device
 * that sold offline for a long time (much faster than recording them one by one in fake-indexeddb).
 */
export async function queueOfflineSales(device: TestDevice, count: number, fromSeq = 1): Promise<LedgerEvent[]> {
  const events = Array.from({ length: count }, (_, i) =>
    saleEvent({ storeId: device.context.storeId, deviceId: device.context.deviceId, seq: fromSeq + i }),
  );
  await device.db.transaction('rw', device.db.events, device.db.unsent, async () => {
    await device.db.events.bulkAdd(events);
    await device.db.unsent.bulkAdd(events.map((e) => ({ seq: e.seq, eventId: e.id, attempts: 0 })));
  });
  await device.restart();
  return events;
}
