/**
 * Hybrid logical clock (Kulkarni et al., 2014).
 *
 * Devices record sales offline with clocks that may be minutes apart. An HLC stamp is the larger of
 * the device's wall clock and every stamp it has seen, plus a counter for events within the same
 * millisecond, so an event recorded after a device has seen another event always sorts after it,
 * whatever the wall clocks say.
 *
 * Encoding: `<wall ms, 15 digits>-<counter, 6 base-36 digits>-<device id>`. Both numbers are
 * fixed width, so comparing the strings compares (wall, counter, device) in that order; the string
 * can be stored and indexed as-is (IndexedDB, SQL) and still sort causally.
 *
 * Pure: the wall clock is an argument, never read here.
 */
import type { HlcString } from './events.ts';

export interface HlcState {
  /** The largest wall time (ms since the epoch) this device has issued or seen. */
  wallMs: number;
  /** Events issued or seen at `wallMs`, minus one. */
  counter: number;
}

export interface HlcParts {
  wallMs: number;
  counter: number;
  deviceId: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const COUNTER_RADIX = 36;
/** 36^6 − 1: over two billion events within one millisecond of one device's clock. */
export const HLC_MAX_COUNTER = COUNTER_RADIX ** COUNTER_DIGITS - 1;
const MAX_WALL_MS = 10 ** WALL_DIGITS - 1;

export const HLC_PATTERN = /^(\d{15})-([0-9a-z]{6})-(.+)$/;

export const HLC_ZERO: HlcState = { wallMs: 0, counter: 0 };

export function encodeHlc(parts: HlcParts): HlcString {
  assertValidWall(parts.wallMs);
  if (!Number.isInteger(parts.counter) || parts.counter < 0 || parts.counter > HLC_MAX_COUNTER) {
    throw new RangeError(`HLC counter ${parts.counter} is outside 0…${HLC_MAX_COUNTER}`);
  }
  if (parts.deviceId.length === 0) throw new RangeError('HLC device id must not be empty');
  const wall = String(parts.wallMs).padStart(WALL_DIGITS, '0');
  const counter = parts.counter.toString(COUNTER_RADIX).padStart(COUNTER_DIGITS, '0');
  return `${wall}-${counter}-${parts.deviceId}`;
}

/** Returns undefined when the string is not an HLC stamp. */
export function parseHlc(stamp: string): HlcParts | undefined {
  const match = HLC_PATTERN.exec(stamp);
  if (!match) return undefined;
  const [, wall, counter, deviceId] = match;
  if (wall === undefined || counter === undefined || deviceId === undefined) return undefined;
  return { wallMs: Number(wall), counter: parseInt(counter, COUNTER_RADIX), deviceId };
}

/** Issues a stamp for a local event, recorded when the device's clock reads `wallMs`. */
export function hlcNow(prev: HlcState, wallMs: number, deviceId: string): { state: HlcState; stamp: HlcString } {
  assertValidWall(wallMs);
  const state: HlcState =
    wallMs > prev.wallMs ? { wallMs, counter: 0 } : { wallMs: prev.wallMs, counter: nextCounter(prev.counter) };
  return { state, stamp: encodeHlc({ ...state, deviceId }) };
}

/**
 * Merges a stamp received from another device (at local wall time `wallMs`), so the next local
 * stamp sorts after everything this device has seen.
 */
export function hlcReceive(prev: HlcState, remote: HlcString, wallMs: number): HlcState {
  assertValidWall(wallMs);
  const theirs = parseHlc(remote);
  if (!theirs) throw new RangeError(`"${remote}" is not an HLC stamp`);
  const wall = Math.max(prev.wallMs, theirs.wallMs, wallMs);
  if (wall === prev.wallMs && wall === theirs.wallMs) {
    return { wallMs: wall, counter: nextCounter(Math.max(prev.counter, theirs.counter)) };
  }
  if (wall === prev.wallMs) return { wallMs: wall, counter: nextCounter(prev.counter) };
  if (wall === theirs.wallMs) return { wallMs: wall, counter: nextCounter(theirs.counter) };
  return { wallMs: wall, counter: 0 };
}

/**
 * How far a stamp's wall time is ahead of a local clock reading (negative when behind). Sync can
 * refuse stamps from a device whose clock is absurdly far ahead, before they drag every clock along.
 */
export function hlcDriftMs(stamp: HlcString, wallMs: number): number {
  const parts = parseHlc(stamp);
  if (!parts) throw new RangeError(`"${stamp}" is not an HLC stamp`);
  return parts.wallMs - wallMs;
}

/** The clock state implied by a stamp this device issued earlier (e.g. restored from storage). */
export function hlcStateOf(stamp: HlcString): HlcState {
  const parts = parseHlc(stamp);
  if (!parts) throw new RangeError(`"${stamp}" is not an HLC stamp`);
  return { wallMs: parts.wallMs, counter: parts.counter };
}

function nextCounter(counter: number): number {
  if (counter >= HLC_MAX_COUNTER) throw new RangeError('HLC counter overflow: the clock is stuck far ahead');
  return counter + 1;
}

function assertValidWall(wallMs: number): void {
  if (!Number.isInteger(wallMs) || wallMs < 0 || wallMs > MAX_WALL_MS) {
    throw new RangeError(`HLC wall time ${wallMs} is not a whole number of ms in 0…${MAX_WALL_MS}`);
  }
}
