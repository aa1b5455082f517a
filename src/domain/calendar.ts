/**
 * The store's calendar: which business day and hour an instant falls on in the store's time zone,
 * and the day arithmetic the owner's figures need (weeks start on Monday, ISO 8601).
 *
 * A business day is a `LocalDate`, 'YYYY-MM-DD' on the store's wall clock. Inside, days are numbered
 * (days since 1970-01-01), so arithmetic is integer arithmetic and needs no time zone.
 *
 * Time zones go through `Intl` (no table of our own). Asking `Intl` for every event of a million-event
 * ledger would take seconds, so `StoreClock` asks twice per UTC day and keeps the offset: an offset
 * only changes at a transition, and the day holding one is worked out hour by hour.
 */

/** A business day on the store's wall clock, 'YYYY-MM-DD'. */
export type LocalDate = string;

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; NaN when it is not one. */
export function dayNumberOf(date: LocalDate): number {
  const match = LOCAL_DATE.exec(date);
  if (!match) return Number.NaN;
  const [, year, month, day] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day));
  // Date.UTC rolls 2025-02-30 over into March: such a date is not a date.
  return localDateOf(ms / MS_PER_DAY) === date ? ms / MS_PER_DAY : Number.NaN;
}

export function isLocalDate(text: string): boolean {
  return !Number.isNaN(dayNumberOf(text));
}

/** The 'YYYY-MM-DD' of a day number. */
export function localDateOf(day: number): LocalDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return localDateOf(dayNumberOf(date) + days);
}

/** Days from `from` to `to`, inclusive of both (1 for the same day). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayNumberOf(to) - dayNumberOf(from) + 1;
}

/** 1 = Monday … 7 = Sunday (ISO 8601). */
export function weekdayOf(date: LocalDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((dayNumberOf(date) + 3) % 7) + 7) % 7) + 1;
}

/** The Monday of the week holding `date`. */
export function startOfWeek(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekdayOf(date));
}

export function startOfMonth(date: LocalDate): LocalDate {
  return `${date.slice(0, 8)}01`;
}

export function daysInMonth(date: LocalDate): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first day of the month before the one holding `date`. */
export function startOfPreviousMonth(date: LocalDate): LocalDate {
  return startOfMonth(addDays(startOfMonth(date), -1));
}

/** Where an instant falls on the store's wall clock. */
export interface LocalTime {
  date: LocalDate;
  /** Days since 1970-01-01 of `date`. */
  day: number;
  /** 0–23, the wall clock's hour (on the night the clocks go back, one hour comes twice). */
  hour: number;
}

/**
 * The store's wall clock for one time zone. Pure: the same instant always gives the same answer; it
 * only remembers offsets it has worked out. An unknown zone is read as UTC (the settings screen only
 * takes zones `Intl` knows, so this is a stored value from elsewhere).
 */
export class StoreClock {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  /** The offset (ms) of each UTC day without a transition, by day number. */
  private readonly dayOffsets = new Map<number, number>();
  private readonly dates = new Map<number, LocalDate>();

  constructor(timeZone: string) {
    this.format = formatFor(timeZone);
    this.timeZone = this.format.resolvedOptions().timeZone;
  }

  /** Where the instant `utcMs` falls. */
  at(utcMs: number): LocalTime {
    const local = utcMs + this.offsetAt(utcMs);
    const day = Math.floor(local / MS_PER_DAY);
    const hour = Math.floor((local - day * MS_PER_DAY) / MS_PER_HOUR);
    let date = this.dates.get(day);
    if (date === undefined) {
      date = localDateOf(day);
      this.dates.set(day, date);
    }
    return { date, day, hour };
  }

  /** Where an ISO 8601 time (an event's `recordedAt`) falls; undefined when it is not a time. */
  of(iso: string): LocalTime | undefined {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? undefined : this.at(ms);
  }

  /** The store's business day at the instant `nowMs`. */
  today(nowMs: number): LocalDate {
    return this.at(nowMs).date;
  }

  /**
   * The instant `date` begins on the store's wall clock. The offset is read at a first guess and again
   * at the instant that guess gives, so a day on which the clocks change still starts at its midnight.
   */
  startOf(date: LocalDate): number {
    const wallMidnight = dayNumberOf(date) * MS_PER_DAY;
    const guess = wallMidnight - this.offsetAt(wallMidnight);
    return wallMidnight - this.offsetAt(guess);
  }

  /** Local wall time − UTC at `utcMs`, in ms. */
  offsetAt(utcMs: number): number {
    // A UTC day with the same offset at both ends has no transition (a zone changes at most twice a
    // year): one answer for the day. The day of a transition is worked out hour by hour.
    const day = Math.floor(utcMs / MS_PER_DAY);
    const known = this.dayOffsets.get(day);
    if (known !== undefined) return known;
    const start = this.exactOffset(day * MS_PER_DAY);
    if (start === this.exactOffset((day + 1) * MS_PER_DAY - 1000)) {
      this.dayOffsets.set(day, start);
      return start;
    }
    const hour = Math.floor(utcMs / MS_PER_HOUR);
    const hourStart = this.exactOffset(hour * MS_PER_HOUR);
    return hourStart === this.exactOffset((hour + 1) * MS_PER_HOUR - 1000) ? hourStart : this.exactOffset(utcMs);
  }

  private exactOffset(utcMs: number): number {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(utcMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  }
}

function formatFor(timeZone: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' };
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
  }
}
