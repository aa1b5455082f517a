/**
 * The one writer of this device's own events (issue 12, item 5: a sale that only writes).
 *
 * Recording an event needs the device's next sequence number and a clock stamp. Reading them from
 * IndexedDB inside the sale's transaction costs a round trip before anything can be written, so
 * they live here, in memory, with the one writer: a sale's transaction then only writes (the event
 * and its `unsent` row, src/db/ledger.ts).
 *
 * - **One writer per device.** In the app, the tab that holds the Web Lock `perpetua-ledger-writer`
 *   is the writer for as long as it lives; another tab is read-only until it takes over (`steal`)
 *   or the writer's tab closes. Two writers would hand out the same sequence numbers.
 * - **Restored from the ledger.** Whenever this context becomes the writer it reads where the ledger
 *   stands: the highest own `seq` in `events` and the newest stamp there, and the clock the pull
 *   stored with the newest pulled page (meta `hlc`, written in the page's own transaction, so it can
 *   never lag behind the pages). No counter is kept beside the events, so no crash can leave one
 *   behind: a sale is either in `events` (its number used) or not (its number free).
 * - **One write at a time.** Each write gets its numbers, and the position moves past them only
 *   once its transaction has committed: a failed write leaves no gap, and no number is used twice.
 * - **Receipt numbers** (issue 14, item 5) are gap-free per device: a sale takes one more than the
 *   device's latest sale, whatever other events (voids, returns, cash moves, deliveries) came
 *   between. They are handed out here with the sequence numbers, under the same lock and by the same
 *   rules, so two tabs cannot take the same number and a failed sale leaves no gap. Restored from
 *   the ledger like the rest: the number on the device's latest own sale (a device that sold before
 *   this numbering, when the number was the sequence number, goes on after its highest receipt).
 */
import type { HlcString } from '../domain/events.ts';
import { HLC_ZERO, hlcNow, parseHlc, type HlcState } from '../domain/hlc.ts';
import { receiptCounterOf } from '../domain/receipt-numbers.ts';
import type { PerpetuaDb } from './db.ts';

export const WRITER_LOCK = 'perpetua-ledger-writer';

/** Meta key of the clock as it stood after the newest pulled page (src/sync/pull.ts writes it). */
export const PULLED_CLOCK_KEY = 'hlc';

/** Where this device's own events stand: the next sequence number, the next receipt number, and the clock. */
export interface WriterPosition {
  nextSeq: number;
  /** The counter part of the next sale's receipt number (`9DBB-7` → 7). */
  nextReceipt: number;
  clock: HlcState;
}

/** What one own event gets from the writer. */
export interface OwnStamp {
  seq: number;
  hlc: HlcString;
}

/** Gives the next own event its stamp; a sale asks for the next receipt counter with it. */
export interface NextStamp {
  (takesReceipt: true): OwnStamp & { receipt: number };
  (takesReceipt?: false): OwnStamp;
}

/**
 * `writer`: this context records. `other-tab`: another tab of this device records; this one waits
 * for it to close. `taken-over`: this tab was the writer until another tab took over.
 */
export type WriterState = 'writer' | 'other-tab' | 'taken-over';

/** Thrown by a write while another tab is the writer; `toLedgerWriteError` words it for people. */
export class NotTheWriterError extends Error {
  constructor(readonly state: Exclude<WriterState, 'writer'>) {
    super('Another tab of this device is recording.');
    this.name = 'NotTheWriterError';
  }
}

function laterClock(a: HlcState, b: HlcState): HlcState {
  return a.wallMs > b.wallMs || (a.wallMs === b.wallMs && a.counter >= b.counter) ? a : b;
}

function clockOf(stamp: unknown): HlcState {
  const parts = typeof stamp === 'string' ? parseHlc(stamp) : undefined;
  return parts ? { wallMs: parts.wallMs, counter: parts.counter } : HLC_ZERO;
}

/** Where the ledger leaves `deviceId`: one indexed read each, nothing kept beside the events. */
export async function positionFromLedger(db: PerpetuaDb, deviceId: string): Promise<WriterPosition> {
  const own = () => db.events.where('[deviceId+seq]').between([deviceId, -Infinity], [deviceId, Infinity]);
  const [lastOwn, lastSale, newestStamp, pulledClock] = await db.transaction('r', db.events, db.meta, () =>
    Promise.all([
      own().last(),
      // Newest first: the device's latest sale is usually among its last few events.
      own()
        .reverse()
        .filter((e) => e.kind === 'sale')
        .first(),
      // Own events and any other device's kept in `events` (the demo seed, pulls of storage version 1).
      db.events.orderBy('hlc').lastKey(),
      db.meta.get(PULLED_CLOCK_KEY),
    ]),
  );
  const lastReceipt = lastSale?.kind === 'sale' ? (receiptCounterOf(lastSale.receiptNo) ?? 0) : 0;
  return {
    nextSeq: (lastOwn?.seq ?? 0) + 1,
    nextReceipt: lastReceipt + 1,
    clock: laterClock(clockOf(newestStamp), clockOf(pulledClock?.value)),
  };
}

