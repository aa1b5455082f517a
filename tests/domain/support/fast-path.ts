/**
 * parseEvent's fast paths (sales, catalog events) must answer exactly as the zod schema alone does:
 * the same accept or refuse, and the same output, key order included (the server stores
 * JSON.stringify of it).
 */
import { expect } from 'vitest';
import { isExactCopy, ledgerEventSchema, parseEvent } from '../../../src/domain/validate.ts';

export function expectFastPathSameAsSchema(input: unknown): void {
  const fast = parseEvent(input);
  const slow = ledgerEventSchema.safeParse(input);
  expect(fast.ok).toBe(slow.success);
  if (fast.ok && slow.success) {
    expect(JSON.stringify(fast.event)).toBe(JSON.stringify(slow.data));
    expect(fast.event).toStrictEqual(slow.data);
    // The fast paths count keys where isExactCopy compares whole: both must say the same.
    expect(fast.exact).toBe(isExactCopy(input, slow.data));
  }
}
