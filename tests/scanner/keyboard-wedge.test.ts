import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_WEDGE_OPTIONS, WedgeDetector, type WedgeVerdict } from '../../src/scanner/keyboard-wedge.ts';
import { SCANNER_RHYTHMS, scanKeys, timed, typedKeys, type KeyAt, type Suffix } from './wedge-timings.ts';

function feed(detector: WedgeDetector, text: string, start: number, gap: number): number {
  let t = start;
  for (const char of text) {
    detector.character(char, t);
    t += gap;
  }
  return t;
}

/** The scanned code when the terminator at `atMs` ends a scan, else null. */
function enter(detector: WedgeDetector, atMs: number): string | null {
  const verdict = detector.terminator('Enter', atMs);
  return verdict.kind === 'scan' ? verdict.code : null;
}

/** Plays key events into a detector as the DOM listener does; the verdict of each terminator. */
function play(keys: readonly KeyAt[], detector = new WedgeDetector()): WedgeVerdict[] {
  const verdicts: WedgeVerdict[] = [];
  for (const { key, atMs } of keys) {
    if (key.length === 1) detector.character(key, atMs);
    else if (detector.isTerminator(key)) verdicts.push(detector.terminator(key, atMs));
  }
  return verdicts;
}

const scans = (verdicts: readonly WedgeVerdict[]) => verdicts.flatMap((v) => (v.kind === 'scan' ? [v.code] : []));

describe('keyboard-wedge detection', () => {
  it('takes a fast burst ended by Enter as a scan', () => {
    const d = new WedgeDetector();
    const end = feed(d, '4006381333931', 1000, 8);
    expect(enter(d, end)).toBe('4006381333931');
  });
  it('ignores human typing', () => {
    const d = new WedgeDetector();
    const end = feed(d, '4006381333931', 1000, 120);
    expect(enter(d, end)).toBeNull();
  });
  it('ignores short fast bursts (key repeat, a quick word)', () => {
    const d = new WedgeDetector();
    const end = feed(d, 'ok', 0, 5);
    expect(enter(d, end)).toBeNull();
  });
  it('a slow start followed by a scan still yields only the scanned code', () => {
    const d = new WedgeDetector();
    let t = feed(d, 'milk', 0, 150);
    t += 500;
    t = feed(d, '96385074', t, 5);
    expect(enter(d, t)).toBe('96385074');
  });
  it('tolerates one key delivered late by a busy device', () => {
    const d = new WedgeDetector();
    let t = feed(d, '400', 0, 10);
    t += 95;
    t = feed(d, '6381333931', t, 10);
    expect(enter(d, t)).toBe('4006381333931');
  });
  it('separates a scan from typing just before it', () => {
    const d = new WedgeDetector();
    let t = feed(d, 'cof', 0, 90);
    t = feed(d, '96385074', t, 5);
    expect(enter(d, t)).toBe('96385074');
  });
  it('fast typists are still typing', () => {
    const d = new WedgeDetector();
    const end = feed(d, 'spaghetti', 0, 70);
    expect(enter(d, end)).toBeNull();
  });
  it('a pause before Enter means typing', () => {
    const d = new WedgeDetector();
    const end = feed(d, '96385074', 0, 5);
    expect(enter(d, end + 400)).toBeNull();
  });
});

describe('a scanner whose first key comes late (issue 14 item 11)', () => {
  it('keeps the first digit when the first key arrives 60 ms before the rest', () => {
    expect(scans(play(scanKeys('000050010000', () => 5, { firstKeyDelayMs: 60 })))).toEqual(['000050010000']);
  });

  it('keeps it up to the longest first-key delay; beyond it the lone key is left as typed', () => {
    const limit = DEFAULT_WEDGE_OPTIONS.firstKeyDelayMs;
    expect(scans(play(scanKeys('4006381333931', () => 5, { firstKeyDelayMs: limit })))).toEqual(['4006381333931']);
    expect(scans(play(scanKeys('4006381333931', () => 5, { firstKeyDelayMs: limit + 1 })))).toEqual(['006381333931']);
  });

  it('does not glue a key a person typed just before a scan onto the code', () => {
    // "cof" at 90 ms a key, then straight away a scan: the "f" is typing, not a late first key.
    const typing = timed([...'cof'], [0, 90, 90]);
    const scan = scanKeys('96385074', () => 5, { startMs: 1000 + 180 + 60 });
    expect(scans(play([...typing, ...scan]))).toEqual(['96385074']);
  });

  it('after a pause, a single key then a fast burst is a late first key even after earlier typing', () => {
    const typing = timed([...'milk'], [0, 150, 150, 150]);
    const scan = scanKeys('96385074', () => 5, { firstKeyDelayMs: 80, startMs: 1000 + 450 + 700 });
    expect(scans(play([...typing, ...scan]))).toEqual(['96385074']);
  });

  it('scans in quick succession each keep their late first key', () => {
    const first = scanKeys('4006381333931', () => 5, { firstKeyDelayMs: 60 });
    const second = scanKeys('96385074', () => 5, { firstKeyDelayMs: 60, startMs: (first.at(-1)?.atMs ?? 0) + 200 });
    expect(scans(play([...first, ...second]))).toEqual(['4006381333931', '96385074']);
  });
});