function lockManager(): LockManager | undefined {
  return (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
}

export class LedgerWriter {
  private stateValue: WriterState = 'writer';
  /** Restored on first use after becoming the writer; null while unknown. */
  private position: Promise<WriterPosition> | null = null;
  /** The newest clock learned from pulls since: the next stamp sorts after it. */
  private seen: HlcState = HLC_ZERO;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = false;
  /** Fires 'state' when this context becomes or stops being the writer. */
  readonly changes = new EventTarget();

  constructor(
    private readonly db: PerpetuaDb,
    readonly deviceId: string,
  ) {}

  get state(): WriterState {
    return this.stateValue;
  }

  /**
   * Makes one write of own events: `write` takes a stamp per event from `next()` and commits them
   * in ONE transaction of its own. Writes run one at a time, and the position moves past the stamps
   * taken only when `write` succeeds.
   */
  write<T>(nowMs: number, write: (next: NextStamp) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.stateValue !== 'writer') throw new NotTheWriterError(this.stateValue);
      const from = this.restored();
      const current = await from;
      let nextSeq = current.nextSeq;
      let nextReceipt = current.nextReceipt;
      let clock = laterClock(current.clock, this.seen);
      const deviceId = this.deviceId;
      function next(takesReceipt: true): OwnStamp & { receipt: number };
      function next(takesReceipt?: false): OwnStamp;
      function next(takesReceipt = false): OwnStamp & { receipt?: number } {
        const issued = hlcNow(clock, nowMs, deviceId);
        clock = issued.state;
        const stamp = { seq: nextSeq++, hlc: issued.stamp };
        return takesReceipt ? { ...stamp, receipt: nextReceipt++ } : stamp;
      }
      const result = await write(next);
      // Unless the position was dropped meanwhile (the lock lost and regained): then the ledger says.
      if (this.position === from) this.position = Promise.resolve({ nextSeq, nextReceipt, clock });
      return result;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Where the next own event goes; read from the ledger the first time. */
  restored(): Promise<WriterPosition> {
    this.position ??= positionFromLedger(this.db, this.deviceId).catch((error: unknown) => {
      this.position = null;
      throw error;
    });
    return this.position;
  }

  /**
   * Forgets the position, so the next write reads it from the ledger again: after another tab has
   * been the writer, or after something other than this writer added own events (tests).
   */
  restoreFromLedger(): Promise<WriterPosition> {
    this.position = null;
    return this.restored();
  }

  /** A pull in this context stored a page: the next own stamp must sort after `clock`. */
  observe(clock: HlcState): void {
    this.seen = laterClock(this.seen, clock);
  }

  /** A pull elsewhere (the service worker, another tab) stored pages: learn the clock it left. */
  async catchUpWithPulls(): Promise<void> {
    this.observe(clockOf((await this.db.meta.get(PULLED_CLOCK_KEY))?.value));
  }

  /**
   * Becomes the writer if no other tab of this origin is: holds the Web Lock until the page closes
   * or another tab takes over. Otherwise this tab is read-only and queues for the lock, so it
   * becomes the writer by itself when the other tab closes.
   *
   * Without Web Locks (a page not served over HTTPS or from localhost, browsers before 2022) this
   * context stays the writer, as every tab was before the lock: the app is used in one tab on such
   * devices, and nothing better is available there to tell tabs apart.
   */
  async claim(): Promise<void> {
    const locks = lockManager();
    if (!locks) return;
    await new Promise<void>((answered) => {
      locks
        .request(WRITER_LOCK, { ifAvailable: true }, (lock) => {
          answered();
          if (lock) return this.hold();
          this.setState('other-tab');
          this.queueForLock(locks);
          return undefined;
        })
        .catch(() => this.lose(locks));
    });
  }

  /** "Use Perpetua here": takes the lock from the tab holding it, which becomes read-only. */
  async takeOver(): Promise<void> {
    const locks = lockManager();
    if (!locks || this.stateValue === 'writer') return;
    await new Promise<void>((granted) => {
      locks
        .request(WRITER_LOCK, { steal: true }, () => {
          granted();
          return this.hold();
        })
        .catch(() => this.lose(locks));
    });
  }

  /** Holds the lock: the returned promise never settles, so the lock is released only with the page. */
  private hold(): Promise<void> {
    // The other tab may have recorded while this one was not the writer: the ledger says where it stands.
    this.position = null;
    void this.restored().catch(() => undefined);
    this.setState('writer');
    return new Promise<void>(() => undefined);
  }

  private queueForLock(locks: LockManager): void {
    if (this.waiting) return;
    this.waiting = true;
    locks
      .request(WRITER_LOCK, () => {
        this.waiting = false;
        return this.hold();
      })
      .catch(() => this.lose(locks));
  }

  /**
   * Another tab stole the lock. A write this tab started just before may still commit; the thief
   * restores from the ledger in a transaction that IndexedDB orders after it, and the `unsent`
   * table's key (the sequence number) refuses a number written twice.
   */
  private lose(locks: LockManager): void {
    this.position = null;
    this.setState('taken-over');
    this.queueForLock(locks);
  }

  private setState(state: WriterState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.changes.dispatchEvent(new Event('state'));
  }
}

const writers = new WeakMap<PerpetuaDb, LedgerWriter>();

/**
 * The writer of `db`'s own events in this JavaScript context, made on first use. Without `claim()`
 * (Node tests, benchmarks) it writes without a lock, as the only writer there is.
 */
export function ledgerWriterOf(db: PerpetuaDb, deviceId: string): LedgerWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new LedgerWriter(db, deviceId);
    writers.set(db, writer);
  } else if (writer.deviceId !== deviceId) {
    throw new Error(`This database records as ${writer.deviceId}, not ${deviceId}.`);
  }
  return writer;
}

/** Tells `db`'s writer in this context, if there is one, what clock a pull left. */
export function observePulledClock(db: PerpetuaDb, clock: HlcState): void {
  writers.get(db)?.observe(clock);
}
