/**
 * Key timings of hand scanners and of fast typists, for the keyboard-wedge detector's tests.
 *
 * These are MODELLED, not recorded: no public trace of a scanner's key events with timestamps was
 * found. Each pattern is built from a documented behaviour:
 * - USB HID keyboards are polled every 1–8 ms (full-speed HID interval); a scanner at its default
 *   "no intercharacter delay" therefore lands one key per poll or a few per poll.
 * - Datalogic's keyboard-wedge "Intercharacter Delay" (Heron HD3100, Gryphon, PowerScan reference
 *   guides): 0–990 ms in 10 ms steps, default 0. Metrologic/Honeywell "InterScan Code Delay"
 *   (MS951, MS9540): 0.8, 7.5 or 15 ms between scan codes, two or more scan codes per character.
 * - Bluetooth LE HID (HOGP) sends input reports only at connection events, every 7.5–50 ms (TI
 *   SWRA715, "Connection Interval"); several keys queued meanwhile arrive together, a few ms
 *   apart, then nothing until the next event.
 * - A late first key: seen with real scanners in issue 14 item 11 (more than 30 ms, reproduced at
 *   60 ms); a Bluetooth link waking from its low-power mode or a report queued behind the trigger
 *   delays the first key by up to a few connection intervals. Modelled at 30–250 ms.
 * - Prefix: the AIM symbology identifier ("]E0" EAN-13, "]C1" GS1-128), which Zebra and Honeywell
 *   scanners can be set to send. Suffix: Enter (CR, the usual default), Tab, or CR LF (two Enters).
 * - People (Dhakal, Feit, Kristensson, Oulasvirta, "Observations on Typing from 136 Million
 *   Keystrokes", CHI 2018): the average inter-key interval is about 240 ms, fast typists 80–150 ms
 *   a key, and rollover (pressing the next key before releasing the last) makes some letter pairs
 *   much faster, down to a few tens of ms. The fastest people sustain about 70 ms a key.
 */

/** One key event: a printable character, or a named key ('Enter', 'Tab'). */
export interface KeyAt {
  key: string;
  atMs: number;
}

/** Keys from gaps: `gaps[i]` is the time before `keys[i]` (the first from `startMs`). */
export function timed(keys: readonly string[], gaps: readonly number[], startMs = 1000): KeyAt[] {
  let at = startMs;
  return keys.map((key, i) => {
    at += gaps[i] ?? 0;
    return { key, atMs: at };
  });
}

export type Suffix = 'Enter' | 'Tab' | 'CR LF';

export function suffixKeys(suffix: Suffix): string[] {
  return suffix === 'CR LF' ? ['Enter', 'Enter'] : [suffix];
}

/**
 * A scan: `prefix` + `code` + suffix. `rhythm(i)` gives the gap before key i (i ≥ 1, suffix keys
 * included); `firstKeyDelayMs`, when given, replaces the gap after the first key.
 */
export function scanKeys(code: string, rhythm: (i: number) => number, options: { prefix?: string; suffix?: Suffix; firstKeyDelayMs?: number; startMs?: number } = {}): KeyAt[] {
  const keys = [...(options.prefix ?? ''), ...code, ...suffixKeys(options.suffix ?? 'Enter')];
  const gaps = keys.map((_, i) => (i === 0 ? 0 : i === 1 && options.firstKeyDelayMs !== undefined ? options.firstKeyDelayMs : rhythm(i)));
  return timed(keys, gaps, options.startMs);
}

/** Named scanner rhythms (gap before key i), each from one of the behaviours above. */
export const SCANNER_RHYTHMS: Record<string, (i: number) => number> = {
  /** USB, no intercharacter delay: one key per 1–8 ms poll (here a steady 4 ms). */
  'usb-no-delay': () => 4,
  /** USB polled at 8 ms with two keys per report: 0 ms, 8 ms, 0 ms, 8 ms… */
  'usb-two-per-poll': (i) => (i % 2 === 0 ? 8 : 0),
  /** Datalogic intercharacter delay set to 10 ms, and to 20 ms. */
  'datalogic-10ms': () => 10,
  'datalogic-20ms': () => 20,
  /** Metrologic InterScan Code Delay 7.5 ms, two scan codes (make, break) a character. */
  'metrologic-7.5ms': () => 15,
  /** Bluetooth LE at 7.5 ms connection interval, three keys per event. */
  'ble-7.5ms-batches-of-3': (i) => (i % 3 === 0 ? 7.5 : 1),
  /** Bluetooth LE at 30 ms (a phone's or tablet's usual interval), five keys per event. */
  'ble-30ms-batches-of-5': (i) => (i % 5 === 0 ? 30 : 0),
  /** Bluetooth LE at 15 ms (the shortest iOS allows), two keys per event. */
  'ble-15ms-batches-of-2': (i) => (i % 2 === 0 ? 15 : 0),
};

/** A person typing `text` and then Enter, with the gap before each key after the first. */
export function typedKeys(text: string, gaps: readonly number[], terminator: 'Enter' | 'Tab' = 'Enter', startMs = 1000): KeyAt[] {
  return timed([...text, terminator], [0, ...gaps], startMs);
}
