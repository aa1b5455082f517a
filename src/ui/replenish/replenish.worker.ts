/// <reference lib="webworker" />
/**
 * Forecasts and the replenishment plan, worked out off the UI thread (issue 16): the worker opens
 * the device's own IndexedDB database, folds the books from its ledger as the page's projection does
 * (src/db/projection.ts), and keeps a `ReplenishmentPlanner` beside them, fed the events the page's
 * projection applies after that. Forecasting every product × location over its history takes
 * seconds on a phone; here it never holds up a sale.
 */
import * as Comlink from 'comlink';
import { Books } from '../../domain/books/index.ts';
import type { LedgerEvent } from '../../domain/events.ts';
import { ReplenishmentPlanner } from '../../domain/replenishment/planner.ts';
import { openDb } from '../../db/db.ts';
import { readAllEvents } from '../../db/event-store.ts';
import type { ReplenishWorkerApi } from './protocol.ts';

interface Planning {
  books: Books;
  planner: ReplenishmentPlanner;
}

let opened: Promise<Planning> | null = null;
/**
 * Calls run one after another, in the order the page made them: an `apply` that arrives while the
 * ledger is still being read waits for the fold, then applies in turn.
 */
let queue: Promise<unknown> = Promise.resolve();

function inTurn<T>(run: (planning: Planning) => T): Promise<T> {
  if (opened === null) return Promise.reject(new Error('The replenishment worker was asked to plan before it was opened.'));
  const books = opened;
  const done = queue.then(async () => run(await books));
  queue = done.catch(() => undefined);
  return done;
}

async function fold(dbName: string, valuation: Parameters<ReplenishWorkerApi['open']>[1], nowIso: string): Promise<Planning> {
  const db = openDb(dbName);
  try {
    // Every event the page had committed when this read ran; any applied after it reaches the
    // worker through `apply` too (applying an event the books hold already is a no-op).
    const events = await readAllEvents(db);
    const books = Books.fromEvents(events, { valuation });
    return { books, planner: new ReplenishmentPlanner(books, nowIso) };
  } finally {
    db.close();
  }
}

const api: ReplenishWorkerApi = {
  open(dbName, valuation, nowIso) {
    opened ??= fold(dbName, valuation, nowIso);
    return inTurn(() => undefined);
  },
  apply(events: readonly LedgerEvent[], nowIso) {
    return inTurn(({ books, planner }) => {
      // Only what the books took: one they hold already (read from the database at the fold) is a
      // duplicate, and a pulled event in another currency is refused there, as on the page.
      const applied = events.filter((event) => books.apply(event).status === 'applied');
      planner.update(applied, nowIso);
    });
  },
  plan(nowIso) {
    return inTurn(({ planner }) => {
      planner.update([], nowIso);
      return planner.plan();
    });
  },
};

Comlink.expose(api);
