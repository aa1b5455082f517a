/**
 * A first sync you can watch (issue 19): the pull run's progress in words and figures, worked out
 * by hand from what pull.ts stores (received, total, startedAt, updatedAt, done).
 */
import { describe, expect, it } from 'vitest';
import { describePullProgress, DONE_SHOWN_MS, formatEstimate, stockStillSyncing, SYNC_STALE_MS, visiblePullProgress, type PullProgress } from '../../src/sync/status.ts';

const START = Date.parse('2026-03-02T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A run that began at START and stored its last page `elapsedMs` later. */
function run(received: number, total: number | null, elapsedMs: number, done = false): PullProgress {
  return { received, total, startedAt: iso(START), updatedAt: iso(START + elapsedMs), done };
}

describe('describePullProgress', () => {
  it('counts, what is left and the time at the rate so far', () => {
    // 120,000 events in 3 s = 40 events/ms; 880,000 left ÷ 40 = 22,000 ms.
    const view = describePullProgress(run(120_000, 1_000_000, 3000), START + 3000);
    expect(view).toEqual({
      received: 120_000,
      total: 1_000_000,
      left: 880_000,
      percent: 12,
      estimate: 'about 22 s',
      label: 'Syncing the store’s history: 120,000 of 1,000,000 events · 880,000 left · about 22 s',
      shortLabel: 'Syncing 12 %',
    });
  });

  it('counts the estimate down between pages: 2 s after the last page, 20 s are left', () => {
    expect(describePullProgress(run(120_000, 1_000_000, 3000), START + 5000)?.estimate).toBe('about 20 s');
  });

  it('says minutes once the wait is a minute or more', () => {
    // 10,000 events in 10 s = 1 event/ms; 190,000 left = 190 s ≈ 3.2 min.
    const view = describePullProgress(run(10_000, 200_000, 10_000), START + 10_000);
    expect(view?.estimate).toBe('about 3 min');
    expect(view?.percent).toBe(5);
    expect(formatEstimate(59_001)).toBe('about 1 min');
    expect(formatEstimate(59_000)).toBe('about 59 s');
    expect(formatEstimate(89_000)).toBe('about 1 min');
    expect(formatEstimate(90_000)).toBe('about 2 min');
    // Overdue (the next page is late): still a figure, never zero or negative.
    expect(formatEstimate(-500)).toBe('about 1 s');
  });

  it('gives no estimate while there is no rate: nothing elapsed, or nothing received', () => {
    const first = describePullProgress(run(5000, 16_000, 0), START);
    expect(first).toMatchObject({ estimate: null, left: 11_000, percent: 31, label: 'Syncing the store’s history: 5,000 of 16,000 events · 11,000 left', shortLabel: 'Syncing 31 %' });
    expect(describePullProgress(run(0, 16_000, 2000), START + 2000)).toMatchObject({ estimate: null, left: 16_000, percent: 0 });
  });

  it('without a total (the server did not say): counts what came, no per cent, no estimate', () => {
    const view = describePullProgress(run(15_000, null, 2000), START + 2000);
    expect(view).toEqual({
      received: 15_000,
      total: null,
      left: null,
      percent: null,
      estimate: null,
      label: 'Syncing the store’s history: 15,000 events so far',
      shortLabel: 'Syncing 15,000',
    });
  });

  it('events written during the run: never over 100 %, never a negative number left', () => {
    const view = describePullProgress(run(16_010, 16_000, 4000), START + 4000);
    expect(view).toMatchObject({ received: 16_010, total: 16_010, left: 0, percent: 100, estimate: null });
    expect(view?.label).toBe('Syncing the store’s history: 16,010 of 16,010 events · 0 left');
    // 99.99 % is not yet 100 %.
    expect(describePullProgress(run(9999, 10_000, 1000), START + 1000)?.percent).toBe(99);
  });

  it('a finished run is complete, whatever the server first counted; none yet is nothing', () => {
    expect(describePullProgress(run(16_010, 16_000, 4000, true), START + 4000)).toEqual({
      received: 16_010,
      total: 16_010,
      left: 0,
      percent: 100,
      estimate: null,
      label: 'History complete: 16,010 events synced',
      shortLabel: 'Synced 100 %',
    });
    expect(describePullProgress(null, START)).toBeNull();
    expect(describePullProgress(undefined, START)).toBeNull();
  });
});

describe('visiblePullProgress: which runs the status bar and the pairing screen show', () => {
  const now = START + 1000;
  it('the first sync, however small, and any run longer than a page', () => {
    expect(visiblePullProgress({ enrolled: true, historyComplete: false, pull: run(3, 3, 1000) }, now)).not.toBeNull();
    expect(visiblePullProgress({ enrolled: true, historyComplete: true, pull: run(5000, 6000, 1000) }, now)?.percent).toBe(83);
  });

  it('not the idle sync’s few events on a device that has the whole history', () => {
    expect(visiblePullProgress({ enrolled: true, historyComplete: true, pull: run(3, 3, 1000) }, now)).toBeNull();
    expect(visiblePullProgress({ enrolled: true, historyComplete: true, pull: run(0, 5000, 1000) }, now)).toBeNull();
  });

  it('not a run that stopped (no page for a minute), not a finished one, not on an unpaired device', () => {
    const big = run(5000, 20_000, 1000);
    expect(visiblePullProgress({ enrolled: true, historyComplete: false, pull: big }, START + 1000 + SYNC_STALE_MS - 1)).not.toBeNull();
    expect(visiblePullProgress({ enrolled: true, historyComplete: false, pull: big }, START + 1000 + SYNC_STALE_MS)).toBeNull();
    // A big run that ended stays, full, for DONE_SHOWN_MS; a small one goes at once.
    const ended = run(20_000, 20_000, 1000, true);
    expect(visiblePullProgress({ enrolled: true, historyComplete: true, pull: ended }, START + 1000 + DONE_SHOWN_MS - 1)?.percent).toBe(100);
    expect(visiblePullProgress({ enrolled: true, historyComplete: true, pull: ended }, START + 1000 + DONE_SHOWN_MS)).toBeNull();
    expect(visiblePullProgress({ enrolled: true, historyComplete: true, pull: run(3, 3, 1000, true) }, now)).toBeNull();
    expect(visiblePullProgress({ enrolled: false, historyComplete: false, pull: big }, now)).toBeNull();
    expect(visiblePullProgress({ enrolled: true, historyComplete: false, pull: null }, now)).toBeNull();
  });
});

describe('stockStillSyncing', () => {
  it('only on a paired device that does not hold the whole history yet', () => {
    expect(stockStillSyncing({ enrolled: true, historyComplete: false })).toBe(true);
    expect(stockStillSyncing({ enrolled: true })).toBe(true);
    expect(stockStillSyncing({ enrolled: true, historyComplete: true })).toBe(false);
    // The demo store on a device that was never paired: its stock is all its own.
    expect(stockStillSyncing({ enrolled: false, historyComplete: false })).toBe(false);
  });
});
