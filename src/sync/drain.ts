/**
 * Drains the outbox (`unsent`): the device's own events the server has not acknowledged yet.
 *
 * Rules (issue 5): batches in device order; an event leaves `unsent` only when the server
 * answered accepted or duplicate for it; a rejected event is set aside (`setAside`) with the
 * server's reason and never blocks the ones behind it; nothing else ever removes a row.
 *
 * Few IndexedDB operations per batch (issue 5, "10,000 queued sales drained in < 5 s"): the batch is
 * one range read of `unsent` plus one range read of the events by [deviceId+seq], and its
 * acknowledgement one range delete (plus a put per refused event).
 */
import type { LedgerEvent } from '../domain/events.ts';
import type { PerpetuaDb, SetAsideRow, UnsentRow } from '../db/db.ts';
import { isInvalidEventsResponse, SyncHttpError, type SyncTransport } from './transport.ts';

/**
 * Events per push: the server's maximum (MAX_EVENTS_PER_BATCH), since each round trip through the
 * browser's network stack costs far more than the server's work for it (issue 5 drain bench). A
 * sale is about 1 KB, so 1,000 stay well inside the 4 MiB body limit (DEFAULT_BODY_LIMIT_BYTES);
 * a batch of unusually large events is refused with 413 and halved.
 */
export const DEFAULT_PUSH_BATCH = 1000;

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
  const deviceId = (await db.meta.get('deviceId'))?.value as string | undefined;
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
      next = await readBatch(db, deviceId, batchSize, null);
    }
    const { rows, events } = next;
    if (rows.length === 0) return report;
    const missing = rows.flatMap((row, i) => (events[i] === undefined ? [{ row, reason: 'The event is missing from this device’s ledger.' }] : []));
    if (missing.length > 0) {
      // Should not happen (the event and its outbox row are written in one transaction), but a
      // row without its event must not block the outbox forever.
      await setAside(db, missing);
      report.rejected += missing.length;
      continue;
    }
    const batch = events as LedgerEvent[];
    report.batches += 1;
    try {
      const pushing = transport.push(batch);
      const lastSeq = rows[rows.length - 1]?.seq ?? 0;
      ahead = readBatch(db, deviceId, batchSize, lastSeq);
      ahead.catch(() => undefined); // dropped on a refusal; its failure must not go unhandled
      const response = await pushing;
      const answered = new Map(response.results.map((r) => [r.id, r]));
      const settled = rows.filter((row) => answered.has(row.eventId));
      const rejected = settled.flatMap((row) => {
        const result = answered.get(row.eventId);
        return result?.status === 'rejected' ? [{ row, reason: result.reason }] : [];
      });
      if (settled.length === 0) {
        throw new SyncHttpError('The server answered without a result for any event.', 200, true);
      }
      await applying; // batch N-1's acknowledgement committed (or its failure surfaces here)
      applying = db
        .transaction('rw', db.unsent, db.setAside, async () => {
          // Refused events are set aside first: then every answered row leaves `unsent`.
          if (rejected.length > 0) await db.setAside.bulkPut(rejected.map(toSetAside));
          await removeRows(db, settled);
        })
        .then(() => {
          report.acknowledged += settled.length - rejected.length;
          report.rejected += rejected.length;
        });
      applying.catch(() => undefined); // awaited later; must not count as unhandled meanwhile
    } catch (error) {
      ahead = null;
      await applying;
      const setAsideNow = await handleRefusal(db, rows, batch, error, batchSize);
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
  rows: UnsentRow[];
  events: (LedgerEvent | undefined)[];
}

/**
 * The next `limit` unsent rows in device order (after `afterSeq`, or from the front) and their
 * events: one range read of the own events by [deviceId+seq] covers the batch; an event not found
 * there (an outbox row for an event of another device id) is looked up by id.
 */
async function readBatch(db: PerpetuaDb, deviceId: string | undefined, limit: number, afterSeq: number | null): Promise<PendingBatch> {
  return db.transaction('r', db.unsent, db.events, async () => {
    const rows = await (afterSeq === null ? db.unsent.orderBy('seq') : db.unsent.where('seq').above(afterSeq)).limit(limit).toArray();
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) return { rows, events: [] };
    const byId = new Map<string, LedgerEvent>();
    if (deviceId !== undefined) {
      const inRange = await db.events.where('[deviceId+seq]').between([deviceId, first.seq], [deviceId, last.seq], true, true).toArray();
      for (const event of inRange) byId.set(event.id, event);
    }
    const elsewhere = rows.filter((row) => !byId.has(row.eventId)).map((row) => row.eventId);
    if (elsewhere.length > 0) for (const event of await db.events.bulkGet(elsewhere)) if (event) byId.set(event.id, event);
    return capBySize({ rows, events: rows.map((row) => byId.get(row.eventId)) });
  });
}

