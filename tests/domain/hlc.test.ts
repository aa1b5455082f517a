import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHlc, HLC_ZERO, hlcDriftMs, hlcNow, hlcReceive, hlcStateOf, parseHlc, type HlcState } from '../../src/domain/hlc.ts';
import { compareEvents } from '../../src/domain/order.ts';

describe('hybrid logical clock', () => {
  it('encodes fixed-width parts and parses them back', () => {
    const stamp = encodeHlc({ wallMs: 1_712_345_678_901, counter: 37, deviceId: 'till-1' });
    expect(stamp).toBe('001712345678901-000011-till-1');
    expect(parseHlc(stamp)).toEqual({ wallMs: 1_712_345_678_901, counter: 37, deviceId: 'till-1' });
    expect(parseHlc('1712345678901-till-1')).toBeUndefined();
  });

  it('never goes backwards when the wall clock does', () => {
    const first = hlcNow(HLC_ZERO, 5_000, 'a');
    const second = hlcNow(first.state, 4_000, 'a'); // the clock was set back
    const third = hlcNow(second.state, 4_000, 'a');
    expect(second.stamp > first.stamp && third.stamp > second.stamp).toBe(true);
    expect(third.state).toEqual({ wallMs: 5_000, counter: 2 });
    expect(hlcNow(third.state, 6_000, 'a').state).toEqual({ wallMs: 6_000, counter: 0 });
  });

  it('orders an event after everything its device has received, despite a slow clock', () => {
    const fast = hlcNow(HLC_ZERO, 100_000, 'fast'); // clock ten seconds ahead
    const slowState = hlcReceive(HLC_ZERO, fast.stamp, 90_000);
    const reply = hlcNow(slowState, 90_001, 'slow');
    expect(reply.stamp > fast.stamp).toBe(true);
    expect(hlcDriftMs(fast.stamp, 90_000)).toBe(10_000);
    expect(hlcStateOf(reply.stamp)).toEqual(reply.state);
  });

  it('string order equals (wall, counter, device) order', () => {
    const parts = fc.record({
      wallMs: fc.integer({ min: 0, max: 99_999_999_999_999 }),
      counter: fc.integer({ min: 0, max: 2_000_000 }),
      deviceId: fc.stringMatching(/^[a-z0-9-]{1,8}$/),
    });
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        const byParts = a.wallMs - b.wallMs || a.counter - b.counter || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0);
        const sa = encodeHlc(a);
        const sb = encodeHlc(b);
        const byString = sa < sb ? -1 : sa > sb ? 1 : 0;
        expect(Math.sign(byString)).toBe(Math.sign(byParts));
      }),
    );
  });

  it('every stamp a device issues is greater than all it issued or received before', () => {
    const step = fc.oneof(
      fc.record({ type: fc.constant('local' as const), wall: fc.integer({ min: 0, max: 1_000_000 }) }),
      fc.record({ type: fc.constant('receive' as const), wall: fc.integer({ min: 0, max: 1_000_000 }), remote: fc.integer({ min: 0, max: 1_000_000 }), counter: fc.nat(50) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), (steps) => {
        let state: HlcState = HLC_ZERO;
        let highest = '';
        for (const s of steps) {
          if (s.type === 'local') {
            const next = hlcNow(state, s.wall, 'me');
            expect(next.stamp > highest).toBe(true);
            highest = next.stamp;
            state = next.state;
          } else {
            const remote = encodeHlc({ wallMs: s.remote, counter: s.counter, deviceId: 'zz' });
            state = hlcReceive(state, remote, s.wall);
            if (remote > highest) highest = remote;
            // The next local stamp must beat the remote one, whatever the device id order.
            const probe = hlcNow(state, s.wall, 'me');
            expect(probe.stamp.slice(0, 22) > remote.slice(0, 22)).toBe(true);
          }
        }
      }),
    );
  });

  it('compareEvents orders by hlc, then device, then sequence', () => {
    const e = (hlc: string, deviceId: string, seq: number) => ({ id: `${hlc}${deviceId}${seq}`, hlc, deviceId, seq });
    const sorted = [e('2', 'a', 1), e('1', 'b', 2), e('1', 'b', 1), e('1', 'a', 9)].sort(compareEvents);
    expect(sorted.map((x) => x.id)).toEqual(['1a9', '1b1', '1b2', '2a1']);
  });
});
