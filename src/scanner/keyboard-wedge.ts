/**
 * USB and Bluetooth barcode scanners pretend to be keyboards: they "type" the code a few
 * milliseconds per character and press Enter (or Tab). People type far slower than that, so the
 * rhythm of the keys tells a scan from typing. The decision is taken once, when the terminator
 * arrives, on the whole burst: scanners often send their first key late (a Bluetooth radio waking
 * up, a USB report queued behind the trigger), and that one slow gap must not cut the first digit
 * off. A scan is taken wherever focus is; when it landed in a text field, the characters the
 * scanner typed there are taken back out, so the field keeps what the person typed.
 * How the numbers were chosen: src/scanner/README.md, "Hand scanners (keyboard wedge)".
 */

export interface WedgeOptions {
  /**
   * Typical gap between scanner keystrokes: the median gap of a scan must not exceed it. Scanners
   * type every 0–20 ms; nobody types six keys in a row at under 30 ms each.
   */
  medianGapMs: number;
  /**
   * Longest single gap inside a scan. A busy tablet sometimes delivers one key late, so one slow
   * gap must not split a scan; a longer pause starts a new burst.
   */
  maxGapMs: number;
  /** Longest delay between a scan's first key and its second (a scanner's late first key). */
  firstKeyDelayMs: number;
  /**
   * Quiet time before a late first key. A key typed by a person just before a scan is not glued
   * onto the code: only a key after at least this pause may be a scanner's late first key.
   */
  pauseBeforeScanMs: number;
  /** Shortest code taken as a scan (EAN-8 is the shortest retail code). */
  minLength: number;
  /** Keys that end a scan (`KeyboardEvent.key`): the scanner's suffix, Enter (CR) or Tab. */
  terminators: readonly string[];
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = {
  medianGapMs: 30,
  maxGapMs: 150,
  firstKeyDelayMs: 250,
  pauseBeforeScanMs: 500,
  minLength: 6,
  terminators: ['Enter', 'Tab'],
};

/** What a terminator key meant. */
export type WedgeVerdict =
  /** A scan: `code` is the barcode's content, `typed` every character the scanner typed (prefix included). */
  | { kind: 'scan'; code: string; typed: string }
  /** The LF of a CR LF suffix (a second Enter right after a scan's Enter): part of that scan. */
  | { kind: 'suffix' }
  /** A person's Enter or Tab: left alone. */
  | { kind: 'typing' };

interface Key {
  char: string;
  atMs: number;
}

/**
 * AIM symbology identifier, which scanners can be set to send before the code: "]" then the
 * symbology's letter and a modifier ("]E0" EAN-13, "]C1" GS1-128, "]Q1" QR). It is not part of the
 * code.
 */
const AIM_IDENTIFIER = /^\][A-Za-z][0-9A-Za-z]/;