/** Cuts a batch at MAX_PUSH_CHARS of event JSON, keeping at least one event (the next read starts after the last row kept). */
function capBySize(batch: PendingBatch): PendingBatch {
  let chars = 0;
  for (let i = 0; i < batch.events.length; i++) {
    chars += JSON.stringify(batch.events[i] ?? null).length;
    if (i > 0 && chars > MAX_PUSH_CHARS) return { rows: batch.rows.slice(0, i), events: batch.events.slice(0, i) };
  }
  return batch;
}

/**
 * Removes answered rows from `unsent`. A batch of consecutive sequence numbers (the usual case) is
 * one range delete: no other row can hold a number inside that range, since sequence numbers are
 * the key. Otherwise (a gap left by a set-aside event) the rows are deleted by key.
 */
async function removeRows(db: PerpetuaDb, rows: UnsentRow[]): Promise<void> {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return;
  if (last.seq - first.seq + 1 === rows.length) await db.unsent.where('seq').between(first.seq, last.seq, true, true).delete();
  else await db.unsent.bulkDelete(rows.map((row) => row.seq));
}

function toSetAside({ row, reason }: { row: UnsentRow; reason: string }): SetAsideRow {
  return { eventId: row.eventId, seq: row.seq, reason, attempts: row.attempts + 1, ...(row.lastError === undefined ? {} : { lastError: row.lastError }) };
}

/**
 * Whole-batch refusals that name the culprits: 422 lists invalid events, 403 names the index of an
 * event carrying another device's id. Those are set aside and the rest is sent again. A 413 means
 * the batch is too big: halve it (a single event too big is set aside). Returns how many events
 * were set aside, 'halve', or 0 when the error is not about particular events.
 */
async function handleRefusal(db: PerpetuaDb, rows: UnsentRow[], batch: LedgerEvent[], error: unknown, batchSize: number): Promise<number | 'halve'> {
  if (!(error instanceof SyncHttpError)) return 0;
  if (error.status === 422 && isInvalidEventsResponse(error.body) && error.body.rejected.length > 0) {
    const culprits = error.body.rejected.flatMap((r) => {
      const row = rows[r.index];
      return row && batch[r.index] ? [{ row, reason: r.reason }] : [];
    });
    await setAside(db, culprits);
    return culprits.length;
  }
  if (error.status === 403) {
    const index = (error.body as { index?: unknown } | undefined)?.index;
    const row = typeof index === 'number' ? rows[index] : undefined;
    if (row) {
      await setAside(db, [{ row, reason: error.message }]);
      return 1;
    }
  }
  if (error.status === 413) {
    if (batchSize > 1) return 'halve';
    const only = rows[0];
    if (only) {
      await setAside(db, [{ row: only, reason: error.message }]);
      return 1;
    }
  }
  return 0;
}

/** Moves rows from `unsent` to `setAside` with the server's reason, in one transaction. */
async function setAside(db: PerpetuaDb, items: { row: UnsentRow; reason: string }[]): Promise<void> {
  if (items.length === 0) return;
  await db.transaction('rw', db.unsent, db.setAside, async () => {
    await db.setAside.bulkPut(items.map(toSetAside));
    await db.unsent.bulkDelete(items.map((item) => item.row.seq));
  });
}

async function noteAttempt(db: PerpetuaDb, rows: UnsentRow[], message: string): Promise<void> {
  await db.unsent
    .where('seq')
    .anyOf(rows.map((row) => row.seq))
    .modify((row) => {
      row.attempts += 1;
      row.lastError = message;
    });
}

/** Puts set-aside events back in line (all of them, or the given ids): the owner's "Retry". */
export async function retryRejected(db: PerpetuaDb, eventIds?: string[]): Promise<number> {
  return db.transaction('rw', db.unsent, db.setAside, async () => {
    const rows = eventIds ? (await db.setAside.bulkGet(eventIds)).filter((row) => row !== undefined) : await db.setAside.toArray();
    // Back under its own sequence number: it sorts before the events recorded after it.
    await db.unsent.bulkPut(rows.map((row) => ({ seq: row.seq, eventId: row.eventId, attempts: row.attempts, ...(row.lastError === undefined ? {} : { lastError: row.lastError }) })));
    await db.setAside.bulkDelete(rows.map((row) => row.eventId));
    return rows.length;
  });
}
