/**
 * Drains the outbox: the device's own events the server has not acknowledged yet.
 *
 * Rules (issue 5): batches in device order; an event leaves the outbox only when the server
 * answered accepted or duplicate for it; a rejected event is set aside with the server's reason
 * (status 'rejected') and never blocks the ones behind it; nothing else ever removes a row.
 */
import type { LedgerEvent } from '../domain/events.ts';
import type { OutboxRow, PerpetuaDb } from '../db/db.ts';
import { isInvalidEventsResponse, SyncHttpError, type SyncTransport } from './transport.ts';

export const DEFAULT_PUSH_BATCH = 200;

export interface DrainReport {
  /** Acknowledged (accepted or duplicate) and removed from the outbox. */
  acknowledged: number;
  rejected: number;
  batches: number;
}

export async function drainOutbox(
  db: PerpetuaDb,
  transport: SyncTransport,
  options: { batchSize?: number } = {},
): Promise<DrainReport> {
  const report: DrainReport = { acknowledged: 0, rejected: 0, batches: 0 };
  let batchSize = options.batchSize ?? DEFAULT_PUSH_BATCH;
  for (;;) {
    const rows = await nextPendingRows(db, batchSize);
    if (rows.length === 0) return report;
    const events = await db.events.bulkGet(rows.map((row) => row.eventId));
    const missing = rows.filter((_, i) => events[i] === undefined);
    if (missing.length > 0) {
      // Should not happen (the event and its outbox row are written in one transaction), but a
      // row without its event must not block the outbox forever.
      await setAside(db, missing.map((row) => ({ id: row.eventId, reason: 'The event is missing from this device’s ledger.' })));
      report.rejected += missing.length;
      continue;
    }
    const batch = events as LedgerEvent[];
    report.batches += 1;
    try {
      const response = await transport.push(batch);
      const acked = response.results.filter((r) => r.status !== 'rejected').map((r) => r.id);
      const rejected = response.results.flatMap((r) => (r.status === 'rejected' ? [{ id: r.id, reason: r.reason }] : []));
      await db.transaction('rw', db.outbox, async () => {
        await db.outbox.bulkDelete(acked);
        await markRejected(db, rejected);
      });
      report.acknowledged += acked.length;
      report.rejected += rejected.length;
      if (acked.length + rejected.length === 0) {
        throw new SyncHttpError('The server answered without a result for any event.', 200, true);
      }
    } catch (error) {
      const setAsideNow = await handleRefusal(db, batch, error, batchSize);
      if (setAsideNow === 'halve') {
        batchSize = Math.max(1, Math.floor(batchSize / 2));
        continue;
      }
      if (setAsideNow > 0) {
        report.rejected += setAsideNow;
        continue;
      }
      await noteAttempt(db, rows, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}

async function nextPendingRows(db: PerpetuaDb, limit: number): Promise<OutboxRow[]> {
  return db.outbox
    .orderBy('seq')
    .filter((row) => row.status === 'pending')
    .limit(limit)
    .toArray();
}

/**
 * Whole-batch refusals that name the culprits: 422 lists invalid events, 403 names the index of an
 * event carrying another device's id. Those are set aside and the rest is sent again. A 413 means
 * the batch is too big: halve it (a single event too big is set aside). Returns how many events
 * were set aside, 'halve', or 0 when the error is not about particular events.
 */
async function handleRefusal(db: PerpetuaDb, batch: LedgerEvent[], error: unknown, batchSize: number): Promise<number | 'halve'> {
  if (!(error instanceof SyncHttpError)) return 0;
  if (error.status === 422 && isInvalidEventsResponse(error.body) && error.body.rejected.length > 0) {
    const culprits = error.body.rejected.flatMap((r) => {
      const event = batch[r.index];
      return event ? [{ id: event.id, reason: r.reason }] : [];
    });
    await setAside(db, culprits);
    return culprits.length;
  }
  if (error.status === 403) {
    const index = (error.body as { index?: unknown } | undefined)?.index;
    const event = typeof index === 'number' ? batch[index] : undefined;
    if (event) {
      await setAside(db, [{ id: event.id, reason: error.message }]);
      return 1;
    }
  }
  if (error.status === 413) {
    if (batchSize > 1) return 'halve';
    const only = batch[0];
    if (only) {
      await setAside(db, [{ id: only.id, reason: error.message }]);
      return 1;
    }
  }
  return 0;
}

async function setAside(db: PerpetuaDb, items: { id: string; reason: string }[]): Promise<void> {
  await db.transaction('rw', db.outbox, () => markRejected(db, items));
}

async function markRejected(db: PerpetuaDb, items: { id: string; reason: string }[]): Promise<void> {
  for (const item of items) {
    await db.outbox.where('eventId').equals(item.id).modify((row) => {
      row.status = 'rejected';
      row.rejectedReason = item.reason;
      row.attempts += 1;
    });
  }
}

async function noteAttempt(db: PerpetuaDb, rows: OutboxRow[], message: string): Promise<void> {
  await db.outbox
    .where('eventId')
    .anyOf(rows.map((row) => row.eventId))
    .modify((row) => {
      row.attempts += 1;
      row.lastError = message;
    });
}

/** Puts set-aside events back in line (all of them, or the given ids): the owner's "Retry". */
export async function retryRejected(db: PerpetuaDb, eventIds?: string[]): Promise<number> {
  const query = eventIds ? db.outbox.where('eventId').anyOf(eventIds) : db.outbox.where('status').equals('rejected');
  return query
    .filter((row) => row.status === 'rejected')
    .modify((row) => {
      row.status = 'pending';
      delete row.rejectedReason;
    });
}