/** The timing logic, separate from the DOM so it can be tested with plain numbers. */
export class WedgeDetector {
  /** The keys since the last pause (or terminator), oldest first. */
  private keys: Key[] = [];
  /** The quiet time before `keys[0]`. */
  private quietBeforeFirst = Infinity;
  private lastAt = -Infinity;
  /** When the last scan's Enter came, for the LF of a CR LF suffix right after it. */
  private scanEnterAt = -Infinity;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE_OPTIONS) {}

  /** Feeds one printable character typed at `atMs`. */
  character(char: string, atMs: number): void {
    const gap = atMs - this.lastAt;
    if (gap > this.options.pauseBeforeScanMs) this.keys = [];
    if (this.keys.length === 0) this.quietBeforeFirst = gap;
    this.keys.push({ char, atMs });
    this.lastAt = atMs;
  }

  /** Whether `key` (`KeyboardEvent.key`) ends a scan. */
  isTerminator(key: string): boolean {
    return this.options.terminators.includes(key);
  }

  /**
   * A terminator (`key`: Enter or Tab) pressed at `atMs`: the burst before it, taken whole, is a
   * scan or typing. After a scan the next key counts as coming after a pause: the scanner's keys
   * are nobody's typing.
   */
  terminator(key: string, atMs: number): WedgeVerdict {
    const lineFeed = this.keys.length === 0 && key === 'Enter' && atMs - this.scanEnterAt <= this.options.maxGapMs;
    const verdict: WedgeVerdict = lineFeed ? { kind: 'suffix' } : this.judge(this.keys, atMs);
    this.keys = [];
    this.lastAt = verdict.kind === 'scan' ? -Infinity : atMs;
    this.scanEnterAt = verdict.kind === 'scan' && key === 'Enter' ? atMs : -Infinity;
    return verdict;
  }

  /** Something that is not typing (a shortcut) at `atMs`: the burst ends here. */
  interrupt(atMs: number): void {
    this.keys = [];
    this.lastAt = atMs;
  }

  /**
   * The scan is the fast tail of the burst: walking back from the terminator, a slow gap belongs to
   * the scan only when it sits between fast ones (one key delivered late); two slow gaps in a row
   * are a person typing before the scan. The tail may then start with one late key, when that key
   * came after a pause and the rest followed it within `firstKeyDelayMs`.
   */
  private judge(keys: readonly Key[], atMs: number): WedgeVerdict {
    const { medianGapMs, maxGapMs, firstKeyDelayMs, pauseBeforeScanMs, minLength } = this.options;
    const last = keys[keys.length - 1];
    if (last === undefined) return { kind: 'typing' };
    const terminatorGap = atMs - last.atMs;
    if (terminatorGap > maxGapMs) return { kind: 'typing' };
    // gapBefore(i): the gap between key i - 1 and key i; undefined for the first key.
    const gapBefore = (i: number) => (i > 0 ? (keys[i] as Key).atMs - (keys[i - 1] as Key).atMs : undefined);
    const fast = (gap: number | undefined) => gap !== undefined && gap <= medianGapMs;
    let start = keys.length - 1;
    while (start > 0) {
      const gap = gapBefore(start) as number;
      if (gap > maxGapMs || (!fast(gap) && !fast(gapBefore(start - 1)))) break;
      start--;
    }
    // The rhythm is judged on the gaps inside the tail and before the terminator; a late first
    // key's gap is not among them.
    const gaps = keys.slice(start + 1).map((_, i) => gapBefore(start + 1 + i) as number);
    const lateFirstKey = start === 1 && (gapBefore(1) as number) <= firstKeyDelayMs && this.quietBeforeFirst > pauseBeforeScanMs;
    if (lateFirstKey) start = 0;
    const typed = keys
      .slice(start)
      .map((key) => key.char)
      .join('');
    const code = typed.replace(AIM_IDENTIFIER, '');
    if (code.length < minLength || median([...gaps, terminatorGap]) > medianGapMs) return { kind: 'typing' };
    return { kind: 'scan', code, typed };
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function isTextField(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  if (target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && ['text', 'search', 'number', 'tel', ''].includes(target.type);
}

/**
 * Listens on the whole document (capture phase, before any field sees the Enter) and calls `onScan`
 * for each scanned code. Returns a function that stops listening.
 */
export function listenForWedgeScans(
  onScan: (code: string) => void,
  options: WedgeOptions = DEFAULT_WEDGE_OPTIONS,
  target: Document = document,
): () => void {
  const detector = new WedgeDetector(options);
  // Where the last scan's Enter went: the LF of a CR LF suffix goes to the same place.
  let scanTarget: EventTarget | null = null;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return detector.interrupt(event.timeStamp);
    if (event.key.length === 1) return detector.character(event.key, event.timeStamp);
    if (!detector.isTerminator(event.key)) return;
    const verdict = detector.terminator(event.key, event.timeStamp);
    if (verdict.kind === 'typing') return;
    // An Enter in another field right after a scan is a person's (a field filled without keys,
    // by paste or autofill, then Enter): it is left to that field.
    if (verdict.kind === 'suffix' && event.target !== scanTarget) return;
    // The scanner's Enter or Tab must not submit a form or move focus.
    event.preventDefault();
    event.stopPropagation();
    if (verdict.kind === 'suffix') return;
    scanTarget = event.target;
    const field = event.target;
    if (isTextField(field) && field.value.endsWith(verdict.typed)) {
      // The scanner typed into this field (its late first key too, and any prefix); take its
      // characters back out. Fields that reformat their value (type=number) do not always end with
      // them, and then are left as they are.
      field.value = field.value.slice(0, -verdict.typed.length);
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
    onScan(verdict.code);
  };
  target.addEventListener('keydown', onKeyDown, { capture: true });
  return () => target.removeEventListener('keydown', onKeyDown, { capture: true });
}
