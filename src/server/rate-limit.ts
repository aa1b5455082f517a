/**
 * A failure limiter for pairing (issue 17): at most `limit` failures per key in any `windowMs`
 * (a sliding window). The enrollment route keeps two keys per request, the client's address and
 * the hash of the presented code, so neither one address guessing many codes nor many addresses
 * guessing one code get far. Pure: the caller passes the time; the state is this process's own
 * (each replica behind a load balancer counts for itself).
 */

export interface FailureLimiterOptions {
  /** Failures allowed per key inside the window (10). */
  limit: number;
  /** The window's length in milliseconds (15 minutes). */
  windowMs: number;
  /** Keys kept before expired ones are swept (bounds memory under a flood of distinct keys). */
  maxKeys?: number;
}

export interface FailureLimiter {
  /** Milliseconds until this key may try again, or 0 when it may try now. */
  blockedForMs(key: string, nowMs: number): number;
  /** Counts one failure for the key at this time. */
  recordFailure(key: string, nowMs: number): void;
  /** How many keys are held (tests check that memory stays bounded). */
  size(): number;
}

export const ENROLLMENT_FAILURE_LIMIT = 10;
export const ENROLLMENT_FAILURE_WINDOW_MS = 15 * 60 * 1000;

export function createFailureLimiter(options: FailureLimiterOptions): FailureLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  /** Each key's failure times, oldest first, all inside the window as of the last look. */
  const failures = new Map<string, number[]>();

  function recent(key: string, nowMs: number): number[] {
    const times = failures.get(key);
    if (!times) return [];
    const firstInside = times.findIndex((t) => t > nowMs - windowMs);
    if (firstInside === -1) {
      failures.delete(key);
      return [];
    }
    if (firstInside > 0) times.splice(0, firstInside);
    return times;
  }

  function sweep(nowMs: number): void {
    for (const key of [...failures.keys()]) recent(key, nowMs);
    // Still full of live keys (a flood of distinct ones): drop the oldest-inserted ones.
    for (const key of failures.keys()) {
      if (failures.size < maxKeys) break;
      failures.delete(key);
    }
  }

  return {
    blockedForMs(key, nowMs) {
      const times = recent(key, nowMs);
      if (times.length < limit) return 0;
      // The slot the oldest counted failure holds frees when it leaves the window.
      const oldest = times[times.length - limit] ?? nowMs;
      return Math.max(1, oldest + windowMs - nowMs);
    },
    recordFailure(key, nowMs) {
      const times = recent(key, nowMs);
      if (times.length === 0) {
        if (failures.size >= maxKeys) sweep(nowMs);
        failures.set(key, times);
      }
      times.push(nowMs);
      // Only the newest `limit` matter for the answer.
      if (times.length > limit) times.splice(0, times.length - limit);
    },
    size: () => failures.size,
  };
}
