/**
 * Business periods in the store's time zone: "today" and "this month" as instants, so a figure of the
 * period takes the events whose `recordedAt` falls in [from, to). The store's midnight is not the
 * device's: a till abroad, or a test machine on UTC, still closes the day at the store's midnight.
 * The store's wall clock is calendar.ts's `StoreClock`; nothing here reads a clock (`nowMs` is given).
 */
import { startOfMonth, StoreClock } from './calendar.ts';

/** A span of business time: instants in ms since the epoch, `from` inclusive, `to` exclusive. */
export interface Period {
  fromMs: number;
  toMs: number;
}

export type PeriodName = 'today' | 'month';

/** Today, or this month, in `timeZone`, from its first midnight up to and including `nowMs`. */
export function businessPeriod(name: PeriodName, nowMs: number, timeZone: string): Period {
  const clock = new StoreClock(timeZone);
  const today = clock.today(nowMs);
  return { fromMs: clock.startOf(name === 'today' ? today : startOfMonth(today)), toMs: nowMs + 1 };
}
