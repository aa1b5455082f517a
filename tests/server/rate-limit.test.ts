/** The pairing failure limiter (src/server/rate-limit.ts): a sliding window, with the clock passed in. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFailureLimiter } from '../../src/server/rate-limit.ts';

const MINUTE = 60_000;

describe('failure limiter', () => {
  it('allows `limit` failures in the window, then says how long until the oldest leaves it', () => {
    const limiter = createFailureLimiter({ limit: 3, windowMs: 15 * MINUTE });
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', 1 * MINUTE);
    expect(limiter.blockedForMs('a', 2 * MINUTE)).toBe(0);
    limiter.recordFailure('a', 2 * MINUTE);
    expect(limiter.blockedForMs('a', 2 * MINUTE)).toBe(13 * MINUTE);
    expect(limiter.blockedForMs('a', 10 * MINUTE)).toBe(5 * MINUTE);
    expect(limiter.blockedForMs('b', 10 * MINUTE)).toBe(0);
    // The first failure leaves the window at 15 minutes: one slot frees.
    expect(limiter.blockedForMs('a', 15 * MINUTE)).toBe(0);
    limiter.recordFailure('a', 15 * MINUTE);
    expect(limiter.blockedForMs('a', 15 * MINUTE)).toBe(1 * MINUTE);
    expect(limiter.blockedForMs('a', 31 * MINUTE)).toBe(0);
  });

  it('forgets keys whose failures all left the window, and stays bounded under a flood of keys', () => {
    const limiter = createFailureLimiter({ limit: 2, windowMs: MINUTE, maxKeys: 100 });
    for (let i = 0; i < 1000; i += 1) limiter.recordFailure(`k${i}`, i);
    expect(limiter.size()).toBeLessThanOrEqual(100);
    limiter.blockedForMs('k999', 10 * MINUTE);
    expect(limiter.blockedForMs('k999', 10 * MINUTE)).toBe(0);
  });

  it('agrees with counting the failures of the last window by hand, for any sequence of attempts', () => {
    const attempt = fc.record({ key: fc.constantFrom('a', 'b', 'c'), gapMs: fc.integer({ min: 0, max: 4 * MINUTE }) });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 60 }), (attempts) => {
        const limit = 4;
        const windowMs = 15 * MINUTE;
        const limiter = createFailureLimiter({ limit, windowMs });
        const counted: { key: string; at: number }[] = [];
        let now = 0;
        for (const { key, gapMs } of attempts) {
          now += gapMs;
          const inWindow = counted.filter((f) => f.key === key && f.at > now - windowMs).map((f) => f.at);
          const expected = inWindow.length < limit ? 0 : (inWindow[inWindow.length - limit] ?? 0) + windowMs - now;
          expect(limiter.blockedForMs(key, now)).toBe(expected);
          // Only attempts that are let through can fail and count.
          if (expected === 0) {
            limiter.recordFailure(key, now);
            counted.push({ key, at: now });
          }
        }
      }),
    );
  });
});