describe('scanner patterns (modelled on scanner manuals and Bluetooth HID; see wedge-timings.ts)', () => {
  const suffixes: Suffix[] = ['Enter', 'Tab', 'CR LF'];
  for (const [name, rhythm] of Object.entries(SCANNER_RHYTHMS)) {
    for (const suffix of suffixes) {
      it(`${name}, ${suffix} suffix, with and without a late first key and an AIM prefix`, () => {
        for (const firstKeyDelayMs of [undefined, 45, 60, 120, 250]) {
          for (const prefix of ['', ']E0']) {
            const verdicts = play(scanKeys('4006381333931', rhythm, { prefix, suffix, firstKeyDelayMs }));
            expect(scans(verdicts)).toEqual(['4006381333931']);
            // The second Enter of CR LF belongs to the scan: it is swallowed, not taken as typing.
            expect(verdicts.map((v) => v.kind)).toEqual(suffix === 'CR LF' ? ['scan', 'suffix'] : ['scan']);
          }
        }
      });
    }
  }

  it('takes back exactly what the scanner typed: the late first key and the prefix too', () => {
    const [verdict] = play(scanKeys('4006381333931', () => 5, { prefix: ']E0', firstKeyDelayMs: 60 }));
    expect(verdict).toEqual({ kind: 'scan', code: '4006381333931', typed: ']E04006381333931' });
  });

  it('a scanner set to a 50 ms intercharacter delay types like a person and is not taken (the README says to set 0–20 ms)', () => {
    expect(scans(play(scanKeys('4006381333931', () => 50)))).toEqual([]);
  });

  it('with jitter, batching, a late first key, prefixes and suffixes: every scan is taken whole', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9A-Z]{6,24}$/),
        fc.constantFrom(...Object.keys(SCANNER_RHYTHMS)),
        fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 40, maxLength: 40 }),
        fc.option(fc.integer({ min: 0, max: DEFAULT_WEDGE_OPTIONS.firstKeyDelayMs })),
        fc.constantFrom('', ']E0', ']C1'),
        fc.constantFrom<Suffix>('Enter', 'Tab', 'CR LF'),
        (code, rhythmName, jitter, firstKeyDelayMs, prefix, suffix) => {
          const rhythm = SCANNER_RHYTHMS[rhythmName] as (i: number) => number;
          const keys = scanKeys(code, (i) => rhythm(i) + (jitter[i % jitter.length] ?? 0), { prefix, suffix, firstKeyDelayMs: firstKeyDelayMs ?? undefined });
          expect(scans(play(keys))).toEqual([code]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('one key delivered late by a busy tablet (up to 150 ms) does not split a USB scan', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{8,14}$/),
        fc.integer({ min: 1, max: 20 }),
        fc.nat(),
        fc.integer({ min: 31, max: DEFAULT_WEDGE_OPTIONS.maxGapMs }),
        fc.option(fc.integer({ min: 31, max: DEFAULT_WEDGE_OPTIONS.firstKeyDelayMs })),
        (code, gapMs, where, lateMs, firstKeyDelayMs) => {
          // The late key is somewhere after the second, so it is not next to a late first key.
          const lateAt = 3 + (where % (code.length - 3));
          const keys = scanKeys(code, (i) => (i === lateAt ? lateMs : gapMs), { firstKeyDelayMs: firstKeyDelayMs ?? undefined });
          expect(scans(play(keys))).toEqual([code]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fast typists are not taken for a scanner', () => {
  const text = fc.stringMatching(/^[0-9a-z]{6,24}$/);

  it('80–150 ms a key with fast letter pairs at 40–60 ms, ended by Enter or Tab', () => {
    fc.assert(
      fc.property(
        text,
        fc.array(fc.oneof(fc.integer({ min: 80, max: 150 }), fc.integer({ min: 40, max: 60 })), { minLength: 24, maxLength: 24 }),
        fc.integer({ min: 40, max: 300 }),
        fc.constantFrom<'Enter' | 'Tab'>('Enter', 'Tab'),
        (typed, gaps, enterGap, terminator) => {
          const keys = typedKeys(typed, [...gaps.slice(0, typed.length - 1), enterGap], terminator);
          expect(play(keys).map((v) => v.kind)).toEqual(['typing']);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the fastest people, about 70 ms a key over 10+ keys, with rollover pairs down to 15 ms', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-z]{10,30}$/),
        fc.array(fc.integer({ min: 45, max: 110 }), { minLength: 30, maxLength: 30 }),
        fc.array(fc.integer({ min: 15, max: 35 }), { minLength: 30, maxLength: 30 }),
        fc.nat({ max: 2 }),
        fc.integer({ min: 40, max: 200 }),
        (typed, gaps, rollovers, phase, enterGap) => {
          // A rollover at most on every third pair: three fast pairs in a row would be a 200+ wpm word.
          const withRollover = gaps.slice(0, typed.length - 1).map((gap, i) => ((i + phase) % 3 === 0 ? (rollovers[i] ?? gap) : gap));
          const keys = typedKeys(typed, [...withRollover, enterGap]);
          expect(play(keys).map((v) => v.kind)).toEqual(['typing']);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a Tab pressed right after a scan belongs to the person, not the scanner (only CR LF has two keys)', () => {
    const scan = scanKeys('96385074', () => 5);
    const tab = { key: 'Tab', atMs: (scan.at(-1)?.atMs ?? 0) + 40 };
    expect(play([...scan, tab]).map((v) => v.kind)).toEqual(['scan', 'typing']);
  });

  it('a person pressing Enter twice is not a scanner suffix', () => {
    const keys = typedKeys('coffee', [100, 90, 120, 80, 110, 100]);
    const again = { key: 'Enter', atMs: (keys.at(-1)?.atMs ?? 0) + 60 };
    expect(play([...keys, again]).map((v) => v.kind)).toEqual(['typing', 'typing']);
  });
});
