/**
 * The cashier's shift that is open on this device, read from the ledger: the latest `shift-opened`
 * recorded by this device whose shift has no `shift-closed` yet. The Shift screen opens and closes
 * it; the Sell screen stamps its id on each sale, so a sale counts in the drawer it was paid into.
 */
import type { EventOf } from '../domain/events.ts';
import type { Books } from '../domain/books/index.ts';
import { compareEvents } from '../domain/order.ts';
import type { AppContext } from './app-context.ts';

export function openShiftOf(books: Books, deviceId: string): EventOf<'shift-opened'> | undefined {
  let latest: EventOf<'shift-opened'> | undefined;
  for (const shiftId of books.idsOf('shift')) {
    const events = books.eventsFor('shift', shiftId);
    if (events.some((e) => e.kind === 'shift-closed')) continue;
    const opened = events.find((e): e is EventOf<'shift-opened'> => e.kind === 'shift-opened' && e.deviceId === deviceId);
    if (opened && (latest === undefined || compareEvents(opened, latest) > 0)) latest = opened;
  }
  return latest;
}

/** The id of this device's open shift, or undefined when none is open (or the ledger is still loading). */
export function currentShiftId(app: AppContext): string | undefined {
  const books = app.projection?.books;
  return books ? openShiftOf(books, app.deviceId)?.shiftId : undefined;
}
