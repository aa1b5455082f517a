/**
 * Dates of the exports: the store's business day of an event, and a date-time turned into an instant.
 *
 * A business date is the day of the event's `recordedAt` (the recording device's wall clock) in the
 * store's time zone, as everywhere in issue 15. A date-time typed without an offset
 * ("2026-03-29T01:30") is a wall time in the store's time zone; one with an offset or Z is that
 * instant. Pure: `Intl` does the zone arithmetic, no clock is read.
 */

/** `YYYY-MM-DD`. */
export type BusinessDate = string;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallPartsAt(epochMs: number, timeZone: string): WallParts {
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function isBusinessDate(text: string): boolean {
  return DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

/** The store's day of an instant (an ISO date-time such as an event's `recordedAt`). */
export function businessDateOf(isoDateTime: string, timeZone: string): BusinessDate {
  const wall = wallPartsAt(Date.parse(isoDateTime), timeZone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(epochMs: number, timeZone: string): number {
  const wall = wallPartsAt(epochMs, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
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
