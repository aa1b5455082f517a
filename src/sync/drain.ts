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

/**
 * Events per push. The server takes at most 1,000 events and 4 MiB per batch (MAX_EVENTS_PER_BATCH,
 * DEFAULT_BODY_LIMIT_BYTES); a sale is about 1 KB, so 500 stays well inside both, and a 413 halves it.
 */
export const DEFAULT_PUSH_BATCH = 500;

/**
 * Characters of event JSON per push. A catalog event (`products-defined`, up to 1,000 products) is
 * ~0.25 MB, so 500 of them would be refused; the cap sends a few per push instead. 1 Mi UTF-16
 * characters are at most 3 MiB of UTF-8, inside the server's 4 MiB. A batch always holds at least
 * one event (a single event is capped at 512 Ki characters, see domain/catalog-events.ts).
 */
export const MAX_PUSH_CHARS = 1024 * 1024;

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
  // One batch in flight at a time, in device order. Local IndexedDB work overlaps the network:
  // while batch N is in flight the next one is read (rows after the last one sent), and batch N's
  // acknowledgements are applied (rows deleted, strictly after the server's answer, in order) while
  // batch N+1 is in flight. Before reading from the front of the outbox again (a refusal, or the
  // end) the pending acknowledgement is awaited, so an acknowledged row is never sent twice.
  let ahead: Promise<PendingBatch> | null = null;
  let applying: Promise<void> = Promise.resolve();
  for (;;) {
    let next = ahead ? await ahead : null;
    ahead = null;
    // Nothing after the last batch: look once more from the front (a row put back in line by
    // "Retry" during the drain sorts before the batches already sent).
    if (next === null || next.rows.length === 0) {
      await applying;
      next = await readBatch(db, batchSize, null);
    }
    const { rows, events } = next;
    if (rows.length === 0) return report;
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
      const pushing = transport.push(batch);
      const lastSeq = rows[rows.length - 1]?.seq ?? 0;
      ahead = readBatch(db, batchSize, lastSeq);
      ahead.catch(() => undefined); // dropped on a refusal; its failure must not go unhandled
      const response = await pushing;
      const acked = response.results.filter((r) => r.status !== 'rejected').map((r) => r.id);
      const rejected = response.results.flatMap((r) => (r.status === 'rejected' ? [{ id: r.id, reason: r.reason }] : []));
      if (acked.length + rejected.length === 0) {
        throw new SyncHttpError('The server answered without a result for any event.', 200, true);
      }
      await applying; // batch N-1's acknowledgement committed (or its failure surfaces here)
      applying = db
        .transaction('rw', db.outbox, async () => {
          await db.outbox.bulkDelete(acked);
          await markRejected(db, rejected);
        })
        .then(() => {
          report.acknowledged += acked.length;
          report.rejected += rejected.length;
        });
      applying.catch(() => undefined); // awaited later; must not count as unhandled meanwhile
    } catch (error) {
      ahead = null;
      await applying;
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

interface PendingBatch {
  rows: OutboxRow[];
  events: (LedgerEvent | undefined)[];
}

/** The next `limit` pending rows in device order (after `afterSeq`, or from the front) and their events. */
async function readBatch(db: PerpetuaDb, limit: number, afterSeq: number | null): Promise<PendingBatch> {
  const ordered = afterSeq === null ? db.outbox.orderBy('seq') : db.outbox.where('seq').above(afterSeq);
  const rows = await ordered
    .filter((row) => row.status === 'pending')
    .limit(limit)
    .toArray();
  const events = rows.length === 0 ? [] : await db.events.bulkGet(rows.map((row) => row.eventId));
  // Cut at the size cap (the next read starts after the last row kept).
  let chars = 0;
  for (let i = 0; i < events.length; i++) {
    chars += JSON.stringify(events[i] ?? null).length;
    if (i > 0 && chars > MAX_PUSH_CHARS) return { rows: rows.slice(0, i), events: events.slice(0, i) };
  }
  return { rows, events };
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
