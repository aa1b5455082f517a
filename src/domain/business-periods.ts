/**
 * Business periods in the store's time zone: "today" and "this month" as instants, so a figure of the
 * period takes the events whose `recordedAt` falls in [from, to). The store's midnight is not the
 * device's: a till abroad, or a test machine on UTC, still closes the day at the store's midnight.
 * `Intl` reads the time zone rules; nothing here reads a clock (`nowMs` is given).
 */
/** A span of business time: instants in ms since the epoch, `from` inclusive, `to` exclusive. */
export interface Period {
  fromMs: number;
  toMs: number;
}

export type PeriodName = 'today' | 'month';

/** Today, or this month, in `timeZone`, from its first midnight up to and including `nowMs`. */
export function businessPeriod(name: PeriodName, nowMs: number, timeZone: string): Period {
  const { year, month, day } = zonedDate(nowMs, timeZone);
  return { fromMs: zonedMidnight(year, month, name === 'today' ? day : 1, timeZone), toMs: nowMs + 1 };
}

function zonedParts(ms: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

function zonedDate(ms: number, timeZone: string): { year: number; month: number; day: number } {
  const { year, month, day } = zonedParts(ms, timeZone);
  return { year, month, day };
}

/** The zone's offset from UTC at `ms`, in ms (positive east of Greenwich). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = zonedParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant that day begins in the zone. The offset is read at a first guess and again at the
 * instant that guess gives, so a day on which the clocks change still starts at its own midnight.
 */
function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const utcMidnight = Date.UTC(year, month - 1, day);
  const guess = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  return utcMidnight - zoneOffsetMs(guess, timeZone);
}
