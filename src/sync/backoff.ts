/**
 * Retry delays: exponential with "full jitter" (a random delay between 0 and the exponential cap),
 * so fifty tablets that lost the network together do not all retry in the same second.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/** `failures` counts consecutive failures (1 after the first). `random` returns [0, 1). */
export function retryDelayMs(failures: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  // Never less than a tenth of the base: a zero delay would hammer a struggling server.
  return Math.max(policy.baseMs / 10, Math.floor(random() * cap));
}
