/** The JSON nesting count read before parsing, and the audit log's secret filter. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepth } from '../../src/server/http-util.ts';
import { auditFields } from '../../src/server/log.ts';

/** The nesting depth of a parsed value, the slow way. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (typeof value === 'object' && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('jsonDepth', () => {
  it('counts arrays and objects, not brackets inside strings or after escaped quotes', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('[]')).toBe(1);
    expect(jsonDepth('{"a":[{"b":[]}]}')).toBe(4);
    expect(jsonDepth('["[[[[", "\\\\", "\\"[[[{"]')).toBe(1);
    expect(jsonDepth(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe(100_000);
  });

  it('agrees with the depth of the parsed value for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        expect(jsonDepth(JSON.stringify(value))).toBe(depthOf(value));
      }),
    );
  });
});

describe('auditFields', () => {
  it('drops fields that name secrets, whatever their case, and keeps the rest', () => {
    expect(auditFields({ deviceId: 'd1', token: 't', Token: 't', pairingCode: 'c', code: 'c', codeHash: 'h', pinHash: 'p', PIN: '1', reason: 'code-unknown', address: '::1' })).toEqual({
      deviceId: 'd1',
      reason: 'code-unknown',
      address: '::1',
    });
  });
});
