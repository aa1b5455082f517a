/**
 * Dates of the exports: the store's business day of an event, and a date-time turned into an instant.
 *
 * A business date is the day of the event's `recordedAt` (the recording device's wall clock) in the
 * store's time zone, as everywhere in issue 15. A date-time typed without an offset
 * ("2026-03-29T01:30") is a wall time in the store's time zone; one with an offset or Z is that
 * instant. Pure: calendar.ts's `StoreClock` does the zone arithmetic, no clock is read.
 */
import { StoreClock } from '../calendar.ts';

/** `YYYY-MM-DD`. */
export type BusinessDate = string;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

/** One store clock (calendar.ts) per time zone: the exports read the zone as the Today screen does. */
const clocks = new Map<string, StoreClock>();
function clockFor(timeZone: string): StoreClock {
  let clock = clocks.get(timeZone);
  if (!clock) clocks.set(timeZone, (clock = new StoreClock(timeZone)));
  return clock;
}

export function isBusinessDate(text: string): boolean {
  return DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

/** The store's day of an instant (an ISO date-time such as an event's `recordedAt`). */
export function businessDateOf(isoDateTime: string, timeZone: string): BusinessDate {
  return clockFor(timeZone).at(Date.parse(isoDateTime)).date;
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(epochMs: number, timeZone: string): number {
  return clockFor(timeZone).offsetAt(epochMs);
}

/**
 * The instant of an ISO date-time. Without an offset it is a wall time in `timeZone`; a wall time
 * skipped by a clock change (spring forward) is read as the earlier of the two offsets around it, and one
 * that happens twice (autumn) is its first occurrence. Undefined when the text is not a date-time.
 */
export function instantOf(isoDateTime: string, timeZone: string): number | undefined {
  const text = isoDateTime.trim();
  if (WITH_OFFSET.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = match;
  const wallAsUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0')));
  if (Number.isNaN(wallAsUtc)) return undefined;
  // Try the offsets in force a day either side: the earliest instant whose wall time matches wins.
  const candidates = [offsetAt(wallAsUtc - 86_400_000, timeZone), offsetAt(wallAsUtc + 86_400_000, timeZone)]
    .map((offset) => wallAsUtc - offset)
    .sort((a, b) => a - b);
  for (const candidate of candidates) if (candidate + offsetAt(candidate, timeZone) === wallAsUtc) return candidate;
  return candidates[0];
}

/**
 * The last millisecond a date-time names, for "as at": "2026-01-31T14:52" is through the end of that
 * minute (everything stamped 14:52:xx counts), "…T14:52:10" through the end of that second, and a
 * bare date "2026-01-31" through the end of that day. A date-time input gives minutes, and a person
 * asking for stock "as at 14:52" means after what happened at 14:52.
 */
export function asAtInstantOf(isoDateTime: string, timeZone: string): number | undefined {
  const text = isoDateTime.trim();
  const start = instantOf(text, timeZone);
  if (start === undefined) return undefined;
  const local = text.replace(WITH_OFFSET, '');
  if (/T\d{2}:\d{2}:\d{2}\.\d+$/.test(local)) return start;
  if (/T\d{2}:\d{2}:\d{2}$/.test(local)) return start + 999;
  if (/T\d{2}:\d{2}$/.test(local)) return start + 59_999;
  // A bare date: up to the next day's start (a day may be 23 or 25 hours long).
  const next = new Date(Date.parse(`${local}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return startOfBusinessDate(next, timeZone) - 1;
}

/** The instant a business day starts in the store's time zone (its first millisecond). */
export function startOfBusinessDate(date: BusinessDate, timeZone: string): number {
  return instantOf(`${date}T00:00`, timeZone) ?? Date.parse(`${date}T00:00:00Z`);
}

/** `dd/mm/yyyy`, the order Xero's and most non-US QuickBooks imports read. */
export function dayMonthYear(date: BusinessDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** The business dates from `from` to `to`, both included (empty when `to` is before `from`). */
export function datesBetween(from: BusinessDate, to: BusinessDate): BusinessDate[] {
  const dates: BusinessDate[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
    dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}
