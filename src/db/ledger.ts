/**
 * Appends this device's own events to the local ledger. One strict IndexedDB transaction writes the
 * event and its `unsent` entry (the outbox) and reads nothing: the sequence number and clock come
 * from the device's one writer (ledger-writer.ts), and everything derived from the event (on-hand,
 * locations, the catalog) is derived by the projection after the commit (projection.ts). Either
 * the event and its outbox entry are on disk or neither is.
 *
 * A record the event makes obsolete goes in the same transaction (`clearsMeta`): the Sell screen's
 * saved cart is deleted with the sale that paid for it, so no crash between the two can leave the
 * cart of a recorded sale to be offered for payment again (issue 14, item 16).
 *
 * Before the transaction, the event is copied to the journal outside IndexedDB (journal.ts), from
 * which a start restores it should Chromium have deleted the database (issue 14, item 17).
 */
import Dexie from 'dexie';
import type { EventBody, LedgerEvent } from '../domain/events.ts';
import type { Recordable } from '../app/commands/command.ts';
import { EVENT_SCHEMA_VERSION } from '../domain/events.ts';
import type { PerpetuaDb } from './db.ts';
import { uuidv7 } from './ids.ts';
import { journalled } from './journal.ts';
import { loadValidation } from './load-validation.ts';
import { ledgerWriterOf, NotTheWriterError, type OwnStamp } from './ledger-writer.ts';

export interface RecordingContext {
  storeId: string;
  locationId: string;
  deviceId: string;
  userId: string;
  currency: string;
}

/** What else the event's own transaction does. */
export interface RecordOptions {
  /** A meta key deleted in the event's transaction: on disk with the event, or kept if it is not. */
  clearsMeta?: string;
  /**
   * The location the event is for, when not the device's own: the owner orders from the shop floor
   * what is delivered to the back room (a purchase order belongs to where its goods arrive).
   */
  locationId?: string;
  /**
   * The staff member who approved the event on the spot with their PIN (issue 17): the envelope's
   * `approvedBy`. AppContext.record asks for it when the signed-in member's role lacks a privilege.
   */
  approvedBy?: string;
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
  makeBody: Recordable,
  nowMs: number = Date.now(),
  options: RecordOptions = {},
): Promise<LedgerEvent> {
  const kind = typeof makeBody === 'function' ? 'event' : makeBody.kind;
  // Validation (zod) loads on first use, not with the first screen; the import must finish before the
  // transaction starts, since an IndexedDB transaction commits as soon as it waits on anything else.
  const { parseEvent } = await loadValidation();
  try {
    return await ledgerWriterOf(db, context.deviceId).write(nowMs, async (next) => {
      // A body made from a receipt number (a sale) takes this device's next one; other events take none.
      let stamp: OwnStamp;
      let body: EventBody;
      if (typeof makeBody === 'function') {
        const numbered = next(true);
        body = makeBody(numbered.receipt);
        if (body.kind !== 'sale') throw new LedgerWriteError(`This ${body.kind} could not be recorded: only a sale takes a receipt number.`);
        stamp = numbered;
      } else {
        stamp = next();
        body = makeBody;
      }
      const { seq, hlc } = stamp;
      const candidate = {
        id: uuidv7(nowMs),
        schema: EVENT_SCHEMA_VERSION,
        ...context,
        seq,
        hlc,
        recordedAt: new Date(nowMs).toISOString(),
        ...(options.approvedBy === undefined ? {} : { approvedBy: options.approvedBy }),
        ...body,
      };
      // Checked before the transaction starts: a refused event never opens one.
      const parsed = parseEvent(candidate);
      if (!parsed.ok) throw new LedgerWriteError(`This ${body.kind} could not be recorded: ${parsed.error}`);
      const event = parsed.event;
      // Both writes asked for at once, nothing read first: one round trip to the IndexedDB backend.
      // `meta` joins the transaction only when asked: a sale otherwise never waits on a pull's write to it.
      const { clearsMeta } = options;
      const tables = clearsMeta === undefined ? [db.events, db.unsent] : [db.events, db.unsent, db.meta];
      // The backup copy first (src/db/journal.ts), so a sale reported recorded is in both.
      await journalled(db, [event], () =>
        db.transaction('rw', tables, () =>
          Promise.all([
            db.events.add(event),
            db.unsent.add({ seq, eventId: event.id, attempts: 0 }),
            clearsMeta === undefined ? undefined : db.meta.delete(clearsMeta),
          ]),
        ),
      );
      return event;
    });
  } catch (error) {
    throw toLedgerWriteError(error, kind);
  }
}

/** Turns IndexedDB's failures into sentences a cashier can act on. */
export function toLedgerWriteError(error: unknown, kind: string): LedgerWriteError {
  if (error instanceof LedgerWriteError) return error;
  if (error instanceof NotTheWriterError) {
    return new LedgerWriteError(
      error.state === 'taken-over'
        ? `The ${kind} was NOT recorded: Perpetua is now in use in another tab, so this tab is read-only. Record it there, or choose “Use Perpetua here” at the top of this tab.`
        : `The ${kind} was NOT recorded: Perpetua is open in another tab, and only one tab at a time may record. Record it there, or choose “Use Perpetua here” at the top of this tab.`,
      { cause: error },
    );
  }
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
