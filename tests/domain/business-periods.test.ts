/** Today and this month begin at the store's midnight, whatever zone the device is in (issue 15). */
import { describe, expect, it } from 'vitest';
import { businessPeriod } from '../../src/domain/business-periods.ts';

const utc = (iso: string) => Date.parse(iso);

describe('business periods', () => {
  it('Dublin on the day the clocks go forward (29 March 2026): the day began at 00:00 GMT', () => {
    const now = utc('2026-03-29T12:00:00Z');
    expect(businessPeriod('today', now, 'Europe/Dublin')).toEqual({ fromMs: utc('2026-03-29T00:00:00Z'), toMs: now + 1 });
  });

  it('Dublin the day after: midnight Irish summer time is 23:00 UTC the evening before; the month began 1 March 00:00 GMT', () => {
    const now = utc('2026-03-30T12:00:00Z');
    expect(businessPeriod('today', now, 'Europe/Dublin').fromMs).toBe(utc('2026-03-29T23:00:00Z'));
    expect(businessPeriod('month', now, 'Europe/Dublin').fromMs).toBe(utc('2026-03-01T00:00:00Z'));
  });

  it('New York at 22:00 on 3 December (03:00 UTC on the 4th) is still the 3rd: from 05:00 UTC; the month from 1 December 05:00 UTC', () => {
    const now = utc('2026-12-04T03:00:00Z');
    expect(businessPeriod('today', now, 'America/New_York').fromMs).toBe(utc('2026-12-03T05:00:00Z'));
    expect(businessPeriod('month', now, 'America/New_York').fromMs).toBe(utc('2026-12-01T05:00:00Z'));
  });

  it('Tokyo at 05:00 on New Year’s Day (20:00 UTC on 31 December): a new day and a new month, both from 15:00 UTC', () => {
    const now = utc('2026-12-31T20:00:00Z');
    expect(businessPeriod('today', now, 'Asia/Tokyo').fromMs).toBe(utc('2026-12-31T15:00:00Z'));
    expect(businessPeriod('month', now, 'Asia/Tokyo').fromMs).toBe(utc('2026-12-31T15:00:00Z'));
  });
});
